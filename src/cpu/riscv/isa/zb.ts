// The bit-manipulation extensions Zba, Zbb, Zbc and Zbs (RISC-V Bit-Manipulation ISA-extensions
// v1.0.0), Zbkb and Zbkx (Scalar Cryptography v1.0.1), RV64 forms: their table entries, and beside
// them the primitives they compute (isa/prim.ts), written for the interpreter and for WebAssembly.

import { carry, lt, ltu, out, sll } from '../../../core/u64.js';
import { type Code, Op } from '../../../core/wasm/encode.js';
import { operands, ops, prim, prim32, type Prim, type Temps, type WasmOp } from './prim.js';
import { semInsn } from './sem.js';
import type { Ext, InsnSpec } from './types.js';

// ---- Helpers on int32 words -------------------------------------------------------------------

/** x + y on (lo, hi) pairs; the high word in out.hi. */
function add64(al: number, ah: number, bl: number, bh: number): number {
  const lo = (al + bl) | 0;
  out.hi = (ah + bh + carry(lo, al)) | 0;
  return lo;
}

const popcount32 = (x: number): number => {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
};

/** Trailing zeros of an int32 (32 for 0). */
const ctz32 = (x: number): number => (x === 0 ? 32 : 31 - Math.clz32(x & -x));

/** Swap the adjacent `s`-bit groups that `m` selects every other one of (bit and byte reversal). */
const swap32 = (x: number, s: number, m: number): number => ((x >>> s) & m) | ((x & m) << s);

const bswap32 = (x: number): number => swap32(swap32(x, 8, 0x00ff00ff), 16, 0x0000ffff);

/** Bits reversed within each byte. */
const brev8x4 = (x: number): number => swap32(swap32(swap32(x, 1, 0x55555555), 2, 0x33333333), 4, 0x0f0f0f0f);

/** Each byte 0xff if it is nonzero, else 0: bit 7 of ((b & 0x7f) + 0x7f) | b is set iff b != 0. */
const orcb32 = (x: number): number =>
  Math.imul(((((x & 0x7f7f7f7f) + 0x7f7f7f7f) | x) & 0x80808080) >>> 7, 0xff);

/** (lo, hi) rotated left by s mod 64. */
function rol64(lo: number, hi: number, s: number): number {
  if ((s & 32) !== 0) {
    const t = lo;
    lo = hi;
    hi = t;
  }
  s &= 31;
  if (s === 0) {
    out.hi = hi;
    return lo;
  }
  out.hi = (hi << s) | (lo >>> (32 - s));
  return (lo << s) | (hi >>> (32 - s));
}

/** Carry-less product of two 32-bit words: the low word, the high word in `clHi`. */
let clHi = 0;
function clmul32(x: number, y: number): number {
  let lo = 0,
    hi = 0;
  for (let i = 0; i < 32; i++) {
    if (((y >>> i) & 1) !== 0) {
      lo ^= x << i;
      if (i > 0) hi ^= x >>> (32 - i);
    }
  }
  clHi = hi;
  return lo;
}

/** The 128-bit carry-less product of a and b, low word first, from four 32 x 32-bit ones. */
const CL = new Int32Array(4);
function clmul128(al: number, ah: number, bl: number, bh: number): void {
  const l0 = clmul32(al, bl),
    h0 = clHi;
  const l1 = clmul32(ah, bl),
    h1 = clHi;
  const l2 = clmul32(al, bh),
    h2 = clHi;
  const l3 = clmul32(ah, bh),
    h3 = clHi;
  CL[0] = l0;
  CL[1] = h0 ^ l1 ^ l2;
  CL[2] = h1 ^ h2 ^ l3;
  CL[3] = h3;
}

/**
 * One word of xperm4 (log2Bits 2) or xperm8 (3): each element of `idx` replaced by the element of
 * the 64-bit table (lo, hi) it indexes, or by 0 past the table's end. Zkt lists both instructions:
 * no branch depends on the data, the word and the range are chosen with masks.
 */
function xpermWord(lo: number, hi: number, idx: number, log2Bits: 2 | 3): number {
  const bits = 1 << log2Bits;
  const mask = (1 << bits) - 1;
  const perWord = 32 >>> log2Bits;
  let r = 0;
  for (let i = 0; i < 32; i += bits) {
    const k = (idx >>> i) & mask;
    // All ones when element k is in the high word; when k is within the table's 2 * perWord.
    const inHi = -((k >>> (5 - log2Bits)) & 1);
    const inTable = (k - 2 * perWord) >> 31;
    const word = (lo & ~inHi) | (hi & inHi);
    r |= ((word >>> ((k & (perWord - 1)) << log2Bits)) & mask & inTable) << i;
  }
  return r;
}

// ---- Helpers on i64 (WebAssembly) -------------------------------------------------------------

const M8 = 0xffn;
const M32 = 0xffffffffn;

/**
 * xperm4 (log2Bits 2) and xperm8 (3): one round per element of b, low first, which is replaced
 * by the element of a it indexes. No branch depends on the data (Zkt): an xperm8 index past 7,
 * whose shift count i64.shr_u would take mod 64, selects 0 with `select`.
 */
const xpermLoop =
  (log2Bits: 2 | 3): WasmOp =>
  (c, t) => {
    const bits = 1 << log2Bits;
    const mask = (1 << bits) - 1;
    const [A, B] = operands(c, t);
    const R = t.tmp(2),
      I = t.tmp(3);
    c.i64(0).set(R).i64(0).set(I);
    c.begin(Op.loop);
    c.get(R);
    c.get(A).get(B).i64(mask).op(Op.i64_and).i64(log2Bits).op(Op.i64_shl).op(Op.i64_shr_u);
    c.i64(mask).op(Op.i64_and);
    // xperm8: that byte if the index is below 8 (no bit of 0xf8 set), else 0.
    if (bits === 8) c.i64(0).get(B).i64(0xf8).op(Op.i64_and).op(Op.i64_eqz).op(Op.select);
    c.get(I).op(Op.i64_shl).op(Op.i64_or).set(R);
    // The next index to the bottom of b.
    c.get(B).i64(bits).op(Op.i64_shr_u).set(B);
    c.get(I).i64(bits).op(Op.i64_add).tee(I).i64(64).op(Op.i64_lt_u);
    c.br(Op.br_if, 0);
    c.op(Op.end);
    c.get(R);
  };

/** Unary operations: drop the (absent) second operand, then `list`. */
const unary =
  (...list: Op[]): WasmOp =>
  (c) => {
    c.op(Op.drop);
    for (const o of list) c.op(o);
  };

/** x = ((x >>> s) & m) | ((x & m) << s) on local X. */
function swapStep(c: Code, X: number, s: number, m: bigint): void {
  c.get(X).i64(s).op(Op.i64_shr_u).i64(m).op(Op.i64_and);
  c.get(X).i64(m).op(Op.i64_and).i64(s).op(Op.i64_shl);
  c.op(Op.i64_or).set(X);
}

/** A unary operation made of swap steps on its operand. */
const swaps =
  (steps: [number, bigint][]): WasmOp =>
  (c, t) => {
    const X = t.tmp(0);
    c.op(Op.drop).set(X);
    for (const [s, m] of steps) swapStep(c, X, s, m);
    c.get(X);
  };

/** Pop b into a scratch local, zero-extend the low word of a, then `rest` with b in that local. */
const zextA =
  (rest: (c: Code, B: number) => void): WasmOp =>
  (c, t) => {
    const B = t.tmp(0);
    c.set(B).op(Op.i32_wrap_i64).op(Op.i64_extend_i32_u);
    rest(c, B);
  };

/** a op (1 << (b & 63)), or a & ~(1 << ...) with `invert`. */
const bitOp =
  (op: Op, invert: boolean): WasmOp =>
  (c, t) => {
    const B = t.tmp(0);
    c.set(B).i64(1).get(B).op(Op.i64_shl);
    if (invert) c.i64(-1).op(Op.i64_xor);
    c.op(op);
  };

/** a or b, whichever `cmp`(a, b) picks (select: a when it holds). */
const pick =
  (cmp: Op): WasmOp =>
  (c, t: Temps) => {
    const [A, B] = operands(c, t);
    c.get(A).get(B).get(A).get(B).op(cmp).op(Op.select);
  };

/**
 * Carry-less multiplication, one bit of b per round: r ^= (a << i) for clmul, (a >>> (63 - i))
 * for clmulr (bits 126:63 of the product), when bit i of b is set; clmulh is clmulr >>> 1, since
 * bit 127 of the product of two 64-bit polynomials is 0.
 */
const clmulLoop =
  (reversed: boolean, high: boolean): WasmOp =>
  (c, t) => {
    const [A, B] = operands(c, t);
    const R = t.tmp(2),
      I = t.tmp(3);
    c.i64(0).set(R).i64(0).set(I);
    c.begin(Op.loop);
    c.get(R).get(A);
    if (reversed) c.i64(63).get(I).op(Op.i64_sub).op(Op.i64_shr_u);
    else c.get(I).op(Op.i64_shl);
    // -(bit i of b): all ones or zero.
    c.i64(0).get(B).get(I).op(Op.i64_shr_u).i64(1).op(Op.i64_and).op(Op.i64_sub);
    c.op(Op.i64_and).op(Op.i64_xor).set(R);
    c.get(I).i64(1).op(Op.i64_add).tee(I).i64(64).op(Op.i64_lt_u);
    c.br(Op.br_if, 0);
    c.op(Op.end);
    c.get(R);
    if (high) c.i64(1).op(Op.i64_shr_u);
  };

// ---- The primitives ---------------------------------------------------------------------------

const shAdd = (n: number) =>
  prim(
    `sh${n}add`,
    (al, ah, bl, bh) => add64(sll(al, ah, n), out.hi, bl, bh),
    (c, t) => {
      const B = t.tmp(0);
      c.set(B).i64(n).op(Op.i64_shl).get(B).op(Op.i64_add);
    },
  );

const shAddUw = (n: number) =>
  prim(
    `sh${n}add.uw`,
    (al, _ah, bl, bh) => add64(sll(al, 0, n), out.hi, bl, bh),
    zextA((c, B) => c.i64(n).op(Op.i64_shl).get(B).op(Op.i64_add)),
  );

const bits = (name: string, f: (x: number, bit: number) => number, wasm: WasmOp) =>
  prim(
    name,
    (al, ah, bl) => {
      // JavaScript takes shift counts mod 32: 1 << bl is the bit within its word.
      const bit = 1 << bl;
      if ((bl & 32) !== 0) {
        out.hi = f(ah, bit);
        return al;
      }
      out.hi = ah;
      return f(al, bit);
    },
    wasm,
  );

/** MIN, MAX and their unsigned forms: a when `aWins(a, b)`, else b; `op` compares for pick. */
function choose(
  name: string,
  aWins: (al: number, ah: number, bl: number, bh: number) => boolean,
  op: Op,
): Prim {
  return prim(
    name,
    (al, ah, bl, bh) => {
      const a = aWins(al, ah, bl, bh);
      out.hi = a ? ah : bh;
      return a ? al : bl;
    },
    pick(op),
  );
}

/** The 64-bit primitives of Zba, Zbb, Zbc, Zbs, Zbkb and Zbkx: (a, b) as in isa/prim.ts. */
export const ZB = {
  // Zba: b + (zero-extended or shifted) a.
  addUw: prim(
    'add.uw',
    (al, _ah, bl, bh) => add64(al, 0, bl, bh),
    zextA((c, B) => c.get(B).op(Op.i64_add)),
  ),
  sh1add: shAdd(1),
  sh2add: shAdd(2),
  sh3add: shAdd(3),
  sh1addUw: shAddUw(1),
  sh2addUw: shAddUw(2),
  sh3addUw: shAddUw(3),
  slliUw: prim(
    'slli.uw',
    (al, _ah, bl) => sll(al, 0, bl),
    zextA((c, B) => c.get(B).op(Op.i64_shl)),
  ),
  // Zbb.
  andn: prim(
    'andn',
    (al, ah, bl, bh) => {
      out.hi = ah & ~bh;
      return al & ~bl;
    },
    (c) => c.i64(-1).op(Op.i64_xor).op(Op.i64_and),
  ),
  orn: prim(
    'orn',
    (al, ah, bl, bh) => {
      out.hi = ah | ~bh;
      return al | ~bl;
    },
    (c) => c.i64(-1).op(Op.i64_xor).op(Op.i64_or),
  ),
  xnor: prim(
    'xnor',
    (al, ah, bl, bh) => {
      out.hi = ~(ah ^ bh);
      return ~(al ^ bl);
    },
    (c) => c.op(Op.i64_xor).i64(-1).op(Op.i64_xor),
  ),
  clz: prim(
    'clz',
    (al, ah) => {
      out.hi = 0;
      return ah !== 0 ? Math.clz32(ah) : 32 + Math.clz32(al);
    },
    unary(Op.i64_clz),
  ),
  ctz: prim(
    'ctz',
    (al, ah) => {
      out.hi = 0;
      return al !== 0 ? ctz32(al) : 32 + ctz32(ah);
    },
    unary(Op.i64_ctz),
  ),
  cpop: prim(
    'cpop',
    (al, ah) => {
      out.hi = 0;
      return popcount32(al) + popcount32(ah);
    },
    unary(Op.i64_popcnt),
  ),
  max: choose('max', (al, ah, bl, bh) => !lt(al, ah, bl, bh), Op.i64_gt_s),
  maxu: choose('maxu', (al, ah, bl, bh) => !ltu(al, ah, bl, bh), Op.i64_gt_u),
  min: choose('min', lt, Op.i64_lt_s),
  minu: choose('minu', ltu, Op.i64_lt_u),
  sextB: prim(
    'sext.b',
    (al) => {
      const lo = (al << 24) >> 24;
      out.hi = lo >> 31;
      return lo;
    },
    unary(Op.i64_extend8_s),
  ),
  sextH: prim(
    'sext.h',
    (al) => {
      const lo = (al << 16) >> 16;
      out.hi = lo >> 31;
      return lo;
    },
    unary(Op.i64_extend16_s),
  ),
  rol: prim('rol', (al, ah, bl) => rol64(al, ah, bl), ops(Op.i64_rotl)),
  ror: prim('ror', (al, ah, bl) => rol64(al, ah, -bl), ops(Op.i64_rotr)),
  orcB: prim(
    'orc.b',
    (al, ah) => {
      out.hi = orcb32(ah);
      return orcb32(al);
    },
    (c, t) => {
      const X = t.tmp(0);
      const low7 = 0x7f7f7f7f7f7f7f7fn;
      c.op(Op.drop).tee(X).i64(low7).op(Op.i64_and).i64(low7).op(Op.i64_add).get(X).op(Op.i64_or);
      c.i64(0x8080808080808080n).op(Op.i64_and).i64(7).op(Op.i64_shr_u).i64(M8).op(Op.i64_mul);
    },
  ),
  rev8: prim(
    'rev8',
    (al, ah) => {
      out.hi = bswap32(al);
      return bswap32(ah);
    },
    swaps([
      [8, 0x00ff00ff00ff00ffn],
      [16, 0x0000ffff0000ffffn],
      [32, M32],
    ]),
  ),
  // Zbc.
  clmul: prim(
    'clmul',
    (al, ah, bl, bh) => {
      clmul128(al, ah, bl, bh);
      out.hi = CL[1];
      return CL[0];
    },
    clmulLoop(false, false),
  ),
  clmulh: prim(
    'clmulh',
    (al, ah, bl, bh) => {
      clmul128(al, ah, bl, bh);
      out.hi = CL[3];
      return CL[2];
    },
    clmulLoop(true, true),
  ),
  clmulr: prim(
    'clmulr',
    (al, ah, bl, bh) => {
      clmul128(al, ah, bl, bh);
      out.hi = (CL[2] >>> 31) | (CL[3] << 1);
      return (CL[1] >>> 31) | (CL[2] << 1);
    },
    clmulLoop(true, false),
  ),
  // Zbs: bit (b & 63) of a.
  bclr: bits('bclr', (x, bit) => x & ~bit, bitOp(Op.i64_and, true)),
  bset: bits('bset', (x, bit) => x | bit, bitOp(Op.i64_or, false)),
  binv: bits('binv', (x, bit) => x ^ bit, bitOp(Op.i64_xor, false)),
  bext: prim(
    'bext',
    (al, ah, bl) => {
      out.hi = 0;
      return ((bl & 32) !== 0 ? ah >>> bl : al >>> bl) & 1;
    },
    (c) => c.op(Op.i64_shr_u).i64(1).op(Op.i64_and),
  ),
  // Zbkb.
  pack: prim(
    'pack',
    (al, _ah, bl) => {
      out.hi = bl;
      return al;
    },
    zextA((c, B) => c.get(B).i64(32).op(Op.i64_shl).op(Op.i64_or)),
  ),
  packh: prim(
    'packh',
    (al, _ah, bl) => {
      out.hi = 0;
      return (al & 0xff) | ((bl & 0xff) << 8);
    },
    (c, t) => {
      const B = t.tmp(0);
      c.set(B).i64(M8).op(Op.i64_and).get(B).i64(M8).op(Op.i64_and).i64(8).op(Op.i64_shl).op(Op.i64_or);
    },
  ),
  brev8: prim(
    'brev8',
    (al, ah) => {
      out.hi = brev8x4(ah);
      return brev8x4(al);
    },
    swaps([
      [1, 0x5555555555555555n],
      [2, 0x3333333333333333n],
      [4, 0x0f0f0f0f0f0f0f0fn],
    ]),
  ),
  // Zbkx: a is the table, b the indices.
  xperm4: prim(
    'xperm4',
    (al, ah, bl, bh) => {
      out.hi = xpermWord(al, ah, bh, 2);
      return xpermWord(al, ah, bl, 2);
    },
    xpermLoop(2),
  ),
  xperm8: prim(
    'xperm8',
    (al, ah, bl, bh) => {
      out.hi = xpermWord(al, ah, bh, 3);
      return xpermWord(al, ah, bl, 3);
    },
    xpermLoop(3),
  ),
} as const;

/** The 32-bit primitives of the *W instructions (on the low words; the result is sign-extended). */
export const ZB32 = {
  rolw: prim32('rolw', (a, b) => (a << b) | (a >>> (-b & 31)), ops(Op.i32_rotl)),
  rorw: prim32('rorw', (a, b) => (a >>> b) | (a << (-b & 31)), ops(Op.i32_rotr)),
  clzw: prim32('clzw', (a) => Math.clz32(a), unary(Op.i32_clz)),
  ctzw: prim32('ctzw', (a) => ctz32(a), unary(Op.i32_ctz)),
  cpopw: prim32('cpopw', (a) => popcount32(a), unary(Op.i32_popcnt)),
  /** b[15:0] above a[15:0] (zext.h is packw with b = 0). */
  packw: prim32(
    'packw',
    (a, b) => (a & 0xffff) | (b << 16),
    (c, t) => {
      // The scratch locals are i64: b is kept zero-extended there.
      const T = t.tmp(0);
      c.op(Op.i64_extend_i32_u).set(T).i32(0xffff).op(Op.i32_and);
      c.get(T).op(Op.i32_wrap_i64).i32(16).op(Op.i32_shl).op(Op.i32_or);
    },
  ),
} as const;

// ---- The table --------------------------------------------------------------------------------

const R_TYPE = 0xfe00707f;
/** funct6 and a 6-bit shamt (RV64 immediate shifts). */
const SHIFT64 = 0xfc00707f;
/** The whole imm[11:0] field: unary operations, whose rs2 field selects the operation. */
const UNARY = 0xfff0707f;
const ZBKB: readonly Ext[] = ['Zbkb'];

/** Zba: address generation. */
export const ZBA: InsnSpec[] = [
  semInsn('add.uw', 0x0800003b, R_TYPE, 'Zba', 'R', { kind: 'op', prim: ZB.addUw, rhs: 'rs2' }),
  semInsn('sh1add', 0x20002033, R_TYPE, 'Zba', 'R', { kind: 'op', prim: ZB.sh1add, rhs: 'rs2' }),
  semInsn('sh2add', 0x20004033, R_TYPE, 'Zba', 'R', { kind: 'op', prim: ZB.sh2add, rhs: 'rs2' }),
  semInsn('sh3add', 0x20006033, R_TYPE, 'Zba', 'R', { kind: 'op', prim: ZB.sh3add, rhs: 'rs2' }),
  semInsn('sh1add.uw', 0x2000203b, R_TYPE, 'Zba', 'R', { kind: 'op', prim: ZB.sh1addUw, rhs: 'rs2' }),
  semInsn('sh2add.uw', 0x2000403b, R_TYPE, 'Zba', 'R', { kind: 'op', prim: ZB.sh2addUw, rhs: 'rs2' }),
  semInsn('sh3add.uw', 0x2000603b, R_TYPE, 'Zba', 'R', { kind: 'op', prim: ZB.sh3addUw, rhs: 'rs2' }),
  semInsn('slli.uw', 0x0800101b, SHIFT64, 'Zba', 'I', { kind: 'op', prim: ZB.slliUw, rhs: 'shamt6' }),
];

/**
 * Zbb: basic bit manipulation. The rotations, andn/orn/xnor and rev8 are in Zbkb as well. zext.h
 * is packw rd, rs1, x0 of Zbkb: it comes before packw (the decoder takes the first match).
 */
export const ZBB: InsnSpec[] = [
  semInsn('andn', 0x40007033, R_TYPE, 'Zbb', 'R', { kind: 'op', prim: ZB.andn, rhs: 'rs2' }, ZBKB),
  semInsn('orn', 0x40006033, R_TYPE, 'Zbb', 'R', { kind: 'op', prim: ZB.orn, rhs: 'rs2' }, ZBKB),
  semInsn('xnor', 0x40004033, R_TYPE, 'Zbb', 'R', { kind: 'op', prim: ZB.xnor, rhs: 'rs2' }, ZBKB),
  semInsn('clz', 0x60001013, UNARY, 'Zbb', 'I', { kind: 'op', prim: ZB.clz, rhs: 'none' }),
  semInsn('ctz', 0x60101013, UNARY, 'Zbb', 'I', { kind: 'op', prim: ZB.ctz, rhs: 'none' }),
  semInsn('cpop', 0x60201013, UNARY, 'Zbb', 'I', { kind: 'op', prim: ZB.cpop, rhs: 'none' }),
  semInsn('clzw', 0x6000101b, UNARY, 'Zbb', 'I', { kind: 'op32', prim: ZB32.clzw, rhs: 'none' }),
  semInsn('ctzw', 0x6010101b, UNARY, 'Zbb', 'I', { kind: 'op32', prim: ZB32.ctzw, rhs: 'none' }),
  semInsn('cpopw', 0x6020101b, UNARY, 'Zbb', 'I', { kind: 'op32', prim: ZB32.cpopw, rhs: 'none' }),
  semInsn('max', 0x0a006033, R_TYPE, 'Zbb', 'R', { kind: 'op', prim: ZB.max, rhs: 'rs2' }),
  semInsn('maxu', 0x0a007033, R_TYPE, 'Zbb', 'R', { kind: 'op', prim: ZB.maxu, rhs: 'rs2' }),
  semInsn('min', 0x0a004033, R_TYPE, 'Zbb', 'R', { kind: 'op', prim: ZB.min, rhs: 'rs2' }),
  semInsn('minu', 0x0a005033, R_TYPE, 'Zbb', 'R', { kind: 'op', prim: ZB.minu, rhs: 'rs2' }),
  semInsn('sext.b', 0x60401013, UNARY, 'Zbb', 'I', { kind: 'op', prim: ZB.sextB, rhs: 'none' }),
  semInsn('sext.h', 0x60501013, UNARY, 'Zbb', 'I', { kind: 'op', prim: ZB.sextH, rhs: 'none' }),
  semInsn('zext.h', 0x0800403b, UNARY, 'Zbb', 'I', { kind: 'op32', prim: ZB32.packw, rhs: 'none' }),
  semInsn('rol', 0x60001033, R_TYPE, 'Zbb', 'R', { kind: 'op', prim: ZB.rol, rhs: 'rs2' }, ZBKB),
  semInsn('ror', 0x60005033, R_TYPE, 'Zbb', 'R', { kind: 'op', prim: ZB.ror, rhs: 'rs2' }, ZBKB),
  semInsn('rori', 0x60005013, SHIFT64, 'Zbb', 'I', { kind: 'op', prim: ZB.ror, rhs: 'shamt6' }, ZBKB),
  semInsn('rolw', 0x6000103b, R_TYPE, 'Zbb', 'R', { kind: 'op32', prim: ZB32.rolw, rhs: 'rs2' }, ZBKB),
  semInsn('rorw', 0x6000503b, R_TYPE, 'Zbb', 'R', { kind: 'op32', prim: ZB32.rorw, rhs: 'rs2' }, ZBKB),
  semInsn('roriw', 0x6000501b, R_TYPE, 'Zbb', 'I', { kind: 'op32', prim: ZB32.rorw, rhs: 'shamt5' }, ZBKB),
  semInsn('orc.b', 0x28705013, UNARY, 'Zbb', 'I', { kind: 'op', prim: ZB.orcB, rhs: 'none' }),
  semInsn('rev8', 0x6b805013, UNARY, 'Zbb', 'I', { kind: 'op', prim: ZB.rev8, rhs: 'none' }, ZBKB),
];

/** Zbc: carry-less multiplication. */
export const ZBC: InsnSpec[] = [
  semInsn('clmul', 0x0a001033, R_TYPE, 'Zbc', 'R', { kind: 'op', prim: ZB.clmul, rhs: 'rs2' }),
  semInsn('clmulr', 0x0a002033, R_TYPE, 'Zbc', 'R', { kind: 'op', prim: ZB.clmulr, rhs: 'rs2' }),
  semInsn('clmulh', 0x0a003033, R_TYPE, 'Zbc', 'R', { kind: 'op', prim: ZB.clmulh, rhs: 'rs2' }),
];

/** Zbs: single-bit instructions. */
export const ZBS: InsnSpec[] = [
  semInsn('bclr', 0x48001033, R_TYPE, 'Zbs', 'R', { kind: 'op', prim: ZB.bclr, rhs: 'rs2' }),
  semInsn('bclri', 0x48001013, SHIFT64, 'Zbs', 'I', { kind: 'op', prim: ZB.bclr, rhs: 'shamt6' }),
  semInsn('bext', 0x48005033, R_TYPE, 'Zbs', 'R', { kind: 'op', prim: ZB.bext, rhs: 'rs2' }),
  semInsn('bexti', 0x48005013, SHIFT64, 'Zbs', 'I', { kind: 'op', prim: ZB.bext, rhs: 'shamt6' }),
  semInsn('binv', 0x68001033, R_TYPE, 'Zbs', 'R', { kind: 'op', prim: ZB.binv, rhs: 'rs2' }),
  semInsn('binvi', 0x68001013, SHIFT64, 'Zbs', 'I', { kind: 'op', prim: ZB.binv, rhs: 'shamt6' }),
  semInsn('bset', 0x28001033, R_TYPE, 'Zbs', 'R', { kind: 'op', prim: ZB.bset, rhs: 'rs2' }),
  semInsn('bseti', 0x28001013, SHIFT64, 'Zbs', 'I', { kind: 'op', prim: ZB.bset, rhs: 'shamt6' }),
];

/** Zbkb's own instructions (it shares the rest with Zbb, above); zip and unzip are RV32 only. */
export const ZBKB_INSNS: InsnSpec[] = [
  semInsn('pack', 0x08004033, R_TYPE, 'Zbkb', 'R', { kind: 'op', prim: ZB.pack, rhs: 'rs2' }),
  semInsn('packh', 0x08007033, R_TYPE, 'Zbkb', 'R', { kind: 'op', prim: ZB.packh, rhs: 'rs2' }),
  semInsn('packw', 0x0800403b, R_TYPE, 'Zbkb', 'R', { kind: 'op32', prim: ZB32.packw, rhs: 'rs2' }),
  semInsn('brev8', 0x68705013, UNARY, 'Zbkb', 'I', { kind: 'op', prim: ZB.brev8, rhs: 'none' }),
];

/**
 * Zbkx: crossbar permutations. x[rs1] is a table of 4- or 8-bit elements, x[rs2] a vector of
 * indices into it; each index is replaced by the element it selects, or 0 past the table's end.
 */
export const ZBKX: InsnSpec[] = [
  semInsn('xperm4', 0x28002033, R_TYPE, 'Zbkx', 'R', { kind: 'op', prim: ZB.xperm4, rhs: 'rs2' }),
  semInsn('xperm8', 0x28004033, R_TYPE, 'Zbkx', 'R', { kind: 'op', prim: ZB.xperm8, rhs: 'rs2' }),
];

/** Every Zb* instruction, in decoding order (zext.h before packw). */
export const ZB_INSNS: InsnSpec[] = [...ZBA, ...ZBB, ...ZBC, ...ZBS, ...ZBKB_INSNS, ...ZBKX];
