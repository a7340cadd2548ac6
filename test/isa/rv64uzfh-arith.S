/* Half-precision arithmetic (Zfh): fadd/fsub/fmul/fdiv/fsqrt.h and the four fused multiply-adds
   under every static rounding mode, and the dynamic one (rm = DYN, the mode in frm) for some, with
   the accrued flags of each (F chapter: tininess after rounding, canonical NaN results, NV for
   invalid operations and signaling NaN operands, DZ). Zfh defines these like their single-
   precision counterparts on binary16 (p = 11, emin = -14, largest finite 65504 = 0x7bff, smallest
   subnormal 2^-24 = 0x0001, canonical NaN 0x7e00).
   Expected values were derived with exact rational arithmetic (python3 fractions) rounded following
   IEEE 754-2019 section 4.3; each group's comment says why it gives its results. Operands are
   moved in with fmv.h.x, which NaN-boxes them; results are checked on all 64 bits of the f
   register (upper 48 bits all ones). The last cases give operands that are not properly NaN-boxed:
   the operation sees the canonical NaN.
   isa-tests-march: rv64gc_zfh */
#include "test.h"

#define NV 0x10
#define DZ 0x08
#define OF 0x04
#define UF 0x02
#define NX 0x01
/* Read and clear the accrued exception flags (fflags), compare with f. */
#define CHECK_FLAGS(f) csrrw t0, fflags, zero; li t6, f; bne t0, t6, fail
#define LOAD_H(fr, v) li t0, v; fmv.h.x fr, t0
#define CHECK_H(fr, v) fmv.x.d a0, fr; li t6, 0xffffffffffff0000 | (v); bne a0, t6, fail
/* fa2 = inst(fa0, fa1) with rounding mode rm. */
#define TEST_FF(n, f, inst, rm, res, fl, a, b) TEST_CASE(n); LOAD_##f(fa0, a); LOAD_##f(fa1, b); fsflags zero; inst fa2, fa0, fa1, rm; CHECK_FLAGS(fl); CHECK_##f(fa2, res)
/* fa2 = inst(fa0) with rounding mode rm; fd/fs are the result/operand formats. */
#define TEST_F1(n, fd, fs, inst, rm, res, fl, a) TEST_CASE(n); LOAD_##fs(fa0, a); fsflags zero; inst fa2, fa0, rm; CHECK_FLAGS(fl); CHECK_##fd(fa2, res)
/* fa3 = inst(fa0, fa1, fa2) with rounding mode rm. */
#define TEST_F3(n, f, inst, rm, res, fl, a, b, c) TEST_CASE(n); LOAD_##f(fa0, a); LOAD_##f(fa1, b); LOAD_##f(fa2, c); fsflags zero; inst fa3, fa0, fa1, fa2, rm; CHECK_FLAGS(fl); CHECK_##f(fa3, res)
/* Operands given as all 64 register bits (fmv.d.x), to break the NaN-box. */
#define LOAD_RAW(fr, v) li t0, v; fmv.d.x fr, t0
#define TEST_RAW2(n, inst, res, fl, a, b) TEST_CASE(n); LOAD_RAW(fa0, a); LOAD_RAW(fa1, b); fsflags zero; inst fa2, fa0, fa1, rne; CHECK_FLAGS(fl); CHECK_H(fa2, res)

TEST_BEGIN
        fsrmi 0
/* fadd 1 + 2^-11: a tie; RNE keeps the even 1.0, RMM and RUP go up */
        TEST_FF(1, H, fadd.h, rne, 0x3c00, NX, 0x3c00, 0x1000)
        TEST_FF(2, H, fadd.h, rtz, 0x3c00, NX, 0x3c00, 0x1000)
        TEST_FF(3, H, fadd.h, rdn, 0x3c00, NX, 0x3c00, 0x1000)
        TEST_FF(4, H, fadd.h, rup, 0x3c01, NX, 0x3c00, 0x1000)
        TEST_FF(5, H, fadd.h, rmm, 0x3c01, NX, 0x3c00, 0x1000)
        fsrmi 0
        TEST_FF(6, H, fadd.h, dyn, 0x3c00, NX, 0x3c00, 0x1000)
        fsrmi 1
        TEST_FF(7, H, fadd.h, dyn, 0x3c00, NX, 0x3c00, 0x1000)
        fsrmi 2
        TEST_FF(8, H, fadd.h, dyn, 0x3c00, NX, 0x3c00, 0x1000)
        fsrmi 3
        TEST_FF(9, H, fadd.h, dyn, 0x3c01, NX, 0x3c00, 0x1000)
        fsrmi 4
        TEST_FF(10, H, fadd.h, dyn, 0x3c01, NX, 0x3c00, 0x1000)
        fsrmi 0
/* fadd 1 + 3*2^-12: above the midpoint */
        TEST_FF(11, H, fadd.h, rne, 0x3c01, NX, 0x3c00, 0x1200)
        TEST_FF(12, H, fadd.h, rtz, 0x3c00, NX, 0x3c00, 0x1200)
        TEST_FF(13, H, fadd.h, rdn, 0x3c00, NX, 0x3c00, 0x1200)
        TEST_FF(14, H, fadd.h, rup, 0x3c01, NX, 0x3c00, 0x1200)
        TEST_FF(15, H, fadd.h, rmm, 0x3c01, NX, 0x3c00, 0x1200)
/* fadd -1 - 2^-11: a negative tie; RDN and RMM go away from zero */
        TEST_FF(16, H, fadd.h, rne, 0xbc00, NX, 0xbc00, 0x9000)
        TEST_FF(17, H, fadd.h, rtz, 0xbc00, NX, 0xbc00, 0x9000)
        TEST_FF(18, H, fadd.h, rdn, 0xbc01, NX, 0xbc00, 0x9000)
        TEST_FF(19, H, fadd.h, rup, 0xbc00, NX, 0xbc00, 0x9000)
        TEST_FF(20, H, fadd.h, rmm, 0xbc01, NX, 0xbc00, 0x9000)
/* fadd 65504 + 32 = 65536: overflow (OF NX): infinity or the largest finite by mode */
        TEST_FF(21, H, fadd.h, rne, 0x7c00, OF|NX, 0x7bff, 0x5000)
        TEST_FF(22, H, fadd.h, rtz, 0x7bff, OF|NX, 0x7bff, 0x5000)
        TEST_FF(23, H, fadd.h, rdn, 0x7bff, OF|NX, 0x7bff, 0x5000)
        TEST_FF(24, H, fadd.h, rup, 0x7c00, OF|NX, 0x7bff, 0x5000)
        TEST_FF(25, H, fadd.h, rmm, 0x7c00, OF|NX, 0x7bff, 0x5000)
        fsrmi 0
        TEST_FF(26, H, fadd.h, dyn, 0x7c00, OF|NX, 0x7bff, 0x5000)
        fsrmi 1
        TEST_FF(27, H, fadd.h, dyn, 0x7bff, OF|NX, 0x7bff, 0x5000)
        fsrmi 2
        TEST_FF(28, H, fadd.h, dyn, 0x7bff, OF|NX, 0x7bff, 0x5000)
        fsrmi 3
        TEST_FF(29, H, fadd.h, dyn, 0x7c00, OF|NX, 0x7bff, 0x5000)
        fsrmi 4
        TEST_FF(30, H, fadd.h, dyn, 0x7c00, OF|NX, 0x7bff, 0x5000)
        fsrmi 0
/* fadd 65504 + 16: the midpoint to 65536; RTZ/RDN do not overflow with an unbounded exponent */
        TEST_FF(31, H, fadd.h, rne, 0x7c00, OF|NX, 0x7bff, 0x4c00)
        TEST_FF(32, H, fadd.h, rtz, 0x7bff, NX, 0x7bff, 0x4c00)
        TEST_FF(33, H, fadd.h, rdn, 0x7bff, NX, 0x7bff, 0x4c00)
        TEST_FF(34, H, fadd.h, rup, 0x7c00, OF|NX, 0x7bff, 0x4c00)
        TEST_FF(35, H, fadd.h, rmm, 0x7c00, OF|NX, 0x7bff, 0x4c00)
/* fadd subnormals: 2^-14+2^-24 - 2^-14 = 2^-24 exactly (no UF: exact) */
        TEST_FF(36, H, fsub.h, rne, 0x1, 0, 0x401, 0x400)
        TEST_FF(37, H, fsub.h, rtz, 0x1, 0, 0x401, 0x400)
        TEST_FF(38, H, fsub.h, rdn, 0x1, 0, 0x401, 0x400)
        TEST_FF(39, H, fsub.h, rup, 0x1, 0, 0x401, 0x400)
        TEST_FF(40, H, fsub.h, rmm, 0x1, 0, 0x401, 0x400)
/* fsub x - x: +0, but -0 in RDN */
        TEST_FF(41, H, fsub.h, rne, 0x0, 0, 0x4500, 0x4500)
        TEST_FF(42, H, fsub.h, rtz, 0x0, 0, 0x4500, 0x4500)
        TEST_FF(43, H, fsub.h, rdn, 0x8000, 0, 0x4500, 0x4500)
        TEST_FF(44, H, fsub.h, rup, 0x0, 0, 0x4500, 0x4500)
        TEST_FF(45, H, fsub.h, rmm, 0x0, 0, 0x4500, 0x4500)
/* fadd -0 + -0 = -0; +0 + -0 = +0 (-0 in RDN) */
        TEST_FF(46, H, fadd.h, rne, 0x0, 0, 0x0, 0x8000)
        TEST_FF(47, H, fadd.h, rtz, 0x0, 0, 0x0, 0x8000)
        TEST_FF(48, H, fadd.h, rdn, 0x8000, 0, 0x0, 0x8000)
        TEST_FF(49, H, fadd.h, rup, 0x0, 0, 0x0, 0x8000)
        TEST_FF(50, H, fadd.h, rmm, 0x0, 0, 0x0, 0x8000)
/* fmul (1+2^-10)^2 = 1 + 2^-9 + 2^-20: just above 1+2^-9 */
        TEST_FF(51, H, fmul.h, rne, 0x3c02, NX, 0x3c01, 0x3c01)
        TEST_FF(52, H, fmul.h, rtz, 0x3c02, NX, 0x3c01, 0x3c01)
        TEST_FF(53, H, fmul.h, rdn, 0x3c02, NX, 0x3c01, 0x3c01)
        TEST_FF(54, H, fmul.h, rup, 0x3c03, NX, 0x3c01, 0x3c01)
        TEST_FF(55, H, fmul.h, rmm, 0x3c02, NX, 0x3c01, 0x3c01)
/* fmul 2^-24 * 0.5: a tie at half the smallest subnormal; tiny and inexact */
        TEST_FF(56, H, fmul.h, rne, 0x0, UF|NX, 0x1, 0x3800)
        TEST_FF(57, H, fmul.h, rtz, 0x0, UF|NX, 0x1, 0x3800)
        TEST_FF(58, H, fmul.h, rdn, 0x0, UF|NX, 0x1, 0x3800)
        TEST_FF(59, H, fmul.h, rup, 0x1, UF|NX, 0x1, 0x3800)
        TEST_FF(60, H, fmul.h, rmm, 0x1, UF|NX, 0x1, 0x3800)
        fsrmi 0
        TEST_FF(61, H, fmul.h, dyn, 0x0, UF|NX, 0x1, 0x3800)
        fsrmi 1
        TEST_FF(62, H, fmul.h, dyn, 0x0, UF|NX, 0x1, 0x3800)
        fsrmi 2
        TEST_FF(63, H, fmul.h, dyn, 0x0, UF|NX, 0x1, 0x3800)
        fsrmi 3
        TEST_FF(64, H, fmul.h, dyn, 0x1, UF|NX, 0x1, 0x3800)
        fsrmi 4
        TEST_FF(65, H, fmul.h, dyn, 0x1, UF|NX, 0x1, 0x3800)
        fsrmi 0
/* fmul 3*2^-24 * 0.5 = 1.5 units: a subnormal tie, even is 2 units */
        TEST_FF(66, H, fmul.h, rne, 0x2, UF|NX, 0x3, 0x3800)
        TEST_FF(67, H, fmul.h, rtz, 0x1, UF|NX, 0x3, 0x3800)
        TEST_FF(68, H, fmul.h, rdn, 0x1, UF|NX, 0x3, 0x3800)
        TEST_FF(69, H, fmul.h, rup, 0x2, UF|NX, 0x3, 0x3800)
        TEST_FF(70, H, fmul.h, rmm, 0x2, UF|NX, 0x3, 0x3800)
/* fmul (2^-14 - 2^-24) * (1 + 2^-10): tiny before rounding; after rounding (unbounded exponent) it reaches 2^-14 only when rounded up */
        TEST_FF(71, H, fmul.h, rne, 0x400, NX, 0x3ff, 0x3c01)
        TEST_FF(72, H, fmul.h, rtz, 0x3ff, UF|NX, 0x3ff, 0x3c01)
        TEST_FF(73, H, fmul.h, rdn, 0x3ff, UF|NX, 0x3ff, 0x3c01)
        TEST_FF(74, H, fmul.h, rup, 0x400, NX, 0x3ff, 0x3c01)
        TEST_FF(75, H, fmul.h, rmm, 0x400, NX, 0x3ff, 0x3c01)
/* fmul -65504 * 2: negative overflow */
        TEST_FF(76, H, fmul.h, rne, 0xfc00, OF|NX, 0xfbff, 0x4000)
        TEST_FF(77, H, fmul.h, rtz, 0xfbff, OF|NX, 0xfbff, 0x4000)
        TEST_FF(78, H, fmul.h, rdn, 0xfc00, OF|NX, 0xfbff, 0x4000)
        TEST_FF(79, H, fmul.h, rup, 0xfbff, OF|NX, 0xfbff, 0x4000)
        TEST_FF(80, H, fmul.h, rmm, 0xfc00, OF|NX, 0xfbff, 0x4000)
/* fdiv 1/3 */
        TEST_FF(81, H, fdiv.h, rne, 0x3555, NX, 0x3c00, 0x4200)
        TEST_FF(82, H, fdiv.h, rtz, 0x3555, NX, 0x3c00, 0x4200)
        TEST_FF(83, H, fdiv.h, rdn, 0x3555, NX, 0x3c00, 0x4200)
        TEST_FF(84, H, fdiv.h, rup, 0x3556, NX, 0x3c00, 0x4200)
        TEST_FF(85, H, fdiv.h, rmm, 0x3555, NX, 0x3c00, 0x4200)
        fsrmi 0
        TEST_FF(86, H, fdiv.h, dyn, 0x3555, NX, 0x3c00, 0x4200)
        fsrmi 1
        TEST_FF(87, H, fdiv.h, dyn, 0x3555, NX, 0x3c00, 0x4200)
        fsrmi 2
        TEST_FF(88, H, fdiv.h, dyn, 0x3555, NX, 0x3c00, 0x4200)
        fsrmi 3
        TEST_FF(89, H, fdiv.h, dyn, 0x3556, NX, 0x3c00, 0x4200)
        fsrmi 4
        TEST_FF(90, H, fdiv.h, dyn, 0x3555, NX, 0x3c00, 0x4200)
        fsrmi 0
/* fdiv -1/3 */
        TEST_FF(91, H, fdiv.h, rne, 0xb555, NX, 0xbc00, 0x4200)
        TEST_FF(92, H, fdiv.h, rtz, 0xb555, NX, 0xbc00, 0x4200)
        TEST_FF(93, H, fdiv.h, rdn, 0xb556, NX, 0xbc00, 0x4200)
        TEST_FF(94, H, fdiv.h, rup, 0xb555, NX, 0xbc00, 0x4200)
        TEST_FF(95, H, fdiv.h, rmm, 0xb555, NX, 0xbc00, 0x4200)
/* fdiv 2^-24 / 3: tiny */
        TEST_FF(96, H, fdiv.h, rne, 0x0, UF|NX, 0x1, 0x4200)
        TEST_FF(97, H, fdiv.h, rtz, 0x0, UF|NX, 0x1, 0x4200)
        TEST_FF(98, H, fdiv.h, rdn, 0x0, UF|NX, 0x1, 0x4200)
        TEST_FF(99, H, fdiv.h, rup, 0x1, UF|NX, 0x1, 0x4200)
        TEST_FF(100, H, fdiv.h, rmm, 0x0, UF|NX, 0x1, 0x4200)
/* fsqrt 2 */
        TEST_F1(101, H, H, fsqrt.h, rne, 0x3da8, NX, 0x4000)
        TEST_F1(102, H, H, fsqrt.h, rtz, 0x3da8, NX, 0x4000)
        TEST_F1(103, H, H, fsqrt.h, rdn, 0x3da8, NX, 0x4000)
        TEST_F1(104, H, H, fsqrt.h, rup, 0x3da9, NX, 0x4000)
        TEST_F1(105, H, H, fsqrt.h, rmm, 0x3da8, NX, 0x4000)
        fsrmi 0
        TEST_F1(106, H, H, fsqrt.h, dyn, 0x3da8, NX, 0x4000)
        fsrmi 1
        TEST_F1(107, H, H, fsqrt.h, dyn, 0x3da8, NX, 0x4000)
        fsrmi 2
        TEST_F1(108, H, H, fsqrt.h, dyn, 0x3da8, NX, 0x4000)
        fsrmi 3
        TEST_F1(109, H, H, fsqrt.h, dyn, 0x3da9, NX, 0x4000)
        fsrmi 4
        TEST_F1(110, H, H, fsqrt.h, dyn, 0x3da8, NX, 0x4000)
        fsrmi 0
/* fsqrt 2^-24 = 2^-12 exactly, and 0x3c01 (inexact) */
        TEST_F1(111, H, H, fsqrt.h, rne, 0xc00, 0, 0x1)
        TEST_F1(112, H, H, fsqrt.h, rtz, 0xc00, 0, 0x1)
        TEST_F1(113, H, H, fsqrt.h, rdn, 0xc00, 0, 0x1)
        TEST_F1(114, H, H, fsqrt.h, rup, 0xc00, 0, 0x1)
        TEST_F1(115, H, H, fsqrt.h, rmm, 0xc00, 0, 0x1)
/* fsqrt 1 + 2^-10 */
        TEST_F1(116, H, H, fsqrt.h, rne, 0x3c00, NX, 0x3c01)
        TEST_F1(117, H, H, fsqrt.h, rtz, 0x3c00, NX, 0x3c01)
        TEST_F1(118, H, H, fsqrt.h, rdn, 0x3c00, NX, 0x3c01)
        TEST_F1(119, H, H, fsqrt.h, rup, 0x3c01, NX, 0x3c01)
        TEST_F1(120, H, H, fsqrt.h, rmm, 0x3c00, NX, 0x3c01)
/* special cases (RNE): NaNs canonical, NV for invalid operations and signaling NaNs, DZ */
        TEST_FF(121, H, fadd.h, rne, 0x7e00, NV, 0x7c00, 0xfc00)
        TEST_FF(122, H, fsub.h, rne, 0x7e00, NV, 0x7c00, 0x7c00)
        TEST_FF(123, H, fadd.h, rne, 0x7c00, 0, 0x7c00, 0x3c00)
        TEST_FF(124, H, fmul.h, rne, 0x7e00, NV, 0x7c00, 0x0)
        TEST_FF(125, H, fmul.h, rne, 0x7e00, NV, 0x8000, 0x7c00)
        TEST_FF(126, H, fdiv.h, rne, 0x7e00, NV, 0x0, 0x8000)
        TEST_FF(127, H, fdiv.h, rne, 0x7e00, NV, 0x7c00, 0xfc00)
        TEST_FF(128, H, fdiv.h, rne, 0x7c00, DZ, 0x3c00, 0x0)
        TEST_FF(129, H, fdiv.h, rne, 0xfc00, DZ, 0xbc00, 0x0)
        TEST_FF(130, H, fdiv.h, rne, 0x0, 0, 0x3c00, 0x7c00)
        TEST_FF(131, H, fadd.h, rne, 0x7e00, NV, 0x7c01, 0x3c00)
        TEST_FF(132, H, fadd.h, rne, 0x7e00, 0, 0x7e55, 0x3c00)
        TEST_FF(133, H, fmul.h, rne, 0x7e00, NV, 0x3c00, 0xfd00)
        TEST_FF(134, H, fdiv.h, rne, 0x7e00, 0, 0x7fff, 0x7c00)
        TEST_F1(135, H, H, fsqrt.h, rne, 0x7e00, NV, 0xbc00)
        TEST_F1(136, H, H, fsqrt.h, rne, 0x8000, 0, 0x8000)
        TEST_F1(137, H, H, fsqrt.h, rne, 0x7c00, 0, 0x7c00)
        TEST_F1(138, H, H, fsqrt.h, rne, 0x7e00, NV, 0xfc00)
        TEST_F1(139, H, H, fsqrt.h, rne, 0x7e00, NV, 0x7d00)
/* (1+2^-10)(1-2^-11) - 1 = 2^-11 - 2^-21 exactly with one rounding (separately rounded: 0) */
        TEST_F3(140, H, fmsub.h, rne, 0x4000, NX, 0x3c01, 0x3bff, 0xbc00)
        TEST_F3(141, H, fmsub.h, rtz, 0x4000, NX, 0x3c01, 0x3bff, 0xbc00)
        TEST_F3(142, H, fmsub.h, rdn, 0x4000, NX, 0x3c01, 0x3bff, 0xbc00)
        TEST_F3(143, H, fmsub.h, rup, 0x4001, NX, 0x3c01, 0x3bff, 0xbc00)
        TEST_F3(144, H, fmsub.h, rmm, 0x4000, NX, 0x3c01, 0x3bff, 0xbc00)
/* 1*1 + 2^-11: the tie again, through the fused path; each sign combination */
        TEST_F3(145, H, fmadd.h, rne, 0x3c00, NX, 0x3c00, 0x3c00, 0x1000)
        TEST_F3(146, H, fmadd.h, rtz, 0x3c00, NX, 0x3c00, 0x3c00, 0x1000)
        TEST_F3(147, H, fmadd.h, rdn, 0x3c00, NX, 0x3c00, 0x3c00, 0x1000)
        TEST_F3(148, H, fmadd.h, rup, 0x3c01, NX, 0x3c00, 0x3c00, 0x1000)
        TEST_F3(149, H, fmadd.h, rmm, 0x3c01, NX, 0x3c00, 0x3c00, 0x1000)
        TEST_F3(150, H, fmsub.h, rne, 0x3bff, 0, 0x3c00, 0x3c00, 0x1000)
        TEST_F3(151, H, fmsub.h, rtz, 0x3bff, 0, 0x3c00, 0x3c00, 0x1000)
        TEST_F3(152, H, fmsub.h, rdn, 0x3bff, 0, 0x3c00, 0x3c00, 0x1000)
        TEST_F3(153, H, fmsub.h, rup, 0x3bff, 0, 0x3c00, 0x3c00, 0x1000)
        TEST_F3(154, H, fmsub.h, rmm, 0x3bff, 0, 0x3c00, 0x3c00, 0x1000)
        TEST_F3(155, H, fnmsub.h, rne, 0xbbff, 0, 0x3c00, 0x3c00, 0x1000)
        TEST_F3(156, H, fnmsub.h, rtz, 0xbbff, 0, 0x3c00, 0x3c00, 0x1000)
        TEST_F3(157, H, fnmsub.h, rdn, 0xbbff, 0, 0x3c00, 0x3c00, 0x1000)
        TEST_F3(158, H, fnmsub.h, rup, 0xbbff, 0, 0x3c00, 0x3c00, 0x1000)
        TEST_F3(159, H, fnmsub.h, rmm, 0xbbff, 0, 0x3c00, 0x3c00, 0x1000)
        TEST_F3(160, H, fnmadd.h, rne, 0xbc00, NX, 0x3c00, 0x3c00, 0x1000)
        TEST_F3(161, H, fnmadd.h, rtz, 0xbc00, NX, 0x3c00, 0x3c00, 0x1000)
        TEST_F3(162, H, fnmadd.h, rdn, 0xbc01, NX, 0x3c00, 0x3c00, 0x1000)
        TEST_F3(163, H, fnmadd.h, rup, 0xbc00, NX, 0x3c00, 0x3c00, 0x1000)
        TEST_F3(164, H, fnmadd.h, rmm, 0xbc01, NX, 0x3c00, 0x3c00, 0x1000)
/* (1+2^-10)^2 + 2^-12: the product's low bits decide */
        TEST_F3(165, H, fmadd.h, rne, 0x3c02, NX, 0x3c01, 0x3c01, 0xc00)
        TEST_F3(166, H, fmadd.h, rtz, 0x3c02, NX, 0x3c01, 0x3c01, 0xc00)
        TEST_F3(167, H, fmadd.h, rdn, 0x3c02, NX, 0x3c01, 0x3c01, 0xc00)
        TEST_F3(168, H, fmadd.h, rup, 0x3c03, NX, 0x3c01, 0x3c01, 0xc00)
        TEST_F3(169, H, fmadd.h, rmm, 0x3c02, NX, 0x3c01, 0x3c01, 0xc00)
/* 65504 * 2 - 65504 = 65504: an intermediate beyond the range is not an overflow */
        TEST_F3(170, H, fmsub.h, rne, 0x7bff, 0, 0x7bff, 0x4000, 0x7bff)
        TEST_F3(171, H, fmsub.h, rtz, 0x7bff, 0, 0x7bff, 0x4000, 0x7bff)
        TEST_F3(172, H, fmsub.h, rdn, 0x7bff, 0, 0x7bff, 0x4000, 0x7bff)
        TEST_F3(173, H, fmsub.h, rup, 0x7bff, 0, 0x7bff, 0x4000, 0x7bff)
        TEST_F3(174, H, fmsub.h, rmm, 0x7bff, 0, 0x7bff, 0x4000, 0x7bff)
/* 2^-14 * 2^-14 + 2^-24: the product is far below the smallest subnormal */
        TEST_F3(175, H, fmadd.h, rne, 0x1, UF|NX, 0x400, 0x400, 0x1)
        TEST_F3(176, H, fmadd.h, rtz, 0x1, UF|NX, 0x400, 0x400, 0x1)
        TEST_F3(177, H, fmadd.h, rdn, 0x1, UF|NX, 0x400, 0x400, 0x1)
        TEST_F3(178, H, fmadd.h, rup, 0x2, UF|NX, 0x400, 0x400, 0x1)
        TEST_F3(179, H, fmadd.h, rmm, 0x1, UF|NX, 0x400, 0x400, 0x1)
/* 1 * x - x: an exact zero sum, -0 in RDN */
        TEST_F3(180, H, fmsub.h, rne, 0x0, 0, 0x3c00, 0x4500, 0x4500)
        TEST_F3(181, H, fmsub.h, rtz, 0x0, 0, 0x3c00, 0x4500, 0x4500)
        TEST_F3(182, H, fmsub.h, rdn, 0x8000, 0, 0x3c00, 0x4500, 0x4500)
        TEST_F3(183, H, fmsub.h, rup, 0x0, 0, 0x3c00, 0x4500, 0x4500)
        TEST_F3(184, H, fmsub.h, rmm, 0x0, 0, 0x3c00, 0x4500, 0x4500)
/* fused specials (RNE): inf*0 is invalid even with a quiet NaN addend; inf - inf */
        TEST_F3(185, H, fmadd.h, rne, 0x7e00, NV, 0x7c00, 0x0, 0x7e00)
        TEST_F3(186, H, fmadd.h, rne, 0x7e00, NV, 0x0, 0xfc00, 0x3c00)
        TEST_F3(187, H, fmsub.h, rne, 0x7e00, NV, 0x7c00, 0x3c00, 0x7c00)
        TEST_F3(188, H, fmadd.h, rne, 0x7e00, NV, 0x7c00, 0x3c00, 0xfc00)
        TEST_F3(189, H, fmadd.h, rne, 0x7e00, NV, 0x3c00, 0x3c00, 0x7c01)
        TEST_F3(190, H, fnmadd.h, rne, 0x7e00, 0, 0x3c00, 0x3c00, 0x7e00)
        TEST_F3(191, H, fmadd.h, rne, 0x8000, 0, 0x8000, 0x3c00, 0x8000)
        TEST_F3(192, H, fmsub.h, rne, 0x8000, 0, 0x8000, 0x3c00, 0x0)
/* NaN-boxing: an operand whose upper 48 bits are not all ones is the canonical NaN (quiet: no NV,
   even when its low 16 bits are a signaling NaN); 1.0 boxed as a single (0xffffffff00003c00) is
   not a boxed half. */
        TEST_RAW2(193, fadd.h, 0x7e00, 0, 0x0000000000003c00, 0xffffffffffff3c00)
        TEST_RAW2(194, fadd.h, 0x7e00, 0, 0xffffffff00003c00, 0xffffffffffff3c00)
        TEST_RAW2(195, fmul.h, 0x7e00, 0, 0xfffffffffffe3c00, 0xffffffffffff3c00)
        TEST_RAW2(196, fmul.h, 0x7e00, 0, 0x7fffffffffff3c00, 0xffffffffffff3c00)
        TEST_RAW2(197, fsub.h, 0x7e00, 0, 0xffffffffffff3c00, 0x0000000000007c01)
        TEST_RAW2(198, fadd.h, 0x4000, 0, 0xffffffffffff3c00, 0xffffffffffff3c00)  /* control: boxed 1 + 1 */
        j pass
TEST_END
