// The default guest of `tsvirt run --machine virt`: Debian's kernel and the initramfs that
// `tsvirt image` builds into the user's cache.

import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { UsageError } from './options.js';

export function defaultImageDir(): string {
  const cache = process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache');
  return join(cache, 'tsvirt', 'images', 'debian-trixie-riscv64');
}

export function defaultGuest(): { kernel: string; initrd: string } {
  const dir = defaultImageDir();
  const kernel = join(dir, 'Image');
  const initrd = join(dir, 'initrd.img');
  if (!existsSync(kernel) || !existsSync(initrd)) {
    throw new UsageError(`no --kernel given and no default guest in ${dir}: run 'tsvirt image' first`);
  }
  return { kernel, initrd };
}
