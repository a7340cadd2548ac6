// `--net user` with the default BusyBox guest, as QEMU's -netdev user behaves: a DHCP lease of
// 10.0.2.15, DNS through 10.0.2.3, HTTP from a server on the host's loopback reached as 10.0.2.2,
// large transfers both ways with a stalling reader on each side, UDP both ways, hostfwd into the
// guest, restrict=on, and two VMs at once. One boot per VM serves every check. (hostfwd of UDP
// needs a UDP server in the guest, which BusyBox lacks: the unit tests check it with raw frames.)
//
// DNS: libslirp forwards 10.0.2.3 to the host's resolver (/etc/resolv.conf). The only name asked
// is the host's own Debian archive, read from its apt sources at run time (what apt resolves
// anyway); "by name" fetches that archive's Release file.
// The large transfers go through the guest's RAM (/tmp), so that the guest's copying and hashing
// stay out of the network path: VM A has 1 GiB.
// TSVIRT_NET_TEST_MB sets the size of each large transfer (default 100 MiB).
// The suite's second pass (TSVIRT_BOOT_JIT=off) skips this file: user networking is host code
// that no CPU engine reaches, virtio-net under the interpreter is in virtio.test, and this test
// took 19.5 minutes there (10.6 with the translator), too much of CI's 90.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import dgram from 'node:dgram';
import dns from 'node:dns/promises';
import http from 'node:http';
import net from 'node:net';
import { echoThrough, Guest } from './guest.mjs';
import { pickDebianMirror, readHostSources } from '../../dist/images/mirror.js';

const BOOT_TIMEOUT_MS = Number(process.env.TSVIRT_BOOT_TIMEOUT_MS ?? 900_000);
const log = process.env.TSVIRT_TEST_LOG === '1';
const interp = process.env.TSVIRT_BOOT_JIT === 'off';
const BIG_MB = Number(process.env.TSVIRT_NET_TEST_MB ?? 100);
const BIG_BYTES = BIG_MB * 1024 * 1024;
/** How long each side's reader stalls in the middle of a large transfer. */
const STALL_MS = 3000;

/** Deterministic bytes: block `i` of 64 KiB is the SHA-256 chain of its index, repeated. */
function block(i) {
  const seed = createHash('sha256').update(`tsvirt-net-${i}`).digest();
  const b = Buffer.alloc(65536);
  for (let o = 0; o < b.length; o += 32) seed.copy(b, o);
  b.writeUInt32BE(i, 0);
  return b;
}

function freePort(kind) {
  return new Promise((resolve) => {
    if (kind === 'udp') {
      const s = dgram.createSocket('udp4');
      s.bind(0, '127.0.0.1', () => {
        const p = s.address().port;
        s.close(() => resolve(p));
      });
    } else {
      const srv = net.createServer();
      srv.listen(0, '127.0.0.1', () => {
        const p = srv.address().port;
        srv.close(() => resolve(p));
      });
    }
  });
}

/**
 * The host side: HTTP on 127.0.0.1 (/small, /big streamed with backpressure, stalls noted) and
 * a TCP sink for the guest's upload that stops reading for STALL_MS half way.
 */
async function hostServers() {
  const small = Buffer.from(Array.from({ length: 100_000 }, (_, i) => (i * 31 + 7) & 0xff));
  const state = { bigSha: '', waitedForDrainMs: 0, upload: undefined };
  const bigHash = createHash('sha256');
  for (let i = 0; i < BIG_BYTES / 65536; i++) bigHash.update(block(i));
  state.bigSha = bigHash.digest('hex');
  const httpSrv = http.createServer((req, res) => {
    if (req.url === '/small') {
      res.end(small);
      return;
    }
    if (req.url !== '/big') {
      res.statusCode = 404;
      res.end();
      return;
    }
    res.setHeader('content-length', BIG_BYTES);
    let i = 0;
    const pump = () => {
      while (i < BIG_BYTES / 65536) {
        if (!res.write(block(i++))) {
          // Backpressure: the guest (through slirp) is not taking data; nothing piles up here.
          const t0 = Date.now();
          res.once('drain', () => {
            state.waitedForDrainMs = Math.max(state.waitedForDrainMs, Date.now() - t0);
            pump();
          });
          return;
        }
      }
      res.end();
    };
    pump();
  });
  await new Promise((r) => httpSrv.listen(0, '127.0.0.1', r));
  const uploadSrv = net.createServer((sock) => {
    const h = createHash('sha256');
    let got = 0;
    let stalled = false;
    sock.on('data', (d) => {
      h.update(d);
      got += d.length;
      if (!stalled && got >= BIG_BYTES / 2) {
        stalled = true;
        sock.pause();
        setTimeout(() => sock.resume(), STALL_MS);
      }
      if (got >= BIG_BYTES) {
        state.upload = { bytes: got, sha: h.digest('hex') };
        sock.end();
      }
    });
    sock.on('error', () => {});
  });
  await new Promise((r) => uploadSrv.listen(0, '127.0.0.1', r));
  // UDP: BusyBox's nc has no UDP mode, its tftp client does. A minimal TFTP server (RFC 1350):
  // a read request for FILE gets one DATA block (short, so the last) saying which file it was.
  const udpSrv = dgram.createSocket('udp4');
  const udpGot = [];
  udpSrv.on('message', (m, rinfo) => {
    if (m.length < 4 || m.readUInt16BE(0) !== 1) return;
    const file = m.subarray(2, m.indexOf(0, 2)).toString();
    udpGot.push(file);
    const data = Buffer.from(`udp from the host for ${file}\n`);
    udpSrv.send(Buffer.concat([Buffer.from([0, 3, 0, 1]), data]), rinfo.port, rinfo.address);
  });
  await new Promise((r) => udpSrv.bind(0, '127.0.0.1', r));
  return {
    state,
    small,
    httpPort: httpSrv.address().port,
    uploadPort: uploadSrv.address().port,
    udpPort: udpSrv.address().port,
    udpGot,
    close() {
      httpSrv.closeAllConnections?.();
      httpSrv.close();
      uploadSrv.close();
      udpSrv.close();
    },
  };
}

const sha256 = (b) => createHash('sha256').update(b).digest('hex');

/** The DHCP client script: configure eth0 from the lease and print it. */
const DHCP_SCRIPT = [
  'case "$1" in bound|renew)',
  '  ip addr add $ip/$mask dev $interface; ip route add default via $router',
  '  echo "nameserver $dns" > /etc/resolv.conf; echo "LEASE $ip $router $dns";;',
  'esac',
].join('\n');

async function bootWithLease(net, extra = []) {
  const g = new Guest(['--net', net, ...extra], { log });
  await g.waitFor(/tsvirt: init done/, BOOT_TIMEOUT_MS);
  await g.waitFor(/# $/m, 120_000);
  await g.run(
    `printf '%s\\n' '${DHCP_SCRIPT.replace(/'/g, "'\\''")}' > /tmp/dh; chmod +x /tmp/dh; ip link set eth0 up`,
  );
  const lease = await g.run('udhcpc -i eth0 -n -q -t 5 -s /tmp/dh 2>&1 | grep LEASE');
  return { g, lease };
}

test(
  '--net user: DHCP, DNS, HTTP by IP and by name, large transfers, UDP, hostfwd, restrict, two VMs',
  {
    timeout: BOOT_TIMEOUT_MS + 1_200_000,
    skip: interp ? 'the interpreter pass: user networking is host code, the same under every engine' : false,
  },
  async (t) => {
    const srv = await hostServers();
    const fwdTcpA = await freePort('tcp');
    const fwdTcpB = await freePort('tcp');
    let a;
    let b;
    try {
      // Both VMs boot at once: each gets its own NAT with the same guest addresses.
      const [ra, rb] = await Promise.all([
        bootWithLease(`user,hostfwd=tcp:127.0.0.1:${fwdTcpA}-:7777`, ['-m', '1G']),
        bootWithLease(`user,restrict=on,hostfwd=tcp:127.0.0.1:${fwdTcpB}-:7777`),
      ]);
      a = ra.g;
      b = rb.g;
      assert.match(ra.lease, /LEASE 10\.0\.2\.15 10\.0\.2\.2 10\.0\.2\.3/);
      // Under restrict=on, libslirp (so QEMU too) leaves the router and DNS options out of its offer.
      assert.match(
        rb.lease,
        /^LEASE 10\.0\.2\.15\s*$/,
        'DHCP works under restrict=on, without router or DNS',
      );

      // hostfwd into each VM at the same time: a TCP echo in the guest, reached from the host.
      const echo = async (g, port, text) => {
        // Connect only once nc listens: before, slirp would forward the connection to a closed
        // port and the guest's RST would reset the host's socket.
        await g.run(
          '(nc -l -p 7777 -e cat >/dev/null 2>&1 &); while ! netstat -ltn | grep -q ":7777 "; do usleep 100000; done',
        );
        return echoThrough(port, text);
      };
      const [ea, eb] = await Promise.all([
        echo(a, fwdTcpA, 'ping through A\n'),
        echo(b, fwdTcpB, 'ping through B\n'),
      ]);
      assert.equal(ea, 'ping through A\n');
      assert.equal(eb, 'ping through B\n', 'hostfwd works under restrict=on');

      // restrict=on: the gateway answers ping, but no connection leaves the VM.
      assert.match(await b.run('ping -c 1 -W 5 10.0.2.2'), /1 packets received/);
      const blocked = await b.run(
        `timeout 5 wget -q -O /dev/null http://10.0.2.2:${srv.httpPort}/small; echo "rc=$?"`,
      );
      assert.doesNotMatch(blocked, /rc=0/, 'restrict=on blocks outbound TCP');
      await b.run(`timeout 3 tftp -g -r blocked -l /tmp/t 10.0.2.2 ${srv.udpPort}`);

      // HTTP by IP: the gateway is the host's loopback.
      const smallSha = await a.run(`wget -q -O - http://10.0.2.2:${srv.httpPort}/small | sha256sum`);
      assert.equal(smallSha.split(/\s+/)[0], sha256(srv.small));

      // DNS and HTTP by name: the host's Debian archive, as apt would reach it.
      const sources = readHostSources();
      const mirror = pickDebianMirror(sources);
      if (mirror !== undefined) {
        const url = new URL(mirror);
        const hostAddrs = (await dns.lookup(url.hostname, { all: true, family: 4 })).map((x) => x.address);
        const looked = await a.run(`nslookup ${url.hostname} 2>&1`);
        assert.match(looked, /Server:\s+10\.0\.2\.3/);
        const guestAddrs = [...looked.matchAll(/Address(?: \d+)?:\s+(\d+\.\d+\.\d+\.\d+)$/gm)]
          .map((m) => m[1])
          .filter((x) => x !== '10.0.2.3');
        assert.ok(
          guestAddrs.some((x) => hostAddrs.includes(x)),
          `${url.hostname}: guest ${guestAddrs}, host ${hostAddrs}`,
        );
        const suite = sources.find((s) => s.uri === mirror)?.suites[0] ?? 'stable';
        const rel = await a.run(
          `wget -q -O - ${mirror.replace(/\/$/, '')}/dists/${suite}/Release | head -c 14`,
        );
        assert.equal(rel, 'Origin: Debian');
      } else {
        t.diagnostic('no Debian archive in the host apt sources: DNS by name not checked');
      }

      // UDP both ways: the guest's request reaches the host socket, the answer comes back.
      const tftp = await a.run(`tftp -g -r from-the-guest -l /tmp/t 10.0.2.2 ${srv.udpPort} && cat /tmp/t`);
      assert.equal(tftp, 'udp from the host for from-the-guest');
      assert.deepEqual(srv.udpGot, ['from-the-guest'], 'one request, and none from the restricted VM');

      // Host to guest, BIG_MB into the guest's RAM, the guest's reader (wget) stopped for STALL_MS
      // early on: the host server must see backpressure (TCP's window closing through slirp), not
      // a buffer swallowing everything.
      const t0 = Date.now();
      const down = await a.run(
        `wget -q -O /tmp/big http://10.0.2.2:${srv.httpPort}/big & p=$!; sleep 1; kill -STOP $p; ` +
          `sleep ${STALL_MS / 1000}; kill -CONT $p; while kill -0 $p 2>/dev/null; do usleep 100000; done; ` +
          `wc -c < /tmp/big`,
        1_200_000,
      );
      const downS = (Date.now() - t0) / 1000;
      assert.equal(down, String(BIG_BYTES));
      assert.equal(
        (await a.run('sha256sum /tmp/big', 600_000)).split(/\s+/)[0],
        srv.state.bigSha,
        'download checksum',
      );
      assert.ok(
        srv.state.waitedForDrainMs >= STALL_MS / 2,
        `host saw backpressure (${srv.state.waitedForDrainMs} ms)`,
      );

      // Guest to host, the same bytes back, the host's reader pausing STALL_MS half way.
      const t1 = Date.now();
      await a.run(`nc 10.0.2.2 ${srv.uploadPort} < /tmp/big > /dev/null; rm /tmp/big`, 1_200_000);
      const upS = (Date.now() - t1) / 1000;
      for (let i = 0; i < 100 && srv.state.upload === undefined; i++)
        await new Promise((r) => setTimeout(r, 100));
      assert.deepEqual(
        srv.state.upload,
        { bytes: BIG_BYTES, sha: srv.state.bigSha },
        'upload bytes and checksum',
      );
      t.diagnostic(
        `${BIG_MB} MiB down ${downS.toFixed(1)} s, up ${upS.toFixed(1)} s (each with a ${STALL_MS} ms stall)`,
      );

      a.send('poweroff\n');
      b.send('poweroff\n');
      assert.equal((await a.exited).code, 0);
      assert.equal((await b.exited).code, 0);
    } finally {
      a?.kill();
      b?.kill();
      srv.close();
    }
  },
);
