// WebAssembly emitters for the instructions the translator runs natively: RV64I integer
// arithmetic, loads, stores, branches and jumps, and RV64M. Each
// follows the same chapter of the unprivileged ISA manual as the interpreter's entry in isa/;
// every other instruction (and every slow path) runs that entry itself through the helper.

import { immB, immI, immJ, immS, immU, rd, rs1, rs2, shamt5, shamt6 } from '../../isa/fields.js';
import { I64, Op } from './encode.js';
import type { BlockBuilder } from './translate.js';

type Emit = (b: BlockBuilder) => void;

const MIN64 = -(2n ** 63n);

/** x[rd] = x[rs1] op x[rs2] (i64). */
const reg =
  (op: Op): Emit =>
  (b) =>
    b.setX(rd(b.word), () => {
      b.x(rs1(b.word));
      b.x(rs2(b.word));
      b.c.op(op);
    });

/** x[rd] = x[rs1] op imm (i64), `imm` from the instruction word. */
const imm =
  (op: Op, field: (i: number) => number): Emit =>
  (b) =>
    b.setX(rd(b.word), () => {
      b.x(rs1(b.word));
      b.c.i64(field(b.word)).op(op);
    });

/** Comparisons give 0 or 1. */
const cmp =
  (op: Op, rhsImm: boolean): Emit =>
  (b) =>
    b.setX(rd(b.word), () => {
      b.x(rs1(b.word));
      if (rhsImm) b.c.i64(immI(b.word));
      else b.x(rs2(b.word));
      b.c.op(op).op(Op.i64_extend_i32_u);
    });

/** The *W forms: the 32-bit result of op on the low words, sign-extended. */
const regW =
  (op: Op): Emit =>
  (b) =>
    b.setX(rd(b.word), () => {
      b.x(rs1(b.word));
      b.c.op(Op.i32_wrap_i64);
      b.x(rs2(b.word));
      b.c.op(Op.i32_wrap_i64).op(op).op(Op.i64_extend_i32_s);
    });
const immW =
  (op: Op, field: (i: number) => number): Emit =>
  (b) =>
    b.setX(rd(b.word), () => {
      b.x(rs1(b.word));
      b.c.op(Op.i32_wrap_i64).i32(field(b.word)).op(op).op(Op.i64_extend_i32_s);
    });

/**
 * Division and remainder with the M chapter's table for a zero divisor and signed overflow
 * (WebAssembly's div traps on both). `w` selects the 32-bit forms.
 */
const divide =
  (kind: 'div' | 'divu' | 'rem' | 'remu', w: boolean): Emit =>
  (b) => {
    const i = b.word;
    const a = rs1(i),
      d = rs2(i);
    b.use(a);
    b.use(d);
    b.setX(rd(i), () => {
      const c = b.c;
      const lhs = (): void => {
        b.x(a);
        if (w) c.op(Op.i32_wrap_i64);
      };
      const rhs = (): void => {
        b.x(d);
        if (w) c.op(Op.i32_wrap_i64);
      };
      const sext = (): void => {
        if (w) c.op(Op.i64_extend_i32_s);
      };
      rhs();
      c.op(w ? Op.i32_eqz : Op.i64_eqz).begin(Op.if, I64);
      // Divisor zero: quotient all ones, remainder the dividend.
      if (kind === 'div' || kind === 'divu') c.i64(-1);
      else {
        lhs();
        sext();
      }
      c.op(Op.else);
      if (kind === 'div') {
        // Overflow (most negative / -1): the dividend.
        lhs();
        if (w) c.i32(-0x80000000).op(Op.i32_eq);
        else c.i64(MIN64).op(Op.i64_eq);
        rhs();
        if (w) c.i32(-1).op(Op.i32_eq);
        else c.i64(-1).op(Op.i64_eq);
        c.op(Op.i32_and).begin(Op.if, I64);
        lhs();
        sext();
        c.op(Op.else);
        lhs();
        rhs();
        c.op(w ? Op.i32_div_s : Op.i64_div_s);
        sext();
        c.op(Op.end);
      } else {
        // divu, remu never overflow; rem of the overflow case is 0, which WebAssembly gives too.
        lhs();
        rhs();
        const op = {
          divu: [Op.i32_div_u, Op.i64_div_u],
          rem: [Op.i32_rem_s, Op.i64_rem_s],
          remu: [Op.i32_rem_u, Op.i64_rem_u],
        }[kind];
        c.op(w ? op[0] : op[1]);
        sext();
      }
      c.op(Op.end);
    });
  };

/**
 * The high 64 bits of the 128-bit product (mulh, mulhsu, mulhu), from four 32x32-bit products:
 * the unsigned high word, then minus b when a is negative and minus a when b is (signed operands).
 */
const mulHigh =
  (signedA: boolean, signedB: boolean): Emit =>
  (b) => {
    const i = b.word;
    const [A, B, M1, M2] = [b.tmp(0), b.tmp(1), b.tmp(2), b.tmp(3)];
    const lo32 = 0xffffffff;
    b.setX(rd(i), () => {
      const c = b.c;
      b.x(rs1(i));
      c.set(A);
      b.x(rs2(i));
      c.set(B);
      // m1 = hi(a) * lo(b) + hi(lo(a) * lo(b)): no overflow, (2^32-1)^2 + 2^32-1 < 2^64.
      c.get(A).i64(32).op(Op.i64_shr_u).get(B).i64(lo32).op(Op.i64_and).op(Op.i64_mul);
      c.get(A).i64(lo32).op(Op.i64_and).get(B).i64(lo32).op(Op.i64_and).op(Op.i64_mul);
      c.i64(32).op(Op.i64_shr_u).op(Op.i64_add).set(M1);
      // m2 = lo(a) * hi(b) + lo(m1)
      c.get(A).i64(lo32).op(Op.i64_and).get(B).i64(32).op(Op.i64_shr_u).op(Op.i64_mul);
      c.get(M1).i64(lo32).op(Op.i64_and).op(Op.i64_add).set(M2);
      // hi(a) * hi(b) + hi(m1) + hi(m2)
      c.get(A).i64(32).op(Op.i64_shr_u).get(B).i64(32).op(Op.i64_shr_u).op(Op.i64_mul);
      c.get(M1).i64(32).op(Op.i64_shr_u).op(Op.i64_add).get(M2).i64(32).op(Op.i64_shr_u).op(Op.i64_add);
      if (signedA) c.get(A).i64(63).op(Op.i64_shr_s).get(B).op(Op.i64_and).op(Op.i64_sub);
      if (signedB) c.get(B).i64(63).op(Op.i64_shr_s).get(A).op(Op.i64_and).op(Op.i64_sub);
    });
  };

const branch =
  (op: Op): Emit =>
  (b) => {
    const i = b.word;
    b.branch(() => {
      b.x(rs1(i));
      b.x(rs2(i));
      b.c.op(op);
    }, immB(i));
  };

const load =
  (bytes: number, signed: boolean): Emit =>
  (b) =>
    b.load(rd(b.word), rs1(b.word), immI(b.word), bytes, signed);
const store =
  (bytes: number): Emit =>
  (b) =>
    b.store(rs1(b.word), rs2(b.word), immS(b.word), bytes);

export const EMITTERS = new Map<string, Emit>([
  ['lui', (b) => b.setX(rd(b.word), () => b.c.i64(immU(b.word)))],
  ['auipc', (b) => b.setX(rd(b.word), () => b.c.i64(b.pc + immU(b.word)))],
  ['jal', (b) => b.jump(rd(b.word), b.pc + immJ(b.word))],
  [
    'jalr',
    (b) => {
      b.x(rs1(b.word));
      b.c.i64(immI(b.word)).op(Op.i64_add).i64(-2).op(Op.i64_and);
      b.setT0();
      b.jump(rd(b.word), undefined);
    },
  ],
  ['beq', branch(Op.i64_eq)],
  ['bne', branch(Op.i64_ne)],
  ['blt', branch(Op.i64_lt_s)],
  ['bge', branch(Op.i64_ge_s)],
  ['bltu', branch(Op.i64_lt_u)],
  ['bgeu', branch(Op.i64_ge_u)],
  ['lb', load(1, true)],
  ['lh', load(2, true)],
  ['lw', load(4, true)],
  ['ld', load(8, true)],
  ['lbu', load(1, false)],
  ['lhu', load(2, false)],
  ['lwu', load(4, false)],
  ['sb', store(1)],
  ['sh', store(2)],
  ['sw', store(4)],
  ['sd', store(8)],
  ['addi', imm(Op.i64_add, immI)],
  ['slti', cmp(Op.i64_lt_s, true)],
  ['sltiu', cmp(Op.i64_lt_u, true)],
  ['xori', imm(Op.i64_xor, immI)],
  ['ori', imm(Op.i64_or, immI)],
  ['andi', imm(Op.i64_and, immI)],
  ['slli', imm(Op.i64_shl, shamt6)],
  ['srli', imm(Op.i64_shr_u, shamt6)],
  ['srai', imm(Op.i64_shr_s, shamt6)],
  ['add', reg(Op.i64_add)],
  ['sub', reg(Op.i64_sub)],
  ['sll', reg(Op.i64_shl)],
  ['slt', cmp(Op.i64_lt_s, false)],
  ['sltu', cmp(Op.i64_lt_u, false)],
  ['xor', reg(Op.i64_xor)],
  ['srl', reg(Op.i64_shr_u)],
  ['sra', reg(Op.i64_shr_s)],
  ['or', reg(Op.i64_or)],
  ['and', reg(Op.i64_and)],
  ['addiw', immW(Op.i32_add, immI)],
  ['slliw', immW(Op.i32_shl, shamt5)],
  ['srliw', immW(Op.i32_shr_u, shamt5)],
  ['sraiw', immW(Op.i32_shr_s, shamt5)],
  ['addw', regW(Op.i32_add)],
  ['subw', regW(Op.i32_sub)],
  ['sllw', regW(Op.i32_shl)],
  ['srlw', regW(Op.i32_shr_u)],
  ['sraw', regW(Op.i32_shr_s)],
  ['mul', reg(Op.i64_mul)],
  ['mulh', mulHigh(true, true)],
  ['mulhsu', mulHigh(true, false)],
  ['mulhu', mulHigh(false, false)],
  ['mulw', regW(Op.i32_mul)],
  ['div', divide('div', false)],
  ['divu', divide('divu', false)],
  ['rem', divide('rem', false)],
  ['remu', divide('remu', false)],
  ['divw', divide('div', true)],
  ['divuw', divide('divu', true)],
  ['remw', divide('rem', true)],
  ['remuw', divide('remu', true)],
  // No reordering exists to fence against: every access is performed in program order.
  ['fence', () => {}],
]);
