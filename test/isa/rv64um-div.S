/* Division (RV64M): DIV, DIVU, REM, REMU on 64 bits. Signed division rounds toward zero and the
   remainder has the sign of the dividend. The manual's table of special cases: division by zero
   gives quotient -1 (all ones, also for DIVU) and remainder = dividend; signed overflow
   (INT64_MIN / -1) gives quotient INT64_MIN and remainder 0. Neither traps. */
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

        /* DIV: signed, rounds toward zero */
        TEST_RR(1, div, 3, 0x14, 6)
        TEST_RR(2, div, 0xfffffffffffffffd, 0xffffffffffffffec, 6)
        TEST_RR(3, div, 0xfffffffffffffffd, 0x14, 0xfffffffffffffffa)
        TEST_RR(4, div, 3, 0xffffffffffffffec, 0xfffffffffffffffa)
        TEST_RR(5, div, 1, 7, 7)
        TEST_RR(6, div, 0, 0, 5)
        TEST_RR(7, div, 0x8000000000000000, 0x8000000000000000, 1)
        TEST_RR(8, div, 0xc000000000000000, 0x8000000000000000, 2)
        TEST_RR(9, div, 0x8000000000000001, 0x7fffffffffffffff, 0xffffffffffffffff)
        TEST_RR(10, div, 0xfffffffffffffff9, 0x8123456789abcdef, 0x0fedcba987654321)
        TEST_RR(11, div, 0xfdb97530eca86420, 0x0fedcba987654321, 0xfffffffffffffff9)
        TEST_RR(12, div, 0x0000000080000000, 0x0000000100000000, 2)

        /* DIVU */
        TEST_RR(13, divu, 3, 0x14, 6)
        TEST_RR(14, divu, 0x2aaaaaaaaaaaaaa7, 0xffffffffffffffec, 6)
        TEST_RR(15, divu, 0, 0x14, 0xfffffffffffffffa)
        TEST_RR(16, divu, 0xffffffffffffffff, 0xffffffffffffffff, 1)
        TEST_RR(17, divu, 1, 0xffffffffffffffff, 0xffffffffffffffff)
        TEST_RR(18, divu, 0x4000000000000000, 0x8000000000000000, 2)
        TEST_RR(19, divu, 8, 0x8123456789abcdef, 0x0fedcba987654321)
        TEST_RR(20, divu, 0x02468acf13579be0, 0x0fedcba987654321, 7)
        TEST_RR(21, divu, 0, 5, 0xffffffffffffffff)

        /* REM: the sign of the result follows the dividend */
        TEST_RR(22, rem, 2, 0x14, 6)
        TEST_RR(23, rem, 0xfffffffffffffffe, 0xffffffffffffffec, 6)
        TEST_RR(24, rem, 2, 0x14, 0xfffffffffffffffa)
        TEST_RR(25, rem, 0xfffffffffffffffe, 0xffffffffffffffec, 0xfffffffffffffffa)
        TEST_RR(26, rem, 0, 7, 7)
        TEST_RR(27, rem, 0, 0, 5)
        TEST_RR(28, rem, 0, 0x8000000000000000, 2)
        TEST_RR(29, rem, 0xfffffffffffffffe, 0x8000000000000000, 3)
        TEST_RR(30, rem, 0xf0a3d70a3d70a3d6, 0x8123456789abcdef, 0x0fedcba987654321)
        TEST_RR(31, rem, 1, 0x0fedcba987654321, 0xfffffffffffffff9)

        /* REMU */
        TEST_RR(32, remu, 2, 0x14, 6)
        TEST_RR(33, remu, 2, 0xffffffffffffffec, 6)
        TEST_RR(34, remu, 0x14, 0x14, 0xfffffffffffffffa)
        TEST_RR(35, remu, 0, 0xffffffffffffffff, 1)
        TEST_RR(36, remu, 2, 0x8000000000000000, 3)
        TEST_RR(37, remu, 0x01b4e81b4e81b4e7, 0x8123456789abcdef, 0x0fedcba987654321)
        TEST_RR(38, remu, 1, 0x0fedcba987654321, 7)
        TEST_RR(39, remu, 5, 5, 0xffffffffffffffff)

        /* Division by zero: quotient all ones (DIV -1, DIVU 2^64-1), remainder = dividend */
        TEST_RR(40, div, 0xffffffffffffffff, 0, 0)
        TEST_RR(41, div, 0xffffffffffffffff, 1, 0)
        TEST_RR(42, div, 0xffffffffffffffff, 0xffffffffffffffff, 0)
        TEST_RR(43, div, 0xffffffffffffffff, 0x8000000000000000, 0)
        TEST_RR(44, div, 0xffffffffffffffff, 0x8123456789abcdef, 0)
        TEST_RR(45, divu, 0xffffffffffffffff, 0, 0)
        TEST_RR(46, divu, 0xffffffffffffffff, 1, 0)
        TEST_RR(47, divu, 0xffffffffffffffff, 0xffffffffffffffff, 0)
        TEST_RR(48, divu, 0xffffffffffffffff, 0x8000000000000000, 0)
        TEST_RR(49, divu, 0xffffffffffffffff, 0x8123456789abcdef, 0)
        TEST_RR(50, rem, 0, 0, 0)
        TEST_RR(51, rem, 1, 1, 0)
        TEST_RR(52, rem, 0xffffffffffffffff, 0xffffffffffffffff, 0)
        TEST_RR(53, rem, 0x8000000000000000, 0x8000000000000000, 0)
        TEST_RR(54, rem, 0x8123456789abcdef, 0x8123456789abcdef, 0)
        TEST_RR(55, remu, 0, 0, 0)
        TEST_RR(56, remu, 1, 1, 0)
        TEST_RR(57, remu, 0xffffffffffffffff, 0xffffffffffffffff, 0)
        TEST_RR(58, remu, 0x8000000000000000, 0x8000000000000000, 0)
        TEST_RR(59, remu, 0x8123456789abcdef, 0x8123456789abcdef, 0)

        /* Signed overflow: INT64_MIN / -1 = INT64_MIN, remainder 0 (unsigned ops are not special) */
        TEST_RR(60, div, 0x8000000000000000, 0x8000000000000000, 0xffffffffffffffff)
        TEST_RR(61, rem, 0, 0x8000000000000000, 0xffffffffffffffff)
        TEST_RR(62, divu, 0, 0x8000000000000000, 0xffffffffffffffff)
        TEST_RR(63, remu, 0x8000000000000000, 0x8000000000000000, 0xffffffffffffffff)

        /* rd aliasing rs1 / rs2 / both */
        TEST_RR_D1(64, div, 0xfffffffffffffffd, 0xffffffffffffffec, 6)
        TEST_RR_D1(65, divu, 8, 0x8123456789abcdef, 0x0fedcba987654321)
        TEST_RR_D1(66, rem, 0xfffffffffffffffe, 0xffffffffffffffec, 6)
        TEST_RR_D1(67, remu, 0x01b4e81b4e81b4e7, 0x8123456789abcdef, 0x0fedcba987654321)
        TEST_RR_D1(68, div, 0xffffffffffffffff, 5, 0)
        TEST_RR_D1(69, rem, 5, 5, 0)
        TEST_RR_D2(70, div, 0xfffffffffffffffd, 0xffffffffffffffec, 6)
        TEST_RR_D2(71, divu, 8, 0x8123456789abcdef, 0x0fedcba987654321)
        TEST_RR_D2(72, rem, 0xfffffffffffffffe, 0xffffffffffffffec, 6)
        TEST_RR_D2(73, remu, 0x01b4e81b4e81b4e7, 0x8123456789abcdef, 0x0fedcba987654321)
        TEST_RR_D2(74, divu, 0xffffffffffffffff, 5, 0)
        TEST_RR_D2(75, remu, 5, 5, 0)
        TEST_RR_SAME(76, div, 1, 0x8123456789abcdef)
        TEST_RR_SAME(77, divu, 1, 0x8123456789abcdef)
        TEST_RR_SAME(78, rem, 0, 0x8123456789abcdef)
        TEST_RR_SAME(79, remu, 0, 0x8123456789abcdef)

        /* rd = x0 is discarded (also for the special cases). */
        TEST_CASE(80)
        li a1, 7
        div x0, a1, a1
        remu x0, a1, x0
        divu x0, a1, x0
        CHECK_EQ(x0, 0)
        j pass
TEST_END
