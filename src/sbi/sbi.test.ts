// The built-in SBI against a hostile supervisor (SBI v2.0): every call, whatever its arguments,
// returns a standard error code or succeeds; none throws in the host. Calls go through a real
// `virt` board's ECALL handler, as the kernel's would.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MemoryCharBackend } from '../backends/memory-char.js';
import { VirtBoard } from '../boards/virt/board.js';
import { VIRT_MAP } from '../boards/virt/memory-map.js';
import { mulberry32 } from '../core/prng.js';
import type { RiscvHart } from '../cpu/riscv/hart.js';
import { isaProfile } from '../cpu/riscv/isa/profile.js';
import * as C from '../cpu/riscv/csr-defs.js';
import { firmwareRead } from '../cpu/riscv/csr.js';
import { TLB_ENTRIES } from '../cpu/riscv/mmu.js';
import { EID_BASE } from './base.js';
import { EID_DBCN } from './dbcn.js';
import { EID_HSM, HSM_STARTED, HSM_STOPPED } from './hsm.js';
import { EID_IPI } from './ipi.js';
import { EID_PMU } from './pmu.js';
import { EID_RFENCE } from './rfence.js';
import {
  SBI_ERR_ALREADY_AVAILABLE,
  SBI_ERR_ALREADY_STARTED,
  SBI_ERR_ALREADY_STOPPED,
  SBI_ERR_INVALID_ADDRESS,
  SBI_ERR_INVALID_PARAM,
  SBI_ERR_NOT_SUPPORTED,
  SBI_SUCCESS,
} from './sbi.js';
import { EID_SRST } from './srst.js';
import { EID_TIME } from './time.js';

const MiB = 1024 * 1024;
const RAM = BigInt(VIRT_MAP.ram.base);
const RAM_BYTES = 8 * MiB;
const HARTS = 4;
const MASK64 = (1n << 64n) - 1n;

/** A minimal RISC-V Image (boot-image-header.rst): `j .` at the entry, 4 KiB in all. */
function tinyImage(): Uint8Array {
  const img = new Uint8Array(4096);
  const v = new DataView(img.buffer);
  v.setUint32(0, 0x0000006f, true); // j .
  v.setBigUint64(8, 0x200000n, true); // text_offset
  v.setBigUint64(16, 4096n, true); // image_size
  img.set(new TextEncoder().encode('RISCV\0\0\0'), 48);
  img.set(new TextEncoder().encode('RSC\x05'), 56);
  return img;
}

function board(cpu?: string): { b: VirtBoard; out: MemoryCharBackend } {
  const out = new MemoryCharBackend();
  const b = new VirtBoard({
    memoryBytes: RAM_BYTES,
    harts: HARTS,
    kernel: tinyImage(),
    append: '',
    console: out,
    isa: cpu === undefined ? undefined : isaProfile(cpu),
  });
  return { b, out };
}

/** ECALL from `h` with a7 = eid, a6 = fid, a0.. = args (64-bit); returns (error, value). */
function call(h: RiscvHart, eid: number, fid: number, args: bigint[] = []): { error: number; value: bigint } {
  const set = (r: number, v: bigint): void => {
    const u = BigInt.asUintN(64, v);
    h.setX(r, Number(u & 0xffffffffn) | 0, Number(u >> 32n) | 0);
  };
  for (let k = 0; k < 6; k++) set(10 + k, args[k] ?? 0n);
  set(16, BigInt(fid));
  set(17, BigInt(eid));
  assert.ok(h.sbiHandler !== undefined);
  h.sbiHandler(h);
  const get = (r: number): bigint => (BigInt(h.x[2 * r + 1] >>> 0) << 32n) | BigInt(h.x[2 * r] >>> 0);
  return { error: Number(BigInt.asIntN(64, get(10))), value: get(11) };
}

test('HSM hart_start: a start address outside RAM is SBI_ERR_INVALID_ADDRESS and the hart stays stopped', () => {
  const { b } = board();
  const h0 = b.harts[0];
  const wild = [0n, BigInt(VIRT_MAP.uart0.base), RAM - 2n, RAM + BigInt(RAM_BYTES), 1n << 63n, MASK64];
  for (const addr of wild) {
    assert.equal(
      call(h0, EID_HSM, 0, [1n, addr, 0n]).error,
      SBI_ERR_INVALID_ADDRESS,
      `0x${addr.toString(16)}`,
    );
    assert.equal(b.harts[1].running, false);
    assert.equal(call(h0, EID_HSM, 2, [1n]).value, BigInt(HSM_STOPPED));
  }
  const start = RAM + 0x300000n;
  assert.equal(call(h0, EID_HSM, 0, [1n, start, 0x1234_5678_9abc_def0n]).error, SBI_SUCCESS);
  const h1 = b.harts[1];
  assert.equal(h1.running, true);
  assert.equal(h1.pc, Number(start));
  assert.equal(call(h0, EID_HSM, 2, [1n]).value, BigInt(HSM_STARTED));
  assert.equal(call(h0, EID_HSM, 0, [1n, start, 0n]).error, SBI_ERR_ALREADY_AVAILABLE);
});

test('HSM: hart ids that do not exist are SBI_ERR_INVALID_PARAM', () => {
  const { b } = board();
  for (const id of [BigInt(HARTS), 1n << 32n, 1n << 63n, MASK64]) {
    assert.equal(call(b.harts[0], EID_HSM, 0, [id, RAM + 0x200000n]).error, SBI_ERR_INVALID_PARAM);
    assert.equal(call(b.harts[0], EID_HSM, 2, [id]).error, SBI_ERR_INVALID_PARAM);
  }
});

test('HSM hart_suspend: reserved types are SBI_ERR_INVALID_PARAM, non-retentive is not offered', () => {
  const { b } = board();
  const h0 = b.harts[0];
  for (const type of [1n, 0x0fff_ffffn, 0x1000_0000n, 0x8000_0001n, 0x9000_0000n, 0xffff_ffffn]) {
    assert.equal(call(h0, EID_HSM, 3, [type]).error, SBI_ERR_INVALID_PARAM, `type 0x${type.toString(16)}`);
  }
  assert.equal(call(h0, EID_HSM, 3, [0x8000_0000n]).error, SBI_ERR_NOT_SUPPORTED);
  assert.equal(call(h0, EID_HSM, 3, [0n]).error, SBI_SUCCESS);
});

test('DBCN console_write: memory outside RAM is SBI_ERR_INVALID_PARAM and nothing is written', () => {
  const { b, out } = board();
  const h0 = b.harts[0];
  const end = RAM + BigInt(RAM_BYTES);
  const cases: [bigint, bigint, bigint][] = [
    [16n, 0n, 0n], // below RAM
    [16n, end - 8n, 0n], // across the end of RAM
    [16n, BigInt(VIRT_MAP.uart0.base), 0n], // a device
    [16n, RAM, 1n], // base_addr_hi set
    [MASK64, 1n << 63n, 0n],
  ];
  for (const [n, lo, hi] of cases) {
    assert.equal(call(h0, EID_DBCN, 0, [n, lo, hi]).error, SBI_ERR_INVALID_PARAM, `${n} @ ${lo}/${hi}`);
    assert.equal(call(h0, EID_DBCN, 1, [n, lo, hi]).error, SBI_ERR_INVALID_PARAM);
  }
  assert.equal(out.output.length, 0);
  b.mem.write(Number(RAM) + 0x400000, new TextEncoder().encode('hello'));
  const r = call(h0, EID_DBCN, 0, [5n, RAM + 0x400000n, 0n]);
  assert.deepEqual(r, { error: SBI_SUCCESS, value: 5n });
  assert.equal(out.text(), 'hello');
  // A huge length writes a prefix and says how much (12.1 allows fewer bytes than asked).
  const big = call(h0, EID_DBCN, 0, [MASK64, RAM + 0x400000n, 0n]);
  assert.equal(big.error, SBI_SUCCESS);
  assert.ok(big.value > 0n && big.value <= 4096n);
});

test('IPI and RFENCE: masks naming harts that do not exist are SBI_ERR_INVALID_PARAM', () => {
  const { b } = board();
  const h0 = b.harts[0];
  for (const eid of [EID_IPI, EID_RFENCE]) {
    assert.equal(call(h0, eid, 0, [1n << BigInt(HARTS), 0n]).error, SBI_ERR_INVALID_PARAM);
    assert.equal(call(h0, eid, 0, [1n, BigInt(HARTS)]).error, SBI_ERR_INVALID_PARAM);
    assert.equal(call(h0, eid, 0, [1n, 1n << 63n]).error, SBI_ERR_INVALID_PARAM);
    assert.equal(call(h0, eid, 0, [MASK64, 0n]).error, SBI_ERR_INVALID_PARAM);
    assert.equal(call(h0, eid, 0, [0n, MASK64]).error, SBI_SUCCESS, 'hart_mask_base -1: every hart');
    assert.equal(call(h0, eid, 0, [0b11n, 2n]).error, SBI_SUCCESS);
  }
  const noH = board('max,h=off').b.harts[0];
  assert.equal(call(noH, EID_RFENCE, 3, [1n, 0n]).error, SBI_ERR_NOT_SUPPORTED, 'no H extension');
});

test('RFENCE with H: the remote HFENCE functions (FID 3-6) drop the target harts’ V = 1 translations', () => {
  const { b } = board('max');
  const [h0, h1] = b.harts;
  const page = 0x4000;
  /** Put a V = 1 (VS) translation of `page` in h1's TLB, back in HS; returns its entry. */
  const cache = (): number => {
    h1.priv = C.PRV_S;
    h1.hyp.virt = true;
    h1.updateContext();
    const i = h1.loadBase + ((page >>> 12) & (TLB_ENTRIES - 1));
    h1.tlb.set(i, page, 0x1000);
    h1.hyp.virt = false;
    h1.updateContext();
    return i;
  };
  for (const fid of [3, 4, 5, 6]) {
    const i = cache();
    assert.equal(h1.tlb.tag[i], page);
    h1.yieldLoop = false;
    assert.equal(call(h0, EID_RFENCE, fid, [0b10n, 0n, 0n, MASK64, 0n]).error, SBI_SUCCESS, `FID ${fid}`);
    assert.ok(Number.isNaN(h1.tlb.tag[i]), `FID ${fid} dropped the entry`);
    assert.equal(h1.yieldLoop, true);
  }
  assert.equal(call(h0, EID_RFENCE, 7, [0b10n, 0n]).error, SBI_ERR_NOT_SUPPORTED);
});

test('PMU: counters are described, matched to events, started and stopped as the SBI spec says', () => {
  const { b } = board();
  const h = b.harts[0];
  const csr = (n: number): bigint => BigInt.asUintN(64, firmwareRead(h, n) ?? -1n);
  const n = call(h, EID_PMU, 0);
  assert.equal(n.error, SBI_SUCCESS);
  assert.equal(n.value, 32n);
  // counter_get_info: CSR number in [11:0], width - 1 in [17:12], type hardware (bit 63 clear).
  for (const idx of [0, 2, 3, 31]) {
    const info = call(h, EID_PMU, 1, [BigInt(idx)]);
    assert.equal(info.error, SBI_SUCCESS);
    assert.equal(info.value & 0xfffn, BigInt(C.CSR_CYCLE + idx));
    assert.equal((info.value >> 12n) & 0x3fn, 63n);
    assert.equal(info.value >> 63n, 0n);
  }
  assert.equal(call(h, EID_PMU, 1, [1n]).error, SBI_ERR_INVALID_PARAM); // time is not a counter
  assert.equal(call(h, EID_PMU, 1, [32n]).error, SBI_ERR_INVALID_PARAM);
  // Every counter but time (1), as Linux passes the counters get_info described.
  const ALL = 0xfffffffdn;
  assert.equal(call(h, EID_PMU, 2, [0n, 0xffffffffn, 0n, 1n]).error, SBI_ERR_INVALID_PARAM);
  const HW_CYCLES = 1n;
  const HW_INSTRUCTIONS = 2n;
  const SET_SINH = 1n << 6n;
  const CLEAR_VALUE = 1n << 1n;
  // An unfiltered cycles request gets the fixed cycle counter, stopped until started.
  const cyc = call(h, EID_PMU, 2, [0n, ALL, CLEAR_VALUE, HW_CYCLES]);
  assert.deepEqual(cyc, { error: SBI_SUCCESS, value: 0n });
  assert.equal((csr(C.CSR_MCOUNTINHIBIT) >> 0n) & 1n, 1n);
  // A filtered one cannot use a fixed counter (no Smcntrpmf): a programmable counter, programmed
  // with event 2 and SINH (mhpmevent bit 61).
  const ins = call(h, EID_PMU, 2, [0n, ALL, SET_SINH | CLEAR_VALUE, HW_INSTRUCTIONS]);
  assert.equal(ins.error, SBI_SUCCESS);
  const idx = Number(ins.value);
  assert.ok(idx >= 3 && idx < 32);
  assert.equal(csr(C.CSR_MHPMEVENT3 + idx - 3), 2n | (1n << 61n));
  // The same counter is not handed out twice.
  const other = call(h, EID_PMU, 2, [BigInt(idx), 1n, 0n, HW_INSTRUCTIONS]);
  assert.equal(other.error, SBI_ERR_NOT_SUPPORTED);
  // counter_start with SET_INIT_VALUE writes the value and starts it; starting twice is an error.
  assert.equal(call(h, EID_PMU, 3, [BigInt(idx), 1n, 1n, 1000n]).error, SBI_SUCCESS);
  assert.equal((csr(C.CSR_MCOUNTINHIBIT) >> BigInt(idx)) & 1n, 0n);
  assert.equal(csr(C.CSR_MHPMCOUNTER3 + idx - 3), 1000n);
  assert.equal(call(h, EID_PMU, 3, [BigInt(idx), 1n, 0n, 0n]).error, SBI_ERR_ALREADY_STARTED);
  // counter_stop, twice; with RESET the counter is free again.
  assert.equal(call(h, EID_PMU, 4, [BigInt(idx), 1n, 0n]).error, SBI_SUCCESS);
  assert.equal((csr(C.CSR_MCOUNTINHIBIT) >> BigInt(idx)) & 1n, 1n);
  assert.equal(call(h, EID_PMU, 4, [BigInt(idx), 1n, 1n]).error, SBI_ERR_ALREADY_STOPPED);
  call(h, EID_PMU, 3, [BigInt(idx), 1n, 0n, 0n]);
  assert.equal(call(h, EID_PMU, 4, [BigInt(idx), 1n, 1n]).error, SBI_SUCCESS);
  assert.equal(call(h, EID_PMU, 2, [BigInt(idx), 1n, 0n, HW_INSTRUCTIONS]).value, BigInt(idx));
  // Events it cannot count (a cache event, type 1) and counters that do not exist.
  assert.equal(call(h, EID_PMU, 2, [0n, ALL, 0n, (1n << 16n) | 1n]).error, SBI_ERR_NOT_SUPPORTED);
  assert.equal(call(h, EID_PMU, 3, [40n, 1n, 0n, 0n]).error, SBI_ERR_INVALID_PARAM);
  assert.equal(call(h, EID_PMU, 5, [0n]).error, SBI_ERR_INVALID_PARAM); // no firmware counters
});

test('fuzz: random calls with hostile arguments return standard errors and never throw', () => {
  const rnd = mulberry32(0x5b1);
  const eids = [
    EID_BASE,
    EID_TIME,
    EID_IPI,
    EID_RFENCE,
    EID_HSM,
    EID_DBCN,
    EID_SRST,
    EID_PMU,
    0x4442434f,
    0x8000_0000,
  ];
  const edge = (): bigint => {
    const k = rnd() % 9;
    if (k === 0) return 0n;
    if (k === 1) return MASK64;
    if (k === 2) return 1n << 63n;
    if (k === 3) return RAM + BigInt(rnd() % RAM_BYTES);
    if (k === 4) return RAM + BigInt(RAM_BYTES) - BigInt(rnd() % 16);
    if (k === 5) return BigInt(VIRT_MAP.uart0.base + (rnd() % 8));
    if (k === 6) return BigInt(rnd() % 64);
    return (BigInt(rnd() >>> 0) << 32n) | BigInt(rnd() >>> 0);
  };
  const valid = new Set([0, -1, -2, -3, -4, -5, -6, -7, -8]);
  for (let round = 0; round < 50; round++) {
    const { b } = board();
    for (let k = 0; k < 400 && !b.stopped; k++) {
      const h = b.harts[rnd() % HARTS];
      const eid = eids[rnd() % eids.length];
      const fid = rnd() % 4 === 0 ? rnd() >>> 0 : rnd() % 8;
      const r = call(h, eid, fid, [edge(), edge(), edge(), edge(), edge(), edge()]);
      assert.ok(valid.has(r.error), `eid 0x${eid.toString(16)} fid ${fid}: error ${r.error}`);
      for (const x of b.harts) {
        if (x.running) assert.ok(b.mem.contains(x.pc, 2), `hart ${x.hartId} runs outside RAM`);
      }
    }
  }
});
