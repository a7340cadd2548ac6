// Copying between the buffers of a descriptor chain (virtio 1.2 section 2.7.5) and host byte
// arrays, for device models. The buffers of a chain form one logical byte stream; these helpers
// address it by offset so a device never has to walk buffer boundaries itself.

import type { GuestMemory } from '../../memory/guest-memory.js';
import type { GuestBuffer } from './types.js';

/** Total length in bytes of `bufs` seen as one stream. */
export function chainLength(bufs: readonly GuestBuffer[]): number {
  let total = 0;
  for (const b of bufs) total += b.len;
  return total;
}

/**
 * Copy up to `len` bytes starting at stream offset `offset` of `bufs` into a new array. The result
 * is shorter than `len` when the stream ends first (empty when `offset` is past the end). Never
 * throws and never reads outside guest RAM: a buffer not wholly inside `mem` ends the stream.
 */
export function readChain(
  mem: GuestMemory,
  bufs: readonly GuestBuffer[],
  offset: number,
  len: number,
): Uint8Array {
  const available = Math.max(0, Math.min(len, chainLength(bufs) - Math.max(0, offset)));
  const out = new Uint8Array(available);
  const n = readChainInto(mem, bufs, offset, out);
  return n === available ? out : out.subarray(0, n);
}

/**
 * Copy bytes from stream offset `offset` of `bufs` into `dst`, as many as fit in both. Returns the
 * number of bytes copied. Same safety rules as {@link readChain}.
 */
export function readChainInto(
  mem: GuestMemory,
  bufs: readonly GuestBuffer[],
  offset: number,
  dst: Uint8Array,
): number {
  let done = 0;
  visit(mem, bufs, offset, dst.length, (memOff, pos, n) => {
    dst.set(mem.bytes.subarray(memOff, memOff + n), pos);
    done += n;
  });
  return done;
}

/**
 * Copy `data` into `bufs` starting at stream offset `offset`. Returns the number of bytes written,
 * less than `data.length` when the stream ends first. Never throws and never writes outside guest
 * RAM: a buffer not wholly inside `mem` ends the stream.
 */
export function writeChain(
  mem: GuestMemory,
  bufs: readonly GuestBuffer[],
  offset: number,
  data: Uint8Array,
): number {
  let done = 0;
  visit(mem, bufs, offset, data.length, (memOff, pos, n) => {
    mem.bytes.set(data.subarray(pos, pos + n), memOff);
    mem.deviceWrote(memOff, n);
    done += n;
  });
  return done;
}

/**
 * Call `each(ramOffset, streamPos, n)` for consecutive pieces of the stream range
 * [offset, offset+len), where `streamPos` counts from `offset`. Stops at the end of the stream or
 * at the first buffer outside RAM.
 */
function visit(
  mem: GuestMemory,
  bufs: readonly GuestBuffer[],
  offset: number,
  len: number,
  each: (ramOffset: number, streamPos: number, n: number) => void,
): void {
  if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(len) || offset < 0 || len <= 0) return;
  let skip = offset;
  let pos = 0;
  for (const b of bufs) {
    if (pos >= len) return;
    if (!Number.isSafeInteger(b.addr) || !Number.isSafeInteger(b.len) || !mem.contains(b.addr, b.len)) return;
    if (skip >= b.len) {
      skip -= b.len;
      continue;
    }
    const n = Math.min(b.len - skip, len - pos);
    each(b.addr - mem.base + skip, pos, n);
    pos += n;
    skip = 0;
  }
}
