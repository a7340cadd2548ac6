/* Doubleword AMOs (RV64A): AMOSWAP.D, AMOADD.D, AMOXOR.D, AMOAND.D, AMOOR.D, AMOMIN.D, AMOMAX.D,
   AMOMINU.D, AMOMAXU.D atomically load the doubleword at rs1 into rd, compute op(old, rs2) on 64
   bits and store the result; the neighbouring doublewords must stay untouched. */
#include "test.h"
        .option norvc

#define GUARD 0xa5a5a5a5a5a5a5a5

/* amo_buf = guard, init, guard; the AMO targets the middle doubleword. */
#define TEST_AMO_D(n, op, init, rs2, expect_mem)            \
        TEST_CASE(n); la s0, amo_buf; li t0, GUARD;         \
        sd t0, 0(s0); sd t0, 16(s0);                        \
        li t0, init; sd t0, 8(s0);                          \
        addi a0, s0, 8; li a1, rs2;                         \
        op a2, a1, (a0);                                    \
        CHECK_EQ(a2, init); CHECK_EQ(a1, rs2);              \
        ld t2, 8(s0); CHECK_EQ(t2, expect_mem);             \
        ld t2, 0(s0); CHECK_EQ(t2, GUARD);                  \
        ld t2, 16(s0); CHECK_EQ(t2, GUARD)

TEST_BEGIN

        /* AMOSWAP.D */
        TEST_AMO_D(1, amoswap.d, 0x8000000000000000, 0x0123456789abcdef, 0x0123456789abcdef)
        TEST_AMO_D(2, amoswap.d, 0, 0xffffffffffffffff, 0xffffffffffffffff)

        /* AMOADD.D */
        TEST_AMO_D(3, amoadd.d, 1, 2, 3)
        TEST_AMO_D(4, amoadd.d, 0x7fffffffffffffff, 1, 0x8000000000000000)
        TEST_AMO_D(5, amoadd.d, 0xffffffffffffffff, 1, 0)
        TEST_AMO_D(6, amoadd.d, 0x00000000ffffffff, 1, 0x0000000100000000)

        /* AMOXOR.D */
        TEST_AMO_D(7, amoxor.d, 0xff00ff00ff00ff00, 0x0ff00ff00ff00ff0, 0xf0f0f0f0f0f0f0f0)
        TEST_AMO_D(8, amoxor.d, 0x0123456789abcdef, 0xffffffffffffffff, 0xfedcba9876543210)

        /* AMOAND.D */
        TEST_AMO_D(9, amoand.d, 0xff00ff00ff00ff00, 0x0ff00ff00ff00ff0, 0x0f000f000f000f00)
        TEST_AMO_D(10, amoand.d, 0x8000000000000001, 0xffffffffffffffff, 0x8000000000000001)

        /* AMOOR.D */
        TEST_AMO_D(11, amoor.d, 0xff00ff00ff00ff00, 0x0ff00ff00ff00ff0, 0xfff0fff0fff0fff0)
        TEST_AMO_D(12, amoor.d, 0, 0x8000000000000000, 0x8000000000000000)

        /* AMOMIN.D */
        TEST_AMO_D(13, amomin.d, 1, 2, 1)
        TEST_AMO_D(14, amomin.d, 2, 1, 1)
        TEST_AMO_D(15, amomin.d, 0xffffffffffffffff, 1, 0xffffffffffffffff)
        TEST_AMO_D(16, amomin.d, 1, 0xffffffffffffffff, 0xffffffffffffffff)
        TEST_AMO_D(17, amomin.d, 0x8000000000000000, 0x7fffffffffffffff, 0x8000000000000000)
        TEST_AMO_D(18, amomin.d, 0x7fffffffffffffff, 0x8000000000000000, 0x8000000000000000)
        TEST_AMO_D(19, amomin.d, 0x00000000ffffffff, 0x0000000100000000, 0x00000000ffffffff)
        TEST_AMO_D(20, amomin.d, 0x0000000080000000, 1, 1)

        /* AMOMAX.D */
        TEST_AMO_D(21, amomax.d, 1, 2, 2)
        TEST_AMO_D(22, amomax.d, 2, 1, 2)
        TEST_AMO_D(23, amomax.d, 0xffffffffffffffff, 1, 1)
        TEST_AMO_D(24, amomax.d, 1, 0xffffffffffffffff, 1)
        TEST_AMO_D(25, amomax.d, 0x8000000000000000, 0x7fffffffffffffff, 0x7fffffffffffffff)
        TEST_AMO_D(26, amomax.d, 0x7fffffffffffffff, 0x8000000000000000, 0x7fffffffffffffff)
        TEST_AMO_D(27, amomax.d, 0x00000000ffffffff, 0x0000000100000000, 0x0000000100000000)
        TEST_AMO_D(28, amomax.d, 0x0000000080000000, 1, 0x0000000080000000)

        /* AMOMINU.D */
        TEST_AMO_D(29, amominu.d, 1, 2, 1)
        TEST_AMO_D(30, amominu.d, 2, 1, 1)
        TEST_AMO_D(31, amominu.d, 0xffffffffffffffff, 1, 1)
        TEST_AMO_D(32, amominu.d, 1, 0xffffffffffffffff, 1)
        TEST_AMO_D(33, amominu.d, 0x8000000000000000, 0x7fffffffffffffff, 0x7fffffffffffffff)
        TEST_AMO_D(34, amominu.d, 0x00000000ffffffff, 0x0000000100000000, 0x00000000ffffffff)

        /* AMOMAXU.D */
        TEST_AMO_D(35, amomaxu.d, 1, 2, 2)
        TEST_AMO_D(36, amomaxu.d, 2, 1, 2)
        TEST_AMO_D(37, amomaxu.d, 0xffffffffffffffff, 1, 0xffffffffffffffff)
        TEST_AMO_D(38, amomaxu.d, 1, 0xffffffffffffffff, 0xffffffffffffffff)
        TEST_AMO_D(39, amomaxu.d, 0x8000000000000000, 0x7fffffffffffffff, 0x8000000000000000)
        TEST_AMO_D(40, amomaxu.d, 0x00000000ffffffff, 0x0000000100000000, 0x0000000100000000)

        /* rd == rs2: the old rs2 is the operand, rd gets the old memory value. */
        TEST_CASE(41)
        la a0, amo_buf
        li t0, 0x8000000000000000
        sd t0, 0(a0)
        li a1, 5
        amoadd.d a1, a1, (a0)
        CHECK_EQ(a1, 0x8000000000000000)
        ld t2, 0(a0)
        CHECK_EQ(t2, 0x8000000000000005)

        /* rd == rs1: the address is used before rd is written. */
        TEST_CASE(42)
        la a0, amo_buf
        mv a3, a0
        li a1, 7
        amoswap.d a0, a1, (a0)
        CHECK_EQ(a0, 0x8000000000000005)
        ld t2, 0(a3)
        CHECK_EQ(t2, 7)

        /* rd = x0: memory is still updated, x0 stays zero. */
        TEST_CASE(43)
        la a0, amo_buf
        li a1, 0x100000000
        amoor.d x0, a1, (a0)
        CHECK_EQ(x0, 0)
        ld t2, 0(a0)
        CHECK_EQ(t2, 0x100000007)
        amoxor.d x0, a1, (a0)
        ld t2, 0(a0)
        CHECK_EQ(t2, 7)

        /* aq / rl / aqrl variants. */
        TEST_CASE(44)
        la a0, amo_buf
        sd x0, 0(a0)
        li a1, 1
        amoadd.d.aq a2, a1, (a0)
        amoadd.d.rl a2, a1, (a0)
        amoadd.d.aqrl a2, a1, (a0)
        CHECK_EQ(a2, 2)
        li a1, -1
        amomax.d.aqrl a2, a1, (a0)
        CHECK_EQ(a2, 3)
        amomin.d.rl a2, a1, (a0)
        CHECK_EQ(a2, 3)
        ld t2, 0(a0)
        CHECK_EQ(t2, -1)

        /* A word AMO on the low half leaves the high half alone (and vice versa). */
        TEST_CASE(45)
        la a0, amo_buf
        li t0, 0x00000001ffffffff
        sd t0, 0(a0)
        li a1, 1
        amoadd.w a2, a1, (a0)   /* no carry into the upper word */
        ld t2, 0(a0)
        CHECK_EQ(t2, 0x0000000100000000)
        j pass

        .data
        .balign 8
amo_buf: .skip 24
        .text
TEST_END
