// A corruption fuzzer for qcow2 images (docs/interop/qcow2.txt): a valid image, made and filled by
// the backend, gets random damage to its header, extensions, L1 table, refcount table, L2 tables,
// refcount blocks or length, then is opened, read whole, written, flushed and read again. Each
// must either be refused with a Qcow2Error naming the file, or work, with every file access inside
// the file and no read larger than the file (an image's fields never size an allocation alone).

import { prng as rng } from '../../../core/prng.js';
import { MemoryBlockBackend } from '../../../backends/block/backend.js';
import type { HostFile, OpenHostFile } from '../../../backends/block/host-file.js';
import { Qcow2Backend } from '../../../backends/block/qcow2.js';
import { newImage, Qcow2Error } from '../../../backends/block/qcow2-format.js';

/** What happened to the damaged images. */
export interface Qcow2FuzzReport {
  iterations: number;
  refused: number;
  opened: number;
  /** Refusals per kind (the message without numbers). */
  reasons: Map<string, number>;
  failures: string[];
}

type Rand = () => number;
const int = (r: Rand, n: number): number => Math.floor(r() * n);

/**
 * An in-memory file that grows on write, as a host file does. Reads past the end return 0 bytes
 * (as pread does); `violation` records reads that start past the end or exceed `maxReadBytes`.
 */
class MemFile implements HostFile {
  violation: string | undefined;
  constructor(
    public bytes: Uint8Array,
    private readonly maxReadBytes: number,
  ) {}
  async read(
    buf: Uint8Array,
    offset: number,
    length: number,
    position: number,
  ): Promise<{ bytesRead: number }> {
    if (length > this.maxReadBytes)
      this.violation ??= `a read of ${length} bytes from a ${this.bytes.length}-byte file`;
    const n = Math.max(0, Math.min(length, this.bytes.length - position));
    buf.set(this.bytes.subarray(position, position + n), offset);
    return { bytesRead: n };
  }
  async write(
    data: Uint8Array,
    offset: number,
    length: number,
    position: number,
  ): Promise<{ bytesWritten: number }> {
    if (position + length > this.bytes.length) {
      const grown = new Uint8Array(Math.max(position + length, this.bytes.length * 2));
      grown.set(this.bytes);
      this.bytes = grown.subarray(0, position + length);
    }
    this.bytes.set(data.subarray(offset, offset + length), position);
    return { bytesWritten: length };
  }
  async datasync(): Promise<void> {}
  async stat(): Promise<{ size: number; isFile(): boolean }> {
    return { size: this.bytes.length, isFile: () => true };
  }
  async truncate(lenBytes: number): Promise<void> {
    const b = new Uint8Array(lenBytes);
    b.set(this.bytes.subarray(0, lenBytes));
    this.bytes = b;
  }
  async close(): Promise<void> {}
}

const CLUSTER_BITS = 12;
const CLUSTER = 2 ** CLUSTER_BITS;
const DISK_BYTES = 2 * 1024 * 1024;

/** A valid image with data in it, a backing file of `backing` bytes, made by the backend. */
async function validImage(seed: number, backing: MemoryBlockBackend): Promise<Uint8Array> {
  const r = rng(seed);
  const file = new MemFile(
    newImage({ sizeBytes: DISK_BYTES, clusterBits: CLUSTER_BITS, backingFile: 'base', backingFormat: 'raw' }),
    Infinity,
  );
  const img = await Qcow2Backend.open('fuzz.qcow2', {
    readOnly: false,
    openFile: async () => file,
    openBacking: async () => backing,
  });
  for (let k = 0; k < 40; k++) {
    const len = 1 + int(r, 3 * CLUSTER);
    const at = int(r, DISK_BYTES - len);
    if (r() < 0.8) await img.write(at, new Uint8Array(len).fill(1 + int(r, 255)));
    else await img.writeZeroes(at, len);
  }
  await img.flush();
  return file.bytes.slice();
}

/** Random damage where the metadata lives: the first clusters, the tables, or the length. */
function damage(r: Rand, image: Uint8Array): Uint8Array {
  let out = image.slice();
  const hits = 1 + int(r, 4);
  for (let k = 0; k < hits; k++) {
    const kind = int(r, 6);
    if (kind === 0) {
      // A header field: one of the first 112 bytes, or an extension.
      out[int(r, 256)] = int(r, 256);
    } else if (kind === 1) {
      // A byte of the metadata clusters (header, refcount table and block, L1, early L2 tables).
      out[int(r, Math.min(out.length, 8 * CLUSTER))] ^= 1 << int(r, 8);
    } else if (kind === 2) {
      // A whole 64-bit table entry somewhere in the metadata, set to a random or edge value.
      const at = 8 * int(r, Math.min(out.length, 8 * CLUSTER) / 8);
      const v = new DataView(out.buffer);
      const edge = [0xffffffff, 0x80000000, 0x00ffffff, 0x7fffffff, 0, 1];
      v.setUint32(at, r() < 0.5 ? edge[int(r, edge.length)] : int(r, 2 ** 32));
      v.setUint32(at + 4, r() < 0.5 ? int(r, 2 ** 32) : int(r, 2 ** 20) * 512);
    } else if (kind === 3) {
      out = out.slice(0, int(r, out.length));
    } else if (kind === 4) {
      // Any byte of the file.
      out[int(r, out.length)] = int(r, 256);
    } else {
      // Size, l1_size, refcount_table_clusters or cluster_bits: a big-endian field set at random.
      const at = [20, 24, 28, 36, 56, 96, 100][int(r, 7)];
      new DataView(out.buffer).setUint32(at, r() < 0.5 ? int(r, 64) : int(r, 2 ** 32));
    }
  }
  return out;
}

/** Run `iterations` damaged images; the report lists every case that broke a rule. */
export async function fuzzQcow2(opts: { iterations: number; seed: number }): Promise<Qcow2FuzzReport> {
  const backing = new MemoryBlockBackend(
    DISK_BYTES / 2,
    true,
    Uint8Array.from({ length: DISK_BYTES / 2 }, (_, i) => i & 0xff),
  );
  const valid = await validImage(opts.seed, backing);
  const rep: Qcow2FuzzReport = {
    iterations: opts.iterations,
    refused: 0,
    opened: 0,
    reasons: new Map(),
    failures: [],
  };
  for (let it = 0; it < opts.iterations; it++) {
    const r = rng(opts.seed * 100003 + it);
    const damaged = damage(r, valid);
    const file = new MemFile(damaged, Math.max(damaged.length, 2 * 1024 * 1024));
    const openFile: OpenHostFile = async () => file;
    try {
      for (const readOnly of [true, false]) {
        const img = await Qcow2Backend.open('fuzz.qcow2', {
          readOnly,
          openFile,
          openBacking: async () => backing,
        });
        const buf = new Uint8Array(64 * 1024);
        for (let at = 0; at < img.sizeBytes; at += buf.length)
          await img.read(at, buf.subarray(0, Math.min(buf.length, img.sizeBytes - at)));
        if (!readOnly && img.sizeBytes > 0) {
          const len = Math.min(img.sizeBytes, 3 * CLUSTER);
          const at = int(r, img.sizeBytes - len + 1);
          const data = new Uint8Array(len).fill(0xee);
          await img.write(at, data);
          await img.flush();
          const back = new Uint8Array(len);
          await img.read(at, back);
          if (!back.every((b) => b === 0xee)) throw new Error(`a write at ${at} did not read back`);
        }
        // The backing file belongs to every opening here: close the image's file only.
        await file.close();
      }
      rep.opened++;
    } catch (e) {
      if (e instanceof Qcow2Error && e.path === 'fuzz.qcow2') {
        rep.refused++;
        const kind = e.problem.replace(/0x[0-9a-f]+|\d+/g, 'N');
        rep.reasons.set(kind, (rep.reasons.get(kind) ?? 0) + 1);
      } else {
        rep.failures.push(
          `iteration ${it} (seed ${opts.seed}): ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`,
        );
      }
    }
    if (file.violation !== undefined)
      rep.failures.push(`iteration ${it} (seed ${opts.seed}): ${file.violation}`);
  }
  return rep;
}
