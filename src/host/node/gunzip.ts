// The loaders' gzip decoder on Node: zlib, with its output capped (maxOutputLength) so that a
// small bomb cannot make the host hold more than the guest's RAM.

import { gunzipSync } from 'node:zlib';
import { type Gunzip, GunzipError, GunzipLimitError } from '../../loaders/gunzip.js';

export const nodeGunzip: Gunzip = (data, maxBytes) => {
  try {
    const out = gunzipSync(data, { maxOutputLength: Math.max(1, maxBytes) });
    return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    if (code === 'ERR_BUFFER_TOO_LARGE') throw new GunzipLimitError(`more than ${maxBytes} bytes`);
    if (e instanceof Error) throw new GunzipError(e.message);
    throw e;
  }
};
