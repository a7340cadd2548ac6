// CLINT snapshots: mtime is restored to the saved value and then follows the new clock (guest
// time neither goes back nor jumps by the time spent saved); mtimecmp and msip come back with
// their interrupt lines; a state of another hart count or a malformed value is refused.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Clint } from './clint.js';

function clint(clock: { now: number }, lines: Map<string, boolean> = new Map()): Clint {
  return new Clint(
    2,
    { freqHz: 10_000_000, ticks: () => clock.now },
    {
      setSoftware: (h, level) => lines.set(`msip${h}`, level),
      setTimer: (h, level) => lines.set(`mtip${h}`, level),
    },
  );
}

test('mtime continues from the saved value on a clock that started afresh', () => {
  const a = { now: 5_000_000 };
  const c = clint(a);
  c.write(0x4000, 4, 5_000_100); // mtimecmp[0] = 5_000_100
  c.write(0x4004, 4, 0);
  c.write(4, 4, 1); // msip[1]
  const state = JSON.parse(JSON.stringify(c.save())) as ReturnType<Clint['save']>;
  const b = { now: 70 }; // a new process: its own clock
  const lines = new Map<string, boolean>();
  const d = clint(b, lines);
  d.restore(state);
  assert.equal(d.mtime(), 5_000_000);
  assert.equal(lines.get('msip1'), true);
  assert.equal(lines.get('mtip0'), false);
  b.now = 220;
  assert.equal(d.mtime(), 5_000_150);
  d.update();
  assert.equal(lines.get('mtip0'), true);
});

test('a CLINT state of another hart count or with a malformed value is refused', () => {
  const s = clint({ now: 1 }).save();
  const c = new Clint(3, { freqHz: 1, ticks: () => 0 }, { setSoftware: () => {}, setTimer: () => {} });
  assert.throws(() => c.restore(s), /does not fit this board/);
  assert.throws(() => clint({ now: 0 }).restore({ ...s, mtime: '-1' }), /is not a count/);
  assert.throws(() => clint({ now: 0 }).restore({ ...s, version: 1 as 2 }), /version 1 is not 2/);
});
