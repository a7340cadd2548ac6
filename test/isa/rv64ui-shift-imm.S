/* Shifts by immediate (RV64I): SLLI, SRLI, SRAI with a 6-bit shamt (0..63). SRAI fills with bit 63,
   SRLI with zeros. Shift amounts of 32 and more exercise shamt[5], which RV32 does not have. */
#include "test.h"
        .option norvc

/* rd = op(rs1, shamt); rs1 must be left unchanged. */
#define TEST_IMM(n, op, expect, a, imm)                     \
        TEST_CASE(n); li a1, a; op a0, a1, imm;             \
        CHECK_EQ(a0, expect); CHECK_EQ(a1, a)

/* rd == rs1. */
#define TEST_IMM_SAME(n, op, expect, a, imm)                \
        TEST_CASE(n); li a1, a; op a1, a1, imm; CHECK_EQ(a1, expect)

TEST_BEGIN

        /* SLLI: shamt 0..63 (6 bits in RV64) */
        TEST_IMM(1, slli, 1, 1, 0)
        TEST_IMM(2, slli, 2, 1, 1)
        TEST_IMM(3, slli, 0x0000000080000000, 1, 31)
        TEST_IMM(4, slli, 0x0000000100000000, 1, 32)
        TEST_IMM(5, slli, 0x8000000000000000, 1, 63)
        TEST_IMM(6, slli, 0xfffffffffffffffe, 0xffffffffffffffff, 1)
        TEST_IMM(7, slli, 0x8000000000000000, 0xffffffffffffffff, 63)
        TEST_IMM(8, slli, 0xffffffff00000000, 0x00000000ffffffff, 32)
        TEST_IMM(9, slli, 0x123456789abcdef0, 0x8123456789abcdef, 4)
        TEST_IMM(10, slli, 0x13579bde00000000, 0x8123456789abcdef, 33)
        TEST_IMM(11, slli, 0x8000000000000000, 0x8123456789abcdef, 63)
        TEST_IMM(12, slli, 0x4000000000000000, 0x21, 62)

        /* SRLI: zeros shifted in */
        TEST_IMM(13, srli, 0x8000000000000000, 0x8000000000000000, 0)
        TEST_IMM(14, srli, 0x4000000000000000, 0x8000000000000000, 1)
        TEST_IMM(15, srli, 0x0000000100000000, 0x8000000000000000, 31)
        TEST_IMM(16, srli, 0x0000000080000000, 0x8000000000000000, 32)
        TEST_IMM(17, srli, 1, 0x8000000000000000, 63)
        TEST_IMM(18, srli, 0x7fffffffffffffff, 0xffffffffffffffff, 1)
        TEST_IMM(19, srli, 0x000000007fffffff, 0xffffffffffffffff, 33)
        TEST_IMM(20, srli, 1, 0xffffffffffffffff, 63)
        TEST_IMM(21, srli, 0x08123456789abcde, 0x8123456789abcdef, 4)
        TEST_IMM(22, srli, 0x0000000000812345, 0x8123456789abcdef, 40)
        TEST_IMM(23, srli, 1, 0x7fffffffffffffff, 62)

        /* SRAI: copies of bit 63 shifted in */
        TEST_IMM(24, srai, 0x8000000000000000, 0x8000000000000000, 0)
        TEST_IMM(25, srai, 0xc000000000000000, 0x8000000000000000, 1)
        TEST_IMM(26, srai, 0xffffffff00000000, 0x8000000000000000, 31)
        TEST_IMM(27, srai, 0xffffffff80000000, 0x8000000000000000, 32)
        TEST_IMM(28, srai, 0xffffffffffffffff, 0x8000000000000000, 63)
        TEST_IMM(29, srai, 0xffffffffffffffff, 0xffffffffffffffff, 1)
        TEST_IMM(30, srai, 0xffffffffffffffff, 0xffffffffffffffff, 63)
        TEST_IMM(31, srai, 0xf8123456789abcde, 0x8123456789abcdef, 4)
        TEST_IMM(32, srai, 0xffffffffff812345, 0x8123456789abcdef, 40)
        TEST_IMM(33, srai, 1, 0x7fffffffffffffff, 62)
        TEST_IMM(34, srai, 0, 0x7fffffffffffffff, 63)
        TEST_IMM(35, srai, 1, 0x0000000080000000, 31)
        TEST_IMM(36, srai, 0, 0x0000000080000000, 32)

        /* rd == rs1 */
        TEST_IMM_SAME(37, slli, 0xc000000000000000, 3, 62)
        TEST_IMM_SAME(38, srli, 0xf, 0xffffffffffffffff, 60)
        TEST_IMM_SAME(39, srai, 0xfffffffffffffff8, 0x8000000000000000, 60)

        /* rd = x0 is discarded. */
        TEST_CASE(40)
        li a0, 1
        slli x0, a0, 5
        srai x0, a0, 0
        CHECK_EQ(x0, 0)
        j pass
TEST_END
