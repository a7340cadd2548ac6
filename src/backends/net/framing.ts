// Frame boundaries over a byte stream: each Ethernet frame is preceded by its length as a 4-byte
// big-endian integer (the framing of QEMU's `-netdev stream` and `-netdev socket`).

import { MAX_FRAME_BYTES } from './backend.js';

/** Bytes of the length prefix. */
export const FRAME_PREFIX_BYTES = 4;

/**
 * Most bytes a {@link FrameDecoder} holds (256 KiB). A reader that drains the decoder after each
 * chunk and stops reading while paused holds at most one incomplete frame and its prefix
 * (< 4 + MAX_FRAME_BYTES) plus one read chunk (Node reads sockets 64 KiB at a time), about
 * 128 KiB; a push past the bound means the reader broke that discipline or the runtime changed,
 * and fails rather than growing.
 */
export const MAX_BUFFERED_BYTES = 256 * 1024;

/** The stream cannot be decoded (or held): the connection must be dropped. */
export class NetStreamError extends Error {}

/** The stream is not length-prefixed frames (or is out of step). */
export class NetFramingError extends NetStreamError {
  constructor(readonly lengthField: number) {
    super(`stream frame length ${lengthField} is outside 1..${MAX_FRAME_BYTES}: stream out of step`);
  }
}

/** A push would make the decoder hold more than its bound. */
export class NetOverrunError extends NetStreamError {
  constructor(bufferedBytes: number, chunkBytes: number, maxBytes: number) {
    super(
      `receive buffer overrun: ${bufferedBytes} bytes held and ${chunkBytes} more received, ` +
        `more than the ${maxBytes}-byte bound`,
    );
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
 * hold many frames. Pushed bytes are copied into one buffer of at most `maxBufferedBytes`
 * (allocated at the first push), so memory and work stay linear in the bytes received however
 * the stream is cut (a peer trickling one byte per read costs no more per byte than one sending
 * whole frames). Frames returned are fresh arrays.
 */
export class FrameDecoder {
  private buf: Uint8Array | undefined;
  /** The unconsumed bytes are buf[start, end). */
  private start = 0;
  private end = 0;
  private peakBytes = 0;

  constructor(readonly maxBufferedBytes = MAX_BUFFERED_BYTES) {}

  /**
   * Take a copy of `chunk` (the caller may reuse it). Throws {@link NetOverrunError}, keeping
   * nothing of it, when the bytes held would exceed `maxBufferedBytes`.
   */
  push(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    const held = this.end - this.start;
    if (held + chunk.length > this.maxBufferedBytes) {
      throw new NetOverrunError(held, chunk.length, this.maxBufferedBytes);
    }
    this.buf ??= new Uint8Array(this.maxBufferedBytes);
    if (this.end + chunk.length > this.buf.length) {
      // Move the unconsumed bytes to the front: only when the end is reached, so each byte
      // moves a bounded number of times.
      this.buf.copyWithin(0, this.start, this.end);
      this.start = 0;
      this.end = held;
    }
    this.buf.set(chunk, this.end);
    this.end += chunk.length;
    this.peakBytes = Math.max(this.peakBytes, this.end - this.start);
  }

  /** Bytes received but not yet returned as frames. */
  get buffered(): number {
    return this.end - this.start;
  }

  /** The most bytes ever held at once (for tests and metrics). */
  get peakBuffered(): number {
    return this.peakBytes;
  }

  /**
   * The next whole frame, or undefined when more bytes are needed. Throws NetFramingError when
   * the length prefix is 0 or above MAX_FRAME_BYTES; the decoder is then unusable.
   */
  next(): Uint8Array | undefined {
    const buf = this.buf;
    if (buf === undefined || this.end - this.start < FRAME_PREFIX_BYTES) return undefined;
    const at = this.start;
    const len = ((buf[at] << 24) | (buf[at + 1] << 16) | (buf[at + 2] << 8) | buf[at + 3]) >>> 0;
    if (len === 0 || len > MAX_FRAME_BYTES) throw new NetFramingError(len);
    if (this.end - at < FRAME_PREFIX_BYTES + len) return undefined;
    this.start = at + FRAME_PREFIX_BYTES + len;
    if (this.start === this.end) this.start = this.end = 0;
    return buf.slice(at + FRAME_PREFIX_BYTES, at + FRAME_PREFIX_BYTES + len);
  }

  /** Forget everything buffered (the connection ended mid-frame, or a new peer came). */
  clear(): void {
    this.start = 0;
    this.end = 0;
  }
}
