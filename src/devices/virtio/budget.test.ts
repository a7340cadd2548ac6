// The per-VM memory budget and its per-device accounts: limits, the order in which waiting
// devices are served, wake-ups, and device bugs (over-release, impossible requests) caught.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_VM_BUDGET_BYTES, MemoryBudget } from './budget.js';

const tick = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

test('an account takes up to its own limit, and is woken by its own release', async () => {
  const budget = new MemoryBudget(100);
  let wakes = 0;
  const a = budget.open(60, () => wakes++);
  assert.equal(a.tryTake(40), true);
  assert.equal(a.tryTake(30), false, 'over the account limit');
  assert.equal(a.usedBytes, 40);
  a.release(10);
  assert.equal(wakes, 0, 'wake-ups come from a microtask, not from inside release');
  await tick();
  assert.equal(wakes, 1);
  assert.equal(a.tryTake(30), true);
  assert.equal(a.peakBytes, 60);
  assert.equal(budget.usedBytes, 60);
});

test('accounts waiting for shared bytes are served in order; the releasing one goes behind', async () => {
  const budget = new MemoryBudget(100);
  const woken: string[] = [];
  const a = budget.open(60, () => woken.push('a'));
  const b = budget.open(60, () => woken.push('b'));
  const c = budget.open(60, () => woken.push('c'));
  assert.equal(a.tryTake(60), true);
  assert.equal(b.tryTake(40), true);
  assert.equal(c.tryTake(30), false, 'the VM budget is full');
  assert.equal(b.tryTake(20), false, 'b waits behind c');
  assert.ok(c.waiting && b.waiting);
  a.release(30);
  await tick();
  assert.deepEqual(woken, ['c'], 'only the first in line, and only once its bytes fit');
  assert.equal(a.tryTake(10), false, 'a may not jump the line');
  assert.equal(c.tryTake(30), true);
  assert.equal(c.waiting, false);
  assert.equal(budget.usedBytes, 100);
  c.release(30);
  await tick();
  assert.deepEqual(woken, ['c', 'b'], 'then b, whose 20 bytes now fit');
  assert.equal(b.tryTake(20), true);
  assert.ok(budget.peakBytes <= 100);
});

test('cancelWait gives the turn to the next account', async () => {
  const budget = new MemoryBudget(10);
  const woken: string[] = [];
  const a = budget.open(10, () => woken.push('a'));
  const b = budget.open(10, () => woken.push('b'));
  const c = budget.open(10, () => woken.push('c'));
  assert.equal(a.tryTake(10), true);
  assert.equal(b.tryTake(8), false);
  assert.equal(c.tryTake(2), false);
  a.release(2);
  b.cancelWait();
  await tick();
  assert.deepEqual(woken, ['c']);
  assert.equal(c.tryTake(2), true);
});

test('device bugs throw: releasing more than held, asking for more than the account limit', () => {
  const budget = new MemoryBudget(100);
  const a = budget.open(50, () => {});
  assert.equal(a.tryTake(20), true);
  assert.throws(() => a.release(21), /releasing 21 bytes/);
  assert.throws(() => a.tryTake(51), /can never fit/);
  assert.throws(() => a.tryTake(-1), /can never fit/);
  a.release(20);
  assert.throws(() => a.release(1), /releasing 1 bytes/, 'no double release');
  assert.equal(budget.usedBytes, 0);
});

test('an account larger than the VM budget, or a budget that is not a size, is refused', () => {
  assert.throws(() => new MemoryBudget(0), /not a positive integer/);
  assert.throws(() => new MemoryBudget(1.5), /not a positive integer/);
  assert.throws(() => new MemoryBudget(10).open(11, () => {}), /does not fit the VM budget/);
  assert.equal(new MemoryBudget().limitBytes, DEFAULT_VM_BUDGET_BYTES);
});
