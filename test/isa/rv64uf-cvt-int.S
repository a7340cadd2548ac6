/* Conversions from single precision to integers (F extension): fcvt.w/wu/l/lu.s, rounding, saturation and
   sign extension.
   Expected values were derived with exact rational arithmetic (python3 fractions) rounded by hand
   following IEEE 754-2019 section 4.3 and the RISC-V F/D chapters (tininess after rounding, canonical
   NaN results, NV for invalid operations); each comment says why a case gives its result.
   u is the ulp of 1.0 (2^-23 in single, 2^-52 in double); minsub/maxsub/minnorm/max are the
   smallest/largest subnormal, the smallest normal and the largest finite value of the format.
   fcvt.{w,wu,l,lu}: the value is rounded to an integer in the given mode first; if that integer does
   not fit the destination it is clipped to the nearest bound and NV is set (no NX). NaN gives the
   largest positive value whatever its sign. A 32-bit result (w, wu) is sign-extended to 64 bits, so
   fcvt.wu of a value >= 2^31 reads as a negative register value. */
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
/* a0 = inst(fa0) with rounding mode rm: conversion to a 64-bit integer register. */
#define TEST_XF(n, f, inst, rm, res, fl, a) TEST_CASE(n); LOAD_##f(fa0, a); fsflags zero; inst a0, fa0, rm; CHECK_FLAGS(fl); li t6, res; bne a0, t6, fail

TEST_BEGIN

/* fcvt.w 2.5: tie, RNE 2, RMM 3, RUP 3, RTZ and RDN 2; NX */
        TEST_XF(1, S, fcvt.w.s, rne, 0x0000000000000002, NX, 0x40200000)
        TEST_XF(2, S, fcvt.w.s, rtz, 0x0000000000000002, NX, 0x40200000)
        TEST_XF(3, S, fcvt.w.s, rdn, 0x0000000000000002, NX, 0x40200000)
        TEST_XF(4, S, fcvt.w.s, rup, 0x0000000000000003, NX, 0x40200000)
        TEST_XF(5, S, fcvt.w.s, rmm, 0x0000000000000003, NX, 0x40200000)
        fsrmi 0  /* frm = RNE */
        TEST_XF(6, S, fcvt.w.s, dyn, 0x0000000000000002, NX, 0x40200000)
        fsrmi 1  /* frm = RTZ */
        TEST_XF(7, S, fcvt.w.s, dyn, 0x0000000000000002, NX, 0x40200000)
        fsrmi 2  /* frm = RDN */
        TEST_XF(8, S, fcvt.w.s, dyn, 0x0000000000000002, NX, 0x40200000)
        fsrmi 3  /* frm = RUP */
        TEST_XF(9, S, fcvt.w.s, dyn, 0x0000000000000003, NX, 0x40200000)
        fsrmi 4  /* frm = RMM */
        TEST_XF(10, S, fcvt.w.s, dyn, 0x0000000000000003, NX, 0x40200000)

/* fcvt.w -2.5: RNE -2, RMM -3, RDN -3, RTZ and RUP -2 */
        TEST_XF(11, S, fcvt.w.s, rne, 0xfffffffffffffffe, NX, 0xc0200000)
        TEST_XF(12, S, fcvt.w.s, rtz, 0xfffffffffffffffe, NX, 0xc0200000)
        TEST_XF(13, S, fcvt.w.s, rdn, 0xfffffffffffffffd, NX, 0xc0200000)
        TEST_XF(14, S, fcvt.w.s, rup, 0xfffffffffffffffe, NX, 0xc0200000)
        TEST_XF(15, S, fcvt.w.s, rmm, 0xfffffffffffffffd, NX, 0xc0200000)
        fsrmi 0  /* frm = RNE */
        TEST_XF(16, S, fcvt.w.s, dyn, 0xfffffffffffffffe, NX, 0xc0200000)
        fsrmi 1  /* frm = RTZ */
        TEST_XF(17, S, fcvt.w.s, dyn, 0xfffffffffffffffe, NX, 0xc0200000)
        fsrmi 2  /* frm = RDN */
        TEST_XF(18, S, fcvt.w.s, dyn, 0xfffffffffffffffd, NX, 0xc0200000)
        fsrmi 3  /* frm = RUP */
        TEST_XF(19, S, fcvt.w.s, dyn, 0xfffffffffffffffe, NX, 0xc0200000)
        fsrmi 4  /* frm = RMM */
        TEST_XF(20, S, fcvt.w.s, dyn, 0xfffffffffffffffd, NX, 0xc0200000)

/* fcvt.w -1.75: RNE RMM RDN -2, RTZ RUP -1 */
        TEST_XF(21, S, fcvt.w.s, rne, 0xfffffffffffffffe, NX, 0xbfe00000)
        TEST_XF(22, S, fcvt.w.s, rtz, 0xffffffffffffffff, NX, 0xbfe00000)
        TEST_XF(23, S, fcvt.w.s, rdn, 0xfffffffffffffffe, NX, 0xbfe00000)
        TEST_XF(24, S, fcvt.w.s, rup, 0xffffffffffffffff, NX, 0xbfe00000)
        TEST_XF(25, S, fcvt.w.s, rmm, 0xfffffffffffffffe, NX, 0xbfe00000)

/* fcvt.wu 3.5: tie with odd neighbour: RNE and RMM 4, RTZ RDN 3, RUP 4 */
        TEST_XF(26, S, fcvt.wu.s, rne, 0x0000000000000004, NX, 0x40600000)
        TEST_XF(27, S, fcvt.wu.s, rtz, 0x0000000000000003, NX, 0x40600000)
        TEST_XF(28, S, fcvt.wu.s, rdn, 0x0000000000000003, NX, 0x40600000)
        TEST_XF(29, S, fcvt.wu.s, rup, 0x0000000000000004, NX, 0x40600000)
        TEST_XF(30, S, fcvt.wu.s, rmm, 0x0000000000000004, NX, 0x40600000)
        fsrmi 0  /* frm = RNE */
        TEST_XF(31, S, fcvt.wu.s, dyn, 0x0000000000000004, NX, 0x40600000)
        fsrmi 1  /* frm = RTZ */
        TEST_XF(32, S, fcvt.wu.s, dyn, 0x0000000000000003, NX, 0x40600000)
        fsrmi 2  /* frm = RDN */
        TEST_XF(33, S, fcvt.wu.s, dyn, 0x0000000000000003, NX, 0x40600000)
        fsrmi 3  /* frm = RUP */
        TEST_XF(34, S, fcvt.wu.s, dyn, 0x0000000000000004, NX, 0x40600000)
        fsrmi 4  /* frm = RMM */
        TEST_XF(35, S, fcvt.wu.s, dyn, 0x0000000000000004, NX, 0x40600000)

/* fcvt.l -0.5: RNE 0 (tie to even), RMM -1, RDN -1, RTZ RUP 0 */
        TEST_XF(36, S, fcvt.l.s, rne, 0x0000000000000000, NX, 0xbf000000)
        TEST_XF(37, S, fcvt.l.s, rtz, 0x0000000000000000, NX, 0xbf000000)
        TEST_XF(38, S, fcvt.l.s, rdn, 0xffffffffffffffff, NX, 0xbf000000)
        TEST_XF(39, S, fcvt.l.s, rup, 0x0000000000000000, NX, 0xbf000000)
        TEST_XF(40, S, fcvt.l.s, rmm, 0xffffffffffffffff, NX, 0xbf000000)
        fsrmi 0  /* frm = RNE */
        TEST_XF(41, S, fcvt.l.s, dyn, 0x0000000000000000, NX, 0xbf000000)
        fsrmi 1  /* frm = RTZ */
        TEST_XF(42, S, fcvt.l.s, dyn, 0x0000000000000000, NX, 0xbf000000)
        fsrmi 2  /* frm = RDN */
        TEST_XF(43, S, fcvt.l.s, dyn, 0xffffffffffffffff, NX, 0xbf000000)
        fsrmi 3  /* frm = RUP */
        TEST_XF(44, S, fcvt.l.s, dyn, 0x0000000000000000, NX, 0xbf000000)
        fsrmi 4  /* frm = RMM */
        TEST_XF(45, S, fcvt.l.s, dyn, 0xffffffffffffffff, NX, 0xbf000000)

/* fcvt.lu 1.25: RUP 2, the others 1 */
        TEST_XF(46, S, fcvt.lu.s, rne, 0x0000000000000001, NX, 0x3fa00000)
        TEST_XF(47, S, fcvt.lu.s, rtz, 0x0000000000000001, NX, 0x3fa00000)
        TEST_XF(48, S, fcvt.lu.s, rdn, 0x0000000000000001, NX, 0x3fa00000)
        TEST_XF(49, S, fcvt.lu.s, rup, 0x0000000000000002, NX, 0x3fa00000)
        TEST_XF(50, S, fcvt.lu.s, rmm, 0x0000000000000001, NX, 0x3fa00000)
        fsrmi 0  /* frm = RNE */
        TEST_XF(51, S, fcvt.lu.s, dyn, 0x0000000000000001, NX, 0x3fa00000)
        fsrmi 1  /* frm = RTZ */
        TEST_XF(52, S, fcvt.lu.s, dyn, 0x0000000000000001, NX, 0x3fa00000)
        fsrmi 2  /* frm = RDN */
        TEST_XF(53, S, fcvt.lu.s, dyn, 0x0000000000000001, NX, 0x3fa00000)
        fsrmi 3  /* frm = RUP */
        TEST_XF(54, S, fcvt.lu.s, dyn, 0x0000000000000002, NX, 0x3fa00000)
        fsrmi 4  /* frm = RMM */
        TEST_XF(55, S, fcvt.lu.s, dyn, 0x0000000000000001, NX, 0x3fa00000)

/* fcvt.w minsub: RUP 1, the others 0; NX */
        TEST_XF(56, S, fcvt.w.s, rne, 0x0000000000000000, NX, 0x00000001)
        TEST_XF(57, S, fcvt.w.s, rtz, 0x0000000000000000, NX, 0x00000001)
        TEST_XF(58, S, fcvt.w.s, rdn, 0x0000000000000000, NX, 0x00000001)
        TEST_XF(59, S, fcvt.w.s, rup, 0x0000000000000001, NX, 0x00000001)
        TEST_XF(60, S, fcvt.w.s, rmm, 0x0000000000000000, NX, 0x00000001)

/* fcvt.l -minsub: RDN -1, RMM and RNE -0 -> 0; NX */
        TEST_XF(61, S, fcvt.l.s, rne, 0x0000000000000000, NX, 0x80000001)
        TEST_XF(62, S, fcvt.l.s, rtz, 0x0000000000000000, NX, 0x80000001)
        TEST_XF(63, S, fcvt.l.s, rdn, 0xffffffffffffffff, NX, 0x80000001)
        TEST_XF(64, S, fcvt.l.s, rup, 0x0000000000000000, NX, 0x80000001)
        TEST_XF(65, S, fcvt.l.s, rmm, 0x0000000000000000, NX, 0x80000001)

/* Exact conversions set no flag; 32-bit results are sign-extended */
        // fcvt.w -1 = 0xffffffffffffffff
        TEST_XF(66, S, fcvt.w.s, rne, 0xffffffffffffffff, 0, 0xbf800000)
        // fcvt.w -2^31, in range, sign-extended
        TEST_XF(67, S, fcvt.w.s, rne, 0xffffffff80000000, 0, 0xcf000000)
        // fcvt.w 123456
        TEST_XF(68, S, fcvt.w.s, rtz, 0x000000000001e240, 0, 0x47f12000)
        // fcvt.wu 3e9 = 0xb2d05e00, sign-extended to 0xffffffffb2d05e00
        TEST_XF(69, S, fcvt.wu.s, rtz, 0xffffffffb2d05e00, 0, 0x4f32d05e)
        // fcvt.wu 2^31 = 0x80000000, sign-extended
        TEST_XF(70, S, fcvt.wu.s, rtz, 0xffffffff80000000, 0, 0x4f000000)
        // fcvt.l -2^63, in range
        TEST_XF(71, S, fcvt.l.s, rtz, 0x8000000000000000, 0, 0xdf000000)
        // fcvt.lu 2^63
        TEST_XF(72, S, fcvt.lu.s, rtz, 0x8000000000000000, 0, 0x5f000000)
        // fcvt.w -0 = 0
        TEST_XF(73, S, fcvt.w.s, rtz, 0x0000000000000000, 0, 0x80000000)
        // fcvt.wu -0 = 0, no NV
        TEST_XF(74, S, fcvt.wu.s, rtz, 0x0000000000000000, 0, 0x80000000)
        // fcvt.lu -0 = 0, no NV
        TEST_XF(75, S, fcvt.lu.s, rtz, 0x0000000000000000, 0, 0x80000000)
        // fcvt.lu of the largest value below 2^64, exact
        TEST_XF(76, S, fcvt.lu.s, rtz, 0xffffff0000000000, 0, 0x5f7fffff)
        // fcvt.l of the largest value below 2^63, exact
        TEST_XF(77, S, fcvt.l.s, rtz, 0x7fffff8000000000, 0, 0x5effffff)
        // fcvt.w 2^31 - 128 (largest single below 2^31)
        TEST_XF(78, S, fcvt.w.s, rtz, 0x000000007fffff80, 0, 0x4effffff)
        // fcvt.wu 2^32 - 256 (largest single below 2^32)
        TEST_XF(79, S, fcvt.wu.s, rtz, 0xffffffffffffff00, 0, 0x4f7fffff)

/* Out of range, infinities and NaN: clipped, NV, no NX */
        // fcvt.w qNaN: largest positive, NV
        TEST_XF(80, S, fcvt.w.s, rtz, 0x000000007fffffff, NV, 0x7fc00000)
        // fcvt.w -qNaN: largest positive too, NV
        TEST_XF(81, S, fcvt.w.s, rtz, 0x000000007fffffff, NV, 0xffc05432)
        // fcvt.w sNaN: largest positive, NV
        TEST_XF(82, S, fcvt.w.s, rtz, 0x000000007fffffff, NV, 0x7f800001)
        // fcvt.w inf: largest, NV
        TEST_XF(83, S, fcvt.w.s, rtz, 0x000000007fffffff, NV, 0x7f800000)
        // fcvt.w -inf: smallest, NV
        TEST_XF(84, S, fcvt.w.s, rtz, 0xffffffff80000000, NV, 0xff800000)
        // fcvt.w max: largest, NV
        TEST_XF(85, S, fcvt.w.s, rtz, 0x000000007fffffff, NV, 0x7f7fffff)
        // fcvt.w -max: smallest, NV
        TEST_XF(86, S, fcvt.w.s, rtz, 0xffffffff80000000, NV, 0xff7fffff)
        // fcvt.wu qNaN: largest positive, NV
        TEST_XF(87, S, fcvt.wu.s, rtz, 0xffffffffffffffff, NV, 0x7fc00000)
        // fcvt.wu -qNaN: largest positive too, NV
        TEST_XF(88, S, fcvt.wu.s, rtz, 0xffffffffffffffff, NV, 0xffc05432)
        // fcvt.wu sNaN: largest positive, NV
        TEST_XF(89, S, fcvt.wu.s, rtz, 0xffffffffffffffff, NV, 0x7f800001)
        // fcvt.wu inf: largest, NV
        TEST_XF(90, S, fcvt.wu.s, rtz, 0xffffffffffffffff, NV, 0x7f800000)
        // fcvt.wu -inf: smallest, NV
        TEST_XF(91, S, fcvt.wu.s, rtz, 0x0000000000000000, NV, 0xff800000)
        // fcvt.wu max: largest, NV
        TEST_XF(92, S, fcvt.wu.s, rtz, 0xffffffffffffffff, NV, 0x7f7fffff)
        // fcvt.wu -max: smallest, NV
        TEST_XF(93, S, fcvt.wu.s, rtz, 0x0000000000000000, NV, 0xff7fffff)
        // fcvt.l qNaN: largest positive, NV
        TEST_XF(94, S, fcvt.l.s, rtz, 0x7fffffffffffffff, NV, 0x7fc00000)
        // fcvt.l -qNaN: largest positive too, NV
        TEST_XF(95, S, fcvt.l.s, rtz, 0x7fffffffffffffff, NV, 0xffc05432)
        // fcvt.l sNaN: largest positive, NV
        TEST_XF(96, S, fcvt.l.s, rtz, 0x7fffffffffffffff, NV, 0x7f800001)
        // fcvt.l inf: largest, NV
        TEST_XF(97, S, fcvt.l.s, rtz, 0x7fffffffffffffff, NV, 0x7f800000)
        // fcvt.l -inf: smallest, NV
        TEST_XF(98, S, fcvt.l.s, rtz, 0x8000000000000000, NV, 0xff800000)
        // fcvt.l max: largest, NV
        TEST_XF(99, S, fcvt.l.s, rtz, 0x7fffffffffffffff, NV, 0x7f7fffff)
        // fcvt.l -max: smallest, NV
        TEST_XF(100, S, fcvt.l.s, rtz, 0x8000000000000000, NV, 0xff7fffff)
        // fcvt.lu qNaN: largest positive, NV
        TEST_XF(101, S, fcvt.lu.s, rtz, 0xffffffffffffffff, NV, 0x7fc00000)
        // fcvt.lu -qNaN: largest positive too, NV
        TEST_XF(102, S, fcvt.lu.s, rtz, 0xffffffffffffffff, NV, 0xffc05432)
        // fcvt.lu sNaN: largest positive, NV
        TEST_XF(103, S, fcvt.lu.s, rtz, 0xffffffffffffffff, NV, 0x7f800001)
        // fcvt.lu inf: largest, NV
        TEST_XF(104, S, fcvt.lu.s, rtz, 0xffffffffffffffff, NV, 0x7f800000)
        // fcvt.lu -inf: smallest, NV
        TEST_XF(105, S, fcvt.lu.s, rtz, 0x0000000000000000, NV, 0xff800000)
        // fcvt.lu max: largest, NV
        TEST_XF(106, S, fcvt.lu.s, rtz, 0xffffffffffffffff, NV, 0x7f7fffff)
        // fcvt.lu -max: smallest, NV
        TEST_XF(107, S, fcvt.lu.s, rtz, 0x0000000000000000, NV, 0xff7fffff)
        // fcvt.w 2^31: NV, 0x7fffffff
        TEST_XF(108, S, fcvt.w.s, rtz, 0x000000007fffffff, NV, 0x4f000000)
        // fcvt.w just below -2^31: NV, -2^31
        TEST_XF(109, S, fcvt.w.s, rtz, 0xffffffff80000000, NV, 0xcf000001)
        // fcvt.wu 2^32: NV, all ones
        TEST_XF(110, S, fcvt.wu.s, rtz, 0xffffffffffffffff, NV, 0x4f800000)
        // fcvt.l 2^63: NV, 0x7fffffffffffffff
        TEST_XF(111, S, fcvt.l.s, rtz, 0x7fffffffffffffff, NV, 0x5f000000)
        // fcvt.l -2^64: NV, -2^63
        TEST_XF(112, S, fcvt.l.s, rtz, 0x8000000000000000, NV, 0xdf800000)
        // fcvt.lu 2^64: NV, all ones
        TEST_XF(113, S, fcvt.lu.s, rtz, 0xffffffffffffffff, NV, 0x5f800000)

/* Negative values to unsigned: 0 with NV, unless the value rounds to 0 (then NX only) */
        // fcvt.wu -1: NV, 0
        TEST_XF(114, S, fcvt.wu.s, rtz, 0x0000000000000000, NV, 0xbf800000)
        // fcvt.lu -1: NV, 0
        TEST_XF(115, S, fcvt.lu.s, rtz, 0x0000000000000000, NV, 0xbf800000)
        // fcvt.wu -0.4 RTZ: rounds to 0, NX only
        TEST_XF(116, S, fcvt.wu.s, rtz, 0x0000000000000000, NX, 0xbecccccd)
        // fcvt.wu -0.4 RUP: 0, NX only
        TEST_XF(117, S, fcvt.wu.s, rup, 0x0000000000000000, NX, 0xbecccccd)
        // fcvt.wu -0.4 RDN: rounds to -1, NV
        TEST_XF(118, S, fcvt.wu.s, rdn, 0x0000000000000000, NV, 0xbecccccd)
        // fcvt.wu -0.5 RNE: tie to even 0, NX only
        TEST_XF(119, S, fcvt.wu.s, rne, 0x0000000000000000, NX, 0xbf000000)
        // fcvt.wu -0.5 RMM: -1, NV
        TEST_XF(120, S, fcvt.wu.s, rmm, 0x0000000000000000, NV, 0xbf000000)
        // fcvt.lu -0.75 RNE: -1, NV
        TEST_XF(121, S, fcvt.lu.s, rne, 0x0000000000000000, NV, 0xbf400000)
        // fcvt.lu -0.75 RTZ: 0, NX only
        TEST_XF(122, S, fcvt.lu.s, rtz, 0x0000000000000000, NX, 0xbf400000)
        // fcvt.lu -minsub RDN: -1, NV
        TEST_XF(123, S, fcvt.lu.s, rdn, 0x0000000000000000, NV, 0x80000001)
        // fcvt.lu -minsub RUP: 0, NX
        TEST_XF(124, S, fcvt.lu.s, rup, 0x0000000000000000, NX, 0x80000001)

        fsrmi 0
        j pass
TEST_END
