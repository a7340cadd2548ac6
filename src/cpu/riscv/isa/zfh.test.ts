// The Zfhmin, Zfh and Zfa tables: every encoding decodes to its mnemonic (Zfh words from GNU as,
// Zfa words from the chapter's encodings), exactly when its extensions are on, neighbouring
// reserved words stay illegal, the ISA string places them canonically, and FLH/FSH move 16 bits
// with NaN-boxing through a hart, up to the last bytes of RAM, and trap while mstatus.FS is Off.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PhysBus } from '../../../memory/bus.js';
import { GuestMemory } from '../../../memory/guest-memory.js';
import * as C from '../csr-defs.js';
import { RiscvHart } from '../hart.js';
import { runInterpreter } from '../interp.js';
import { hostBytesFor } from '../jit/wasm/layout.js';
import { ACCESS_FETCH, ACCESS_LOAD, ACCESS_STORE } from '../mmu.js';
import { isaProfile } from './profile.js';
import { ZFA_INSNS } from './zfa.js';
import { ZFH_INSNS } from './zfh.js';

/**
 * Words assembled by GNU as 2.40 (-march=rv64gc_zfh) with rd = fa0/a0, rs1 = fa1/a1, rs2 = fa2,
 * rs3 = fa3, flh at 8(a1), fsh at -4(a1), and which extension has each (Zfhmin's are in Zfh too).
 */
const ZFH_WORDS: [number, string, 'zfhmin' | 'zfhmin+d' | 'zfh'][] = [
  [0x00859507, 'flh', 'zfhmin'],
  [0xfec59e27, 'fsh', 'zfhmin'],
  [0x6cc58543, 'fmadd.h', 'zfh'], // rne
  [0x6cc59547, 'fmsub.h', 'zfh'], // rtz
  [0x6cc5a54b, 'fnmsub.h', 'zfh'], // rdn
  [0x6cc5b54f, 'fnmadd.h', 'zfh'], // rup
  [0x04c5c553, 'fadd.h', 'zfh'], // rmm
  [0x0cc5f553, 'fsub.h', 'zfh'], // dyn
  [0x14c58553, 'fmul.h', 'zfh'],
  [0x1cc58553, 'fdiv.h', 'zfh'],
  [0x5c058553, 'fsqrt.h', 'zfh'],
  [0x24c58553, 'fsgnj.h', 'zfh'],
  [0x24c59553, 'fsgnjn.h', 'zfh'],
  [0x24c5a553, 'fsgnjx.h', 'zfh'],
  [0x2cc58553, 'fmin.h', 'zfh'],
  [0x2cc59553, 'fmax.h', 'zfh'],
  [0x40258553, 'fcvt.s.h', 'zfhmin'],
  [0x44058553, 'fcvt.h.s', 'zfhmin'],
  [0x42258553, 'fcvt.d.h', 'zfhmin+d'],
  [0x44158553, 'fcvt.h.d', 'zfhmin+d'],
  [0xc4059553, 'fcvt.w.h', 'zfh'], // rtz
  [0xc4159553, 'fcvt.wu.h', 'zfh'],
  [0xc4259553, 'fcvt.l.h', 'zfh'],
  [0xc4359553, 'fcvt.lu.h', 'zfh'],
  [0xd4058553, 'fcvt.h.w', 'zfh'],
  [0xd4158553, 'fcvt.h.wu', 'zfh'],
  [0xd4258553, 'fcvt.h.l', 'zfh'],
  [0xd4358553, 'fcvt.h.lu', 'zfh'],
  [0xe4058553, 'fmv.x.h', 'zfhmin'],
  [0xf4058553, 'fmv.h.x', 'zfhmin'],
  [0xa4c5a553, 'feq.h', 'zfh'],
  [0xa4c59553, 'flt.h', 'zfh'],
  [0xa4c58553, 'fle.h', 'zfh'],
  [0xe4059553, 'fclass.h', 'zfh'],
];

/**
 * Zfa words (GNU as 2.40 does not know Zfa) with the same registers, written from the chapter:
 * FLI is FMV.fmt.X with rs2 = 1 (rs1 = table index 16 here); FMINM/FMAXM are FMIN/FMAX with bit 13
 * set; FROUND/FROUNDNX are FCVT.S.D, FCVT.D.S, FCVT.H.S with rs2 = 4, 5; FLEQ/FLTQ are FLE/FLT
 * with bit 14 set; FCVTMOD.W.D is FCVT.W.D with rs2 = 8 and rm = RTZ.
 */
const ZFA_WORDS: [number, string, 'zfa' | 'zfa+d' | 'zfa+zfh'][] = [
  [0xf0180553, 'fli.s', 'zfa'],
  [0xf2180553, 'fli.d', 'zfa+d'],
  [0xf4180553, 'fli.h', 'zfa+zfh'],
  [0x28c5a553, 'fminm.s', 'zfa'],
  [0x28c5b553, 'fmaxm.s', 'zfa'],
  [0x2ac5a553, 'fminm.d', 'zfa+d'],
  [0x2ac5b553, 'fmaxm.d', 'zfa+d'],
  [0x2cc5a553, 'fminm.h', 'zfa+zfh'],
  [0x2cc5b553, 'fmaxm.h', 'zfa+zfh'],
  [0x40458553, 'fround.s', 'zfa'],
  [0x4055f553, 'froundnx.s', 'zfa'],
  [0x42459553, 'fround.d', 'zfa+d'],
  [0x4255a553, 'froundnx.d', 'zfa+d'],
  [0x4445b553, 'fround.h', 'zfa+zfh'],
  [0x4455c553, 'froundnx.h', 'zfa+zfh'],
  [0xa0c5c553, 'fleq.s', 'zfa'],
  [0xa0c5d553, 'fltq.s', 'zfa'],
  [0xa2c5c553, 'fleq.d', 'zfa+d'],
  [0xa2c5d553, 'fltq.d', 'zfa+d'],
  [0xa4c5c553, 'fleq.h', 'zfa+zfh'],
  [0xa4c5d553, 'fltq.h', 'zfa+zfh'],
  [0xc2859553, 'fcvtmod.w.d', 'zfa+d'],
];

/** Whether a word of extension set `needs` ("zfa+d") decodes under profile spec. */
function expectOn(spec: string, needs: string): boolean {
  const p = isaProfile(spec);
  // Zfhmin's instructions are Zfh's too; Zfh requires Zfhmin, so Zfhmin's being on decides.
  return needs.split('+').every((e) => p.has(e));
}

const PROFILES = [
  'max',
  'rv64gc',
  'max,zfh=off',
  'max,zfhmin=off',
  'max,zfa=off',
  'max,d=off',
  'max,f=off',
  'rv64gc,zfa=on',
  'rv64gc,zfhmin=on',
  'rv64gc,zfh=on',
  'rv64gc,zfa=on,zfh=on,d=off',
];

test('every Zfhmin, Zfh and Zfa word decodes to its entry exactly when its extensions are on', () => {
  const all = [...ZFH_WORDS, ...ZFA_WORDS];
  assert.deepEqual(
    all.map(([, n]) => n).sort(),
    [...ZFH_INSNS, ...ZFA_INSNS].map((s) => s.name).sort(),
    'one word per table entry',
  );
  for (const spec of PROFILES) {
    const dec = isaProfile(spec).decoder;
    for (const [w, name, needs] of all) {
      const on = expectOn(spec, needs);
      assert.equal(dec.find(w | 0)?.name, on ? name : undefined, `0x${w.toString(16)} ${name} under ${spec}`);
    }
  }
  // What each extension brings along, and takes away.
  assert.ok(isaProfile('rv64gc,zfh=on').has('zfhmin'));
  assert.ok(!isaProfile('max,zfhmin=off').has('zfh'));
  const noF = isaProfile('max,f=off');
  assert.ok(!noF.has('zfa') && !noF.has('zfh') && !noF.has('zfhmin'));
});

test('reserved neighbours of the Zfh and Zfa encodings stay illegal', () => {
  const d = isaProfile('max').decoder;
  /** An OP-FP word with rd = fa0, rs1 = fa1 and these funct7, rs2 and funct3 fields. */
  const op = (funct7: number, rs2: number, funct3: number): number =>
    (funct7 << 25) | (rs2 << 20) | (11 << 15) | (funct3 << 12) | (10 << 7) | 0x53;
  const reserved = [
    op(0x61, 8, 2), // FCVTMOD.W.D with rm = RDN: reserved
    op(0x61, 8, 0), // ... RNE
    op(0x61, 8, 7), // ... DYN
    op(0x7a, 1, 1), // FLI.H with funct3 = 1
    op(0x7a, 3, 0), // FMV.H.X's funct7 with rs2 = 3
    op(0x22, 6, 0), // FCVT.H.S's funct7 with rs2 = 6
    op(0x22, 2, 0), // FCVT.H.H
    op(0x21, 3, 0), // FCVT.D.Q: no Q
    op(0x16, 12, 4), // FMIN.H's funct7 with funct3 = 4
    op(0x52, 12, 6), // FLE.H's funct7 with funct3 = 6
    op(0x72, 1, 1), // FCLASS.H with rs2 = 1
    op(0x78, 1, 1), // FLI.S with funct3 = 1
    0x00058507, // LOAD-FP with funct3 = 000
    0x06c58543, // FMADD with fmt = 11 (Q)
  ];
  for (const w of reserved) {
    const name = d.find(w | 0)?.name;
    assert.equal(name, undefined, `0x${(w >>> 0).toString(16)} decodes to ${name}`);
  }
});

test('the ISA string lists zfa, zfh, zfhmin after the zi* and za* groups and before the zc* and zb* groups', () => {
  const max = isaProfile('max').isaString;
  assert.match(max, /_zawrs_zfa_zfh_zfhmin_zcb_zcmop_zba_/);
  assert.equal(isaProfile('rv64gc,zfh=on').isaString, 'rv64imafdc_zicntr_zicsr_zifencei_zfh_zfhmin_sstc');
});

const BASE = 0x80000000;
const RAM_BYTES = 1 << 20;

function machine(): RiscvHart {
  const mem = new GuestMemory(BASE, RAM_BYTES, false, hostBytesFor(1, RAM_BYTES));
  return new RiscvHart(0, mem, new PhysBus(mem), { mtime: () => 0, mtime64: () => 0n });
}

/** Run the one instruction `word` at BASE with x11 = addr; returns the hart. */
function step(h: RiscvHart, word: number, addr: number, fs: number): void {
  h.mem.write32(BASE, word >>> 0);
  h.x[22] = addr | 0;
  h.x[23] = 0;
  h.mstatus = (h.mstatus & ~C.MSTATUS_FS) | (fs << 13);
  h.pc = BASE;
  h.translate(BASE, ACCESS_FETCH);
  // Fill the TLB so that the access takes the fast path, the one that must read only 2 bytes.
  h.translate(addr - (addr % 4096), ACCESS_LOAD);
  h.translate(addr - (addr % 4096), ACCESS_STORE);
  runInterpreter(h, 1);
}

test('FLH NaN-boxes 16 bits, FSH stores 16, at the last bytes of RAM; both trap while FS is Off', () => {
  const h = machine();
  const last = BASE + RAM_BYTES - 2;
  // flh fa0, 0(a1) / fsh fa2, 0(a1)
  const FLH = 0x00059507;
  const FSH = 0x00c59027;
  for (const v of [0x3c00, 0x7c01, 0x8000, 0xffff]) {
    h.mem.write32(last - 2, (v << 16) | 0x1234);
    h.fpu.setD(10, 0, 0);
    step(h, FLH, last, 1);
    assert.equal(h.pc, BASE + 4, 'no trap');
    assert.deepEqual([h.fpu.bits[20], h.fpu.bits[21]], [0xffff0000 | v | 0, -1], `flh 0x${v.toString(16)}`);
    assert.equal(h.mstatus & C.MSTATUS_FS, C.MSTATUS_FS, 'FS Dirty after a load into f');
    // FSH stores the low 16 bits of f12 whatever the upper bits hold (no NaN-box check).
    h.fpu.setD(12, 0x5a5a0000 | (v ^ 0xffff), 0x01234567);
    step(h, FSH, last, 1);
    assert.equal(h.mem.read32(last - 2) >>> 16, v ^ 0xffff, `fsh 0x${(v ^ 0xffff).toString(16)}`);
    assert.equal(h.mem.read32(last - 2) & 0xffff, 0x1234, 'fsh writes 2 bytes only');
  }
  // FS Off: illegal instruction, nothing moved.
  h.fpu.setD(10, 0, 0);
  step(h, FLH, last, 0);
  assert.equal(h.mcause[0], C.CAUSE_ILLEGAL_INSTRUCTION);
  assert.deepEqual([h.fpu.bits[20], h.fpu.bits[21]], [0, 0]);
});
