// `--net` parsing: the three backend forms, mac= and mtu=, the derived MAC, and error messages
// that name the option and the field at fault.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deriveMac, describeNetBackend, formatMac, NetSpecError, parseMac, parseNetSpec } from './spec.js';

test('socket listen and connect', () => {
  assert.deepEqual(parseNetSpec('socket,listen=/tmp/a.sock').backend, {
    kind: 'socket',
    mode: 'listen',
    path: '/tmp/a.sock',
  });
  assert.deepEqual(parseNetSpec('socket,connect=/tmp/a,,b.sock').backend, {
    kind: 'socket',
    mode: 'connect',
    path: '/tmp/a,b.sock',
  });
});

test('udp with full and short addresses', () => {
  assert.deepEqual(parseNetSpec('udp,local=127.0.0.1:5000,remote=127.0.0.1:5001').backend, {
    kind: 'udp',
    local: { host: '127.0.0.1', port: 5000 },
    remote: { host: '127.0.0.1', port: 5001 },
  });
  assert.deepEqual(parseNetSpec('udp,local=0,remote=5001').backend, {
    kind: 'udp',
    local: { host: '127.0.0.1', port: 0 },
    remote: { host: '127.0.0.1', port: 5001 },
  });
  assert.deepEqual(parseNetSpec('udp,local=[::1]:5000,remote=[::1]:5001').backend, {
    kind: 'udp',
    local: { host: '::1', port: 5000 },
    remote: { host: '::1', port: 5001 },
  });
});

test('mac= and mtu= are taken as given', () => {
  const s = parseNetSpec('socket,listen=/tmp/a.sock,mac=52:54:00:AB:cd:01,mtu=9000');
  assert.equal(formatMac(s.mac), '52:54:00:ab:cd:01');
  assert.equal(s.mtu, 9000);
  assert.equal(parseNetSpec('socket,listen=/tmp/a.sock').mtu, undefined);
});

test('the default MAC is stable, locally administered unicast, and differs between link ends', () => {
  const listen = parseNetSpec('socket,listen=/tmp/a.sock').mac;
  assert.deepEqual(parseNetSpec('socket,listen=/tmp/a.sock').mac, listen);
  assert.deepEqual(Array.from(listen.subarray(0, 3)), [0x52, 0x54, 0x00]);
  assert.equal(listen[0] & 1, 0, 'unicast');
  assert.equal(listen[0] & 2, 2, 'locally administered');
  assert.notDeepEqual(parseNetSpec('socket,connect=/tmp/a.sock').mac, listen);
  const a = parseNetSpec('udp,local=5000,remote=5001').mac;
  const b = parseNetSpec('udp,local=5001,remote=5000').mac;
  assert.notDeepEqual(a, b);
  assert.notDeepEqual(parseNetSpec('socket,listen=/tmp/a.sock', '--net', 1).mac, listen, 'second NIC');
  assert.deepEqual(deriveMac('socket,listen=/tmp/a.sock'), listen);
});

test('describeNetBackend gives the canonical text the default MAC is derived from', () => {
  assert.equal(
    describeNetBackend(parseNetSpec('udp,local=5000,remote=5001').backend),
    'udp,local=127.0.0.1:5000,remote=127.0.0.1:5001',
  );
  assert.equal(
    describeNetBackend(parseNetSpec('udp,local=[::1]:5000,remote=[::1]:5001').backend),
    'udp,local=[::1]:5000,remote=[::1]:5001',
  );
  assert.equal(describeNetBackend(parseNetSpec('socket,connect=/x').backend), 'socket,connect=/x');
});

test('parseMac accepts six colon-separated octets only', () => {
  assert.deepEqual(parseMac('52:54:00:00:00:01'), Uint8Array.of(0x52, 0x54, 0, 0, 0, 1));
  for (const bad of ['52:54:00:00:00', '52-54-00-00-00-01', '52:54:00:00:00:001', 'zz:54:00:00:00:01']) {
    assert.equal(parseMac(bad), undefined, bad);
  }
});

test('errors name the option and the field', () => {
  const cases: [string, RegExp][] = [
    ['tap,ifname=tap0', /^--net: unknown backend 'tap'/],
    ['socket', /^--net socket: exactly one of 'listen=PATH' or 'connect=PATH'/],
    ['socket,listen=/a,connect=/b', /exactly one of/],
    ['socket,listen=', /listen= needs a socket path/],
    [`socket,listen=/${'x'.repeat(120)}`, /limited to 107/],
    ['socket,listen=/a,port=3', /unknown field 'port' \(known: listen, connect, mac, mtu\)/],
    ['socket,listen=/a,listen=/b', /field 'listen' given twice/],
    ['socket,listen=/a,oops', /'oops' is not KEY=VALUE/],
    ['socket,listen=/a,mac=52:54:00:zz:00:01', /^--net socket: mac='52:54:00:zz:00:01' is not a MAC address/],
    ['socket,listen=/a,mac=01:00:5e:00:00:01', /mac='01:00:5e:00:00:01' is a multicast address/],
    ['socket,listen=/a,mac=00:00:00:00:00:00', /all zeros/],
    ['socket,listen=/a,mtu=67', /mtu='67' must be a whole number in 68..65535/],
    ['socket,listen=/a,mtu=1.5e3', /mtu='1.5e3'/],
    ['udp,local=5000', /^--net udp: field 'remote=\[HOST:\]PORT' is required/],
    ['udp,local=5000,remote=0', /remote='0' has a port outside 1..65535/],
    ['udp,local=5000,remote=70000', /remote='70000' has a port outside/],
    ['udp,local=localhost:5000,remote=5001', /local='localhost:5000' is not \[HOST:\]PORT/],
    ['udp,local=300.0.0.1:5000,remote=5001', /octet above 255/],
    ['udp,local=[::1::2]:5000,remote=[::1]:1', /malformed IPv6/],
    ['udp,local=[::1]:5000,remote=127.0.0.1:1', /both be IPv4 or both be IPv6/],
  ];
  for (const [text, re] of cases) {
    assert.throws(
      () => parseNetSpec(text),
      (e: Error) => e instanceof NetSpecError && re.test(e.message),
      text,
    );
  }
  assert.throws(() => parseNetSpec('bogus', '--nic'), { message: /^--nic: unknown backend/ });
});
