/* Multiplication (RV64M): MUL gives the low 64 bits of the product; MULH, MULHU and MULHSU the high
   64 bits of the 128-bit product of signed x signed, unsigned x unsigned and signed rs1 x unsigned
   rs2. MULW multiplies the low 32 bits and sign-extends the low 32 bits of the product. */
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

        /* MUL */
        TEST_RR(1, mul, 0, 0, 0)
        TEST_RR(2, mul, 1, 1, 1)
        TEST_RR(3, mul, 0x15, 3, 7)
        TEST_RR(4, mul, 0xffffffffffffffff, 0xffffffffffffffff, 1)
        TEST_RR(5, mul, 0xffffffffffffffff, 1, 0xffffffffffffffff)
        TEST_RR(6, mul, 1, 0xffffffffffffffff, 0xffffffffffffffff)
        TEST_RR(7, mul, 0, 0x8000000000000000, 0x8000000000000000)
        TEST_RR(8, mul, 0x8000000000000000, 0x8000000000000000, 0xffffffffffffffff)
        TEST_RR(9, mul, 1, 0x7fffffffffffffff, 0x7fffffffffffffff)
        TEST_RR(10, mul, 0x8000000000000000, 0x8000000000000000, 0x7fffffffffffffff)
        TEST_RR(11, mul, 0xa2236d88fe5618cf, 0x8123456789abcdef, 0x0fedcba987654321)
        TEST_RR(12, mul, 0xa2236d88fe5618cf, 0x0fedcba987654321, 0x8123456789abcdef)
        TEST_RR(13, mul, 0xfffffffffffffffa, 0xfffffffffffffffe, 3)
        TEST_RR(14, mul, 0xfffffffffffffffe, 2, 0xffffffffffffffff)
        TEST_RR(15, mul, 0xfffffffe00000001, 0x00000000ffffffff, 0x00000000ffffffff)
        TEST_RR(16, mul, 0, 0x0000000100000000, 0x0000000100000000)

        /* MULH */
        TEST_RR(17, mulh, 0, 0, 0)
        TEST_RR(18, mulh, 0, 1, 1)
        TEST_RR(19, mulh, 0, 3, 7)
        TEST_RR(20, mulh, 0xffffffffffffffff, 0xffffffffffffffff, 1)
        TEST_RR(21, mulh, 0xffffffffffffffff, 1, 0xffffffffffffffff)
        TEST_RR(22, mulh, 0, 0xffffffffffffffff, 0xffffffffffffffff)
        TEST_RR(23, mulh, 0x4000000000000000, 0x8000000000000000, 0x8000000000000000)
        TEST_RR(24, mulh, 0, 0x8000000000000000, 0xffffffffffffffff)
        TEST_RR(25, mulh, 0x3fffffffffffffff, 0x7fffffffffffffff, 0x7fffffffffffffff)
        TEST_RR(26, mulh, 0xc000000000000000, 0x8000000000000000, 0x7fffffffffffffff)
        TEST_RR(27, mulh, 0xf81b39cb4724dbe3, 0x8123456789abcdef, 0x0fedcba987654321)
        TEST_RR(28, mulh, 0xf81b39cb4724dbe3, 0x0fedcba987654321, 0x8123456789abcdef)
        TEST_RR(29, mulh, 0xffffffffffffffff, 0xfffffffffffffffe, 3)
        TEST_RR(30, mulh, 0xffffffffffffffff, 2, 0xffffffffffffffff)
        TEST_RR(31, mulh, 0, 0x00000000ffffffff, 0x00000000ffffffff)
        TEST_RR(32, mulh, 1, 0x0000000100000000, 0x0000000100000000)

        /* MULHSU */
        TEST_RR(33, mulhsu, 0, 0, 0)
        TEST_RR(34, mulhsu, 0, 1, 1)
        TEST_RR(35, mulhsu, 0, 3, 7)
        TEST_RR(36, mulhsu, 0xffffffffffffffff, 0xffffffffffffffff, 1)
        TEST_RR(37, mulhsu, 0, 1, 0xffffffffffffffff)
        TEST_RR(38, mulhsu, 0xffffffffffffffff, 0xffffffffffffffff, 0xffffffffffffffff)
        TEST_RR(39, mulhsu, 0xc000000000000000, 0x8000000000000000, 0x8000000000000000)
        TEST_RR(40, mulhsu, 0x8000000000000000, 0x8000000000000000, 0xffffffffffffffff)
        TEST_RR(41, mulhsu, 0x3fffffffffffffff, 0x7fffffffffffffff, 0x7fffffffffffffff)
        TEST_RR(42, mulhsu, 0xc000000000000000, 0x8000000000000000, 0x7fffffffffffffff)
        TEST_RR(43, mulhsu, 0xf81b39cb4724dbe3, 0x8123456789abcdef, 0x0fedcba987654321)
        TEST_RR(44, mulhsu, 0x08090574ce8a1f04, 0x0fedcba987654321, 0x8123456789abcdef)
        TEST_RR(45, mulhsu, 0xffffffffffffffff, 0xfffffffffffffffe, 3)
        TEST_RR(46, mulhsu, 1, 2, 0xffffffffffffffff)
        TEST_RR(47, mulhsu, 0, 0x00000000ffffffff, 0x00000000ffffffff)
        TEST_RR(48, mulhsu, 1, 0x0000000100000000, 0x0000000100000000)

        /* MULHU */
        TEST_RR(49, mulhu, 0, 0, 0)
        TEST_RR(50, mulhu, 0, 1, 1)
        TEST_RR(51, mulhu, 0, 3, 7)
        TEST_RR(52, mulhu, 0, 0xffffffffffffffff, 1)
        TEST_RR(53, mulhu, 0, 1, 0xffffffffffffffff)
        TEST_RR(54, mulhu, 0xfffffffffffffffe, 0xffffffffffffffff, 0xffffffffffffffff)
        TEST_RR(55, mulhu, 0x4000000000000000, 0x8000000000000000, 0x8000000000000000)
        TEST_RR(56, mulhu, 0x7fffffffffffffff, 0x8000000000000000, 0xffffffffffffffff)
        TEST_RR(57, mulhu, 0x3fffffffffffffff, 0x7fffffffffffffff, 0x7fffffffffffffff)
        TEST_RR(58, mulhu, 0x3fffffffffffffff, 0x8000000000000000, 0x7fffffffffffffff)
        TEST_RR(59, mulhu, 0x08090574ce8a1f04, 0x8123456789abcdef, 0x0fedcba987654321)
        TEST_RR(60, mulhu, 0x08090574ce8a1f04, 0x0fedcba987654321, 0x8123456789abcdef)
        TEST_RR(61, mulhu, 2, 0xfffffffffffffffe, 3)
        TEST_RR(62, mulhu, 1, 2, 0xffffffffffffffff)
        TEST_RR(63, mulhu, 0, 0x00000000ffffffff, 0x00000000ffffffff)
        TEST_RR(64, mulhu, 1, 0x0000000100000000, 0x0000000100000000)

        /* MULW: low 32 bits of the product of rs1[31:0] and rs2[31:0], sign-extended */
        TEST_RR(65, mulw, 0, 0, 0)
        TEST_RR(66, mulw, 0x15, 3, 7)
        TEST_RR(67, mulw, 0xffffffffffffffff, 0xffffffffffffffff, 1)
        TEST_RR(68, mulw, 0xfffffffffffffffe, 0x000000007fffffff, 2)
        TEST_RR(69, mulw, 0xffffffff80000000, 0x8000, 0x0000000000010000)
        TEST_RR(70, mulw, 0, 0x0000000000010000, 0x0000000000010000)
        TEST_RR(71, mulw, 0xf, 0x0000000100000003, 0x0000000100000005)
        TEST_RR(72, mulw, 1, 0xffffffffffffffff, 0xffffffffffffffff)
        TEST_RR(73, mulw, 0xffffffff80000000, 0x0000000080000000, 0xffffffffffffffff)
        TEST_RR(74, mulw, 0xfffffffffe5618cf, 0x8123456789abcdef, 0x0fedcba987654321)
        TEST_RR(75, mulw, 1, 0x00000000ffffffff, 0x00000000ffffffff)

        /* rd == rs1 / rd == rs2 / all three */
        TEST_RR_D1(76, mul, 0xa2236d88fe5618cf, 0x8123456789abcdef, 0x0fedcba987654321)
        TEST_RR_D1(77, mulh, 0xf81b39cb4724dbe3, 0x8123456789abcdef, 0x0fedcba987654321)
        TEST_RR_D1(78, mulhsu, 0xffffffffffffffff, 0xffffffffffffffff, 0xffffffffffffffff)
        TEST_RR_D1(79, mulhu, 0x08090574ce8a1f04, 0x8123456789abcdef, 0x0fedcba987654321)
        TEST_RR_D1(80, mulw, 0xfffffffffffffffe, 0x000000007fffffff, 2)
        TEST_RR_D2(81, mul, 0xa2236d88fe5618cf, 0x8123456789abcdef, 0x0fedcba987654321)
        TEST_RR_D2(82, mulh, 0xf81b39cb4724dbe3, 0x8123456789abcdef, 0x0fedcba987654321)
        TEST_RR_D2(83, mulhsu, 0xffffffffffffffff, 0xffffffffffffffff, 0xffffffffffffffff)
        TEST_RR_D2(84, mulhu, 0x08090574ce8a1f04, 0x8123456789abcdef, 0x0fedcba987654321)
        TEST_RR_D2(85, mulw, 0xfffffffffffffffe, 0x000000007fffffff, 2)
        TEST_RR_SAME(86, mul, 0xdca5e20890f2a521, 0x8123456789abcdef)
        TEST_RR_SAME(87, mulh, 0x3ede05ff528828bd, 0x8123456789abcdef)
        TEST_RR_SAME(88, mulhsu, 0xc0014b66dc33f6ac, 0x8123456789abcdef)
        TEST_RR_SAME(89, mulhu, 0x412490ce65dfc49b, 0x8123456789abcdef)
        TEST_RR_SAME(90, mulw, 0xffffffff90f2a521, 0x8123456789abcdef)

        /* rd = x0 is discarded. */
        TEST_CASE(91)
        li a1, 3
        mul x0, a1, a1
        mulhu x0, a1, a1
        mulw x0, a1, a1
        CHECK_EQ(x0, 0)
        j pass
TEST_END
