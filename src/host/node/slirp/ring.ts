// A bounded single-producer single-consumer queue of Ethernet frames in a SharedArrayBuffer: the
// device thread pushes guest frames, the slirp worker pops them, neither ever waits for the other.
// When it is full, push refuses the frame (the caller counts a drop, as a NIC whose ring is full).

/** Control words after the ring's counters, shared by the two threads (Int32 indexes). */
export const Ctl = {
  /** Free-running byte counters (mod 2^32): where the producer writes, where the consumer reads. */
  Head: 0,
  Tail: 1,
  /** 1 while a wake-up of the worker is pending (the producer wrote its eventfd). */
  Wake: 2,
  /** 1 once the backend is closing: the worker leaves its loop. */
  Closing: 3,
  /** Bytes of host-to-guest frames posted by the worker and not yet delivered (or dropped) by the device thread. */
  RxInFlightBytes: 4,
  /** Host-to-guest frames the worker dropped because RxInFlightBytes was at its bound. */
  RxDropped: 5,
  /** Guest TCP SYNs the worker dropped because slirp had maxSockets sockets open. */
  SynRefused: 6,
  /** Number of control words. */
  Count: 8,
} as const;

/** Record length marking "the rest of the buffer is unused, continue at offset 0". */
const WRAP = 0xffffffff;

/** The shared memory of a ring of `capacityBytes` (a power of two, at least 4096) data bytes. */
export function newFrameRingBuffer(capacityBytes: number): SharedArrayBuffer {
  if (capacityBytes < 4096 || (capacityBytes & (capacityBytes - 1)) !== 0 || capacityBytes > 1 << 30) {
    throw new RangeError(`frame ring capacity ${capacityBytes} is not a power of two in 4 KiB..1 GiB`);
  }
  return new SharedArrayBuffer(Ctl.Count * 4 + capacityBytes);
}

/**
 * One end of the ring (both ends use this class; one only pushes, the other only pops). Records
 * are a 32-bit length and the frame, padded to 4 bytes; a record never wraps around the end.
 */
export class FrameRing {
  readonly ctl: Int32Array;
  private readonly words: Uint32Array;
  private readonly bytes: Uint8Array;
  private readonly capacity: number;

  constructor(sab: SharedArrayBuffer) {
    this.ctl = new Int32Array(sab, 0, Ctl.Count);
    this.capacity = sab.byteLength - Ctl.Count * 4;
    this.words = new Uint32Array(sab, Ctl.Count * 4, this.capacity >>> 2);
    this.bytes = new Uint8Array(sab, Ctl.Count * 4, this.capacity);
  }

  /** Producer: append `frame`; false (nothing written) when there is no room for it. */
  push(frame: Uint8Array): boolean {
    const need = 4 + ((frame.length + 3) & ~3);
    let head = Atomics.load(this.ctl, Ctl.Head) >>> 0;
    const tail = Atomics.load(this.ctl, Ctl.Tail) >>> 0;
    const free = this.capacity - ((head - tail) >>> 0);
    let pos = head & (this.capacity - 1);
    const toEnd = this.capacity - pos;
    if (need > toEnd) {
      if (free < toEnd + need || need > this.capacity) return false;
      this.words[pos >>> 2] = WRAP;
      head = (head + toEnd) >>> 0;
      pos = 0;
    } else if (free < need) {
      return false;
    }
    this.words[pos >>> 2] = frame.length;
    this.bytes.set(frame, pos + 4);
    // The store publishes the record (Atomics are sequentially consistent).
    Atomics.store(this.ctl, Ctl.Head, (head + need) | 0);
    return true;
  }

  /**
   * Consumer: hand the oldest frame to `use` (a view into the ring, valid only during the call)
   * and release it; false when the ring is empty.
   */
  pop(use: (frame: Uint8Array) => void): boolean {
    for (;;) {
      const head = Atomics.load(this.ctl, Ctl.Head) >>> 0;
      let tail = Atomics.load(this.ctl, Ctl.Tail) >>> 0;
      if (head === tail) return false;
      const pos = tail & (this.capacity - 1);
      const len = this.words[pos >>> 2];
      if (len === WRAP) {
        tail = (tail + this.capacity - pos) >>> 0;
        Atomics.store(this.ctl, Ctl.Tail, tail | 0);
        continue;
      }
      // The producer is this program's own device thread; a length past the end would be a bug
      // there, not guest input, but the ring must not read outside itself either way.
      if (len > this.capacity - pos - 4) throw new Error(`frame ring corrupt: length ${len} at ${pos}`);
      use(this.bytes.subarray(pos + 4, pos + 4 + len));
      Atomics.store(this.ctl, Ctl.Tail, (tail + 4 + ((len + 3) & ~3)) | 0);
      return true;
    }
  }
}
