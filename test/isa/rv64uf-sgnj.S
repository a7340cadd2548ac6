/* Single-precision sign injection and classification (F extension): fsgnj/fsgnjn/fsgnjx.s, fclass.s.
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
/* A single operand is moved in with fmv.w.x, which NaN-boxes it. */
#define LOAD_S(fr, v) li t0, v; fmv.w.x fr, t0
/* A single result is checked on all 64 bits of the f register: it must be NaN-boxed. */
#define CHECK_S(fr, v) fmv.x.d a0, fr; li t6, 0xffffffff00000000 | (v); bne a0, t6, fail
/* fa2 = inst(fa0, fa1), an instruction without a rounding mode. */
#define TEST_FFN(n, f, inst, res, fl, a, b) TEST_CASE(n); LOAD_##f(fa0, a); LOAD_##f(fa1, b); fsflags zero; inst fa2, fa0, fa1; CHECK_FLAGS(fl); CHECK_##f(fa2, res)
/* a0 = inst(fa0), no rounding mode (fclass, fmv.x). */
#define TEST_XFN(n, f, inst, res, fl, a) TEST_CASE(n); LOAD_##f(fa0, a); fsflags zero; inst a0, fa0; CHECK_FLAGS(fl); li t6, res; bne a0, t6, fail

TEST_BEGIN

/* fsgnj / fsgnjn / fsgnjx */
        // fsgnj(1.5, -2)
        TEST_FFN(1, S, fsgnj.s, 0xbfc00000, 0, 0x3fc00000, 0xc0000000)
        // fsgnj(-1.5, 2)
        TEST_FFN(2, S, fsgnj.s, 0x3fc00000, 0, 0xbfc00000, 0x40000000)
        // fsgnj(-1.5, -2)
        TEST_FFN(3, S, fsgnj.s, 0xbfc00000, 0, 0xbfc00000, 0xc0000000)
        // fsgnj(sNaN, -0): payload kept, no NV
        TEST_FFN(4, S, fsgnj.s, 0xff800001, 0, 0x7f800001, 0x80000000)
        // fsgnj(-qNaN(payload), qNaN)
        TEST_FFN(5, S, fsgnj.s, 0x7fc05432, 0, 0xffc05432, 0x7fc00000)
        // fsgnj(-sNaN(payload), -inf): no NV
        TEST_FFN(6, S, fsgnj.s, 0xff805432, 0, 0xff805432, 0xff800000)
        // fsgnjn(1.5, -2)
        TEST_FFN(7, S, fsgnjn.s, 0x3fc00000, 0, 0x3fc00000, 0xc0000000)
        // fsgnjn(-1.5, 2)
        TEST_FFN(8, S, fsgnjn.s, 0xbfc00000, 0, 0xbfc00000, 0x40000000)
        // fsgnjn(-1.5, -2)
        TEST_FFN(9, S, fsgnjn.s, 0x3fc00000, 0, 0xbfc00000, 0xc0000000)
        // fsgnjn(sNaN, -0): payload kept, no NV
        TEST_FFN(10, S, fsgnjn.s, 0x7f800001, 0, 0x7f800001, 0x80000000)
        // fsgnjn(-qNaN(payload), qNaN)
        TEST_FFN(11, S, fsgnjn.s, 0xffc05432, 0, 0xffc05432, 0x7fc00000)
        // fsgnjn(-sNaN(payload), -inf): no NV
        TEST_FFN(12, S, fsgnjn.s, 0x7f805432, 0, 0xff805432, 0xff800000)
        // fsgnjx(1.5, -2)
        TEST_FFN(13, S, fsgnjx.s, 0xbfc00000, 0, 0x3fc00000, 0xc0000000)
        // fsgnjx(-1.5, 2)
        TEST_FFN(14, S, fsgnjx.s, 0xbfc00000, 0, 0xbfc00000, 0x40000000)
        // fsgnjx(-1.5, -2)
        TEST_FFN(15, S, fsgnjx.s, 0x3fc00000, 0, 0xbfc00000, 0xc0000000)
        // fsgnjx(sNaN, -0): payload kept, no NV
        TEST_FFN(16, S, fsgnjx.s, 0xff800001, 0, 0x7f800001, 0x80000000)
        // fsgnjx(-qNaN(payload), qNaN)
        TEST_FFN(17, S, fsgnjx.s, 0xffc05432, 0, 0xffc05432, 0x7fc00000)
        // fsgnjx(-sNaN(payload), -inf): no NV
        TEST_FFN(18, S, fsgnjx.s, 0x7f805432, 0, 0xff805432, 0xff800000)
        // fsgnj(inf, -0) = -inf
        TEST_FFN(19, S, fsgnj.s, 0xff800000, 0, 0x7f800000, 0x80000000)
        // fneg(-0) = +0
        TEST_FFN(20, S, fsgnjn.s, 0x00000000, 0, 0x80000000, 0x80000000)
        // fneg(canonical NaN) = negative NaN, no canonicalisation
        TEST_FFN(21, S, fsgnjn.s, 0xffc00000, 0, 0x7fc00000, 0x7fc00000)
        // fabs(-minsub) = minsub
        TEST_FFN(22, S, fsgnjx.s, 0x00000001, 0, 0x80000001, 0x80000001)
        // fabs(-sNaN) = sNaN with the same payload, no NV
        TEST_FFN(23, S, fsgnjx.s, 0x7f805432, 0, 0xff805432, 0xff805432)
        // fmv(sNaN) keeps it bit-exactly
        TEST_FFN(24, S, fsgnj.s, 0x7f800001, 0, 0x7f800001, 0x7f800001)

/* fclass: each of the ten classes */
        // -inf: bit 0
        TEST_XFN(25, S, fclass.s, 0x1, 0, 0xff800000)
        // -max: bit 1
        TEST_XFN(26, S, fclass.s, 0x2, 0, 0xff7fffff)
        // -1: bit 1
        TEST_XFN(27, S, fclass.s, 0x2, 0, 0xbf800000)
        // -minnorm: bit 1
        TEST_XFN(28, S, fclass.s, 0x2, 0, 0x80800000)
        // -maxsub: bit 2
        TEST_XFN(29, S, fclass.s, 0x4, 0, 0x807fffff)
        // -minsub: bit 2
        TEST_XFN(30, S, fclass.s, 0x4, 0, 0x80000001)
        // -0: bit 3
        TEST_XFN(31, S, fclass.s, 0x8, 0, 0x80000000)
        // +0: bit 4
        TEST_XFN(32, S, fclass.s, 0x10, 0, 0x00000000)
        // minsub: bit 5
        TEST_XFN(33, S, fclass.s, 0x20, 0, 0x00000001)
        // maxsub: bit 5
        TEST_XFN(34, S, fclass.s, 0x20, 0, 0x007fffff)
        // minnorm: bit 6
        TEST_XFN(35, S, fclass.s, 0x40, 0, 0x00800000)
        // 1: bit 6
        TEST_XFN(36, S, fclass.s, 0x40, 0, 0x3f800000)
        // max: bit 6
        TEST_XFN(37, S, fclass.s, 0x40, 0, 0x7f7fffff)
        // +inf: bit 7
        TEST_XFN(38, S, fclass.s, 0x80, 0, 0x7f800000)
        // sNaN (payload 1): bit 8
        TEST_XFN(39, S, fclass.s, 0x100, 0, 0x7f800001)
        // negative sNaN: bit 8
        TEST_XFN(40, S, fclass.s, 0x100, 0, 0xff805432)
        // sNaN with all other payload bits set: bit 8
        TEST_XFN(41, S, fclass.s, 0x100, 0, 0x7fbfffff)
        // canonical qNaN: bit 9
        TEST_XFN(42, S, fclass.s, 0x200, 0, 0x7fc00000)
        // negative qNaN: bit 9
        TEST_XFN(43, S, fclass.s, 0x200, 0, 0xffc05432)
        // qNaN with all payload bits set: bit 9
        TEST_XFN(44, S, fclass.s, 0x200, 0, 0x7fffffff)

        fsrmi 0
        j pass
TEST_END
