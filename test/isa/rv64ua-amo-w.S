/* Word AMOs (RV64A): AMOSWAP.W, AMOADD.W, AMOXOR.W, AMOAND.W, AMOOR.W, AMOMIN.W, AMOMAX.W,
   AMOMINU.W, AMOMAXU.W atomically load the 32-bit word at rs1 into rd (sign-extended), compute
   op(old, rs2[31:0]) and store the 32-bit result. MIN/MAX compare 32-bit values (signed or
   unsigned), so rs2[63:32] never matters. Words at both halves of a doubleword are used and the
   other half, and the neighbouring doublewords, must stay untouched. */
#include "test.h"
        .option norvc

#define GUARD 0xa5a5a5a5a5a5a5a5

/* amo_buf = three guard doublewords; the word at amo_buf + 8 + off starts as `init`.
   Checks rd and the whole middle doubleword. */
#define TEST_AMO_W(n, op, off, init, rs2, expect_rd, expect_dword)  \
        TEST_CASE(n); la s0, amo_buf; li t0, GUARD;         \
        sd t0, 0(s0); sd t0, 8(s0); sd t0, 16(s0);          \
        li t0, init; sw t0, (8 + off)(s0);                  \
        addi a0, s0, 8 + off; li a1, rs2;                   \
        op a2, a1, (a0);                                    \
        CHECK_EQ(a2, expect_rd); CHECK_EQ(a1, rs2);         \
        ld t2, 8(s0); CHECK_EQ(t2, expect_dword);           \
        ld t2, 0(s0); CHECK_EQ(t2, GUARD);                  \
        ld t2, 16(s0); CHECK_EQ(t2, GUARD)

TEST_BEGIN

        /* AMOSWAP.W */
        TEST_AMO_W(1, amoswap.w, 0, 0x0000000080000000, 0x0000000012345678, 0xffffffff80000000, 0xa5a5a5a512345678)
        TEST_AMO_W(2, amoswap.w, 4, 0x000000007fffffff, 0xffffffff00000001, 0x000000007fffffff, 0x00000001a5a5a5a5)
        TEST_AMO_W(3, amoswap.w, 0, 0, 0xffffffffffffffff, 0, 0xa5a5a5a5ffffffff)

        /* AMOADD.W */
        TEST_AMO_W(4, amoadd.w, 0, 1, 2, 1, 0xa5a5a5a500000003)
        TEST_AMO_W(5, amoadd.w, 4, 0x000000007fffffff, 1, 0x000000007fffffff, 0x80000000a5a5a5a5)
        TEST_AMO_W(6, amoadd.w, 0, 0x00000000ffffffff, 1, 0xffffffffffffffff, 0xa5a5a5a500000000)
        TEST_AMO_W(7, amoadd.w, 4, 0x0000000080000000, 0xffffffff80000000, 0xffffffff80000000, 0x00000000a5a5a5a5)
        TEST_AMO_W(8, amoadd.w, 0, 5, 0x0000000100000003, 5, 0xa5a5a5a500000008)

        /* AMOXOR.W */
        TEST_AMO_W(9, amoxor.w, 0, 0x00000000ff00ff00, 0x000000000ff00ff0, 0xffffffffff00ff00, 0xa5a5a5a5f0f0f0f0)
        TEST_AMO_W(10, amoxor.w, 4, 0x0000000012345678, 0xffffffffffffffff, 0x0000000012345678, 0xedcba987a5a5a5a5)

        /* AMOAND.W */
        TEST_AMO_W(11, amoand.w, 0, 0x00000000ff00ff00, 0x000000000ff00ff0, 0xffffffffff00ff00, 0xa5a5a5a50f000f00)
        TEST_AMO_W(12, amoand.w, 4, 0x0000000080000001, 0xffffffffffffffff, 0xffffffff80000001, 0x80000001a5a5a5a5)

        /* AMOOR.W */
        TEST_AMO_W(13, amoor.w, 0, 0x00000000ff00ff00, 0x000000000ff00ff0, 0xffffffffff00ff00, 0xa5a5a5a5fff0fff0)
        TEST_AMO_W(14, amoor.w, 4, 0, 0x0000000080000000, 0, 0x80000000a5a5a5a5)

        /* AMOMIN.W */
        TEST_AMO_W(15, amomin.w, 0, 1, 2, 1, 0xa5a5a5a500000001)
        TEST_AMO_W(16, amomin.w, 4, 2, 1, 2, 0x00000001a5a5a5a5)
        TEST_AMO_W(17, amomin.w, 0, 0x00000000ffffffff, 1, 0xffffffffffffffff, 0xa5a5a5a5ffffffff)
        TEST_AMO_W(18, amomin.w, 4, 1, 0x00000000ffffffff, 1, 0xffffffffa5a5a5a5)
        TEST_AMO_W(19, amomin.w, 0, 0x0000000080000000, 0x000000007fffffff, 0xffffffff80000000, 0xa5a5a5a580000000)
        TEST_AMO_W(20, amomin.w, 4, 5, 0x00000001fffffffe, 5, 0xfffffffea5a5a5a5)
        TEST_AMO_W(21, amomin.w, 0, 0x000000007fffffff, 0x0000000080000000, 0x000000007fffffff, 0xa5a5a5a580000000)

        /* AMOMAX.W */
        TEST_AMO_W(22, amomax.w, 0, 1, 2, 1, 0xa5a5a5a500000002)
        TEST_AMO_W(23, amomax.w, 4, 2, 1, 2, 0x00000002a5a5a5a5)
        TEST_AMO_W(24, amomax.w, 0, 0x00000000ffffffff, 1, 0xffffffffffffffff, 0xa5a5a5a500000001)
        TEST_AMO_W(25, amomax.w, 4, 1, 0x00000000ffffffff, 1, 0x00000001a5a5a5a5)
        TEST_AMO_W(26, amomax.w, 0, 0x0000000080000000, 0x000000007fffffff, 0xffffffff80000000, 0xa5a5a5a57fffffff)
        TEST_AMO_W(27, amomax.w, 4, 5, 0x00000001fffffffe, 5, 0x00000005a5a5a5a5)
        TEST_AMO_W(28, amomax.w, 0, 0x000000007fffffff, 0x0000000080000000, 0x000000007fffffff, 0xa5a5a5a57fffffff)

        /* AMOMINU.W */
        TEST_AMO_W(29, amominu.w, 0, 1, 2, 1, 0xa5a5a5a500000001)
        TEST_AMO_W(30, amominu.w, 4, 2, 1, 2, 0x00000001a5a5a5a5)
        TEST_AMO_W(31, amominu.w, 0, 0x00000000ffffffff, 1, 0xffffffffffffffff, 0xa5a5a5a500000001)
        TEST_AMO_W(32, amominu.w, 4, 1, 0x00000000ffffffff, 1, 0x00000001a5a5a5a5)
        TEST_AMO_W(33, amominu.w, 0, 0x0000000080000000, 0x000000007fffffff, 0xffffffff80000000, 0xa5a5a5a57fffffff)
        TEST_AMO_W(34, amominu.w, 4, 5, 0xffffffff00000003, 5, 0x00000003a5a5a5a5)

        /* AMOMAXU.W */
        TEST_AMO_W(35, amomaxu.w, 0, 1, 2, 1, 0xa5a5a5a500000002)
        TEST_AMO_W(36, amomaxu.w, 4, 2, 1, 2, 0x00000002a5a5a5a5)
        TEST_AMO_W(37, amomaxu.w, 0, 0x00000000ffffffff, 1, 0xffffffffffffffff, 0xa5a5a5a5ffffffff)
        TEST_AMO_W(38, amomaxu.w, 4, 1, 0x00000000ffffffff, 1, 0xffffffffa5a5a5a5)
        TEST_AMO_W(39, amomaxu.w, 0, 0x0000000080000000, 0x000000007fffffff, 0xffffffff80000000, 0xa5a5a5a580000000)
        TEST_AMO_W(40, amomaxu.w, 4, 5, 0xffffffff00000003, 5, 0x00000005a5a5a5a5)

        /* rd == rs2: the old rs2 is the operand, rd gets the old memory value. */
        TEST_CASE(41)
        la a0, amo_buf
        li t0, 0x80000000
        sw t0, 0(a0)
        li a1, 5
        amoadd.w a1, a1, (a0)
        CHECK_EQ(a1, 0xffffffff80000000)
        lwu t2, 0(a0)
        CHECK_EQ(t2, 0x80000005)

        /* rd == rs1: the address is used before rd is written. */
        TEST_CASE(42)
        la a0, amo_buf
        mv a3, a0
        li a1, 7
        amoswap.w a0, a1, (a0)
        CHECK_EQ(a0, 0xffffffff80000005)
        lw t2, 0(a3)
        CHECK_EQ(t2, 7)

        /* rd = x0: memory is still updated, x0 stays zero. */
        TEST_CASE(43)
        la a0, amo_buf
        li a1, 3
        amoor.w x0, a1, (a0)
        CHECK_EQ(x0, 0)
        lw t2, 0(a0)
        CHECK_EQ(t2, 7)
        amoadd.w x0, a1, (a0)
        lw t2, 0(a0)
        CHECK_EQ(t2, 10)

        /* aq / rl / aqrl variants. */
        TEST_CASE(44)
        la a0, amo_buf
        sw x0, 0(a0)
        li a1, 1
        amoadd.w.aq a2, a1, (a0)
        amoadd.w.rl a2, a1, (a0)
        amoadd.w.aqrl a2, a1, (a0)
        CHECK_EQ(a2, 2)
        li a1, -1
        amomaxu.w.aqrl a2, a1, (a0)
        CHECK_EQ(a2, 3)
        amominu.w.aq a2, x0, (a0)
        CHECK_EQ(a2, -1)
        lw t2, 0(a0)
        CHECK_EQ(t2, 0)
        j pass

        .data
        .balign 8
amo_buf: .skip 24
        .text
TEST_END
