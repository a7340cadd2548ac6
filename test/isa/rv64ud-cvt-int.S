/* Conversions from double precision to integers (D extension): fcvt.w/wu/l/lu.d, rounding, saturation and
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
#define LOAD_D(fr, v) li t0, v; fmv.d.x fr, t0
/* a0 = inst(fa0) with rounding mode rm: conversion to a 64-bit integer register. */
#define TEST_XF(n, f, inst, rm, res, fl, a) TEST_CASE(n); LOAD_##f(fa0, a); fsflags zero; inst a0, fa0, rm; CHECK_FLAGS(fl); li t6, res; bne a0, t6, fail

TEST_BEGIN

/* fcvt.w 2.5: tie, RNE 2, RMM 3, RUP 3, RTZ and RDN 2; NX */
        TEST_XF(1, D, fcvt.w.d, rne, 0x0000000000000002, NX, 0x4004000000000000)
        TEST_XF(2, D, fcvt.w.d, rtz, 0x0000000000000002, NX, 0x4004000000000000)
        TEST_XF(3, D, fcvt.w.d, rdn, 0x0000000000000002, NX, 0x4004000000000000)
        TEST_XF(4, D, fcvt.w.d, rup, 0x0000000000000003, NX, 0x4004000000000000)
        TEST_XF(5, D, fcvt.w.d, rmm, 0x0000000000000003, NX, 0x4004000000000000)
        fsrmi 0  /* frm = RNE */
        TEST_XF(6, D, fcvt.w.d, dyn, 0x0000000000000002, NX, 0x4004000000000000)
        fsrmi 1  /* frm = RTZ */
        TEST_XF(7, D, fcvt.w.d, dyn, 0x0000000000000002, NX, 0x4004000000000000)
        fsrmi 2  /* frm = RDN */
        TEST_XF(8, D, fcvt.w.d, dyn, 0x0000000000000002, NX, 0x4004000000000000)
        fsrmi 3  /* frm = RUP */
        TEST_XF(9, D, fcvt.w.d, dyn, 0x0000000000000003, NX, 0x4004000000000000)
        fsrmi 4  /* frm = RMM */
        TEST_XF(10, D, fcvt.w.d, dyn, 0x0000000000000003, NX, 0x4004000000000000)

/* fcvt.w -2.5: RNE -2, RMM -3, RDN -3, RTZ and RUP -2 */
        TEST_XF(11, D, fcvt.w.d, rne, 0xfffffffffffffffe, NX, 0xc004000000000000)
        TEST_XF(12, D, fcvt.w.d, rtz, 0xfffffffffffffffe, NX, 0xc004000000000000)
        TEST_XF(13, D, fcvt.w.d, rdn, 0xfffffffffffffffd, NX, 0xc004000000000000)
        TEST_XF(14, D, fcvt.w.d, rup, 0xfffffffffffffffe, NX, 0xc004000000000000)
        TEST_XF(15, D, fcvt.w.d, rmm, 0xfffffffffffffffd, NX, 0xc004000000000000)
        fsrmi 0  /* frm = RNE */
        TEST_XF(16, D, fcvt.w.d, dyn, 0xfffffffffffffffe, NX, 0xc004000000000000)
        fsrmi 1  /* frm = RTZ */
        TEST_XF(17, D, fcvt.w.d, dyn, 0xfffffffffffffffe, NX, 0xc004000000000000)
        fsrmi 2  /* frm = RDN */
        TEST_XF(18, D, fcvt.w.d, dyn, 0xfffffffffffffffd, NX, 0xc004000000000000)
        fsrmi 3  /* frm = RUP */
        TEST_XF(19, D, fcvt.w.d, dyn, 0xfffffffffffffffe, NX, 0xc004000000000000)
        fsrmi 4  /* frm = RMM */
        TEST_XF(20, D, fcvt.w.d, dyn, 0xfffffffffffffffd, NX, 0xc004000000000000)

/* fcvt.w -1.75: RNE RMM RDN -2, RTZ RUP -1 */
        TEST_XF(21, D, fcvt.w.d, rne, 0xfffffffffffffffe, NX, 0xbffc000000000000)
        TEST_XF(22, D, fcvt.w.d, rtz, 0xffffffffffffffff, NX, 0xbffc000000000000)
        TEST_XF(23, D, fcvt.w.d, rdn, 0xfffffffffffffffe, NX, 0xbffc000000000000)
        TEST_XF(24, D, fcvt.w.d, rup, 0xffffffffffffffff, NX, 0xbffc000000000000)
        TEST_XF(25, D, fcvt.w.d, rmm, 0xfffffffffffffffe, NX, 0xbffc000000000000)

/* fcvt.wu 3.5: tie with odd neighbour: RNE and RMM 4, RTZ RDN 3, RUP 4 */
        TEST_XF(26, D, fcvt.wu.d, rne, 0x0000000000000004, NX, 0x400c000000000000)
        TEST_XF(27, D, fcvt.wu.d, rtz, 0x0000000000000003, NX, 0x400c000000000000)
        TEST_XF(28, D, fcvt.wu.d, rdn, 0x0000000000000003, NX, 0x400c000000000000)
        TEST_XF(29, D, fcvt.wu.d, rup, 0x0000000000000004, NX, 0x400c000000000000)
        TEST_XF(30, D, fcvt.wu.d, rmm, 0x0000000000000004, NX, 0x400c000000000000)
        fsrmi 0  /* frm = RNE */
        TEST_XF(31, D, fcvt.wu.d, dyn, 0x0000000000000004, NX, 0x400c000000000000)
        fsrmi 1  /* frm = RTZ */
        TEST_XF(32, D, fcvt.wu.d, dyn, 0x0000000000000003, NX, 0x400c000000000000)
        fsrmi 2  /* frm = RDN */
        TEST_XF(33, D, fcvt.wu.d, dyn, 0x0000000000000003, NX, 0x400c000000000000)
        fsrmi 3  /* frm = RUP */
        TEST_XF(34, D, fcvt.wu.d, dyn, 0x0000000000000004, NX, 0x400c000000000000)
        fsrmi 4  /* frm = RMM */
        TEST_XF(35, D, fcvt.wu.d, dyn, 0x0000000000000004, NX, 0x400c000000000000)

/* fcvt.l -0.5: RNE 0 (tie to even), RMM -1, RDN -1, RTZ RUP 0 */
        TEST_XF(36, D, fcvt.l.d, rne, 0x0000000000000000, NX, 0xbfe0000000000000)
        TEST_XF(37, D, fcvt.l.d, rtz, 0x0000000000000000, NX, 0xbfe0000000000000)
        TEST_XF(38, D, fcvt.l.d, rdn, 0xffffffffffffffff, NX, 0xbfe0000000000000)
        TEST_XF(39, D, fcvt.l.d, rup, 0x0000000000000000, NX, 0xbfe0000000000000)
        TEST_XF(40, D, fcvt.l.d, rmm, 0xffffffffffffffff, NX, 0xbfe0000000000000)
        fsrmi 0  /* frm = RNE */
        TEST_XF(41, D, fcvt.l.d, dyn, 0x0000000000000000, NX, 0xbfe0000000000000)
        fsrmi 1  /* frm = RTZ */
        TEST_XF(42, D, fcvt.l.d, dyn, 0x0000000000000000, NX, 0xbfe0000000000000)
        fsrmi 2  /* frm = RDN */
        TEST_XF(43, D, fcvt.l.d, dyn, 0xffffffffffffffff, NX, 0xbfe0000000000000)
        fsrmi 3  /* frm = RUP */
        TEST_XF(44, D, fcvt.l.d, dyn, 0x0000000000000000, NX, 0xbfe0000000000000)
        fsrmi 4  /* frm = RMM */
        TEST_XF(45, D, fcvt.l.d, dyn, 0xffffffffffffffff, NX, 0xbfe0000000000000)

/* fcvt.lu 1.25: RUP 2, the others 1 */
        TEST_XF(46, D, fcvt.lu.d, rne, 0x0000000000000001, NX, 0x3ff4000000000000)
        TEST_XF(47, D, fcvt.lu.d, rtz, 0x0000000000000001, NX, 0x3ff4000000000000)
        TEST_XF(48, D, fcvt.lu.d, rdn, 0x0000000000000001, NX, 0x3ff4000000000000)
        TEST_XF(49, D, fcvt.lu.d, rup, 0x0000000000000002, NX, 0x3ff4000000000000)
        TEST_XF(50, D, fcvt.lu.d, rmm, 0x0000000000000001, NX, 0x3ff4000000000000)
        fsrmi 0  /* frm = RNE */
        TEST_XF(51, D, fcvt.lu.d, dyn, 0x0000000000000001, NX, 0x3ff4000000000000)
        fsrmi 1  /* frm = RTZ */
        TEST_XF(52, D, fcvt.lu.d, dyn, 0x0000000000000001, NX, 0x3ff4000000000000)
        fsrmi 2  /* frm = RDN */
        TEST_XF(53, D, fcvt.lu.d, dyn, 0x0000000000000001, NX, 0x3ff4000000000000)
        fsrmi 3  /* frm = RUP */
        TEST_XF(54, D, fcvt.lu.d, dyn, 0x0000000000000002, NX, 0x3ff4000000000000)
        fsrmi 4  /* frm = RMM */
        TEST_XF(55, D, fcvt.lu.d, dyn, 0x0000000000000001, NX, 0x3ff4000000000000)

/* fcvt.w minsub: RUP 1, the others 0; NX */
        TEST_XF(56, D, fcvt.w.d, rne, 0x0000000000000000, NX, 0x0000000000000001)
        TEST_XF(57, D, fcvt.w.d, rtz, 0x0000000000000000, NX, 0x0000000000000001)
        TEST_XF(58, D, fcvt.w.d, rdn, 0x0000000000000000, NX, 0x0000000000000001)
        TEST_XF(59, D, fcvt.w.d, rup, 0x0000000000000001, NX, 0x0000000000000001)
        TEST_XF(60, D, fcvt.w.d, rmm, 0x0000000000000000, NX, 0x0000000000000001)

/* fcvt.l -minsub: RDN -1, RMM and RNE -0 -> 0; NX */
        TEST_XF(61, D, fcvt.l.d, rne, 0x0000000000000000, NX, 0x8000000000000001)
        TEST_XF(62, D, fcvt.l.d, rtz, 0x0000000000000000, NX, 0x8000000000000001)
        TEST_XF(63, D, fcvt.l.d, rdn, 0xffffffffffffffff, NX, 0x8000000000000001)
        TEST_XF(64, D, fcvt.l.d, rup, 0x0000000000000000, NX, 0x8000000000000001)
        TEST_XF(65, D, fcvt.l.d, rmm, 0x0000000000000000, NX, 0x8000000000000001)

/* Exact conversions set no flag; 32-bit results are sign-extended */
        // fcvt.w -1 = 0xffffffffffffffff
        TEST_XF(66, D, fcvt.w.d, rne, 0xffffffffffffffff, 0, 0xbff0000000000000)
        // fcvt.w -2^31, in range, sign-extended
        TEST_XF(67, D, fcvt.w.d, rne, 0xffffffff80000000, 0, 0xc1e0000000000000)
        // fcvt.w 123456
        TEST_XF(68, D, fcvt.w.d, rtz, 0x000000000001e240, 0, 0x40fe240000000000)
        // fcvt.wu 3e9 = 0xb2d05e00, sign-extended to 0xffffffffb2d05e00
        TEST_XF(69, D, fcvt.wu.d, rtz, 0xffffffffb2d05e00, 0, 0x41e65a0bc0000000)
        // fcvt.wu 2^31 = 0x80000000, sign-extended
        TEST_XF(70, D, fcvt.wu.d, rtz, 0xffffffff80000000, 0, 0x41e0000000000000)
        // fcvt.l -2^63, in range
        TEST_XF(71, D, fcvt.l.d, rtz, 0x8000000000000000, 0, 0xc3e0000000000000)
        // fcvt.lu 2^63
        TEST_XF(72, D, fcvt.lu.d, rtz, 0x8000000000000000, 0, 0x43e0000000000000)
        // fcvt.w -0 = 0
        TEST_XF(73, D, fcvt.w.d, rtz, 0x0000000000000000, 0, 0x8000000000000000)
        // fcvt.wu -0 = 0, no NV
        TEST_XF(74, D, fcvt.wu.d, rtz, 0x0000000000000000, 0, 0x8000000000000000)
        // fcvt.lu -0 = 0, no NV
        TEST_XF(75, D, fcvt.lu.d, rtz, 0x0000000000000000, 0, 0x8000000000000000)
        // fcvt.lu of the largest value below 2^64, exact
        TEST_XF(76, D, fcvt.lu.d, rtz, 0xfffffffffffff800, 0, 0x43efffffffffffff)
        // fcvt.l of the largest value below 2^63, exact
        TEST_XF(77, D, fcvt.l.d, rtz, 0x7ffffffffffffc00, 0, 0x43dfffffffffffff)
        // fcvt.w 2^31 - 1, exact
        TEST_XF(78, D, fcvt.w.d, rtz, 0x000000007fffffff, 0, 0x41dfffffffc00000)
        // fcvt.wu 2^32 - 1, exact: all ones
        TEST_XF(79, D, fcvt.wu.d, rtz, 0xffffffffffffffff, 0, 0x41efffffffe00000)

/* Out of range, infinities and NaN: clipped, NV, no NX */
        // fcvt.w qNaN: largest positive, NV
        TEST_XF(80, D, fcvt.w.d, rtz, 0x000000007fffffff, NV, 0x7ff8000000000000)
        // fcvt.w -qNaN: largest positive too, NV
        TEST_XF(81, D, fcvt.w.d, rtz, 0x000000007fffffff, NV, 0xfff8000000005432)
        // fcvt.w sNaN: largest positive, NV
        TEST_XF(82, D, fcvt.w.d, rtz, 0x000000007fffffff, NV, 0x7ff0000000000001)
        // fcvt.w inf: largest, NV
        TEST_XF(83, D, fcvt.w.d, rtz, 0x000000007fffffff, NV, 0x7ff0000000000000)
        // fcvt.w -inf: smallest, NV
        TEST_XF(84, D, fcvt.w.d, rtz, 0xffffffff80000000, NV, 0xfff0000000000000)
        // fcvt.w max: largest, NV
        TEST_XF(85, D, fcvt.w.d, rtz, 0x000000007fffffff, NV, 0x7fefffffffffffff)
        // fcvt.w -max: smallest, NV
        TEST_XF(86, D, fcvt.w.d, rtz, 0xffffffff80000000, NV, 0xffefffffffffffff)
        // fcvt.wu qNaN: largest positive, NV
        TEST_XF(87, D, fcvt.wu.d, rtz, 0xffffffffffffffff, NV, 0x7ff8000000000000)
        // fcvt.wu -qNaN: largest positive too, NV
        TEST_XF(88, D, fcvt.wu.d, rtz, 0xffffffffffffffff, NV, 0xfff8000000005432)
        // fcvt.wu sNaN: largest positive, NV
        TEST_XF(89, D, fcvt.wu.d, rtz, 0xffffffffffffffff, NV, 0x7ff0000000000001)
        // fcvt.wu inf: largest, NV
        TEST_XF(90, D, fcvt.wu.d, rtz, 0xffffffffffffffff, NV, 0x7ff0000000000000)
        // fcvt.wu -inf: smallest, NV
        TEST_XF(91, D, fcvt.wu.d, rtz, 0x0000000000000000, NV, 0xfff0000000000000)
        // fcvt.wu max: largest, NV
        TEST_XF(92, D, fcvt.wu.d, rtz, 0xffffffffffffffff, NV, 0x7fefffffffffffff)
        // fcvt.wu -max: smallest, NV
        TEST_XF(93, D, fcvt.wu.d, rtz, 0x0000000000000000, NV, 0xffefffffffffffff)
        // fcvt.l qNaN: largest positive, NV
        TEST_XF(94, D, fcvt.l.d, rtz, 0x7fffffffffffffff, NV, 0x7ff8000000000000)
        // fcvt.l -qNaN: largest positive too, NV
        TEST_XF(95, D, fcvt.l.d, rtz, 0x7fffffffffffffff, NV, 0xfff8000000005432)
        // fcvt.l sNaN: largest positive, NV
        TEST_XF(96, D, fcvt.l.d, rtz, 0x7fffffffffffffff, NV, 0x7ff0000000000001)
        // fcvt.l inf: largest, NV
        TEST_XF(97, D, fcvt.l.d, rtz, 0x7fffffffffffffff, NV, 0x7ff0000000000000)
        // fcvt.l -inf: smallest, NV
        TEST_XF(98, D, fcvt.l.d, rtz, 0x8000000000000000, NV, 0xfff0000000000000)
        // fcvt.l max: largest, NV
        TEST_XF(99, D, fcvt.l.d, rtz, 0x7fffffffffffffff, NV, 0x7fefffffffffffff)
        // fcvt.l -max: smallest, NV
        TEST_XF(100, D, fcvt.l.d, rtz, 0x8000000000000000, NV, 0xffefffffffffffff)
        // fcvt.lu qNaN: largest positive, NV
        TEST_XF(101, D, fcvt.lu.d, rtz, 0xffffffffffffffff, NV, 0x7ff8000000000000)
        // fcvt.lu -qNaN: largest positive too, NV
        TEST_XF(102, D, fcvt.lu.d, rtz, 0xffffffffffffffff, NV, 0xfff8000000005432)
        // fcvt.lu sNaN: largest positive, NV
        TEST_XF(103, D, fcvt.lu.d, rtz, 0xffffffffffffffff, NV, 0x7ff0000000000001)
        // fcvt.lu inf: largest, NV
        TEST_XF(104, D, fcvt.lu.d, rtz, 0xffffffffffffffff, NV, 0x7ff0000000000000)
        // fcvt.lu -inf: smallest, NV
        TEST_XF(105, D, fcvt.lu.d, rtz, 0x0000000000000000, NV, 0xfff0000000000000)
        // fcvt.lu max: largest, NV
        TEST_XF(106, D, fcvt.lu.d, rtz, 0xffffffffffffffff, NV, 0x7fefffffffffffff)
        // fcvt.lu -max: smallest, NV
        TEST_XF(107, D, fcvt.lu.d, rtz, 0x0000000000000000, NV, 0xffefffffffffffff)
        // fcvt.w 2^31: NV, 0x7fffffff
        TEST_XF(108, D, fcvt.w.d, rtz, 0x000000007fffffff, NV, 0x41e0000000000000)
        // fcvt.w just below -2^31: NV, -2^31
        TEST_XF(109, D, fcvt.w.d, rtz, 0xffffffff80000000, NV, 0xc1e0000000200000)
        // fcvt.wu 2^32: NV, all ones
        TEST_XF(110, D, fcvt.wu.d, rtz, 0xffffffffffffffff, NV, 0x41f0000000000000)
        // fcvt.l 2^63: NV, 0x7fffffffffffffff
        TEST_XF(111, D, fcvt.l.d, rtz, 0x7fffffffffffffff, NV, 0x43e0000000000000)
        // fcvt.l -2^64: NV, -2^63
        TEST_XF(112, D, fcvt.l.d, rtz, 0x8000000000000000, NV, 0xc3f0000000000000)
        // fcvt.lu 2^64: NV, all ones
        TEST_XF(113, D, fcvt.lu.d, rtz, 0xffffffffffffffff, NV, 0x43f0000000000000)

/* Negative values to unsigned: 0 with NV, unless the value rounds to 0 (then NX only) */
        // fcvt.wu -1: NV, 0
        TEST_XF(114, D, fcvt.wu.d, rtz, 0x0000000000000000, NV, 0xbff0000000000000)
        // fcvt.lu -1: NV, 0
        TEST_XF(115, D, fcvt.lu.d, rtz, 0x0000000000000000, NV, 0xbff0000000000000)
        // fcvt.wu -0.4 RTZ: rounds to 0, NX only
        TEST_XF(116, D, fcvt.wu.d, rtz, 0x0000000000000000, NX, 0xbfd999999999999a)
        // fcvt.wu -0.4 RUP: 0, NX only
        TEST_XF(117, D, fcvt.wu.d, rup, 0x0000000000000000, NX, 0xbfd999999999999a)
        // fcvt.wu -0.4 RDN: rounds to -1, NV
        TEST_XF(118, D, fcvt.wu.d, rdn, 0x0000000000000000, NV, 0xbfd999999999999a)
        // fcvt.wu -0.5 RNE: tie to even 0, NX only
        TEST_XF(119, D, fcvt.wu.d, rne, 0x0000000000000000, NX, 0xbfe0000000000000)
        // fcvt.wu -0.5 RMM: -1, NV
        TEST_XF(120, D, fcvt.wu.d, rmm, 0x0000000000000000, NV, 0xbfe0000000000000)
        // fcvt.lu -0.75 RNE: -1, NV
        TEST_XF(121, D, fcvt.lu.d, rne, 0x0000000000000000, NV, 0xbfe8000000000000)
        // fcvt.lu -0.75 RTZ: 0, NX only
        TEST_XF(122, D, fcvt.lu.d, rtz, 0x0000000000000000, NX, 0xbfe8000000000000)
        // fcvt.lu -minsub RDN: -1, NV
        TEST_XF(123, D, fcvt.lu.d, rdn, 0x0000000000000000, NV, 0x8000000000000001)
        // fcvt.lu -minsub RUP: 0, NX
        TEST_XF(124, D, fcvt.lu.d, rup, 0x0000000000000000, NX, 0x8000000000000001)

/* Rounding decides the range check (double can hold fractions near the 32-bit bounds) */
        // fcvt.w 2147483647.5 RTZ: 2147483647, NX
        TEST_XF(125, D, fcvt.w.d, rtz, 0x000000007fffffff, NX, 0x41dfffffffe00000)
        // fcvt.w 2147483647.5 RNE: rounds to 2^31, NV, 0x7fffffff
        TEST_XF(126, D, fcvt.w.d, rne, 0x000000007fffffff, NV, 0x41dfffffffe00000)
        // fcvt.w -2147483648.5 RNE: tie to even -2^31, NX
        TEST_XF(127, D, fcvt.w.d, rne, 0xffffffff80000000, NX, 0xc1e0000000100000)
        // fcvt.w -2147483648.5 RMM: -2147483649, NV, -2^31
        TEST_XF(128, D, fcvt.w.d, rmm, 0xffffffff80000000, NV, 0xc1e0000000100000)
        // fcvt.w -2147483648.25 RDN: NV
        TEST_XF(129, D, fcvt.w.d, rdn, 0xffffffff80000000, NV, 0xc1e0000000080000)
        // fcvt.w -2147483648.75 RUP: -2^31, NX
        TEST_XF(130, D, fcvt.w.d, rup, 0xffffffff80000000, NX, 0xc1e0000000180000)
        // fcvt.wu 4294967295.5 RNE: 2^32, NV
        TEST_XF(131, D, fcvt.wu.d, rne, 0xffffffffffffffff, NV, 0x41effffffff00000)
        // fcvt.wu 4294967295.5 RTZ: 0xffffffff, NX
        TEST_XF(132, D, fcvt.wu.d, rtz, 0xffffffffffffffff, NX, 0x41effffffff00000)
        // fcvt.wu 4294967295.5 RDN: 0xffffffff, NX
        TEST_XF(133, D, fcvt.wu.d, rdn, 0xffffffffffffffff, NX, 0x41effffffff00000)
        // fcvt.wu 4294967295.5 RUP: NV
        TEST_XF(134, D, fcvt.wu.d, rup, 0xffffffffffffffff, NV, 0x41effffffff00000)

        fsrmi 0
        j pass
TEST_END
