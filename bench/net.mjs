#!/usr/bin/env node
// User-mode networking throughput and connection rate, side by side in one run: tsvirt
// `--net user` (libslirp in a worker) and qemu-system-riscv64 -M virt `-netdev user` (the same
// libslirp inside QEMU; bench/qemu.mjs), booting the same Debian kernel and initramfs. iperf3 is
// not in BusyBox, so the guest moves bytes with nc and dd against servers on the host's
// loopback (reached as 10.0.2.2), and the host times them:
//   guest->host  dd if=/dev/zero | nc 10.0.2.2 PORT     (host: first byte to the last of SIZE)
//   host->guest  nc 10.0.2.2 PORT > /dev/null           (host: connect to the socket's close)
//   connections  a guest loop of COUNT `nc 10.0.2.2 PORT` (host: first accept to the last)
//
//   node bench/net.mjs [--size-mb 64] [--conns 100] [--no-qemu | --qemu 10,10-tsvirt,7.2]

import { createServer } from 'node:net';
import { Guest, debianGuest } from '../test/boot/guest.mjs';
import { qemuPeersFromArgs, qemuVirtArgs } from './qemu.mjs';

const args = process.argv.slice(2);
const opt = (name, dflt) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : dflt);
const peers = qemuPeersFromArgs(args);
const sizeMb = opt('--size-mb', 64);
const conns = opt('--conns', 100);
const SIZE = sizeMb * 1024 * 1024;
const g = debianGuest();

/** A host server on 127.0.0.1 running `onConn` per connection; resolves to { port, close }. */
function serve(onConn) {
  const srv = createServer(onConn);
  return new Promise((r) =>
    srv.listen(0, '127.0.0.1', () => r({ port: srv.address().port, close: () => srv.close() })),
  );
}

const DHCP =
  `printf '%s\\n' 'case "$1" in bound) ip addr add $ip/$mask dev $interface; ip route add default via $router;; esac'` +
  ` > /tmp/dh; chmod +x /tmp/dh; ip link set eth0 up; udhcpc -i eth0 -n -q -s /tmp/dh >/dev/null 2>&1; ip -4 addr show eth0`;

async function measure(name, guest) {
  try {
    await guest.waitFor(/tsvirt: init done/, 1_200_000);
    await guest.waitFor(/# $/m, 120_000);
    const addr = await guest.run(DHCP, 120_000);
    if (!addr.includes('10.0.2.15')) throw new Error(`${name}: no DHCP lease: ${addr}`);

    // Guest to host.
    let up;
    const sink = await serve((s) => {
      let got = 0;
      let t0;
      s.on('data', (d) => {
        t0 ??= process.hrtime.bigint();
        got += d.length;
        if (got >= SIZE && up === undefined) {
          up = SIZE / 1e6 / (Number(process.hrtime.bigint() - t0) / 1e9);
          s.end();
        }
      });
      s.on('error', () => {});
    });
    await guest.run(
      `dd if=/dev/zero bs=65536 count=${SIZE / 65536} 2>/dev/null | nc 10.0.2.2 ${sink.port}`,
      1_200_000,
    );
    sink.close();

    // Host to guest.
    let down;
    const chunk = Buffer.alloc(65536);
    const source = await serve((s) => {
      const t0 = process.hrtime.bigint();
      let sent = 0;
      const pump = () => {
        while (sent < SIZE) {
          sent += chunk.length;
          if (!s.write(chunk)) return void s.once('drain', pump);
        }
        s.end();
      };
      s.on('close', () => (down = SIZE / 1e6 / (Number(process.hrtime.bigint() - t0) / 1e9)));
      s.on('error', () => {});
      pump();
    });
    await guest.run(`nc 10.0.2.2 ${source.port} > /dev/null`, 1_200_000);
    for (let i = 0; i < 50 && down === undefined; i++) await new Promise((r) => setTimeout(r, 100));
    source.close();

    // Connection rate: each guest nc connects, the host closes at once.
    const accepts = [];
    const closer = await serve((s) => {
      accepts.push(process.hrtime.bigint());
      s.on('error', () => {});
      s.end();
    });
    await guest.run(
      `i=0; while [ $i -lt ${conns} ]; do nc 10.0.2.2 ${closer.port} </dev/null >/dev/null; i=$((i+1)); done`,
      1_200_000,
    );
    closer.close();
    if (accepts.length !== conns) throw new Error(`${name}: ${accepts.length} of ${conns} connections`);
    const rate = (conns - 1) / (Number(accepts[conns - 1] - accepts[0]) / 1e9);

    console.log(
      `${name.padEnd(20)} guest->host ${up.toFixed(1)} MB/s   host->guest ${down.toFixed(1)} MB/s   ${rate.toFixed(1)} conn/s`,
    );
    guest.send('poweroff -f\n');
    return { up, down, rate };
  } finally {
    guest.kill();
  }
}

const t = await measure(
  'tsvirt',
  new Guest(['--kernel', g.KERNEL, '--initrd', g.INITRD, '--append', 'console=ttyS0', '--net', 'user']),
);
const measured = [];
for (const peer of peers) {
  const q = Guest.spawn(peer.cmd, [
    ...qemuVirtArgs({ kernel: g.KERNEL, initrd: g.INITRD, cpuArgs: peer.cpuArgs }),
    '-netdev',
    'user,id=n0',
    '-device',
    'virtio-net-device,netdev=n0',
  ]);
  measured.push([peer, await measure(peer.name, q)]);
}
for (const [peer, q] of measured) {
  console.log(
    `ratio tsvirt/${peer.name}: guest->host ${(t.up / q.up).toFixed(2)}x, host->guest ${(t.down / q.down).toFixed(2)}x, ` +
      `connections ${(t.rate / q.rate).toFixed(2)}x`,
  );
}
