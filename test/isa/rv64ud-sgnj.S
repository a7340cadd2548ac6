/* Double-precision sign injection and classification (D extension): fsgnj/fsgnjn/fsgnjx.d, fclass.d.
   fsgnj/fsgnjn/fsgnjx take all bits but the sign from rs1 and never look at the value: no
   flags, and NaN payloads (signaling or quiet) are kept bit-exactly. fclass sets exactly one of ten
   bits: 0 -inf, 1 negative normal, 2 negative subnormal, 3 -0, 4 +0, 5 positive subnormal, 6 positive
   normal, 7 +inf, 8 signaling NaN, 9 quiet NaN. */
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
/* a0 = inst(fa0), no rounding mode (fclass, fmv.x). */
#define TEST_XFN(n, f, inst, res, fl, a) TEST_CASE(n); LOAD_##f(fa0, a); fsflags zero; inst a0, fa0; CHECK_FLAGS(fl); li t6, res; bne a0, t6, fail

TEST_BEGIN

/* fsgnj / fsgnjn / fsgnjx */
        // fsgnj(1.5, -2)
        TEST_FFN(1, D, fsgnj.d, 0xbff8000000000000, 0, 0x3ff8000000000000, 0xc000000000000000)
        // fsgnj(-1.5, 2)
        TEST_FFN(2, D, fsgnj.d, 0x3ff8000000000000, 0, 0xbff8000000000000, 0x4000000000000000)
        // fsgnj(-1.5, -2)
        TEST_FFN(3, D, fsgnj.d, 0xbff8000000000000, 0, 0xbff8000000000000, 0xc000000000000000)
        // fsgnj(sNaN, -0): payload kept, no NV
        TEST_FFN(4, D, fsgnj.d, 0xfff0000000000001, 0, 0x7ff0000000000001, 0x8000000000000000)
        // fsgnj(-qNaN(payload), qNaN)
        TEST_FFN(5, D, fsgnj.d, 0x7ff8000000005432, 0, 0xfff8000000005432, 0x7ff8000000000000)
        // fsgnj(-sNaN(payload), -inf): no NV
        TEST_FFN(6, D, fsgnj.d, 0xfff0000000005432, 0, 0xfff0000000005432, 0xfff0000000000000)
        // fsgnjn(1.5, -2)
        TEST_FFN(7, D, fsgnjn.d, 0x3ff8000000000000, 0, 0x3ff8000000000000, 0xc000000000000000)
        // fsgnjn(-1.5, 2)
        TEST_FFN(8, D, fsgnjn.d, 0xbff8000000000000, 0, 0xbff8000000000000, 0x4000000000000000)
        // fsgnjn(-1.5, -2)
        TEST_FFN(9, D, fsgnjn.d, 0x3ff8000000000000, 0, 0xbff8000000000000, 0xc000000000000000)
        // fsgnjn(sNaN, -0): payload kept, no NV
        TEST_FFN(10, D, fsgnjn.d, 0x7ff0000000000001, 0, 0x7ff0000000000001, 0x8000000000000000)
        // fsgnjn(-qNaN(payload), qNaN)
        TEST_FFN(11, D, fsgnjn.d, 0xfff8000000005432, 0, 0xfff8000000005432, 0x7ff8000000000000)
        // fsgnjn(-sNaN(payload), -inf): no NV
        TEST_FFN(12, D, fsgnjn.d, 0x7ff0000000005432, 0, 0xfff0000000005432, 0xfff0000000000000)
        // fsgnjx(1.5, -2)
        TEST_FFN(13, D, fsgnjx.d, 0xbff8000000000000, 0, 0x3ff8000000000000, 0xc000000000000000)
        // fsgnjx(-1.5, 2)
        TEST_FFN(14, D, fsgnjx.d, 0xbff8000000000000, 0, 0xbff8000000000000, 0x4000000000000000)
        // fsgnjx(-1.5, -2)
        TEST_FFN(15, D, fsgnjx.d, 0x3ff8000000000000, 0, 0xbff8000000000000, 0xc000000000000000)
        // fsgnjx(sNaN, -0): payload kept, no NV
        TEST_FFN(16, D, fsgnjx.d, 0xfff0000000000001, 0, 0x7ff0000000000001, 0x8000000000000000)
        // fsgnjx(-qNaN(payload), qNaN)
        TEST_FFN(17, D, fsgnjx.d, 0xfff8000000005432, 0, 0xfff8000000005432, 0x7ff8000000000000)
        // fsgnjx(-sNaN(payload), -inf): no NV
        TEST_FFN(18, D, fsgnjx.d, 0x7ff0000000005432, 0, 0xfff0000000005432, 0xfff0000000000000)
        // fsgnj(inf, -0) = -inf
        TEST_FFN(19, D, fsgnj.d, 0xfff0000000000000, 0, 0x7ff0000000000000, 0x8000000000000000)
        // fneg(-0) = +0
        TEST_FFN(20, D, fsgnjn.d, 0x0000000000000000, 0, 0x8000000000000000, 0x8000000000000000)
        // fneg(canonical NaN) = negative NaN, no canonicalisation
        TEST_FFN(21, D, fsgnjn.d, 0xfff8000000000000, 0, 0x7ff8000000000000, 0x7ff8000000000000)
        // fabs(-minsub) = minsub
        TEST_FFN(22, D, fsgnjx.d, 0x0000000000000001, 0, 0x8000000000000001, 0x8000000000000001)
        // fabs(-sNaN) = sNaN with the same payload, no NV
        TEST_FFN(23, D, fsgnjx.d, 0x7ff0000000005432, 0, 0xfff0000000005432, 0xfff0000000005432)
        // fmv(sNaN) keeps it bit-exactly
        TEST_FFN(24, D, fsgnj.d, 0x7ff0000000000001, 0, 0x7ff0000000000001, 0x7ff0000000000001)

/* fclass: each of the ten classes */
        // -inf: bit 0
        TEST_XFN(25, D, fclass.d, 0x1, 0, 0xfff0000000000000)
        // -max: bit 1
        TEST_XFN(26, D, fclass.d, 0x2, 0, 0xffefffffffffffff)
        // -1: bit 1
        TEST_XFN(27, D, fclass.d, 0x2, 0, 0xbff0000000000000)
        // -minnorm: bit 1
        TEST_XFN(28, D, fclass.d, 0x2, 0, 0x8010000000000000)
        // -maxsub: bit 2
        TEST_XFN(29, D, fclass.d, 0x4, 0, 0x800fffffffffffff)
        // -minsub: bit 2
        TEST_XFN(30, D, fclass.d, 0x4, 0, 0x8000000000000001)
        // -0: bit 3
        TEST_XFN(31, D, fclass.d, 0x8, 0, 0x8000000000000000)
        // +0: bit 4
        TEST_XFN(32, D, fclass.d, 0x10, 0, 0x0000000000000000)
        // minsub: bit 5
        TEST_XFN(33, D, fclass.d, 0x20, 0, 0x0000000000000001)
        // maxsub: bit 5
        TEST_XFN(34, D, fclass.d, 0x20, 0, 0x000fffffffffffff)
        // minnorm: bit 6
        TEST_XFN(35, D, fclass.d, 0x40, 0, 0x0010000000000000)
        // 1: bit 6
        TEST_XFN(36, D, fclass.d, 0x40, 0, 0x3ff0000000000000)
        // max: bit 6
        TEST_XFN(37, D, fclass.d, 0x40, 0, 0x7fefffffffffffff)
        // +inf: bit 7
        TEST_XFN(38, D, fclass.d, 0x80, 0, 0x7ff0000000000000)
        // sNaN (payload 1): bit 8
        TEST_XFN(39, D, fclass.d, 0x100, 0, 0x7ff0000000000001)
        // negative sNaN: bit 8
        TEST_XFN(40, D, fclass.d, 0x100, 0, 0xfff0000000005432)
        // sNaN with all other payload bits set: bit 8
        TEST_XFN(41, D, fclass.d, 0x100, 0, 0x7ff7ffffffffffff)
        // canonical qNaN: bit 9
        TEST_XFN(42, D, fclass.d, 0x200, 0, 0x7ff8000000000000)
        // negative qNaN: bit 9
        TEST_XFN(43, D, fclass.d, 0x200, 0, 0xfff8000000005432)
        // qNaN with all payload bits set: bit 9
        TEST_XFN(44, D, fclass.d, 0x200, 0, 0x7fffffffffffffff)

        fsrmi 0
        j pass
TEST_END
