/* Single-precision loads, stores and moves (F extension): flw, fsw, fmv.w.x, fmv.x.w.
   These are transfers: they move bits unchanged (signaling NaN payloads included) and never set a
   flag. A 32-bit value entering an f register is NaN-boxed (upper 32 bits all ones, checked with
   fmv.x.d); leaving it (fsw, fmv.x.w) takes the low 32 bits whatever the upper bits hold, and
   fmv.x.w sign-extends bit 31 into the x register. */
#include "test.h"

#define CHECK_FLAGS(f) csrrw t0, fflags, zero; li t6, f; bne t0, t6, fail

TEST_BEGIN
        la s0, words
        la s1, buf
        csrw fflags, zero

        TEST_CASE(1)                  /* flw 1.0: NaN-boxed */
        flw fa0, 0(s0)
        fmv.x.d a0, fa0
        CHECK_EQ(a0, 0xffffffff3f800000)
        fmv.x.w a0, fa0
        CHECK_EQ(a0, 0x3f800000)

        TEST_CASE(2)                  /* flw -1.0; fmv.x.w sign-extends */
        flw fa1, 4(s0)
        fmv.x.d a0, fa1
        CHECK_EQ(a0, 0xffffffffbf800000)
        fmv.x.w a0, fa1
        CHECK_EQ(a0, 0xffffffffbf800000)

        TEST_CASE(3)                  /* flw of a signaling NaN: bits kept, no NV */
        flw fa2, 8(s0)
        fmv.x.d a0, fa2
        CHECK_EQ(a0, 0xffffffff7f800001)
        CHECK_FLAGS(0)

        TEST_CASE(4)                  /* flw 0xffffffff (negative quiet NaN, all payload bits) */
        flw fa3, 12(s0)
        fmv.x.d a0, fa3
        CHECK_EQ(a0, 0xffffffffffffffff)
        fmv.x.w a0, fa3
        CHECK_EQ(a0, 0xffffffffffffffff)

        TEST_CASE(5)                  /* negative offset, and f0 / f31 */
        addi t1, s0, 16
        flw ft0, -12(t1)              /* words[1] = -1.0 */
        fmv.x.d a0, ft0
        CHECK_EQ(a0, 0xffffffffbf800000)
        flw ft11, 16(s0)              /* words[4] = 0x00000001 (smallest subnormal) */
        fmv.x.d a0, ft11
        CHECK_EQ(a0, 0xffffffff00000001)

        TEST_CASE(6)                  /* flw replaces a whole register that held a double */
        li t1, 0x123456789abcdef0
        fmv.d.x fa6, t1
        flw fa6, 0(s0)
        fmv.x.d a0, fa6
        CHECK_EQ(a0, 0xffffffff3f800000)

        TEST_CASE(7)                  /* fsw writes exactly 4 bytes */
        li t1, 0x5555555555555555
        sd t1, 0(s1)
        fsw fa0, 0(s1)
        ld a0, 0(s1)
        CHECK_EQ(a0, 0x555555553f800000)
        fsw fa1, 4(s1)
        ld a0, 0(s1)
        CHECK_EQ(a0, 0xbf8000003f800000)

        TEST_CASE(8)                  /* fsw of a signaling NaN: bits kept, no NV */
        fsw fa2, 8(s1)
        lwu a0, 8(s1)
        CHECK_EQ(a0, 0x7f800001)
        CHECK_FLAGS(0)

        TEST_CASE(9)                  /* fsw of a register that is not NaN-boxed stores its low 32 bits */
        li t1, 0x0123456789abcdef
        fmv.d.x fa4, t1
        fsw fa4, 12(s1)
        lwu a0, 12(s1)
        CHECK_EQ(a0, 0x89abcdef)

        TEST_CASE(10)                 /* fmv.x.w of a register that is not NaN-boxed: low 32 bits, sign-extended */
        fmv.x.w a0, fa4
        CHECK_EQ(a0, 0xffffffff89abcdef)
        li t1, 0x000000017fc00000     /* upper bits 0x00000001: still a transfer of the low half */
        fmv.d.x fa4, t1
        fmv.x.w a0, fa4
        CHECK_EQ(a0, 0x7fc00000)

        TEST_CASE(11)                 /* fmv.w.x ignores the upper 32 bits of rs1 and NaN-boxes */
        li t1, 0xdeadbeef40490fdb
        fmv.w.x fa5, t1
        fmv.x.d a0, fa5
        CHECK_EQ(a0, 0xffffffff40490fdb)

        TEST_CASE(12)                 /* fmv.w.x / fmv.x.w keep a signaling NaN, no NV */
        li t1, 0xff800001
        fmv.w.x fa5, t1
        fmv.x.w a0, fa5
        CHECK_EQ(a0, 0xffffffffff800001)
        CHECK_FLAGS(0)

        TEST_CASE(13)                 /* fmv.x.w of a positive value: bit 31 clear, upper bits zero */
        li t1, 0x7fc00000
        fmv.w.x fa5, t1
        fmv.x.w a0, fa5
        CHECK_EQ(a0, 0x7fc00000)

        TEST_CASE(14)                 /* fmv.w.x x0 = +0.0, boxed */
        fmv.w.x fa7, zero
        fmv.x.d a0, fa7
        CHECK_EQ(a0, 0xffffffff00000000)

        TEST_CASE(15)                 /* store and load back through a 12-bit offset */
        addi t1, s1, -2000
        li t2, 0xc0490fdb
        fmv.w.x fa0, t2
        fsw fa0, 2000+16(t1)
        flw fa1, 2000+16(t1)
        fmv.x.d a0, fa1
        CHECK_EQ(a0, 0xffffffffc0490fdb)
        lwu a0, 16(s1)
        CHECK_EQ(a0, 0xc0490fdb)

        TEST_CASE(16)                 /* none of the above set any flag */
        CHECK_FLAGS(0)
        j pass
TEST_END

        .data
        .balign 8
words:  .word 0x3f800000, 0xbf800000, 0x7f800001, 0xffffffff, 0x00000001
        .balign 8
buf:    .dword 0, 0, 0, 0
