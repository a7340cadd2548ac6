/* Conversions from integers to double precision (D extension): fcvt.d.w/wu/l/lu.
   Expected values were derived with exact rational arithmetic (python3 fractions) rounded by hand
   following IEEE 754-2019 section 4.3 and the RISC-V F/D chapters (tininess after rounding, canonical
   NaN results, NV for invalid operations); each comment says why a case gives its result.
   u is the ulp of 1.0 (2^-23 in single, 2^-52 in double); minsub/maxsub/minnorm/max are the
   smallest/largest subnormal, the smallest normal and the largest finite value of the format.
   fcvt.d.w/wu read the low 32 bits of rs1 only; fcvt.d.l/lu the whole register. Integers that do not
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
#define CHECK_D(fr, v) fmv.x.d a0, fr; li t6, v; bne a0, t6, fail
/* fa2 = inst(a1) with rounding mode rm: conversion from an integer register. */
#define TEST_FX(n, f, inst, rm, res, fl, x) TEST_CASE(n); li a1, x; fsflags zero; inst fa2, a1, rm; CHECK_FLAGS(fl); CHECK_##f(fa2, res)
/* fa2 = inst(a1): conversion from an integer register that is always exact (no rm operand). */
#define TEST_FXN(n, f, inst, res, fl, x) TEST_CASE(n); li a1, x; fsflags zero; inst fa2, a1; CHECK_FLAGS(fl); CHECK_##f(fa2, res)

TEST_BEGIN

/* fcvt.d.l 2^53 + 1: tie, RNE 2^53, RMM and RUP 2^53 + 2 */
        TEST_FX(1, D, fcvt.d.l, rne, 0x4340000000000000, NX, 0x0020000000000001)
        TEST_FX(2, D, fcvt.d.l, rtz, 0x4340000000000000, NX, 0x0020000000000001)
        TEST_FX(3, D, fcvt.d.l, rdn, 0x4340000000000000, NX, 0x0020000000000001)
        TEST_FX(4, D, fcvt.d.l, rup, 0x4340000000000001, NX, 0x0020000000000001)
        TEST_FX(5, D, fcvt.d.l, rmm, 0x4340000000000001, NX, 0x0020000000000001)
        fsrmi 0  /* frm = RNE */
        TEST_FX(6, D, fcvt.d.l, dyn, 0x4340000000000000, NX, 0x0020000000000001)
        fsrmi 1  /* frm = RTZ */
        TEST_FX(7, D, fcvt.d.l, dyn, 0x4340000000000000, NX, 0x0020000000000001)
        fsrmi 2  /* frm = RDN */
        TEST_FX(8, D, fcvt.d.l, dyn, 0x4340000000000000, NX, 0x0020000000000001)
        fsrmi 3  /* frm = RUP */
        TEST_FX(9, D, fcvt.d.l, dyn, 0x4340000000000001, NX, 0x0020000000000001)
        fsrmi 4  /* frm = RMM */
        TEST_FX(10, D, fcvt.d.l, dyn, 0x4340000000000001, NX, 0x0020000000000001)

/* fcvt.d.l -(2^53 + 3): tie with odd neighbour, RNE RMM RDN -(2^53 + 4) */
        TEST_FX(11, D, fcvt.d.l, rne, 0xc340000000000002, NX, 0xffdffffffffffffd)
        TEST_FX(12, D, fcvt.d.l, rtz, 0xc340000000000001, NX, 0xffdffffffffffffd)
        TEST_FX(13, D, fcvt.d.l, rdn, 0xc340000000000002, NX, 0xffdffffffffffffd)
        TEST_FX(14, D, fcvt.d.l, rup, 0xc340000000000001, NX, 0xffdffffffffffffd)
        TEST_FX(15, D, fcvt.d.l, rmm, 0xc340000000000002, NX, 0xffdffffffffffffd)
        fsrmi 0  /* frm = RNE */
        TEST_FX(16, D, fcvt.d.l, dyn, 0xc340000000000002, NX, 0xffdffffffffffffd)
        fsrmi 1  /* frm = RTZ */
        TEST_FX(17, D, fcvt.d.l, dyn, 0xc340000000000001, NX, 0xffdffffffffffffd)
        fsrmi 2  /* frm = RDN */
        TEST_FX(18, D, fcvt.d.l, dyn, 0xc340000000000002, NX, 0xffdffffffffffffd)
        fsrmi 3  /* frm = RUP */
        TEST_FX(19, D, fcvt.d.l, dyn, 0xc340000000000001, NX, 0xffdffffffffffffd)
        fsrmi 4  /* frm = RMM */
        TEST_FX(20, D, fcvt.d.l, dyn, 0xc340000000000002, NX, 0xffdffffffffffffd)

/* fcvt.d.l -(2^60 + 2^7 + 1): above half an ulp (256), RNE RMM RDN -(2^60 + 256) */
        TEST_FX(21, D, fcvt.d.l, rne, 0xc3b0000000000001, NX, 0xefffffffffffff7f)
        TEST_FX(22, D, fcvt.d.l, rtz, 0xc3b0000000000000, NX, 0xefffffffffffff7f)
        TEST_FX(23, D, fcvt.d.l, rdn, 0xc3b0000000000001, NX, 0xefffffffffffff7f)
        TEST_FX(24, D, fcvt.d.l, rup, 0xc3b0000000000000, NX, 0xefffffffffffff7f)
        TEST_FX(25, D, fcvt.d.l, rmm, 0xc3b0000000000001, NX, 0xefffffffffffff7f)

/* fcvt.d.lu 2^64 - 1: RNE RMM RUP 2^64, RTZ RDN 2^64 - 2048 */
        TEST_FX(26, D, fcvt.d.lu, rne, 0x43f0000000000000, NX, 0xffffffffffffffff)
        TEST_FX(27, D, fcvt.d.lu, rtz, 0x43efffffffffffff, NX, 0xffffffffffffffff)
        TEST_FX(28, D, fcvt.d.lu, rdn, 0x43efffffffffffff, NX, 0xffffffffffffffff)
        TEST_FX(29, D, fcvt.d.lu, rup, 0x43f0000000000000, NX, 0xffffffffffffffff)
        TEST_FX(30, D, fcvt.d.lu, rmm, 0x43f0000000000000, NX, 0xffffffffffffffff)
        fsrmi 0  /* frm = RNE */
        TEST_FX(31, D, fcvt.d.lu, dyn, 0x43f0000000000000, NX, 0xffffffffffffffff)
        fsrmi 1  /* frm = RTZ */
        TEST_FX(32, D, fcvt.d.lu, dyn, 0x43efffffffffffff, NX, 0xffffffffffffffff)
        fsrmi 2  /* frm = RDN */
        TEST_FX(33, D, fcvt.d.lu, dyn, 0x43efffffffffffff, NX, 0xffffffffffffffff)
        fsrmi 3  /* frm = RUP */
        TEST_FX(34, D, fcvt.d.lu, dyn, 0x43f0000000000000, NX, 0xffffffffffffffff)
        fsrmi 4  /* frm = RMM */
        TEST_FX(35, D, fcvt.d.lu, dyn, 0x43f0000000000000, NX, 0xffffffffffffffff)

/* fcvt.d.l 2^63 - 1: RNE RMM RUP 2^63, RTZ RDN 2^63 - 1024 */
        TEST_FX(36, D, fcvt.d.l, rne, 0x43e0000000000000, NX, 0x7fffffffffffffff)
        TEST_FX(37, D, fcvt.d.l, rtz, 0x43dfffffffffffff, NX, 0x7fffffffffffffff)
        TEST_FX(38, D, fcvt.d.l, rdn, 0x43dfffffffffffff, NX, 0x7fffffffffffffff)
        TEST_FX(39, D, fcvt.d.l, rup, 0x43e0000000000000, NX, 0x7fffffffffffffff)
        TEST_FX(40, D, fcvt.d.l, rmm, 0x43e0000000000000, NX, 0x7fffffffffffffff)

/* fcvt.d.lu 2^53 + 2^52... (2^63 + 2^10 + 1): above the tie, RNE RMM RUP 2^63 + 2048 */
        TEST_FX(41, D, fcvt.d.lu, rne, 0x43e0000000000001, NX, 0x8000000000000401)
        TEST_FX(42, D, fcvt.d.lu, rtz, 0x43e0000000000000, NX, 0x8000000000000401)
        TEST_FX(43, D, fcvt.d.lu, rdn, 0x43e0000000000000, NX, 0x8000000000000401)
        TEST_FX(44, D, fcvt.d.lu, rup, 0x43e0000000000001, NX, 0x8000000000000401)
        TEST_FX(45, D, fcvt.d.lu, rmm, 0x43e0000000000001, NX, 0x8000000000000401)

/* Exact conversions: no flag */
        // 0 converts to +0
        TEST_FXN(46, D, fcvt.d.w, 0x0000000000000000, 0, 0x0000000000000000)
        // 0 converts to +0 also in RDN
        TEST_FX(47, D, fcvt.d.l, rdn, 0x0000000000000000, 0, 0x0000000000000000)
        // -1
        TEST_FXN(48, D, fcvt.d.w, 0xbff0000000000000, 0, 0xffffffffffffffff)
        // -2^31
        TEST_FXN(49, D, fcvt.d.w, 0xc1e0000000000000, 0, 0xffffffff80000000)
        // rs1 = 0x80000000 (upper bits 0): low 32 bits read as -2^31
        TEST_FXN(50, D, fcvt.d.w, 0xc1e0000000000000, 0, 0x0000000080000000)
        // rs1 = 0xffffffff: low 32 bits read as -1
        TEST_FXN(51, D, fcvt.d.w, 0xbff0000000000000, 0, 0x00000000ffffffff)
        // upper 32 bits of rs1 ignored: 7
        TEST_FXN(52, D, fcvt.d.w, 0x401c000000000000, 0, 0x1234567800000007)
        // fcvt.d.wu: upper 32 bits ignored: 5
        TEST_FXN(53, D, fcvt.d.wu, 0x4014000000000000, 0, 0xffffffff00000005)
        // fcvt.d.wu 0x80000000 = 2^31
        TEST_FXN(54, D, fcvt.d.wu, 0x41e0000000000000, 0, 0x0000000080000000)
        // -2^63
        TEST_FX(55, D, fcvt.d.l, rne, 0xc3e0000000000000, 0, 0x8000000000000000)
        // fcvt.d.lu 0x8000000000000000 = 2^63
        TEST_FX(56, D, fcvt.d.lu, rne, 0x43e0000000000000, 0, 0x8000000000000000)
        // fcvt.d.lu 2^64 - 2^11 (53 one bits), exact
        TEST_FX(57, D, fcvt.d.lu, rne, 0x43efffffffffffff, 0, 0xfffffffffffff800)
        // -(2^53 - 1), exact
        TEST_FX(58, D, fcvt.d.l, rne, 0xc33fffffffffffff, 0, 0xffe0000000000001)
        // fcvt.d.w 2^31 - 1: exact in double
        TEST_FXN(59, D, fcvt.d.w, 0x41dfffffffc00000, 0, 0x000000007fffffff)
        // fcvt.d.wu 2^32 - 1: exact
        TEST_FXN(60, D, fcvt.d.wu, 0x41efffffffe00000, 0, 0x00000000ffffffff)

/* Inexact conversions */
        // 2^53 + 1: tie, to even 2^53, NX
        TEST_FX(61, D, fcvt.d.l, rne, 0x4340000000000000, NX, 0x0020000000000001)
        // 2^64 - 1: 2^64, NX
        TEST_FX(62, D, fcvt.d.lu, rne, 0x43f0000000000000, NX, 0xffffffffffffffff)

        fsrmi 0
        j pass
TEST_END
