// Goldfish RTC checked against the goldfish virtual hardware description and the way Linux's
// rtc-goldfish uses it: TIME_LOW latches TIME_HIGH, HIGH-then-LOW writes set time and alarm, the
// alarm disarms and latches an interrupt gated by IRQ_ENABLED until CLEAR_INTERRUPT.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { IrqLine } from '../irq.js';
import { GoldfishRtc } from './rtc.js';

const TIME_LOW = 0x00;
const TIME_HIGH = 0x04;
const ALARM_LOW = 0x08;
const ALARM_HIGH = 0x0c;
const IRQ_ENABLED = 0x10;
const CLEAR_ALARM = 0x14;
const ALARM_STATUS = 0x18;
const CLEAR_INTERRUPT = 0x1c;

class Line implements IrqLine {
  level = false;
  set(level: boolean): void {
    this.level = level;
  }
}

/** A host clock the test moves by hand. */
class FakeClock {
  constructor(public ns: bigint) {}
  readonly now = (): bigint => this.ns;
}

function setup(startNs = 1_700_000_000_123_456_789n): { rtc: GoldfishRtc; clock: FakeClock; irq: Line } {
  const clock = new FakeClock(startNs);
  const irq = new Line();
  return { rtc: new GoldfishRtc(clock.now, irq), clock, irq };
}

const rd = (r: GoldfishRtc, off: number): number => r.read(off, 4);
const wr = (r: GoldfishRtc, off: number, v: number): void => r.write(off, 4, v);

/** The Linux read_time sequence: TIME_LOW, then TIME_HIGH. */
function readTime(r: GoldfishRtc): bigint {
  const lo = BigInt(rd(r, TIME_LOW));
  const hi = BigInt(rd(r, TIME_HIGH));
  return (hi << 32n) | lo;
}

/** The Linux set_alarm sequence: ALARM_HIGH, ALARM_LOW, IRQ_ENABLED = 1. */
function setAlarm(r: GoldfishRtc, ns: bigint): void {
  wr(r, ALARM_HIGH, Number(ns >> 32n));
  wr(r, ALARM_LOW, Number(ns & 0xffffffffn));
  wr(r, IRQ_ENABLED, 1);
}

test('reads return host wall-clock time in ns', () => {
  const { rtc, clock } = setup();
  assert.equal(readTime(rtc), clock.ns);
  clock.ns += 5_000_000_000n;
  assert.equal(readTime(rtc), clock.ns);
  assert.equal(rtc.timeNs(), clock.ns);
});

test('reading TIME_LOW latches TIME_HIGH, so a carry between the reads cannot tear the value', () => {
  const { rtc, clock } = setup((7n << 32n) | 0xfffffff0n);
  assert.equal(rd(rtc, TIME_LOW), 0xfffffff0);
  clock.ns += 0x20n;
  assert.equal(rd(rtc, TIME_HIGH), 7, 'the high word of the TIME_LOW sample, not of now');
  assert.equal(rd(rtc, TIME_HIGH), 7);
  assert.equal(rd(rtc, TIME_LOW), 0x10);
  assert.equal(rd(rtc, TIME_HIGH), 8);
});

test('writing TIME_HIGH then TIME_LOW sets the time, which then follows the host clock', () => {
  const { rtc, clock } = setup();
  const t = 946_684_800_000_000_000n; // 2000-01-01
  wr(rtc, TIME_HIGH, Number(t >> 32n));
  assert.notEqual(readTime(rtc), t, 'the high write alone does not set the time');
  wr(rtc, TIME_LOW, Number(t & 0xffffffffn));
  assert.equal(readTime(rtc), t);
  clock.ns += 1234n;
  assert.equal(readTime(rtc), t + 1234n);
});

test('an alarm fires when due: status drops, the interrupt is latched until CLEAR_INTERRUPT', () => {
  const { rtc, clock, irq } = setup();
  const due = clock.ns + 1_000_000n;
  setAlarm(rtc, due);
  assert.equal(rd(rtc, ALARM_STATUS), 1);
  assert.equal(rd(rtc, IRQ_ENABLED), 1);
  assert.equal(rd(rtc, ALARM_LOW), Number(due & 0xffffffffn));
  assert.equal(rd(rtc, ALARM_HIGH), Number(due >> 32n));
  assert.equal(rtc.nsToNextAlarm(), 1_000_000);
  clock.ns += 999_999n;
  rtc.poll();
  assert.equal(irq.level, false);
  assert.equal(rtc.nsToNextAlarm(), 1);
  clock.ns += 3n;
  assert.equal(rtc.nsToNextAlarm(), 0, 'overdue but not yet polled: due now, never negative');
  rtc.poll();
  assert.equal(irq.level, true);
  assert.equal(rd(rtc, ALARM_STATUS), 0, 'a fired alarm is no longer armed');
  assert.equal(rtc.nsToNextAlarm(), Infinity);
  clock.ns += 1_000_000n;
  rtc.poll();
  assert.equal(irq.level, true, 'latched');
  wr(rtc, CLEAR_INTERRUPT, 1);
  assert.equal(irq.level, false);
  rtc.poll();
  assert.equal(irq.level, false, 'fires once');
});

test('an alarm in the past fires at once; IRQ_ENABLED gates the line, not the latch', () => {
  const { rtc, clock, irq } = setup();
  wr(rtc, IRQ_ENABLED, 0);
  wr(rtc, ALARM_HIGH, Number((clock.ns - 1n) >> 32n));
  wr(rtc, ALARM_LOW, Number((clock.ns - 1n) & 0xffffffffn));
  assert.equal(rd(rtc, ALARM_STATUS), 0);
  assert.equal(irq.level, false, 'interrupt disabled');
  wr(rtc, IRQ_ENABLED, 1);
  assert.equal(irq.level, true, 'enabling shows the latched interrupt');
  wr(rtc, IRQ_ENABLED, 0);
  assert.equal(irq.level, false);
});

test('CLEAR_ALARM disarms the alarm', () => {
  const { rtc, clock, irq } = setup();
  setAlarm(rtc, clock.ns + 10n);
  wr(rtc, CLEAR_ALARM, 1);
  assert.equal(rd(rtc, ALARM_STATUS), 0);
  assert.equal(rtc.nsToNextAlarm(), Infinity);
  clock.ns += 100n;
  rtc.poll();
  assert.equal(irq.level, false);
});

test('the alarm compares against guest time, after the guest set the clock', () => {
  const { rtc, clock, irq } = setup();
  const t = 1_000_000_000_000_000_000n;
  wr(rtc, TIME_HIGH, Number(t >> 32n));
  wr(rtc, TIME_LOW, Number(t & 0xffffffffn));
  setAlarm(rtc, t + 500n);
  assert.equal(rtc.nsToNextAlarm(), 500);
  clock.ns += 500n;
  rtc.poll();
  assert.equal(irq.level, true);
});

test('wrong sizes, misaligned and out-of-range offsets read 0 and are ignored', () => {
  const { rtc, clock } = setup();
  for (const [off, size] of [
    [TIME_LOW, 2],
    [TIME_LOW, 1],
    [TIME_LOW + 1, 4],
    [0x20, 4],
    [0xffc, 4],
    [-4, 4],
    [NaN, 4],
  ]) {
    assert.equal(rtc.read(off, size), 0);
    rtc.write(off, size, 0xffffffff);
  }
  rtc.write(IRQ_ENABLED, 2, 1);
  rtc.write(ALARM_LOW, 1, 0);
  assert.equal(rd(rtc, IRQ_ENABLED), 0);
  assert.equal(rd(rtc, ALARM_STATUS), 0);
  assert.equal(readTime(rtc), clock.ns);
  assert.equal(rd(rtc, CLEAR_ALARM), 0);
  assert.equal(rd(rtc, CLEAR_INTERRUPT), 0);
});

test('save and restore keep the offset from host time, the alarm and the interrupt', () => {
  const a = setup();
  const t = 946_684_800_000_000_000n;
  wr(a.rtc, TIME_HIGH, Number(t >> 32n));
  wr(a.rtc, TIME_LOW, Number(t & 0xffffffffn));
  setAlarm(a.rtc, t + 1_000n);
  const state = JSON.parse(JSON.stringify(a.rtc.save())) as ReturnType<GoldfishRtc['save']>;
  const b = setup(a.clock.ns + 400n); // 400 ns of host time passed while saved
  b.rtc.restore(state);
  assert.equal(readTime(b.rtc), t + 400n);
  assert.equal(rd(b.rtc, ALARM_STATUS), 1);
  assert.equal(b.rtc.nsToNextAlarm(), 600);
  b.clock.ns += 600n;
  b.rtc.poll();
  assert.equal(b.irq.level, true);
  const fired = b.rtc.save();
  const c = setup(b.clock.ns);
  c.rtc.restore(fired);
  assert.equal(c.irq.level, true, 'restore drives the line');
  assert.throws(() => c.rtc.restore({ ...fired, version: 2 as 1 }));
  const d = setup();
  d.irq.level = true;
  d.rtc.restore(setup().rtc.save());
  assert.equal(d.irq.level, false, 'restore drives a low line too');
});
