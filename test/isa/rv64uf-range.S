/* Single-precision overflow and underflow (F extension): directed overflow to max-finite, tininess after
   rounding, subnormal results, under every static and dynamic rounding mode.
   Expected values were derived with exact rational arithmetic (python3 fractions) rounded by hand
   following IEEE 754-2019 section 4.3 and the RISC-V F/D chapters (tininess after rounding, canonical
   NaN results, NV for invalid operations); each comment says why a case gives its result.
   u is the ulp of 1.0 (2^-23 in single, 2^-52 in double); minsub/maxsub/minnorm/max are the
   smallest/largest subnormal, the smallest normal and the largest finite value of the format.
   Overflow: the exact result is rounded with an unbounded exponent first; only if that exceeds max is
   OF|NX raised, and then RTZ, and RDN/RUP toward the finite side, give +-max instead of infinity.
   Underflow: RISC-V detects tininess after rounding (the result rounded to the format's precision with
   an unbounded exponent is below minnorm); UF is raised only when the result is also inexact. */
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
/* fa2 = inst(fa0, fa1) with rounding mode rm; f is the format (S or D). */
#define TEST_FF(n, f, inst, rm, res, fl, a, b) TEST_CASE(n); LOAD_##f(fa0, a); LOAD_##f(fa1, b); fsflags zero; inst fa2, fa0, fa1, rm; CHECK_FLAGS(fl); CHECK_##f(fa2, res)

TEST_BEGIN

/* fmul max * 2: OF|NX in every mode; RTZ and RDN give max, RNE RUP RMM inf */
        TEST_FF(1, S, fmul.s, rne, 0x7f800000, OF|NX, 0x7f7fffff, 0x40000000)
        TEST_FF(2, S, fmul.s, rtz, 0x7f7fffff, OF|NX, 0x7f7fffff, 0x40000000)
        TEST_FF(3, S, fmul.s, rdn, 0x7f7fffff, OF|NX, 0x7f7fffff, 0x40000000)
        TEST_FF(4, S, fmul.s, rup, 0x7f800000, OF|NX, 0x7f7fffff, 0x40000000)
        TEST_FF(5, S, fmul.s, rmm, 0x7f800000, OF|NX, 0x7f7fffff, 0x40000000)
        fsrmi 0  /* frm = RNE */
        TEST_FF(6, S, fmul.s, dyn, 0x7f800000, OF|NX, 0x7f7fffff, 0x40000000)
        fsrmi 1  /* frm = RTZ */
        TEST_FF(7, S, fmul.s, dyn, 0x7f7fffff, OF|NX, 0x7f7fffff, 0x40000000)
        fsrmi 2  /* frm = RDN */
        TEST_FF(8, S, fmul.s, dyn, 0x7f7fffff, OF|NX, 0x7f7fffff, 0x40000000)
        fsrmi 3  /* frm = RUP */
        TEST_FF(9, S, fmul.s, dyn, 0x7f800000, OF|NX, 0x7f7fffff, 0x40000000)
        fsrmi 4  /* frm = RMM */
        TEST_FF(10, S, fmul.s, dyn, 0x7f800000, OF|NX, 0x7f7fffff, 0x40000000)

/* fmul -max * 2: OF|NX; RTZ and RUP give -max, RNE RDN RMM -inf */
        TEST_FF(11, S, fmul.s, rne, 0xff800000, OF|NX, 0xff7fffff, 0x40000000)
        TEST_FF(12, S, fmul.s, rtz, 0xff7fffff, OF|NX, 0xff7fffff, 0x40000000)
        TEST_FF(13, S, fmul.s, rdn, 0xff800000, OF|NX, 0xff7fffff, 0x40000000)
        TEST_FF(14, S, fmul.s, rup, 0xff7fffff, OF|NX, 0xff7fffff, 0x40000000)
        TEST_FF(15, S, fmul.s, rmm, 0xff800000, OF|NX, 0xff7fffff, 0x40000000)
        fsrmi 0  /* frm = RNE */
        TEST_FF(16, S, fmul.s, dyn, 0xff800000, OF|NX, 0xff7fffff, 0x40000000)
        fsrmi 1  /* frm = RTZ */
        TEST_FF(17, S, fmul.s, dyn, 0xff7fffff, OF|NX, 0xff7fffff, 0x40000000)
        fsrmi 2  /* frm = RDN */
        TEST_FF(18, S, fmul.s, dyn, 0xff800000, OF|NX, 0xff7fffff, 0x40000000)
        fsrmi 3  /* frm = RUP */
        TEST_FF(19, S, fmul.s, dyn, 0xff7fffff, OF|NX, 0xff7fffff, 0x40000000)
        fsrmi 4  /* frm = RMM */
        TEST_FF(20, S, fmul.s, dyn, 0xff800000, OF|NX, 0xff7fffff, 0x40000000)

/* fadd max + 2^103 (half an ulp of max): a tie; RNE (max is odd) RUP RMM round to 2^128: inf, OF|NX;
   RTZ and RDN round to max, which is in range: NX only */
        TEST_FF(21, S, fadd.s, rne, 0x7f800000, OF|NX, 0x7f7fffff, 0x73000000)
        TEST_FF(22, S, fadd.s, rtz, 0x7f7fffff, NX, 0x7f7fffff, 0x73000000)
        TEST_FF(23, S, fadd.s, rdn, 0x7f7fffff, NX, 0x7f7fffff, 0x73000000)
        TEST_FF(24, S, fadd.s, rup, 0x7f800000, OF|NX, 0x7f7fffff, 0x73000000)
        TEST_FF(25, S, fadd.s, rmm, 0x7f800000, OF|NX, 0x7f7fffff, 0x73000000)
        fsrmi 0  /* frm = RNE */
        TEST_FF(26, S, fadd.s, dyn, 0x7f800000, OF|NX, 0x7f7fffff, 0x73000000)
        fsrmi 1  /* frm = RTZ */
        TEST_FF(27, S, fadd.s, dyn, 0x7f7fffff, NX, 0x7f7fffff, 0x73000000)
        fsrmi 2  /* frm = RDN */
        TEST_FF(28, S, fadd.s, dyn, 0x7f7fffff, NX, 0x7f7fffff, 0x73000000)
        fsrmi 3  /* frm = RUP */
        TEST_FF(29, S, fadd.s, dyn, 0x7f800000, OF|NX, 0x7f7fffff, 0x73000000)
        fsrmi 4  /* frm = RMM */
        TEST_FF(30, S, fadd.s, dyn, 0x7f800000, OF|NX, 0x7f7fffff, 0x73000000)

/* fsub -max - 2^103: the mirror image, RTZ and RUP give -max with NX only */
        TEST_FF(31, S, fsub.s, rne, 0xff800000, OF|NX, 0xff7fffff, 0x73000000)
        TEST_FF(32, S, fsub.s, rtz, 0xff7fffff, NX, 0xff7fffff, 0x73000000)
        TEST_FF(33, S, fsub.s, rdn, 0xff800000, OF|NX, 0xff7fffff, 0x73000000)
        TEST_FF(34, S, fsub.s, rup, 0xff7fffff, NX, 0xff7fffff, 0x73000000)
        TEST_FF(35, S, fsub.s, rmm, 0xff800000, OF|NX, 0xff7fffff, 0x73000000)

/* fadd max + 2^102 (quarter ulp): only RUP overflows */
        TEST_FF(36, S, fadd.s, rne, 0x7f7fffff, NX, 0x7f7fffff, 0x72800000)
        TEST_FF(37, S, fadd.s, rtz, 0x7f7fffff, NX, 0x7f7fffff, 0x72800000)
        TEST_FF(38, S, fadd.s, rdn, 0x7f7fffff, NX, 0x7f7fffff, 0x72800000)
        TEST_FF(39, S, fadd.s, rup, 0x7f800000, OF|NX, 0x7f7fffff, 0x72800000)
        TEST_FF(40, S, fadd.s, rmm, 0x7f7fffff, NX, 0x7f7fffff, 0x72800000)

/* fdiv -max / 2^-4: far overflow, RTZ and RUP give -max */
        TEST_FF(41, S, fdiv.s, rne, 0xff800000, OF|NX, 0xff7fffff, 0x3d800000)
        TEST_FF(42, S, fdiv.s, rtz, 0xff7fffff, OF|NX, 0xff7fffff, 0x3d800000)
        TEST_FF(43, S, fdiv.s, rdn, 0xff800000, OF|NX, 0xff7fffff, 0x3d800000)
        TEST_FF(44, S, fdiv.s, rup, 0xff7fffff, OF|NX, 0xff7fffff, 0x3d800000)
        TEST_FF(45, S, fdiv.s, rmm, 0xff800000, OF|NX, 0xff7fffff, 0x3d800000)

/* fmul minnorm * 0.5: exact subnormal result, no UF in any mode */
        TEST_FF(46, S, fmul.s, rne, 0x00400000, 0, 0x00800000, 0x3f000000)
        TEST_FF(47, S, fmul.s, rtz, 0x00400000, 0, 0x00800000, 0x3f000000)
        TEST_FF(48, S, fmul.s, rdn, 0x00400000, 0, 0x00800000, 0x3f000000)
        TEST_FF(49, S, fmul.s, rup, 0x00400000, 0, 0x00800000, 0x3f000000)
        TEST_FF(50, S, fmul.s, rmm, 0x00400000, 0, 0x00800000, 0x3f000000)

/* fmul minsub * 0.5: tie between 0 and minsub; RNE 0 (even), RMM and RUP minsub; UF|NX */
        TEST_FF(51, S, fmul.s, rne, 0x00000000, UF|NX, 0x00000001, 0x3f000000)
        TEST_FF(52, S, fmul.s, rtz, 0x00000000, UF|NX, 0x00000001, 0x3f000000)
        TEST_FF(53, S, fmul.s, rdn, 0x00000000, UF|NX, 0x00000001, 0x3f000000)
        TEST_FF(54, S, fmul.s, rup, 0x00000001, UF|NX, 0x00000001, 0x3f000000)
        TEST_FF(55, S, fmul.s, rmm, 0x00000001, UF|NX, 0x00000001, 0x3f000000)
        fsrmi 0  /* frm = RNE */
        TEST_FF(56, S, fmul.s, dyn, 0x00000000, UF|NX, 0x00000001, 0x3f000000)
        fsrmi 1  /* frm = RTZ */
        TEST_FF(57, S, fmul.s, dyn, 0x00000000, UF|NX, 0x00000001, 0x3f000000)
        fsrmi 2  /* frm = RDN */
        TEST_FF(58, S, fmul.s, dyn, 0x00000000, UF|NX, 0x00000001, 0x3f000000)
        fsrmi 3  /* frm = RUP */
        TEST_FF(59, S, fmul.s, dyn, 0x00000001, UF|NX, 0x00000001, 0x3f000000)
        fsrmi 4  /* frm = RMM */
        TEST_FF(60, S, fmul.s, dyn, 0x00000001, UF|NX, 0x00000001, 0x3f000000)

/* fmul -minsub * 0.5: RNE -0, RDN and RMM -minsub, RTZ and RUP -0; UF|NX */
        TEST_FF(61, S, fmul.s, rne, 0x80000000, UF|NX, 0x80000001, 0x3f000000)
        TEST_FF(62, S, fmul.s, rtz, 0x80000000, UF|NX, 0x80000001, 0x3f000000)
        TEST_FF(63, S, fmul.s, rdn, 0x80000001, UF|NX, 0x80000001, 0x3f000000)
        TEST_FF(64, S, fmul.s, rup, 0x80000000, UF|NX, 0x80000001, 0x3f000000)
        TEST_FF(65, S, fmul.s, rmm, 0x80000001, UF|NX, 0x80000001, 0x3f000000)

/* fmul minsub * 0.75: above the tie; RNE RMM RUP minsub, RTZ RDN +0 */
        TEST_FF(66, S, fmul.s, rne, 0x00000001, UF|NX, 0x00000001, 0x3f400000)
        TEST_FF(67, S, fmul.s, rtz, 0x00000000, UF|NX, 0x00000001, 0x3f400000)
        TEST_FF(68, S, fmul.s, rdn, 0x00000000, UF|NX, 0x00000001, 0x3f400000)
        TEST_FF(69, S, fmul.s, rup, 0x00000001, UF|NX, 0x00000001, 0x3f400000)
        TEST_FF(70, S, fmul.s, rmm, 0x00000001, UF|NX, 0x00000001, 0x3f400000)

/* fmul 3 minsub * 0.5 = 1.5 minsub: tie, RNE to even 2 minsub, RMM 2 minsub, RTZ minsub */
        TEST_FF(71, S, fmul.s, rne, 0x00000002, UF|NX, 0x00000003, 0x3f000000)
        TEST_FF(72, S, fmul.s, rtz, 0x00000001, UF|NX, 0x00000003, 0x3f000000)
        TEST_FF(73, S, fmul.s, rdn, 0x00000001, UF|NX, 0x00000003, 0x3f000000)
        TEST_FF(74, S, fmul.s, rup, 0x00000002, UF|NX, 0x00000003, 0x3f000000)
        TEST_FF(75, S, fmul.s, rmm, 0x00000002, UF|NX, 0x00000003, 0x3f000000)

/* Tininess after rounding. fmul 18631*2^-76 * 1801*2^-75 = (2^25 - 1) * 2^-151 = minnorm - 2^-151 exactly: half way between
   minnorm and the next lower value of an unbounded-exponent format, so RNE (to even), RUP and RMM
   round to minnorm and the result is NOT tiny: NX only. RTZ and RDN round below minnorm (tiny) and
   give maxsub with UF|NX. (Tininess before rounding would set UF in every mode.) */
        TEST_FF(76, S, fmul.s, rne, 0x00800000, NX, 0x20918e00, 0x1f612000)
        TEST_FF(77, S, fmul.s, rtz, 0x007fffff, UF|NX, 0x20918e00, 0x1f612000)
        TEST_FF(78, S, fmul.s, rdn, 0x007fffff, UF|NX, 0x20918e00, 0x1f612000)
        TEST_FF(79, S, fmul.s, rup, 0x00800000, NX, 0x20918e00, 0x1f612000)
        TEST_FF(80, S, fmul.s, rmm, 0x00800000, NX, 0x20918e00, 0x1f612000)
        fsrmi 0  /* frm = RNE */
        TEST_FF(81, S, fmul.s, dyn, 0x00800000, NX, 0x20918e00, 0x1f612000)
        fsrmi 1  /* frm = RTZ */
        TEST_FF(82, S, fmul.s, dyn, 0x007fffff, UF|NX, 0x20918e00, 0x1f612000)
        fsrmi 2  /* frm = RDN */
        TEST_FF(83, S, fmul.s, dyn, 0x007fffff, UF|NX, 0x20918e00, 0x1f612000)
        fsrmi 3  /* frm = RUP */
        TEST_FF(84, S, fmul.s, dyn, 0x00800000, NX, 0x20918e00, 0x1f612000)
        fsrmi 4  /* frm = RMM */
        TEST_FF(85, S, fmul.s, dyn, 0x00800000, NX, 0x20918e00, 0x1f612000)

/* The same with a negative product: RNE RDN RMM give -minnorm with NX only, RTZ RUP -maxsub with UF|NX */
        TEST_FF(86, S, fmul.s, rne, 0x80800000, NX, 0xa0918e00, 0x1f612000)
        TEST_FF(87, S, fmul.s, rtz, 0x807fffff, UF|NX, 0xa0918e00, 0x1f612000)
        TEST_FF(88, S, fmul.s, rdn, 0x80800000, NX, 0xa0918e00, 0x1f612000)
        TEST_FF(89, S, fmul.s, rup, 0x807fffff, UF|NX, 0xa0918e00, 0x1f612000)
        TEST_FF(90, S, fmul.s, rmm, 0x80800000, NX, 0xa0918e00, 0x1f612000)

/* fmul 12913*2^-76 * 5197*2^-76 = (2^26 - 3) * 2^-152 = minnorm - 0.75 * 2^-150: with an unbounded exponent RNE
   rounds it to minnorm - 2^-150 (tiny), but in the format (spacing 2^-149) it rounds to minnorm: result
   minnorm with UF|NX in RNE and RMM; RUP minnorm with NX only (not tiny); RTZ and RDN maxsub, UF|NX */
        TEST_FF(91, S, fmul.s, rne, 0x00800000, UF|NX, 0x2049c400, 0x1fa26800)
        TEST_FF(92, S, fmul.s, rtz, 0x007fffff, UF|NX, 0x2049c400, 0x1fa26800)
        TEST_FF(93, S, fmul.s, rdn, 0x007fffff, UF|NX, 0x2049c400, 0x1fa26800)
        TEST_FF(94, S, fmul.s, rup, 0x00800000, NX, 0x2049c400, 0x1fa26800)
        TEST_FF(95, S, fmul.s, rmm, 0x00800000, UF|NX, 0x2049c400, 0x1fa26800)
        fsrmi 0  /* frm = RNE */
        TEST_FF(96, S, fmul.s, dyn, 0x00800000, UF|NX, 0x2049c400, 0x1fa26800)
        fsrmi 1  /* frm = RTZ */
        TEST_FF(97, S, fmul.s, dyn, 0x007fffff, UF|NX, 0x2049c400, 0x1fa26800)
        fsrmi 2  /* frm = RDN */
        TEST_FF(98, S, fmul.s, dyn, 0x007fffff, UF|NX, 0x2049c400, 0x1fa26800)
        fsrmi 3  /* frm = RUP */
        TEST_FF(99, S, fmul.s, dyn, 0x00800000, NX, 0x2049c400, 0x1fa26800)
        fsrmi 4  /* frm = RMM */
        TEST_FF(100, S, fmul.s, dyn, 0x00800000, UF|NX, 0x2049c400, 0x1fa26800)

/* fdiv minnorm / (1 + u): 0x007fffff + 1.19e-07 ulp, tiny in every mode, UF|NX */
        TEST_FF(101, S, fdiv.s, rne, 0x007fffff, UF|NX, 0x00800000, 0x3f800001)
        TEST_FF(102, S, fdiv.s, rtz, 0x007fffff, UF|NX, 0x00800000, 0x3f800001)
        TEST_FF(103, S, fdiv.s, rdn, 0x007fffff, UF|NX, 0x00800000, 0x3f800001)
        TEST_FF(104, S, fdiv.s, rup, 0x00800000, UF|NX, 0x00800000, 0x3f800001)
        TEST_FF(105, S, fdiv.s, rmm, 0x007fffff, UF|NX, 0x00800000, 0x3f800001)

/* fadd minnorm + -minsub = maxsub: an exact subnormal sum gives no UF in any mode */
        TEST_FF(106, S, fadd.s, rne, 0x007fffff, 0, 0x00800000, 0x80000001)
        TEST_FF(107, S, fadd.s, rtz, 0x007fffff, 0, 0x00800000, 0x80000001)
        TEST_FF(108, S, fadd.s, rdn, 0x007fffff, 0, 0x00800000, 0x80000001)
        TEST_FF(109, S, fadd.s, rup, 0x007fffff, 0, 0x00800000, 0x80000001)
        TEST_FF(110, S, fadd.s, rmm, 0x007fffff, 0, 0x00800000, 0x80000001)

        fsrmi 0
        j pass
TEST_END
