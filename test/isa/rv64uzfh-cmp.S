/* Half-precision compares, min/max, sign injection and classification (Zfh), defined like their
   single-precision counterparts (F chapter, "Single-Precision Floating-Point Compare
   Instructions", "...Classify Instruction", "...Computational Instructions" for FMIN/FMAX and
   "Conversion and Move Instructions" for FSGNJ). Expected values from those definitions.
   The last cases give operands that are not NaN-boxed: they read as the canonical (quiet) NaN.
   isa-tests-march: rv64gc_zfh */
#include "test.h"

#define NV 0x10
#define NX 0x01
#define CHECK_FLAGS(f) csrrw t0, fflags, zero; li t6, f; bne t0, t6, fail
#define LOAD_H(fr, v) li t0, v; fmv.h.x fr, t0
#define CHECK_H(fr, v) fmv.x.d a0, fr; li t6, 0xffffffffffff0000 | (v); bne a0, t6, fail
/* a0 = inst(fa0, fa1) */
#define TEST_XFF(n, inst, res, fl, a, b) TEST_CASE(n); LOAD_H(fa0, a); LOAD_H(fa1, b); fsflags zero; inst a0, fa0, fa1; CHECK_FLAGS(fl); li t6, res; bne a0, t6, fail
/* fa2 = inst(fa0, fa1) */
#define TEST_FFF(n, inst, res, fl, a, b) TEST_CASE(n); LOAD_H(fa0, a); LOAD_H(fa1, b); fsflags zero; inst fa2, fa0, fa1; CHECK_FLAGS(fl); CHECK_H(fa2, res)
/* a0 = inst(fa0) */
#define TEST_XF1(n, inst, res, a) TEST_CASE(n); LOAD_H(fa0, a); fsflags zero; inst a0, fa0; CHECK_FLAGS(0); li t6, res; bne a0, t6, fail
#define LOAD_RAW(fr, v) li t0, v; fmv.d.x fr, t0

TEST_BEGIN
/* FEQ.H is quiet (NV only for a signaling NaN); FLT.H and FLE.H signal on any NaN. -0 == +0. */
        TEST_XFF(1, feq.h, 1, 0, 0x3c00, 0x3c00)
        TEST_XFF(2, flt.h, 0, 0, 0x3c00, 0x3c00)
        TEST_XFF(3, fle.h, 1, 0, 0x3c00, 0x3c00)
        TEST_XFF(4, feq.h, 0, 0, 0x3c00, 0x3c01)
        TEST_XFF(5, flt.h, 1, 0, 0x3c00, 0x3c01)
        TEST_XFF(6, fle.h, 1, 0, 0x3c00, 0x3c01)
        TEST_XFF(7, feq.h, 0, 0, 0x3c01, 0x3c00)
        TEST_XFF(8, flt.h, 0, 0, 0x3c01, 0x3c00)
        TEST_XFF(9, fle.h, 0, 0, 0x3c01, 0x3c00)
        TEST_XFF(10, feq.h, 1, 0, 0x8000, 0x0)
        TEST_XFF(11, flt.h, 0, 0, 0x8000, 0x0)
        TEST_XFF(12, fle.h, 1, 0, 0x8000, 0x0)
        TEST_XFF(13, feq.h, 0, 0, 0xfc00, 0x7bff)
        TEST_XFF(14, flt.h, 1, 0, 0xfc00, 0x7bff)
        TEST_XFF(15, fle.h, 1, 0, 0xfc00, 0x7bff)
        TEST_XFF(16, feq.h, 0, 0, 0x1, 0x8001)
        TEST_XFF(17, flt.h, 0, 0, 0x1, 0x8001)
        TEST_XFF(18, fle.h, 0, 0, 0x1, 0x8001)
        TEST_XFF(19, feq.h, 0, 0, 0x7e00, 0x3c00)
        TEST_XFF(20, flt.h, 0, NV, 0x7e00, 0x3c00)
        TEST_XFF(21, fle.h, 0, NV, 0x7e00, 0x3c00)
        TEST_XFF(22, feq.h, 0, NV, 0x3c00, 0x7c01)
        TEST_XFF(23, flt.h, 0, NV, 0x3c00, 0x7c01)
        TEST_XFF(24, fle.h, 0, NV, 0x3c00, 0x7c01)
        TEST_XFF(25, feq.h, 0, 0, 0x7e00, 0x7e00)
        TEST_XFF(26, flt.h, 0, NV, 0x7e00, 0x7e00)
        TEST_XFF(27, fle.h, 0, NV, 0x7e00, 0x7e00)
/* FMIN.H/FMAX.H (minimumNumber/maximumNumber): a NaN operand gives the other one, two NaNs the canonical NaN, -0 < +0, NV for a signaling NaN */
        TEST_FFF(28, fmin.h, 0x3c00, 0, 0x3c00, 0x4000)
        TEST_FFF(29, fmax.h, 0x4000, 0, 0x3c00, 0x4000)
        TEST_FFF(30, fmin.h, 0xc000, 0, 0xc000, 0x3c00)
        TEST_FFF(31, fmax.h, 0x3c00, 0, 0xc000, 0x3c00)
        TEST_FFF(32, fmin.h, 0x8000, 0, 0x8000, 0x0)
        TEST_FFF(33, fmax.h, 0x0, 0, 0x8000, 0x0)
        TEST_FFF(34, fmin.h, 0x8000, 0, 0x0, 0x8000)
        TEST_FFF(35, fmax.h, 0x0, 0, 0x0, 0x8000)
        TEST_FFF(36, fmin.h, 0x3c00, 0, 0x7e00, 0x3c00)
        TEST_FFF(37, fmax.h, 0x3c00, 0, 0x7e00, 0x3c00)
        TEST_FFF(38, fmin.h, 0xbc00, NV, 0xbc00, 0x7c01)
        TEST_FFF(39, fmax.h, 0xbc00, NV, 0xbc00, 0x7c01)
        TEST_FFF(40, fmin.h, 0x7e00, NV, 0x7e00, 0x7d00)
        TEST_FFF(41, fmax.h, 0x7e00, NV, 0x7e00, 0x7d00)
        TEST_FFF(42, fmin.h, 0xfc00, 0, 0xfc00, 0x7c00)
        TEST_FFF(43, fmax.h, 0x7c00, 0, 0xfc00, 0x7c00)
        TEST_FFF(44, fmin.h, 0x8001, 0, 0x1, 0x8001)
        TEST_FFF(45, fmax.h, 0x1, 0, 0x1, 0x8001)
/* FSGNJ.H, FSGNJN.H, FSGNJX.H: the sign of rs2, its opposite, the XOR of both; never a flag, NaN payloads kept */
        TEST_FFF(46, fsgnj.h, 0xbc00, 0, 0x3c00, 0x8000)
        TEST_FFF(47, fsgnjn.h, 0x3c00, 0, 0x3c00, 0x8000)
        TEST_FFF(48, fsgnjx.h, 0xbc00, 0, 0x3c00, 0x8000)
        TEST_FFF(49, fsgnj.h, 0xbc00, 0, 0xbc00, 0x8000)
        TEST_FFF(50, fsgnjn.h, 0x3c00, 0, 0xbc00, 0x8000)
        TEST_FFF(51, fsgnjx.h, 0x3c00, 0, 0xbc00, 0x8000)
        TEST_FFF(52, fsgnj.h, 0x3c00, 0, 0xbc00, 0x0)
        TEST_FFF(53, fsgnjn.h, 0xbc00, 0, 0xbc00, 0x0)
        TEST_FFF(54, fsgnjx.h, 0xbc00, 0, 0xbc00, 0x0)
        TEST_FFF(55, fsgnj.h, 0xfc01, 0, 0x7c01, 0xfc00)
        TEST_FFF(56, fsgnjn.h, 0x7c01, 0, 0x7c01, 0xfc00)
        TEST_FFF(57, fsgnjx.h, 0xfc01, 0, 0x7c01, 0xfc00)
        TEST_FFF(58, fsgnj.h, 0x7e00, 0, 0xfe00, 0x3c00)
        TEST_FFF(59, fsgnjn.h, 0xfe00, 0, 0xfe00, 0x3c00)
        TEST_FFF(60, fsgnjx.h, 0xfe00, 0, 0xfe00, 0x3c00)
/* FCLASS.H: one bit for each class (-inf, -normal, -subnormal, -0, +0, +subnormal, +normal, +inf, sNaN, qNaN) */
        TEST_XF1(61, fclass.h, 0x1, 0xfc00)
        TEST_XF1(62, fclass.h, 0x2, 0xbc00)
        TEST_XF1(63, fclass.h, 0x4, 0x83ff)
        TEST_XF1(64, fclass.h, 0x8, 0x8000)
        TEST_XF1(65, fclass.h, 0x10, 0x0)
        TEST_XF1(66, fclass.h, 0x20, 0x1)
        TEST_XF1(67, fclass.h, 0x40, 0x7bff)
        TEST_XF1(68, fclass.h, 0x80, 0x7c00)
        TEST_XF1(69, fclass.h, 0x100, 0x7c01)
        TEST_XF1(70, fclass.h, 0x200, 0x7e00)
        TEST_XF1(71, fclass.h, 0x100, 0x7dff)
        TEST_XF1(72, fclass.h, 0x200, 0xffff)
        TEST_XF1(73, fclass.h, 0x40, 0x400)
        TEST_XF1(74, fclass.h, 0x2, 0x8400)
/* Not NaN-boxed (upper bits not all ones): the canonical quiet NaN, so FEQ gives 0 without NV,
   FCLASS says quiet NaN, FMIN gives the other operand, FSGNJ builds on 0x7e00. */
        TEST_CASE(75)
        LOAD_RAW(fa0, 0x0000000000003c00)
        LOAD_H(fa1, 0x3c00)
        fsflags zero
        feq.h a0, fa0, fa1
        CHECK_FLAGS(0)
        CHECK_EQ(a0, 0)
        TEST_CASE(76)
        fclass.h a0, fa0
        CHECK_EQ(a0, 0x200)
        TEST_CASE(77)
        LOAD_RAW(fa0, 0xffffffff7fff7c01)           /* a signaling NaN pattern, but unboxed */
        fmin.h fa2, fa0, fa1
        CHECK_FLAGS(0)
        CHECK_H(fa2, 0x3c00)
        TEST_CASE(78)
        fsgnjn.h fa2, fa0, fa1
        CHECK_H(fa2, 0xfe00)
        TEST_CASE(79)
        flt.h a0, fa1, fa0
        CHECK_FLAGS(NV)
        CHECK_EQ(a0, 0)
        j pass
TEST_END
