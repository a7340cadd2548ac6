/* Conversions between single and double precision (D extension): fcvt.s.d under every static and
   dynamic rounding mode, fcvt.d.s.
   Expected values were derived with exact rational arithmetic (python3 fractions) rounded by hand
   following IEEE 754-2019 section 4.3 and the RISC-V F/D chapters (tininess after rounding, canonical
   NaN results, NV for invalid operations); each comment says why a case gives its result.
   u is the ulp of 1.0 (2^-23 in single, 2^-52 in double); minsub/maxsub/minnorm/max are the
   smallest/largest subnormal, the smallest normal and the largest finite value of the format.
   fcvt.s.d rounds in the given mode, with overflow and underflow as for arithmetic (tininess after
   rounding); NaNs become the single canonical NaN 0x7fc00000 (NV for a signaling NaN). fcvt.d.s is
   always exact; NaNs become the double canonical NaN 0x7ff8000000000000. */
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
#define LOAD_D(fr, v) li t0, v; fmv.d.x fr, t0
/* A single result is checked on all 64 bits of the f register: it must be NaN-boxed. */
#define CHECK_S(fr, v) fmv.x.d a0, fr; li t6, 0xffffffff00000000 | (v); bne a0, t6, fail
#define CHECK_D(fr, v) fmv.x.d a0, fr; li t6, v; bne a0, t6, fail
/* fa2 = inst(fa0) with rounding mode rm; fd/fs are the result/operand formats. */
#define TEST_F1(n, fd, fs, inst, rm, res, fl, a) TEST_CASE(n); LOAD_##fs(fa0, a); fsflags zero; inst fa2, fa0, rm; CHECK_FLAGS(fl); CHECK_##fd(fa2, res)
/* fa2 = inst(fa0), an instruction without a rounding mode. */
#define TEST_F1N(n, fd, fs, inst, res, fl, a) TEST_CASE(n); LOAD_##fs(fa0, a); fsflags zero; inst fa2, fa0; CHECK_FLAGS(fl); CHECK_##fd(fa2, res)

TEST_BEGIN

/* 1 + 2^-24: half an ulp of single, RNE 1 (even), RMM and RUP 1 + 2^-23 */
        TEST_F1(1, S, D, fcvt.s.d, rne, 0x3f800000, NX, 0x3ff0000010000000)
        TEST_F1(2, S, D, fcvt.s.d, rtz, 0x3f800000, NX, 0x3ff0000010000000)
        TEST_F1(3, S, D, fcvt.s.d, rdn, 0x3f800000, NX, 0x3ff0000010000000)
        TEST_F1(4, S, D, fcvt.s.d, rup, 0x3f800001, NX, 0x3ff0000010000000)
        TEST_F1(5, S, D, fcvt.s.d, rmm, 0x3f800001, NX, 0x3ff0000010000000)
        fsrmi 0  /* frm = RNE */
        TEST_F1(6, S, D, fcvt.s.d, dyn, 0x3f800000, NX, 0x3ff0000010000000)
        fsrmi 1  /* frm = RTZ */
        TEST_F1(7, S, D, fcvt.s.d, dyn, 0x3f800000, NX, 0x3ff0000010000000)
        fsrmi 2  /* frm = RDN */
        TEST_F1(8, S, D, fcvt.s.d, dyn, 0x3f800000, NX, 0x3ff0000010000000)
        fsrmi 3  /* frm = RUP */
        TEST_F1(9, S, D, fcvt.s.d, dyn, 0x3f800001, NX, 0x3ff0000010000000)
        fsrmi 4  /* frm = RMM */
        TEST_F1(10, S, D, fcvt.s.d, dyn, 0x3f800001, NX, 0x3ff0000010000000)

/* -(1 + 2^-23 + 2^-24): tie with odd neighbour, RNE RMM RDN -(1 + 2^-22) */
        TEST_F1(11, S, D, fcvt.s.d, rne, 0xbf800002, NX, 0xbff0000030000000)
        TEST_F1(12, S, D, fcvt.s.d, rtz, 0xbf800001, NX, 0xbff0000030000000)
        TEST_F1(13, S, D, fcvt.s.d, rdn, 0xbf800002, NX, 0xbff0000030000000)
        TEST_F1(14, S, D, fcvt.s.d, rup, 0xbf800001, NX, 0xbff0000030000000)
        TEST_F1(15, S, D, fcvt.s.d, rmm, 0xbf800002, NX, 0xbff0000030000000)
        fsrmi 0  /* frm = RNE */
        TEST_F1(16, S, D, fcvt.s.d, dyn, 0xbf800002, NX, 0xbff0000030000000)
        fsrmi 1  /* frm = RTZ */
        TEST_F1(17, S, D, fcvt.s.d, dyn, 0xbf800001, NX, 0xbff0000030000000)
        fsrmi 2  /* frm = RDN */
        TEST_F1(18, S, D, fcvt.s.d, dyn, 0xbf800002, NX, 0xbff0000030000000)
        fsrmi 3  /* frm = RUP */
        TEST_F1(19, S, D, fcvt.s.d, dyn, 0xbf800001, NX, 0xbff0000030000000)
        fsrmi 4  /* frm = RMM */
        TEST_F1(20, S, D, fcvt.s.d, dyn, 0xbf800002, NX, 0xbff0000030000000)

/* double 1/3 (0x3fd5555555555555): 0x3eaaaaaa + 0.667 ulp */
        TEST_F1(21, S, D, fcvt.s.d, rne, 0x3eaaaaab, NX, 0x3fd5555555555555)
        TEST_F1(22, S, D, fcvt.s.d, rtz, 0x3eaaaaaa, NX, 0x3fd5555555555555)
        TEST_F1(23, S, D, fcvt.s.d, rdn, 0x3eaaaaaa, NX, 0x3fd5555555555555)
        TEST_F1(24, S, D, fcvt.s.d, rup, 0x3eaaaaab, NX, 0x3fd5555555555555)
        TEST_F1(25, S, D, fcvt.s.d, rmm, 0x3eaaaaab, NX, 0x3fd5555555555555)
        fsrmi 0  /* frm = RNE */
        TEST_F1(26, S, D, fcvt.s.d, dyn, 0x3eaaaaab, NX, 0x3fd5555555555555)
        fsrmi 1  /* frm = RTZ */
        TEST_F1(27, S, D, fcvt.s.d, dyn, 0x3eaaaaaa, NX, 0x3fd5555555555555)
        fsrmi 2  /* frm = RDN */
        TEST_F1(28, S, D, fcvt.s.d, dyn, 0x3eaaaaaa, NX, 0x3fd5555555555555)
        fsrmi 3  /* frm = RUP */
        TEST_F1(29, S, D, fcvt.s.d, dyn, 0x3eaaaaab, NX, 0x3fd5555555555555)
        fsrmi 4  /* frm = RMM */
        TEST_F1(30, S, D, fcvt.s.d, dyn, 0x3eaaaaab, NX, 0x3fd5555555555555)

/* double -2/3: 0xbf2aaaaa - 0.667 ulp */
        TEST_F1(31, S, D, fcvt.s.d, rne, 0xbf2aaaab, NX, 0xbfe5555555555555)
        TEST_F1(32, S, D, fcvt.s.d, rtz, 0xbf2aaaaa, NX, 0xbfe5555555555555)
        TEST_F1(33, S, D, fcvt.s.d, rdn, 0xbf2aaaab, NX, 0xbfe5555555555555)
        TEST_F1(34, S, D, fcvt.s.d, rup, 0xbf2aaaaa, NX, 0xbfe5555555555555)
        TEST_F1(35, S, D, fcvt.s.d, rmm, 0xbf2aaaab, NX, 0xbfe5555555555555)

/* max_s + 2^103 (half an ulp of max_s): RNE RMM RUP inf with OF|NX, RTZ RDN max_s with NX only */
        TEST_F1(36, S, D, fcvt.s.d, rne, 0x7f800000, OF|NX, 0x47effffff0000000)
        TEST_F1(37, S, D, fcvt.s.d, rtz, 0x7f7fffff, NX, 0x47effffff0000000)
        TEST_F1(38, S, D, fcvt.s.d, rdn, 0x7f7fffff, NX, 0x47effffff0000000)
        TEST_F1(39, S, D, fcvt.s.d, rup, 0x7f800000, OF|NX, 0x47effffff0000000)
        TEST_F1(40, S, D, fcvt.s.d, rmm, 0x7f800000, OF|NX, 0x47effffff0000000)
        fsrmi 0  /* frm = RNE */
        TEST_F1(41, S, D, fcvt.s.d, dyn, 0x7f800000, OF|NX, 0x47effffff0000000)
        fsrmi 1  /* frm = RTZ */
        TEST_F1(42, S, D, fcvt.s.d, dyn, 0x7f7fffff, NX, 0x47effffff0000000)
        fsrmi 2  /* frm = RDN */
        TEST_F1(43, S, D, fcvt.s.d, dyn, 0x7f7fffff, NX, 0x47effffff0000000)
        fsrmi 3  /* frm = RUP */
        TEST_F1(44, S, D, fcvt.s.d, dyn, 0x7f800000, OF|NX, 0x47effffff0000000)
        fsrmi 4  /* frm = RMM */
        TEST_F1(45, S, D, fcvt.s.d, dyn, 0x7f800000, OF|NX, 0x47effffff0000000)

/* -1e300: OF|NX in every mode; RTZ and RUP give -max_s */
        TEST_F1(46, S, D, fcvt.s.d, rne, 0xff800000, OF|NX, 0xfe37e43c8800759c)
        TEST_F1(47, S, D, fcvt.s.d, rtz, 0xff7fffff, OF|NX, 0xfe37e43c8800759c)
        TEST_F1(48, S, D, fcvt.s.d, rdn, 0xff800000, OF|NX, 0xfe37e43c8800759c)
        TEST_F1(49, S, D, fcvt.s.d, rup, 0xff7fffff, OF|NX, 0xfe37e43c8800759c)
        TEST_F1(50, S, D, fcvt.s.d, rmm, 0xff800000, OF|NX, 0xfe37e43c8800759c)
        fsrmi 0  /* frm = RNE */
        TEST_F1(51, S, D, fcvt.s.d, dyn, 0xff800000, OF|NX, 0xfe37e43c8800759c)
        fsrmi 1  /* frm = RTZ */
        TEST_F1(52, S, D, fcvt.s.d, dyn, 0xff7fffff, OF|NX, 0xfe37e43c8800759c)
        fsrmi 2  /* frm = RDN */
        TEST_F1(53, S, D, fcvt.s.d, dyn, 0xff800000, OF|NX, 0xfe37e43c8800759c)
        fsrmi 3  /* frm = RUP */
        TEST_F1(54, S, D, fcvt.s.d, dyn, 0xff7fffff, OF|NX, 0xfe37e43c8800759c)
        fsrmi 4  /* frm = RMM */
        TEST_F1(55, S, D, fcvt.s.d, dyn, 0xff800000, OF|NX, 0xfe37e43c8800759c)

/* 2^128: OF|NX; RTZ RDN max_s */
        TEST_F1(56, S, D, fcvt.s.d, rne, 0x7f800000, OF|NX, 0x47f0000000000000)
        TEST_F1(57, S, D, fcvt.s.d, rtz, 0x7f7fffff, OF|NX, 0x47f0000000000000)
        TEST_F1(58, S, D, fcvt.s.d, rdn, 0x7f7fffff, OF|NX, 0x47f0000000000000)
        TEST_F1(59, S, D, fcvt.s.d, rup, 0x7f800000, OF|NX, 0x47f0000000000000)
        TEST_F1(60, S, D, fcvt.s.d, rmm, 0x7f800000, OF|NX, 0x47f0000000000000)

/* 2^-126 * (1 - 2^-25), half way below minnorm_s in an unbounded exponent: RNE RUP RMM round to
   minnorm_s (not tiny, NX only), RTZ RDN to maxsub_s (UF|NX) */
        TEST_F1(61, S, D, fcvt.s.d, rne, 0x00800000, NX, 0x380ffffff0000000)
        TEST_F1(62, S, D, fcvt.s.d, rtz, 0x007fffff, UF|NX, 0x380ffffff0000000)
        TEST_F1(63, S, D, fcvt.s.d, rdn, 0x007fffff, UF|NX, 0x380ffffff0000000)
        TEST_F1(64, S, D, fcvt.s.d, rup, 0x00800000, NX, 0x380ffffff0000000)
        TEST_F1(65, S, D, fcvt.s.d, rmm, 0x00800000, NX, 0x380ffffff0000000)
        fsrmi 0  /* frm = RNE */
        TEST_F1(66, S, D, fcvt.s.d, dyn, 0x00800000, NX, 0x380ffffff0000000)
        fsrmi 1  /* frm = RTZ */
        TEST_F1(67, S, D, fcvt.s.d, dyn, 0x007fffff, UF|NX, 0x380ffffff0000000)
        fsrmi 2  /* frm = RDN */
        TEST_F1(68, S, D, fcvt.s.d, dyn, 0x007fffff, UF|NX, 0x380ffffff0000000)
        fsrmi 3  /* frm = RUP */
        TEST_F1(69, S, D, fcvt.s.d, dyn, 0x00800000, NX, 0x380ffffff0000000)
        fsrmi 4  /* frm = RMM */
        TEST_F1(70, S, D, fcvt.s.d, dyn, 0x00800000, NX, 0x380ffffff0000000)

/* 2^-126 - 0.75 * 2^-150: tiny after rounding with an unbounded exponent, but rounds to minnorm_s in
   RNE and RMM: minnorm_s with UF|NX; RUP minnorm_s NX only; RTZ RDN maxsub_s UF|NX */
        TEST_F1(71, S, D, fcvt.s.d, rne, 0x00800000, UF|NX, 0x380fffffe8000000)
        TEST_F1(72, S, D, fcvt.s.d, rtz, 0x007fffff, UF|NX, 0x380fffffe8000000)
        TEST_F1(73, S, D, fcvt.s.d, rdn, 0x007fffff, UF|NX, 0x380fffffe8000000)
        TEST_F1(74, S, D, fcvt.s.d, rup, 0x00800000, NX, 0x380fffffe8000000)
        TEST_F1(75, S, D, fcvt.s.d, rmm, 0x00800000, UF|NX, 0x380fffffe8000000)
        fsrmi 0  /* frm = RNE */
        TEST_F1(76, S, D, fcvt.s.d, dyn, 0x00800000, UF|NX, 0x380fffffe8000000)
        fsrmi 1  /* frm = RTZ */
        TEST_F1(77, S, D, fcvt.s.d, dyn, 0x007fffff, UF|NX, 0x380fffffe8000000)
        fsrmi 2  /* frm = RDN */
        TEST_F1(78, S, D, fcvt.s.d, dyn, 0x007fffff, UF|NX, 0x380fffffe8000000)
        fsrmi 3  /* frm = RUP */
        TEST_F1(79, S, D, fcvt.s.d, dyn, 0x00800000, NX, 0x380fffffe8000000)
        fsrmi 4  /* frm = RMM */
        TEST_F1(80, S, D, fcvt.s.d, dyn, 0x00800000, UF|NX, 0x380fffffe8000000)

/* -2^-150 (half of minsub_s): RNE -0, RMM RDN -minsub_s; UF|NX */
        TEST_F1(81, S, D, fcvt.s.d, rne, 0x80000000, UF|NX, 0xb690000000000000)
        TEST_F1(82, S, D, fcvt.s.d, rtz, 0x80000000, UF|NX, 0xb690000000000000)
        TEST_F1(83, S, D, fcvt.s.d, rdn, 0x80000001, UF|NX, 0xb690000000000000)
        TEST_F1(84, S, D, fcvt.s.d, rup, 0x80000000, UF|NX, 0xb690000000000000)
        TEST_F1(85, S, D, fcvt.s.d, rmm, 0x80000001, UF|NX, 0xb690000000000000)
        fsrmi 0  /* frm = RNE */
        TEST_F1(86, S, D, fcvt.s.d, dyn, 0x80000000, UF|NX, 0xb690000000000000)
        fsrmi 1  /* frm = RTZ */
        TEST_F1(87, S, D, fcvt.s.d, dyn, 0x80000000, UF|NX, 0xb690000000000000)
        fsrmi 2  /* frm = RDN */
        TEST_F1(88, S, D, fcvt.s.d, dyn, 0x80000001, UF|NX, 0xb690000000000000)
        fsrmi 3  /* frm = RUP */
        TEST_F1(89, S, D, fcvt.s.d, dyn, 0x80000000, UF|NX, 0xb690000000000000)
        fsrmi 4  /* frm = RMM */
        TEST_F1(90, S, D, fcvt.s.d, dyn, 0x80000001, UF|NX, 0xb690000000000000)

/* 2^-150 + 2^-170: above the tie: RNE RMM RUP minsub_s */
        TEST_F1(91, S, D, fcvt.s.d, rne, 0x00000001, UF|NX, 0x3690000100000000)
        TEST_F1(92, S, D, fcvt.s.d, rtz, 0x00000000, UF|NX, 0x3690000100000000)
        TEST_F1(93, S, D, fcvt.s.d, rdn, 0x00000000, UF|NX, 0x3690000100000000)
        TEST_F1(94, S, D, fcvt.s.d, rup, 0x00000001, UF|NX, 0x3690000100000000)
        TEST_F1(95, S, D, fcvt.s.d, rmm, 0x00000001, UF|NX, 0x3690000100000000)

/* 2^-200: RUP minsub_s, the others +0; UF|NX */
        TEST_F1(96, S, D, fcvt.s.d, rne, 0x00000000, UF|NX, 0x3370000000000000)
        TEST_F1(97, S, D, fcvt.s.d, rtz, 0x00000000, UF|NX, 0x3370000000000000)
        TEST_F1(98, S, D, fcvt.s.d, rdn, 0x00000000, UF|NX, 0x3370000000000000)
        TEST_F1(99, S, D, fcvt.s.d, rup, 0x00000001, UF|NX, 0x3370000000000000)
        TEST_F1(100, S, D, fcvt.s.d, rmm, 0x00000000, UF|NX, 0x3370000000000000)

/* fcvt.s.d exact cases and special values */
        // 0.5, exact
        TEST_F1(101, S, D, fcvt.s.d, rne, 0x3f000000, 0, 0x3fe0000000000000)
        // -3, exact
        TEST_F1(102, S, D, fcvt.s.d, rne, 0xc0400000, 0, 0xc008000000000000)
        // 2^-149 = minsub_s, exact subnormal result: no UF
        TEST_F1(103, S, D, fcvt.s.d, rne, 0x00000001, 0, 0x36a0000000000000)
        // -3 * 2^-140, exact subnormal single
        TEST_F1(104, S, D, fcvt.s.d, rne, 0x80000600, 0, 0xb748000000000000)
        // max_s, exact
        TEST_F1(105, S, D, fcvt.s.d, rne, 0x7f7fffff, 0, 0x47efffffe0000000)
        // +0
        TEST_F1(106, S, D, fcvt.s.d, rne, 0x00000000, 0, 0x0000000000000000)
        // -0
        TEST_F1(107, S, D, fcvt.s.d, rne, 0x80000000, 0, 0x8000000000000000)
        // inf
        TEST_F1(108, S, D, fcvt.s.d, rne, 0x7f800000, 0, 0x7ff0000000000000)
        // -inf
        TEST_F1(109, S, D, fcvt.s.d, rne, 0xff800000, 0, 0xfff0000000000000)
        // minsub_d: +0, UF|NX
        TEST_F1(110, S, D, fcvt.s.d, rne, 0x00000000, UF|NX, 0x0000000000000001)
        // qNaN with payload: canonical 0x7fc00000, no flag
        TEST_F1(111, S, D, fcvt.s.d, rne, 0x7fc00000, 0, 0x7ff8000000012345)
        // negative qNaN, payload in the low bits: canonical NaN
        TEST_F1(112, S, D, fcvt.s.d, rne, 0x7fc00000, 0, 0xfff8000012345678)
        // sNaN: canonical NaN, NV
        TEST_F1(113, S, D, fcvt.s.d, rne, 0x7fc00000, NV, 0x7ff0000000000001)
        // sNaN whose payload would survive truncation to single: canonical NaN, NV
        TEST_F1(114, S, D, fcvt.s.d, rne, 0x7fc00000, NV, 0x7ff0000020000000)

/* fcvt.d.s: always exact */
        // 1.0
        TEST_F1N(115, D, S, fcvt.d.s, 0x3ff0000000000000, 0, 0x3f800000)
        // nearest single to -0.1, widened exactly
        TEST_F1N(116, D, S, fcvt.d.s, 0xbfb99999a0000000, 0, 0xbdcccccd)
        // minsub_s = 2^-149: a normal double
        TEST_F1N(117, D, S, fcvt.d.s, 0x36a0000000000000, 0, 0x00000001)
        // -maxsub_s: normal double
        TEST_F1N(118, D, S, fcvt.d.s, 0xb80fffffc0000000, 0, 0x807fffff)
        // max_s
        TEST_F1N(119, D, S, fcvt.d.s, 0x47efffffe0000000, 0, 0x7f7fffff)
        // +0
        TEST_F1N(120, D, S, fcvt.d.s, 0x0000000000000000, 0, 0x00000000)
        // -0
        TEST_F1N(121, D, S, fcvt.d.s, 0x8000000000000000, 0, 0x80000000)
        // -inf
        TEST_F1N(122, D, S, fcvt.d.s, 0xfff0000000000000, 0, 0xff800000)
        // qNaN with payload: canonical 0x7ff8000000000000, no flag
        TEST_F1N(123, D, S, fcvt.d.s, 0x7ff8000000000000, 0, 0x7fc12345)
        // negative qNaN: canonical NaN
        TEST_F1N(124, D, S, fcvt.d.s, 0x7ff8000000000000, 0, 0xffc05432)
        // sNaN: canonical NaN, NV
        TEST_F1N(125, D, S, fcvt.d.s, 0x7ff8000000000000, NV, 0x7f800001)

        fsrmi 0
        j pass
TEST_END
