/* Register-immediate ALU ops (RV64I): ADDI, SLTI, SLTIU, XORI, ORI, ANDI. The 12-bit immediate is
   always sign-extended to 64 bits first (so SLTIU x, -1 compares against 2^64-1). */
#include "test.h"
        .option norvc

/* rd = op(rs1, imm); rs1 must be left unchanged. */
#define TEST_IMM(n, op, expect, a, imm)                     \
        TEST_CASE(n); li a1, a; op a0, a1, imm;             \
        CHECK_EQ(a0, expect); CHECK_EQ(a1, a)

/* rd == rs1. */
#define TEST_IMM_SAME(n, op, expect, a, imm)                \
        TEST_CASE(n); li a1, a; op a1, a1, imm; CHECK_EQ(a1, expect)

TEST_BEGIN

        /* ADDI: 64-bit add of the sign-extended immediate, wrapping modulo 2^64 */
        TEST_IMM(1, addi, 0, 0, 0)
        TEST_IMM(2, addi, 2, 1, 1)
        TEST_IMM(3, addi, 0xa, 3, 7)
        TEST_IMM(4, addi, 0xffffffffffffffff, 0, -1)
        TEST_IMM(5, addi, 0, 0xffffffffffffffff, 1)
        TEST_IMM(6, addi, 0x7ff, 0, 2047)
        TEST_IMM(7, addi, 0xfffffffffffff800, 0, -2048)
        TEST_IMM(8, addi, 0x8000000000000000, 0x7fffffffffffffff, 1)
        TEST_IMM(9, addi, 0x7fffffffffffffff, 0x8000000000000000, -1)
        TEST_IMM(10, addi, 0x0000000100000000, 0x00000000ffffffff, 1)
        TEST_IMM(11, addi, 0x0000000080000000, 0x000000007fffffff, 1)
        TEST_IMM(12, addi, 0x0000000123456000, 0x0000000123456789, -1929)
        TEST_IMM(13, addi, 0xfffffffffffff000, 0xfffffffffffff800, -2048)

        /* SLTI: signed compare with the sign-extended immediate */
        TEST_IMM(14, slti, 0, 0, 0)
        TEST_IMM(15, slti, 1, 0, 1)
        TEST_IMM(16, slti, 0, 1, 0)
        TEST_IMM(17, slti, 1, 0xffffffffffffffff, 0)
        TEST_IMM(18, slti, 0, 0, -1)
        TEST_IMM(19, slti, 1, 0xfffffffffffffffe, -1)
        TEST_IMM(20, slti, 0, 0xffffffffffffffff, -2)
        TEST_IMM(21, slti, 1, 0x8000000000000000, -2048)
        TEST_IMM(22, slti, 0, 0x7fffffffffffffff, 2047)
        TEST_IMM(23, slti, 0, 0x7ff, 2047)
        TEST_IMM(24, slti, 1, 0xfffffffffffff7ff, -2048)
        TEST_IMM(25, slti, 0, 0x0000000080000000, 0)
        TEST_IMM(26, slti, 0, 0x00000000ffffffff, -1)

        /* SLTIU: the immediate is sign-extended, then compared unsigned */
        TEST_IMM(27, sltiu, 0, 0, 0)
        TEST_IMM(28, sltiu, 1, 0, 1)
        TEST_IMM(29, sltiu, 0, 1, 1)
        TEST_IMM(30, sltiu, 0, 1, 0)
        TEST_IMM(31, sltiu, 1, 0, -1)
        TEST_IMM(32, sltiu, 1, 0xfffffffffffffffe, -1)
        TEST_IMM(33, sltiu, 0, 0xffffffffffffffff, -1)
        TEST_IMM(34, sltiu, 1, 0x8000000000000000, -2048)
        TEST_IMM(35, sltiu, 1, 0x7fffffffffffffff, -2048)
        TEST_IMM(36, sltiu, 1, 0x7fe, 2047)
        TEST_IMM(37, sltiu, 0, 0xfffffffffffff800, -2048)
        TEST_IMM(38, sltiu, 1, 0xfffffffffffff7ff, -2048)

        /* XORI (xori -1 is NOT) */
        TEST_IMM(39, xori, 0, 0, 0)
        TEST_IMM(40, xori, 0x00ff00ff00ff000f, 0x00ff00ff00ff00ff, 240)
        TEST_IMM(41, xori, 0xff00ff00ff00ff00, 0x00ff00ff00ff00ff, -1)
        TEST_IMM(42, xori, 0xff00ff00ff00f8ff, 0x00ff00ff00ff00ff, -2048)
        TEST_IMM(43, xori, 0xfffffffffffff800, 0xffffffffffffffff, 2047)

        /* ORI */
        TEST_IMM(44, ori, 0, 0, 0)
        TEST_IMM(45, ori, 0x12345678000007ff, 0x1234567800000000, 2047)
        TEST_IMM(46, ori, 0xfffffffffffff800, 0, -2048)
        TEST_IMM(47, ori, 0xfff0, 0xff00, 240)
        TEST_IMM(48, ori, 0x8000000000000001, 0x8000000000000000, 1)

        /* ANDI: a negative immediate keeps the upper bits */
        TEST_IMM(49, andi, 0, 0xffffffffffffffff, 0)
        TEST_IMM(50, andi, 0x7ff, 0xffffffffffffffff, 2047)
        TEST_IMM(51, andi, 0xffffffffffffffff, 0xffffffffffffffff, -1)
        TEST_IMM(52, andi, 0x123456789abcdef0, 0x123456789abcdef0, -16)
        TEST_IMM(53, andi, 0x123456789abcd800, 0x123456789abcdef0, -2048)
        TEST_IMM(54, andi, 0, 0xff00ff00ff00ff00, 240)
        TEST_IMM(55, andi, 0x8000000000000800, 0x8000000000000fff, -2048)

        /* rd == rs1 */
        TEST_IMM_SAME(56, addi, 0x0000000080000000, 0x000000007fffffff, 1)
        TEST_IMM_SAME(57, slti, 1, 0xfffffffffffffffb, -4)
        TEST_IMM_SAME(58, sltiu, 0, 5, 4)
        TEST_IMM_SAME(59, xori, 0xffffffffffffaaaa, 0x5555, -1)
        TEST_IMM_SAME(60, ori, 0xfffffffffffff800, 0x1000, -2048)
        TEST_IMM_SAME(61, andi, 0xfffffffffffffff0, 0xfffffffffffffffd, -16)

        /* rd = x0 is discarded; rs1 = x0 reads zero. */
        TEST_CASE(62)
        li a0, 0x1234
        addi x0, a0, 1
        ori x0, a0, 0x7ff
        CHECK_EQ(x0, 0)
        addi a1, x0, -5
        CHECK_EQ(a1, -5)
        sltiu a1, x0, 1
        CHECK_EQ(a1, 1)
        j pass
TEST_END
