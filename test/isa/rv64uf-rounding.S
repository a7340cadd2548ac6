/* Single-precision rounding modes (F extension): fadd/fsub/fmul/fdiv/fsqrt/fmadd.s under every static and dynamic
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
/* A single operand is moved in with fmv.w.x, which NaN-boxes it. */
#define LOAD_S(fr, v) li t0, v; fmv.w.x fr, t0
/* A single result is checked on all 64 bits of the f register: it must be NaN-boxed. */
#define CHECK_S(fr, v) fmv.x.d a0, fr; li t6, 0xffffffff00000000 | (v); bne a0, t6, fail
/* fa2 = inst(fa0, fa1) with rounding mode rm; f is the format (S or D). */
#define TEST_FF(n, f, inst, rm, res, fl, a, b) TEST_CASE(n); LOAD_##f(fa0, a); LOAD_##f(fa1, b); fsflags zero; inst fa2, fa0, fa1, rm; CHECK_FLAGS(fl); CHECK_##f(fa2, res)
/* fa2 = inst(fa0) with rounding mode rm; fd/fs are the result/operand formats. */
#define TEST_F1(n, fd, fs, inst, rm, res, fl, a) TEST_CASE(n); LOAD_##fs(fa0, a); fsflags zero; inst fa2, fa0, rm; CHECK_FLAGS(fl); CHECK_##fd(fa2, res)
/* fa3 = inst(fa0, fa1, fa2) with rounding mode rm (fused multiply-add family). */
#define TEST_F3(n, f, inst, rm, res, fl, a, b, c) TEST_CASE(n); LOAD_##f(fa0, a); LOAD_##f(fa1, b); LOAD_##f(fa2, c); fsflags zero; inst fa3, fa0, fa1, fa2, rm; CHECK_FLAGS(fl); CHECK_##f(fa3, res)

TEST_BEGIN

/* fadd 1 + 3u/4: 0x3f800000 + 3/4 ulp; up: RNE RUP RMM, down: RTZ RDN */
        TEST_FF(1, S, fadd.s, rne, 0x3f800001, NX, 0x3f800000, 0x33c00000)
        TEST_FF(2, S, fadd.s, rtz, 0x3f800000, NX, 0x3f800000, 0x33c00000)
        TEST_FF(3, S, fadd.s, rdn, 0x3f800000, NX, 0x3f800000, 0x33c00000)
        TEST_FF(4, S, fadd.s, rup, 0x3f800001, NX, 0x3f800000, 0x33c00000)
        TEST_FF(5, S, fadd.s, rmm, 0x3f800001, NX, 0x3f800000, 0x33c00000)
        fsrmi 0  /* frm = RNE */
        TEST_FF(6, S, fadd.s, dyn, 0x3f800001, NX, 0x3f800000, 0x33c00000)
        fsrmi 1  /* frm = RTZ */
        TEST_FF(7, S, fadd.s, dyn, 0x3f800000, NX, 0x3f800000, 0x33c00000)
        fsrmi 2  /* frm = RDN */
        TEST_FF(8, S, fadd.s, dyn, 0x3f800000, NX, 0x3f800000, 0x33c00000)
        fsrmi 3  /* frm = RUP */
        TEST_FF(9, S, fadd.s, dyn, 0x3f800001, NX, 0x3f800000, 0x33c00000)
        fsrmi 4  /* frm = RMM */
        TEST_FF(10, S, fadd.s, dyn, 0x3f800001, NX, 0x3f800000, 0x33c00000)

/* fadd -1 + -u/4: 0xbf800000 - 1/4 ulp; RDN away from zero, the others give -1 */
        TEST_FF(11, S, fadd.s, rne, 0xbf800000, NX, 0xbf800000, 0xb3000000)
        TEST_FF(12, S, fadd.s, rtz, 0xbf800000, NX, 0xbf800000, 0xb3000000)
        TEST_FF(13, S, fadd.s, rdn, 0xbf800001, NX, 0xbf800000, 0xb3000000)
        TEST_FF(14, S, fadd.s, rup, 0xbf800000, NX, 0xbf800000, 0xb3000000)
        TEST_FF(15, S, fadd.s, rmm, 0xbf800000, NX, 0xbf800000, 0xb3000000)
        fsrmi 0  /* frm = RNE */
        TEST_FF(16, S, fadd.s, dyn, 0xbf800000, NX, 0xbf800000, 0xb3000000)
        fsrmi 1  /* frm = RTZ */
        TEST_FF(17, S, fadd.s, dyn, 0xbf800000, NX, 0xbf800000, 0xb3000000)
        fsrmi 2  /* frm = RDN */
        TEST_FF(18, S, fadd.s, dyn, 0xbf800001, NX, 0xbf800000, 0xb3000000)
        fsrmi 3  /* frm = RUP */
        TEST_FF(19, S, fadd.s, dyn, 0xbf800000, NX, 0xbf800000, 0xb3000000)
        fsrmi 4  /* frm = RMM */
        TEST_FF(20, S, fadd.s, dyn, 0xbf800000, NX, 0xbf800000, 0xb3000000)

/* fadd 1 + u/2: tie, RNE to even gives 1, RMM gives 1 + u */
        TEST_FF(21, S, fadd.s, rne, 0x3f800000, NX, 0x3f800000, 0x33800000)
        TEST_FF(22, S, fadd.s, rtz, 0x3f800000, NX, 0x3f800000, 0x33800000)
        TEST_FF(23, S, fadd.s, rdn, 0x3f800000, NX, 0x3f800000, 0x33800000)
        TEST_FF(24, S, fadd.s, rup, 0x3f800001, NX, 0x3f800000, 0x33800000)
        TEST_FF(25, S, fadd.s, rmm, 0x3f800001, NX, 0x3f800000, 0x33800000)
        fsrmi 0  /* frm = RNE */
        TEST_FF(26, S, fadd.s, dyn, 0x3f800000, NX, 0x3f800000, 0x33800000)
        fsrmi 1  /* frm = RTZ */
        TEST_FF(27, S, fadd.s, dyn, 0x3f800000, NX, 0x3f800000, 0x33800000)
        fsrmi 2  /* frm = RDN */
        TEST_FF(28, S, fadd.s, dyn, 0x3f800000, NX, 0x3f800000, 0x33800000)
        fsrmi 3  /* frm = RUP */
        TEST_FF(29, S, fadd.s, dyn, 0x3f800001, NX, 0x3f800000, 0x33800000)
        fsrmi 4  /* frm = RMM */
        TEST_FF(30, S, fadd.s, dyn, 0x3f800001, NX, 0x3f800000, 0x33800000)

/* fadd (1+u) + u/2: tie with odd neighbour, RNE and RMM both give 1 + 2u */
        TEST_FF(31, S, fadd.s, rne, 0x3f800002, NX, 0x3f800001, 0x33800000)
        TEST_FF(32, S, fadd.s, rtz, 0x3f800001, NX, 0x3f800001, 0x33800000)
        TEST_FF(33, S, fadd.s, rdn, 0x3f800001, NX, 0x3f800001, 0x33800000)
        TEST_FF(34, S, fadd.s, rup, 0x3f800002, NX, 0x3f800001, 0x33800000)
        TEST_FF(35, S, fadd.s, rmm, 0x3f800002, NX, 0x3f800001, 0x33800000)
        fsrmi 0  /* frm = RNE */
        TEST_FF(36, S, fadd.s, dyn, 0x3f800002, NX, 0x3f800001, 0x33800000)
        fsrmi 1  /* frm = RTZ */
        TEST_FF(37, S, fadd.s, dyn, 0x3f800001, NX, 0x3f800001, 0x33800000)
        fsrmi 2  /* frm = RDN */
        TEST_FF(38, S, fadd.s, dyn, 0x3f800001, NX, 0x3f800001, 0x33800000)
        fsrmi 3  /* frm = RUP */
        TEST_FF(39, S, fadd.s, dyn, 0x3f800002, NX, 0x3f800001, 0x33800000)
        fsrmi 4  /* frm = RMM */
        TEST_FF(40, S, fadd.s, dyn, 0x3f800002, NX, 0x3f800001, 0x33800000)

/* fsub -1 - u/2: negative tie, RNE -1, RMM and RDN -(1 + u) */
        TEST_FF(41, S, fsub.s, rne, 0xbf800000, NX, 0xbf800000, 0x33800000)
        TEST_FF(42, S, fsub.s, rtz, 0xbf800000, NX, 0xbf800000, 0x33800000)
        TEST_FF(43, S, fsub.s, rdn, 0xbf800001, NX, 0xbf800000, 0x33800000)
        TEST_FF(44, S, fsub.s, rup, 0xbf800000, NX, 0xbf800000, 0x33800000)
        TEST_FF(45, S, fsub.s, rmm, 0xbf800001, NX, 0xbf800000, 0x33800000)
        fsrmi 0  /* frm = RNE */
        TEST_FF(46, S, fsub.s, dyn, 0xbf800000, NX, 0xbf800000, 0x33800000)
        fsrmi 1  /* frm = RTZ */
        TEST_FF(47, S, fsub.s, dyn, 0xbf800000, NX, 0xbf800000, 0x33800000)
        fsrmi 2  /* frm = RDN */
        TEST_FF(48, S, fsub.s, dyn, 0xbf800001, NX, 0xbf800000, 0x33800000)
        fsrmi 3  /* frm = RUP */
        TEST_FF(49, S, fsub.s, dyn, 0xbf800000, NX, 0xbf800000, 0x33800000)
        fsrmi 4  /* frm = RMM */
        TEST_FF(50, S, fsub.s, dyn, 0xbf800001, NX, 0xbf800000, 0x33800000)

/* fsub 1 - 1: exact zero is +0 in every mode except RDN (-0) */
        TEST_FF(51, S, fsub.s, rne, 0x00000000, 0, 0x3f800000, 0x3f800000)
        TEST_FF(52, S, fsub.s, rtz, 0x00000000, 0, 0x3f800000, 0x3f800000)
        TEST_FF(53, S, fsub.s, rdn, 0x80000000, 0, 0x3f800000, 0x3f800000)
        TEST_FF(54, S, fsub.s, rup, 0x00000000, 0, 0x3f800000, 0x3f800000)
        TEST_FF(55, S, fsub.s, rmm, 0x00000000, 0, 0x3f800000, 0x3f800000)
        fsrmi 0  /* frm = RNE */
        TEST_FF(56, S, fsub.s, dyn, 0x00000000, 0, 0x3f800000, 0x3f800000)
        fsrmi 1  /* frm = RTZ */
        TEST_FF(57, S, fsub.s, dyn, 0x00000000, 0, 0x3f800000, 0x3f800000)
        fsrmi 2  /* frm = RDN */
        TEST_FF(58, S, fsub.s, dyn, 0x80000000, 0, 0x3f800000, 0x3f800000)
        fsrmi 3  /* frm = RUP */
        TEST_FF(59, S, fsub.s, dyn, 0x00000000, 0, 0x3f800000, 0x3f800000)
        fsrmi 4  /* frm = RMM */
        TEST_FF(60, S, fsub.s, dyn, 0x00000000, 0, 0x3f800000, 0x3f800000)

/* fmul (1 + 2^-12)(1 + 2^-12) = 1 + 2^-11 + 2^-24: a tie (0x3f801000 + 1/2 ulp), RNE to even rounds down, RMM up */
        TEST_FF(61, S, fmul.s, rne, 0x3f801000, NX, 0x3f800800, 0x3f800800)
        TEST_FF(62, S, fmul.s, rtz, 0x3f801000, NX, 0x3f800800, 0x3f800800)
        TEST_FF(63, S, fmul.s, rdn, 0x3f801000, NX, 0x3f800800, 0x3f800800)
        TEST_FF(64, S, fmul.s, rup, 0x3f801001, NX, 0x3f800800, 0x3f800800)
        TEST_FF(65, S, fmul.s, rmm, 0x3f801001, NX, 0x3f800800, 0x3f800800)
        fsrmi 0  /* frm = RNE */
        TEST_FF(66, S, fmul.s, dyn, 0x3f801000, NX, 0x3f800800, 0x3f800800)
        fsrmi 1  /* frm = RTZ */
        TEST_FF(67, S, fmul.s, dyn, 0x3f801000, NX, 0x3f800800, 0x3f800800)
        fsrmi 2  /* frm = RDN */
        TEST_FF(68, S, fmul.s, dyn, 0x3f801000, NX, 0x3f800800, 0x3f800800)
        fsrmi 3  /* frm = RUP */
        TEST_FF(69, S, fmul.s, dyn, 0x3f801001, NX, 0x3f800800, 0x3f800800)
        fsrmi 4  /* frm = RMM */
        TEST_FF(70, S, fmul.s, dyn, 0x3f801001, NX, 0x3f800800, 0x3f800800)

/* fmul (1+u) * -(1+u) = -(1 + 2u + u^2): 0xbf800002 - 1.19e-07 ulp */
        TEST_FF(71, S, fmul.s, rne, 0xbf800002, NX, 0x3f800001, 0xbf800001)
        TEST_FF(72, S, fmul.s, rtz, 0xbf800002, NX, 0x3f800001, 0xbf800001)
        TEST_FF(73, S, fmul.s, rdn, 0xbf800003, NX, 0x3f800001, 0xbf800001)
        TEST_FF(74, S, fmul.s, rup, 0xbf800002, NX, 0x3f800001, 0xbf800001)
        TEST_FF(75, S, fmul.s, rmm, 0xbf800002, NX, 0x3f800001, 0xbf800001)
        fsrmi 0  /* frm = RNE */
        TEST_FF(76, S, fmul.s, dyn, 0xbf800002, NX, 0x3f800001, 0xbf800001)
        fsrmi 1  /* frm = RTZ */
        TEST_FF(77, S, fmul.s, dyn, 0xbf800002, NX, 0x3f800001, 0xbf800001)
        fsrmi 2  /* frm = RDN */
        TEST_FF(78, S, fmul.s, dyn, 0xbf800003, NX, 0x3f800001, 0xbf800001)
        fsrmi 3  /* frm = RUP */
        TEST_FF(79, S, fmul.s, dyn, 0xbf800002, NX, 0x3f800001, 0xbf800001)
        fsrmi 4  /* frm = RMM */
        TEST_FF(80, S, fmul.s, dyn, 0xbf800002, NX, 0x3f800001, 0xbf800001)

/* fmul 0x3f8ccccd * 0x3fa66666 (nearest 1.1 and 1.3): 0x3fb70a3d + 0.26 ulp */
        TEST_FF(81, S, fmul.s, rne, 0x3fb70a3d, NX, 0x3f8ccccd, 0x3fa66666)
        TEST_FF(82, S, fmul.s, rtz, 0x3fb70a3d, NX, 0x3f8ccccd, 0x3fa66666)
        TEST_FF(83, S, fmul.s, rdn, 0x3fb70a3d, NX, 0x3f8ccccd, 0x3fa66666)
        TEST_FF(84, S, fmul.s, rup, 0x3fb70a3e, NX, 0x3f8ccccd, 0x3fa66666)
        TEST_FF(85, S, fmul.s, rmm, 0x3fb70a3d, NX, 0x3f8ccccd, 0x3fa66666)
        fsrmi 0  /* frm = RNE */
        TEST_FF(86, S, fmul.s, dyn, 0x3fb70a3d, NX, 0x3f8ccccd, 0x3fa66666)
        fsrmi 1  /* frm = RTZ */
        TEST_FF(87, S, fmul.s, dyn, 0x3fb70a3d, NX, 0x3f8ccccd, 0x3fa66666)
        fsrmi 2  /* frm = RDN */
        TEST_FF(88, S, fmul.s, dyn, 0x3fb70a3d, NX, 0x3f8ccccd, 0x3fa66666)
        fsrmi 3  /* frm = RUP */
        TEST_FF(89, S, fmul.s, dyn, 0x3fb70a3e, NX, 0x3f8ccccd, 0x3fa66666)
        fsrmi 4  /* frm = RMM */
        TEST_FF(90, S, fmul.s, dyn, 0x3fb70a3d, NX, 0x3f8ccccd, 0x3fa66666)

/* fdiv 1 / 3: 0x3eaaaaaa + 2/3 ulp */
        TEST_FF(91, S, fdiv.s, rne, 0x3eaaaaab, NX, 0x3f800000, 0x40400000)
        TEST_FF(92, S, fdiv.s, rtz, 0x3eaaaaaa, NX, 0x3f800000, 0x40400000)
        TEST_FF(93, S, fdiv.s, rdn, 0x3eaaaaaa, NX, 0x3f800000, 0x40400000)
        TEST_FF(94, S, fdiv.s, rup, 0x3eaaaaab, NX, 0x3f800000, 0x40400000)
        TEST_FF(95, S, fdiv.s, rmm, 0x3eaaaaab, NX, 0x3f800000, 0x40400000)
        fsrmi 0  /* frm = RNE */
        TEST_FF(96, S, fdiv.s, dyn, 0x3eaaaaab, NX, 0x3f800000, 0x40400000)
        fsrmi 1  /* frm = RTZ */
        TEST_FF(97, S, fdiv.s, dyn, 0x3eaaaaaa, NX, 0x3f800000, 0x40400000)
        fsrmi 2  /* frm = RDN */
        TEST_FF(98, S, fdiv.s, dyn, 0x3eaaaaaa, NX, 0x3f800000, 0x40400000)
        fsrmi 3  /* frm = RUP */
        TEST_FF(99, S, fdiv.s, dyn, 0x3eaaaaab, NX, 0x3f800000, 0x40400000)
        fsrmi 4  /* frm = RMM */
        TEST_FF(100, S, fdiv.s, dyn, 0x3eaaaaab, NX, 0x3f800000, 0x40400000)

/* fdiv -10 / 3: 0xc0555555 - 1/3 ulp */
        TEST_FF(101, S, fdiv.s, rne, 0xc0555555, NX, 0xc1200000, 0x40400000)
        TEST_FF(102, S, fdiv.s, rtz, 0xc0555555, NX, 0xc1200000, 0x40400000)
        TEST_FF(103, S, fdiv.s, rdn, 0xc0555556, NX, 0xc1200000, 0x40400000)
        TEST_FF(104, S, fdiv.s, rup, 0xc0555555, NX, 0xc1200000, 0x40400000)
        TEST_FF(105, S, fdiv.s, rmm, 0xc0555555, NX, 0xc1200000, 0x40400000)
        fsrmi 0  /* frm = RNE */
        TEST_FF(106, S, fdiv.s, dyn, 0xc0555555, NX, 0xc1200000, 0x40400000)
        fsrmi 1  /* frm = RTZ */
        TEST_FF(107, S, fdiv.s, dyn, 0xc0555555, NX, 0xc1200000, 0x40400000)
        fsrmi 2  /* frm = RDN */
        TEST_FF(108, S, fdiv.s, dyn, 0xc0555556, NX, 0xc1200000, 0x40400000)
        fsrmi 3  /* frm = RUP */
        TEST_FF(109, S, fdiv.s, dyn, 0xc0555555, NX, 0xc1200000, 0x40400000)
        fsrmi 4  /* frm = RMM */
        TEST_FF(110, S, fdiv.s, dyn, 0xc0555555, NX, 0xc1200000, 0x40400000)

/* fsqrt(5): 0x400f1bbc + 0.862 ulp */
        TEST_F1(111, S, S, fsqrt.s, rne, 0x400f1bbd, NX, 0x40a00000)
        TEST_F1(112, S, S, fsqrt.s, rtz, 0x400f1bbc, NX, 0x40a00000)
        TEST_F1(113, S, S, fsqrt.s, rdn, 0x400f1bbc, NX, 0x40a00000)
        TEST_F1(114, S, S, fsqrt.s, rup, 0x400f1bbd, NX, 0x40a00000)
        TEST_F1(115, S, S, fsqrt.s, rmm, 0x400f1bbd, NX, 0x40a00000)
        fsrmi 0  /* frm = RNE */
        TEST_F1(116, S, S, fsqrt.s, dyn, 0x400f1bbd, NX, 0x40a00000)
        fsrmi 1  /* frm = RTZ */
        TEST_F1(117, S, S, fsqrt.s, dyn, 0x400f1bbc, NX, 0x40a00000)
        fsrmi 2  /* frm = RDN */
        TEST_F1(118, S, S, fsqrt.s, dyn, 0x400f1bbc, NX, 0x40a00000)
        fsrmi 3  /* frm = RUP */
        TEST_F1(119, S, S, fsqrt.s, dyn, 0x400f1bbd, NX, 0x40a00000)
        fsrmi 4  /* frm = RMM */
        TEST_F1(120, S, S, fsqrt.s, dyn, 0x400f1bbd, NX, 0x40a00000)

/* fsqrt(2): 0x3fb504f3 + 0.203 ulp */
        TEST_F1(121, S, S, fsqrt.s, rne, 0x3fb504f3, NX, 0x40000000)
        TEST_F1(122, S, S, fsqrt.s, rtz, 0x3fb504f3, NX, 0x40000000)
        TEST_F1(123, S, S, fsqrt.s, rdn, 0x3fb504f3, NX, 0x40000000)
        TEST_F1(124, S, S, fsqrt.s, rup, 0x3fb504f4, NX, 0x40000000)
        TEST_F1(125, S, S, fsqrt.s, rmm, 0x3fb504f3, NX, 0x40000000)
        fsrmi 0  /* frm = RNE */
        TEST_F1(126, S, S, fsqrt.s, dyn, 0x3fb504f3, NX, 0x40000000)
        fsrmi 1  /* frm = RTZ */
        TEST_F1(127, S, S, fsqrt.s, dyn, 0x3fb504f3, NX, 0x40000000)
        fsrmi 2  /* frm = RDN */
        TEST_F1(128, S, S, fsqrt.s, dyn, 0x3fb504f3, NX, 0x40000000)
        fsrmi 3  /* frm = RUP */
        TEST_F1(129, S, S, fsqrt.s, dyn, 0x3fb504f4, NX, 0x40000000)
        fsrmi 4  /* frm = RMM */
        TEST_F1(130, S, S, fsqrt.s, dyn, 0x3fb504f3, NX, 0x40000000)

/* fmadd (1 + 2^-12)(1 + 2^-12) + 2u = 1 + 2^-11 + 2^-24 + 2u: 0x3f801002 + 1/2 ulp, a tie of the exact sum, rounded once: RNE to even down, RMM up */
        TEST_F3(131, S, fmadd.s, rne, 0x3f801002, NX, 0x3f800800, 0x3f800800, 0x34800000)
        TEST_F3(132, S, fmadd.s, rtz, 0x3f801002, NX, 0x3f800800, 0x3f800800, 0x34800000)
        TEST_F3(133, S, fmadd.s, rdn, 0x3f801002, NX, 0x3f800800, 0x3f800800, 0x34800000)
        TEST_F3(134, S, fmadd.s, rup, 0x3f801003, NX, 0x3f800800, 0x3f800800, 0x34800000)
        TEST_F3(135, S, fmadd.s, rmm, 0x3f801003, NX, 0x3f800800, 0x3f800800, 0x34800000)
        fsrmi 0  /* frm = RNE */
        TEST_F3(136, S, fmadd.s, dyn, 0x3f801002, NX, 0x3f800800, 0x3f800800, 0x34800000)
        fsrmi 1  /* frm = RTZ */
        TEST_F3(137, S, fmadd.s, dyn, 0x3f801002, NX, 0x3f800800, 0x3f800800, 0x34800000)
        fsrmi 2  /* frm = RDN */
        TEST_F3(138, S, fmadd.s, dyn, 0x3f801002, NX, 0x3f800800, 0x3f800800, 0x34800000)
        fsrmi 3  /* frm = RUP */
        TEST_F3(139, S, fmadd.s, dyn, 0x3f801003, NX, 0x3f800800, 0x3f800800, 0x34800000)
        fsrmi 4  /* frm = RMM */
        TEST_F3(140, S, fmadd.s, dyn, 0x3f801003, NX, 0x3f800800, 0x3f800800, 0x34800000)

/* fmadd (1+u) * -(1+u) + -3u/8 = -(1 + 2u + 3u/8 + u^2): 0xbf800002 - 0.375 ulp */
        TEST_F3(141, S, fmadd.s, rne, 0xbf800002, NX, 0x3f800001, 0xbf800001, 0xb3400000)
        TEST_F3(142, S, fmadd.s, rtz, 0xbf800002, NX, 0x3f800001, 0xbf800001, 0xb3400000)
        TEST_F3(143, S, fmadd.s, rdn, 0xbf800003, NX, 0x3f800001, 0xbf800001, 0xb3400000)
        TEST_F3(144, S, fmadd.s, rup, 0xbf800002, NX, 0x3f800001, 0xbf800001, 0xb3400000)
        TEST_F3(145, S, fmadd.s, rmm, 0xbf800002, NX, 0x3f800001, 0xbf800001, 0xb3400000)
        fsrmi 0  /* frm = RNE */
        TEST_F3(146, S, fmadd.s, dyn, 0xbf800002, NX, 0x3f800001, 0xbf800001, 0xb3400000)
        fsrmi 1  /* frm = RTZ */
        TEST_F3(147, S, fmadd.s, dyn, 0xbf800002, NX, 0x3f800001, 0xbf800001, 0xb3400000)
        fsrmi 2  /* frm = RDN */
        TEST_F3(148, S, fmadd.s, dyn, 0xbf800003, NX, 0x3f800001, 0xbf800001, 0xb3400000)
        fsrmi 3  /* frm = RUP */
        TEST_F3(149, S, fmadd.s, dyn, 0xbf800002, NX, 0x3f800001, 0xbf800001, 0xb3400000)
        fsrmi 4  /* frm = RMM */
        TEST_F3(150, S, fmadd.s, dyn, 0xbf800002, NX, 0x3f800001, 0xbf800001, 0xb3400000)

/* fnmadd -((1 + 2^-12)(1 + 2^-12)) - 0: 0xbf801000 - 1/2 ulp, negative tie: RNE RTZ RUP toward zero, RDN RMM away */
        TEST_F3(151, S, fnmadd.s, rne, 0xbf801000, NX, 0x3f800800, 0x3f800800, 0x00000000)
        TEST_F3(152, S, fnmadd.s, rtz, 0xbf801000, NX, 0x3f800800, 0x3f800800, 0x00000000)
        TEST_F3(153, S, fnmadd.s, rdn, 0xbf801001, NX, 0x3f800800, 0x3f800800, 0x00000000)
        TEST_F3(154, S, fnmadd.s, rup, 0xbf801000, NX, 0x3f800800, 0x3f800800, 0x00000000)
        TEST_F3(155, S, fnmadd.s, rmm, 0xbf801001, NX, 0x3f800800, 0x3f800800, 0x00000000)
        fsrmi 0  /* frm = RNE */
        TEST_F3(156, S, fnmadd.s, dyn, 0xbf801000, NX, 0x3f800800, 0x3f800800, 0x00000000)
        fsrmi 1  /* frm = RTZ */
        TEST_F3(157, S, fnmadd.s, dyn, 0xbf801000, NX, 0x3f800800, 0x3f800800, 0x00000000)
        fsrmi 2  /* frm = RDN */
        TEST_F3(158, S, fnmadd.s, dyn, 0xbf801001, NX, 0x3f800800, 0x3f800800, 0x00000000)
        fsrmi 3  /* frm = RUP */
        TEST_F3(159, S, fnmadd.s, dyn, 0xbf801000, NX, 0x3f800800, 0x3f800800, 0x00000000)
        fsrmi 4  /* frm = RMM */
        TEST_F3(160, S, fnmadd.s, dyn, 0xbf801001, NX, 0x3f800800, 0x3f800800, 0x00000000)

        fsrmi 0
        j pass
TEST_END
