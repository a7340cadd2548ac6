/* NaN-boxing of single-precision values in the 64-bit f registers (F and D chapters, "NaN Boxing of
   Narrower Values"). A single-precision operation reads its operands from the low 32 bits only if
   the upper 32 bits are all ones; otherwise the operand is taken to be the canonical NaN 0x7fc00000
   (a quiet NaN: no NV on its own). Every single result is written NaN-boxed. Transfers (flw/fsw,
   fmv.x.w, see rv64uf-ldst.S) do not check the box. Double-precision operations see the raw 64 bits.
   Operands here are written with fmv.d.x so that any 64-bit pattern can be given; results are read
   back with fmv.x.d (all 64 bits) or from the x register. frm is RNE throughout. */
#include "test.h"

#define NV 0x10
#define NX 0x01
#define CHECK_FLAGS(f) csrrw t0, fflags, zero; li t6, f; bne t0, t6, fail
#define LOAD_RAW(fr, v) li t0, v; fmv.d.x fr, t0

/* fa2 = inst fa0, fa1 ; check all 64 bits of fa2 and fflags */
#define TEST_NB2(n, inst, res, fl, a, b) TEST_CASE(n); LOAD_RAW(fa0, a); LOAD_RAW(fa1, b); fsflags zero; \
        inst fa2, fa0, fa1; CHECK_FLAGS(fl); fmv.x.d a0, fa2; li t6, res; bne a0, t6, fail
#define TEST_NB1(n, inst, res, fl, a) TEST_CASE(n); LOAD_RAW(fa0, a); fsflags zero; \
        inst fa2, fa0; CHECK_FLAGS(fl); fmv.x.d a0, fa2; li t6, res; bne a0, t6, fail
#define TEST_NB3(n, inst, res, fl, a, b, c) TEST_CASE(n); LOAD_RAW(fa0, a); LOAD_RAW(fa1, b); LOAD_RAW(fa2, c); \
        fsflags zero; inst fa3, fa0, fa1, fa2; CHECK_FLAGS(fl); fmv.x.d a0, fa3; li t6, res; bne a0, t6, fail
/* a0 = inst fa0 (, fa1) */
#define TEST_NBX1(n, inst, res, fl, a) TEST_CASE(n); LOAD_RAW(fa0, a); fsflags zero; \
        inst a0, fa0; CHECK_FLAGS(fl); li t6, res; bne a0, t6, fail
#define TEST_NBX2(n, inst, res, fl, a, b) TEST_CASE(n); LOAD_RAW(fa0, a); LOAD_RAW(fa1, b); fsflags zero; \
        inst a0, fa0, fa1; CHECK_FLAGS(fl); li t6, res; bne a0, t6, fail

/* Operands: properly boxed 1.0 and -1.0 and 2.0; 1.0 with upper bits 0, with one upper bit clear,
   and with upper bits 0x7fffffff; a signaling-NaN pattern in an unboxed register. */
#define ONE     0xffffffff3f800000
#define MONE    0xffffffffbf800000
#define TWO     0xffffffff40000000
#define UNB0    0x000000003f800000
#define UNB1    0xfffffffe3f800000
#define UNB2    0x7fffffff3f800000
#define UNBSNAN 0x000000007f800001
#define CNAN    0xffffffff7fc00000   /* canonical single NaN, boxed */

TEST_BEGIN
        fsrmi 0
/* Arithmetic on an operand that is not NaN-boxed: the canonical NaN, no flag */
        TEST_NB2(1, fadd.s, CNAN, 0, UNB0, ONE)
        TEST_NB2(2, fadd.s, CNAN, 0, ONE, UNB1)
        TEST_NB2(3, fsub.s, CNAN, 0, UNB2, ONE)
        TEST_NB2(4, fadd.s, TWO, 0, ONE, ONE)                 /* control: boxed 1 + 1 = 2 */
        TEST_NB2(5, fmul.s, CNAN, 0, UNBSNAN, ONE)            /* low bits are an sNaN, but the operand is the quiet canonical NaN: no NV */
        TEST_NB2(6, fdiv.s, CNAN, 0, ONE, UNB0)
        TEST_NB1(7, fsqrt.s, CNAN, 0, UNB0)
        TEST_NB3(8, fmadd.s, CNAN, 0, ONE, ONE, UNB0)         /* 1*1 + NaN */
        TEST_NB3(9, fnmsub.s, CNAN, 0, UNB1, ONE, ONE)
        TEST_NB3(10, fmadd.s, CNAN, NV, 0xffffffff7f800000, 0xffffffff00000000, UNB0)  /* inf*0 + NaN: NV */
/* Conversions */
        TEST_NB1(11, fcvt.d.s, 0x7ff8000000000000, 0, UNB0)   /* canonical double NaN */
        TEST_NB1(12, fcvt.d.s, 0x3ff0000000000000, 0, ONE)    /* control */
        TEST_NBX1(13, fcvt.w.s, 0x7fffffff, NV, UNB0)         /* NaN -> largest, NV */
        TEST_NBX1(14, fcvt.wu.s, 0xffffffffffffffff, NV, UNB2)
        TEST_NBX1(15, fcvt.l.s, 0x7fffffffffffffff, NV, UNBSNAN)
/* Compares and class: the operand is a quiet NaN */
        TEST_NBX2(16, feq.s, 0, 0, UNB0, UNB0)                /* quiet compare of NaNs: 0, no flag */
        TEST_NBX2(17, feq.s, 1, 0, ONE, ONE)                  /* control */
        TEST_NBX2(18, flt.s, 0, NV, UNB0, TWO)                /* signaling compare: NV */
        TEST_NBX2(19, fle.s, 0, NV, ONE, UNB1)
        TEST_NBX1(20, fclass.s, 0x200, 0, UNB0)               /* quiet NaN */
        TEST_NBX1(21, fclass.s, 0x200, 0, UNBSNAN)            /* quiet NaN, not signaling */
        TEST_NBX1(22, fclass.s, 0x040, 0, ONE)                /* control: positive normal */
/* Min/max: the unboxed operand is a (quiet) NaN, so the other operand is returned */
        TEST_NB2(23, fmin.s, TWO, 0, UNB0, TWO)
        TEST_NB2(24, fmax.s, MONE, 0, MONE, UNB1)
        TEST_NB2(25, fmin.s, CNAN, 0, UNB0, UNB2)
/* Sign injection reads the canonical NaN too (sign +, payload canonical) */
        TEST_NB2(26, fsgnj.s, 0xffffffffffc00000, 0, UNB0, MONE)   /* canonical NaN with rs2's sign */
        TEST_NB2(27, fsgnj.s, ONE, 0, MONE, UNB0)             /* rs2 = canonical NaN: sign + */
        TEST_NB2(28, fsgnjn.s, MONE, 0, ONE, UNB0)            /* not(+) = - */
        TEST_NB2(29, fsgnjx.s, MONE, 0, MONE, UNB1)           /* - xor + = - */
        TEST_NB2(30, fsgnj.s, CNAN, 0, UNB0, UNB0)            /* fmv.s of an unboxed register */
        TEST_NB2(31, fsgnjn.s, 0xffffffffffc00000, 0, UNB2, UNB2)  /* fneg.s */
/* Double-precision operations see all 64 bits */
        TEST_NB2(32, fsgnjn.d, 0x800000003f800000, 0, UNB0, UNB0)  /* fneg.d of a small positive double */
        TEST_NB2(33, fadd.d, 0x7ff8000000000000, 0, ONE, 0x3ff0000000000000)  /* boxed single = quiet NaN as a double */
        TEST_NBX1(34, fclass.d, 0x200, 0, ONE)                /* 0xffffffff3f800000 is a negative quiet NaN as a double */
/* Single results are NaN-boxed whatever the destination held before */
        TEST_CASE(35)
        LOAD_RAW(fa2, 0x0123456789abcdef)
        li t1, 5
        fcvt.s.w fa2, t1
        fmv.x.d a0, fa2
        CHECK_EQ(a0, 0xffffffff40a00000)
        TEST_CASE(36)
        LOAD_RAW(fa0, 0x3ff8000000000000)                     /* 1.5 (double) */
        LOAD_RAW(fa2, 0x0123456789abcdef)
        fcvt.s.d fa2, fa0
        fmv.x.d a0, fa2
        CHECK_EQ(a0, 0xffffffff3fc00000)
        TEST_CASE(37)
        LOAD_RAW(fa0, UNB0)
        fsgnjx.s fa0, fa0, fa0                                 /* rd = rs1 = rs2, unboxed: canonical NaN, boxed */
        fmv.x.d a0, fa0
        CHECK_EQ(a0, CNAN)
        j pass
TEST_END
