/* Half-precision conversions and moves (Zfhmin, Zfh): FCVT between H and S, D (Zfhmin; the D
   forms need D), W, WU, L, LU (Zfh) in every rounding mode with their flags, FMV.X.H / FMV.H.X
   and FLH / FSH (Zfhmin). The conversions are defined like the single-precision ones (F chapter,
   "Single-Precision Floating-Point Conversion and Move Instructions": NV and saturation for
   out-of-range integers, canonical NaNs, NX; 32-bit integer results sign-extended on RV64). FMV and
   FLH/FSH move bits unchanged (NaN payloads kept): FMV.X.H sign-extends bit 15, FMV.H.X and FLH
   NaN-box (upper 48 bits all ones), FSH stores the low 16 bits without looking at the box.
   Expected values were derived with exact rational arithmetic (python3 fractions) rounded following
   IEEE 754-2019 section 4.3 and tininess after rounding.
   isa-tests-march: rv64gc_zfh */
#include "test.h"

#define NV 0x10
#define DZ 0x08
#define OF 0x04
#define UF 0x02
#define NX 0x01
#define CHECK_FLAGS(f) csrrw t0, fflags, zero; li t6, f; bne t0, t6, fail
#define LOAD_H(fr, v) li t0, v; fmv.h.x fr, t0
#define LOAD_S(fr, v) li t0, v; fmv.w.x fr, t0
#define LOAD_D(fr, v) li t0, v; fmv.d.x fr, t0
#define CHECK_H(fr, v) fmv.x.d a0, fr; li t6, 0xffffffffffff0000 | (v); bne a0, t6, fail
#define CHECK_S(fr, v) fmv.x.d a0, fr; li t6, 0xffffffff00000000 | (v); bne a0, t6, fail
#define CHECK_D(fr, v) fmv.x.d a0, fr; li t6, v; bne a0, t6, fail
/* fa2 = inst(fa0) with rounding mode rm; fd/fs are the result/operand formats. */
#define TEST_F1(n, fd, fs, inst, rm, res, fl, a) TEST_CASE(n); LOAD_##fs(fa0, a); fsflags zero; inst fa2, fa0, rm; CHECK_FLAGS(fl); CHECK_##fd(fa2, res)
/* fa2 = inst(fa0), an exact widening (no rm operand) from a half */
#define TEST_W1(n, fd, inst, res, fl, a) TEST_CASE(n); LOAD_H(fa0, a); fsflags zero; inst fa2, fa0; CHECK_FLAGS(fl); CHECK_##fd(fa2, res)
/* a0 = inst(fa0), a half, to an integer */
#define TEST_XF(n, inst, rm, res, fl, a) TEST_CASE(n); LOAD_H(fa0, a); fsflags zero; inst a0, fa0, rm; CHECK_FLAGS(fl); li t6, res; bne a0, t6, fail
/* fa2 = inst(a1), an integer, to a half */
#define TEST_FX(n, inst, rm, res, fl, x) TEST_CASE(n); li a1, x; fsflags zero; inst fa2, a1, rm; CHECK_FLAGS(fl); CHECK_H(fa2, res)

TEST_BEGIN
        fsrmi 0
/* fcvt.s.h and fcvt.d.h are exact: 1, -2^-24 (the smallest subnormal), 65504, -0, infinity; NaNs become canonical, NV only for a signaling one */
        TEST_W1(1, S, fcvt.s.h, 0x3f800000, 0, 0x3c00)
        TEST_W1(2, D, fcvt.d.h, 0x3ff0000000000000, 0, 0x3c00)
        TEST_W1(3, S, fcvt.s.h, 0xb3800000, 0, 0x8001)
        TEST_W1(4, D, fcvt.d.h, 0xbe70000000000000, 0, 0x8001)
        TEST_W1(5, S, fcvt.s.h, 0x477fe000, 0, 0x7bff)
        TEST_W1(6, D, fcvt.d.h, 0x40effc0000000000, 0, 0x7bff)
        TEST_W1(7, S, fcvt.s.h, 0x80000000, 0, 0x8000)
        TEST_W1(8, D, fcvt.d.h, 0x8000000000000000, 0, 0x8000)
        TEST_W1(9, S, fcvt.s.h, 0xff800000, 0, 0xfc00)
        TEST_W1(10, D, fcvt.d.h, 0xfff0000000000000, 0, 0xfc00)
        TEST_W1(11, S, fcvt.s.h, 0x387fc000, 0, 0x3ff)
        TEST_W1(12, D, fcvt.d.h, 0x3f0ff80000000000, 0, 0x3ff)
        TEST_W1(13, S, fcvt.s.h, 0x7fc00000, 0, 0x7e00)
        TEST_W1(14, D, fcvt.d.h, 0x7ff8000000000000, 0, 0x7e00)
        TEST_W1(15, S, fcvt.s.h, 0x7fc00000, NV, 0x7c01)
        TEST_W1(16, D, fcvt.d.h, 0x7ff8000000000000, NV, 0x7c01)
        TEST_W1(17, S, fcvt.s.h, 0x7fc00000, 0, 0xfe55)
        TEST_W1(18, D, fcvt.d.h, 0x7ff8000000000000, 0, 0xfe55)
/* fcvt.h.s 65520 (the midpoint to 65536): overflow to infinity in RNE/RMM/RUP, 65504 otherwise (not an overflow) */
        TEST_F1(19, H, S, fcvt.h.s, rne, 0x7c00, OF|NX, 0x477ff000)
        TEST_F1(20, H, S, fcvt.h.s, rtz, 0x7bff, NX, 0x477ff000)
        TEST_F1(21, H, S, fcvt.h.s, rdn, 0x7bff, NX, 0x477ff000)
        TEST_F1(22, H, S, fcvt.h.s, rup, 0x7c00, OF|NX, 0x477ff000)
        TEST_F1(23, H, S, fcvt.h.s, rmm, 0x7c00, OF|NX, 0x477ff000)
/* fcvt.h.s -65536: overflow in every mode */
        TEST_F1(24, H, S, fcvt.h.s, rne, 0xfc00, OF|NX, 0xc7800000)
        TEST_F1(25, H, S, fcvt.h.s, rtz, 0xfbff, OF|NX, 0xc7800000)
        TEST_F1(26, H, S, fcvt.h.s, rdn, 0xfc00, OF|NX, 0xc7800000)
        TEST_F1(27, H, S, fcvt.h.s, rup, 0xfbff, OF|NX, 0xc7800000)
        TEST_F1(28, H, S, fcvt.h.s, rmm, 0xfc00, OF|NX, 0xc7800000)
/* fcvt.h.s 1 + 2^-11 + 2^-23: just above the tie */
        TEST_F1(29, H, S, fcvt.h.s, rne, 0x3c01, NX, 0x3f801001)
        TEST_F1(30, H, S, fcvt.h.s, rtz, 0x3c00, NX, 0x3f801001)
        TEST_F1(31, H, S, fcvt.h.s, rdn, 0x3c00, NX, 0x3f801001)
        TEST_F1(32, H, S, fcvt.h.s, rup, 0x3c01, NX, 0x3f801001)
        TEST_F1(33, H, S, fcvt.h.s, rmm, 0x3c01, NX, 0x3f801001)
/* fcvt.h.s 2^-25: half the smallest subnormal, a tie (even: 0), tiny */
        TEST_F1(34, H, S, fcvt.h.s, rne, 0x0, UF|NX, 0x33000000)
        TEST_F1(35, H, S, fcvt.h.s, rtz, 0x0, UF|NX, 0x33000000)
        TEST_F1(36, H, S, fcvt.h.s, rdn, 0x0, UF|NX, 0x33000000)
        TEST_F1(37, H, S, fcvt.h.s, rup, 0x1, UF|NX, 0x33000000)
        TEST_F1(38, H, S, fcvt.h.s, rmm, 0x1, UF|NX, 0x33000000)
/* fcvt.h.s 2^-14 - 2^-25 has 11 significant bits: tiny even after rounding with an unbounded exponent (UF), though the subnormal rounding reaches 2^-14 in RNE, RUP and RMM */
        TEST_F1(39, H, S, fcvt.h.s, rne, 0x400, UF|NX, 0x387fe000)
        TEST_F1(40, H, S, fcvt.h.s, rtz, 0x3ff, UF|NX, 0x387fe000)
        TEST_F1(41, H, S, fcvt.h.s, rdn, 0x3ff, UF|NX, 0x387fe000)
        TEST_F1(42, H, S, fcvt.h.s, rup, 0x400, UF|NX, 0x387fe000)
        TEST_F1(43, H, S, fcvt.h.s, rmm, 0x400, UF|NX, 0x387fe000)
/* fcvt.h.s 2^-14 - 2^-26: with an unbounded exponent it rounds up to 2^-14 in RNE, RUP, RMM, so not tiny there (no UF) */
        TEST_F1(44, H, S, fcvt.h.s, rne, 0x400, NX, 0x387ff000)
        TEST_F1(45, H, S, fcvt.h.s, rtz, 0x3ff, UF|NX, 0x387ff000)
        TEST_F1(46, H, S, fcvt.h.s, rdn, 0x3ff, UF|NX, 0x387ff000)
        TEST_F1(47, H, S, fcvt.h.s, rup, 0x400, NX, 0x387ff000)
        TEST_F1(48, H, S, fcvt.h.s, rmm, 0x400, NX, 0x387ff000)
/* fcvt.h.s the smallest single subnormal: far below 2^-24 */
        TEST_F1(49, H, S, fcvt.h.s, rne, 0x8000, UF|NX, 0x80000001)
        TEST_F1(50, H, S, fcvt.h.s, rtz, 0x8000, UF|NX, 0x80000001)
        TEST_F1(51, H, S, fcvt.h.s, rdn, 0x8001, UF|NX, 0x80000001)
        TEST_F1(52, H, S, fcvt.h.s, rup, 0x8000, UF|NX, 0x80000001)
        TEST_F1(53, H, S, fcvt.h.s, rmm, 0x8000, UF|NX, 0x80000001)
/* fcvt.h.d 1/3 */
        TEST_F1(54, H, D, fcvt.h.d, rne, 0x3555, NX, 0x3fd5555555555555)
        TEST_F1(55, H, D, fcvt.h.d, rtz, 0x3555, NX, 0x3fd5555555555555)
        TEST_F1(56, H, D, fcvt.h.d, rdn, 0x3555, NX, 0x3fd5555555555555)
        TEST_F1(57, H, D, fcvt.h.d, rup, 0x3556, NX, 0x3fd5555555555555)
        TEST_F1(58, H, D, fcvt.h.d, rmm, 0x3555, NX, 0x3fd5555555555555)
/* fcvt.h.d 2049 + 2^-40: the tie 2049 broken by a bit far below binary32 precision */
        TEST_F1(59, H, D, fcvt.h.d, rne, 0x6801, NX, 0x40a0020000000001)
        TEST_F1(60, H, D, fcvt.h.d, rtz, 0x6800, NX, 0x40a0020000000001)
        TEST_F1(61, H, D, fcvt.h.d, rdn, 0x6800, NX, 0x40a0020000000001)
        TEST_F1(62, H, D, fcvt.h.d, rup, 0x6801, NX, 0x40a0020000000001)
        TEST_F1(63, H, D, fcvt.h.d, rmm, 0x6801, NX, 0x40a0020000000001)
/* fcvt.h.d -2^-1074: the smallest double subnormal */
        TEST_F1(64, H, D, fcvt.h.d, rne, 0x8000, UF|NX, 0x8000000000000001)
        TEST_F1(65, H, D, fcvt.h.d, rtz, 0x8000, UF|NX, 0x8000000000000001)
        TEST_F1(66, H, D, fcvt.h.d, rdn, 0x8001, UF|NX, 0x8000000000000001)
        TEST_F1(67, H, D, fcvt.h.d, rup, 0x8000, UF|NX, 0x8000000000000001)
        TEST_F1(68, H, D, fcvt.h.d, rmm, 0x8000, UF|NX, 0x8000000000000001)
/* fcvt.h.d 1e300 */
        TEST_F1(69, H, D, fcvt.h.d, rne, 0x7c00, OF|NX, 0x7e37e43c8800759c)
        TEST_F1(70, H, D, fcvt.h.d, rtz, 0x7bff, OF|NX, 0x7e37e43c8800759c)
/* fcvt.h.s/fcvt.h.d of NaNs and infinities */
        TEST_F1(71, H, S, fcvt.h.s, rne, 0x7e00, NV, 0x7f800001)
        TEST_F1(72, H, S, fcvt.h.s, rne, 0x7e00, 0, 0x7fc12345)
        TEST_F1(73, H, S, fcvt.h.s, rne, 0xfc00, 0, 0xff800000)
        TEST_F1(74, H, D, fcvt.h.d, rne, 0x7e00, NV, 0x7ff0000000000001)
        TEST_F1(75, H, D, fcvt.h.d, rne, 0x7e00, 0, 0xfff8000000000000)
        TEST_F1(76, H, D, fcvt.h.d, rne, 0x7c00, 0, 0x7ff0000000000000)
        TEST_F1(77, H, S, fcvt.h.s, rne, 0x8000, 0, 0x80000000)
/* fcvt.w.h/fcvt.l.h -2.5: a tie, even -2 in RNE, -3 in RMM */
        TEST_XF(78, fcvt.w.h, rne, 0xfffffffffffffffe, NX, 0xc100)
        TEST_XF(79, fcvt.w.h, rtz, 0xfffffffffffffffe, NX, 0xc100)
        TEST_XF(80, fcvt.w.h, rdn, 0xfffffffffffffffd, NX, 0xc100)
        TEST_XF(81, fcvt.w.h, rup, 0xfffffffffffffffe, NX, 0xc100)
        TEST_XF(82, fcvt.w.h, rmm, 0xfffffffffffffffd, NX, 0xc100)
        TEST_XF(83, fcvt.l.h, rne, 0xfffffffffffffffe, NX, 0xc100)
        TEST_XF(84, fcvt.l.h, rtz, 0xfffffffffffffffe, NX, 0xc100)
        TEST_XF(85, fcvt.l.h, rdn, 0xfffffffffffffffd, NX, 0xc100)
        TEST_XF(86, fcvt.l.h, rup, 0xfffffffffffffffe, NX, 0xc100)
        TEST_XF(87, fcvt.l.h, rmm, 0xfffffffffffffffd, NX, 0xc100)
/* fcvt.wu.h/fcvt.lu.h -0.5: 0 with NX, but -1 (out of range: NV, result 0) in RDN and RMM */
        TEST_XF(88, fcvt.wu.h, rne, 0x0, NX, 0xb800)
        TEST_XF(89, fcvt.wu.h, rtz, 0x0, NX, 0xb800)
        TEST_XF(90, fcvt.wu.h, rdn, 0x0, NV, 0xb800)
        TEST_XF(91, fcvt.wu.h, rup, 0x0, NX, 0xb800)
        TEST_XF(92, fcvt.wu.h, rmm, 0x0, NV, 0xb800)
        TEST_XF(93, fcvt.lu.h, rne, 0x0, NX, 0xb800)
        TEST_XF(94, fcvt.lu.h, rtz, 0x0, NX, 0xb800)
        TEST_XF(95, fcvt.lu.h, rdn, 0x0, NV, 0xb800)
        TEST_XF(96, fcvt.lu.h, rup, 0x0, NX, 0xb800)
        TEST_XF(97, fcvt.lu.h, rmm, 0x0, NV, 0xb800)
/* fcvt.w.h 65504: exact; fcvt.wu.h 1.75 */
        TEST_XF(98, fcvt.w.h, rne, 0xffe0, 0, 0x7bff)
/*  */
        TEST_XF(99, fcvt.wu.h, rne, 0x2, NX, 0x3f00)
        TEST_XF(100, fcvt.wu.h, rtz, 0x1, NX, 0x3f00)
        TEST_XF(101, fcvt.wu.h, rdn, 0x1, NX, 0x3f00)
        TEST_XF(102, fcvt.wu.h, rup, 0x2, NX, 0x3f00)
        TEST_XF(103, fcvt.wu.h, rmm, 0x2, NX, 0x3f00)
/* fcvt.*.h of infinities and NaNs: NV, the largest value for NaN and +inf, the smallest for -inf (sign-extended 32-bit results) */
        TEST_XF(104, fcvt.w.h, rtz, 0x7fffffff, NV, 0x7c00)
        TEST_XF(105, fcvt.wu.h, rtz, 0xffffffffffffffff, NV, 0x7c00)
        TEST_XF(106, fcvt.l.h, rtz, 0x7fffffffffffffff, NV, 0x7c00)
        TEST_XF(107, fcvt.lu.h, rtz, 0xffffffffffffffff, NV, 0x7c00)
        TEST_XF(108, fcvt.w.h, rtz, 0xffffffff80000000, NV, 0xfc00)
        TEST_XF(109, fcvt.wu.h, rtz, 0x0, NV, 0xfc00)
        TEST_XF(110, fcvt.l.h, rtz, 0x8000000000000000, NV, 0xfc00)
        TEST_XF(111, fcvt.lu.h, rtz, 0x0, NV, 0xfc00)
        TEST_XF(112, fcvt.w.h, rtz, 0x7fffffff, NV, 0x7e00)
        TEST_XF(113, fcvt.wu.h, rtz, 0xffffffffffffffff, NV, 0x7e00)
        TEST_XF(114, fcvt.l.h, rtz, 0x7fffffffffffffff, NV, 0x7e00)
        TEST_XF(115, fcvt.lu.h, rtz, 0xffffffffffffffff, NV, 0x7e00)
        TEST_XF(116, fcvt.w.h, rtz, 0x7fffffff, NV, 0x7c01)
        TEST_XF(117, fcvt.wu.h, rtz, 0xffffffffffffffff, NV, 0x7c01)
        TEST_XF(118, fcvt.l.h, rtz, 0x7fffffffffffffff, NV, 0x7c01)
        TEST_XF(119, fcvt.lu.h, rtz, 0xffffffffffffffff, NV, 0x7c01)
/* fcvt.h.w/l 2049: a tie between 2048 and 2050 */
        TEST_FX(120, fcvt.h.w, rne, 0x6800, NX, 0x801)
        TEST_FX(121, fcvt.h.w, rtz, 0x6800, NX, 0x801)
        TEST_FX(122, fcvt.h.w, rdn, 0x6800, NX, 0x801)
        TEST_FX(123, fcvt.h.w, rup, 0x6801, NX, 0x801)
        TEST_FX(124, fcvt.h.w, rmm, 0x6801, NX, 0x801)
        TEST_FX(125, fcvt.h.l, rne, 0x6800, NX, 0x801)
        TEST_FX(126, fcvt.h.l, rtz, 0x6800, NX, 0x801)
        TEST_FX(127, fcvt.h.l, rdn, 0x6800, NX, 0x801)
        TEST_FX(128, fcvt.h.l, rup, 0x6801, NX, 0x801)
        TEST_FX(129, fcvt.h.l, rmm, 0x6801, NX, 0x801)
/* fcvt.h.w -65520: overflows in RNE, RMM and RDN only */
        TEST_FX(130, fcvt.h.w, rne, 0xfc00, OF|NX, 0xffffffffffff0010)
        TEST_FX(131, fcvt.h.w, rtz, 0xfbff, NX, 0xffffffffffff0010)
        TEST_FX(132, fcvt.h.w, rdn, 0xfc00, OF|NX, 0xffffffffffff0010)
        TEST_FX(133, fcvt.h.w, rup, 0xfbff, NX, 0xffffffffffff0010)
        TEST_FX(134, fcvt.h.w, rmm, 0xfc00, OF|NX, 0xffffffffffff0010)
/* fcvt.h.wu 0xffffffff: as unsigned 2^32 - 1, overflow; as signed (fcvt.h.w) -1 */
        TEST_FX(135, fcvt.h.wu, rne, 0x7c00, OF|NX, 0xffffffff)
        TEST_FX(136, fcvt.h.wu, rtz, 0x7bff, OF|NX, 0xffffffff)
        TEST_FX(137, fcvt.h.w, rne, 0xbc00, 0, 0xffffffff)
        TEST_FX(138, fcvt.h.w, rtz, 0xbc00, 0, 0xffffffff)
/* fcvt.h.l/lu 2^64 - 1: -1 signed, overflow unsigned; only the low 32 bits for w/wu */
        TEST_FX(139, fcvt.h.l, rne, 0xbc00, 0, 0xffffffffffffffff)
        TEST_FX(140, fcvt.h.l, rtz, 0xbc00, 0, 0xffffffffffffffff)
        TEST_FX(141, fcvt.h.lu, rne, 0x7c00, OF|NX, 0xffffffffffffffff)
        TEST_FX(142, fcvt.h.lu, rtz, 0x7bff, OF|NX, 0xffffffffffffffff)
        TEST_FX(143, fcvt.h.w, rne, 0xbc00, 0, 0xffffffffffffffff)
        TEST_FX(144, fcvt.h.w, rtz, 0xbc00, 0, 0xffffffffffffffff)
        TEST_FX(145, fcvt.h.wu, rne, 0x7c00, OF|NX, 0xffffffffffffffff)
        TEST_FX(146, fcvt.h.wu, rtz, 0x7bff, OF|NX, 0xffffffffffffffff)
/* fcvt.h.l 2^63 - 1 and fcvt.h.lu 2^63 + 1 */
        TEST_FX(147, fcvt.h.l, rne, 0x7c00, OF|NX, 0x7fffffffffffffff)
        TEST_FX(148, fcvt.h.l, rup, 0x7c00, OF|NX, 0x7fffffffffffffff)
/*  */
        TEST_FX(149, fcvt.h.lu, rne, 0x7c00, OF|NX, 0x8000000000000001)
        TEST_FX(150, fcvt.h.lu, rup, 0x7c00, OF|NX, 0x8000000000000001)
/* fcvt.h.l 4095: 12 significant bits, 4094 or 4096 by mode (no tie) */
        TEST_FX(151, fcvt.h.l, rne, 0x6c00, NX, 0xfff)
        TEST_FX(152, fcvt.h.l, rtz, 0x6bff, NX, 0xfff)
        TEST_FX(153, fcvt.h.l, rdn, 0x6bff, NX, 0xfff)
        TEST_FX(154, fcvt.h.l, rup, 0x6c00, NX, 0xfff)
        TEST_FX(155, fcvt.h.l, rmm, 0x6c00, NX, 0xfff)

/* FMV.X.H: bits 15:0, sign-extended, the box not checked; FMV.H.X: the low 16 bits, boxed. */
        TEST_CASE(160)
        li t0, 0xffffffffffff8000
        fmv.d.x fa0, t0
        fsflags zero
        fmv.x.h a0, fa0
        CHECK_EQ(a0, 0xffffffffffff8000)
        TEST_CASE(161)
        li t0, 0xffffffffffff7c01                 /* a signaling NaN: payload kept, no NV */
        fmv.d.x fa0, t0
        fmv.x.h a0, fa0
        CHECK_EQ(a0, 0x7c01)
        TEST_CASE(162)
        li t0, 0x123456789abcfedc                 /* not boxed: the bits all the same */
        fmv.d.x fa0, t0
        fmv.x.h a0, fa0
        CHECK_EQ(a0, 0xfffffffffffffedc)
        TEST_CASE(163)
        li a1, 0x123456789abc7c01
        fmv.h.x fa0, a1
        CHECK_FLAGS(0)
        CHECK_H(fa0, 0x7c01)

/* FLH NaN-boxes, keeping a signaling NaN's payload; FSH writes two bytes, whatever the box. */
        la s5, halves
        TEST_CASE(164)
        flh fa0, 2(s5)
        CHECK_H(fa0, 0x7c01)
        TEST_CASE(165)
        flh fa1, 4(s5)
        CHECK_H(fa1, 0x8001)
        TEST_CASE(166)
        fsh fa0, 0(s5)
        ld t0, 0(s5)
        CHECK_EQ(t0, 0x555580017c017c01)
        TEST_CASE(167)
        li t0, 0x0123456789ab3c00                 /* not boxed: FSH stores 0x3c00 anyway */
        fmv.d.x fa2, t0
        fsh fa2, 6(s5)
        ld t0, 0(s5)
        CHECK_EQ(t0, 0x3c0080017c017c01)
        CHECK_FLAGS(0)
        TEST_CASE(168)                            /* a load, then arithmetic on it */
        flh fa3, 6(s5)
        fadd.h fa3, fa3, fa3
        CHECK_H(fa3, 0x4000)
        j pass
TEST_END

        .data
        .balign 8
halves: .half 0x1234, 0x7c01, 0x8001, 0x5555
