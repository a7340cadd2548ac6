/* Double-precision rounding modes (D extension): fadd/fsub/fmul/fdiv/fsqrt/fmadd.d under every static and dynamic
   rounding mode.
   Expected values were derived with exact rational arithmetic (python3 fractions) rounded by hand
   following IEEE 754-2019 section 4.3 and the RISC-V F/D chapters (tininess after rounding, canonical
   NaN results, NV for invalid operations); each comment says why a case gives its result.
   u is the ulp of 1.0 (2^-23 in single, 2^-52 in double); minsub/maxsub/minnorm/max are the
   smallest/largest subnormal, the smallest normal and the largest finite value of the format.
   Every case group runs the five rounding modes (RNE, RTZ, RDN, RUP, RMM) twice: first as the static
   rm field of the instruction, then as rm=DYN with the mode in frm (fsrmi). Operands are chosen so that
   the exact result lies above half an ulp, below half an ulp, or exactly on a tie (ties-to-even and
   ties-to-max-magnitude differ); negative results separate RDN from RTZ and RUP. */
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
/* fa2 = inst(fa0) with rounding mode rm; fd/fs are the result/operand formats. */
#define TEST_F1(n, fd, fs, inst, rm, res, fl, a) TEST_CASE(n); LOAD_##fs(fa0, a); fsflags zero; inst fa2, fa0, rm; CHECK_FLAGS(fl); CHECK_##fd(fa2, res)
/* fa3 = inst(fa0, fa1, fa2) with rounding mode rm (fused multiply-add family). */
#define TEST_F3(n, f, inst, rm, res, fl, a, b, c) TEST_CASE(n); LOAD_##f(fa0, a); LOAD_##f(fa1, b); LOAD_##f(fa2, c); fsflags zero; inst fa3, fa0, fa1, fa2, rm; CHECK_FLAGS(fl); CHECK_##f(fa3, res)

TEST_BEGIN

/* fadd 1 + 3u/4: 0x3ff0000000000000 + 3/4 ulp; up: RNE RUP RMM, down: RTZ RDN */
        TEST_FF(1, D, fadd.d, rne, 0x3ff0000000000001, NX, 0x3ff0000000000000, 0x3ca8000000000000)
        TEST_FF(2, D, fadd.d, rtz, 0x3ff0000000000000, NX, 0x3ff0000000000000, 0x3ca8000000000000)
        TEST_FF(3, D, fadd.d, rdn, 0x3ff0000000000000, NX, 0x3ff0000000000000, 0x3ca8000000000000)
        TEST_FF(4, D, fadd.d, rup, 0x3ff0000000000001, NX, 0x3ff0000000000000, 0x3ca8000000000000)
        TEST_FF(5, D, fadd.d, rmm, 0x3ff0000000000001, NX, 0x3ff0000000000000, 0x3ca8000000000000)
        fsrmi 0  /* frm = RNE */
        TEST_FF(6, D, fadd.d, dyn, 0x3ff0000000000001, NX, 0x3ff0000000000000, 0x3ca8000000000000)
        fsrmi 1  /* frm = RTZ */
        TEST_FF(7, D, fadd.d, dyn, 0x3ff0000000000000, NX, 0x3ff0000000000000, 0x3ca8000000000000)
        fsrmi 2  /* frm = RDN */
        TEST_FF(8, D, fadd.d, dyn, 0x3ff0000000000000, NX, 0x3ff0000000000000, 0x3ca8000000000000)
        fsrmi 3  /* frm = RUP */
        TEST_FF(9, D, fadd.d, dyn, 0x3ff0000000000001, NX, 0x3ff0000000000000, 0x3ca8000000000000)
        fsrmi 4  /* frm = RMM */
        TEST_FF(10, D, fadd.d, dyn, 0x3ff0000000000001, NX, 0x3ff0000000000000, 0x3ca8000000000000)

/* fadd -1 + -u/4: 0xbff0000000000000 - 1/4 ulp; RDN away from zero, the others give -1 */
        TEST_FF(11, D, fadd.d, rne, 0xbff0000000000000, NX, 0xbff0000000000000, 0xbc90000000000000)
        TEST_FF(12, D, fadd.d, rtz, 0xbff0000000000000, NX, 0xbff0000000000000, 0xbc90000000000000)
        TEST_FF(13, D, fadd.d, rdn, 0xbff0000000000001, NX, 0xbff0000000000000, 0xbc90000000000000)
        TEST_FF(14, D, fadd.d, rup, 0xbff0000000000000, NX, 0xbff0000000000000, 0xbc90000000000000)
        TEST_FF(15, D, fadd.d, rmm, 0xbff0000000000000, NX, 0xbff0000000000000, 0xbc90000000000000)
        fsrmi 0  /* frm = RNE */
        TEST_FF(16, D, fadd.d, dyn, 0xbff0000000000000, NX, 0xbff0000000000000, 0xbc90000000000000)
        fsrmi 1  /* frm = RTZ */
        TEST_FF(17, D, fadd.d, dyn, 0xbff0000000000000, NX, 0xbff0000000000000, 0xbc90000000000000)
        fsrmi 2  /* frm = RDN */
        TEST_FF(18, D, fadd.d, dyn, 0xbff0000000000001, NX, 0xbff0000000000000, 0xbc90000000000000)
        fsrmi 3  /* frm = RUP */
        TEST_FF(19, D, fadd.d, dyn, 0xbff0000000000000, NX, 0xbff0000000000000, 0xbc90000000000000)
        fsrmi 4  /* frm = RMM */
        TEST_FF(20, D, fadd.d, dyn, 0xbff0000000000000, NX, 0xbff0000000000000, 0xbc90000000000000)

/* fadd 1 + u/2: tie, RNE to even gives 1, RMM gives 1 + u */
        TEST_FF(21, D, fadd.d, rne, 0x3ff0000000000000, NX, 0x3ff0000000000000, 0x3ca0000000000000)
        TEST_FF(22, D, fadd.d, rtz, 0x3ff0000000000000, NX, 0x3ff0000000000000, 0x3ca0000000000000)
        TEST_FF(23, D, fadd.d, rdn, 0x3ff0000000000000, NX, 0x3ff0000000000000, 0x3ca0000000000000)
        TEST_FF(24, D, fadd.d, rup, 0x3ff0000000000001, NX, 0x3ff0000000000000, 0x3ca0000000000000)
        TEST_FF(25, D, fadd.d, rmm, 0x3ff0000000000001, NX, 0x3ff0000000000000, 0x3ca0000000000000)
        fsrmi 0  /* frm = RNE */
        TEST_FF(26, D, fadd.d, dyn, 0x3ff0000000000000, NX, 0x3ff0000000000000, 0x3ca0000000000000)
        fsrmi 1  /* frm = RTZ */
        TEST_FF(27, D, fadd.d, dyn, 0x3ff0000000000000, NX, 0x3ff0000000000000, 0x3ca0000000000000)
        fsrmi 2  /* frm = RDN */
        TEST_FF(28, D, fadd.d, dyn, 0x3ff0000000000000, NX, 0x3ff0000000000000, 0x3ca0000000000000)
        fsrmi 3  /* frm = RUP */
        TEST_FF(29, D, fadd.d, dyn, 0x3ff0000000000001, NX, 0x3ff0000000000000, 0x3ca0000000000000)
        fsrmi 4  /* frm = RMM */
        TEST_FF(30, D, fadd.d, dyn, 0x3ff0000000000001, NX, 0x3ff0000000000000, 0x3ca0000000000000)

/* fadd (1+u) + u/2: tie with odd neighbour, RNE and RMM both give 1 + 2u */
        TEST_FF(31, D, fadd.d, rne, 0x3ff0000000000002, NX, 0x3ff0000000000001, 0x3ca0000000000000)
        TEST_FF(32, D, fadd.d, rtz, 0x3ff0000000000001, NX, 0x3ff0000000000001, 0x3ca0000000000000)
        TEST_FF(33, D, fadd.d, rdn, 0x3ff0000000000001, NX, 0x3ff0000000000001, 0x3ca0000000000000)
        TEST_FF(34, D, fadd.d, rup, 0x3ff0000000000002, NX, 0x3ff0000000000001, 0x3ca0000000000000)
        TEST_FF(35, D, fadd.d, rmm, 0x3ff0000000000002, NX, 0x3ff0000000000001, 0x3ca0000000000000)
        fsrmi 0  /* frm = RNE */
        TEST_FF(36, D, fadd.d, dyn, 0x3ff0000000000002, NX, 0x3ff0000000000001, 0x3ca0000000000000)
        fsrmi 1  /* frm = RTZ */
        TEST_FF(37, D, fadd.d, dyn, 0x3ff0000000000001, NX, 0x3ff0000000000001, 0x3ca0000000000000)
        fsrmi 2  /* frm = RDN */
        TEST_FF(38, D, fadd.d, dyn, 0x3ff0000000000001, NX, 0x3ff0000000000001, 0x3ca0000000000000)
        fsrmi 3  /* frm = RUP */
        TEST_FF(39, D, fadd.d, dyn, 0x3ff0000000000002, NX, 0x3ff0000000000001, 0x3ca0000000000000)
        fsrmi 4  /* frm = RMM */
        TEST_FF(40, D, fadd.d, dyn, 0x3ff0000000000002, NX, 0x3ff0000000000001, 0x3ca0000000000000)

/* fsub -1 - u/2: negative tie, RNE -1, RMM and RDN -(1 + u) */
        TEST_FF(41, D, fsub.d, rne, 0xbff0000000000000, NX, 0xbff0000000000000, 0x3ca0000000000000)
        TEST_FF(42, D, fsub.d, rtz, 0xbff0000000000000, NX, 0xbff0000000000000, 0x3ca0000000000000)
        TEST_FF(43, D, fsub.d, rdn, 0xbff0000000000001, NX, 0xbff0000000000000, 0x3ca0000000000000)
        TEST_FF(44, D, fsub.d, rup, 0xbff0000000000000, NX, 0xbff0000000000000, 0x3ca0000000000000)
        TEST_FF(45, D, fsub.d, rmm, 0xbff0000000000001, NX, 0xbff0000000000000, 0x3ca0000000000000)
        fsrmi 0  /* frm = RNE */
        TEST_FF(46, D, fsub.d, dyn, 0xbff0000000000000, NX, 0xbff0000000000000, 0x3ca0000000000000)
        fsrmi 1  /* frm = RTZ */
        TEST_FF(47, D, fsub.d, dyn, 0xbff0000000000000, NX, 0xbff0000000000000, 0x3ca0000000000000)
        fsrmi 2  /* frm = RDN */
        TEST_FF(48, D, fsub.d, dyn, 0xbff0000000000001, NX, 0xbff0000000000000, 0x3ca0000000000000)
        fsrmi 3  /* frm = RUP */
        TEST_FF(49, D, fsub.d, dyn, 0xbff0000000000000, NX, 0xbff0000000000000, 0x3ca0000000000000)
        fsrmi 4  /* frm = RMM */
        TEST_FF(50, D, fsub.d, dyn, 0xbff0000000000001, NX, 0xbff0000000000000, 0x3ca0000000000000)

/* fsub 1 - 1: exact zero is +0 in every mode except RDN (-0) */
        TEST_FF(51, D, fsub.d, rne, 0x0000000000000000, 0, 0x3ff0000000000000, 0x3ff0000000000000)
        TEST_FF(52, D, fsub.d, rtz, 0x0000000000000000, 0, 0x3ff0000000000000, 0x3ff0000000000000)
        TEST_FF(53, D, fsub.d, rdn, 0x8000000000000000, 0, 0x3ff0000000000000, 0x3ff0000000000000)
        TEST_FF(54, D, fsub.d, rup, 0x0000000000000000, 0, 0x3ff0000000000000, 0x3ff0000000000000)
        TEST_FF(55, D, fsub.d, rmm, 0x0000000000000000, 0, 0x3ff0000000000000, 0x3ff0000000000000)
        fsrmi 0  /* frm = RNE */
        TEST_FF(56, D, fsub.d, dyn, 0x0000000000000000, 0, 0x3ff0000000000000, 0x3ff0000000000000)
        fsrmi 1  /* frm = RTZ */
        TEST_FF(57, D, fsub.d, dyn, 0x0000000000000000, 0, 0x3ff0000000000000, 0x3ff0000000000000)
        fsrmi 2  /* frm = RDN */
        TEST_FF(58, D, fsub.d, dyn, 0x8000000000000000, 0, 0x3ff0000000000000, 0x3ff0000000000000)
        fsrmi 3  /* frm = RUP */
        TEST_FF(59, D, fsub.d, dyn, 0x0000000000000000, 0, 0x3ff0000000000000, 0x3ff0000000000000)
        fsrmi 4  /* frm = RMM */
        TEST_FF(60, D, fsub.d, dyn, 0x0000000000000000, 0, 0x3ff0000000000000, 0x3ff0000000000000)

/* fmul (1 + 2^-26)(1 + 2^-27) = 1 + 2^-26 + 2^-27 + 2^-53: a tie (0x3ff0000006000000 + 1/2 ulp), RNE to even rounds down, RMM up */
        TEST_FF(61, D, fmul.d, rne, 0x3ff0000006000000, NX, 0x3ff0000004000000, 0x3ff0000002000000)
        TEST_FF(62, D, fmul.d, rtz, 0x3ff0000006000000, NX, 0x3ff0000004000000, 0x3ff0000002000000)
        TEST_FF(63, D, fmul.d, rdn, 0x3ff0000006000000, NX, 0x3ff0000004000000, 0x3ff0000002000000)
        TEST_FF(64, D, fmul.d, rup, 0x3ff0000006000001, NX, 0x3ff0000004000000, 0x3ff0000002000000)
        TEST_FF(65, D, fmul.d, rmm, 0x3ff0000006000001, NX, 0x3ff0000004000000, 0x3ff0000002000000)
        fsrmi 0  /* frm = RNE */
        TEST_FF(66, D, fmul.d, dyn, 0x3ff0000006000000, NX, 0x3ff0000004000000, 0x3ff0000002000000)
        fsrmi 1  /* frm = RTZ */
        TEST_FF(67, D, fmul.d, dyn, 0x3ff0000006000000, NX, 0x3ff0000004000000, 0x3ff0000002000000)
        fsrmi 2  /* frm = RDN */
        TEST_FF(68, D, fmul.d, dyn, 0x3ff0000006000000, NX, 0x3ff0000004000000, 0x3ff0000002000000)
        fsrmi 3  /* frm = RUP */
        TEST_FF(69, D, fmul.d, dyn, 0x3ff0000006000001, NX, 0x3ff0000004000000, 0x3ff0000002000000)
        fsrmi 4  /* frm = RMM */
        TEST_FF(70, D, fmul.d, dyn, 0x3ff0000006000001, NX, 0x3ff0000004000000, 0x3ff0000002000000)

/* fmul (1+u) * -(1+u) = -(1 + 2u + u^2): 0xbff0000000000002 - 2.22e-16 ulp */
        TEST_FF(71, D, fmul.d, rne, 0xbff0000000000002, NX, 0x3ff0000000000001, 0xbff0000000000001)
        TEST_FF(72, D, fmul.d, rtz, 0xbff0000000000002, NX, 0x3ff0000000000001, 0xbff0000000000001)
        TEST_FF(73, D, fmul.d, rdn, 0xbff0000000000003, NX, 0x3ff0000000000001, 0xbff0000000000001)
        TEST_FF(74, D, fmul.d, rup, 0xbff0000000000002, NX, 0x3ff0000000000001, 0xbff0000000000001)
        TEST_FF(75, D, fmul.d, rmm, 0xbff0000000000002, NX, 0x3ff0000000000001, 0xbff0000000000001)
        fsrmi 0  /* frm = RNE */
        TEST_FF(76, D, fmul.d, dyn, 0xbff0000000000002, NX, 0x3ff0000000000001, 0xbff0000000000001)
        fsrmi 1  /* frm = RTZ */
        TEST_FF(77, D, fmul.d, dyn, 0xbff0000000000002, NX, 0x3ff0000000000001, 0xbff0000000000001)
        fsrmi 2  /* frm = RDN */
        TEST_FF(78, D, fmul.d, dyn, 0xbff0000000000003, NX, 0x3ff0000000000001, 0xbff0000000000001)
        fsrmi 3  /* frm = RUP */
        TEST_FF(79, D, fmul.d, dyn, 0xbff0000000000002, NX, 0x3ff0000000000001, 0xbff0000000000001)
        fsrmi 4  /* frm = RMM */
        TEST_FF(80, D, fmul.d, dyn, 0xbff0000000000002, NX, 0x3ff0000000000001, 0xbff0000000000001)

/* fmul 0x3ff199999999999a * 0x3ff4cccccccccccd (nearest 1.1 and 1.3): 0x3ff6e147ae147ae2 + 0.02 ulp */
        TEST_FF(81, D, fmul.d, rne, 0x3ff6e147ae147ae2, NX, 0x3ff199999999999a, 0x3ff4cccccccccccd)
        TEST_FF(82, D, fmul.d, rtz, 0x3ff6e147ae147ae2, NX, 0x3ff199999999999a, 0x3ff4cccccccccccd)
        TEST_FF(83, D, fmul.d, rdn, 0x3ff6e147ae147ae2, NX, 0x3ff199999999999a, 0x3ff4cccccccccccd)
        TEST_FF(84, D, fmul.d, rup, 0x3ff6e147ae147ae3, NX, 0x3ff199999999999a, 0x3ff4cccccccccccd)
        TEST_FF(85, D, fmul.d, rmm, 0x3ff6e147ae147ae2, NX, 0x3ff199999999999a, 0x3ff4cccccccccccd)
        fsrmi 0  /* frm = RNE */
        TEST_FF(86, D, fmul.d, dyn, 0x3ff6e147ae147ae2, NX, 0x3ff199999999999a, 0x3ff4cccccccccccd)
        fsrmi 1  /* frm = RTZ */
        TEST_FF(87, D, fmul.d, dyn, 0x3ff6e147ae147ae2, NX, 0x3ff199999999999a, 0x3ff4cccccccccccd)
        fsrmi 2  /* frm = RDN */
        TEST_FF(88, D, fmul.d, dyn, 0x3ff6e147ae147ae2, NX, 0x3ff199999999999a, 0x3ff4cccccccccccd)
        fsrmi 3  /* frm = RUP */
        TEST_FF(89, D, fmul.d, dyn, 0x3ff6e147ae147ae3, NX, 0x3ff199999999999a, 0x3ff4cccccccccccd)
        fsrmi 4  /* frm = RMM */
        TEST_FF(90, D, fmul.d, dyn, 0x3ff6e147ae147ae2, NX, 0x3ff199999999999a, 0x3ff4cccccccccccd)

/* fdiv 1 / 5: 0x3fc9999999999999 + 3/5 ulp */
        TEST_FF(91, D, fdiv.d, rne, 0x3fc999999999999a, NX, 0x3ff0000000000000, 0x4014000000000000)
        TEST_FF(92, D, fdiv.d, rtz, 0x3fc9999999999999, NX, 0x3ff0000000000000, 0x4014000000000000)
        TEST_FF(93, D, fdiv.d, rdn, 0x3fc9999999999999, NX, 0x3ff0000000000000, 0x4014000000000000)
        TEST_FF(94, D, fdiv.d, rup, 0x3fc999999999999a, NX, 0x3ff0000000000000, 0x4014000000000000)
        TEST_FF(95, D, fdiv.d, rmm, 0x3fc999999999999a, NX, 0x3ff0000000000000, 0x4014000000000000)
        fsrmi 0  /* frm = RNE */
        TEST_FF(96, D, fdiv.d, dyn, 0x3fc999999999999a, NX, 0x3ff0000000000000, 0x4014000000000000)
        fsrmi 1  /* frm = RTZ */
        TEST_FF(97, D, fdiv.d, dyn, 0x3fc9999999999999, NX, 0x3ff0000000000000, 0x4014000000000000)
        fsrmi 2  /* frm = RDN */
        TEST_FF(98, D, fdiv.d, dyn, 0x3fc9999999999999, NX, 0x3ff0000000000000, 0x4014000000000000)
        fsrmi 3  /* frm = RUP */
        TEST_FF(99, D, fdiv.d, dyn, 0x3fc999999999999a, NX, 0x3ff0000000000000, 0x4014000000000000)
        fsrmi 4  /* frm = RMM */
        TEST_FF(100, D, fdiv.d, dyn, 0x3fc999999999999a, NX, 0x3ff0000000000000, 0x4014000000000000)

/* fdiv -1 / 3: 0xbfd5555555555555 - 1/3 ulp */
        TEST_FF(101, D, fdiv.d, rne, 0xbfd5555555555555, NX, 0xbff0000000000000, 0x4008000000000000)
        TEST_FF(102, D, fdiv.d, rtz, 0xbfd5555555555555, NX, 0xbff0000000000000, 0x4008000000000000)
        TEST_FF(103, D, fdiv.d, rdn, 0xbfd5555555555556, NX, 0xbff0000000000000, 0x4008000000000000)
        TEST_FF(104, D, fdiv.d, rup, 0xbfd5555555555555, NX, 0xbff0000000000000, 0x4008000000000000)
        TEST_FF(105, D, fdiv.d, rmm, 0xbfd5555555555555, NX, 0xbff0000000000000, 0x4008000000000000)
        fsrmi 0  /* frm = RNE */
        TEST_FF(106, D, fdiv.d, dyn, 0xbfd5555555555555, NX, 0xbff0000000000000, 0x4008000000000000)
        fsrmi 1  /* frm = RTZ */
        TEST_FF(107, D, fdiv.d, dyn, 0xbfd5555555555555, NX, 0xbff0000000000000, 0x4008000000000000)
        fsrmi 2  /* frm = RDN */
        TEST_FF(108, D, fdiv.d, dyn, 0xbfd5555555555556, NX, 0xbff0000000000000, 0x4008000000000000)
        fsrmi 3  /* frm = RUP */
        TEST_FF(109, D, fdiv.d, dyn, 0xbfd5555555555555, NX, 0xbff0000000000000, 0x4008000000000000)
        fsrmi 4  /* frm = RMM */
        TEST_FF(110, D, fdiv.d, dyn, 0xbfd5555555555555, NX, 0xbff0000000000000, 0x4008000000000000)

/* fsqrt(2): 0x3ff6a09e667f3bcc + 0.565 ulp */
        TEST_F1(111, D, D, fsqrt.d, rne, 0x3ff6a09e667f3bcd, NX, 0x4000000000000000)
        TEST_F1(112, D, D, fsqrt.d, rtz, 0x3ff6a09e667f3bcc, NX, 0x4000000000000000)
        TEST_F1(113, D, D, fsqrt.d, rdn, 0x3ff6a09e667f3bcc, NX, 0x4000000000000000)
        TEST_F1(114, D, D, fsqrt.d, rup, 0x3ff6a09e667f3bcd, NX, 0x4000000000000000)
        TEST_F1(115, D, D, fsqrt.d, rmm, 0x3ff6a09e667f3bcd, NX, 0x4000000000000000)
        fsrmi 0  /* frm = RNE */
        TEST_F1(116, D, D, fsqrt.d, dyn, 0x3ff6a09e667f3bcd, NX, 0x4000000000000000)
        fsrmi 1  /* frm = RTZ */
        TEST_F1(117, D, D, fsqrt.d, dyn, 0x3ff6a09e667f3bcc, NX, 0x4000000000000000)
        fsrmi 2  /* frm = RDN */
        TEST_F1(118, D, D, fsqrt.d, dyn, 0x3ff6a09e667f3bcc, NX, 0x4000000000000000)
        fsrmi 3  /* frm = RUP */
        TEST_F1(119, D, D, fsqrt.d, dyn, 0x3ff6a09e667f3bcd, NX, 0x4000000000000000)
        fsrmi 4  /* frm = RMM */
        TEST_F1(120, D, D, fsqrt.d, dyn, 0x3ff6a09e667f3bcd, NX, 0x4000000000000000)

/* fsqrt(3): 0x3ffbb67ae8584caa + 0.452 ulp */
        TEST_F1(121, D, D, fsqrt.d, rne, 0x3ffbb67ae8584caa, NX, 0x4008000000000000)
        TEST_F1(122, D, D, fsqrt.d, rtz, 0x3ffbb67ae8584caa, NX, 0x4008000000000000)
        TEST_F1(123, D, D, fsqrt.d, rdn, 0x3ffbb67ae8584caa, NX, 0x4008000000000000)
        TEST_F1(124, D, D, fsqrt.d, rup, 0x3ffbb67ae8584cab, NX, 0x4008000000000000)
        TEST_F1(125, D, D, fsqrt.d, rmm, 0x3ffbb67ae8584caa, NX, 0x4008000000000000)
        fsrmi 0  /* frm = RNE */
        TEST_F1(126, D, D, fsqrt.d, dyn, 0x3ffbb67ae8584caa, NX, 0x4008000000000000)
        fsrmi 1  /* frm = RTZ */
        TEST_F1(127, D, D, fsqrt.d, dyn, 0x3ffbb67ae8584caa, NX, 0x4008000000000000)
        fsrmi 2  /* frm = RDN */
        TEST_F1(128, D, D, fsqrt.d, dyn, 0x3ffbb67ae8584caa, NX, 0x4008000000000000)
        fsrmi 3  /* frm = RUP */
        TEST_F1(129, D, D, fsqrt.d, dyn, 0x3ffbb67ae8584cab, NX, 0x4008000000000000)
        fsrmi 4  /* frm = RMM */
        TEST_F1(130, D, D, fsqrt.d, dyn, 0x3ffbb67ae8584caa, NX, 0x4008000000000000)

/* fmadd (1 + 2^-26)(1 + 2^-27) + 2u = 1 + 2^-26 + 2^-27 + 2^-53 + 2u: 0x3ff0000006000002 + 1/2 ulp, a tie of the exact sum, rounded once: RNE to even down, RMM up */
        TEST_F3(131, D, fmadd.d, rne, 0x3ff0000006000002, NX, 0x3ff0000004000000, 0x3ff0000002000000, 0x3cc0000000000000)
        TEST_F3(132, D, fmadd.d, rtz, 0x3ff0000006000002, NX, 0x3ff0000004000000, 0x3ff0000002000000, 0x3cc0000000000000)
        TEST_F3(133, D, fmadd.d, rdn, 0x3ff0000006000002, NX, 0x3ff0000004000000, 0x3ff0000002000000, 0x3cc0000000000000)
        TEST_F3(134, D, fmadd.d, rup, 0x3ff0000006000003, NX, 0x3ff0000004000000, 0x3ff0000002000000, 0x3cc0000000000000)
        TEST_F3(135, D, fmadd.d, rmm, 0x3ff0000006000003, NX, 0x3ff0000004000000, 0x3ff0000002000000, 0x3cc0000000000000)
        fsrmi 0  /* frm = RNE */
        TEST_F3(136, D, fmadd.d, dyn, 0x3ff0000006000002, NX, 0x3ff0000004000000, 0x3ff0000002000000, 0x3cc0000000000000)
        fsrmi 1  /* frm = RTZ */
        TEST_F3(137, D, fmadd.d, dyn, 0x3ff0000006000002, NX, 0x3ff0000004000000, 0x3ff0000002000000, 0x3cc0000000000000)
        fsrmi 2  /* frm = RDN */
        TEST_F3(138, D, fmadd.d, dyn, 0x3ff0000006000002, NX, 0x3ff0000004000000, 0x3ff0000002000000, 0x3cc0000000000000)
        fsrmi 3  /* frm = RUP */
        TEST_F3(139, D, fmadd.d, dyn, 0x3ff0000006000003, NX, 0x3ff0000004000000, 0x3ff0000002000000, 0x3cc0000000000000)
        fsrmi 4  /* frm = RMM */
        TEST_F3(140, D, fmadd.d, dyn, 0x3ff0000006000003, NX, 0x3ff0000004000000, 0x3ff0000002000000, 0x3cc0000000000000)

/* fmadd (1+u) * -(1+u) + -3u/8 = -(1 + 2u + 3u/8 + u^2): 0xbff0000000000002 - 0.375 ulp */
        TEST_F3(141, D, fmadd.d, rne, 0xbff0000000000002, NX, 0x3ff0000000000001, 0xbff0000000000001, 0xbc98000000000000)
        TEST_F3(142, D, fmadd.d, rtz, 0xbff0000000000002, NX, 0x3ff0000000000001, 0xbff0000000000001, 0xbc98000000000000)
        TEST_F3(143, D, fmadd.d, rdn, 0xbff0000000000003, NX, 0x3ff0000000000001, 0xbff0000000000001, 0xbc98000000000000)
        TEST_F3(144, D, fmadd.d, rup, 0xbff0000000000002, NX, 0x3ff0000000000001, 0xbff0000000000001, 0xbc98000000000000)
        TEST_F3(145, D, fmadd.d, rmm, 0xbff0000000000002, NX, 0x3ff0000000000001, 0xbff0000000000001, 0xbc98000000000000)
        fsrmi 0  /* frm = RNE */
        TEST_F3(146, D, fmadd.d, dyn, 0xbff0000000000002, NX, 0x3ff0000000000001, 0xbff0000000000001, 0xbc98000000000000)
        fsrmi 1  /* frm = RTZ */
        TEST_F3(147, D, fmadd.d, dyn, 0xbff0000000000002, NX, 0x3ff0000000000001, 0xbff0000000000001, 0xbc98000000000000)
        fsrmi 2  /* frm = RDN */
        TEST_F3(148, D, fmadd.d, dyn, 0xbff0000000000003, NX, 0x3ff0000000000001, 0xbff0000000000001, 0xbc98000000000000)
        fsrmi 3  /* frm = RUP */
        TEST_F3(149, D, fmadd.d, dyn, 0xbff0000000000002, NX, 0x3ff0000000000001, 0xbff0000000000001, 0xbc98000000000000)
        fsrmi 4  /* frm = RMM */
        TEST_F3(150, D, fmadd.d, dyn, 0xbff0000000000002, NX, 0x3ff0000000000001, 0xbff0000000000001, 0xbc98000000000000)

/* fnmadd -((1 + 2^-26)(1 + 2^-27)) - 0: 0xbff0000006000000 - 1/2 ulp, negative tie: RNE RTZ RUP toward zero, RDN RMM away */
        TEST_F3(151, D, fnmadd.d, rne, 0xbff0000006000000, NX, 0x3ff0000004000000, 0x3ff0000002000000, 0x0000000000000000)
        TEST_F3(152, D, fnmadd.d, rtz, 0xbff0000006000000, NX, 0x3ff0000004000000, 0x3ff0000002000000, 0x0000000000000000)
        TEST_F3(153, D, fnmadd.d, rdn, 0xbff0000006000001, NX, 0x3ff0000004000000, 0x3ff0000002000000, 0x0000000000000000)
        TEST_F3(154, D, fnmadd.d, rup, 0xbff0000006000000, NX, 0x3ff0000004000000, 0x3ff0000002000000, 0x0000000000000000)
        TEST_F3(155, D, fnmadd.d, rmm, 0xbff0000006000001, NX, 0x3ff0000004000000, 0x3ff0000002000000, 0x0000000000000000)
        fsrmi 0  /* frm = RNE */
        TEST_F3(156, D, fnmadd.d, dyn, 0xbff0000006000000, NX, 0x3ff0000004000000, 0x3ff0000002000000, 0x0000000000000000)
        fsrmi 1  /* frm = RTZ */
        TEST_F3(157, D, fnmadd.d, dyn, 0xbff0000006000000, NX, 0x3ff0000004000000, 0x3ff0000002000000, 0x0000000000000000)
        fsrmi 2  /* frm = RDN */
        TEST_F3(158, D, fnmadd.d, dyn, 0xbff0000006000001, NX, 0x3ff0000004000000, 0x3ff0000002000000, 0x0000000000000000)
        fsrmi 3  /* frm = RUP */
        TEST_F3(159, D, fnmadd.d, dyn, 0xbff0000006000000, NX, 0x3ff0000004000000, 0x3ff0000002000000, 0x0000000000000000)
        fsrmi 4  /* frm = RMM */
        TEST_F3(160, D, fnmadd.d, dyn, 0xbff0000006000001, NX, 0x3ff0000004000000, 0x3ff0000002000000, 0x0000000000000000)

        fsrmi 0
        j pass
TEST_END
