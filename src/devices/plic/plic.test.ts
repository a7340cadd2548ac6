// PLIC behaviour checked against riscv-plic-1.0.0: memory map, WARL priorities, gateways for
// level-triggered sources, threshold masking of notifications, claim (ties to the lowest ID, not
// affected by the threshold) and completion (ignored when the source is not enabled).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { IrqLine } from '../irq.js';
import { Plic, PlicConfigError, plicSize } from './plic.js';

class Line implements IrqLine {
  level = false;
  set(level: boolean): void {
    this.level = level;
  }
}

const priorityReg = (id: number): number => 4 * id;
const pendingReg = (word: number): number => 0x1000 + 4 * word;
const enableReg = (ctx: number, word: number): number => 0x2000 + 0x80 * ctx + 4 * word;
const thresholdReg = (ctx: number): number => 0x200000 + 0x1000 * ctx;
const claimReg = (ctx: number): number => 0x200004 + 0x1000 * ctx;

function setup(numSources = 95, numContexts = 2): { plic: Plic; out: Line[] } {
  const out = Array.from({ length: numContexts }, () => new Line());
  return { plic: new Plic({ numSources, contexts: out }), out };
}

const rd = (p: Plic, off: number): number => p.read(off, 4);
const wr = (p: Plic, off: number, v: number): void => p.write(off, 4, v);

/** Give `id` a priority and enable it for `ctx`. */
function arm(p: Plic, ctx: number, id: number, priority = 1): void {
  wr(p, priorityReg(id), priority);
  const w = enableReg(ctx, id >>> 5);
  wr(p, w, rd(p, w) | (1 << (id & 31)));
}

test('plicSize covers the threshold/claim block of every context', () => {
  assert.equal(plicSize(1), 0x201000);
  assert.equal(plicSize(2), 0x202000);
  assert.equal(plicSize(16), 0x210000);
  const { plic } = setup(31, 3);
  wr(plic, thresholdReg(2), 5);
  assert.equal(rd(plic, thresholdReg(2)), 5, 'the last context is inside plicSize(3)');
  assert.ok(thresholdReg(2) + 8 <= plicSize(3));
});

test('priorities are WARL with 3 bits; source 0 and absent sources read 0', () => {
  const { plic } = setup(40);
  wr(plic, priorityReg(1), 0xffffffff);
  assert.equal(rd(plic, priorityReg(1)), 7);
  wr(plic, priorityReg(40), 0x0d);
  assert.equal(rd(plic, priorityReg(40)), 5);
  wr(plic, priorityReg(0), 7);
  assert.equal(rd(plic, priorityReg(0)), 0);
  wr(plic, priorityReg(41), 7);
  assert.equal(rd(plic, priorityReg(41)), 0);
  wr(plic, thresholdReg(0), 0xff);
  assert.equal(rd(plic, thresholdReg(0)), 7, 'threshold is WARL too');
});

test('a level source: pending, notified, claimed, held by the gateway until completed', () => {
  const { plic, out } = setup();
  const src = plic.source(10);
  arm(plic, 1, 10);
  assert.equal(out[1].level, false);
  src.set(true);
  assert.equal(rd(plic, pendingReg(0)), 1 << 10);
  assert.equal(out[1].level, true);
  assert.equal(out[0].level, false, 'not enabled for context 0');
  assert.equal(rd(plic, claimReg(1)), 10);
  assert.equal(rd(plic, pendingReg(0)), 0, 'claim clears the pending bit');
  assert.equal(out[1].level, false);
  src.set(false);
  src.set(true);
  assert.equal(rd(plic, pendingReg(0)), 0, 'no new request before completion');
  assert.equal(rd(plic, claimReg(1)), 0, 'nothing to claim');
  wr(plic, claimReg(1), 10);
  assert.equal(rd(plic, pendingReg(0)), 1 << 10, 'still asserted at completion: pending again');
  assert.equal(out[1].level, true);
  assert.equal(rd(plic, claimReg(1)), 10);
  src.set(false);
  wr(plic, claimReg(1), 10);
  assert.equal(rd(plic, pendingReg(0)), 0, 'deasserted at completion: idle');
  assert.equal(out[1].level, false);
  src.set(true);
  assert.equal(out[1].level, true, 'a new assertion after completion is forwarded');
});

test('deasserting a source does not retract a forwarded request', () => {
  const { plic, out } = setup();
  arm(plic, 0, 3);
  plic.source(3).set(true);
  plic.source(3).set(false);
  assert.equal(out[0].level, true);
  assert.equal(rd(plic, claimReg(0)), 3);
});

test('notification needs priority above the threshold; priority 0 never interrupts', () => {
  const { plic, out } = setup();
  arm(plic, 0, 5, 3);
  plic.source(5).set(true);
  wr(plic, thresholdReg(0), 3);
  assert.equal(out[0].level, false, 'priority equal to the threshold is masked');
  wr(plic, thresholdReg(0), 2);
  assert.equal(out[0].level, true);
  wr(plic, priorityReg(5), 0);
  assert.equal(out[0].level, false);
  wr(plic, thresholdReg(0), 0);
  assert.equal(out[0].level, false);
  assert.equal(rd(plic, claimReg(0)), 0, 'a priority-0 source is never claimed');
  wr(plic, priorityReg(5), 1);
  assert.equal(out[0].level, true, 'raising the priority re-evaluates the output');
});

test('a claim is not affected by the threshold (spec, Interrupt Claim Process)', () => {
  const { plic, out } = setup();
  arm(plic, 1, 7, 2);
  wr(plic, thresholdReg(1), 7);
  plic.source(7).set(true);
  assert.equal(out[1].level, false);
  assert.equal(rd(plic, claimReg(1)), 7);
});

test('claim takes the highest priority, ties go to the lowest ID, across words', () => {
  const { plic } = setup();
  for (const [id, prio] of [
    [40, 2],
    [9, 2],
    [70, 5],
    [33, 5],
    [2, 1],
  ]) {
    arm(plic, 0, id, prio);
    plic.source(id).set(true);
  }
  const order = [];
  for (let i = 0; i < 6; i++) order.push(rd(plic, claimReg(0)));
  assert.deepEqual(order, [33, 70, 9, 40, 2, 0]);
});

test('contexts are independent; a claim by one context clears the source for all', () => {
  const { plic, out } = setup(95, 4);
  arm(plic, 0, 1);
  arm(plic, 3, 1);
  arm(plic, 2, 64);
  plic.source(1).set(true);
  assert.deepEqual(
    out.map((l) => l.level),
    [true, false, false, true],
  );
  plic.source(64).set(true);
  assert.equal(out[2].level, true);
  assert.equal(rd(plic, claimReg(3)), 1);
  assert.deepEqual(
    out.map((l) => l.level),
    [false, false, true, false],
  );
  assert.equal(rd(plic, claimReg(0)), 0);
  assert.equal(rd(plic, claimReg(1)), 0, 'context 1 has nothing enabled');
});

test('a completion for a source not enabled for that context is ignored (Linux eoi of a disabled irq)', () => {
  const { plic } = setup();
  arm(plic, 1, 4);
  const src = plic.source(4);
  src.set(true);
  assert.equal(rd(plic, claimReg(1)), 4);
  wr(plic, enableReg(1, 0), 0);
  wr(plic, claimReg(1), 4);
  assert.equal(rd(plic, pendingReg(0)), 0, 'ignored: the gateway still waits');
  wr(plic, claimReg(0), 4);
  assert.equal(rd(plic, pendingReg(0)), 0, 'not enabled for context 0 either');
  wr(plic, enableReg(1, 0), 1 << 4);
  wr(plic, claimReg(1), 4);
  assert.equal(rd(plic, pendingReg(0)), 1 << 4, 'accepted once enabled');
  wr(plic, claimReg(1), 0);
  wr(plic, claimReg(1), 96);
  wr(plic, claimReg(1), 0xffffffff);
});

test('enable bits: ID 0 and absent sources are hardwired to 0; pending is read-only', () => {
  const { plic } = setup(40);
  wr(plic, enableReg(0, 0), 0xffffffff);
  assert.equal(rd(plic, enableReg(0, 0)), 0xfffffffe);
  wr(plic, enableReg(0, 1), 0xffffffff);
  assert.equal(rd(plic, enableReg(0, 1)), 0x1ff, 'sources 32..40');
  wr(plic, enableReg(0, 2), 0xffffffff);
  assert.equal(rd(plic, enableReg(0, 2)), 0);
  wr(plic, pendingReg(0), 0xffffffff);
  assert.equal(rd(plic, pendingReg(0)), 0);
  assert.equal(rd(plic, enableReg(1, 0)), 0, 'context 1 untouched');
});

test('source 31 and the sign bit of a word', () => {
  const { plic, out } = setup(63);
  arm(plic, 0, 31);
  arm(plic, 0, 63);
  plic.source(63).set(true);
  plic.source(31).set(true);
  assert.equal(rd(plic, pendingReg(0)), 0x80000000);
  assert.equal(rd(plic, pendingReg(1)), 0x80000000);
  assert.equal(out[0].level, true);
  assert.equal(rd(plic, claimReg(0)), 31);
  assert.equal(rd(plic, claimReg(0)), 63);
});

test('guest-controlled indices out of range, wrong sizes and misalignment read 0 and are ignored', () => {
  const { plic, out } = setup(32, 2);
  arm(plic, 0, 1);
  plic.source(1).set(true);
  assert.equal(plic.read(claimReg(0), 2), 0, 'a halfword read is no claim');
  assert.equal(plic.read(claimReg(0), 1), 0);
  assert.equal(plic.read(claimReg(0) + 1, 4), 0);
  assert.equal(plic.read(claimReg(0) + 8, 4), 0, 'reserved word of the context block');
  assert.equal(rd(plic, pendingReg(0)), 2, 'still pending');
  plic.write(priorityReg(1), 2, 0);
  plic.write(priorityReg(1) + 2, 4, 0);
  assert.equal(rd(plic, priorityReg(1)), 1);
  for (const off of [
    thresholdReg(2),
    claimReg(2),
    enableReg(2, 0),
    enableReg(0, 31),
    pendingReg(31),
    0x3fff004,
    0x4000000,
    -4,
    0x1fff000,
  ]) {
    assert.equal(rd(plic, off), 0, `offset 0x${off.toString(16)}`);
    wr(plic, off, 0xffffffff);
  }
  assert.equal(out[0].level, true);
  assert.equal(rd(plic, claimReg(0)), 1);
  assert.equal(plic.read(NaN, 4), 0);
});

test('configuration errors throw; source(0) and sources beyond the count do not exist', () => {
  const { plic } = setup(32);
  assert.throws(() => plic.source(0), PlicConfigError);
  assert.throws(() => plic.source(33), PlicConfigError);
  assert.strictEqual(plic.source(32), plic.source(32));
  assert.throws(() => new Plic({ numSources: 0, contexts: [new Line()] }), PlicConfigError);
  assert.throws(() => new Plic({ numSources: 1024, contexts: [new Line()] }), PlicConfigError);
  assert.throws(() => new Plic({ numSources: 32, contexts: [] }), PlicConfigError);
  assert.throws(() => new Plic({ numSources: 32, contexts: [new Line()], priorityBits: 0 }), PlicConfigError);
  const p = new Plic({ numSources: 1023, contexts: [new Line()], priorityBits: 1 });
  wr(p, priorityReg(1023), 7);
  assert.equal(rd(p, priorityReg(1023)), 1);
});

test('save and restore carry the whole state and drive the outputs', () => {
  const a = setup(95, 2);
  arm(a.plic, 1, 50, 4);
  arm(a.plic, 1, 3, 2);
  arm(a.plic, 0, 3, 2);
  wr(a.plic, thresholdReg(0), 6);
  a.plic.source(3).set(true);
  a.plic.source(50).set(true);
  assert.equal(rd(a.plic, claimReg(1)), 50, 'claimed and in flight');
  const state = JSON.parse(JSON.stringify(a.plic.save())) as ReturnType<Plic['save']>;
  const b = setup(95, 2);
  b.plic.restore(state);
  assert.deepEqual(
    b.out.map((l) => l.level),
    [false, true],
  );
  assert.equal(rd(b.plic, thresholdReg(0)), 6);
  assert.equal(rd(b.plic, priorityReg(50)), 4);
  assert.equal(rd(b.plic, claimReg(1)), 3);
  b.plic.source(50).set(true);
  assert.equal(rd(b.plic, pendingReg(1)), 0, 'source 50 is still waiting for its completion');
  wr(b.plic, claimReg(1), 50);
  assert.equal(rd(b.plic, pendingReg(1)), 1 << 18, 'its level was restored as asserted');
  assert.throws(() => setup(64, 2).plic.restore(state), PlicConfigError);
  const c = setup(95, 2);
  c.out[0].level = true; // a hart line left high by an earlier run
  c.plic.restore(state);
  assert.equal(c.out[0].level, false, 'restore drives every output, low ones too');
});
