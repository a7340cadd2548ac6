// The stdio console across VM lifetimes: with --reboot or QMP system_reset one process makes a new
// console per boot over the same stdin, so a closed console must leave nothing on it.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { StdioConsole } from './stdio-console.js';

test('close takes the console off stdin: many consoles opened and closed leave no listener', () => {
  const before = { data: process.stdin.listenerCount('data'), error: process.stdin.listenerCount('error') };
  for (let i = 0; i < 20; i++) {
    const c = new StdioConsole({ onQuit: () => {} });
    assert.equal(process.stdin.listenerCount('data'), before.data + 1);
    c.close();
  }
  // A listener left behind keeps its console, and through it the whole VM, reachable: the memory
  // of every boot was kept until the process ended.
  assert.equal(process.stdin.listenerCount('data'), before.data);
  assert.equal(process.stdin.listenerCount('error'), before.error);
});
