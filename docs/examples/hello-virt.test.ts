// The library example runs: the guest prints its line and powers off, through the package's own
// entry point ('tsvirt', package.json "exports"), as a user of the package would import it.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { helloVirt } from './hello-virt.js';

test('docs/examples/hello-virt.ts: the guest prints a line and powers off', async () => {
  const { end, output } = await helloVirt();
  assert.deepEqual(end, { kind: 'guest', stop: { kind: 'poweroff' } });
  assert.equal(output, 'hello from the guest\n');
});
