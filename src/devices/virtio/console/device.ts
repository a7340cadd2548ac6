// virtio-console, virtio 1.2 §5.3, as a single port (hvc0 under Linux): receiveq 0 and
// transmitq 1, no VIRTIO_CONSOLE_F_MULTIPORT. Optional console size (F_SIZE) and emergency write.

import type { CharBackend, CharOutputFlow } from '../../../backends/char.js';
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

const KiB = 1024;
/**
 * Most output bytes taken from one transmit chain; the rest of a longer chain is dropped and
 * counted. Linux sends at most a page per chain for hvc (32 KiB on multiport ports), so only a
 * chain made to hurt is cut, and a chain describing 4 GiB over one page costs 64 KiB of host
 * memory, not 4 GiB.
 */
export const VIRTIO_CONSOLE_TX_CHAIN_MAX_BYTES = 64 * KiB;
/**
 * Output a flow-controlled backend may hold before the device stops taking transmit chains:
 * 256 KiB, seconds of text at terminal speed. The backlog can pass it by one chain at most.
 */
export const VIRTIO_CONSOLE_TX_BACKLOG_BYTES = 256 * KiB;
/**
 * Host input kept for a guest that posts no receive buffers: 1 MiB, far more than anyone types
 * or pastes; beyond it, input is dropped and counted.
 */
export const VIRTIO_CONSOLE_INPUT_LIMIT_BYTES = 1024 * KiB;

/** Options of a {@link VirtioConsole}. */
export interface VirtioConsoleOptions {
  /** Offer VIRTIO_CONSOLE_F_SIZE with this initial size in character cells. */
  size?: { cols: number; rows: number };
  /** The backend's output flow control, when it has one. */
  outputFlow?: CharOutputFlow;
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
 * notifies, at most {@link VIRTIO_CONSOLE_TX_CHAIN_MAX_BYTES} per chain. With an
 * {@link CharOutputFlow}, the device stops taking transmit chains while the backend holds
 * {@link VIRTIO_CONSOLE_TX_BACKLOG_BYTES} or more, leaving them in the ring (the guest's writes
 * wait, as on a slow serial line), and resumes when it drains. Host input is queued, up to
 * {@link VIRTIO_CONSOLE_INPUT_LIMIT_BYTES}, and written into receiveq buffers as the driver
 * supplies them; the queue survives device resets.
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
  /** Bytes in `input` not yet delivered. */
  private inputBytes = 0;
  private readonly outputFlow: CharOutputFlow | undefined;
  /** A drain callback is registered with `outputFlow`. */
  private awaitingDrain = false;
  private inputDropped = 0;
  private outputDropped = 0;

  constructor(
    private readonly backend: CharBackend,
    options: VirtioConsoleOptions = {},
  ) {
    this.outputFlow = options.outputFlow;
    const size = options.size;
    this.features = (1n << VIRTIO_CONSOLE_F_EMERG_WRITE) | (size ? 1n << VIRTIO_CONSOLE_F_SIZE : 0n);
    this.cols = size ? size.cols & 0xffff : 0;
    this.rows = size ? size.rows & 0xffff : 0;
    backend.onInput((bytes) => this.receive(bytes));
  }

  /** Bytes of host input not yet delivered to the guest. */
  get pendingInputBytes(): number {
    return this.inputBytes;
  }

  /** Host input dropped because the guest left more than the limit undelivered. */
  get droppedInputBytes(): number {
    return this.inputDropped;
  }

  /** Guest output dropped: chains beyond the per-chain cap, emergency writes to a full backlog. */
  get droppedOutputBytes(): number {
    return this.outputDropped;
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

  /**
   * Only emerg_wr is writable: its low byte goes to the backend, at any time (§5.3.5.1), unless
   * the backend's backlog is full (it is then dropped: a guest looping on emerg_wr must not grow
   * it without bound).
   */
  writeConfig(offset: number, size: number, value: number): boolean {
    if (offset !== CONFIG_EMERG_WR || !(size === 1 || size === 2 || size === 4)) return false;
    if (this.backlogFull()) this.outputDropped++;
    else this.backend.write(Uint8Array.of(value & 0xff));
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
    const take = Math.min(bytes.length, VIRTIO_CONSOLE_INPUT_LIMIT_BYTES - this.inputBytes);
    this.inputDropped += bytes.length - take;
    if (take > 0) {
      this.input.push(bytes.slice(0, take));
      this.inputBytes += take;
    }
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
        this.inputBytes -= n;
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

  /** Send transmit chains' readable bytes to the backend while its backlog allows. */
  private transmit(): void {
    const ctx = this.ctx;
    const q = ctx?.queues[TRANSMITQ];
    if (ctx === undefined || q === undefined) return;
    let used = false;
    while (!this.backlogFull()) {
      const chain = q.pop();
      if (chain === undefined) break;
      const total = chainLength(chain.readable);
      const n = Math.min(total, VIRTIO_CONSOLE_TX_CHAIN_MAX_BYTES);
      // readChain copies, so the backend may keep the bytes after the guest reuses the buffer.
      if (n > 0) this.backend.write(readChain(ctx.mem, chain.readable, 0, n));
      this.outputDropped += total - n;
      q.push(chain, 0);
      used = true;
    }
    if (used) q.notify();
  }

  /** The backend holds its bound of output: wait for it to drain (and arrange to be told). */
  private backlogFull(): boolean {
    const flow = this.outputFlow;
    if (flow === undefined || flow.pendingOutputBytes < VIRTIO_CONSOLE_TX_BACKLOG_BYTES) return false;
    if (!this.awaitingDrain) {
      this.awaitingDrain = true;
      flow.onOutputDrained(() => {
        this.awaitingDrain = false;
        this.transmit();
      });
    }
    return true;
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
    // A snapshot from before the limit existed (or made by hand) keeps the oldest input that fits.
    const kept = s.pendingInput.slice(0, VIRTIO_CONSOLE_INPUT_LIMIT_BYTES);
    this.inputDropped += s.pendingInput.length - kept.length;
    this.input = kept.length > 0 ? [Uint8Array.from(kept, (b) => b & 0xff)] : [];
    this.inputPos = 0;
    this.inputBytes = kept.length;
    this.deliver();
  }
}
