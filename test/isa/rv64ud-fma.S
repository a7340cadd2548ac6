/* Double-precision fused multiply-add (D extension): fmadd/fmsub/fnmsub/fnmadd.d with a single rounding,
   sign rules, exact-zero signs, invalid cases and NaNs.
   Expected values were derived with exact rational arithmetic (python3 fractions) rounded by hand
   following IEEE 754-2019 section 4.3 and the RISC-V F/D chapters (tininess after rounding, canonical
   NaN results, NV for invalid operations); each comment says why a case gives its result.
   u is the ulp of 1.0 (2^-23 in single, 2^-52 in double); minsub/maxsub/minnorm/max are the
   smallest/largest subnormal, the smallest normal and the largest finite value of the format.
   fmadd = a*b + c, fmsub = a*b - c, fnmsub = -(a*b) + c, fnmadd = -(a*b) - c, computed as if with
   unbounded range and precision and rounded once. The negations apply to the product and to c before
   the addition, so an exact zero sum follows the usual x + (-x) rule (+0, or -0 in RDN). */
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
/* fa3 = inst(fa0, fa1, fa2) with rounding mode rm (fused multiply-add family). */
#define TEST_F3(n, f, inst, rm, res, fl, a, b, c) TEST_CASE(n); LOAD_##f(fa0, a); LOAD_##f(fa1, b); LOAD_##f(fa2, c); fsflags zero; inst fa3, fa0, fa1, fa2, rm; CHECK_FLAGS(fl); CHECK_##f(fa3, res)

TEST_BEGIN

/* Single rounding: a = b = 1 + 2^-27, a*b = 1 + 2^-26 + 2^-54 needs 55 bits. With c = -(1 + 2^-26) the fused
   result is the exact 2^-54; rounding a*b first (to 0x3ff0000004000000) and then adding would give 0. */
        // fmadd a*b + -(1 + 2^-26) = +2^-54, exact
        TEST_F3(1, D, fmadd.d, rne, 0x3c90000000000000, 0, 0x3ff0000002000000, 0x3ff0000002000000, 0xbff0000004000000)
        // fmsub a*b - (1 + 2^-26) = +2^-54
        TEST_F3(2, D, fmsub.d, rne, 0x3c90000000000000, 0, 0x3ff0000002000000, 0x3ff0000002000000, 0x3ff0000004000000)
        // fnmsub -(a*b) + (1 + 2^-26) = -2^-54
        TEST_F3(3, D, fnmsub.d, rne, 0xbc90000000000000, 0, 0x3ff0000002000000, 0x3ff0000002000000, 0x3ff0000004000000)
        // fnmadd -(a*b) - -(1 + 2^-26) = -2^-54
        TEST_F3(4, D, fnmadd.d, rne, 0xbc90000000000000, 0, 0x3ff0000002000000, 0x3ff0000002000000, 0xbff0000004000000)
        // fmadd (1+u)(1-u/2) - 1 = u/2 - u^2/2, exact (two roundings: round(a*b) = 1, result 0)
        TEST_F3(5, D, fmadd.d, rne, 0x3c9ffffffffffffe, 0, 0x3ff0000000000001, 0x3fefffffffffffff, 0xbff0000000000000)
        // fnmsub -(1+u)(1-u/2) + 1 = -(u/2 - u^2/2)
        TEST_F3(6, D, fnmsub.d, rne, 0xbc9ffffffffffffe, 0, 0x3ff0000000000001, 0x3fefffffffffffff, 0x3ff0000000000000)
        // fmadd a*b + 3u/8: 0x3ff0000004000000 + 5/8 ulp, rounds up to 1 + 2^-26 + u; rounding a*b first would give 1 + 2^-26
        TEST_F3(7, D, fmadd.d, rne, 0x3ff0000004000001, NX, 0x3ff0000002000000, 0x3ff0000002000000, 0x3c98000000000000)
        // fmsub a*b - -3u/8: the same, 1 + 2^-26 + u
        TEST_F3(8, D, fmsub.d, rne, 0x3ff0000004000001, NX, 0x3ff0000002000000, 0x3ff0000002000000, 0xbc98000000000000)
        // fnmadd -(a*b) - 3u/8: -(1 + 2^-26 + u)
        TEST_F3(9, D, fnmadd.d, rne, 0xbff0000004000001, NX, 0x3ff0000002000000, 0x3ff0000002000000, 0x3c98000000000000)
        // fnmsub -(a*b) + -3u/8: -(1 + 2^-26 + u)
        TEST_F3(10, D, fnmsub.d, rne, 0xbff0000004000001, NX, 0x3ff0000002000000, 0x3ff0000002000000, 0xbc98000000000000)

/* No intermediate overflow: max * 2 overflows alone, but the fused sum is back in range, exact */
        // fmadd max*2 + -max = max, no flag
        TEST_F3(11, D, fmadd.d, rne, 0x7fefffffffffffff, 0, 0x7fefffffffffffff, 0x4000000000000000, 0xffefffffffffffff)
        // fmsub max*2 - max = max
        TEST_F3(12, D, fmsub.d, rne, 0x7fefffffffffffff, 0, 0x7fefffffffffffff, 0x4000000000000000, 0x7fefffffffffffff)
        // fnmsub -(max*2) + max = -max
        TEST_F3(13, D, fnmsub.d, rne, 0xffefffffffffffff, 0, 0x7fefffffffffffff, 0x4000000000000000, 0x7fefffffffffffff)
        // fnmadd -(max*2) - -max = -max
        TEST_F3(14, D, fnmadd.d, rne, 0xffefffffffffffff, 0, 0x7fefffffffffffff, 0x4000000000000000, 0xffefffffffffffff)
        // fmadd max*2 + 0: inf, OF|NX
        TEST_F3(15, D, fmadd.d, rne, 0x7ff0000000000000, OF|NX, 0x7fefffffffffffff, 0x4000000000000000, 0x0000000000000000)
        // fmadd max*2 + 0 in RTZ: max, OF|NX
        TEST_F3(16, D, fmadd.d, rtz, 0x7fefffffffffffff, OF|NX, 0x7fefffffffffffff, 0x4000000000000000, 0x0000000000000000)
        // fnmadd -(max*2) - 0 in RUP: -max, OF|NX
        TEST_F3(17, D, fnmadd.d, rup, 0xffefffffffffffff, OF|NX, 0x7fefffffffffffff, 0x4000000000000000, 0x0000000000000000)

/* No intermediate underflow: minsub * 0.5 alone underflows; adding minnorm gives a tie */
        // fmadd minsub*0.5 + minnorm: tie, to even minnorm, NX only
        TEST_F3(18, D, fmadd.d, rne, 0x0010000000000000, NX, 0x0000000000000001, 0x3fe0000000000000, 0x0010000000000000)
        // the same in RMM: minnorm + minsub, NX
        TEST_F3(19, D, fmadd.d, rmm, 0x0010000000000001, NX, 0x0000000000000001, 0x3fe0000000000000, 0x0010000000000000)
        // fmadd minsub*0.5 + 0: +0, UF|NX
        TEST_F3(20, D, fmadd.d, rne, 0x0000000000000000, UF|NX, 0x0000000000000001, 0x3fe0000000000000, 0x0000000000000000)
        // fmadd minsub*0.5 + -0 in RUP: minsub, UF|NX
        TEST_F3(21, D, fmadd.d, rup, 0x0000000000000001, UF|NX, 0x0000000000000001, 0x3fe0000000000000, 0x8000000000000000)
        // fmadd minsub*0.5 + -1: -1, NX only
        TEST_F3(22, D, fmadd.d, rne, 0xbff0000000000000, NX, 0x0000000000000001, 0x3fe0000000000000, 0xbff0000000000000)

/* Sign rules on ordinary values */
        // fmadd 2*3 + 1 = 7
        TEST_F3(23, D, fmadd.d, rne, 0x401c000000000000, 0, 0x4000000000000000, 0x4008000000000000, 0x3ff0000000000000)
        // fmsub 2*3 - 1 = 5
        TEST_F3(24, D, fmsub.d, rne, 0x4014000000000000, 0, 0x4000000000000000, 0x4008000000000000, 0x3ff0000000000000)
        // fnmsub -(2*3) + 1 = -5
        TEST_F3(25, D, fnmsub.d, rne, 0xc014000000000000, 0, 0x4000000000000000, 0x4008000000000000, 0x3ff0000000000000)
        // fnmadd -(2*3) - 1 = -7
        TEST_F3(26, D, fnmadd.d, rne, 0xc01c000000000000, 0, 0x4000000000000000, 0x4008000000000000, 0x3ff0000000000000)
        // fmadd -2*3 + -1 = -7
        TEST_F3(27, D, fmadd.d, rne, 0xc01c000000000000, 0, 0xc000000000000000, 0x4008000000000000, 0xbff0000000000000)
        // fmsub 2*-3 - -1 = -5
        TEST_F3(28, D, fmsub.d, rne, 0xc014000000000000, 0, 0x4000000000000000, 0xc008000000000000, 0xbff0000000000000)
        // fnmsub -(-2*3) + -1 = 5
        TEST_F3(29, D, fnmsub.d, rne, 0x4014000000000000, 0, 0xc000000000000000, 0x4008000000000000, 0xbff0000000000000)
        // fnmadd -(-2*-3) - -1 = -5
        TEST_F3(30, D, fnmadd.d, rne, 0xc014000000000000, 0, 0xc000000000000000, 0xc008000000000000, 0xbff0000000000000)

/* Exact zero sums: +0, or -0 in RDN; the negations are applied before the addition */
        // fmadd 1*1 + -1
        TEST_F3(31, D, fmadd.d, rne, 0x0000000000000000, 0, 0x3ff0000000000000, 0x3ff0000000000000, 0xbff0000000000000)
        // fmsub 1*1 - 1
        TEST_F3(32, D, fmsub.d, rne, 0x0000000000000000, 0, 0x3ff0000000000000, 0x3ff0000000000000, 0x3ff0000000000000)
        // fnmsub -(1*1) + 1
        TEST_F3(33, D, fnmsub.d, rne, 0x0000000000000000, 0, 0x3ff0000000000000, 0x3ff0000000000000, 0x3ff0000000000000)
        // fnmadd -(1*1) - -1 (not -(1*1 + -1) = -0)
        TEST_F3(34, D, fnmadd.d, rne, 0x0000000000000000, 0, 0x3ff0000000000000, 0x3ff0000000000000, 0xbff0000000000000)
        // fmadd 1*1 + -1
        TEST_F3(35, D, fmadd.d, rdn, 0x8000000000000000, 0, 0x3ff0000000000000, 0x3ff0000000000000, 0xbff0000000000000)
        // fmsub 1*1 - 1
        TEST_F3(36, D, fmsub.d, rdn, 0x8000000000000000, 0, 0x3ff0000000000000, 0x3ff0000000000000, 0x3ff0000000000000)
        // fnmsub -(1*1) + 1
        TEST_F3(37, D, fnmsub.d, rdn, 0x8000000000000000, 0, 0x3ff0000000000000, 0x3ff0000000000000, 0x3ff0000000000000)
        // fnmadd -(1*1) - -1 (not -(1*1 + -1) = -0)
        TEST_F3(38, D, fnmadd.d, rdn, 0x8000000000000000, 0, 0x3ff0000000000000, 0x3ff0000000000000, 0xbff0000000000000)

/* Zero products plus zeros: same signs keep their sign, different signs give +0 (RNE) or -0 (RDN) */
        // fmadd +0*1 + -0 = +0
        TEST_F3(39, D, fmadd.d, rne, 0x0000000000000000, 0, 0x0000000000000000, 0x3ff0000000000000, 0x8000000000000000)
        // fmadd +0*1 + -0 = -0 in RDN
        TEST_F3(40, D, fmadd.d, rdn, 0x8000000000000000, 0, 0x0000000000000000, 0x3ff0000000000000, 0x8000000000000000)
        // fmadd +0*-1 + -0 = -0
        TEST_F3(41, D, fmadd.d, rne, 0x8000000000000000, 0, 0x0000000000000000, 0xbff0000000000000, 0x8000000000000000)
        // fmadd -0*-0 + +0 = +0
        TEST_F3(42, D, fmadd.d, rne, 0x0000000000000000, 0, 0x8000000000000000, 0x8000000000000000, 0x0000000000000000)
        // fmsub +0*1 - +0 = +0
        TEST_F3(43, D, fmsub.d, rne, 0x0000000000000000, 0, 0x0000000000000000, 0x3ff0000000000000, 0x0000000000000000)
        // fmsub -0*1 - +0 = -0
        TEST_F3(44, D, fmsub.d, rne, 0x8000000000000000, 0, 0x8000000000000000, 0x3ff0000000000000, 0x0000000000000000)
        // fnmsub -(+0*1) + +0 = +0
        TEST_F3(45, D, fnmsub.d, rne, 0x0000000000000000, 0, 0x0000000000000000, 0x3ff0000000000000, 0x0000000000000000)
        // fnmsub -(+0*1) + -0 = -0
        TEST_F3(46, D, fnmsub.d, rne, 0x8000000000000000, 0, 0x0000000000000000, 0x3ff0000000000000, 0x8000000000000000)
        // fnmadd -(+0*1) - +0 = -0
        TEST_F3(47, D, fnmadd.d, rne, 0x8000000000000000, 0, 0x0000000000000000, 0x3ff0000000000000, 0x0000000000000000)
        // fnmadd -(-0*1) - +0 = +0
        TEST_F3(48, D, fnmadd.d, rne, 0x0000000000000000, 0, 0x8000000000000000, 0x3ff0000000000000, 0x0000000000000000)
        // fmadd minsub*minsub + -0: +0 (the tiny product keeps its sign), UF|NX
        TEST_F3(49, D, fmadd.d, rne, 0x0000000000000000, UF|NX, 0x0000000000000001, 0x0000000000000001, 0x8000000000000000)
        // fnmadd -(minsub*minsub) - +0: -0, UF|NX
        TEST_F3(50, D, fnmadd.d, rne, 0x8000000000000000, UF|NX, 0x0000000000000001, 0x0000000000000001, 0x0000000000000000)

/* Infinities and invalid operations */
        // fmadd inf*0 + 1: NV
        TEST_F3(51, D, fmadd.d, rne, 0x7ff8000000000000, NV, 0x7ff0000000000000, 0x0000000000000000, 0x3ff0000000000000)
        // fmadd -0*-inf + 1: NV
        TEST_F3(52, D, fmadd.d, rne, 0x7ff8000000000000, NV, 0x8000000000000000, 0xfff0000000000000, 0x3ff0000000000000)
        // fmadd inf*0 + qNaN: NV (RISC-V requires NV even for a quiet NaN addend)
        TEST_F3(53, D, fmadd.d, rne, 0x7ff8000000000000, NV, 0x7ff0000000000000, 0x0000000000000000, 0x7ff8000000012345)
        // fnmadd -(0*inf) - qNaN: NV
        TEST_F3(54, D, fnmadd.d, rne, 0x7ff8000000000000, NV, 0x0000000000000000, 0x7ff0000000000000, 0x7ff8000000000000)
        // fmadd inf*1 + -inf: NV
        TEST_F3(55, D, fmadd.d, rne, 0x7ff8000000000000, NV, 0x7ff0000000000000, 0x3ff0000000000000, 0xfff0000000000000)
        // fmsub inf*1 - inf: NV
        TEST_F3(56, D, fmsub.d, rne, 0x7ff8000000000000, NV, 0x7ff0000000000000, 0x3ff0000000000000, 0x7ff0000000000000)
        // fnmsub -(inf*1) + inf: NV
        TEST_F3(57, D, fnmsub.d, rne, 0x7ff8000000000000, NV, 0x7ff0000000000000, 0x3ff0000000000000, 0x7ff0000000000000)
        // fnmadd -(inf*1) - -inf: NV
        TEST_F3(58, D, fnmadd.d, rne, 0x7ff8000000000000, NV, 0x7ff0000000000000, 0x3ff0000000000000, 0xfff0000000000000)
        // fmadd inf*1 + inf = inf
        TEST_F3(59, D, fmadd.d, rne, 0x7ff0000000000000, 0, 0x7ff0000000000000, 0x3ff0000000000000, 0x7ff0000000000000)
        // fnmadd -(inf*1) - inf = -inf
        TEST_F3(60, D, fnmadd.d, rne, 0xfff0000000000000, 0, 0x7ff0000000000000, 0x3ff0000000000000, 0x7ff0000000000000)
        // fmsub 1*1 - inf = -inf
        TEST_F3(61, D, fmsub.d, rne, 0xfff0000000000000, 0, 0x3ff0000000000000, 0x3ff0000000000000, 0x7ff0000000000000)
        // fnmsub -(1*1) + inf = inf
        TEST_F3(62, D, fnmsub.d, rne, 0x7ff0000000000000, 0, 0x3ff0000000000000, 0x3ff0000000000000, 0x7ff0000000000000)
        // fmadd max*max + -inf = -inf exactly: no OF
        TEST_F3(63, D, fmadd.d, rne, 0xfff0000000000000, 0, 0x7fefffffffffffff, 0x7fefffffffffffff, 0xfff0000000000000)
        // fmadd -inf*-1 + max = inf
        TEST_F3(64, D, fmadd.d, rne, 0x7ff0000000000000, 0, 0xfff0000000000000, 0xbff0000000000000, 0x7fefffffffffffff)

/* NaN operands: canonical NaN; NV only for signaling NaNs (or inf*0) */
        // fmadd qNaN*1 + 1: canonical NaN, no flag
        TEST_F3(65, D, fmadd.d, rne, 0x7ff8000000000000, 0, 0x7ff8000000012345, 0x3ff0000000000000, 0x3ff0000000000000)
        // fmadd 1*-qNaN + 1: canonical NaN
        TEST_F3(66, D, fmadd.d, rne, 0x7ff8000000000000, 0, 0x3ff0000000000000, 0xfff8000000005432, 0x3ff0000000000000)
        // fmadd 1*1 + qNaN: canonical NaN, no flag
        TEST_F3(67, D, fmadd.d, rne, 0x7ff8000000000000, 0, 0x3ff0000000000000, 0x3ff0000000000000, 0x7ff8000000012345)
        // fmadd sNaN*1 + 1: NV
        TEST_F3(68, D, fmadd.d, rne, 0x7ff8000000000000, NV, 0x7ff0000000000001, 0x3ff0000000000000, 0x3ff0000000000000)
        // fmsub 1*sNaN - qNaN: NV
        TEST_F3(69, D, fmsub.d, rne, 0x7ff8000000000000, NV, 0x3ff0000000000000, 0x7ff0000000000001, 0x7ff8000000000000)
        // fnmsub -(1*1) + -sNaN: NV
        TEST_F3(70, D, fnmsub.d, rne, 0x7ff8000000000000, NV, 0x3ff0000000000000, 0x3ff0000000000000, 0xfff0000000005432)
        // fnmadd -(qNaN*inf) - -inf: canonical NaN, no flag
        TEST_F3(71, D, fnmadd.d, rne, 0x7ff8000000000000, 0, 0x7ff8000000000000, 0x7ff0000000000000, 0xfff0000000000000)
        // fmadd inf*1 + qNaN: canonical NaN, no flag
        TEST_F3(72, D, fmadd.d, rne, 0x7ff8000000000000, 0, 0x7ff0000000000000, 0x3ff0000000000000, 0x7ff8000000000000)

        fsrmi 0
        j pass
TEST_END
