/* Double-precision min/max and comparisons (D extension): fmin/fmax/feq/flt/fle.d.
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
#define LOAD_D(fr, v) li t0, v; fmv.d.x fr, t0
#define CHECK_D(fr, v) fmv.x.d a0, fr; li t6, v; bne a0, t6, fail
/* fa2 = inst(fa0, fa1), an instruction without a rounding mode. */
#define TEST_FFN(n, f, inst, res, fl, a, b) TEST_CASE(n); LOAD_##f(fa0, a); LOAD_##f(fa1, b); fsflags zero; inst fa2, fa0, fa1; CHECK_FLAGS(fl); CHECK_##f(fa2, res)
/* a0 = inst(fa0, fa1): comparisons. */
#define TEST_XFF(n, f, inst, res, fl, a, b) TEST_CASE(n); LOAD_##f(fa0, a); LOAD_##f(fa1, b); fsflags zero; inst a0, fa0, fa1; CHECK_FLAGS(fl); li t6, res; bne a0, t6, fail

TEST_BEGIN

/* fmin / fmax */
        // min(1, 2) = 1
        TEST_FFN(1, D, fmin.d, 0x3ff0000000000000, 0, 0x3ff0000000000000, 0x4000000000000000)
        // max(1, 2) = 2
        TEST_FFN(2, D, fmax.d, 0x4000000000000000, 0, 0x3ff0000000000000, 0x4000000000000000)
        // min(2, -1) = -1
        TEST_FFN(3, D, fmin.d, 0xbff0000000000000, 0, 0x4000000000000000, 0xbff0000000000000)
        // max(-3, -1) = -1
        TEST_FFN(4, D, fmax.d, 0xbff0000000000000, 0, 0xc008000000000000, 0xbff0000000000000)
        // min(-inf, -max) = -inf
        TEST_FFN(5, D, fmin.d, 0xfff0000000000000, 0, 0xfff0000000000000, 0xffefffffffffffff)
        // max(inf, max) = inf
        TEST_FFN(6, D, fmax.d, 0x7ff0000000000000, 0, 0x7ff0000000000000, 0x7fefffffffffffff)
        // min(minsub, -minsub) = -minsub
        TEST_FFN(7, D, fmin.d, 0x8000000000000001, 0, 0x0000000000000001, 0x8000000000000001)
        // max(minsub, +0) = minsub
        TEST_FFN(8, D, fmax.d, 0x0000000000000001, 0, 0x0000000000000001, 0x0000000000000000)
        // min(-0, +0) = -0
        TEST_FFN(9, D, fmin.d, 0x8000000000000000, 0, 0x8000000000000000, 0x0000000000000000)
        // min(+0, -0) = -0
        TEST_FFN(10, D, fmin.d, 0x8000000000000000, 0, 0x0000000000000000, 0x8000000000000000)
        // max(-0, +0) = +0
        TEST_FFN(11, D, fmax.d, 0x0000000000000000, 0, 0x8000000000000000, 0x0000000000000000)
        // max(+0, -0) = +0
        TEST_FFN(12, D, fmax.d, 0x0000000000000000, 0, 0x0000000000000000, 0x8000000000000000)
        // min(qNaN, 1) = 1, no flag
        TEST_FFN(13, D, fmin.d, 0x3ff0000000000000, 0, 0x7ff8000000012345, 0x3ff0000000000000)
        // min(-1, -qNaN) = -1
        TEST_FFN(14, D, fmin.d, 0xbff0000000000000, 0, 0xbff0000000000000, 0xfff8000000005432)
        // max(qNaN, -inf) = -inf
        TEST_FFN(15, D, fmax.d, 0xfff0000000000000, 0, 0x7ff8000000000000, 0xfff0000000000000)
        // max(-0, qNaN) = -0
        TEST_FFN(16, D, fmax.d, 0x8000000000000000, 0, 0x8000000000000000, 0x7ff8000000000000)
        // min(sNaN, 1) = 1, NV
        TEST_FFN(17, D, fmin.d, 0x3ff0000000000000, NV, 0x7ff0000000000001, 0x3ff0000000000000)
        // max(1, -sNaN) = 1, NV
        TEST_FFN(18, D, fmax.d, 0x3ff0000000000000, NV, 0x3ff0000000000000, 0xfff0000000005432)
        // min(qNaN, qNaN): canonical NaN, no flag
        TEST_FFN(19, D, fmin.d, 0x7ff8000000000000, 0, 0x7ff8000000012345, 0xfff8000000005432)
        // max(-qNaN, qNaN): canonical NaN
        TEST_FFN(20, D, fmax.d, 0x7ff8000000000000, 0, 0xfff8000000005432, 0x7ff8000000000000)
        // min(sNaN, qNaN): canonical NaN, NV
        TEST_FFN(21, D, fmin.d, 0x7ff8000000000000, NV, 0x7ff0000000000001, 0x7ff8000000012345)
        // max(sNaN, sNaN): canonical NaN, NV
        TEST_FFN(22, D, fmax.d, 0x7ff8000000000000, NV, 0x7ff0000000000001, 0x7ff0000000000001)
        // min(1, 1) = 1
        TEST_FFN(23, D, fmin.d, 0x3ff0000000000000, 0, 0x3ff0000000000000, 0x3ff0000000000000)

/* feq (quiet) */
        // 1 == 1
        TEST_XFF(24, D, feq.d, 1, 0, 0x3ff0000000000000, 0x3ff0000000000000)
        // 1 == 2 is false
        TEST_XFF(25, D, feq.d, 0, 0, 0x3ff0000000000000, 0x4000000000000000)
        // -0 == +0
        TEST_XFF(26, D, feq.d, 1, 0, 0x8000000000000000, 0x0000000000000000)
        // inf == inf
        TEST_XFF(27, D, feq.d, 1, 0, 0x7ff0000000000000, 0x7ff0000000000000)
        // minsub == minsub
        TEST_XFF(28, D, feq.d, 1, 0, 0x0000000000000001, 0x0000000000000001)
        // minsub != 0 (no flush to zero)
        TEST_XFF(29, D, feq.d, 0, 0, 0x0000000000000001, 0x0000000000000000)
        // qNaN == 1: false, no flag
        TEST_XFF(30, D, feq.d, 0, 0, 0x7ff8000000000000, 0x3ff0000000000000)
        // qNaN == the same qNaN: false, no flag
        TEST_XFF(31, D, feq.d, 0, 0, 0x7ff8000000012345, 0x7ff8000000012345)
        // sNaN == 1: false, NV
        TEST_XFF(32, D, feq.d, 0, NV, 0x7ff0000000000001, 0x3ff0000000000000)
        // 1 == -sNaN: false, NV
        TEST_XFF(33, D, feq.d, 0, NV, 0x3ff0000000000000, 0xfff0000000005432)

/* flt (signaling) */
        // 1 < 2
        TEST_XFF(34, D, flt.d, 1, 0, 0x3ff0000000000000, 0x4000000000000000)
        // 2 < 1 is false
        TEST_XFF(35, D, flt.d, 0, 0, 0x4000000000000000, 0x3ff0000000000000)
        // 1 < 1 is false
        TEST_XFF(36, D, flt.d, 0, 0, 0x3ff0000000000000, 0x3ff0000000000000)
        // -0 < +0 is false
        TEST_XFF(37, D, flt.d, 0, 0, 0x8000000000000000, 0x0000000000000000)
        // -1 < -0.5
        TEST_XFF(38, D, flt.d, 1, 0, 0xbff0000000000000, 0xbfe0000000000000)
        // -inf < -max
        TEST_XFF(39, D, flt.d, 1, 0, 0xfff0000000000000, 0xffefffffffffffff)
        // inf < inf is false
        TEST_XFF(40, D, flt.d, 0, 0, 0x7ff0000000000000, 0x7ff0000000000000)
        // minsub < 2 minsub
        TEST_XFF(41, D, flt.d, 1, 0, 0x0000000000000001, 0x0000000000000002)
        // qNaN < 1: false, NV
        TEST_XFF(42, D, flt.d, 0, NV, 0x7ff8000000000000, 0x3ff0000000000000)
        // 1 < -qNaN: false, NV
        TEST_XFF(43, D, flt.d, 0, NV, 0x3ff0000000000000, 0xfff8000000005432)
        // sNaN < 1: false, NV
        TEST_XFF(44, D, flt.d, 0, NV, 0x7ff0000000000001, 0x3ff0000000000000)

/* fle (signaling) */
        // 2 <= 2
        TEST_XFF(45, D, fle.d, 1, 0, 0x4000000000000000, 0x4000000000000000)
        // -1 <= -2 is false
        TEST_XFF(46, D, fle.d, 0, 0, 0xbff0000000000000, 0xc000000000000000)
        // +0 <= -0
        TEST_XFF(47, D, fle.d, 1, 0, 0x0000000000000000, 0x8000000000000000)
        // inf <= inf
        TEST_XFF(48, D, fle.d, 1, 0, 0x7ff0000000000000, 0x7ff0000000000000)
        // -minsub <= -0
        TEST_XFF(49, D, fle.d, 1, 0, 0x8000000000000001, 0x8000000000000000)
        // qNaN <= qNaN: false, NV
        TEST_XFF(50, D, fle.d, 0, NV, 0x7ff8000000000000, 0x7ff8000000000000)
        // 1 <= sNaN: false, NV
        TEST_XFF(51, D, fle.d, 0, NV, 0x3ff0000000000000, 0x7ff0000000000001)
        // -inf <= qNaN: false, NV
        TEST_XFF(52, D, fle.d, 0, NV, 0xfff0000000000000, 0x7ff8000000012345)

        fsrmi 0
        j pass
TEST_END
