/* Double-precision loads, stores and moves (D extension, with the C forms c.fld, c.fsd, c.fldsp,
   c.fsdsp): fld, fsd, fmv.x.d, fmv.d.x move all 64 bits unchanged (NaN payloads, signaling or not)
   and never set a flag. fsd of a register holding a single stores its NaN box too. */
#include "test.h"

#define CHECK_FLAGS(f) csrrw t0, fflags, zero; li t6, f; bne t0, t6, fail

TEST_BEGIN
        la s0, dwords
        la s1, buf
        mv s5, s0                     /* x21: forces the 4-byte encodings */
        mv s6, s1
        csrw fflags, zero

        TEST_CASE(1)                  /* fld 1.0 */
        fld fa0, 0(s5)
        fmv.x.d a0, fa0
        CHECK_EQ(a0, 0x3ff0000000000000)

        TEST_CASE(2)                  /* fld of a signaling NaN: kept, no NV */
        fld fa1, 8(s5)
        fmv.x.d a0, fa1
        CHECK_EQ(a0, 0x7ff0000000000001)
        CHECK_FLAGS(0)

        TEST_CASE(3)                  /* negative quiet NaN with a payload */
        fld fa2, 16(s5)
        fmv.x.d a0, fa2
        CHECK_EQ(a0, 0xfff123456789abcd)

        TEST_CASE(4)                  /* fsd stores all 8 bytes unchanged */
        fsd fa1, 0(s6)
        ld a0, 0(s6)
        CHECK_EQ(a0, 0x7ff0000000000001)
        fsd fa2, 8(s6)
        ld a0, 8(s6)
        CHECK_EQ(a0, 0xfff123456789abcd)
        CHECK_FLAGS(0)

        TEST_CASE(5)                  /* fmv.d.x / fmv.x.d round trip of a negative signaling NaN */
        li t1, 0xfff0000000000001
        fmv.d.x fa3, t1
        fmv.x.d a0, fa3
        CHECK_EQ(a0, 0xfff0000000000001)
        CHECK_FLAGS(0)

        TEST_CASE(6)                  /* fsd of a single value stores the NaN box */
        li t1, 0x3f800000
        fmv.w.x fa4, t1
        fsd fa4, 16(s6)
        ld a0, 16(s6)
        CHECK_EQ(a0, 0xffffffff3f800000)

        TEST_CASE(7)                  /* fld into a register that held a single: whole register replaced */
        fld fa4, 24(s5)               /* 0x000000003f800000 */
        fmv.x.d a0, fa4
        CHECK_EQ(a0, 0x000000003f800000)

        TEST_CASE(8)                  /* f0 and f31, negative offsets */
        addi t1, s5, 32
        fld ft0, -32(t1)
        fmv.x.d a0, ft0
        CHECK_EQ(a0, 0x3ff0000000000000)
        fld ft11, -16(t1)
        fmv.x.d a0, ft11
        CHECK_EQ(a0, 0xfff123456789abcd)
        fsd ft11, 24(s6)
        ld a0, 24(s6)
        CHECK_EQ(a0, 0xfff123456789abcd)

        TEST_CASE(9)                  /* c.fld / c.fsd (base and data in x8-x15 / f8-f15) */
        c.fld fs0, 8(s0)
        fmv.x.d a0, fs0
        CHECK_EQ(a0, 0x7ff0000000000001)
        c.fsd fs0, 32(s1)
        ld a0, 32(s1)
        CHECK_EQ(a0, 0x7ff0000000000001)
        CHECK_FLAGS(0)

        TEST_CASE(10)                 /* c.fldsp / c.fsdsp */
        mv s7, sp
        mv sp, s0
        c.fldsp ft5, 16(sp)
        mv sp, s1
        c.fsdsp ft5, 40(sp)
        mv sp, s7
        fmv.x.d a0, ft5
        CHECK_EQ(a0, 0xfff123456789abcd)
        ld a0, 40(s1)
        CHECK_EQ(a0, 0xfff123456789abcd)

        TEST_CASE(11)                 /* fmv.d.x x0 = +0.0 */
        fmv.d.x fa5, zero
        fmv.x.d a0, fa5
        CHECK_EQ(a0, 0)

        TEST_CASE(12)                 /* none of the above set any flag */
        CHECK_FLAGS(0)
        j pass
TEST_END

        .data
        .balign 8
dwords: .dword 0x3ff0000000000000, 0x7ff0000000000001, 0xfff123456789abcd, 0x000000003f800000
        .balign 8
buf:    .dword 0, 0, 0, 0, 0, 0
