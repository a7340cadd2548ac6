/* Single-precision arithmetic (F extension): fadd/fsub/fmul/fdiv/fsqrt.s on ordinary, signed-zero, infinite, NaN and
   subnormal operands; results checked bit-exactly and the accrued flags in fflags.
   Expected values were derived with exact rational arithmetic (python3 fractions) rounded by hand
   following IEEE 754-2019 section 4.3 and the RISC-V F/D chapters (tininess after rounding, canonical
   NaN results, NV for invalid operations); each comment says why a case gives its result.
   u is the ulp of 1.0 (2^-23 in single, 2^-52 in double); minsub/maxsub/minnorm/max are the
   smallest/largest subnormal, the smallest normal and the largest finite value of the format.
   All cases use RNE except where a mode is named. */
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

TEST_BEGIN

/* fadd: exact sums give no flag; inexact ones set NX only */
        // 1 + 2 = 3, exact
        TEST_FF(1, S, fadd.s, rne, 0x40400000, 0, 0x3f800000, 0x40000000)
        // -1.5 + 0.25 = -1.25, exact
        TEST_FF(2, S, fadd.s, rne, 0xbfa00000, 0, 0xbfc00000, 0x3e800000)
        // 1 + u = next value after 1, exact
        TEST_FF(3, S, fadd.s, rne, 0x3f800001, 0, 0x3f800000, 0x34000000)
        // 1 + u/4: below half an ulp, RNE gives 1 and NX
        TEST_FF(4, S, fadd.s, rne, 0x3f800000, NX, 0x3f800000, 0x33000000)
        // 2^23 + 0.5 (ulp 1): tie, to even 2^23, NX
        TEST_FF(5, S, fadd.s, rne, 0x4b000000, NX, 0x4b000000, 0x3f000000)

/* fadd/fsub: signs of exact zero results */
        // +0 + +0 = +0
        TEST_FF(6, S, fadd.s, rne, 0x00000000, 0, 0x00000000, 0x00000000)
        // -0 + -0 = -0
        TEST_FF(7, S, fadd.s, rne, 0x80000000, 0, 0x80000000, 0x80000000)
        // +0 + -0 = +0 in RNE
        TEST_FF(8, S, fadd.s, rne, 0x00000000, 0, 0x00000000, 0x80000000)
        // +0 + -0 = -0 in RDN
        TEST_FF(9, S, fadd.s, rdn, 0x80000000, 0, 0x00000000, 0x80000000)
        // 1 + -1 = +0 in RNE
        TEST_FF(10, S, fadd.s, rne, 0x00000000, 0, 0x3f800000, 0xbf800000)
        // 1 + -1 = -0 in RDN
        TEST_FF(11, S, fadd.s, rdn, 0x80000000, 0, 0x3f800000, 0xbf800000)
        // -1 + 1 = +0 in RUP
        TEST_FF(12, S, fadd.s, rup, 0x00000000, 0, 0xbf800000, 0x3f800000)
        // -0 + 1 = 1
        TEST_FF(13, S, fadd.s, rne, 0x3f800000, 0, 0x80000000, 0x3f800000)
        // 1 - 1 = +0 in RNE
        TEST_FF(14, S, fsub.s, rne, 0x00000000, 0, 0x3f800000, 0x3f800000)
        // 1 - 1 = -0 in RDN
        TEST_FF(15, S, fsub.s, rdn, 0x80000000, 0, 0x3f800000, 0x3f800000)
        // -0 - +0 = -0
        TEST_FF(16, S, fsub.s, rne, 0x80000000, 0, 0x80000000, 0x00000000)
        // +0 - +0 = +0 in RNE
        TEST_FF(17, S, fsub.s, rne, 0x00000000, 0, 0x00000000, 0x00000000)
        // +0 - +0 = -0 in RDN
        TEST_FF(18, S, fsub.s, rdn, 0x80000000, 0, 0x00000000, 0x00000000)
        // -0 - -0 = +0 in RNE
        TEST_FF(19, S, fsub.s, rne, 0x00000000, 0, 0x80000000, 0x80000000)
        // 3 - 1 = 2
        TEST_FF(20, S, fsub.s, rne, 0x40000000, 0, 0x40400000, 0x3f800000)
        // (1 + u) - 1 = u, exact
        TEST_FF(21, S, fsub.s, rne, 0x34000000, 0, 0x3f800001, 0x3f800000)

/* fadd/fsub: infinities (inf - inf is invalid) */
        // inf + -inf: NV, canonical NaN
        TEST_FF(22, S, fadd.s, rne, 0x7fc00000, NV, 0x7f800000, 0xff800000)
        // inf + 1 = inf, no flag
        TEST_FF(23, S, fadd.s, rne, 0x7f800000, 0, 0x7f800000, 0x3f800000)
        // -inf + -inf = -inf
        TEST_FF(24, S, fadd.s, rne, 0xff800000, 0, 0xff800000, 0xff800000)
        // max + -inf = -inf
        TEST_FF(25, S, fadd.s, rne, 0xff800000, 0, 0x7f7fffff, 0xff800000)
        // inf - inf: NV, canonical NaN
        TEST_FF(26, S, fsub.s, rne, 0x7fc00000, NV, 0x7f800000, 0x7f800000)
        // -inf - inf = -inf
        TEST_FF(27, S, fsub.s, rne, 0xff800000, 0, 0xff800000, 0x7f800000)
        // inf - -inf = inf
        TEST_FF(28, S, fsub.s, rne, 0x7f800000, 0, 0x7f800000, 0xff800000)

/* fadd/fsub: NaN operands give the canonical NaN; a signaling NaN sets NV */
        // qNaN(payload) + 1: canonical NaN, payload dropped, no flag
        TEST_FF(29, S, fadd.s, rne, 0x7fc00000, 0, 0x7fc12345, 0x3f800000)
        // 1 + negative qNaN(payload): positive canonical NaN
        TEST_FF(30, S, fadd.s, rne, 0x7fc00000, 0, 0x3f800000, 0xffc05432)
        // sNaN + 1: NV
        TEST_FF(31, S, fadd.s, rne, 0x7fc00000, NV, 0x7f800001, 0x3f800000)
        // 1 + sNaN: NV
        TEST_FF(32, S, fadd.s, rne, 0x7fc00000, NV, 0x3f800000, 0x7f800001)
        // qNaN + negative sNaN: NV
        TEST_FF(33, S, fadd.s, rne, 0x7fc00000, NV, 0x7fc00000, 0xff805432)
        // qNaN + -inf: canonical NaN, no flag
        TEST_FF(34, S, fadd.s, rne, 0x7fc00000, 0, 0x7fc00000, 0xff800000)
        // sNaN - sNaN: NV
        TEST_FF(35, S, fsub.s, rne, 0x7fc00000, NV, 0x7f800001, 0x7f800001)
        // inf - qNaN: canonical NaN, no flag
        TEST_FF(36, S, fsub.s, rne, 0x7fc00000, 0, 0x7f800000, 0x7fc12345)

/* fadd/fsub: subnormal operands and exact subnormal results (no UF when exact) */
        // minsub + minsub = 2 minsub, exact
        TEST_FF(37, S, fadd.s, rne, 0x00000002, 0, 0x00000001, 0x00000001)
        // maxsub + minsub = minnorm, exact
        TEST_FF(38, S, fadd.s, rne, 0x00800000, 0, 0x007fffff, 0x00000001)
        // minnorm - minsub = maxsub, exact subnormal: no UF
        TEST_FF(39, S, fsub.s, rne, 0x007fffff, 0, 0x00800000, 0x00000001)
        // minsub - minsub = +0
        TEST_FF(40, S, fsub.s, rne, 0x00000000, 0, 0x00000001, 0x00000001)
        // -maxsub + -maxsub = -(2 minnorm - 2 minsub), exact normal
        TEST_FF(41, S, fadd.s, rne, 0x80fffffe, 0, 0x807fffff, 0x807fffff)
        // 1 + minsub: NX only
        TEST_FF(42, S, fadd.s, rne, 0x3f800000, NX, 0x3f800000, 0x00000001)

/* fadd/fsub: overflow in RNE */
        // max + max: inf, OF|NX
        TEST_FF(43, S, fadd.s, rne, 0x7f800000, OF|NX, 0x7f7fffff, 0x7f7fffff)
        // -max - max: -inf, OF|NX
        TEST_FF(44, S, fsub.s, rne, 0xff800000, OF|NX, 0xff7fffff, 0x7f7fffff)

/* fmul */
        // 3 * 7 = 21
        TEST_FF(45, S, fmul.s, rne, 0x41a80000, 0, 0x40400000, 0x40e00000)
        // -2 * 0.5 = -1
        TEST_FF(46, S, fmul.s, rne, 0xbf800000, 0, 0xc0000000, 0x3f000000)
        // 1.5 * 1.5 = 2.25
        TEST_FF(47, S, fmul.s, rne, 0x40100000, 0, 0x3fc00000, 0x3fc00000)
        // (1+u)^2 = 1 + 2u + u^2: RNE gives 1 + 2u, NX
        TEST_FF(48, S, fmul.s, rne, 0x3f800002, NX, 0x3f800001, 0x3f800001)
        // +0 * -5 = -0
        TEST_FF(49, S, fmul.s, rne, 0x80000000, 0, 0x00000000, 0xc0a00000)
        // -0 * -0 = +0
        TEST_FF(50, S, fmul.s, rne, 0x00000000, 0, 0x80000000, 0x80000000)
        // inf * 0: NV, canonical NaN
        TEST_FF(51, S, fmul.s, rne, 0x7fc00000, NV, 0x7f800000, 0x00000000)
        // -0 * -inf: NV
        TEST_FF(52, S, fmul.s, rne, 0x7fc00000, NV, 0x80000000, 0xff800000)
        // inf * -2 = -inf
        TEST_FF(53, S, fmul.s, rne, 0xff800000, 0, 0x7f800000, 0xc0000000)
        // -inf * -inf = inf
        TEST_FF(54, S, fmul.s, rne, 0x7f800000, 0, 0xff800000, 0xff800000)
        // qNaN * 0: canonical NaN, no flag
        TEST_FF(55, S, fmul.s, rne, 0x7fc00000, 0, 0x7fc12345, 0x00000000)
        // sNaN * 1: NV
        TEST_FF(56, S, fmul.s, rne, 0x7fc00000, NV, 0x7f800001, 0x3f800000)
        // 1 * negative sNaN: NV, positive canonical NaN
        TEST_FF(57, S, fmul.s, rne, 0x7fc00000, NV, 0x3f800000, 0xff805432)
        // qNaN * inf: canonical NaN, no flag
        TEST_FF(58, S, fmul.s, rne, 0x7fc00000, 0, 0x7fc00000, 0x7f800000)
        // minnorm * 0.5: exact subnormal, no flag
        TEST_FF(59, S, fmul.s, rne, 0x00400000, 0, 0x00800000, 0x3f000000)
        // maxsub * 2: exact normal
        TEST_FF(60, S, fmul.s, rne, 0x00fffffe, 0, 0x007fffff, 0x40000000)
        // minsub * 2^23 = minnorm
        TEST_FF(61, S, fmul.s, rne, 0x00800000, 0, 0x00000001, 0x4b000000)
        // minsub * minsub: +0, UF|NX
        TEST_FF(62, S, fmul.s, rne, 0x00000000, UF|NX, 0x00000001, 0x00000001)
        // -minsub * 0.25: -0, UF|NX
        TEST_FF(63, S, fmul.s, rne, 0x80000000, UF|NX, 0x80000001, 0x3e800000)
        // max * 2: inf, OF|NX
        TEST_FF(64, S, fmul.s, rne, 0x7f800000, OF|NX, 0x7f7fffff, 0x40000000)
        // 2^64 * -2^64: -inf, OF|NX
        TEST_FF(65, S, fmul.s, rne, 0xff800000, OF|NX, 0x5f800000, 0xdf800000)

/* fdiv */
        // 6 / 3 = 2
        TEST_FF(66, S, fdiv.s, rne, 0x40000000, 0, 0x40c00000, 0x40400000)
        // -9 / 4 = -2.25
        TEST_FF(67, S, fdiv.s, rne, 0xc0100000, 0, 0xc1100000, 0x40800000)
        // 1 / 3: 0x3eaaaaaa + 2/3 ulp, NX
        TEST_FF(68, S, fdiv.s, rne, 0x3eaaaaab, NX, 0x3f800000, 0x40400000)
        // 1 / +0: inf, DZ
        TEST_FF(69, S, fdiv.s, rne, 0x7f800000, DZ, 0x3f800000, 0x00000000)
        // -1 / +0: -inf, DZ
        TEST_FF(70, S, fdiv.s, rne, 0xff800000, DZ, 0xbf800000, 0x00000000)
        // 1 / -0: -inf, DZ
        TEST_FF(71, S, fdiv.s, rne, 0xff800000, DZ, 0x3f800000, 0x80000000)
        // minsub / -0: -inf, DZ
        TEST_FF(72, S, fdiv.s, rne, 0xff800000, DZ, 0x00000001, 0x80000000)
        // 0 / 0: NV, canonical NaN
        TEST_FF(73, S, fdiv.s, rne, 0x7fc00000, NV, 0x00000000, 0x00000000)
        // -0 / 0: NV
        TEST_FF(74, S, fdiv.s, rne, 0x7fc00000, NV, 0x80000000, 0x00000000)
        // inf / -inf: NV
        TEST_FF(75, S, fdiv.s, rne, 0x7fc00000, NV, 0x7f800000, 0xff800000)
        // inf / 0 = inf, exact: no DZ
        TEST_FF(76, S, fdiv.s, rne, 0x7f800000, 0, 0x7f800000, 0x00000000)
        // -inf / 2 = -inf
        TEST_FF(77, S, fdiv.s, rne, 0xff800000, 0, 0xff800000, 0x40000000)
        // 0 / inf = 0
        TEST_FF(78, S, fdiv.s, rne, 0x00000000, 0, 0x00000000, 0x7f800000)
        // -1 / inf = -0
        TEST_FF(79, S, fdiv.s, rne, 0x80000000, 0, 0xbf800000, 0x7f800000)
        // -0 / 5 = -0
        TEST_FF(80, S, fdiv.s, rne, 0x80000000, 0, 0x80000000, 0x40a00000)
        // qNaN / 0: canonical NaN, no DZ
        TEST_FF(81, S, fdiv.s, rne, 0x7fc00000, 0, 0x7fc00000, 0x00000000)
        // sNaN / 1: NV
        TEST_FF(82, S, fdiv.s, rne, 0x7fc00000, NV, 0x7f800001, 0x3f800000)
        // 0 / qNaN: canonical NaN, no flag
        TEST_FF(83, S, fdiv.s, rne, 0x7fc00000, 0, 0x00000000, 0x7fc12345)
        // max / 0.5: inf, OF|NX
        TEST_FF(84, S, fdiv.s, rne, 0x7f800000, OF|NX, 0x7f7fffff, 0x3f000000)
        // minnorm / 2: exact subnormal, no flag
        TEST_FF(85, S, fdiv.s, rne, 0x00400000, 0, 0x00800000, 0x40000000)
        // minsub / 4: +0, UF|NX
        TEST_FF(86, S, fdiv.s, rne, 0x00000000, UF|NX, 0x00000001, 0x40800000)
        // 1 / max = 2^-127/(2-u): subnormal, 0x00200000 + 0.125 ulp, UF|NX
        TEST_FF(87, S, fdiv.s, rne, 0x00200000, UF|NX, 0x3f800000, 0x7f7fffff)

/* fsqrt */
        // sqrt(4) = 2
        TEST_F1(88, S, S, fsqrt.s, rne, 0x40000000, 0, 0x40800000)
        // sqrt(2.25) = 1.5
        TEST_F1(89, S, S, fsqrt.s, rne, 0x3fc00000, 0, 0x40100000)
        // sqrt(2): nearest 0x3fb504f3, NX
        TEST_F1(90, S, S, fsqrt.s, rne, 0x3fb504f3, NX, 0x40000000)
        // sqrt(+0) = +0
        TEST_F1(91, S, S, fsqrt.s, rne, 0x00000000, 0, 0x00000000)
        // sqrt(-0) = -0, no flag
        TEST_F1(92, S, S, fsqrt.s, rne, 0x80000000, 0, 0x80000000)
        // sqrt(inf) = inf
        TEST_F1(93, S, S, fsqrt.s, rne, 0x7f800000, 0, 0x7f800000)
        // sqrt(-inf): NV
        TEST_F1(94, S, S, fsqrt.s, rne, 0x7fc00000, NV, 0xff800000)
        // sqrt(-1): NV, canonical NaN
        TEST_F1(95, S, S, fsqrt.s, rne, 0x7fc00000, NV, 0xbf800000)
        // sqrt(-minsub): NV
        TEST_F1(96, S, S, fsqrt.s, rne, 0x7fc00000, NV, 0x80000001)
        // sqrt(qNaN): canonical NaN, no flag
        TEST_F1(97, S, S, fsqrt.s, rne, 0x7fc00000, 0, 0x7fc12345)
        // sqrt(negative qNaN): canonical NaN, no NV (a NaN, not a negative number)
        TEST_F1(98, S, S, fsqrt.s, rne, 0x7fc00000, 0, 0xffc05432)
        // sqrt(sNaN): NV
        TEST_F1(99, S, S, fsqrt.s, rne, 0x7fc00000, NV, 0x7f800001)
        // sqrt(minsub = 2^-149) = sqrt(2) * 2^-75, NX
        TEST_F1(100, S, S, fsqrt.s, rne, 0x1a3504f3, NX, 0x00000001)
        // sqrt(2^-148) = 2^-74, exact
        TEST_F1(101, S, S, fsqrt.s, rne, 0x1a800000, 0, 0x00000002)
        // sqrt(max): NX
        TEST_F1(102, S, S, fsqrt.s, rne, 0x5f7fffff, NX, 0x7f7fffff)

        fsrmi 0
        j pass
TEST_END
