/* Double-precision overflow and underflow (D extension): directed overflow to max-finite, tininess after
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
#define LOAD_D(fr, v) li t0, v; fmv.d.x fr, t0
#define CHECK_D(fr, v) fmv.x.d a0, fr; li t6, v; bne a0, t6, fail
/* fa2 = inst(fa0, fa1) with rounding mode rm; f is the format (S or D). */
#define TEST_FF(n, f, inst, rm, res, fl, a, b) TEST_CASE(n); LOAD_##f(fa0, a); LOAD_##f(fa1, b); fsflags zero; inst fa2, fa0, fa1, rm; CHECK_FLAGS(fl); CHECK_##f(fa2, res)

TEST_BEGIN

/* fmul max * 2: OF|NX in every mode; RTZ and RDN give max, RNE RUP RMM inf */
        TEST_FF(1, D, fmul.d, rne, 0x7ff0000000000000, OF|NX, 0x7fefffffffffffff, 0x4000000000000000)
        TEST_FF(2, D, fmul.d, rtz, 0x7fefffffffffffff, OF|NX, 0x7fefffffffffffff, 0x4000000000000000)
        TEST_FF(3, D, fmul.d, rdn, 0x7fefffffffffffff, OF|NX, 0x7fefffffffffffff, 0x4000000000000000)
        TEST_FF(4, D, fmul.d, rup, 0x7ff0000000000000, OF|NX, 0x7fefffffffffffff, 0x4000000000000000)
        TEST_FF(5, D, fmul.d, rmm, 0x7ff0000000000000, OF|NX, 0x7fefffffffffffff, 0x4000000000000000)
        fsrmi 0  /* frm = RNE */
        TEST_FF(6, D, fmul.d, dyn, 0x7ff0000000000000, OF|NX, 0x7fefffffffffffff, 0x4000000000000000)
        fsrmi 1  /* frm = RTZ */
        TEST_FF(7, D, fmul.d, dyn, 0x7fefffffffffffff, OF|NX, 0x7fefffffffffffff, 0x4000000000000000)
        fsrmi 2  /* frm = RDN */
        TEST_FF(8, D, fmul.d, dyn, 0x7fefffffffffffff, OF|NX, 0x7fefffffffffffff, 0x4000000000000000)
        fsrmi 3  /* frm = RUP */
        TEST_FF(9, D, fmul.d, dyn, 0x7ff0000000000000, OF|NX, 0x7fefffffffffffff, 0x4000000000000000)
        fsrmi 4  /* frm = RMM */
        TEST_FF(10, D, fmul.d, dyn, 0x7ff0000000000000, OF|NX, 0x7fefffffffffffff, 0x4000000000000000)

/* fmul -max * 2: OF|NX; RTZ and RUP give -max, RNE RDN RMM -inf */
        TEST_FF(11, D, fmul.d, rne, 0xfff0000000000000, OF|NX, 0xffefffffffffffff, 0x4000000000000000)
        TEST_FF(12, D, fmul.d, rtz, 0xffefffffffffffff, OF|NX, 0xffefffffffffffff, 0x4000000000000000)
        TEST_FF(13, D, fmul.d, rdn, 0xfff0000000000000, OF|NX, 0xffefffffffffffff, 0x4000000000000000)
        TEST_FF(14, D, fmul.d, rup, 0xffefffffffffffff, OF|NX, 0xffefffffffffffff, 0x4000000000000000)
        TEST_FF(15, D, fmul.d, rmm, 0xfff0000000000000, OF|NX, 0xffefffffffffffff, 0x4000000000000000)
        fsrmi 0  /* frm = RNE */
        TEST_FF(16, D, fmul.d, dyn, 0xfff0000000000000, OF|NX, 0xffefffffffffffff, 0x4000000000000000)
        fsrmi 1  /* frm = RTZ */
        TEST_FF(17, D, fmul.d, dyn, 0xffefffffffffffff, OF|NX, 0xffefffffffffffff, 0x4000000000000000)
        fsrmi 2  /* frm = RDN */
        TEST_FF(18, D, fmul.d, dyn, 0xfff0000000000000, OF|NX, 0xffefffffffffffff, 0x4000000000000000)
        fsrmi 3  /* frm = RUP */
        TEST_FF(19, D, fmul.d, dyn, 0xffefffffffffffff, OF|NX, 0xffefffffffffffff, 0x4000000000000000)
        fsrmi 4  /* frm = RMM */
        TEST_FF(20, D, fmul.d, dyn, 0xfff0000000000000, OF|NX, 0xffefffffffffffff, 0x4000000000000000)

/* fadd max + 2^970 (half an ulp of max): a tie; RNE (max is odd) RUP RMM round to 2^1024: inf, OF|NX;
   RTZ and RDN round to max, which is in range: NX only */
        TEST_FF(21, D, fadd.d, rne, 0x7ff0000000000000, OF|NX, 0x7fefffffffffffff, 0x7c90000000000000)
        TEST_FF(22, D, fadd.d, rtz, 0x7fefffffffffffff, NX, 0x7fefffffffffffff, 0x7c90000000000000)
        TEST_FF(23, D, fadd.d, rdn, 0x7fefffffffffffff, NX, 0x7fefffffffffffff, 0x7c90000000000000)
        TEST_FF(24, D, fadd.d, rup, 0x7ff0000000000000, OF|NX, 0x7fefffffffffffff, 0x7c90000000000000)
        TEST_FF(25, D, fadd.d, rmm, 0x7ff0000000000000, OF|NX, 0x7fefffffffffffff, 0x7c90000000000000)
        fsrmi 0  /* frm = RNE */
        TEST_FF(26, D, fadd.d, dyn, 0x7ff0000000000000, OF|NX, 0x7fefffffffffffff, 0x7c90000000000000)
        fsrmi 1  /* frm = RTZ */
        TEST_FF(27, D, fadd.d, dyn, 0x7fefffffffffffff, NX, 0x7fefffffffffffff, 0x7c90000000000000)
        fsrmi 2  /* frm = RDN */
        TEST_FF(28, D, fadd.d, dyn, 0x7fefffffffffffff, NX, 0x7fefffffffffffff, 0x7c90000000000000)
        fsrmi 3  /* frm = RUP */
        TEST_FF(29, D, fadd.d, dyn, 0x7ff0000000000000, OF|NX, 0x7fefffffffffffff, 0x7c90000000000000)
        fsrmi 4  /* frm = RMM */
        TEST_FF(30, D, fadd.d, dyn, 0x7ff0000000000000, OF|NX, 0x7fefffffffffffff, 0x7c90000000000000)

/* fsub -max - 2^970: the mirror image, RTZ and RUP give -max with NX only */
        TEST_FF(31, D, fsub.d, rne, 0xfff0000000000000, OF|NX, 0xffefffffffffffff, 0x7c90000000000000)
        TEST_FF(32, D, fsub.d, rtz, 0xffefffffffffffff, NX, 0xffefffffffffffff, 0x7c90000000000000)
        TEST_FF(33, D, fsub.d, rdn, 0xfff0000000000000, OF|NX, 0xffefffffffffffff, 0x7c90000000000000)
        TEST_FF(34, D, fsub.d, rup, 0xffefffffffffffff, NX, 0xffefffffffffffff, 0x7c90000000000000)
        TEST_FF(35, D, fsub.d, rmm, 0xfff0000000000000, OF|NX, 0xffefffffffffffff, 0x7c90000000000000)

/* fadd max + 2^969 (quarter ulp): only RUP overflows */
        TEST_FF(36, D, fadd.d, rne, 0x7fefffffffffffff, NX, 0x7fefffffffffffff, 0x7c80000000000000)
        TEST_FF(37, D, fadd.d, rtz, 0x7fefffffffffffff, NX, 0x7fefffffffffffff, 0x7c80000000000000)
        TEST_FF(38, D, fadd.d, rdn, 0x7fefffffffffffff, NX, 0x7fefffffffffffff, 0x7c80000000000000)
        TEST_FF(39, D, fadd.d, rup, 0x7ff0000000000000, OF|NX, 0x7fefffffffffffff, 0x7c80000000000000)
        TEST_FF(40, D, fadd.d, rmm, 0x7fefffffffffffff, NX, 0x7fefffffffffffff, 0x7c80000000000000)

/* fdiv -max / 2^-4: far overflow, RTZ and RUP give -max */
        TEST_FF(41, D, fdiv.d, rne, 0xfff0000000000000, OF|NX, 0xffefffffffffffff, 0x3fb0000000000000)
        TEST_FF(42, D, fdiv.d, rtz, 0xffefffffffffffff, OF|NX, 0xffefffffffffffff, 0x3fb0000000000000)
        TEST_FF(43, D, fdiv.d, rdn, 0xfff0000000000000, OF|NX, 0xffefffffffffffff, 0x3fb0000000000000)
        TEST_FF(44, D, fdiv.d, rup, 0xffefffffffffffff, OF|NX, 0xffefffffffffffff, 0x3fb0000000000000)
        TEST_FF(45, D, fdiv.d, rmm, 0xfff0000000000000, OF|NX, 0xffefffffffffffff, 0x3fb0000000000000)

/* fmul minnorm * 0.5: exact subnormal result, no UF in any mode */
        TEST_FF(46, D, fmul.d, rne, 0x0008000000000000, 0, 0x0010000000000000, 0x3fe0000000000000)
        TEST_FF(47, D, fmul.d, rtz, 0x0008000000000000, 0, 0x0010000000000000, 0x3fe0000000000000)
        TEST_FF(48, D, fmul.d, rdn, 0x0008000000000000, 0, 0x0010000000000000, 0x3fe0000000000000)
        TEST_FF(49, D, fmul.d, rup, 0x0008000000000000, 0, 0x0010000000000000, 0x3fe0000000000000)
        TEST_FF(50, D, fmul.d, rmm, 0x0008000000000000, 0, 0x0010000000000000, 0x3fe0000000000000)

/* fmul minsub * 0.5: tie between 0 and minsub; RNE 0 (even), RMM and RUP minsub; UF|NX */
        TEST_FF(51, D, fmul.d, rne, 0x0000000000000000, UF|NX, 0x0000000000000001, 0x3fe0000000000000)
        TEST_FF(52, D, fmul.d, rtz, 0x0000000000000000, UF|NX, 0x0000000000000001, 0x3fe0000000000000)
        TEST_FF(53, D, fmul.d, rdn, 0x0000000000000000, UF|NX, 0x0000000000000001, 0x3fe0000000000000)
        TEST_FF(54, D, fmul.d, rup, 0x0000000000000001, UF|NX, 0x0000000000000001, 0x3fe0000000000000)
        TEST_FF(55, D, fmul.d, rmm, 0x0000000000000001, UF|NX, 0x0000000000000001, 0x3fe0000000000000)
        fsrmi 0  /* frm = RNE */
        TEST_FF(56, D, fmul.d, dyn, 0x0000000000000000, UF|NX, 0x0000000000000001, 0x3fe0000000000000)
        fsrmi 1  /* frm = RTZ */
        TEST_FF(57, D, fmul.d, dyn, 0x0000000000000000, UF|NX, 0x0000000000000001, 0x3fe0000000000000)
        fsrmi 2  /* frm = RDN */
        TEST_FF(58, D, fmul.d, dyn, 0x0000000000000000, UF|NX, 0x0000000000000001, 0x3fe0000000000000)
        fsrmi 3  /* frm = RUP */
        TEST_FF(59, D, fmul.d, dyn, 0x0000000000000001, UF|NX, 0x0000000000000001, 0x3fe0000000000000)
        fsrmi 4  /* frm = RMM */
        TEST_FF(60, D, fmul.d, dyn, 0x0000000000000001, UF|NX, 0x0000000000000001, 0x3fe0000000000000)

/* fmul -minsub * 0.5: RNE -0, RDN and RMM -minsub, RTZ and RUP -0; UF|NX */
        TEST_FF(61, D, fmul.d, rne, 0x8000000000000000, UF|NX, 0x8000000000000001, 0x3fe0000000000000)
        TEST_FF(62, D, fmul.d, rtz, 0x8000000000000000, UF|NX, 0x8000000000000001, 0x3fe0000000000000)
        TEST_FF(63, D, fmul.d, rdn, 0x8000000000000001, UF|NX, 0x8000000000000001, 0x3fe0000000000000)
        TEST_FF(64, D, fmul.d, rup, 0x8000000000000000, UF|NX, 0x8000000000000001, 0x3fe0000000000000)
        TEST_FF(65, D, fmul.d, rmm, 0x8000000000000001, UF|NX, 0x8000000000000001, 0x3fe0000000000000)

/* fmul minsub * 0.75: above the tie; RNE RMM RUP minsub, RTZ RDN +0 */
        TEST_FF(66, D, fmul.d, rne, 0x0000000000000001, UF|NX, 0x0000000000000001, 0x3fe8000000000000)
        TEST_FF(67, D, fmul.d, rtz, 0x0000000000000000, UF|NX, 0x0000000000000001, 0x3fe8000000000000)
        TEST_FF(68, D, fmul.d, rdn, 0x0000000000000000, UF|NX, 0x0000000000000001, 0x3fe8000000000000)
        TEST_FF(69, D, fmul.d, rup, 0x0000000000000001, UF|NX, 0x0000000000000001, 0x3fe8000000000000)
        TEST_FF(70, D, fmul.d, rmm, 0x0000000000000001, UF|NX, 0x0000000000000001, 0x3fe8000000000000)

/* fmul 3 minsub * 0.5 = 1.5 minsub: tie, RNE to even 2 minsub, RMM 2 minsub, RTZ minsub */
        TEST_FF(71, D, fmul.d, rne, 0x0000000000000002, UF|NX, 0x0000000000000003, 0x3fe0000000000000)
        TEST_FF(72, D, fmul.d, rtz, 0x0000000000000001, UF|NX, 0x0000000000000003, 0x3fe0000000000000)
        TEST_FF(73, D, fmul.d, rdn, 0x0000000000000001, UF|NX, 0x0000000000000003, 0x3fe0000000000000)
        TEST_FF(74, D, fmul.d, rup, 0x0000000000000002, UF|NX, 0x0000000000000003, 0x3fe0000000000000)
        TEST_FF(75, D, fmul.d, rmm, 0x0000000000000002, UF|NX, 0x0000000000000003, 0x3fe0000000000000)

/* Tininess after rounding. fmul 134217727*2^-538 * 134217729*2^-538 = (2^54 - 1) * 2^-1076 = minnorm - 2^-1076 exactly: half way between
   minnorm and the next lower value of an unbounded-exponent format, so RNE (to even), RUP and RMM
   round to minnorm and the result is NOT tiny: NX only. RTZ and RDN round below minnorm (tiny) and
   give maxsub with UF|NX. (Tininess before rounding would set UF in every mode.) */
        TEST_FF(76, D, fmul.d, rne, 0x0010000000000000, NX, 0x1ffffffffc000000, 0x2000000002000000)
        TEST_FF(77, D, fmul.d, rtz, 0x000fffffffffffff, UF|NX, 0x1ffffffffc000000, 0x2000000002000000)
        TEST_FF(78, D, fmul.d, rdn, 0x000fffffffffffff, UF|NX, 0x1ffffffffc000000, 0x2000000002000000)
        TEST_FF(79, D, fmul.d, rup, 0x0010000000000000, NX, 0x1ffffffffc000000, 0x2000000002000000)
        TEST_FF(80, D, fmul.d, rmm, 0x0010000000000000, NX, 0x1ffffffffc000000, 0x2000000002000000)
        fsrmi 0  /* frm = RNE */
        TEST_FF(81, D, fmul.d, dyn, 0x0010000000000000, NX, 0x1ffffffffc000000, 0x2000000002000000)
        fsrmi 1  /* frm = RTZ */
        TEST_FF(82, D, fmul.d, dyn, 0x000fffffffffffff, UF|NX, 0x1ffffffffc000000, 0x2000000002000000)
        fsrmi 2  /* frm = RDN */
        TEST_FF(83, D, fmul.d, dyn, 0x000fffffffffffff, UF|NX, 0x1ffffffffc000000, 0x2000000002000000)
        fsrmi 3  /* frm = RUP */
        TEST_FF(84, D, fmul.d, dyn, 0x0010000000000000, NX, 0x1ffffffffc000000, 0x2000000002000000)
        fsrmi 4  /* frm = RMM */
        TEST_FF(85, D, fmul.d, dyn, 0x0010000000000000, NX, 0x1ffffffffc000000, 0x2000000002000000)

/* The same with a negative product: RNE RDN RMM give -minnorm with NX only, RTZ RUP -maxsub with UF|NX */
        TEST_FF(86, D, fmul.d, rne, 0x8010000000000000, NX, 0x9ffffffffc000000, 0x2000000002000000)
        TEST_FF(87, D, fmul.d, rtz, 0x800fffffffffffff, UF|NX, 0x9ffffffffc000000, 0x2000000002000000)
        TEST_FF(88, D, fmul.d, rdn, 0x8010000000000000, NX, 0x9ffffffffc000000, 0x2000000002000000)
        TEST_FF(89, D, fmul.d, rup, 0x800fffffffffffff, UF|NX, 0x9ffffffffc000000, 0x2000000002000000)
        TEST_FF(90, D, fmul.d, rmm, 0x8010000000000000, NX, 0x9ffffffffc000000, 0x2000000002000000)

/* fmul 20646485*2^-539 * 1745032969*2^-538 = (2^55 - 3) * 2^-1077 = minnorm - 0.75 * 2^-1075: with an unbounded exponent RNE
   rounds it to minnorm - 2^-1075 (tiny), but in the format (spacing 2^-1074) it rounds to minnorm: result
   minnorm with UF|NX in RNE and RMM; RUP minnorm with NX only (not tiny); RTZ and RDN maxsub, UF|NX */
        TEST_FF(91, D, fmul.d, rne, 0x0010000000000000, UF|NX, 0x1fc3b0a550000000, 0x203a00c5c2400000)
        TEST_FF(92, D, fmul.d, rtz, 0x000fffffffffffff, UF|NX, 0x1fc3b0a550000000, 0x203a00c5c2400000)
        TEST_FF(93, D, fmul.d, rdn, 0x000fffffffffffff, UF|NX, 0x1fc3b0a550000000, 0x203a00c5c2400000)
        TEST_FF(94, D, fmul.d, rup, 0x0010000000000000, NX, 0x1fc3b0a550000000, 0x203a00c5c2400000)
        TEST_FF(95, D, fmul.d, rmm, 0x0010000000000000, UF|NX, 0x1fc3b0a550000000, 0x203a00c5c2400000)
        fsrmi 0  /* frm = RNE */
        TEST_FF(96, D, fmul.d, dyn, 0x0010000000000000, UF|NX, 0x1fc3b0a550000000, 0x203a00c5c2400000)
        fsrmi 1  /* frm = RTZ */
        TEST_FF(97, D, fmul.d, dyn, 0x000fffffffffffff, UF|NX, 0x1fc3b0a550000000, 0x203a00c5c2400000)
        fsrmi 2  /* frm = RDN */
        TEST_FF(98, D, fmul.d, dyn, 0x000fffffffffffff, UF|NX, 0x1fc3b0a550000000, 0x203a00c5c2400000)
        fsrmi 3  /* frm = RUP */
        TEST_FF(99, D, fmul.d, dyn, 0x0010000000000000, NX, 0x1fc3b0a550000000, 0x203a00c5c2400000)
        fsrmi 4  /* frm = RMM */
        TEST_FF(100, D, fmul.d, dyn, 0x0010000000000000, UF|NX, 0x1fc3b0a550000000, 0x203a00c5c2400000)

/* fdiv minnorm / (1 + u): 0x000fffffffffffff + 2.22e-16 ulp, tiny in every mode, UF|NX */
        TEST_FF(101, D, fdiv.d, rne, 0x000fffffffffffff, UF|NX, 0x0010000000000000, 0x3ff0000000000001)
        TEST_FF(102, D, fdiv.d, rtz, 0x000fffffffffffff, UF|NX, 0x0010000000000000, 0x3ff0000000000001)
        TEST_FF(103, D, fdiv.d, rdn, 0x000fffffffffffff, UF|NX, 0x0010000000000000, 0x3ff0000000000001)
        TEST_FF(104, D, fdiv.d, rup, 0x0010000000000000, UF|NX, 0x0010000000000000, 0x3ff0000000000001)
        TEST_FF(105, D, fdiv.d, rmm, 0x000fffffffffffff, UF|NX, 0x0010000000000000, 0x3ff0000000000001)

/* fadd minnorm + -minsub = maxsub: an exact subnormal sum gives no UF in any mode */
        TEST_FF(106, D, fadd.d, rne, 0x000fffffffffffff, 0, 0x0010000000000000, 0x8000000000000001)
        TEST_FF(107, D, fadd.d, rtz, 0x000fffffffffffff, 0, 0x0010000000000000, 0x8000000000000001)
        TEST_FF(108, D, fadd.d, rdn, 0x000fffffffffffff, 0, 0x0010000000000000, 0x8000000000000001)
        TEST_FF(109, D, fadd.d, rup, 0x000fffffffffffff, 0, 0x0010000000000000, 0x8000000000000001)
        TEST_FF(110, D, fadd.d, rmm, 0x000fffffffffffff, 0, 0x0010000000000000, 0x8000000000000001)

        fsrmi 0
        j pass
TEST_END
