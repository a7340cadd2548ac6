// The default guest of `tsvirt run --machine virt`: Debian's kernel and the initramfs that
// `tsvirt image` builds into the user's cache.

import { existsSync } from 'node:fs';
import { cacheLayout, defaultCacheDir, outputPath } from '../images/layout.js';
import { UsageError } from './options.js';

export function defaultGuest(): { kernel: string; initrd: string; fwDynamic: string } {
  const layout = cacheLayout(defaultCacheDir(process.env));
  const kernel = outputPath(layout, 'kernel');
  const initrd = outputPath(layout, 'initrd');
  if (!existsSync(kernel) || !existsSync(initrd)) {
    throw new UsageError(
      `no --kernel given and no default guest in ${layout.imageDir}: run 'tsvirt image' first`,
    );
  }
  return { kernel, initrd, fwDynamic: outputPath(layout, 'fw_dynamic') };
}
