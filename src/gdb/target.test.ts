// The debugger's target and session on a real hart, without a loop or socket: the register
// numbers of GDB's RISC-V target description, memory through an Sv39 table without side effects,
// and the conversation a client starts with (GDB manual, "Packets", "General Query Packets").

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PhysBus } from '../memory/bus.js';
import { GuestMemory } from '../memory/guest-memory.js';
import * as C from '../cpu/riscv/csr-defs.js';
import { RiscvHart } from '../cpu/riscv/hart.js';
import { ascii, framePacket, text } from './packet.js';
import { GdbSession } from './session.js';
import { GdbTarget } from './target.js';

const BASE = 0x80000000;
const PAGE = 4096;
const ROOT = BASE + 0x10000;
const PTE_V = 1,
  PTE_R = 2,
  PTE_W = 4,
  PTE_X = 8;

function machine(harts = 2): { target: GdbTarget; mem: GuestMemory; hs: RiscvHart[] } {
  const mem = new GuestMemory(BASE, 1 << 20, false);
  const bus = new PhysBus(mem);
  const hs = Array.from(
    { length: harts },
    (_, k) => new RiscvHart(k, mem, bus, { mtime: () => 0, mtime64: () => 0n }),
  );
  const target = new GdbTarget({
    harts: hs,
    pause: () => Promise.resolve(),
    resume: () => {},
    stop: () => {},
  });
  return { target, mem, hs };
}

function setPte(mem: GuestMemory, at: number, pa: number, flags: number): void {
  mem.view.setBigUint64(at - BASE, (BigInt(pa / PAGE) << 10n) | BigInt(flags), true);
}

/**
 * Sv39: virtual 0xffffffffc0001000 (sign-extended) -> BASE + 0x5000, through a level-2, level-1
 * and level-0 table; the leaf has A and D clear (a hardware walk would set them).
 */
function mapKernelPage(mem: GuestMemory): number {
  const va = -0x40000000 + 0x1000;
  const uva = 2 ** 39 + va;
  const l1 = ROOT + PAGE;
  const l0 = ROOT + 2 * PAGE;
  setPte(mem, ROOT + (Math.floor(uva / 2 ** 30) % 512) * 8, l1, PTE_V);
  setPte(mem, l1 + (Math.floor(uva / 2 ** 21) % 512) * 8, l0, PTE_V);
  setPte(mem, l0 + (Math.floor(uva / PAGE) % 512) * 8, BASE + 0x5000, PTE_V | PTE_R | PTE_W | PTE_X);
  return l0 + (Math.floor(uva / PAGE) % 512) * 8;
}

test('memory through the current translation: S-mode Sv39 maps, M-mode is physical; no A/D update, unmapped is unreadable', () => {
  const { target, mem, hs } = machine(1);
  const h = hs[0];
  const leaf = mapKernelPage(mem);
  mem.view.setUint32(0x5008, 0xdeadbeef, true);
  h.priv = C.PRV_S;
  h.satpMode = C.SATP_MODE_SV39;
  h.satpPpn = ROOT / PAGE;
  const before = mem.view.getBigUint64(leaf - BASE, true);
  assert.deepEqual([...target.readMemory(h, 0xffffffffc0001008n, 4)], [0xef, 0xbe, 0xad, 0xde]);
  assert.ok(target.writeMemory(h, 0xffffffffc000100cn, Uint8Array.from([1, 2])));
  assert.equal(mem.view.getUint16(0x500c, true), 0x0201);
  assert.equal(mem.view.getBigUint64(leaf - BASE, true), before, 'the walk set no A or D bit');
  // The next page is not mapped: a read stops there, a write is refused whole.
  assert.equal(target.readMemory(h, 0xffffffffc0001ffen, 4).length, 2);
  assert.equal(target.writeMemory(h, 0xffffffffc0001ffen, Uint8Array.from([9, 9, 9, 9])), false);
  assert.equal(mem.view.getUint16(0x5ffe, true), 0);
  assert.equal(target.readMemory(h, 0x1000n, 4).length, 0);
  h.priv = C.PRV_M;
  assert.deepEqual([...target.readMemory(h, BigInt(BASE + 0x5008), 4)], [0xef, 0xbe, 0xad, 0xde]);
});

test("registers by GDB's numbers: x 0-31, pc 32, f 33-64, CSR n at 65 + n, priv at 4161", () => {
  const { target, hs } = machine(1);
  const h = hs[0];
  h.setX(10, 0x11223344, 0x55667788);
  h.pc = -0x40000000;
  h.fpu.bits[2 * 3] = 0x3ff00000;
  h.priv = C.PRV_S;
  const hex = (n: number): string => Buffer.from(target.readRegister(h, n) ?? []).toString('hex');
  assert.equal(hex(10), '4433221188776655');
  assert.equal(hex(32), '000000c0ffffffff');
  assert.equal(hex(33 + 3), '0000f03f00000000');
  assert.equal(hex(65 + C.CSR_MHARTID), '0000000000000000');
  assert.equal(hex(4161), '0100000000000000');
  assert.equal(target.readRegister(h, 65 + 0x7ff), undefined);
  assert.ok(target.writeRegister(h, 1, Buffer.from('0100000000000080', 'hex')));
  assert.deepEqual([h.x[2], h.x[3]], [1, 0x80000000 | 0]);
  assert.ok(target.writeRegister(h, 65 + C.CSR_MSCRATCH, Buffer.from('efbeadde00000000', 'hex')));
  assert.equal(h.mscratch[0] >>> 0, 0xdeadbeef);
  assert.equal(
    target.writeRegister(h, 4161, Buffer.from('0200000000000000', 'hex')),
    false,
    'priv 2 is reserved',
  );
});

/** A session over `target`; returns a function that sends a packet and returns the replies' data. */
async function session(target: GdbTarget): Promise<(p: string) => Promise<string[]>> {
  let out = '';
  const s = new GdbSession(
    target,
    (b) => (out += text(b)),
    () => {},
  );
  await Promise.resolve();
  return async (p: string) => {
    out = '';
    s.receive(framePacket(ascii(p)));
    for (let k = 0; k < 10; k++) await Promise.resolve();
    return [...out.matchAll(/\$([^#]*)#[0-9a-f]{2}/g)].map((m) => m[1]);
  };
}

test('session: features, threads, the target description, registers, memory errors, breakpoints', async () => {
  const { target } = machine(2);
  const send = await session(target);
  const [features] = await send('qSupported:multiprocess+;swbreak+;xmlRegisters=i386');
  assert.match(features, /qXfer:features:read\+/);
  assert.match(features, /PacketSize=[0-9a-f]+/);
  assert.deepEqual(await send('QStartNoAckMode'), ['OK']);
  assert.deepEqual(await send('qfThreadInfo'), ['m1,2']);
  assert.deepEqual(await send('qsThreadInfo'), ['l']);
  assert.deepEqual(await send('Hg2'), ['OK']);
  assert.deepEqual(await send('T3'), ['E01']);
  assert.deepEqual(await send('T2'), ['OK']);
  const [mhartid] = await send(`p${(65 + C.CSR_MHARTID).toString(16)}`);
  assert.equal(mhartid, '0100000000000000', 'Hg2 selects hart 1');
  // The description comes in pieces of at most the packet size: m (more) until l (last).
  let xml = '';
  for (let piece = 'm'; piece[0] === 'm';) {
    [piece] = await send(`qXfer:features:read:target.xml:${xml.length.toString(16)},ffff`);
    assert.match(piece, /^[ml]/);
    xml += piece.slice(1);
  }
  for (const f of ['riscv.cpu', 'riscv.fpu', 'riscv.csr', 'riscv.virtual'])
    assert.ok(xml.includes(`org.gnu.gdb.${f}`), f);
  assert.match(xml, /<architecture>riscv:rv64<\/architecture>/);
  assert.match(xml, /name="mstatus" bitsize="64" regnum="833"/);
  assert.match(xml, /name="priv" bitsize="64" regnum="4161"/);
  const [g] = await send('g');
  assert.equal(g.length, 33 * 16, 'x0-x31 and pc');
  assert.deepEqual(await send('m10,4'), ['E14']);
  assert.deepEqual(await send('Z0,80000000,4'), ['OK']);
  assert.deepEqual(await send('Z2,80001000,8'), ['OK']);
  assert.equal(target.active, true);
  assert.deepEqual(await send('z0,80000000,4'), ['OK']);
  assert.deepEqual(await send('z2,80001000,8'), ['OK']);
  assert.equal(target.active, false);
  // A client cannot set points without bound.
  for (let k = 0; k < 4096; k++) await send(`Z0,${(0x80000000 + 2 * k).toString(16)},2`);
  assert.deepEqual(await send('Z0,90000000,2'), ['E01']);
  for (let k = 0; k < 4096; k++) await send(`z0,${(0x80000000 + 2 * k).toString(16)},2`);
  assert.equal(target.active, false);
  assert.deepEqual(await send('vCont?'), ['vCont;c;C;s;S']);
  // A continue of thread 2 alone (GDB's software single step): hart 0 does not run.
  const { hs } = { hs: target.harts };
  assert.deepEqual(await send('vCont;c:2'), []);
  assert.equal(target.active, true);
  const engine = { run: (): number => assert.fail('hart 0 must not run'), translatedInsns: 0 };
  assert.equal(target.run(hs[0], 100, engine), -1);
  assert.deepEqual(await send('vCont;c'), []);
  assert.equal(target.active, false, 'a continue of every thread lets the translator run');
  assert.deepEqual(await send('qXyzzy'), ['']);
  // GDB's `monitor` (qRcmd, hex of the command): output in O packets (hex), then OK.
  const hex = (t: string): string => Buffer.from(t).toString('hex');
  const [o, ok] = await send(`qRcmd,${hex('info jit')}`);
  assert.equal(ok, 'OK');
  assert.match(
    Buffer.from(o.slice(1), 'hex').toString(),
    /^instructions run while debugging: \d+, by translated code: \d+/,
  );
  assert.deepEqual(await send(`qRcmd,${hex('no such command')}`), ['']);
  assert.deepEqual(await send('qRcmd,zz'), ['']);
});
