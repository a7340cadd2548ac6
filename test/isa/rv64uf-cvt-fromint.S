/* Conversions from integers to single precision (F extension): fcvt.s.w/wu/l/lu.
   Expected values were derived with exact rational arithmetic (python3 fractions) rounded by hand
   following IEEE 754-2019 section 4.3 and the RISC-V F/D chapters (tininess after rounding, canonical
   NaN results, NV for invalid operations); each comment says why a case gives its result.
   u is the ulp of 1.0 (2^-23 in single, 2^-52 in double); minsub/maxsub/minnorm/max are the
   smallest/largest subnormal, the smallest normal and the largest finite value of the format.
   fcvt.s.w/wu read the low 32 bits of rs1 only; fcvt.s.l/lu the whole register. Integers that do not
   fit the significand are rounded in the given mode with NX; 0 converts to +0. */
#include "test.h"

/* fflags bits */
#define NV 0x10
#define DZ 0x08
#define OF 0x04
#define UF 0x02
#define NX 0x01
/* Read and clear the accrued exception flags (fflags), compare with f. */
#define CHECK_FLAGS(f) csrrw t0, fflags, zero; li t6, f; bne t0, t6, fail
/* A single result is checked on all 64 bits of the f register: it must be NaN-boxed. */
#define CHECK_S(fr, v) fmv.x.d a0, fr; li t6, 0xffffffff00000000 | (v); bne a0, t6, fail
/* fa2 = inst(a1) with rounding mode rm: conversion from an integer register. */
#define TEST_FX(n, f, inst, rm, res, fl, x) TEST_CASE(n); li a1, x; fsflags zero; inst fa2, a1, rm; CHECK_FLAGS(fl); CHECK_##f(fa2, res)

TEST_BEGIN

/* fcvt.s.w 2^24 + 1: tie, RNE 2^24, RMM and RUP 2^24 + 2 */
        TEST_FX(1, S, fcvt.s.w, rne, 0x4b800000, NX, 0x0000000001000001)
        TEST_FX(2, S, fcvt.s.w, rtz, 0x4b800000, NX, 0x0000000001000001)
        TEST_FX(3, S, fcvt.s.w, rdn, 0x4b800000, NX, 0x0000000001000001)
        TEST_FX(4, S, fcvt.s.w, rup, 0x4b800001, NX, 0x0000000001000001)
        TEST_FX(5, S, fcvt.s.w, rmm, 0x4b800001, NX, 0x0000000001000001)
        fsrmi 0  /* frm = RNE */
        TEST_FX(6, S, fcvt.s.w, dyn, 0x4b800000, NX, 0x0000000001000001)
        fsrmi 1  /* frm = RTZ */
        TEST_FX(7, S, fcvt.s.w, dyn, 0x4b800000, NX, 0x0000000001000001)
        fsrmi 2  /* frm = RDN */
        TEST_FX(8, S, fcvt.s.w, dyn, 0x4b800000, NX, 0x0000000001000001)
        fsrmi 3  /* frm = RUP */
        TEST_FX(9, S, fcvt.s.w, dyn, 0x4b800001, NX, 0x0000000001000001)
        fsrmi 4  /* frm = RMM */
        TEST_FX(10, S, fcvt.s.w, dyn, 0x4b800001, NX, 0x0000000001000001)

/* fcvt.s.w -(2^24 + 3): tie with odd neighbour, RNE RMM RDN -(2^24 + 4) */
        TEST_FX(11, S, fcvt.s.w, rne, 0xcb800002, NX, 0xfffffffffefffffd)
        TEST_FX(12, S, fcvt.s.w, rtz, 0xcb800001, NX, 0xfffffffffefffffd)
        TEST_FX(13, S, fcvt.s.w, rdn, 0xcb800002, NX, 0xfffffffffefffffd)
        TEST_FX(14, S, fcvt.s.w, rup, 0xcb800001, NX, 0xfffffffffefffffd)
        TEST_FX(15, S, fcvt.s.w, rmm, 0xcb800002, NX, 0xfffffffffefffffd)

/* fcvt.s.wu 0xffffffff: RNE RMM RUP 2^32, RTZ RDN 2^32 - 256 */
        TEST_FX(16, S, fcvt.s.wu, rne, 0x4f800000, NX, 0x00000000ffffffff)
        TEST_FX(17, S, fcvt.s.wu, rtz, 0x4f7fffff, NX, 0x00000000ffffffff)
        TEST_FX(18, S, fcvt.s.wu, rdn, 0x4f7fffff, NX, 0x00000000ffffffff)
        TEST_FX(19, S, fcvt.s.wu, rup, 0x4f800000, NX, 0x00000000ffffffff)
        TEST_FX(20, S, fcvt.s.wu, rmm, 0x4f800000, NX, 0x00000000ffffffff)
        fsrmi 0  /* frm = RNE */
        TEST_FX(21, S, fcvt.s.wu, dyn, 0x4f800000, NX, 0x00000000ffffffff)
        fsrmi 1  /* frm = RTZ */
        TEST_FX(22, S, fcvt.s.wu, dyn, 0x4f7fffff, NX, 0x00000000ffffffff)
        fsrmi 2  /* frm = RDN */
        TEST_FX(23, S, fcvt.s.wu, dyn, 0x4f7fffff, NX, 0x00000000ffffffff)
        fsrmi 3  /* frm = RUP */
        TEST_FX(24, S, fcvt.s.wu, dyn, 0x4f800000, NX, 0x00000000ffffffff)
        fsrmi 4  /* frm = RMM */
        TEST_FX(25, S, fcvt.s.wu, dyn, 0x4f800000, NX, 0x00000000ffffffff)

/* fcvt.s.w 0x7fffffff: RNE RMM RUP 2^31, RTZ RDN 2^31 - 128 */
        TEST_FX(26, S, fcvt.s.w, rne, 0x4f000000, NX, 0x000000007fffffff)
        TEST_FX(27, S, fcvt.s.w, rtz, 0x4effffff, NX, 0x000000007fffffff)
        TEST_FX(28, S, fcvt.s.w, rdn, 0x4effffff, NX, 0x000000007fffffff)
        TEST_FX(29, S, fcvt.s.w, rup, 0x4f000000, NX, 0x000000007fffffff)
        TEST_FX(30, S, fcvt.s.w, rmm, 0x4f000000, NX, 0x000000007fffffff)

/* fcvt.s.l 2^40 + 2^16 (half an ulp of 2^40): RNE 2^40, RMM RUP 2^40 + 2^17 */
        TEST_FX(31, S, fcvt.s.l, rne, 0x53800000, NX, 0x0000010000010000)
        TEST_FX(32, S, fcvt.s.l, rtz, 0x53800000, NX, 0x0000010000010000)
        TEST_FX(33, S, fcvt.s.l, rdn, 0x53800000, NX, 0x0000010000010000)
        TEST_FX(34, S, fcvt.s.l, rup, 0x53800001, NX, 0x0000010000010000)
        TEST_FX(35, S, fcvt.s.l, rmm, 0x53800001, NX, 0x0000010000010000)
        fsrmi 0  /* frm = RNE */
        TEST_FX(36, S, fcvt.s.l, dyn, 0x53800000, NX, 0x0000010000010000)
        fsrmi 1  /* frm = RTZ */
        TEST_FX(37, S, fcvt.s.l, dyn, 0x53800000, NX, 0x0000010000010000)
        fsrmi 2  /* frm = RDN */
        TEST_FX(38, S, fcvt.s.l, dyn, 0x53800000, NX, 0x0000010000010000)
        fsrmi 3  /* frm = RUP */
        TEST_FX(39, S, fcvt.s.l, dyn, 0x53800001, NX, 0x0000010000010000)
        fsrmi 4  /* frm = RMM */
        TEST_FX(40, S, fcvt.s.l, dyn, 0x53800001, NX, 0x0000010000010000)

/* fcvt.s.l -(2^40 + 2^16 + 1): above the tie, RNE RMM RDN -(2^40 + 2^17) */
        TEST_FX(41, S, fcvt.s.l, rne, 0xd3800001, NX, 0xfffffefffffeffff)
        TEST_FX(42, S, fcvt.s.l, rtz, 0xd3800000, NX, 0xfffffefffffeffff)
        TEST_FX(43, S, fcvt.s.l, rdn, 0xd3800001, NX, 0xfffffefffffeffff)
        TEST_FX(44, S, fcvt.s.l, rup, 0xd3800000, NX, 0xfffffefffffeffff)
        TEST_FX(45, S, fcvt.s.l, rmm, 0xd3800001, NX, 0xfffffefffffeffff)
        fsrmi 0  /* frm = RNE */
        TEST_FX(46, S, fcvt.s.l, dyn, 0xd3800001, NX, 0xfffffefffffeffff)
        fsrmi 1  /* frm = RTZ */
        TEST_FX(47, S, fcvt.s.l, dyn, 0xd3800000, NX, 0xfffffefffffeffff)
        fsrmi 2  /* frm = RDN */
        TEST_FX(48, S, fcvt.s.l, dyn, 0xd3800001, NX, 0xfffffefffffeffff)
        fsrmi 3  /* frm = RUP */
        TEST_FX(49, S, fcvt.s.l, dyn, 0xd3800000, NX, 0xfffffefffffeffff)
        fsrmi 4  /* frm = RMM */
        TEST_FX(50, S, fcvt.s.l, dyn, 0xd3800001, NX, 0xfffffefffffeffff)

/* fcvt.s.lu 2^64 - 1: RNE RMM RUP 2^64, RTZ RDN 2^64 - 2^40 */
        TEST_FX(51, S, fcvt.s.lu, rne, 0x5f800000, NX, 0xffffffffffffffff)
        TEST_FX(52, S, fcvt.s.lu, rtz, 0x5f7fffff, NX, 0xffffffffffffffff)
        TEST_FX(53, S, fcvt.s.lu, rdn, 0x5f7fffff, NX, 0xffffffffffffffff)
        TEST_FX(54, S, fcvt.s.lu, rup, 0x5f800000, NX, 0xffffffffffffffff)
        TEST_FX(55, S, fcvt.s.lu, rmm, 0x5f800000, NX, 0xffffffffffffffff)
        fsrmi 0  /* frm = RNE */
        TEST_FX(56, S, fcvt.s.lu, dyn, 0x5f800000, NX, 0xffffffffffffffff)
        fsrmi 1  /* frm = RTZ */
        TEST_FX(57, S, fcvt.s.lu, dyn, 0x5f7fffff, NX, 0xffffffffffffffff)
        fsrmi 2  /* frm = RDN */
        TEST_FX(58, S, fcvt.s.lu, dyn, 0x5f7fffff, NX, 0xffffffffffffffff)
        fsrmi 3  /* frm = RUP */
        TEST_FX(59, S, fcvt.s.lu, dyn, 0x5f800000, NX, 0xffffffffffffffff)
        fsrmi 4  /* frm = RMM */
        TEST_FX(60, S, fcvt.s.lu, dyn, 0x5f800000, NX, 0xffffffffffffffff)

/* fcvt.s.l 2^63 - 1: RNE RMM RUP 2^63, RTZ RDN 2^63 - 2^39 */
        TEST_FX(61, S, fcvt.s.l, rne, 0x5f000000, NX, 0x7fffffffffffffff)
        TEST_FX(62, S, fcvt.s.l, rtz, 0x5effffff, NX, 0x7fffffffffffffff)
        TEST_FX(63, S, fcvt.s.l, rdn, 0x5effffff, NX, 0x7fffffffffffffff)
        TEST_FX(64, S, fcvt.s.l, rup, 0x5f000000, NX, 0x7fffffffffffffff)
        TEST_FX(65, S, fcvt.s.l, rmm, 0x5f000000, NX, 0x7fffffffffffffff)

/* Exact conversions: no flag */
        // 0 converts to +0
        TEST_FX(66, S, fcvt.s.w, rne, 0x00000000, 0, 0x0000000000000000)
        // 0 converts to +0 also in RDN
        TEST_FX(67, S, fcvt.s.l, rdn, 0x00000000, 0, 0x0000000000000000)
        // -1
        TEST_FX(68, S, fcvt.s.w, rne, 0xbf800000, 0, 0xffffffffffffffff)
        // -2^31
        TEST_FX(69, S, fcvt.s.w, rne, 0xcf000000, 0, 0xffffffff80000000)
        // rs1 = 0x80000000 (upper bits 0): low 32 bits read as -2^31
        TEST_FX(70, S, fcvt.s.w, rne, 0xcf000000, 0, 0x0000000080000000)
        // rs1 = 0xffffffff: low 32 bits read as -1
        TEST_FX(71, S, fcvt.s.w, rne, 0xbf800000, 0, 0x00000000ffffffff)
        // upper 32 bits of rs1 ignored: 7
        TEST_FX(72, S, fcvt.s.w, rne, 0x40e00000, 0, 0x1234567800000007)
        // fcvt.s.wu: upper 32 bits ignored: 5
        TEST_FX(73, S, fcvt.s.wu, rne, 0x40a00000, 0, 0xffffffff00000005)
        // fcvt.s.wu 0x80000000 = 2^31
        TEST_FX(74, S, fcvt.s.wu, rne, 0x4f000000, 0, 0x0000000080000000)
        // -2^63
        TEST_FX(75, S, fcvt.s.l, rne, 0xdf000000, 0, 0x8000000000000000)
        // fcvt.s.lu 0x8000000000000000 = 2^63
        TEST_FX(76, S, fcvt.s.lu, rne, 0x5f000000, 0, 0x8000000000000000)
        // fcvt.s.lu 2^64 - 2^40 (24 one bits), exact
        TEST_FX(77, S, fcvt.s.lu, rne, 0x5f7fffff, 0, 0xffffff0000000000)
        // -(2^24 - 1), exact
        TEST_FX(78, S, fcvt.s.l, rne, 0xcb7fffff, 0, 0xffffffffff000001)

/* Inexact conversions */
        // 2^24 + 1: tie, to even 2^24, NX
        TEST_FX(79, S, fcvt.s.l, rne, 0x4b800000, NX, 0x0000000001000001)
        // 2^64 - 1: 2^64, NX
        TEST_FX(80, S, fcvt.s.lu, rne, 0x5f800000, NX, 0xffffffffffffffff)

        fsrmi 0
        j pass
TEST_END
