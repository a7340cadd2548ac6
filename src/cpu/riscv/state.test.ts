// A hart's snapshot state: saved, passed through JSON (as in a file) and restored into a fresh
// hart, every CSR and register reads back the same, derived state (PMP regions, counters, the
// translation context) is rebuilt, and a malformed state is refused naming its field.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GuestMemory } from '../../memory/guest-memory.js';
import { PhysBus } from '../../memory/bus.js';
import * as C from './csr-defs.js';
import { RiscvHart } from './hart.js';
import { HPM_EVENT_INSTRET, PmuMode } from './pmu.js';
import { checkHartState, HartStateError, restoreHart, saveHart } from './state.js';

const BASE = 0x8000_0000;

function hart(id = 0): RiscvHart {
  const mem = new GuestMemory(BASE, 1 << 20);
  return new RiscvHart(id, mem, new PhysBus(mem), { mtime: () => 0, mtime64: () => 0n });
}

/** A hart whose every field holds a value of its own (not its reset value). */
function busyHart(): RiscvHart {
  const h = hart(0);
  for (let r = 1; r < 32; r++) h.setX(r, r * 0x01010101, -r);
  for (let k = 0; k < 64; k++) h.fpu.bits[k] = 0x3f800000 + k;
  h.fpu.fflags = 0x15;
  h.fpu.frm = 3;
  h.priv = C.PRV_S;
  h.pc = BASE + 0x1234;
  h.retired = 123_456_789;
  h.mstatus = C.MSTATUS_SIE | C.MSTATUS_FS | C.MSTATUS_SUM;
  h.mie = 0x222;
  h.mip = 0x2;
  h.medeleg = 0xb1ff;
  h.mideleg = 0x222;
  h.mtvec = BASE + 0x100;
  h.stvec = BASE + 0x200;
  h.mepc.set([0x11, 0x22]);
  h.sepc.set([0x33, 0x44]);
  h.mcause.set([7, -0x80000000]);
  h.scause.set([9, 0]);
  h.mtval.set([0x55, 1]);
  h.stval.set([0x66, 2]);
  h.mscratch.set([0x77, 3]);
  h.sscratch.set([0x88, 4]);
  h.stimecmp.set([1000, 0]);
  h.stimecmpNum = 1000;
  h.mcounteren = 7;
  h.scounteren = 5;
  h.mcountinhibit = 4;
  h.senvcfg = 0x50;
  h.satpMode = 9;
  h.satpPpn = 0x80123;
  h.asid = 42;
  h.instretOffset = -5n;
  h.cycleOffset = 77n;
  h.instretFrozen = 99n;
  h.waiting = true;
  h.running = false;
  h.sbiTimer = true;
  h.reservation = BASE + 0x40;
  h.pmp.cfg[0] = 0x1f; // NAPOT RWX
  h.pmp.addr[0] = (BASE >>> 2) | 0x3ff;
  h.pmp.update();
  h.writeMenvcfg(C.ENVCFG_CBZE, C.MENVCFG_HI_STCE | C.MENVCFG_HI_PBMTE);
  const y = h.hyp;
  y.hstatus = 0x80;
  y.hedeleg = 0x100;
  y.hideleg = 0x444;
  y.hvip = 0x4;
  y.htimedelta = 12345n;
  y.htimedeltaNum = 12345;
  y.vsstatus = 0x2;
  y.vstvec = 0x300;
  y.vsepc.set([5, 6]);
  y.vsatpMode = 8;
  y.vsatpAsid = 3;
  y.hgatpMode = 9;
  y.hgatpVmid = 2;
  y.mpv = true;
  y.vstimecmp.set([7, 8]);
  h.pmu.setEvent(2, HPM_EVENT_INSTRET, PmuMode.M, h.retired);
  h.pmu.setValue(2, 1000n, h.retired);
  h.updateContext();
  return h;
}

const roundTrip = (h: RiscvHart): unknown => JSON.parse(JSON.stringify(saveHart(h))) as unknown;

test('a hart restored into a fresh one saves the same state, field for field', () => {
  const a = busyHart();
  const b = hart(0);
  restoreHart(b, checkHartState(roundTrip(a), 0));
  assert.deepEqual(saveHart(b), saveHart(a));
  assert.deepEqual(Array.from(b.x), Array.from(a.x));
  assert.equal(b.reservation, BASE + 0x40);
  // Derived state is rebuilt: the counter keeps counting from its value, PMP allows what it did.
  assert.equal(b.pmu.value(2, b.retired + 10), 1010n);
  assert.equal(b.pmp.allows(BASE + 8, 8, 0, C.PRV_S), a.pmp.allows(BASE + 8, 8, 0, C.PRV_S));
  assert.equal(b.pbmte, true);
  assert.equal(b.hyp.mpv, true);
});

test('every plain field of a hart is saved, or is known to be derived or transient', () => {
  // A new CSR added to RiscvHart or HypState without snapshot support fails here.
  const derived = new Set([
    'npc',
    'insnBits',
    'trapped',
    'yieldLoop',
    'hlvActive',
    'fetchVirt',
    'dataVirt',
    'fetchPriv',
    'dataPriv',
    'pbmte',
    'hwAd',
    'mxr',
    'bank',
    'bankClock',
    'fetchBase',
    'loadBase',
    'storeBase',
    'wildLo',
    'wildHi',
    'hlvx',
    'reservedElsewhere',
    'area',
    'hartId',
    'hasH',
    'midelegFixed',
    'napot',
    'envcfgHiMask',
    'instretFrozen',
    'cycleFrozen',
    'sbiHandler',
    'codeCache',
    'scratch',
  ]);
  const saved = saveHart(busyHart()) as unknown as Record<string, Record<string, unknown>>;
  const savedNames = new Set([
    ...Object.keys(saved.num),
    ...Object.keys(saved.flag),
    ...Object.keys(saved.pair),
    ...Object.keys(saved.big),
  ]);
  const h = hart();
  for (const [k, v] of Object.entries(h)) {
    const plain =
      typeof v === 'number' ||
      typeof v === 'boolean' ||
      typeof v === 'bigint' ||
      (v instanceof Int32Array && v.length === 2);
    if (plain)
      assert.ok(savedNames.has(k) || derived.has(k), `RiscvHart.${k} is neither saved nor known as derived`);
  }
  const hyp = saved.hyp as unknown as Record<string, Record<string, unknown>>;
  const hypNames = new Set([
    ...Object.keys(hyp.num),
    ...Object.keys(hyp.flag),
    ...Object.keys(hyp.pair),
    'htimedelta',
  ]);
  for (const [k, v] of Object.entries(h.hyp)) {
    const plain =
      typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint' || v instanceof Int32Array;
    if (plain) assert.ok(hypNames.has(k), `HypState.${k} is not saved`);
  }
});

test('a malformed hart state is refused, naming the field', () => {
  const good = roundTrip(busyHart()) as Record<string, Record<string, unknown>>;
  const cases: [string, (s: Record<string, Record<string, unknown>>) => void, RegExp][] = [
    ['x too short', (s) => (s.x = [1, 2] as never), /hart 0: x: not 64 words/],
    ['mstatus a string', (s) => (s.num.mstatus = 'x'), /hart 0: mstatus: not a number/],
    ['priv 2', (s) => (s.num.priv = 2), /hart 0: priv: 2 is not U, S or M/],
    [
      'hyp.virt a number',
      (s) => ((s.hyp.flag as Record<string, unknown>).virt = 1),
      /hyp\.virt: not a boolean/,
    ],
    [
      'pmu event not decimal',
      (s) => ((s.pmu.event as unknown[])[3] = '0x5'),
      /pmu\.event\[3\]: not a decimal/,
    ],
    ['another hart id', (s) => (s.hartId = 3 as never), /hartId: is 3/],
  ];
  for (const [what, spoil, message] of cases) {
    const s = structuredClone(good);
    spoil(s);
    assert.throws(
      () => checkHartState(s, 0),
      (e: unknown) => e instanceof HartStateError && message.test(e.message),
      what,
    );
  }
  assert.throws(() => checkHartState(null, 0), HartStateError);
});
