// Starting a VM from a snapshot file on the Node host: the file's header, description and state
// are read and checked at once, its RAM pages only when the board loads them, mapped copy-on-write
// where the host allows (host/node/snapshot-file.ts). What `tsvirt run --incoming file:` uses.

import { SnapshotFile } from '../host/node/snapshot-file.js';
import { decodeSnapshotFrom, type ParsedSnapshot } from '../vm/snapshot/format.js';

/**
 * The snapshot in `path`, for `VirtConfig.incoming`. Throws Node's error when the file cannot be
 * opened or read, and a SnapshotError when it is not a snapshot this build reads. `maxBytes`
 * refuses a larger file before anything is read; `map: false` reads the pages instead of mapping
 * them. The file must not be rewritten in place while the VM runs (`saveVmTo` replaces files).
 */
export async function openSnapshotFile(
  path: string,
  opts: { maxBytes?: number; map?: boolean } = {},
): Promise<ParsedSnapshot> {
  const file = await SnapshotFile.open(path, { map: opts.map });
  try {
    if (opts.maxBytes !== undefined && file.sizeBytes > opts.maxBytes)
      throw new RangeError(`'${path}' is larger than a snapshot of this machine's RAM can be`);
    const s = decodeSnapshotFrom(file);
    s.ramLoad = (ram, pages) => {
      file.loadPages(ram, pages, s.ramDataOffset);
    };
    return s;
  } catch (e) {
    file.close();
    throw e;
  }
}
