// `--net` parsing: the three backend forms, mac= and mtu=, the derived MAC, and error messages
// that name the option and the field at fault.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  deriveMac,
  describeNetBackend,
  formatMac,
  NetSpecError,
  parseMac,
  parseNetSpec,
  type UserNetSpec,
} from './spec.js';

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
    ['tap,ifname=tap0', /^--net: unknown backend 'tap' \(known: socket, udp, user\)/],
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

const user = (text: string): UserNetSpec => {
  const b = parseNetSpec(text).backend;
  assert.equal(b.kind, 'user');
  return b as UserNetSpec;
};

test("user: QEMU's defaults (10.0.2.0/24, gateway .2, DNS .3, DHCP from .15, ipv6 on, restrict off)", () => {
  assert.deepEqual(user('user'), {
    kind: 'user',
    network: '10.0.2.0',
    prefixLength: 24,
    host: '10.0.2.2',
    dns: '10.0.2.3',
    dhcpStart: '10.0.2.15',
    restrict: false,
    ipv6: true,
    hostfwd: [],
  });
});

test('user: net= moves the derived host, dns and dhcpstart; a dotted mask equals its prefix', () => {
  const a = user('user,net=192.168.76.0/24');
  assert.deepEqual(
    [a.network, a.host, a.dns, a.dhcpStart],
    ['192.168.76.0', '192.168.76.2', '192.168.76.3', '192.168.76.15'],
  );
  const b = user('user,net=172.16.0.0/255.255.0.0');
  assert.equal(b.prefixLength, 16);
  assert.equal(b.dhcpStart, '172.16.0.15');
  assert.equal(user('user,net=10.9.0.0').prefixLength, 24);
  const c = user('user,host=10.0.2.9,dns=10.0.2.10,dhcpstart=10.0.2.100,restrict=on,ipv6=off');
  assert.deepEqual(
    [c.host, c.dns, c.dhcpStart, c.restrict, c.ipv6],
    ['10.0.2.9', '10.0.2.10', '10.0.2.100', true, false],
  );
  assert.equal(user('user,restrict=yes').restrict, true);
  assert.equal(user('user,restrict=no').restrict, false);
});

test('user: hostfwd is repeatable; protocol tcp and host address 0.0.0.0 and guest dhcpstart by default', () => {
  const u = user(
    'user,dhcpstart=10.0.2.20,hostfwd=tcp:127.0.0.1:2222-10.0.2.15:22,hostfwd=::8080-:80,hostfwd=udp::5353-:53',
  );
  assert.deepEqual(u.hostfwd, [
    { proto: 'tcp', hostAddr: '127.0.0.1', hostPort: 2222, guestAddr: '10.0.2.15', guestPort: 22 },
    { proto: 'tcp', hostAddr: '0.0.0.0', hostPort: 8080, guestAddr: '10.0.2.20', guestPort: 80 },
    { proto: 'udp', hostAddr: '0.0.0.0', hostPort: 5353, guestAddr: '10.0.2.20', guestPort: 53 },
  ]);
  // The same host port for TCP and UDP is two different sockets.
  assert.equal(user('user,hostfwd=tcp::2222-:22,hostfwd=udp::2222-:22').hostfwd.length, 2);
  // mac= and mtu= apply to user like to the other backends; the MAC depends on the rules.
  const s = parseNetSpec('user,hostfwd=tcp::2222-:22,mac=52:54:00:12:34:56,mtu=1500');
  assert.equal(formatMac(s.mac), '52:54:00:12:34:56');
  assert.equal(s.mtu, 1500);
  assert.notDeepEqual(parseNetSpec('user').mac, parseNetSpec('user,hostfwd=tcp::2222-:22').mac);
});

test('user: describeNetBackend spells out every default', () => {
  assert.equal(
    describeNetBackend(parseNetSpec('user,hostfwd=udp:127.0.0.1:5000-:6000').backend),
    'user,net=10.0.2.0/24,host=10.0.2.2,dns=10.0.2.3,dhcpstart=10.0.2.15,restrict=off,ipv6=on' +
      ',hostfwd=udp:127.0.0.1:5000-10.0.2.15:6000',
  );
});

test('user: errors name the field', () => {
  const cases: [string, RegExp][] = [
    ['user,net=10.0.2.0/33', /^--net user: net='10.0.2.0\/33' needs a prefix length in 8..27/],
    ['user,net=10.0.2.0/28', /prefix length in 8..27/],
    ['user,net=10.0.2.1/24', /net='10.0.2.1\/24' has host bits set/],
    ['user,net=10.0.2.0/255.0.255.0', /not contiguous/],
    ['user,net=10.0.2/24', /net='10.0.2\/24' is not ADDR\[\/MASK\]/],
    ['user,host=10.0.3.2', /host='10.0.3.2' is not a host address of the network 10.0.2.0\/24/],
    ['user,dns=10.0.2.255', /dns='10.0.2.255' is not a host address/],
    ['user,dhcpstart=10.0.2.0', /dhcpstart='10.0.2.0' is not a host address/],
    ['user,dns=ten', /dns='ten' is not an IPv4 address/],
    ['user,restrict=maybe', /^--net user: restrict='maybe' must be on or off/],
    ['user,ipv6=1', /ipv6='1' must be on or off/],
    ['user,restrict=on,restrict=off', /field 'restrict' given twice/],
    ['user,hostfwd=tcp:2222:22', /^--net user: hostfwd='tcp:2222:22' is malformed \(syntax: \[tcp\|udp\]/],
    ['user,hostfwd=sctp::1-:2', /hostfwd='sctp::1-:2' is malformed/],
    ['user,hostfwd=tcp::0-:22', /host port '0' outside 1..65535/],
    ['user,hostfwd=tcp::2222-:70000', /guest port '70000' outside 1..65535/],
    ['user,hostfwd=tcp:localhost:2222-:22', /host address 'localhost' that is not an IPv4 address/],
    ['user,hostfwd=tcp::2222-10.0.2.300:22', /guest address '10.0.2.300'/],
    ['user,hostfwd=tcp::2222-:22,hostfwd=tcp:127.0.0.1:2222-:23', /two hostfwd rules for host tcp port 2222/],
    [
      'user,tftp=/srv',
      /unknown field 'tftp' \(known: net, host, dns, dhcpstart, hostfwd, restrict, ipv6, mac, mtu\)/,
    ],
  ];
  for (const [text, re] of cases) {
    assert.throws(
      () => parseNetSpec(text),
      (e: Error) => e instanceof NetSpecError && re.test(e.message),
      text,
    );
  }
});
