import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeYield } from './yield.js';

test('without setImmediate, the yield goes through a MessageChannel: each call resolves, in order, after queued work', async () => {
  const channels: InstanceType<typeof MessageChannel>[] = [];
  // A MessageChannel whose ports the test closes afterwards (an open Node port keeps the process up).
  class Channel extends MessageChannel {
    constructor() {
      super();
      channels.push(this);
    }
  }
  const y = makeYield({ MessageChannel: Channel as never });
  try {
    const order: string[] = [];
    setTimeout(() => order.push('timer'), 50);
    await Promise.all([y().then(() => order.push('a')), y().then(() => order.push('b'))]);
    assert.deepEqual(order, ['a', 'b'], 'both resolve, in call order, long before a 50 ms timer');
    assert.equal(channels.length, 1, 'one channel serves every yield');
  } finally {
    for (const c of channels) c.port1.close();
  }
});

test('with setImmediate, the yield uses it', async () => {
  let calls = 0;
  const y = makeYield({
    setImmediate: (cb) => {
      calls++;
      return setImmediate(cb);
    },
  });
  await y();
  assert.equal(calls, 1);
});
