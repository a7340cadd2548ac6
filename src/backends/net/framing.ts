// Frame boundaries over a byte stream: each Ethernet frame is preceded by its length as a 4-byte
// big-endian integer (the framing of QEMU's `-netdev stream` and `-netdev socket`).

import { MAX_FRAME_BYTES } from './backend.js';

/** Bytes of the length prefix. */
export const FRAME_PREFIX_BYTES = 4;

/** The stream is not length-prefixed frames (or is out of step): the connection must be dropped. */
export class NetFramingError extends Error {
  constructor(readonly lengthField: number) {
    super(`stream frame length ${lengthField} is outside 1..${MAX_FRAME_BYTES}: stream out of step`);
  }
}

/** `frame` with its length prefix, as one array ready for a single write. */
export function encodeFrame(frame: Uint8Array): Uint8Array {
  const out = new Uint8Array(FRAME_PREFIX_BYTES + frame.length);
  new DataView(out.buffer).setUint32(0, frame.length, false);
  out.set(frame, FRAME_PREFIX_BYTES);
  return out;
}

/**
 * Reassembles frames from stream chunks of any size: a frame may span many chunks and a chunk may
 * hold many frames. Chunks are kept by reference until consumed (the caller must not reuse them);
 * frames returned are fresh arrays. Memory held is what was pushed and not yet returned.
 */
export class FrameDecoder {
  private readonly chunks: Uint8Array[] = [];
  /** Bytes of chunks[0] already consumed. */
  private headOffset = 0;
  /** Unconsumed bytes over all chunks. */
  private bufferedBytes = 0;

  push(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    this.bufferedBytes += chunk.length;
  }

  /** Bytes received but not yet returned as frames. */
  get buffered(): number {
    return this.bufferedBytes;
  }

  /**
   * The next whole frame, or undefined when more bytes are needed. Throws NetFramingError when
   * the length prefix is 0 or above MAX_FRAME_BYTES; the decoder is then unusable.
   */
  next(): Uint8Array | undefined {
    if (this.bufferedBytes < FRAME_PREFIX_BYTES) return undefined;
    const prefix = this.peek(FRAME_PREFIX_BYTES);
    const len = new DataView(prefix.buffer, prefix.byteOffset, FRAME_PREFIX_BYTES).getUint32(0, false);
    if (len === 0 || len > MAX_FRAME_BYTES) throw new NetFramingError(len);
    if (this.bufferedBytes < FRAME_PREFIX_BYTES + len) return undefined;
    this.skip(FRAME_PREFIX_BYTES);
    return this.take(len);
  }

  /** Forget everything buffered (the connection ended mid-frame). */
  clear(): void {
    this.chunks.length = 0;
    this.headOffset = 0;
    this.bufferedBytes = 0;
  }

  /** The first `n` buffered bytes, without consuming them (n <= buffered). */
  private peek(n: number): Uint8Array {
    const head = this.chunks[0];
    if (head.length - this.headOffset >= n) return head.subarray(this.headOffset, this.headOffset + n);
    const out = new Uint8Array(n);
    let pos = 0;
    let off = this.headOffset;
    for (const c of this.chunks) {
      const k = Math.min(c.length - off, n - pos);
      out.set(c.subarray(off, off + k), pos);
      pos += k;
      off = 0;
      if (pos === n) break;
    }
    return out;
  }

  /** Consume `n` buffered bytes into a fresh array (n <= buffered). */
  private take(n: number): Uint8Array {
    const out = new Uint8Array(n);
    let pos = 0;
    while (pos < n) {
      const c = this.chunks[0];
      const k = Math.min(c.length - this.headOffset, n - pos);
      out.set(c.subarray(this.headOffset, this.headOffset + k), pos);
      pos += k;
      this.advance(k);
    }
    return out;
  }

  private skip(n: number): void {
    while (n > 0) {
      const k = Math.min(this.chunks[0].length - this.headOffset, n);
      n -= k;
      this.advance(k);
    }
  }

  private advance(k: number): void {
    this.headOffset += k;
    this.bufferedBytes -= k;
    if (this.headOffset === this.chunks[0].length) {
      this.chunks.shift();
      this.headOffset = 0;
    }
  }
}
