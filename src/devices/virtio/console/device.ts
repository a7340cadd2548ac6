// virtio-console, virtio 1.2 §5.3, as a single port (hvc0 under Linux): receiveq 0 and
// transmitq 1, no VIRTIO_CONSOLE_F_MULTIPORT. Optional console size (F_SIZE) and emergency write.

import type { CharBackend } from '../../../backends/char.js';
import { chainLength, readChain, writeChain } from '../chain.js';
import { VIRTIO_ID_CONSOLE, type VirtioContext, type VirtioDevice } from '../types.js';

/** Feature bits (§5.3.3). */
export const VIRTIO_CONSOLE_F_SIZE = 0n;
export const VIRTIO_CONSOLE_F_MULTIPORT = 1n;
export const VIRTIO_CONSOLE_F_EMERG_WRITE = 2n;

/** QueueNumMax of both queues. */
export const VIRTIO_CONSOLE_QUEUE_SIZE = 128;

/** Queue numbers of port 0 (§5.3.2). */
const RECEIVEQ = 0;
const TRANSMITQ = 1;

/** struct virtio_console_config (§5.3.4): le16 cols, le16 rows, le32 max_nr_ports, le32 emerg_wr. */
const CONFIG_COLS = 0;
const CONFIG_ROWS = 2;
const CONFIG_MAX_NR_PORTS = 4;
const CONFIG_EMERG_WR = 8;
const CONFIG_BYTES = 12;

/** Output is copied out of guest memory in pieces of at most this many bytes. */
const TX_CHUNK_BYTES = 64 * 1024;

/** Options of a {@link VirtioConsole}. */
export interface VirtioConsoleOptions {
  /** Offer VIRTIO_CONSOLE_F_SIZE with this initial size in character cells. */
  size?: { cols: number; rows: number };
}

/** Snapshot of a {@link VirtioConsole}. Byte arrays are plain numbers so the object is JSON-safe. */
export interface VirtioConsoleState {
  version: 1;
  cols: number;
  rows: number;
  /** Host input not yet delivered to the guest, oldest first. */
  pendingInput: number[];
}

/**
 * A console port 0. Guest output on the transmitq goes to the backend as soon as the driver
 * notifies. Host input is queued without bound and written into receiveq buffers as the driver
 * supplies them, so nothing typed is lost; the queue survives device resets.
 */
export class VirtioConsole implements VirtioDevice {
  readonly deviceId = VIRTIO_ID_CONSOLE;
  readonly queueMaxSizes: readonly number[] = [VIRTIO_CONSOLE_QUEUE_SIZE, VIRTIO_CONSOLE_QUEUE_SIZE];
  readonly features: bigint;

  private cols: number;
  private rows: number;
  private ctx: VirtioContext | undefined;
  /** Host input waiting for receive buffers: chunks, the first consumed from `inputPos`. */
  private input: Uint8Array[] = [];
  private inputPos = 0;

  constructor(
    private readonly backend: CharBackend,
    options: VirtioConsoleOptions = {},
  ) {
    const size = options.size;
    this.features = (1n << VIRTIO_CONSOLE_F_EMERG_WRITE) | (size ? 1n << VIRTIO_CONSOLE_F_SIZE : 0n);
    this.cols = size ? size.cols & 0xffff : 0;
    this.rows = size ? size.rows & 0xffff : 0;
    backend.onInput((bytes) => this.receive(bytes));
  }

  /** Bytes of host input not yet delivered to the guest. */
  get pendingInputBytes(): number {
    let n = 0;
    for (const c of this.input) n += c.length;
    return n - this.inputPos;
  }

  // --- Configuration space ---

  private configBytes(): Uint8Array {
    const b = new Uint8Array(CONFIG_BYTES);
    const v = new DataView(b.buffer);
    v.setUint16(CONFIG_COLS, this.cols, true);
    v.setUint16(CONFIG_ROWS, this.rows, true);
    v.setUint32(CONFIG_MAX_NR_PORTS, 1, true);
    // emerg_wr is write-only in effect: it reads 0.
    return b;
  }

  readConfig(offset: number, size: number): number {
    if (!(size === 1 || size === 2 || size === 4) || offset < 0 || offset + size > CONFIG_BYTES) return 0;
    const v = new DataView(this.configBytes().buffer);
    return size === 1
      ? v.getUint8(offset)
      : size === 2
        ? v.getUint16(offset, true)
        : v.getUint32(offset, true);
  }

  /** Only emerg_wr is writable: its low byte goes to the backend, at any time (§5.3.5.1). */
  writeConfig(offset: number, size: number, value: number): boolean {
    if (offset !== CONFIG_EMERG_WR || !(size === 1 || size === 2 || size === 4)) return false;
    this.backend.write(Uint8Array.of(value & 0xff));
    return true;
  }

  /** The host terminal changed size: update the config and tell a driver that negotiated F_SIZE. */
  resize(cols: number, rows: number): void {
    if (!(this.features & (1n << VIRTIO_CONSOLE_F_SIZE))) return;
    this.cols = cols & 0xffff;
    this.rows = rows & 0xffff;
    if (this.ctx !== undefined && this.ctx.features & (1n << VIRTIO_CONSOLE_F_SIZE)) this.ctx.configChanged();
  }

  // --- Lifecycle ---

  activate(ctx: VirtioContext): void {
    this.ctx = ctx;
    this.transmit();
    this.deliver();
  }

  queueNotify(index: number): void {
    if (index === TRANSMITQ) this.transmit();
    else if (index === RECEIVEQ) this.deliver();
  }

  reset(): void {
    this.ctx = undefined;
  }

  // --- Data path (§5.3.6) ---

  private receive(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    this.input.push(bytes.slice());
    this.deliver();
  }

  /** Move pending input into receive buffers while both exist. */
  private deliver(): void {
    const ctx = this.ctx;
    const q = ctx?.queues[RECEIVEQ];
    if (ctx === undefined || q === undefined) return;
    let used = false;
    while (this.input.length > 0) {
      const chain = q.pop();
      if (chain === undefined) break;
      // Readable buffers in a receiveq are a driver error (§5.3.6.1); they are skipped.
      const room = chainLength(chain.writable);
      let written = 0;
      while (written < room && this.input.length > 0) {
        const chunk = this.input[0];
        const piece = chunk.subarray(this.inputPos, this.inputPos + (room - written));
        const n = writeChain(ctx.mem, chain.writable, written, piece);
        written += n;
        this.inputPos += n;
        if (this.inputPos === chunk.length) {
          this.input.shift();
          this.inputPos = 0;
        }
        if (n < piece.length) break;
      }
      q.push(chain, written);
      used = true;
    }
    if (used) q.notify();
  }

  /** Send every transmit chain's readable bytes to the backend. */
  private transmit(): void {
    const ctx = this.ctx;
    const q = ctx?.queues[TRANSMITQ];
    if (ctx === undefined || q === undefined) return;
    let used = false;
    for (let chain = q.pop(); chain !== undefined; chain = q.pop()) {
      const total = chainLength(chain.readable);
      for (let off = 0; off < total; off += TX_CHUNK_BYTES) {
        // readChain copies, so the backend may keep the bytes after the guest reuses the buffer.
        this.backend.write(readChain(ctx.mem, chain.readable, off, TX_CHUNK_BYTES));
      }
      q.push(chain, 0);
      used = true;
    }
    if (used) q.notify();
  }

  // --- Snapshot ---

  save(): VirtioConsoleState {
    const pendingInput: number[] = [];
    this.input.forEach((chunk, i) => {
      for (let j = i === 0 ? this.inputPos : 0; j < chunk.length; j++) pendingInput.push(chunk[j]);
    });
    return { version: 1, cols: this.cols, rows: this.rows, pendingInput };
  }

  /**
   * Load a snapshot taken by {@link save}. Call after the transport's restore: pending input is
   * delivered at once if the restored receiveq has buffers.
   */
  restore(s: VirtioConsoleState): void {
    if (s.version !== 1)
      throw new Error(`virtio-console state version ${String(s.version)} is not supported`);
    this.cols = s.cols & 0xffff;
    this.rows = s.rows & 0xffff;
    this.input = s.pendingInput.length > 0 ? [Uint8Array.from(s.pendingInput, (b) => b & 0xff)] : [];
    this.inputPos = 0;
    this.deliver();
  }
}
