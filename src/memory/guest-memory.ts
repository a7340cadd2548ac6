// Guest RAM: one contiguous region of guest-physical memory over an (optionally shared) buffer,
// little-endian, with bounds-checked accessors for everything outside the CPU's fast path, and the
// dirty-page log that live migration reads (one byte per 4 KiB page, see `dirty`).

/** Raised when a host component (loader, device) touches memory outside guest RAM. */
export class GuestMemoryError extends Error {
  constructor(addr: number, len: number) {
    super(`guest memory access out of range: 0x${addr.toString(16)} + ${len}`);
  }
}

const WASM_PAGE = 65536;
/** The dirty log's granule: a RAM page. */
export const DIRTY_PAGE_BYTES = 4096;
/** A 32-bit WebAssembly memory holds at most 4 GiB. */
const MAX_WASM_PAGES = 65536;

export class GuestMemory {
  readonly bytes: Uint8Array;
  /** Halfword view: instruction fetch reads 16-bit parcels (RVC allows 2-byte alignment). */
  readonly halfwords: Uint16Array;
  readonly view: DataView;

  /**
   * The dirty log: `dirty[p]` is 1 once RAM page p (offset p x 4 KiB) may have been written since
   * the log was last cleared. Writers set it with plain byte stores (idempotent, so harts in
   * workers over a shared buffer may set it concurrently): the accessors below and `deviceWrote`,
   * the harts' slow store path (writePhys), page-table A/D updates, and the TLB when it enters a
   * store mapping, so that stores through that mapping need no check (QEMU's TLB_NOTDIRTY idea).
   * Whoever clears entries must first drop every hart's store mappings of those pages (the
   * migration code does: vm/migration/dirty.ts); while nobody clears, tracking costs nothing.
   */
  readonly dirty: Uint8Array;

  /**
   * Called after a device (not a CPU) wrote guest RAM, with the RAM offset and length, so that the
   * translator can drop code it made from those bytes (DMA into executable pages).
   */
  onDeviceWrite: ((offset: number, len: number) => void) | undefined = undefined;

  /**
   * The WebAssembly memory that holds RAM at offset 0 and, after it, the host areas handed out by
   * `allocHost` (CPU state that translated WebAssembly code reads directly). Undefined when RAM
   * is too large for a 32-bit WebAssembly memory or no host area was asked for.
   */
  readonly wasm: WebAssembly.Memory | undefined;
  private hostNext: number;
  private readonly hostEnd: number;

  /**
   * @param base guest-physical address of the first byte
   * @param sizeBytes multiple of 4 KiB
   * @param shared back RAM with shared memory so that workers can see it
   * @param hostBytes bytes to reserve after RAM for `allocHost` (0: a plain buffer)
   */
  constructor(
    readonly base: number,
    readonly sizeBytes: number,
    shared = false,
    hostBytes = 0,
  ) {
    if (sizeBytes <= 0 || sizeBytes % 4096 !== 0)
      throw new RangeError(`RAM size must be a multiple of 4 KiB`);
    const total = Math.ceil((sizeBytes + hostBytes) / WASM_PAGE);
    let buf: ArrayBufferLike;
    if (hostBytes > 0 && total <= MAX_WASM_PAGES) {
      this.wasm = new WebAssembly.Memory({ initial: total, maximum: total, shared });
      buf = this.wasm.buffer;
    } else {
      this.wasm = undefined;
      buf = shared ? new SharedArrayBuffer(sizeBytes) : new ArrayBuffer(sizeBytes);
    }
    this.hostNext = sizeBytes;
    this.hostEnd = this.wasm === undefined ? sizeBytes : total * WASM_PAGE;
    // Views end where RAM ends: host areas are never guest-addressable.
    this.bytes = new Uint8Array(buf, 0, sizeBytes);
    this.view = new DataView(buf, 0, sizeBytes);
    this.halfwords = new Uint16Array(buf, 0, sizeBytes / 2);
    const pages = sizeBytes / DIRTY_PAGE_BYTES;
    this.dirty = new Uint8Array(shared ? new SharedArrayBuffer(pages) : new ArrayBuffer(pages));
    // Everything counts as written until the first clear: a log started later begins complete.
    this.dirty.fill(1);
  }

  /** Mark RAM offsets [off, off+len) dirty (len > 0; the range is inside RAM). */
  markDirty(off: number, len: number): void {
    const last = Math.floor((off + len - 1) / DIRTY_PAGE_BYTES);
    for (let p = Math.floor(off / DIRTY_PAGE_BYTES); p <= last; p++) this.dirty[p] = 1;
  }

  /**
   * A device (DMA), a loader or a debugger wrote RAM offsets [off, off+len) behind the harts'
   * backs: mark them dirty and tell `onDeviceWrite` (translated code of those bytes is stale).
   */
  deviceWrote(off: number, len: number): void {
    if (len <= 0) return;
    this.markDirty(off, len);
    this.onDeviceWrite?.(off, len);
  }

  /** Byte offset (8-aligned) of a fresh host area in the WebAssembly memory, or -1 if none. */
  allocHost(bytes: number): number {
    const at = this.hostNext;
    if (this.wasm === undefined || at + bytes > this.hostEnd) return -1;
    this.hostNext = at + ((bytes + 7) & ~7);
    return at;
  }

  /** True when [addr, addr+len) lies inside RAM. */
  contains(addr: number, len: number): boolean {
    const off = addr - this.base;
    return off >= 0 && len >= 0 && off + len <= this.sizeBytes;
  }

  /** Offset of `addr` into the buffer, checked. */
  offset(addr: number, len: number): number {
    if (!this.contains(addr, len)) throw new GuestMemoryError(addr, len);
    return addr - this.base;
  }

  /** A live view of [addr, addr+len); throws when out of range. */
  slice(addr: number, len: number): Uint8Array {
    const off = this.offset(addr, len);
    return this.bytes.subarray(off, off + len);
  }

  write(addr: number, data: Uint8Array): void {
    const off = this.offset(addr, data.length);
    this.bytes.set(data, off);
    if (data.length > 0) this.markDirty(off, data.length);
  }

  read32(addr: number): number {
    return this.view.getUint32(this.offset(addr, 4), true);
  }
  write32(addr: number, v: number): void {
    const off = this.offset(addr, 4);
    this.view.setUint32(off, v >>> 0, true);
    this.markDirty(off, 4);
  }
  read64(addr: number): bigint {
    return this.view.getBigUint64(this.offset(addr, 8), true);
  }
  write64(addr: number, v: bigint): void {
    const off = this.offset(addr, 8);
    this.view.setBigUint64(off, BigInt.asUintN(64, v), true);
    this.markDirty(off, 8);
  }
}
