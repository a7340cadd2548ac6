/* Single-precision fused multiply-add (F extension): fmadd/fmsub/fnmsub/fnmadd.s with a single rounding,
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
/* A single operand is moved in with fmv.w.x, which NaN-boxes it. */
#define LOAD_S(fr, v) li t0, v; fmv.w.x fr, t0
/* A single result is checked on all 64 bits of the f register: it must be NaN-boxed. */
#define CHECK_S(fr, v) fmv.x.d a0, fr; li t6, 0xffffffff00000000 | (v); bne a0, t6, fail
/* fa3 = inst(fa0, fa1, fa2) with rounding mode rm (fused multiply-add family). */
#define TEST_F3(n, f, inst, rm, res, fl, a, b, c) TEST_CASE(n); LOAD_##f(fa0, a); LOAD_##f(fa1, b); LOAD_##f(fa2, c); fsflags zero; inst fa3, fa0, fa1, fa2, rm; CHECK_FLAGS(fl); CHECK_##f(fa3, res)

TEST_BEGIN

/* Single rounding: a = b = 1 + 2^-12, a*b = 1 + 2^-11 + 2^-24 needs 25 bits. With c = -(1 + 2^-11) the fused
   result is the exact 2^-24; rounding a*b first (to 0x3f801000) and then adding would give 0. */
        // fmadd a*b + -(1 + 2^-11) = +2^-24, exact
        TEST_F3(1, S, fmadd.s, rne, 0x33800000, 0, 0x3f800800, 0x3f800800, 0xbf801000)
        // fmsub a*b - (1 + 2^-11) = +2^-24
        TEST_F3(2, S, fmsub.s, rne, 0x33800000, 0, 0x3f800800, 0x3f800800, 0x3f801000)
        // fnmsub -(a*b) + (1 + 2^-11) = -2^-24
        TEST_F3(3, S, fnmsub.s, rne, 0xb3800000, 0, 0x3f800800, 0x3f800800, 0x3f801000)
        // fnmadd -(a*b) - -(1 + 2^-11) = -2^-24
        TEST_F3(4, S, fnmadd.s, rne, 0xb3800000, 0, 0x3f800800, 0x3f800800, 0xbf801000)
        // fmadd (1+u)(1-u/2) - 1 = u/2 - u^2/2, exact (two roundings: round(a*b) = 1, result 0)
        TEST_F3(5, S, fmadd.s, rne, 0x337ffffe, 0, 0x3f800001, 0x3f7fffff, 0xbf800000)
        // fnmsub -(1+u)(1-u/2) + 1 = -(u/2 - u^2/2)
        TEST_F3(6, S, fnmsub.s, rne, 0xb37ffffe, 0, 0x3f800001, 0x3f7fffff, 0x3f800000)
        // fmadd a*b + 3u/8: 0x3f801000 + 7/8 ulp, rounds up to 1 + 2^-11 + u; rounding a*b first would give 1 + 2^-11
        TEST_F3(7, S, fmadd.s, rne, 0x3f801001, NX, 0x3f800800, 0x3f800800, 0x33400000)
        // fmsub a*b - -3u/8: the same, 1 + 2^-11 + u
        TEST_F3(8, S, fmsub.s, rne, 0x3f801001, NX, 0x3f800800, 0x3f800800, 0xb3400000)
        // fnmadd -(a*b) - 3u/8: -(1 + 2^-11 + u)
        TEST_F3(9, S, fnmadd.s, rne, 0xbf801001, NX, 0x3f800800, 0x3f800800, 0x33400000)
        // fnmsub -(a*b) + -3u/8: -(1 + 2^-11 + u)
        TEST_F3(10, S, fnmsub.s, rne, 0xbf801001, NX, 0x3f800800, 0x3f800800, 0xb3400000)

/* No intermediate overflow: max * 2 overflows alone, but the fused sum is back in range, exact */
        // fmadd max*2 + -max = max, no flag
        TEST_F3(11, S, fmadd.s, rne, 0x7f7fffff, 0, 0x7f7fffff, 0x40000000, 0xff7fffff)
        // fmsub max*2 - max = max
        TEST_F3(12, S, fmsub.s, rne, 0x7f7fffff, 0, 0x7f7fffff, 0x40000000, 0x7f7fffff)
        // fnmsub -(max*2) + max = -max
        TEST_F3(13, S, fnmsub.s, rne, 0xff7fffff, 0, 0x7f7fffff, 0x40000000, 0x7f7fffff)
        // fnmadd -(max*2) - -max = -max
        TEST_F3(14, S, fnmadd.s, rne, 0xff7fffff, 0, 0x7f7fffff, 0x40000000, 0xff7fffff)
        // fmadd max*2 + 0: inf, OF|NX
        TEST_F3(15, S, fmadd.s, rne, 0x7f800000, OF|NX, 0x7f7fffff, 0x40000000, 0x00000000)
        // fmadd max*2 + 0 in RTZ: max, OF|NX
        TEST_F3(16, S, fmadd.s, rtz, 0x7f7fffff, OF|NX, 0x7f7fffff, 0x40000000, 0x00000000)
        // fnmadd -(max*2) - 0 in RUP: -max, OF|NX
        TEST_F3(17, S, fnmadd.s, rup, 0xff7fffff, OF|NX, 0x7f7fffff, 0x40000000, 0x00000000)

/* No intermediate underflow: minsub * 0.5 alone underflows; adding minnorm gives a tie */
        // fmadd minsub*0.5 + minnorm: tie, to even minnorm, NX only
        TEST_F3(18, S, fmadd.s, rne, 0x00800000, NX, 0x00000001, 0x3f000000, 0x00800000)
        // the same in RMM: minnorm + minsub, NX
        TEST_F3(19, S, fmadd.s, rmm, 0x00800001, NX, 0x00000001, 0x3f000000, 0x00800000)
        // fmadd minsub*0.5 + 0: +0, UF|NX
        TEST_F3(20, S, fmadd.s, rne, 0x00000000, UF|NX, 0x00000001, 0x3f000000, 0x00000000)
        // fmadd minsub*0.5 + -0 in RUP: minsub, UF|NX
        TEST_F3(21, S, fmadd.s, rup, 0x00000001, UF|NX, 0x00000001, 0x3f000000, 0x80000000)
        // fmadd minsub*0.5 + -1: -1, NX only
        TEST_F3(22, S, fmadd.s, rne, 0xbf800000, NX, 0x00000001, 0x3f000000, 0xbf800000)

/* Sign rules on ordinary values */
        // fmadd 2*3 + 1 = 7
        TEST_F3(23, S, fmadd.s, rne, 0x40e00000, 0, 0x40000000, 0x40400000, 0x3f800000)
        // fmsub 2*3 - 1 = 5
        TEST_F3(24, S, fmsub.s, rne, 0x40a00000, 0, 0x40000000, 0x40400000, 0x3f800000)
        // fnmsub -(2*3) + 1 = -5
        TEST_F3(25, S, fnmsub.s, rne, 0xc0a00000, 0, 0x40000000, 0x40400000, 0x3f800000)
        // fnmadd -(2*3) - 1 = -7
        TEST_F3(26, S, fnmadd.s, rne, 0xc0e00000, 0, 0x40000000, 0x40400000, 0x3f800000)
        // fmadd -2*3 + -1 = -7
        TEST_F3(27, S, fmadd.s, rne, 0xc0e00000, 0, 0xc0000000, 0x40400000, 0xbf800000)
        // fmsub 2*-3 - -1 = -5
        TEST_F3(28, S, fmsub.s, rne, 0xc0a00000, 0, 0x40000000, 0xc0400000, 0xbf800000)
        // fnmsub -(-2*3) + -1 = 5
        TEST_F3(29, S, fnmsub.s, rne, 0x40a00000, 0, 0xc0000000, 0x40400000, 0xbf800000)
        // fnmadd -(-2*-3) - -1 = -5
        TEST_F3(30, S, fnmadd.s, rne, 0xc0a00000, 0, 0xc0000000, 0xc0400000, 0xbf800000)

/* Exact zero sums: +0, or -0 in RDN; the negations are applied before the addition */
        // fmadd 1*1 + -1
        TEST_F3(31, S, fmadd.s, rne, 0x00000000, 0, 0x3f800000, 0x3f800000, 0xbf800000)
        // fmsub 1*1 - 1
        TEST_F3(32, S, fmsub.s, rne, 0x00000000, 0, 0x3f800000, 0x3f800000, 0x3f800000)
        // fnmsub -(1*1) + 1
        TEST_F3(33, S, fnmsub.s, rne, 0x00000000, 0, 0x3f800000, 0x3f800000, 0x3f800000)
        // fnmadd -(1*1) - -1 (not -(1*1 + -1) = -0)
        TEST_F3(34, S, fnmadd.s, rne, 0x00000000, 0, 0x3f800000, 0x3f800000, 0xbf800000)
        // fmadd 1*1 + -1
        TEST_F3(35, S, fmadd.s, rdn, 0x80000000, 0, 0x3f800000, 0x3f800000, 0xbf800000)
        // fmsub 1*1 - 1
        TEST_F3(36, S, fmsub.s, rdn, 0x80000000, 0, 0x3f800000, 0x3f800000, 0x3f800000)
        // fnmsub -(1*1) + 1
        TEST_F3(37, S, fnmsub.s, rdn, 0x80000000, 0, 0x3f800000, 0x3f800000, 0x3f800000)
        // fnmadd -(1*1) - -1 (not -(1*1 + -1) = -0)
        TEST_F3(38, S, fnmadd.s, rdn, 0x80000000, 0, 0x3f800000, 0x3f800000, 0xbf800000)

/* Zero products plus zeros: same signs keep their sign, different signs give +0 (RNE) or -0 (RDN) */
        // fmadd +0*1 + -0 = +0
        TEST_F3(39, S, fmadd.s, rne, 0x00000000, 0, 0x00000000, 0x3f800000, 0x80000000)
        // fmadd +0*1 + -0 = -0 in RDN
        TEST_F3(40, S, fmadd.s, rdn, 0x80000000, 0, 0x00000000, 0x3f800000, 0x80000000)
        // fmadd +0*-1 + -0 = -0
        TEST_F3(41, S, fmadd.s, rne, 0x80000000, 0, 0x00000000, 0xbf800000, 0x80000000)
        // fmadd -0*-0 + +0 = +0
        TEST_F3(42, S, fmadd.s, rne, 0x00000000, 0, 0x80000000, 0x80000000, 0x00000000)
        // fmsub +0*1 - +0 = +0
        TEST_F3(43, S, fmsub.s, rne, 0x00000000, 0, 0x00000000, 0x3f800000, 0x00000000)
        // fmsub -0*1 - +0 = -0
        TEST_F3(44, S, fmsub.s, rne, 0x80000000, 0, 0x80000000, 0x3f800000, 0x00000000)
        // fnmsub -(+0*1) + +0 = +0
        TEST_F3(45, S, fnmsub.s, rne, 0x00000000, 0, 0x00000000, 0x3f800000, 0x00000000)
        // fnmsub -(+0*1) + -0 = -0
        TEST_F3(46, S, fnmsub.s, rne, 0x80000000, 0, 0x00000000, 0x3f800000, 0x80000000)
        // fnmadd -(+0*1) - +0 = -0
        TEST_F3(47, S, fnmadd.s, rne, 0x80000000, 0, 0x00000000, 0x3f800000, 0x00000000)
        // fnmadd -(-0*1) - +0 = +0
        TEST_F3(48, S, fnmadd.s, rne, 0x00000000, 0, 0x80000000, 0x3f800000, 0x00000000)
        // fmadd minsub*minsub + -0: +0 (the tiny product keeps its sign), UF|NX
        TEST_F3(49, S, fmadd.s, rne, 0x00000000, UF|NX, 0x00000001, 0x00000001, 0x80000000)
        // fnmadd -(minsub*minsub) - +0: -0, UF|NX
        TEST_F3(50, S, fnmadd.s, rne, 0x80000000, UF|NX, 0x00000001, 0x00000001, 0x00000000)

/* Infinities and invalid operations */
        // fmadd inf*0 + 1: NV
        TEST_F3(51, S, fmadd.s, rne, 0x7fc00000, NV, 0x7f800000, 0x00000000, 0x3f800000)
        // fmadd -0*-inf + 1: NV
        TEST_F3(52, S, fmadd.s, rne, 0x7fc00000, NV, 0x80000000, 0xff800000, 0x3f800000)
        // fmadd inf*0 + qNaN: NV (RISC-V requires NV even for a quiet NaN addend)
        TEST_F3(53, S, fmadd.s, rne, 0x7fc00000, NV, 0x7f800000, 0x00000000, 0x7fc12345)
        // fnmadd -(0*inf) - qNaN: NV
        TEST_F3(54, S, fnmadd.s, rne, 0x7fc00000, NV, 0x00000000, 0x7f800000, 0x7fc00000)
        // fmadd inf*1 + -inf: NV
        TEST_F3(55, S, fmadd.s, rne, 0x7fc00000, NV, 0x7f800000, 0x3f800000, 0xff800000)
        // fmsub inf*1 - inf: NV
        TEST_F3(56, S, fmsub.s, rne, 0x7fc00000, NV, 0x7f800000, 0x3f800000, 0x7f800000)
        // fnmsub -(inf*1) + inf: NV
        TEST_F3(57, S, fnmsub.s, rne, 0x7fc00000, NV, 0x7f800000, 0x3f800000, 0x7f800000)
        // fnmadd -(inf*1) - -inf: NV
        TEST_F3(58, S, fnmadd.s, rne, 0x7fc00000, NV, 0x7f800000, 0x3f800000, 0xff800000)
        // fmadd inf*1 + inf = inf
        TEST_F3(59, S, fmadd.s, rne, 0x7f800000, 0, 0x7f800000, 0x3f800000, 0x7f800000)
        // fnmadd -(inf*1) - inf = -inf
        TEST_F3(60, S, fnmadd.s, rne, 0xff800000, 0, 0x7f800000, 0x3f800000, 0x7f800000)
        // fmsub 1*1 - inf = -inf
        TEST_F3(61, S, fmsub.s, rne, 0xff800000, 0, 0x3f800000, 0x3f800000, 0x7f800000)
        // fnmsub -(1*1) + inf = inf
        TEST_F3(62, S, fnmsub.s, rne, 0x7f800000, 0, 0x3f800000, 0x3f800000, 0x7f800000)
        // fmadd max*max + -inf = -inf exactly: no OF
        TEST_F3(63, S, fmadd.s, rne, 0xff800000, 0, 0x7f7fffff, 0x7f7fffff, 0xff800000)
        // fmadd -inf*-1 + max = inf
        TEST_F3(64, S, fmadd.s, rne, 0x7f800000, 0, 0xff800000, 0xbf800000, 0x7f7fffff)

/* NaN operands: canonical NaN; NV only for signaling NaNs (or inf*0) */
        // fmadd qNaN*1 + 1: canonical NaN, no flag
        TEST_F3(65, S, fmadd.s, rne, 0x7fc00000, 0, 0x7fc12345, 0x3f800000, 0x3f800000)
        // fmadd 1*-qNaN + 1: canonical NaN
        TEST_F3(66, S, fmadd.s, rne, 0x7fc00000, 0, 0x3f800000, 0xffc05432, 0x3f800000)
        // fmadd 1*1 + qNaN: canonical NaN, no flag
        TEST_F3(67, S, fmadd.s, rne, 0x7fc00000, 0, 0x3f800000, 0x3f800000, 0x7fc12345)
        // fmadd sNaN*1 + 1: NV
        TEST_F3(68, S, fmadd.s, rne, 0x7fc00000, NV, 0x7f800001, 0x3f800000, 0x3f800000)
        // fmsub 1*sNaN - qNaN: NV
        TEST_F3(69, S, fmsub.s, rne, 0x7fc00000, NV, 0x3f800000, 0x7f800001, 0x7fc00000)
        // fnmsub -(1*1) + -sNaN: NV
        TEST_F3(70, S, fnmsub.s, rne, 0x7fc00000, NV, 0x3f800000, 0x3f800000, 0xff805432)
        // fnmadd -(qNaN*inf) - -inf: canonical NaN, no flag
        TEST_F3(71, S, fnmadd.s, rne, 0x7fc00000, 0, 0x7fc00000, 0x7f800000, 0xff800000)
        // fmadd inf*1 + qNaN: canonical NaN, no flag
        TEST_F3(72, S, fmadd.s, rne, 0x7fc00000, 0, 0x7f800000, 0x3f800000, 0x7fc00000)

        fsrmi 0
        j pass
TEST_END
