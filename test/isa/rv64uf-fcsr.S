/* The floating-point control and status register (F chapter): fcsr = frm (bits 7:5) and fflags
   (bits 4:0, NV DZ OF UF NX), also reachable as the CSRs frm and fflags. Bits 31:8 of fcsr are
   reserved: writes are ignored and they read zero (no other extension here uses them). The flags
   are accrued: an operation ORs its exceptions in and never clears one; only CSR writes do. */
#include "test.h"

#define NV 0x10
#define DZ 0x08
#define OF 0x04
#define UF 0x02
#define NX 0x01

TEST_BEGIN
        TEST_CASE(1)                  /* fcsr = frm:fflags */
        li t1, 0xff
        csrw fcsr, t1
        frcsr a0
        CHECK_EQ(a0, 0xff)
        frrm a0
        CHECK_EQ(a0, 7)
        frflags a0
        CHECK_EQ(a0, 0x1f)

        TEST_CASE(2)                  /* reserved bits 31:8 and above: ignored, read 0 */
        li t1, 0xffffffffffffff00 | (2 << 5) | NX
        csrw fcsr, t1
        frcsr a0
        CHECK_EQ(a0, (2 << 5) | NX)

        TEST_CASE(3)                  /* writing fflags leaves frm alone */
        li t1, 0x1f
        fsflags t0, t1                /* swaps: old flags NX come back */
        CHECK_EQ(t0, NX)
        frcsr a0
        CHECK_EQ(a0, (2 << 5) | 0x1f)

        TEST_CASE(4)                  /* writing frm leaves fflags alone */
        li t1, 5
        fsrm t0, t1
        CHECK_EQ(t0, 2)
        frcsr a0
        CHECK_EQ(a0, (5 << 5) | 0x1f)

        TEST_CASE(5)                  /* immediate forms and set/clear */
        fsrmi t0, 3
        CHECK_EQ(t0, 5)
        fsflagsi t0, DZ
        CHECK_EQ(t0, 0x1f)
        csrsi fflags, NV
        csrci fflags, DZ
        frcsr a0
        CHECK_EQ(a0, (3 << 5) | NV)
        csrrci a0, frm, 1             /* 3 -> 2 */
        CHECK_EQ(a0, 3)
        frrm a0
        CHECK_EQ(a0, 2)

        TEST_CASE(6)                  /* flags accrue: DZ then NX, then an exact op keeps both */
        fscsr zero
        li t1, 0x3f800000             /* 1.0 */
        fmv.w.x fa0, t1
        fmv.w.x fa1, zero
        fdiv.s fa2, fa0, fa1          /* 1/0: DZ */
        li t1, 0x40400000             /* 3.0 */
        fmv.w.x fa3, t1
        fdiv.s fa2, fa0, fa3          /* 1/3: NX */
        fadd.s fa2, fa0, fa0          /* exact */
        frflags a0
        CHECK_EQ(a0, DZ | NX)
        fsub.s fa2, fa1, fa1, rne     /* 0 - 0, exact */
        frflags a0
        CHECK_EQ(a0, DZ | NX)

        TEST_CASE(7)                  /* an operation raising a flag already set leaves the others */
        li t1, 0x7f7fffff             /* max */
        fmv.w.x fa4, t1
        fmul.s fa2, fa4, fa4          /* OF|NX */
        frflags a0
        CHECK_EQ(a0, DZ | OF | NX)
        fsflags zero

        TEST_CASE(8)                  /* csrrs with x0 reads without writing */
        fsflagsi NV | UF
        csrrs a0, fflags, zero
        CHECK_EQ(a0, NV | UF)
        csrrs a0, fflags, zero
        CHECK_EQ(a0, NV | UF)

        TEST_CASE(9)                  /* read-and-clear, as the tests use it */
        csrrw a0, fflags, zero
        CHECK_EQ(a0, NV | UF)
        frflags a0
        CHECK_EQ(a0, 0)

        TEST_CASE(10)                 /* the dynamic mode comes from frm at execution time */
        li t1, 0x3f800000             /* 1 */
        fmv.w.x fa0, t1
        li t1, 0x33800000             /* 2^-24 = half an ulp of 1 */
        fmv.w.x fa1, t1
        fsrmi 3                       /* RUP */
        fadd.s fa2, fa0, fa1, dyn
        fmv.x.w a0, fa2
        CHECK_EQ(a0, 0x3f800001)
        fsrmi 0                       /* RNE: tie to even */
        fadd.s fa2, fa0, fa1, dyn
        fmv.x.w a0, fa2
        CHECK_EQ(a0, 0x3f800000)
        frflags a0
        CHECK_EQ(a0, NX)

        fscsr zero
        j pass
TEST_END
