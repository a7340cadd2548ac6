// The programmable counters' rules from Sscofpmf 1.0: each inhibit bit stops counting in its own
// mode only (VSINH and VUINH for V = 1), VSINH/VUINH are read-only zero without H, and a counter
// raises overflow once when it wraps with OF clear, then not again until OF is cleared.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  EVENT_MINH,
  EVENT_OF,
  EVENT_SINH,
  EVENT_UINH,
  EVENT_VSINH,
  EVENT_VUINH,
  HPM_EVENT_INSTRET,
  Pmu,
  PmuMode,
} from './pmu.js';

const MODES = [PmuMode.M, PmuMode.S, PmuMode.U, PmuMode.VS, PmuMode.VU];
const INH = [EVENT_MINH, EVENT_SINH, EVENT_UINH, EVENT_VSINH, EVENT_VUINH];

test('each inhibit bit stops counting in its mode alone', () => {
  for (let k = 0; k < MODES.length; k++) {
    const p = new Pmu(true, true);
    p.setEvent(0, HPM_EVENT_INSTRET | INH[k], PmuMode.M, 0);
    let at = 0;
    for (const mode of MODES) {
      p.modeChanged(mode, at);
      const before = p.value(0, at);
      at += 100;
      const counted = p.value(0, at) - before;
      assert.equal(counted, mode === MODES[k] ? 0n : 100n, `inhibit ${k}, mode ${mode}`);
    }
  }
});

test('without H, VSINH and VUINH read as zero', () => {
  const p = new Pmu(true, false);
  p.setEvent(0, HPM_EVENT_INSTRET | EVENT_VSINH | EVENT_VUINH | EVENT_SINH, PmuMode.M, 0);
  assert.equal(p.eventOf(0), HPM_EVENT_INSTRET | EVENT_SINH);
});

test('a wrap with OF clear sets OF and raises; with OF set it does not', () => {
  const p = new Pmu(true, true);
  p.setEvent(0, HPM_EVENT_INSTRET, PmuMode.M, 1000);
  p.setValue(0, (1n << 64n) - 50n, 1000);
  assert.equal(p.nextOverflow, 1050);
  assert.equal(p.overflow(1049), false);
  assert.equal(p.overflow(1060), true);
  assert.equal(p.eventOf(0) & EVENT_OF, EVENT_OF);
  assert.equal(p.value(0, 1060), 10n);
  assert.equal(p.overflowBits(), 1 << 3);
  // Wrapping again while OF is set: no new overflow is even looked for.
  p.setValue(0, (1n << 64n) - 5n, 1060);
  assert.equal(p.nextOverflow, Infinity);
  // Software clears OF: the next wrap raises again.
  p.setEvent(0, HPM_EVENT_INSTRET, PmuMode.M, 1060);
  assert.equal(p.nextOverflow, 1065);
  assert.equal(p.overflow(1065), true);
});

test('an inhibited counter neither counts nor overflows; an unknown event does not count', () => {
  const p = new Pmu(true, true);
  p.setEvent(0, HPM_EVENT_INSTRET, PmuMode.M, 0);
  p.setValue(0, (1n << 64n) - 10n, 0);
  p.sync(PmuMode.M, 1 << 3, 0);
  assert.equal(p.nextOverflow, Infinity);
  assert.equal(p.value(0, 500), (1n << 64n) - 10n);
  const q = new Pmu(true, true);
  q.setEvent(1, 0x10019n, PmuMode.M, 0);
  assert.equal(q.value(1, 1000), 0n);
});

test('an event set while no counter counts filters by the mode the hart is in then', () => {
  const p = new Pmu(true, true);
  // Mode changes go unseen while nothing counts; the event's write says where the hart is.
  p.modeChanged(PmuMode.S, 0);
  p.setEvent(0, HPM_EVENT_INSTRET | EVENT_SINH, PmuMode.S, 0);
  assert.equal(p.value(0, 100), 0n);
  p.modeChanged(PmuMode.U, 100);
  assert.equal(p.value(0, 150), 50n);
});
