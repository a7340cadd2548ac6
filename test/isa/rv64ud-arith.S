/* Double-precision arithmetic (D extension): fadd/fsub/fmul/fdiv/fsqrt.d on ordinary, signed-zero, infinite, NaN and
   subnormal operands; results checked bit-exactly and the accrued flags in fflags.
   Expected values were derived with exact rational arithmetic (python3 fractions) rounded by hand
   following IEEE 754-2019 section 4.3 and the RISC-V F/D chapters (tininess after rounding, canonical
   NaN results, NV for invalid operations); each comment says why a case gives its result.
   u is the ulp of 1.0 (2^-23 in single, 2^-52 in double); minsub/maxsub/minnorm/max are the
   smallest/largest subnormal, the smallest normal and the largest finite value of the format.
   All cases use RNE except where a mode is named. */
#include "test.h"

/* fflags bits */
#define NV 0x10
#define DZ 0x08
#define OF 0x04
#define UF 0x02
#define NX 0x01
/* Read and clear the accrued exception flags (fflags), compare with f. */
#define CHECK_FLAGS(f) csrrw t0, fflags, zero; li t6, f; bne t0, t6, fail
#define LOAD_D(fr, v) li t0, v; fmv.d.x fr, t0
#define CHECK_D(fr, v) fmv.x.d a0, fr; li t6, v; bne a0, t6, fail
/* fa2 = inst(fa0, fa1) with rounding mode rm; f is the format (S or D). */
#define TEST_FF(n, f, inst, rm, res, fl, a, b) TEST_CASE(n); LOAD_##f(fa0, a); LOAD_##f(fa1, b); fsflags zero; inst fa2, fa0, fa1, rm; CHECK_FLAGS(fl); CHECK_##f(fa2, res)
/* fa2 = inst(fa0) with rounding mode rm; fd/fs are the result/operand formats. */
#define TEST_F1(n, fd, fs, inst, rm, res, fl, a) TEST_CASE(n); LOAD_##fs(fa0, a); fsflags zero; inst fa2, fa0, rm; CHECK_FLAGS(fl); CHECK_##fd(fa2, res)

TEST_BEGIN

/* fadd: exact sums give no flag; inexact ones set NX only */
        // 1 + 2 = 3, exact
        TEST_FF(1, D, fadd.d, rne, 0x4008000000000000, 0, 0x3ff0000000000000, 0x4000000000000000)
        // -1.5 + 0.25 = -1.25, exact
        TEST_FF(2, D, fadd.d, rne, 0xbff4000000000000, 0, 0xbff8000000000000, 0x3fd0000000000000)
        // 1 + u = next value after 1, exact
        TEST_FF(3, D, fadd.d, rne, 0x3ff0000000000001, 0, 0x3ff0000000000000, 0x3cb0000000000000)
        // 1 + u/4: below half an ulp, RNE gives 1 and NX
        TEST_FF(4, D, fadd.d, rne, 0x3ff0000000000000, NX, 0x3ff0000000000000, 0x3c90000000000000)
        // 2^52 + 0.5 (ulp 1): tie, to even 2^52, NX
        TEST_FF(5, D, fadd.d, rne, 0x4330000000000000, NX, 0x4330000000000000, 0x3fe0000000000000)

/* fadd/fsub: signs of exact zero results */
        // +0 + +0 = +0
        TEST_FF(6, D, fadd.d, rne, 0x0000000000000000, 0, 0x0000000000000000, 0x0000000000000000)
        // -0 + -0 = -0
        TEST_FF(7, D, fadd.d, rne, 0x8000000000000000, 0, 0x8000000000000000, 0x8000000000000000)
        // +0 + -0 = +0 in RNE
        TEST_FF(8, D, fadd.d, rne, 0x0000000000000000, 0, 0x0000000000000000, 0x8000000000000000)
        // +0 + -0 = -0 in RDN
        TEST_FF(9, D, fadd.d, rdn, 0x8000000000000000, 0, 0x0000000000000000, 0x8000000000000000)
        // 1 + -1 = +0 in RNE
        TEST_FF(10, D, fadd.d, rne, 0x0000000000000000, 0, 0x3ff0000000000000, 0xbff0000000000000)
        // 1 + -1 = -0 in RDN
        TEST_FF(11, D, fadd.d, rdn, 0x8000000000000000, 0, 0x3ff0000000000000, 0xbff0000000000000)
        // -1 + 1 = +0 in RUP
        TEST_FF(12, D, fadd.d, rup, 0x0000000000000000, 0, 0xbff0000000000000, 0x3ff0000000000000)
        // -0 + 1 = 1
        TEST_FF(13, D, fadd.d, rne, 0x3ff0000000000000, 0, 0x8000000000000000, 0x3ff0000000000000)
        // 1 - 1 = +0 in RNE
        TEST_FF(14, D, fsub.d, rne, 0x0000000000000000, 0, 0x3ff0000000000000, 0x3ff0000000000000)
        // 1 - 1 = -0 in RDN
        TEST_FF(15, D, fsub.d, rdn, 0x8000000000000000, 0, 0x3ff0000000000000, 0x3ff0000000000000)
        // -0 - +0 = -0
        TEST_FF(16, D, fsub.d, rne, 0x8000000000000000, 0, 0x8000000000000000, 0x0000000000000000)
        // +0 - +0 = +0 in RNE
        TEST_FF(17, D, fsub.d, rne, 0x0000000000000000, 0, 0x0000000000000000, 0x0000000000000000)
        // +0 - +0 = -0 in RDN
        TEST_FF(18, D, fsub.d, rdn, 0x8000000000000000, 0, 0x0000000000000000, 0x0000000000000000)
        // -0 - -0 = +0 in RNE
        TEST_FF(19, D, fsub.d, rne, 0x0000000000000000, 0, 0x8000000000000000, 0x8000000000000000)
        // 3 - 1 = 2
        TEST_FF(20, D, fsub.d, rne, 0x4000000000000000, 0, 0x4008000000000000, 0x3ff0000000000000)
        // (1 + u) - 1 = u, exact
        TEST_FF(21, D, fsub.d, rne, 0x3cb0000000000000, 0, 0x3ff0000000000001, 0x3ff0000000000000)

/* fadd/fsub: infinities (inf - inf is invalid) */
        // inf + -inf: NV, canonical NaN
        TEST_FF(22, D, fadd.d, rne, 0x7ff8000000000000, NV, 0x7ff0000000000000, 0xfff0000000000000)
        // inf + 1 = inf, no flag
        TEST_FF(23, D, fadd.d, rne, 0x7ff0000000000000, 0, 0x7ff0000000000000, 0x3ff0000000000000)
        // -inf + -inf = -inf
        TEST_FF(24, D, fadd.d, rne, 0xfff0000000000000, 0, 0xfff0000000000000, 0xfff0000000000000)
        // max + -inf = -inf
        TEST_FF(25, D, fadd.d, rne, 0xfff0000000000000, 0, 0x7fefffffffffffff, 0xfff0000000000000)
        // inf - inf: NV, canonical NaN
        TEST_FF(26, D, fsub.d, rne, 0x7ff8000000000000, NV, 0x7ff0000000000000, 0x7ff0000000000000)
        // -inf - inf = -inf
        TEST_FF(27, D, fsub.d, rne, 0xfff0000000000000, 0, 0xfff0000000000000, 0x7ff0000000000000)
        // inf - -inf = inf
        TEST_FF(28, D, fsub.d, rne, 0x7ff0000000000000, 0, 0x7ff0000000000000, 0xfff0000000000000)

/* fadd/fsub: NaN operands give the canonical NaN; a signaling NaN sets NV */
        // qNaN(payload) + 1: canonical NaN, payload dropped, no flag
        TEST_FF(29, D, fadd.d, rne, 0x7ff8000000000000, 0, 0x7ff8000000012345, 0x3ff0000000000000)
        // 1 + negative qNaN(payload): positive canonical NaN
        TEST_FF(30, D, fadd.d, rne, 0x7ff8000000000000, 0, 0x3ff0000000000000, 0xfff8000000005432)
        // sNaN + 1: NV
        TEST_FF(31, D, fadd.d, rne, 0x7ff8000000000000, NV, 0x7ff0000000000001, 0x3ff0000000000000)
        // 1 + sNaN: NV
        TEST_FF(32, D, fadd.d, rne, 0x7ff8000000000000, NV, 0x3ff0000000000000, 0x7ff0000000000001)
        // qNaN + negative sNaN: NV
        TEST_FF(33, D, fadd.d, rne, 0x7ff8000000000000, NV, 0x7ff8000000000000, 0xfff0000000005432)
        // qNaN + -inf: canonical NaN, no flag
        TEST_FF(34, D, fadd.d, rne, 0x7ff8000000000000, 0, 0x7ff8000000000000, 0xfff0000000000000)
        // sNaN - sNaN: NV
        TEST_FF(35, D, fsub.d, rne, 0x7ff8000000000000, NV, 0x7ff0000000000001, 0x7ff0000000000001)
        // inf - qNaN: canonical NaN, no flag
        TEST_FF(36, D, fsub.d, rne, 0x7ff8000000000000, 0, 0x7ff0000000000000, 0x7ff8000000012345)

/* fadd/fsub: subnormal operands and exact subnormal results (no UF when exact) */
        // minsub + minsub = 2 minsub, exact
        TEST_FF(37, D, fadd.d, rne, 0x0000000000000002, 0, 0x0000000000000001, 0x0000000000000001)
        // maxsub + minsub = minnorm, exact
        TEST_FF(38, D, fadd.d, rne, 0x0010000000000000, 0, 0x000fffffffffffff, 0x0000000000000001)
        // minnorm - minsub = maxsub, exact subnormal: no UF
        TEST_FF(39, D, fsub.d, rne, 0x000fffffffffffff, 0, 0x0010000000000000, 0x0000000000000001)
        // minsub - minsub = +0
        TEST_FF(40, D, fsub.d, rne, 0x0000000000000000, 0, 0x0000000000000001, 0x0000000000000001)
        // -maxsub + -maxsub = -(2 minnorm - 2 minsub), exact normal
        TEST_FF(41, D, fadd.d, rne, 0x801ffffffffffffe, 0, 0x800fffffffffffff, 0x800fffffffffffff)
        // 1 + minsub: NX only
        TEST_FF(42, D, fadd.d, rne, 0x3ff0000000000000, NX, 0x3ff0000000000000, 0x0000000000000001)

/* fadd/fsub: overflow in RNE */
        // max + max: inf, OF|NX
        TEST_FF(43, D, fadd.d, rne, 0x7ff0000000000000, OF|NX, 0x7fefffffffffffff, 0x7fefffffffffffff)
        // -max - max: -inf, OF|NX
        TEST_FF(44, D, fsub.d, rne, 0xfff0000000000000, OF|NX, 0xffefffffffffffff, 0x7fefffffffffffff)

/* fmul */
        // 3 * 7 = 21
        TEST_FF(45, D, fmul.d, rne, 0x4035000000000000, 0, 0x4008000000000000, 0x401c000000000000)
        // -2 * 0.5 = -1
        TEST_FF(46, D, fmul.d, rne, 0xbff0000000000000, 0, 0xc000000000000000, 0x3fe0000000000000)
        // 1.5 * 1.5 = 2.25
        TEST_FF(47, D, fmul.d, rne, 0x4002000000000000, 0, 0x3ff8000000000000, 0x3ff8000000000000)
        // (1+u)^2 = 1 + 2u + u^2: RNE gives 1 + 2u, NX
        TEST_FF(48, D, fmul.d, rne, 0x3ff0000000000002, NX, 0x3ff0000000000001, 0x3ff0000000000001)
        // +0 * -5 = -0
        TEST_FF(49, D, fmul.d, rne, 0x8000000000000000, 0, 0x0000000000000000, 0xc014000000000000)
        // -0 * -0 = +0
        TEST_FF(50, D, fmul.d, rne, 0x0000000000000000, 0, 0x8000000000000000, 0x8000000000000000)
        // inf * 0: NV, canonical NaN
        TEST_FF(51, D, fmul.d, rne, 0x7ff8000000000000, NV, 0x7ff0000000000000, 0x0000000000000000)
        // -0 * -inf: NV
        TEST_FF(52, D, fmul.d, rne, 0x7ff8000000000000, NV, 0x8000000000000000, 0xfff0000000000000)
        // inf * -2 = -inf
        TEST_FF(53, D, fmul.d, rne, 0xfff0000000000000, 0, 0x7ff0000000000000, 0xc000000000000000)
        // -inf * -inf = inf
        TEST_FF(54, D, fmul.d, rne, 0x7ff0000000000000, 0, 0xfff0000000000000, 0xfff0000000000000)
        // qNaN * 0: canonical NaN, no flag
        TEST_FF(55, D, fmul.d, rne, 0x7ff8000000000000, 0, 0x7ff8000000012345, 0x0000000000000000)
        // sNaN * 1: NV
        TEST_FF(56, D, fmul.d, rne, 0x7ff8000000000000, NV, 0x7ff0000000000001, 0x3ff0000000000000)
        // 1 * negative sNaN: NV, positive canonical NaN
        TEST_FF(57, D, fmul.d, rne, 0x7ff8000000000000, NV, 0x3ff0000000000000, 0xfff0000000005432)
        // qNaN * inf: canonical NaN, no flag
        TEST_FF(58, D, fmul.d, rne, 0x7ff8000000000000, 0, 0x7ff8000000000000, 0x7ff0000000000000)
        // minnorm * 0.5: exact subnormal, no flag
        TEST_FF(59, D, fmul.d, rne, 0x0008000000000000, 0, 0x0010000000000000, 0x3fe0000000000000)
        // maxsub * 2: exact normal
        TEST_FF(60, D, fmul.d, rne, 0x001ffffffffffffe, 0, 0x000fffffffffffff, 0x4000000000000000)
        // minsub * 2^52 = minnorm
        TEST_FF(61, D, fmul.d, rne, 0x0010000000000000, 0, 0x0000000000000001, 0x4330000000000000)
        // minsub * minsub: +0, UF|NX
        TEST_FF(62, D, fmul.d, rne, 0x0000000000000000, UF|NX, 0x0000000000000001, 0x0000000000000001)
        // -minsub * 0.25: -0, UF|NX
        TEST_FF(63, D, fmul.d, rne, 0x8000000000000000, UF|NX, 0x8000000000000001, 0x3fd0000000000000)
        // max * 2: inf, OF|NX
        TEST_FF(64, D, fmul.d, rne, 0x7ff0000000000000, OF|NX, 0x7fefffffffffffff, 0x4000000000000000)
        // 2^512 * -2^512: -inf, OF|NX
        TEST_FF(65, D, fmul.d, rne, 0xfff0000000000000, OF|NX, 0x5ff0000000000000, 0xdff0000000000000)

/* fdiv */
        // 6 / 3 = 2
        TEST_FF(66, D, fdiv.d, rne, 0x4000000000000000, 0, 0x4018000000000000, 0x4008000000000000)
        // -9 / 4 = -2.25
        TEST_FF(67, D, fdiv.d, rne, 0xc002000000000000, 0, 0xc022000000000000, 0x4010000000000000)
        // 1 / 3: 0x3fd5555555555555 + 1/3 ulp, NX
        TEST_FF(68, D, fdiv.d, rne, 0x3fd5555555555555, NX, 0x3ff0000000000000, 0x4008000000000000)
        // 1 / +0: inf, DZ
        TEST_FF(69, D, fdiv.d, rne, 0x7ff0000000000000, DZ, 0x3ff0000000000000, 0x0000000000000000)
        // -1 / +0: -inf, DZ
        TEST_FF(70, D, fdiv.d, rne, 0xfff0000000000000, DZ, 0xbff0000000000000, 0x0000000000000000)
        // 1 / -0: -inf, DZ
        TEST_FF(71, D, fdiv.d, rne, 0xfff0000000000000, DZ, 0x3ff0000000000000, 0x8000000000000000)
        // minsub / -0: -inf, DZ
        TEST_FF(72, D, fdiv.d, rne, 0xfff0000000000000, DZ, 0x0000000000000001, 0x8000000000000000)
        // 0 / 0: NV, canonical NaN
        TEST_FF(73, D, fdiv.d, rne, 0x7ff8000000000000, NV, 0x0000000000000000, 0x0000000000000000)
        // -0 / 0: NV
        TEST_FF(74, D, fdiv.d, rne, 0x7ff8000000000000, NV, 0x8000000000000000, 0x0000000000000000)
        // inf / -inf: NV
        TEST_FF(75, D, fdiv.d, rne, 0x7ff8000000000000, NV, 0x7ff0000000000000, 0xfff0000000000000)
        // inf / 0 = inf, exact: no DZ
        TEST_FF(76, D, fdiv.d, rne, 0x7ff0000000000000, 0, 0x7ff0000000000000, 0x0000000000000000)
        // -inf / 2 = -inf
        TEST_FF(77, D, fdiv.d, rne, 0xfff0000000000000, 0, 0xfff0000000000000, 0x4000000000000000)
        // 0 / inf = 0
        TEST_FF(78, D, fdiv.d, rne, 0x0000000000000000, 0, 0x0000000000000000, 0x7ff0000000000000)
        // -1 / inf = -0
        TEST_FF(79, D, fdiv.d, rne, 0x8000000000000000, 0, 0xbff0000000000000, 0x7ff0000000000000)
        // -0 / 5 = -0
        TEST_FF(80, D, fdiv.d, rne, 0x8000000000000000, 0, 0x8000000000000000, 0x4014000000000000)
        // qNaN / 0: canonical NaN, no DZ
        TEST_FF(81, D, fdiv.d, rne, 0x7ff8000000000000, 0, 0x7ff8000000000000, 0x0000000000000000)
        // sNaN / 1: NV
        TEST_FF(82, D, fdiv.d, rne, 0x7ff8000000000000, NV, 0x7ff0000000000001, 0x3ff0000000000000)
        // 0 / qNaN: canonical NaN, no flag
        TEST_FF(83, D, fdiv.d, rne, 0x7ff8000000000000, 0, 0x0000000000000000, 0x7ff8000000012345)
        // max / 0.5: inf, OF|NX
        TEST_FF(84, D, fdiv.d, rne, 0x7ff0000000000000, OF|NX, 0x7fefffffffffffff, 0x3fe0000000000000)
        // minnorm / 2: exact subnormal, no flag
        TEST_FF(85, D, fdiv.d, rne, 0x0008000000000000, 0, 0x0010000000000000, 0x4000000000000000)
        // minsub / 4: +0, UF|NX
        TEST_FF(86, D, fdiv.d, rne, 0x0000000000000000, UF|NX, 0x0000000000000001, 0x4010000000000000)
        // 1 / max = 2^-1023/(2-u): subnormal, 0x0004000000000000 + 0.125 ulp, UF|NX
        TEST_FF(87, D, fdiv.d, rne, 0x0004000000000000, UF|NX, 0x3ff0000000000000, 0x7fefffffffffffff)

/* fsqrt */
        // sqrt(4) = 2
        TEST_F1(88, D, D, fsqrt.d, rne, 0x4000000000000000, 0, 0x4010000000000000)
        // sqrt(2.25) = 1.5
        TEST_F1(89, D, D, fsqrt.d, rne, 0x3ff8000000000000, 0, 0x4002000000000000)
        // sqrt(2): nearest 0x3ff6a09e667f3bcd, NX
        TEST_F1(90, D, D, fsqrt.d, rne, 0x3ff6a09e667f3bcd, NX, 0x4000000000000000)
        // sqrt(+0) = +0
        TEST_F1(91, D, D, fsqrt.d, rne, 0x0000000000000000, 0, 0x0000000000000000)
        // sqrt(-0) = -0, no flag
        TEST_F1(92, D, D, fsqrt.d, rne, 0x8000000000000000, 0, 0x8000000000000000)
        // sqrt(inf) = inf
        TEST_F1(93, D, D, fsqrt.d, rne, 0x7ff0000000000000, 0, 0x7ff0000000000000)
        // sqrt(-inf): NV
        TEST_F1(94, D, D, fsqrt.d, rne, 0x7ff8000000000000, NV, 0xfff0000000000000)
        // sqrt(-1): NV, canonical NaN
        TEST_F1(95, D, D, fsqrt.d, rne, 0x7ff8000000000000, NV, 0xbff0000000000000)
        // sqrt(-minsub): NV
        TEST_F1(96, D, D, fsqrt.d, rne, 0x7ff8000000000000, NV, 0x8000000000000001)
        // sqrt(qNaN): canonical NaN, no flag
        TEST_F1(97, D, D, fsqrt.d, rne, 0x7ff8000000000000, 0, 0x7ff8000000012345)
        // sqrt(negative qNaN): canonical NaN, no NV (a NaN, not a negative number)
        TEST_F1(98, D, D, fsqrt.d, rne, 0x7ff8000000000000, 0, 0xfff8000000005432)
        // sqrt(sNaN): NV
        TEST_F1(99, D, D, fsqrt.d, rne, 0x7ff8000000000000, NV, 0x7ff0000000000001)
        // sqrt(minsub = 2^-1074) = 2^-537, exact
        TEST_F1(100, D, D, fsqrt.d, rne, 0x1e60000000000000, 0, 0x0000000000000001)
        // sqrt(2^-1073): sqrt(2) * 2^-537, NX
        TEST_F1(101, D, D, fsqrt.d, rne, 0x1e66a09e667f3bcd, NX, 0x0000000000000002)
        // sqrt(max): NX
        TEST_F1(102, D, D, fsqrt.d, rne, 0x5fefffffffffffff, NX, 0x7fefffffffffffff)

        fsrmi 0
        j pass
TEST_END
