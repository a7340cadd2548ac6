// Goldfish RTC, the real-time clock of Android's "goldfish" virtual platform (devicetree
// `google,goldfish-rtc`): a 64-bit nanosecond wall clock since the Unix epoch and one alarm
// (Android emulator GOLDFISH-VIRTUAL-HARDWARE.TXT, "Goldfish real-time clock"; Linux rtc-goldfish).

import type { MmioDevice } from '../../memory/bus.js';
import type { IrqLine } from '../irq.js';

/** Size of the MMIO window the `virt` board gives the RTC. */
export const GOLDFISH_RTC_SIZE = 0x1000;

const RTC_TIME_LOW = 0x00;
const RTC_TIME_HIGH = 0x04;
const RTC_ALARM_LOW = 0x08;
const RTC_ALARM_HIGH = 0x0c;
const RTC_IRQ_ENABLED = 0x10;
const RTC_CLEAR_ALARM = 0x14;
const RTC_ALARM_STATUS = 0x18;
const RTC_CLEAR_INTERRUPT = 0x1c;

const U32_MASK = 0xffffffffn;

/** A 32-bit register: what a guest read and write do. */
interface RtcRegister {
  readonly offset: number;
  readonly name: string;
  read(): number;
  write(value: number): void;
}

/** Snapshot of a {@link GoldfishRtc}; 64-bit values are decimal strings. */
export interface GoldfishRtcState {
  version: 1;
  /** Guest time minus host time, in ns (signed). */
  offsetNs: string;
  /** TIME_HIGH as latched by the last TIME_LOW read. */
  timeHighLatch: number;
  /** TIME_HIGH as last written, used by the next TIME_LOW write. */
  timeHighWritten: number;
  alarmNs: string;
  alarmArmed: boolean;
  irqEnabled: boolean;
  irqPending: boolean;
}

/**
 * The RTC. Guest time is `nowNs() + offset`; writing TIME_HIGH then TIME_LOW sets it (the low
 * write commits). Writing ALARM_HIGH then ALARM_LOW arms the alarm (the low write arms). When guest
 * time reaches an armed alarm, it disarms (ALARM_STATUS reads 0) and latches the interrupt, which
 * drives the IRQ line while IRQ_ENABLED is 1, until CLEAR_INTERRUPT. Alarms are checked on every
 * register access and on {@link poll}. Accesses other than aligned 32-bit ones to the 8
 * registers read 0 and are ignored.
 */
export class GoldfishRtc implements MmioDevice {
  private offsetNs = 0n;
  private timeHighLatch = 0;
  private timeHighWritten = 0;
  private alarmNs = 0n;
  private alarmArmed = false;
  private irqEnabled = false;
  private irqPending = false;
  private irqLevel = false;

  private readonly regs: ReadonlyMap<number, RtcRegister>;

  /**
   * @param nowNs host wall-clock time in ns since the Unix epoch (the board passes host time).
   * @param irq the alarm interrupt output.
   */
  constructor(
    private readonly nowNs: () => bigint,
    private readonly irq: IrqLine,
  ) {
    const table: RtcRegister[] = [
      {
        offset: RTC_TIME_LOW,
        name: 'TIME_LOW',
        read: () => this.readTimeLow(),
        write: (v) => this.setTime(v),
      },
      {
        offset: RTC_TIME_HIGH,
        name: 'TIME_HIGH',
        read: () => this.timeHighLatch,
        write: (v) => (this.timeHighWritten = v),
      },
      {
        offset: RTC_ALARM_LOW,
        name: 'ALARM_LOW',
        read: () => Number(this.alarmNs & U32_MASK),
        write: (v) => this.armAlarm(v),
      },
      {
        offset: RTC_ALARM_HIGH,
        name: 'ALARM_HIGH',
        read: () => Number(this.alarmNs >> 32n),
        write: (v) => (this.alarmNs = (BigInt(v) << 32n) | (this.alarmNs & U32_MASK)),
      },
      {
        offset: RTC_IRQ_ENABLED,
        name: 'IRQ_ENABLED',
        read: () => (this.irqEnabled ? 1 : 0),
        write: (v) => (this.irqEnabled = (v & 1) !== 0),
      },
      { offset: RTC_CLEAR_ALARM, name: 'CLEAR_ALARM', read: () => 0, write: () => (this.alarmArmed = false) },
      {
        offset: RTC_ALARM_STATUS,
        name: 'ALARM_STATUS',
        read: () => (this.alarmArmed ? 1 : 0),
        write: () => {},
      },
      {
        offset: RTC_CLEAR_INTERRUPT,
        name: 'CLEAR_INTERRUPT',
        read: () => 0,
        write: () => (this.irqPending = false),
      },
    ];
    this.regs = new Map(table.map((r) => [r.offset, r]));
  }

  /** Current guest time in ns since the Unix epoch (wraps at 2^64 like the 64-bit register). */
  timeNs(): bigint {
    return BigInt.asUintN(64, this.nowNs() + this.offsetNs);
  }

  /** Fire the alarm if it is due. The board calls this between instruction slices. */
  poll(): void {
    if (this.alarmArmed && this.timeNs() >= this.alarmNs) {
      this.alarmArmed = false;
      this.irqPending = true;
    }
    this.updateIrq();
  }

  /** Nanoseconds until the armed alarm is due: 0 if due now, Infinity if none is armed. */
  nsToNextAlarm(): number {
    if (!this.alarmArmed) return Infinity;
    const d = this.alarmNs - this.timeNs();
    return d <= 0n ? 0 : Number(d);
  }

  read(offset: number, size: number): number {
    const reg = size === 4 ? this.regs.get(offset) : undefined;
    if (reg === undefined) return 0;
    this.poll();
    return reg.read() >>> 0;
  }

  write(offset: number, size: number, value: number): void {
    const reg = size === 4 ? this.regs.get(offset) : undefined;
    if (reg === undefined) return;
    this.poll();
    reg.write(value >>> 0);
    this.poll();
  }

  private readTimeLow(): number {
    const t = this.timeNs();
    this.timeHighLatch = Number(t >> 32n);
    return Number(t & U32_MASK);
  }

  private setTime(low: number): void {
    const t = (BigInt(this.timeHighWritten) << 32n) | BigInt(low);
    this.offsetNs = t - this.nowNs();
  }

  private armAlarm(low: number): void {
    this.alarmNs = (this.alarmNs & ~U32_MASK) | BigInt(low);
    this.alarmArmed = true;
  }

  private updateIrq(force = false): void {
    const level = this.irqPending && this.irqEnabled;
    if (level !== this.irqLevel || force) {
      this.irqLevel = level;
      this.irq.set(level);
    }
  }

  save(): GoldfishRtcState {
    return {
      version: 1,
      offsetNs: this.offsetNs.toString(),
      timeHighLatch: this.timeHighLatch,
      timeHighWritten: this.timeHighWritten,
      alarmNs: this.alarmNs.toString(),
      alarmArmed: this.alarmArmed,
      irqEnabled: this.irqEnabled,
      irqPending: this.irqPending,
    };
  }

  /**
   * Load a snapshot. The saved offset is kept, so guest time keeps following host wall-clock time
   * across the pause (as a battery-backed RTC would). Drives the IRQ line to the restored level.
   */
  restore(s: GoldfishRtcState): void {
    if (s.version !== 1) throw new Error(`RTC state version ${String(s.version)} is not supported`);
    this.offsetNs = BigInt(s.offsetNs);
    this.timeHighLatch = s.timeHighLatch >>> 0;
    this.timeHighWritten = s.timeHighWritten >>> 0;
    this.alarmNs = BigInt.asUintN(64, BigInt(s.alarmNs));
    this.alarmArmed = s.alarmArmed;
    this.irqEnabled = s.irqEnabled;
    this.irqPending = s.irqPending;
    this.updateIrq(true);
    this.poll();
  }
}
