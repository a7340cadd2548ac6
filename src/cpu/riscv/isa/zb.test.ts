// Zba, Zbb, Zbc, Zbs, Zbkb, Zbkx and Zicond against a reference written from the specifications'
// pseudo-code (Bit-Manipulation ISA-extensions v1.0.0, Scalar Cryptography v1.0.1, Zicond v1.0)
// on BigInt: each primitive's JavaScript and WebAssembly implementations, then each instruction
// as the interpreter, the translator and the cold interpreter run it, and the decoding of every
// encoding with its extension on and off.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { out } from '../../../core/u64.js';
import { Code, encodeModule, I64, Op, type ValType } from '../../../core/wasm/encode.js';
import { prng } from '../../../core/prng.js';
import { PhysBus } from '../../../memory/bus.js';
import { GuestMemory } from '../../../memory/guest-memory.js';
import { RiscvHart } from '../hart.js';
import { runInterpreter } from '../interp.js';
import { WasmJit } from '../jit/wasm/engine.js';
import { hostBytesFor } from '../jit/wasm/layout.js';
import { ACCESS_FETCH } from '../mmu.js';
import { isaProfile } from './profile.js';
import type { InsnSpec, Sem } from './types.js';
import { ZB_INSNS } from './zb.js';
import { ZICOND } from './zicond.js';

// ---- The reference ----------------------------------------------------------------------------

const u64 = (v: bigint): bigint => BigInt.asUintN(64, v);
const u32 = (v: bigint): bigint => BigInt.asUintN(32, v);
const sext32 = (v: bigint): bigint => u64(BigInt.asIntN(32, v));
const s64 = (v: bigint): bigint => BigInt.asIntN(64, v);
const bit = (v: bigint, i: number): bigint => (v >> BigInt(i)) & 1n;

/** Leading zeros of the low `n` bits. */
function clz(v: bigint, n: number): bigint {
  let k = 0;
  for (let i = n - 1; i >= 0 && bit(v, i) === 0n; i--) k++;
  return BigInt(k);
}
function ctz(v: bigint, n: number): bigint {
  let k = 0;
  for (let i = 0; i < n && bit(v, i) === 0n; i++) k++;
  return BigInt(k);
}
function cpop(v: bigint, n: number): bigint {
  let k = 0n;
  for (let i = 0; i < n; i++) k += bit(v, i);
  return k;
}
/** Byte i of v mapped by f, reassembled. */
function bytewise(v: bigint, f: (byte: bigint, i: number) => bigint): bigint {
  let r = 0n;
  for (let i = 0; i < 8; i++) r |= f((v >> BigInt(8 * i)) & 0xffn, i) << BigInt(8 * i);
  return r;
}
function rotl(v: bigint, s: bigint, n: bigint): bigint {
  const m = (1n << n) - 1n;
  v &= m;
  return ((v << s) | (v >> (n - s))) & m;
}
function rotr(v: bigint, s: bigint, n: bigint): bigint {
  const m = (1n << n) - 1n;
  v &= m;
  return ((v >> s) | (v << (n - s))) & m;
}

/**
 * x[rd] from x[rs1] = a and the second operand b (x[rs2], or the shamt field), both unsigned
 * 64-bit, as the specifications' operation sections say.
 */
const REF: Record<string, (a: bigint, b: bigint) => bigint> = {
  // Zba
  'add.uw': (a, b) => u64(b + u32(a)),
  sh1add: (a, b) => u64(b + (a << 1n)),
  sh2add: (a, b) => u64(b + (a << 2n)),
  sh3add: (a, b) => u64(b + (a << 3n)),
  'sh1add.uw': (a, b) => u64(b + (u32(a) << 1n)),
  'sh2add.uw': (a, b) => u64(b + (u32(a) << 2n)),
  'sh3add.uw': (a, b) => u64(b + (u32(a) << 3n)),
  'slli.uw': (a, sh) => u64(u32(a) << sh),
  // Zbb
  andn: (a, b) => a & u64(~b),
  orn: (a, b) => a | u64(~b),
  xnor: (a, b) => u64(~(a ^ b)),
  clz: (a) => clz(a, 64),
  ctz: (a) => ctz(a, 64),
  cpop: (a) => cpop(a, 64),
  clzw: (a) => clz(a, 32),
  ctzw: (a) => ctz(a, 32),
  cpopw: (a) => cpop(a, 32),
  max: (a, b) => (s64(a) < s64(b) ? b : a),
  maxu: (a, b) => (a < b ? b : a),
  min: (a, b) => (s64(a) < s64(b) ? a : b),
  minu: (a, b) => (a < b ? a : b),
  'sext.b': (a) => u64(BigInt.asIntN(8, a)),
  'sext.h': (a) => u64(BigInt.asIntN(16, a)),
  'zext.h': (a) => a & 0xffffn,
  rol: (a, b) => rotl(a, b & 63n, 64n),
  ror: (a, b) => rotr(a, b & 63n, 64n),
  rori: (a, sh) => rotr(a, sh, 64n),
  rolw: (a, b) => sext32(rotl(a, b & 31n, 32n)),
  rorw: (a, b) => sext32(rotr(a, b & 31n, 32n)),
  roriw: (a, sh) => sext32(rotr(a, sh, 32n)),
  'orc.b': (a) => bytewise(a, (x) => (x === 0n ? 0n : 0xffn)),
  rev8: (a) => bytewise(a, (_x, i) => (a >> BigInt(8 * (7 - i))) & 0xffn),
  // Zbc: the 128-bit carry-less product, its low half, bits 127:64 and bits 126:63.
  clmul: (a, b) => {
    let r = 0n;
    for (let i = 0; i < 64; i++) if (bit(b, i) === 1n) r ^= a << BigInt(i);
    return u64(r);
  },
  clmulh: (a, b) => {
    let r = 0n;
    for (let i = 1; i < 64; i++) if (bit(b, i) === 1n) r ^= a >> BigInt(64 - i);
    return r;
  },
  clmulr: (a, b) => {
    let r = 0n;
    for (let i = 0; i < 64; i++) if (bit(b, i) === 1n) r ^= a >> BigInt(63 - i);
    return r;
  },
  // Zbs
  bclr: (a, b) => a & u64(~(1n << (b & 63n))),
  bclri: (a, sh) => a & u64(~(1n << sh)),
  bext: (a, b) => (a >> (b & 63n)) & 1n,
  bexti: (a, sh) => (a >> sh) & 1n,
  binv: (a, b) => a ^ (1n << (b & 63n)),
  binvi: (a, sh) => a ^ (1n << sh),
  bset: (a, b) => a | (1n << (b & 63n)),
  bseti: (a, sh) => a | (1n << sh),
  // Zbkb
  pack: (a, b) => (u32(b) << 32n) | u32(a),
  packh: (a, b) => ((b & 0xffn) << 8n) | (a & 0xffn),
  packw: (a, b) => sext32(((b & 0xffffn) << 16n) | (a & 0xffffn)),
  brev8: (a) =>
    bytewise(a, (x) => {
      let r = 0n;
      for (let i = 0; i < 8; i++) r |= bit(x, i) << BigInt(7 - i);
      return r;
    }),
  // Zbkx, as the Sail code says: result[i+w-1..i] = (a >> (idx * w))[w-1..0] for the w-bit index
  // idx at bit i of b, a shift past bit 63 giving 0.
  xperm4: (a, b) => {
    let r = 0n;
    for (let i = 0n; i < 64n; i += 4n) r |= ((a >> (((b >> i) & 0xfn) * 4n)) & 0xfn) << i;
    return r;
  },
  xperm8: (a, b) => {
    let r = 0n;
    for (let i = 0n; i < 64n; i += 8n) r |= ((a >> (((b >> i) & 0xffn) * 8n)) & 0xffn) << i;
    return r;
  },
  // Zicond
  'czero.eqz': (a, b) => (b === 0n ? 0n : a),
  'czero.nez': (a, b) => (b !== 0n ? 0n : a),
};

const NEW: readonly InsnSpec[] = [...ZB_INSNS, ...ZICOND];
const opSem = (s: InsnSpec): Extract<Sem, { kind: 'op' | 'op32' }> => {
  const sem = s.sem;
  assert.ok(sem !== undefined && (sem.kind === 'op' || sem.kind === 'op32'), s.name);
  return sem;
};

test('every new instruction has a reference, and every reference an instruction', () => {
  assert.deepEqual(NEW.map((s) => s.name).sort(), Object.keys(REF).sort());
});

// ---- Operands -----------------------------------------------------------------------------------

const EDGES = [
  0n,
  1n,
  2n,
  0x7fn,
  0x80n,
  0xffn,
  0x8000n,
  0xffffn,
  0x7fffffffn,
  0x80000000n,
  0xffffffffn,
  0x100000000n,
  0x8000000000000000n,
  0x7fffffffffffffffn,
  0xffffffffffffffffn,
  0xfffffffffffffffen,
  0x0123456789abcdefn,
  0x00ff00ff00000000n,
  // Byte indices 0..7 (xperm8's identity) and 8..15 (just past its table).
  0x0706050403020100n,
  0x0f0e0d0c0b0a0908n,
];

/**
 * Random 64-bit values, some with runs of zero bytes or a zero word (for clz, ctz, orc.b), some
 * with bytes below 16 (xperm8 indices, half of them within its table).
 */
function randoms(seed: number, n: number): bigint[] {
  const r = prng(seed);
  const word = (): bigint => BigInt(Math.floor(r() * 2 ** 32));
  const values: bigint[] = [];
  for (let k = 0; k < n; k++) {
    let v = (word() << 32n) | word();
    const shape = Math.floor(r() * 5);
    if (shape === 1) v &= bytewise(word(), (x) => ((x & 1n) === 0n ? 0n : 0xffn)) | 0x0101010101010101n;
    if (shape === 2) v >>= BigInt(Math.floor(r() * 64));
    if (shape === 3) v = u64(v << BigInt(Math.floor(r() * 64)));
    if (shape === 4) v &= 0x0f0f0f0f0f0f0f0fn;
    values.push(v);
  }
  return values;
}

/** Edge pairs, then random ones. */
function pairs(seed: number, n: number): [bigint, bigint][] {
  const list: [bigint, bigint][] = [];
  for (const a of EDGES) for (const b of EDGES) list.push([a, b]);
  const rs = randoms(seed, 2 * n);
  for (let k = 0; k < n; k++) list.push([rs[2 * k], rs[2 * k + 1]]);
  return list;
}

/** The second operand as the instruction's `rhs` gives it (a shamt field holds b's low bits). */
function rhsValue(s: InsnSpec, b: bigint): bigint {
  const rhs = opSem(s).rhs;
  return rhs === 'rs2' ? b : rhs === 'shamt6' ? b & 63n : rhs === 'shamt5' ? b & 31n : 0n;
}

// ---- The primitives -------------------------------------------------------------------------

const lo32 = (v: bigint): number => Number(BigInt.asIntN(32, v));
const hi32 = (v: bigint): number => Number(BigInt.asIntN(32, v >> 32n));

/** The JavaScript implementation of s's semantics on (a, b). */
function runJs(s: InsnSpec, a: bigint, b: bigint): bigint {
  const sem = opSem(s);
  if (sem.kind === 'op32') return sext32(BigInt(sem.prim.js(lo32(a), lo32(b))));
  out.hi = 0x5a5a5a5a; // a primitive must set it
  const lo = sem.prim.js(lo32(a), hi32(a), lo32(b), hi32(b));
  return u64((BigInt(out.hi) << 32n) | BigInt(lo >>> 0));
}

/** One WebAssembly function (i64 a, i64 b) -> i64 per instruction, from its primitive's code. */
function wasmFns(specs: readonly InsnSpec[]): ((a: bigint, b: bigint) => bigint)[] {
  const funcs = specs.map((s, k) => {
    const sem = opSem(s);
    const c = new Code();
    c.get(0);
    if (sem.kind === 'op32') c.op(Op.i32_wrap_i64);
    c.get(1);
    if (sem.kind === 'op32') c.op(Op.i32_wrap_i64);
    sem.prim.wasm(c, { tmp: (n) => 2 + n });
    if (sem.kind === 'op32') c.op(Op.i64_extend_i32_s);
    const locals: ValType[] = [I64, I64, I64, I64];
    return { type: 0, locals, code: c, export: `f${k}` };
  });
  const bytes = encodeModule({
    types: [{ params: [I64, I64], results: [I64] }],
    importFuncs: [],
    importMemory: false,
    importTable: false,
    funcs,
  });
  const inst = new WebAssembly.Instance(new WebAssembly.Module(bytes));
  return specs.map((_, k) => {
    const f = inst.exports[`f${k}`] as (a: bigint, b: bigint) => bigint;
    return (a, b) => u64(f(BigInt.asIntN(64, a), BigInt.asIntN(64, b)));
  });
}

test('each primitive, in JavaScript and in WebAssembly, computes what the specification says', () => {
  const values = pairs(7, 2000);
  const fns = wasmFns(NEW);
  let checked = 0;
  NEW.forEach((s, k) => {
    for (const [a, b0] of values) {
      const b = rhsValue(s, b0);
      const want = REF[s.name](a, b);
      const what = `${s.name} a=0x${a.toString(16)} b=0x${b.toString(16)}`;
      assert.equal(runJs(s, a, b), want, `${what}: JavaScript`);
      assert.equal(fns[k](a, b), want, `${what}: WebAssembly`);
      checked++;
    }
  });
  assert.ok(checked >= NEW.length * 2000);
});

// ---- The instructions in each engine ------------------------------------------------------------

const BASE = 0x80000000;
const JAL_SELF = 0x0000006f; // jal x0, 0: ends each one-instruction block
/** A start runs this often before it is translated: never, in these tests. */
const NEVER = 60000;

function machine(): RiscvHart {
  const mem = new GuestMemory(BASE, 1 << 20, false, hostBytesFor(1, 1 << 20));
  return new RiscvHart(0, mem, new PhysBus(mem), { mtime: () => 0, mtime64: () => 0n });
}

function setX(h: RiscvHart, r: number, v: bigint): void {
  h.x[2 * r] = lo32(v);
  h.x[2 * r + 1] = hi32(v);
}
const getX = (h: RiscvHart, r: number): bigint =>
  u64((BigInt(h.x[2 * r + 1]) << 32n) | BigInt(h.x[2 * r] >>> 0));

interface Form {
  spec: InsnSpec;
  word: number;
  rd: number;
  rs1: number;
  rs2: number;
  /** The shamt field, for immediate forms. */
  shamt: bigint;
}

/** Every instruction with rd distinct, aliasing rs1 or rs2, and x0; immediate forms per shamt. */
function forms(): Form[] {
  const list: Form[] = [];
  const regs: [number, number, number][] = [
    [10, 11, 12],
    [11, 11, 12],
    [12, 11, 12],
    [0, 11, 12],
    [13, 11, 11],
  ];
  for (const spec of NEW) {
    const rhs = opSem(spec).rhs;
    for (const [rd, rs1, rs2] of regs) {
      const base = spec.match | (rd << 7) | (rs1 << 15);
      if (rhs === 'rs2') list.push({ spec, word: base | (rs2 << 20), rd, rs1, rs2, shamt: 0n });
      else if (rhs === 'none') list.push({ spec, word: base, rd, rs1, rs2: 0, shamt: 0n });
      else
        for (const sh of rhs === 'shamt6' ? [0, 1, 31, 32, 63] : [0, 1, 16, 31])
          list.push({ spec, word: base | (sh << 20), rd, rs1, rs2: 0, shamt: BigInt(sh) });
    }
  }
  return list;
}

/**
 * Run every form on `values` in the interpreter, and translated to WebAssembly (or, with `cold`,
 * in the dispatcher's cold interpreter); both must give the reference's x[rd] and leave every
 * other register as it was.
 */
function engines(cold: boolean, values: [bigint, bigint][]): number {
  const list = forms();
  const t = machine();
  const ref = machine();
  const jit = WasmJit.create(t.mem, t.decoder, { threshold: cold ? NEVER : 1, batch: 1 });
  assert.ok(jit);
  jit.attach(t);
  list.forEach((f, k) => {
    for (const h of [t, ref]) {
      h.mem.write32(BASE + 8 * k, f.word >>> 0);
      h.mem.write32(BASE + 8 * k + 4, JAL_SELF);
    }
  });
  let checked = 0;
  let ranCold = 0;
  list.forEach((f, k) => {
    const pc = BASE + 8 * k;
    for (const [a, b] of values) {
      for (const h of [t, ref]) {
        h.x.fill(0);
        setX(h, 11, a);
        setX(h, 12, b);
        setX(h, 13, a ^ b);
        h.pc = pc;
        h.translate(pc, ACCESS_FETCH);
      }
      const before = t.x.slice();
      const coldBefore: number = jit.coldInsns;
      const n = jit.run(t, 1);
      runInterpreter(ref, n);
      if (!cold) assert.equal(n, 2, `${f.spec.name}: ran as one translated block`);
      ranCold += jit.coldInsns - coldBefore;
      // The sources as they were: rd may alias them.
      const src = (r: number): bigint => (r === 11 ? a : r === 12 ? b : r === 13 ? a ^ b : 0n);
      const second = opSem(f.spec).rhs === 'rs2' ? src(f.rs2) : f.shamt;
      const want = f.rd === 0 ? 0n : REF[f.spec.name](src(f.rs1), second);
      const what = `${f.spec.name} ${(f.word >>> 0).toString(16)} a=0x${a.toString(16)} b=0x${b.toString(16)}`;
      assert.equal(getX(ref, f.rd), want, `${what}: interpreter`);
      assert.equal(getX(t, f.rd), want, `${what}: ${cold ? 'cold' : 'translated'}`);
      for (let r = 1; r < 32; r++)
        if (r !== f.rd)
          assert.equal(
            getX(t, r),
            u64((BigInt(before[2 * r + 1]) << 32n) | BigInt(before[2 * r] >>> 0)),
            `${what}: x${r}`,
          );
      assert.equal(t.pc, ref.pc);
      checked++;
    }
  });
  if (cold) {
    // Entries found by opcode, funct3 and funct7 alone run cold; the rest (whose rs2 field
    // selects the operation) go to JavaScript, and so does packw, whose funct7 and funct3 are
    // zext.h's too.
    const keyed = list.filter((f) => (f.spec.mask & ~0xfe00707f) === 0 && f.spec.name !== 'packw').length;
    assert.ok(ranCold >= keyed * values.length, `ran cold: ${ranCold} < ${keyed * values.length}`);
    assert.equal(jit.cache.compiled, 0);
  } else assert.equal(jit.cache.compiled, list.length, 'every form was translated');
  return checked;
}

const ENGINE_VALUES = pairs(11, 100);

test('the interpreter and the translator run every form as the specification says', () => {
  assert.ok(engines(false, ENGINE_VALUES) > 50000);
});

test('the interpreter and the cold interpreter run every form as the specification says', () => {
  assert.ok(engines(true, ENGINE_VALUES) > 50000);
});

// ---- Decoding -----------------------------------------------------------------------------------

/**
 * Words assembled by GNU as 2.40 (-march=rv64gc_zba_zbb_zbc_zbs_zbkb_zbkx) for a0, a1, a2 and the
 * largest shift amount; the Zicond ones (which it does not know) from the Zicond encoding table.
 */
const KNOWN: [number, string, string][] = [
  [0x08c5853b, 'add.uw', 'zba'],
  [0x20c5a533, 'sh1add', 'zba'],
  [0x20c5c533, 'sh2add', 'zba'],
  [0x20c5e533, 'sh3add', 'zba'],
  [0x20c5a53b, 'sh1add.uw', 'zba'],
  [0x20c5c53b, 'sh2add.uw', 'zba'],
  [0x20c5e53b, 'sh3add.uw', 'zba'],
  [0x0bf5951b, 'slli.uw', 'zba'],
  [0x40c5f533, 'andn', 'zbb zbkb'],
  [0x40c5e533, 'orn', 'zbb zbkb'],
  [0x40c5c533, 'xnor', 'zbb zbkb'],
  [0x60059513, 'clz', 'zbb'],
  [0x60159513, 'ctz', 'zbb'],
  [0x60259513, 'cpop', 'zbb'],
  [0x6005951b, 'clzw', 'zbb'],
  [0x6015951b, 'ctzw', 'zbb'],
  [0x6025951b, 'cpopw', 'zbb'],
  [0x0ac5e533, 'max', 'zbb'],
  [0x0ac5f533, 'maxu', 'zbb'],
  [0x0ac5c533, 'min', 'zbb'],
  [0x0ac5d533, 'minu', 'zbb'],
  [0x60459513, 'sext.b', 'zbb'],
  [0x60559513, 'sext.h', 'zbb'],
  [0x0805c53b, 'zext.h', 'zbb zbkb'],
  [0x60c59533, 'rol', 'zbb zbkb'],
  [0x60c5d533, 'ror', 'zbb zbkb'],
  [0x63f5d513, 'rori', 'zbb zbkb'],
  [0x60c5953b, 'rolw', 'zbb zbkb'],
  [0x60c5d53b, 'rorw', 'zbb zbkb'],
  [0x61f5d51b, 'roriw', 'zbb zbkb'],
  [0x2875d513, 'orc.b', 'zbb'],
  [0x6b85d513, 'rev8', 'zbb zbkb'],
  [0x0ac59533, 'clmul', 'zbc'],
  [0x0ac5a533, 'clmulr', 'zbc'],
  [0x0ac5b533, 'clmulh', 'zbc'],
  [0x48c59533, 'bclr', 'zbs'],
  [0x4bf59513, 'bclri', 'zbs'],
  [0x48c5d533, 'bext', 'zbs'],
  [0x4bf5d513, 'bexti', 'zbs'],
  [0x68c59533, 'binv', 'zbs'],
  [0x6bf59513, 'binvi', 'zbs'],
  [0x28c59533, 'bset', 'zbs'],
  [0x2bf59513, 'bseti', 'zbs'],
  [0x08c5c533, 'pack', 'zbkb'],
  [0x08c5f533, 'packh', 'zbkb'],
  [0x08c5c53b, 'packw', 'zbkb'],
  [0x6875d513, 'brev8', 'zbkb'],
  [0x28c5a533, 'xperm4', 'zbkx'],
  [0x28c5c533, 'xperm8', 'zbkx'],
  [0x0ec5d533, 'czero.eqz', 'zicond'],
  [0x0ec5f533, 'czero.nez', 'zicond'],
];

test('every new encoding decodes to its entry, and to nothing once its extensions are off', () => {
  assert.deepEqual(KNOWN.map(([, n]) => n).sort(), Object.keys(REF).sort());
  const max = isaProfile('max').decoder;
  for (const [w, name, exts] of KNOWN) {
    assert.equal(max.find(w | 0)?.name, name, `0x${w.toString(16)}`);
    const off = isaProfile(
      `max,${exts
        .split(' ')
        .map((e) => `${e}=off`)
        .join(',')}`,
    ).decoder;
    assert.equal(off.find(w | 0), undefined, `0x${w.toString(16)} ${name} with ${exts} off`);
    // Shared with another extension: still there while that one is on. zext.h is packw rd,
    // rs1, x0: without Zbb, Zbkb's packw decodes it (to the same result).
    if (exts.includes(' '))
      for (const e of exts.split(' ')) {
        const one = isaProfile(`max,${e}=off`).decoder.find(w | 0)?.name;
        assert.equal(one, name === 'zext.h' && e === 'zbb' ? 'packw' : name, `${name} with only ${e} off`);
      }
  }
  // The rv64gc profile has none of them.
  const gc = isaProfile('rv64gc').decoder;
  for (const [w, name] of KNOWN) assert.equal(gc.find(w | 0), undefined, name);
});

test('neighbouring reserved encodings stay illegal', () => {
  const d = isaProfile('max').decoder;
  const reserved = [
    0x60659513, // OP-IMM funct7 0110000 rs2 6: after sext.h
    0x60759513,
    0x6035951b, // OP-IMM-32 funct7 0110000 rs2 3: after cpopw
    0x6045951b, // no sext.b in OP-IMM-32
    0x2865d513, // orc.b's funct7 with rs2 6
    0x6b95d513, // rev8's funct7 with rs2 25 (rev8.w of RV32 is 0x69805013)
    0x6985d513, // RV32 rev8
    0x6895d513, // brev8's neighbour
    0x0815c53b, // zext.h/packw with rs2 1 is packw: valid, checked below
    0x6205d51b, // roriw with shamt bit 5 set (funct7 0110001)
    0x0ec5c533, // funct7 0000111 funct3 100: not Zicond
    0x08c5e533, // funct7 0000100 funct3 110: not pack
    0x08c5d53b, // funct7 0000100 funct3 101 in OP-32
    0x08c5f53b, // packh has no W form
    0x28c58533, // funct7 0010100 (bset's, xperm4's, xperm8's) funct3 000: the draft's xperm.w
    0x28c5b533, // funct3 011
    0x28c5d533, // funct3 101
    0x28c5e533, // funct3 110: the draft's xperm.h
    0x28c5f533, // funct3 111
    0x28c5a53b, // xperm4 and xperm8 have no W form
    0x28c5c53b,
  ];
  for (const w of reserved) {
    const name = d.find(w | 0)?.name;
    if (w === 0x0815c53b) assert.equal(name, 'packw');
    else assert.equal(name, undefined, `0x${w.toString(16)} decodes to ${name}`);
  }
});
