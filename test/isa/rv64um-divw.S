/* 32-bit division (RV64M): DIVW, DIVUW, REMW, REMUW divide rs1[31:0] by rs2[31:0] (the upper
   halves are ignored) and sign-extend the 32-bit result, even for the unsigned forms. Special
   cases as in the manual's table, at 32 bits: division by zero gives quotient all ones (so -1
   after sign extension, for DIVUW too) and remainder = sign-extended rs1[31:0]; INT32_MIN / -1
   gives INT32_MIN and remainder 0. */
#include "test.h"
        .option norvc

/* rd = op(rs1, rs2); the sources must be left unchanged. */
#define TEST_RR(n, op, expect, a, b)                        \
        TEST_CASE(n); li a1, a; li a2, b; op a0, a1, a2;    \
        CHECK_EQ(a0, expect); CHECK_EQ(a1, a); CHECK_EQ(a2, b)

/* rd == rs1. */
#define TEST_RR_D1(n, op, expect, a, b)                     \
        TEST_CASE(n); li a1, a; li a2, b; op a1, a1, a2;    \
        CHECK_EQ(a1, expect); CHECK_EQ(a2, b)

/* rd == rs2. */
#define TEST_RR_D2(n, op, expect, a, b)                     \
        TEST_CASE(n); li a1, a; li a2, b; op a2, a1, a2;    \
        CHECK_EQ(a2, expect); CHECK_EQ(a1, a)

/* rd == rs1 == rs2. */
#define TEST_RR_SAME(n, op, expect, a)                      \
        TEST_CASE(n); li a1, a; op a1, a1, a1; CHECK_EQ(a1, expect)

TEST_BEGIN

        /* DIVW: signed 32-bit division of rs1[31:0] by rs2[31:0], result sign-extended */
        TEST_RR(1, divw, 3, 0x14, 6)
        TEST_RR(2, divw, 0xfffffffffffffffd, 0xffffffffffffffec, 6)
        TEST_RR(3, divw, 0xfffffffffffffffd, 0x14, 0xfffffffffffffffa)
        TEST_RR(4, divw, 3, 0xffffffffffffffec, 0xfffffffffffffffa)
        TEST_RR(5, divw, 0xffffffff80000000, 0x0000000080000000, 1)
        TEST_RR(6, divw, 0xffffffffc0000000, 0x0000000080000000, 2)
        TEST_RR(7, divw, 0xffffffff80000001, 0x000000007fffffff, 0xffffffffffffffff)
        TEST_RR(8, divw, 3, 0x0000000100000014, 0xffffffff00000006)
        TEST_RR(9, divw, 0, 0x8123456789abcdef, 0x0fedcba987654321)
        TEST_RR(10, divw, 0, 0x00000000ffffffff, 2)

        /* DIVUW: unsigned 32-bit division; the 32-bit quotient is sign-extended */
        TEST_RR(11, divuw, 3, 0x14, 6)
        TEST_RR(12, divuw, 0x000000002aaaaaa7, 0xffffffffffffffec, 6)
        TEST_RR(13, divuw, 0, 0x14, 0xfffffffffffffffa)
        TEST_RR(14, divuw, 0xffffffff80000000, 0x0000000080000000, 1)
        TEST_RR(15, divuw, 0xffffffffffffffff, 0x00000000ffffffff, 1)
        TEST_RR(16, divuw, 8, 0xffffffff00000010, 0x0000000100000002)
        TEST_RR(17, divuw, 1, 0x8123456789abcdef, 0x0fedcba987654321)
        TEST_RR(18, divuw, 0, 0x00000000fffffffe, 0x00000000ffffffff)

        /* REMW */
        TEST_RR(19, remw, 2, 0x14, 6)
        TEST_RR(20, remw, 0xfffffffffffffffe, 0xffffffffffffffec, 6)
        TEST_RR(21, remw, 2, 0x14, 0xfffffffffffffffa)
        TEST_RR(22, remw, 0xfffffffffffffffe, 0xffffffffffffffec, 0xfffffffffffffffa)
        TEST_RR(23, remw, 0xfffffffffffffffe, 0x0000000080000000, 3)
        TEST_RR(24, remw, 2, 0x0000000100000014, 0xffffffff00000006)
        TEST_RR(25, remw, 0xffffffff89abcdef, 0x8123456789abcdef, 0x0fedcba987654321)
        TEST_RR(26, remw, 0x000000007fffffff, 0x000000007fffffff, 0x0000000080000000)

        /* REMUW */
        TEST_RR(27, remuw, 2, 0x14, 6)
        TEST_RR(28, remuw, 2, 0xffffffffffffffec, 6)
        TEST_RR(29, remuw, 1, 0x0000000080000001, 0x0000000080000000)
        TEST_RR(30, remuw, 0xf, 0x00000000ffffffff, 0x10)
        TEST_RR(31, remuw, 0x0000000002468ace, 0x8123456789abcdef, 0x0fedcba987654321)
        TEST_RR(32, remuw, 0xfffffffffffffffe, 0x00000000fffffffe, 0x00000000ffffffff)
        TEST_RR(33, remuw, 2, 0x0000000100000005, 3)

        /* Division by zero (rs2[31:0] = 0): quotient -1 (DIVUW too, after sign extension),
           remainder = sign-extended rs1[31:0] */
        TEST_RR(34, divw, 0xffffffffffffffff, 0, 0)
        TEST_RR(35, divw, 0xffffffffffffffff, 1, 0)
        TEST_RR(36, divw, 0xffffffffffffffff, 0xffffffffffffffff, 0)
        TEST_RR(37, divw, 0xffffffffffffffff, 0x0000000080000000, 0)
        TEST_RR(38, divw, 0xffffffffffffffff, 0x8123456789abcdef, 0)
        TEST_RR(39, divw, 0xffffffffffffffff, 0x0000000012345678, 0x0000000100000000)
        TEST_RR(40, divuw, 0xffffffffffffffff, 0, 0)
        TEST_RR(41, divuw, 0xffffffffffffffff, 1, 0)
        TEST_RR(42, divuw, 0xffffffffffffffff, 0xffffffffffffffff, 0)
        TEST_RR(43, divuw, 0xffffffffffffffff, 0x0000000080000000, 0)
        TEST_RR(44, divuw, 0xffffffffffffffff, 0x8123456789abcdef, 0)
        TEST_RR(45, divuw, 0xffffffffffffffff, 0x0000000012345678, 0x0000000100000000)
        TEST_RR(46, remw, 0, 0, 0)
        TEST_RR(47, remw, 1, 1, 0)
        TEST_RR(48, remw, 0xffffffffffffffff, 0xffffffffffffffff, 0)
        TEST_RR(49, remw, 0xffffffff80000000, 0x0000000080000000, 0)
        TEST_RR(50, remw, 0xffffffff89abcdef, 0x8123456789abcdef, 0)
        TEST_RR(51, remw, 0x0000000012345678, 0x0000000012345678, 0x0000000100000000)
        TEST_RR(52, remuw, 0, 0, 0)
        TEST_RR(53, remuw, 1, 1, 0)
        TEST_RR(54, remuw, 0xffffffffffffffff, 0xffffffffffffffff, 0)
        TEST_RR(55, remuw, 0xffffffff80000000, 0x0000000080000000, 0)
        TEST_RR(56, remuw, 0xffffffff89abcdef, 0x8123456789abcdef, 0)
        TEST_RR(57, remuw, 0x0000000012345678, 0x0000000012345678, 0x0000000100000000)

        /* Signed overflow: INT32_MIN / -1 = INT32_MIN, remainder 0 */
        TEST_RR(58, divw, 0xffffffff80000000, 0x0000000080000000, 0xffffffffffffffff)
        TEST_RR(59, remw, 0, 0x0000000080000000, 0xffffffffffffffff)
        TEST_RR(60, divw, 0xffffffff80000000, 0x1234567880000000, 0x00000000ffffffff)
        TEST_RR(61, remw, 0, 0x0000000080000000, 0x00000000ffffffff)
        TEST_RR(62, divuw, 0, 0x0000000080000000, 0xffffffffffffffff)
        TEST_RR(63, remuw, 0xffffffff80000000, 0x0000000080000000, 0xffffffffffffffff)

        /* rd aliasing rs1 / rs2 / both */
        TEST_RR_D1(64, divw, 0xfffffffffffffffd, 0xffffffffffffffec, 6)
        TEST_RR_D1(65, divuw, 1, 0x8123456789abcdef, 0x0fedcba987654321)
        TEST_RR_D1(66, remw, 0xfffffffffffffffe, 0xffffffffffffffec, 6)
        TEST_RR_D1(67, remuw, 0x0000000002468ace, 0x8123456789abcdef, 0x0fedcba987654321)
        TEST_RR_D2(68, divw, 0xfffffffffffffffd, 0xffffffffffffffec, 6)
        TEST_RR_D2(69, divuw, 1, 0x8123456789abcdef, 0x0fedcba987654321)
        TEST_RR_D2(70, remw, 0xfffffffffffffffe, 0xffffffffffffffec, 6)
        TEST_RR_D2(71, remuw, 0x0000000002468ace, 0x8123456789abcdef, 0x0fedcba987654321)
        TEST_RR_SAME(72, divw, 1, 0x8123456789abcdef)
        TEST_RR_SAME(73, divuw, 1, 0x8123456789abcdef)
        TEST_RR_SAME(74, remw, 0, 0x8123456789abcdef)
        TEST_RR_SAME(75, remuw, 0, 0x8123456789abcdef)

        /* rd = x0 is discarded. */
        TEST_CASE(76)
        li a1, 7
        divw x0, a1, a1
        remuw x0, a1, x0
        CHECK_EQ(x0, 0)
        j pass
TEST_END
