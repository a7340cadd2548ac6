// NS16550A UART with 16-byte FIFOs, as driven by Linux's 8250 driver and its earlycon
// (devicetree `ns16550a`, reg-shift 0, reg-io-width 1). Written from the National/TI PC16550D
// datasheet: register summary (Table II), FIFO control, interrupt priorities (Table IV), loopback.

import type { CharBackend } from '../../backends/char.js';
import type { MmioDevice } from '../../memory/bus.js';
import type { IrqLine } from '../irq.js';

/** Size of the MMIO window the `virt` board gives the UART (8 byte registers, the rest reads 0). */
export const UART16550_SIZE = 0x100;

/** Depth of the receiver and transmitter FIFOs (datasheet §8.6). */
export const UART_FIFO_BYTES = 16;
/**
 * Host input held for a guest that has not read it yet, in bytes: enough for any paste, small
 * enough that `yes | tsvirt run` cannot grow the host's memory while the guest boots.
 */
export const UART_HOST_INPUT_MAX_BYTES = 64 * 1024;

// Register offsets (reg-shift 0). With LCR.DLAB set, offsets 0 and 1 are DLL/DLM.
const UART_RBR_THR = 0;
const UART_IER = 1;
const UART_DLL = 0;
const UART_DLM = 1;
const UART_IIR_FCR = 2;
const UART_LCR = 3;
const UART_MCR = 4;
const UART_LSR = 5;
const UART_MSR = 6;
const UART_SCR = 7;

// IER: interrupt enables; bits 7:4 are always 0.
const IER_ERBFI = 0x01; // received data available (and character timeout)
const IER_ETBEI = 0x02; // transmitter holding register empty
const IER_ELSI = 0x04; // receiver line status
const IER_EDSSI = 0x08; // modem status
const IER_MASK = 0x0f;

// IIR: bit 0 is 0 while an interrupt is pending; bits 3:1 identify it; 7:6 set in FIFO mode.
const IIR_NO_INT = 0x01;
const IIR_RLS = 0x06; // priority 1: OE, PE, FE or BI
const IIR_RDA = 0x04; // priority 2: data at or above the trigger level
const IIR_CTI = 0x0c; // priority 2: character timeout (data below the trigger level)
const IIR_THRE = 0x02; // priority 3
const IIR_MSI = 0x00; // priority 4
const IIR_FIFOS_ENABLED = 0xc0;

// FCR: write-only. The reset bits clear themselves; the rest is programmed only with FCR0 = 1.
const FCR_FIFO_ENABLE = 0x01;
const FCR_RX_RESET = 0x02;
const FCR_DMA_MODE = 0x08;
const FCR_RX_TRIGGER_SHIFT = 6;
const FCR_RX_TRIGGER = 3 << FCR_RX_TRIGGER_SHIFT;
/** FCR bits that persist after a write (bit 1 and bit 2, the FIFO resets, clear themselves). */
const FCR_KEPT = FCR_FIFO_ENABLE | FCR_DMA_MODE | FCR_RX_TRIGGER;
/** Receiver trigger levels in bytes, indexed by FCR bits 7:6. */
const RX_TRIGGER_BYTES = [1, 4, 8, 14] as const;

const LCR_DLAB = 0x80;

// MCR: bits 7:5 are always 0.
const MCR_DTR = 0x01;
const MCR_RTS = 0x02;
const MCR_OUT1 = 0x04;
const MCR_OUT2 = 0x08;
const MCR_LOOP = 0x10;
const MCR_MASK = 0x1f;

const LSR_DR = 0x01;
const LSR_OE = 0x02;
const LSR_PE = 0x04;
const LSR_FE = 0x08;
const LSR_BI = 0x10;
const LSR_THRE = 0x20;
const LSR_TEMT = 0x40;
const LSR_ERRORS = LSR_OE | LSR_PE | LSR_FE | LSR_BI;

// MSR: bits 3:0 are change indicators (cleared on read), bits 7:4 the modem inputs.
const MSR_DCTS = 0x01;
const MSR_DDSR = 0x02;
const MSR_TERI = 0x04;
const MSR_DDCD = 0x08;
const MSR_CTS = 0x10;
const MSR_DSR = 0x20;
const MSR_RI = 0x40;
const MSR_DCD = 0x80;
const MSR_DELTAS = MSR_DCTS | MSR_DDSR | MSR_TERI | MSR_DDCD;
/** Modem inputs outside loopback: a peer that is always present and ready (no RI). */
const MSR_INPUTS_CONNECTED = MSR_CTS | MSR_DSR | MSR_DCD;

/** One byte-wide register: what a guest read and write do. */
interface UartRegister {
  readonly offset: number;
  readonly name: string;
  read(): number;
  write(value: number): void;
}

/** Index a register table by offset. */
function byOffset(table: UartRegister[]): UartRegister[] {
  const out: UartRegister[] = [];
  for (const r of table) out[r.offset] = r;
  return out;
}

/** Snapshot of a {@link Uart16550}. Byte arrays are plain numbers so the object is JSON-safe. */
export interface Uart16550State {
  version: 1;
  ier: number;
  lcr: number;
  mcr: number;
  scr: number;
  dll: number;
  dlm: number;
  /** FCR bits that persist: FIFO enable, DMA mode, receiver trigger. */
  fcr: number;
  /** LSR error bits (OE/PE/FE/BI) not yet cleared by an LSR read. */
  lsrErrors: number;
  /** MSR change bits 3:0 not yet cleared by an MSR read. */
  msrDeltas: number;
  /** The THRE interrupt latch (set when THR empties, cleared by IIR read or THR write). */
  threPending: boolean;
  /** Bytes in the receiver FIFO, oldest first. */
  rxFifo: number[];
  /** Host input not yet moved into the receiver FIFO, oldest first. */
  hostInput: number[];
}

/**
 * An NS16550A. Transmission is instantaneous: a THR write goes straight to the backend (or, in
 * loopback, to the receiver), so THR/TEMT are always empty and the transmitter FIFO never holds
 * data. Host input is queued without bound and moved into the 16-byte receiver FIFO as the guest
 * makes room, so no input is ever lost to a full FIFO. The interrupt output is a level: high
 * while any enabled interrupt condition is pending (the IIR would not read "no interrupt").
 */
export class Uart16550 implements MmioDevice {
  private ier = 0;
  private lcr = 0;
  private mcr = 0;
  private scr = 0;
  private dll = 0;
  private dlm = 0;
  private fcr = 0;
  private lsrErrors = 0;
  private msrDeltas = 0;
  private threPending = false;
  /** Modem inputs (MSR bits 7:4) as last seen, to detect changes for the delta bits. */
  private modemInputs = MSR_INPUTS_CONNECTED;

  private readonly rx = new Uint8Array(UART_FIFO_BYTES);
  private rxHead = 0;
  private rxCount = 0;

  /** Host input waiting for room in the receiver FIFO: chunks, the first consumed from `hostPos`. */
  private hostChunks: Uint8Array[] = [];
  private hostPos = 0;
  /** Bytes in `hostChunks` not yet moved into the receiver. */
  private hostBytes = 0;
  private inputPaused = false;
  /** Host input dropped because the guest left it unread past the bound and the backend can't wait. */
  droppedInputBytes = 0;

  private irqLevel = false;

  /** The register file by offset with LCR.DLAB = 0 (datasheet Table II). */
  private readonly regs: readonly UartRegister[] = byOffset([
    { offset: UART_RBR_THR, name: 'RBR/THR', read: () => this.readRbr(), write: (v) => this.writeThr(v) },
    { offset: UART_IER, name: 'IER', read: () => this.ier, write: (v) => this.writeIer(v) },
    { offset: UART_IIR_FCR, name: 'IIR/FCR', read: () => this.readIir(), write: (v) => this.writeFcr(v) },
    { offset: UART_LCR, name: 'LCR', read: () => this.lcr, write: (v) => (this.lcr = v) },
    { offset: UART_MCR, name: 'MCR', read: () => this.mcr, write: (v) => this.writeMcr(v) },
    // The datasheet reserves LSR and MSR writes for factory test: ignored.
    { offset: UART_LSR, name: 'LSR', read: () => this.readLsr(), write: () => {} },
    { offset: UART_MSR, name: 'MSR', read: () => this.readMsr(), write: () => {} },
    { offset: UART_SCR, name: 'SCR', read: () => this.scr, write: (v) => (this.scr = v) },
  ]);

  /** Offsets 0 and 1 while LCR.DLAB = 1: the baud-rate divisor latch (stored, otherwise unused). */
  private readonly divisorRegs: readonly UartRegister[] = byOffset([
    { offset: UART_DLL, name: 'DLL', read: () => this.dll, write: (v) => (this.dll = v) },
    { offset: UART_DLM, name: 'DLM', read: () => this.dlm, write: (v) => (this.dlm = v) },
  ]);

  constructor(
    private readonly backend: CharBackend,
    private readonly irq: IrqLine,
  ) {
    backend.onInput((bytes) => this.receive(bytes));
  }

  /** Only single-byte accesses to offsets 0..7 reach a register; anything else reads 0. */
  read(offset: number, size: number): number {
    const reg = this.register(offset, size);
    return reg === undefined ? 0 : reg.read();
  }

  /** Only single-byte accesses to offsets 0..7 reach a register; anything else is ignored. */
  write(offset: number, size: number, value: number): void {
    this.register(offset, size)?.write(value & 0xff);
  }

  private register(offset: number, size: number): UartRegister | undefined {
    if (size !== 1 || !Number.isInteger(offset) || offset < 0 || offset > UART_SCR) return undefined;
    if (this.lcr & LCR_DLAB && offset <= UART_DLM) return this.divisorRegs[offset];
    return this.regs[offset];
  }

  // --- Receiver ---

  /** Queue host input; it enters the receiver FIFO as room frees up. */
  private receive(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    // The guest decides whether it ever reads, so what waits for it is bounded: past the bound
    // the backend is asked to stop (stdin stops being read), and what it still sends is dropped,
    // as an overrun would drop it on real hardware.
    const room = UART_HOST_INPUT_MAX_BYTES - this.hostBytes;
    if (bytes.length > room) this.droppedInputBytes += bytes.length - Math.max(0, room);
    if (room > 0) {
      const kept = bytes.length > room ? bytes.subarray(0, room) : bytes;
      this.hostChunks.push(kept.slice());
      this.hostBytes += kept.length;
    }
    this.fillRxFromHost();
    this.updateIrq();
  }

  /** Ask the backend to stop or go on delivering, with hysteresis around the bound. */
  private updateInputFlow(): void {
    if (!this.inputPaused && this.hostBytes >= UART_HOST_INPUT_MAX_BYTES / 2) {
      this.inputPaused = true;
      this.backend.pauseInput?.(true);
    } else if (this.inputPaused && this.hostBytes < UART_HOST_INPUT_MAX_BYTES / 4) {
      this.inputPaused = false;
      this.backend.pauseInput?.(false);
    }
  }

  private get fifoEnabled(): boolean {
    return (this.fcr & FCR_FIFO_ENABLE) !== 0;
  }

  /** In 16450 mode (FIFOs disabled) the receiver holds a single byte in RBR. */
  private get rxCapacity(): number {
    return this.fifoEnabled ? UART_FIFO_BYTES : 1;
  }

  private get rxTriggerBytes(): number {
    return RX_TRIGGER_BYTES[this.fcr >>> FCR_RX_TRIGGER_SHIFT];
  }

  private rxPush(byte: number): void {
    this.rx[(this.rxHead + this.rxCount) % UART_FIFO_BYTES] = byte;
    this.rxCount++;
  }

  /**
   * Move waiting host bytes into the receiver. In loopback the serial input is disconnected. The
   * host honours RTS (MCR bit 1) as RTS/CTS flow control would: it sends nothing until the driver
   * raises RTS, which Linux does when the port is opened, after its start-up has reset the FIFO.
   * Without that, input piped in before the shell starts was thrown away by that reset.
   */
  private fillRxFromHost(): void {
    const sending = (this.mcr & (MCR_LOOP | MCR_RTS)) === MCR_RTS;
    while (sending && this.rxCount < this.rxCapacity && this.hostChunks.length > 0) {
      const chunk = this.hostChunks[0];
      this.rxPush(chunk[this.hostPos++]);
      this.hostBytes--;
      if (this.hostPos === chunk.length) {
        this.hostChunks.shift();
        this.hostPos = 0;
      }
    }
    this.updateInputFlow();
  }

  private readRbr(): number {
    if (this.rxCount === 0) return 0;
    const byte = this.rx[this.rxHead];
    this.rxHead = (this.rxHead + 1) % UART_FIFO_BYTES;
    this.rxCount--;
    this.fillRxFromHost();
    this.updateIrq();
    return byte;
  }

  private clearRx(): void {
    this.rxHead = 0;
    this.rxCount = 0;
  }

  // --- Transmitter ---

  private writeThr(value: number): void {
    // Writing THR clears a pending THRE interrupt; the byte leaves at once, so THR is empty again
    // and the interrupt re-arms (datasheet Table IV: THRE is set when THR becomes empty).
    this.threPending = false;
    if (this.mcr & MCR_LOOP) this.loopbackReceive(value);
    else this.backend.write(Uint8Array.of(value));
    this.thrEmptied();
    this.updateIrq();
  }

  /** Loopback: the transmitted byte arrives at the receiver; a full receiver overruns. */
  private loopbackReceive(value: number): void {
    if (this.rxCount < this.rxCapacity) {
      this.rxPush(value);
      return;
    }
    this.lsrErrors |= LSR_OE;
    // FIFO mode keeps the FIFO and loses the new byte; 16450 mode overwrites RBR.
    if (!this.fifoEnabled) this.rx[this.rxHead] = value;
  }

  private thrEmptied(): void {
    if (this.ier & IER_ETBEI) this.threPending = true;
  }

  // --- Control registers ---

  private writeIer(value: number): void {
    const old = this.ier;
    this.ier = value & IER_MASK;
    // Enabling ETBEI while THR is empty (always, here) raises the THRE interrupt; disabling it
    // drops the latch so a later enable starts afresh.
    if (this.ier & IER_ETBEI) {
      if (!(old & IER_ETBEI)) this.threPending = true;
    } else {
      this.threPending = false;
    }
    this.updateIrq();
  }

  private readIir(): number {
    const id = this.interruptId();
    // Reading IIR clears the THRE interrupt only when it is the one reported.
    if (id === IIR_THRE) {
      this.threPending = false;
      this.updateIrq();
    }
    return id | (this.fifoEnabled ? IIR_FIFOS_ENABLED : 0);
  }

  private writeFcr(value: number): void {
    const wasEnabled = this.fifoEnabled;
    const enable = (value & FCR_FIFO_ENABLE) !== 0;
    // Switching between FIFO and 16450 mode empties both FIFOs.
    if (enable !== wasEnabled) this.clearRx();
    if (enable) {
      if (value & FCR_RX_RESET) this.clearRx();
      // The transmitter FIFO reset (bit 2) has nothing to clear: that FIFO is always empty.
      this.fcr = value & FCR_KEPT;
    } else {
      // With FCR0 = 0 the other bits are not programmed.
      this.fcr = 0;
    }
    this.fillRxFromHost();
    this.updateIrq();
  }

  private writeMcr(value: number): void {
    this.mcr = value & MCR_MASK;
    this.updateModemInputs();
    this.fillRxFromHost();
    this.updateIrq();
  }

  private readLsr(): number {
    let lsr = this.lsrErrors | LSR_THRE | LSR_TEMT;
    if (this.rxCount > 0) lsr |= LSR_DR;
    // Bit 7 (error in RCVR FIFO) stays 0: received bytes never carry PE/FE/BI here.
    if (this.lsrErrors !== 0) {
      this.lsrErrors = 0;
      this.updateIrq();
    }
    return lsr;
  }

  /**
   * Modem inputs: in loopback, RTS→CTS, DTR→DSR, OUT1→RI, OUT2→DCD (datasheet §8.7); otherwise
   * a connected, ready peer.
   */
  private currentModemInputs(): number {
    if (!(this.mcr & MCR_LOOP)) return MSR_INPUTS_CONNECTED;
    let m = 0;
    if (this.mcr & MCR_RTS) m |= MSR_CTS;
    if (this.mcr & MCR_DTR) m |= MSR_DSR;
    if (this.mcr & MCR_OUT1) m |= MSR_RI;
    if (this.mcr & MCR_OUT2) m |= MSR_DCD;
    return m;
  }

  private updateModemInputs(): void {
    const now = this.currentModemInputs();
    const changed = now ^ this.modemInputs;
    if (changed & MSR_CTS) this.msrDeltas |= MSR_DCTS;
    if (changed & MSR_DSR) this.msrDeltas |= MSR_DDSR;
    if (changed & MSR_DCD) this.msrDeltas |= MSR_DDCD;
    // TERI marks the trailing edge of ring: RI going from asserted to not asserted.
    if (changed & MSR_RI && !(now & MSR_RI)) this.msrDeltas |= MSR_TERI;
    this.modemInputs = now;
  }

  private readMsr(): number {
    const msr = this.modemInputs | this.msrDeltas;
    if (this.msrDeltas !== 0) {
      this.msrDeltas = 0;
      this.updateIrq();
    }
    return msr;
  }

  // --- Interrupts ---

  /** The IIR identification of the highest-priority enabled pending interrupt (datasheet Table IV). */
  private interruptId(): number {
    if (this.ier & IER_ELSI && this.lsrErrors & LSR_ERRORS) return IIR_RLS;
    if (this.ier & IER_ERBFI && this.rxCount > 0) {
      // Transmission and reception are instantaneous, so the "no FIFO activity for 4 character
      // times" condition of the timeout interrupt holds as soon as data sits below the trigger.
      if (!this.fifoEnabled || this.rxCount >= this.rxTriggerBytes) return IIR_RDA;
      return IIR_CTI;
    }
    if (this.ier & IER_ETBEI && this.threPending) return IIR_THRE;
    if (this.ier & IER_EDSSI && this.msrDeltas & MSR_DELTAS) return IIR_MSI;
    return IIR_NO_INT;
  }

  private updateIrq(force = false): void {
    const level = this.interruptId() !== IIR_NO_INT;
    if (level !== this.irqLevel || force) {
      this.irqLevel = level;
      this.irq.set(level);
    }
  }

  // --- Snapshot ---

  save(): Uart16550State {
    const rxFifo: number[] = [];
    for (let i = 0; i < this.rxCount; i++) rxFifo.push(this.rx[(this.rxHead + i) % UART_FIFO_BYTES]);
    const hostInput: number[] = [];
    this.hostChunks.forEach((chunk, i) => {
      for (let j = i === 0 ? this.hostPos : 0; j < chunk.length; j++) hostInput.push(chunk[j]);
    });
    return {
      version: 1,
      ier: this.ier,
      lcr: this.lcr,
      mcr: this.mcr,
      scr: this.scr,
      dll: this.dll,
      dlm: this.dlm,
      fcr: this.fcr,
      lsrErrors: this.lsrErrors,
      msrDeltas: this.msrDeltas,
      threPending: this.threPending,
      rxFifo,
      hostInput,
    };
  }

  /** Load a snapshot taken by {@link save}; drives the interrupt line to the restored level. */
  restore(s: Uart16550State): void {
    if (s.version !== 1) throw new Error(`UART state version ${String(s.version)} is not supported`);
    const byte = (v: number): number => v & 0xff;
    this.ier = s.ier & IER_MASK;
    this.lcr = byte(s.lcr);
    this.mcr = s.mcr & MCR_MASK;
    this.scr = byte(s.scr);
    this.dll = byte(s.dll);
    this.dlm = byte(s.dlm);
    this.fcr = s.fcr & FCR_FIFO_ENABLE ? s.fcr & FCR_KEPT : 0;
    this.lsrErrors = s.lsrErrors & LSR_ERRORS;
    this.msrDeltas = s.msrDeltas & MSR_DELTAS;
    this.threPending = s.threPending && (this.ier & IER_ETBEI) !== 0;
    this.modemInputs = this.currentModemInputs();
    this.clearRx();
    // Bytes beyond the receiver's capacity go back to the host queue rather than being lost.
    const rxBytes = s.rxFifo.map(byte);
    const keep = Math.min(rxBytes.length, this.rxCapacity);
    for (let i = 0; i < keep; i++) this.rxPush(rxBytes[i]);
    const waiting = [...rxBytes.slice(keep), ...s.hostInput.map(byte)];
    const kept = waiting.slice(0, UART_HOST_INPUT_MAX_BYTES);
    this.hostChunks = kept.length > 0 ? [Uint8Array.from(kept)] : [];
    this.hostPos = 0;
    this.hostBytes = kept.length;
    this.fillRxFromHost();
    this.updateIrq(true);
  }
}
