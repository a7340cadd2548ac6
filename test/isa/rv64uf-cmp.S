/* Single-precision min/max and comparisons (F extension): fmin/fmax/feq/flt/fle.s.
   Expected values were derived with exact rational arithmetic (python3 fractions) rounded by hand
   following IEEE 754-2019 section 4.3 and the RISC-V F/D chapters (tininess after rounding, canonical
   NaN results, NV for invalid operations); each comment says why a case gives its result.
   u is the ulp of 1.0 (2^-23 in single, 2^-52 in double); minsub/maxsub/minnorm/max are the
   smallest/largest subnormal, the smallest normal and the largest finite value of the format.
   fmin/fmax follow IEEE 754-2019 minimumNumber/maximumNumber as the ISA (version 2.2 of F) requires:
   -0 < +0, a single NaN operand is ignored, two NaN operands give the canonical NaN, and any signaling
   NaN sets NV. feq is a quiet comparison (NV only for a signaling NaN); flt and fle are signaling
   (NV for any NaN). All write 0 when an operand is a NaN. */
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
/* fa2 = inst(fa0, fa1), an instruction without a rounding mode. */
#define TEST_FFN(n, f, inst, res, fl, a, b) TEST_CASE(n); LOAD_##f(fa0, a); LOAD_##f(fa1, b); fsflags zero; inst fa2, fa0, fa1; CHECK_FLAGS(fl); CHECK_##f(fa2, res)
/* a0 = inst(fa0, fa1): comparisons. */
#define TEST_XFF(n, f, inst, res, fl, a, b) TEST_CASE(n); LOAD_##f(fa0, a); LOAD_##f(fa1, b); fsflags zero; inst a0, fa0, fa1; CHECK_FLAGS(fl); li t6, res; bne a0, t6, fail

TEST_BEGIN

/* fmin / fmax */
        // min(1, 2) = 1
        TEST_FFN(1, S, fmin.s, 0x3f800000, 0, 0x3f800000, 0x40000000)
        // max(1, 2) = 2
        TEST_FFN(2, S, fmax.s, 0x40000000, 0, 0x3f800000, 0x40000000)
        // min(2, -1) = -1
        TEST_FFN(3, S, fmin.s, 0xbf800000, 0, 0x40000000, 0xbf800000)
        // max(-3, -1) = -1
        TEST_FFN(4, S, fmax.s, 0xbf800000, 0, 0xc0400000, 0xbf800000)
        // min(-inf, -max) = -inf
        TEST_FFN(5, S, fmin.s, 0xff800000, 0, 0xff800000, 0xff7fffff)
        // max(inf, max) = inf
        TEST_FFN(6, S, fmax.s, 0x7f800000, 0, 0x7f800000, 0x7f7fffff)
        // min(minsub, -minsub) = -minsub
        TEST_FFN(7, S, fmin.s, 0x80000001, 0, 0x00000001, 0x80000001)
        // max(minsub, +0) = minsub
        TEST_FFN(8, S, fmax.s, 0x00000001, 0, 0x00000001, 0x00000000)
        // min(-0, +0) = -0
        TEST_FFN(9, S, fmin.s, 0x80000000, 0, 0x80000000, 0x00000000)
        // min(+0, -0) = -0
        TEST_FFN(10, S, fmin.s, 0x80000000, 0, 0x00000000, 0x80000000)
        // max(-0, +0) = +0
        TEST_FFN(11, S, fmax.s, 0x00000000, 0, 0x80000000, 0x00000000)
        // max(+0, -0) = +0
        TEST_FFN(12, S, fmax.s, 0x00000000, 0, 0x00000000, 0x80000000)
        // min(qNaN, 1) = 1, no flag
        TEST_FFN(13, S, fmin.s, 0x3f800000, 0, 0x7fc12345, 0x3f800000)
        // min(-1, -qNaN) = -1
        TEST_FFN(14, S, fmin.s, 0xbf800000, 0, 0xbf800000, 0xffc05432)
        // max(qNaN, -inf) = -inf
        TEST_FFN(15, S, fmax.s, 0xff800000, 0, 0x7fc00000, 0xff800000)
        // max(-0, qNaN) = -0
        TEST_FFN(16, S, fmax.s, 0x80000000, 0, 0x80000000, 0x7fc00000)
        // min(sNaN, 1) = 1, NV
        TEST_FFN(17, S, fmin.s, 0x3f800000, NV, 0x7f800001, 0x3f800000)
        // max(1, -sNaN) = 1, NV
        TEST_FFN(18, S, fmax.s, 0x3f800000, NV, 0x3f800000, 0xff805432)
        // min(qNaN, qNaN): canonical NaN, no flag
        TEST_FFN(19, S, fmin.s, 0x7fc00000, 0, 0x7fc12345, 0xffc05432)
        // max(-qNaN, qNaN): canonical NaN
        TEST_FFN(20, S, fmax.s, 0x7fc00000, 0, 0xffc05432, 0x7fc00000)
        // min(sNaN, qNaN): canonical NaN, NV
        TEST_FFN(21, S, fmin.s, 0x7fc00000, NV, 0x7f800001, 0x7fc12345)
        // max(sNaN, sNaN): canonical NaN, NV
        TEST_FFN(22, S, fmax.s, 0x7fc00000, NV, 0x7f800001, 0x7f800001)
        // min(1, 1) = 1
        TEST_FFN(23, S, fmin.s, 0x3f800000, 0, 0x3f800000, 0x3f800000)

/* feq (quiet) */
        // 1 == 1
        TEST_XFF(24, S, feq.s, 1, 0, 0x3f800000, 0x3f800000)
        // 1 == 2 is false
        TEST_XFF(25, S, feq.s, 0, 0, 0x3f800000, 0x40000000)
        // -0 == +0
        TEST_XFF(26, S, feq.s, 1, 0, 0x80000000, 0x00000000)
        // inf == inf
        TEST_XFF(27, S, feq.s, 1, 0, 0x7f800000, 0x7f800000)
        // minsub == minsub
        TEST_XFF(28, S, feq.s, 1, 0, 0x00000001, 0x00000001)
        // minsub != 0 (no flush to zero)
        TEST_XFF(29, S, feq.s, 0, 0, 0x00000001, 0x00000000)
        // qNaN == 1: false, no flag
        TEST_XFF(30, S, feq.s, 0, 0, 0x7fc00000, 0x3f800000)
        // qNaN == the same qNaN: false, no flag
        TEST_XFF(31, S, feq.s, 0, 0, 0x7fc12345, 0x7fc12345)
        // sNaN == 1: false, NV
        TEST_XFF(32, S, feq.s, 0, NV, 0x7f800001, 0x3f800000)
        // 1 == -sNaN: false, NV
        TEST_XFF(33, S, feq.s, 0, NV, 0x3f800000, 0xff805432)

/* flt (signaling) */
        // 1 < 2
        TEST_XFF(34, S, flt.s, 1, 0, 0x3f800000, 0x40000000)
        // 2 < 1 is false
        TEST_XFF(35, S, flt.s, 0, 0, 0x40000000, 0x3f800000)
        // 1 < 1 is false
        TEST_XFF(36, S, flt.s, 0, 0, 0x3f800000, 0x3f800000)
        // -0 < +0 is false
        TEST_XFF(37, S, flt.s, 0, 0, 0x80000000, 0x00000000)
        // -1 < -0.5
        TEST_XFF(38, S, flt.s, 1, 0, 0xbf800000, 0xbf000000)
        // -inf < -max
        TEST_XFF(39, S, flt.s, 1, 0, 0xff800000, 0xff7fffff)
        // inf < inf is false
        TEST_XFF(40, S, flt.s, 0, 0, 0x7f800000, 0x7f800000)
        // minsub < 2 minsub
        TEST_XFF(41, S, flt.s, 1, 0, 0x00000001, 0x00000002)
        // qNaN < 1: false, NV
        TEST_XFF(42, S, flt.s, 0, NV, 0x7fc00000, 0x3f800000)
        // 1 < -qNaN: false, NV
        TEST_XFF(43, S, flt.s, 0, NV, 0x3f800000, 0xffc05432)
        // sNaN < 1: false, NV
        TEST_XFF(44, S, flt.s, 0, NV, 0x7f800001, 0x3f800000)

/* fle (signaling) */
        // 2 <= 2
        TEST_XFF(45, S, fle.s, 1, 0, 0x40000000, 0x40000000)
        // -1 <= -2 is false
        TEST_XFF(46, S, fle.s, 0, 0, 0xbf800000, 0xc0000000)
        // +0 <= -0
        TEST_XFF(47, S, fle.s, 1, 0, 0x00000000, 0x80000000)
        // inf <= inf
        TEST_XFF(48, S, fle.s, 1, 0, 0x7f800000, 0x7f800000)
        // -minsub <= -0
        TEST_XFF(49, S, fle.s, 1, 0, 0x80000001, 0x80000000)
        // qNaN <= qNaN: false, NV
        TEST_XFF(50, S, fle.s, 0, NV, 0x7fc00000, 0x7fc00000)
        // 1 <= sNaN: false, NV
        TEST_XFF(51, S, fle.s, 0, NV, 0x3f800000, 0x7f800001)
        // -inf <= qNaN: false, NV
        TEST_XFF(52, S, fle.s, 0, NV, 0xff800000, 0x7fc12345)

        fsrmi 0
        j pass
TEST_END
