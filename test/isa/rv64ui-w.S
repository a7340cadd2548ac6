/* 32-bit ("W") ops of RV64I: ADDIW, SLLIW, SRLIW, SRAIW, ADDW, SUBW, SLLW, SRLW, SRAW. They read only
   the low 32 bits of their sources, compute a 32-bit result and sign-extend it to 64 bits; even
   SRLIW/SRLW by 0 sign-extend. Register shift amounts use rs2[4:0]. (SLLIW/SRLIW/SRAIW with
   shamt[5] set are reserved and not tested.) */
#include "test.h"
        .option norvc

#define TEST_IMM(n, op, expect, a, imm)                     \
        TEST_CASE(n); li a1, a; op a0, a1, imm;             \
        CHECK_EQ(a0, expect); CHECK_EQ(a1, a)

#define TEST_IMM_SAME(n, op, expect, a, imm)                \
        TEST_CASE(n); li a1, a; op a1, a1, imm; CHECK_EQ(a1, expect)

#define TEST_RR(n, op, expect, a, b)                        \
        TEST_CASE(n); li a1, a; li a2, b; op a0, a1, a2;    \
        CHECK_EQ(a0, expect); CHECK_EQ(a1, a); CHECK_EQ(a2, b)

#define TEST_RR_D1(n, op, expect, a, b)                     \
        TEST_CASE(n); li a1, a; li a2, b; op a1, a1, a2;    \
        CHECK_EQ(a1, expect); CHECK_EQ(a2, b)

#define TEST_RR_D2(n, op, expect, a, b)                     \
        TEST_CASE(n); li a1, a; li a2, b; op a2, a1, a2;    \
        CHECK_EQ(a2, expect); CHECK_EQ(a1, a)

#define TEST_RR_SAME(n, op, expect, a)                      \
        TEST_CASE(n); li a1, a; op a1, a1, a1; CHECK_EQ(a1, expect)

TEST_BEGIN

        /* ADDIW: 32-bit add, result sign-extended; rs1[63:32] is ignored */
        TEST_IMM(1, addiw, 0, 0, 0)
        TEST_IMM(2, addiw, 2, 1, 1)
        TEST_IMM(3, addiw, 0xffffffff80000000, 0x000000007fffffff, 1)
        TEST_IMM(4, addiw, 0xffffffff80000000, 0x0000000080000000, 0)
        TEST_IMM(5, addiw, 0xffffffffffffffff, 0x00000000ffffffff, 0)
        TEST_IMM(6, addiw, 0, 0x00000000ffffffff, 1)
        TEST_IMM(7, addiw, 2, 0x0123456700000001, 1)
        TEST_IMM(8, addiw, 0xfffffffffffff7ff, 0xffffffffffffffff, -2048)
        TEST_IMM(9, addiw, 0x000000007fffffff, 0x000000007ffff800, 2047)
        TEST_IMM(10, addiw, 0x000000007fffffff, 0x0000000080000000, -1)
        TEST_IMM(11, addiw, 0xffffffff89abcdef, 0x8123456789abcdef, 0)
        TEST_IMM(12, addiw, 0xffffffff80000000, 0xffffffff7fffffff, 1)

        /* SLLIW: shamt 0..31; the 32-bit result is sign-extended */
        TEST_IMM(13, slliw, 1, 1, 0)
        TEST_IMM(14, slliw, 0xffffffff80000000, 1, 31)
        TEST_IMM(15, slliw, 0x0000000040000000, 1, 30)
        TEST_IMM(16, slliw, 0xfffffffffffffffe, 0x00000000ffffffff, 1)
        TEST_IMM(17, slliw, 0x10, 0x0000000100000001, 4)
        TEST_IMM(18, slliw, 0xffffffff80000000, 0x0000000080000000, 0)
        TEST_IMM(19, slliw, 0xffffffffabcdef00, 0x8123456789abcdef, 8)
        TEST_IMM(20, slliw, 0x0000000056780000, 0x0000000012345678, 16)

        /* SRLIW: shifts rs1[31:0] with zeros; the 32-bit result is sign-extended (shamt 0!) */
        TEST_IMM(21, srliw, 0xffffffff80000000, 0x0000000080000000, 0)
        TEST_IMM(22, srliw, 0x0000000040000000, 0x0000000080000000, 1)
        TEST_IMM(23, srliw, 1, 0x0000000080000000, 31)
        TEST_IMM(24, srliw, 0x000000007fffffff, 0xffffffffffffffff, 1)
        TEST_IMM(25, srliw, 0xffffffffffffffff, 0xffffffffffffffff, 0)
        TEST_IMM(26, srliw, 1, 0xffffffff00000010, 4)
        TEST_IMM(27, srliw, 0x00000000089abcde, 0x8123456789abcdef, 4)
        TEST_IMM(28, srliw, 0xffffffff89abcdef, 0x8123456789abcdef, 0)
        TEST_IMM(29, srliw, 0x000000007fffffff, 0x000000007fffffff, 0)

        /* SRAIW: shifts rs1[31:0] with copies of bit 31 */
        TEST_IMM(30, sraiw, 0xffffffffffffffff, 0x0000000080000000, 31)
        TEST_IMM(31, sraiw, 0xffffffffc0000000, 0x0000000080000000, 1)
        TEST_IMM(32, sraiw, 0, 0x000000007fffffff, 31)
        TEST_IMM(33, sraiw, 0xfffffffff8000000, 0x0000000180000000, 4)
        TEST_IMM(34, sraiw, 0xffffffff80000000, 0x7fffffff80000000, 0)
        TEST_IMM(35, sraiw, 0xfffffffff89abcde, 0x8123456789abcdef, 4)
        TEST_IMM(36, sraiw, 0xfffffffffff89abc, 0x8123456789abcdef, 12)
        TEST_IMM(37, sraiw, 0xffffffffffffffff, 0x00000000fffffffe, 1)

        /* ADDW */
        TEST_RR(38, addw, 0, 0, 0)
        TEST_RR(39, addw, 2, 1, 1)
        TEST_RR(40, addw, 0xffffffff80000000, 0x000000007fffffff, 1)
        TEST_RR(41, addw, 0, 0x00000000ffffffff, 1)
        TEST_RR(42, addw, 0, 0x0000000080000000, 0x0000000080000000)
        TEST_RR(43, addw, 8, 0x0000000100000005, 0x0000000200000003)
        TEST_RR(44, addw, 0x0000000013579bde, 0x8123456789abcdef, 0x8123456789abcdef)
        TEST_RR(45, addw, 0xfffffffffffffffe, 0xffffffffffffffff, 0xffffffffffffffff)

        /* SUBW */
        TEST_RR(46, subw, 0, 0, 0)
        TEST_RR(47, subw, 0, 1, 1)
        TEST_RR(48, subw, 0xffffffff80000000, 0, 0x0000000080000000)
        TEST_RR(49, subw, 0x000000007fffffff, 0x0000000080000000, 1)
        TEST_RR(50, subw, 0xffffffffffffffff, 0, 1)
        TEST_RR(51, subw, 0xffffffffffffffff, 0x0000000500000000, 0x0000000100000001)
        TEST_RR(52, subw, 0x0000000013579bde, 0x8123456789abcdef, 0x7edcba9876543211)

        /* SLLW: only rs2[4:0] is used */
        TEST_RR(53, sllw, 1, 1, 0)
        TEST_RR(54, sllw, 0xffffffff80000000, 1, 0x1f)
        TEST_RR(55, sllw, 1, 1, 0x20)
        TEST_RR(56, sllw, 2, 1, 0x21)
        TEST_RR(57, sllw, 0xffffffff80000000, 3, 0xffffffffffffffff)
        TEST_RR(58, sllw, 0xfffffffffffffffe, 0x00000000ffffffff, 1)
        TEST_RR(59, sllw, 0xffffffff9abcdef0, 0x8123456789abcdef, 4)
        TEST_RR(60, sllw, 0x10, 0x0000000100000001, 0xffffffffffffffe4)

        /* SRLW: only rs2[4:0] is used */
        TEST_RR(61, srlw, 0xffffffff80000000, 0x0000000080000000, 0)
        TEST_RR(62, srlw, 0x0000000040000000, 0x0000000080000000, 1)
        TEST_RR(63, srlw, 1, 0x0000000080000000, 0x1f)
        TEST_RR(64, srlw, 0xffffffff80000000, 0x0000000080000000, 0x20)
        TEST_RR(65, srlw, 0x000000007fffffff, 0xffffffffffffffff, 1)
        TEST_RR(66, srlw, 0xffffffffffffffff, 0xffffffffffffffff, 0)
        TEST_RR(67, srlw, 1, 0xffffffff00000010, 4)
        TEST_RR(68, srlw, 0x00000000089abcde, 0x8123456789abcdef, 0x24)
        TEST_RR(69, srlw, 1, 0x8123456789abcdef, 0xffffffffffffffff)

        /* SRAW: only rs2[4:0] is used */
        TEST_RR(70, sraw, 0xffffffffffffffff, 0x0000000080000000, 0x1f)
        TEST_RR(71, sraw, 0xffffffff80000000, 0x0000000080000000, 0)
        TEST_RR(72, sraw, 0xffffffff80000000, 0x0000000080000000, 0x20)
        TEST_RR(73, sraw, 0, 0x000000007fffffff, 0x1f)
        TEST_RR(74, sraw, 0xfffffffff8000000, 0x0000000180000000, 4)
        TEST_RR(75, sraw, 0xfffffffff89abcde, 0x8123456789abcdef, 4)
        TEST_RR(76, sraw, 0xfffffffffff89abc, 0x8123456789abcdef, 0x2c)
        TEST_RR(77, sraw, 0, 0x000000007fffffff, 0xffffffffffffffff)
        TEST_RR(78, sraw, 0xffffffffffffffff, 0x0000000080000000, 0xffffffffffffffff)

        /* rd == rs1 / rd == rs2 / all three */
        TEST_RR_D1(79, addw, 0xffffffff80000000, 0x000000007fffffff, 1)
        TEST_RR_D1(80, subw, 0xffffffff80000001, 0, 0x000000007fffffff)
        TEST_RR_D1(81, sllw, 0xffffffff80000000, 1, 0x1f)
        TEST_RR_D1(82, srlw, 0xffffffff80000000, 0x0000000080000000, 0)
        TEST_RR_D1(83, sraw, 0xfffffffff8000000, 0x0000000080000000, 4)
        TEST_RR_D2(84, addw, 0xffffffff80000000, 0x000000007fffffff, 1)
        TEST_RR_D2(85, subw, 0xffffffff80000001, 0, 0x000000007fffffff)
        TEST_RR_D2(86, sllw, 0xffffffff80000000, 1, 0x1f)
        TEST_RR_D2(87, srlw, 0xffffffff80000000, 0x0000000080000000, 0)
        TEST_RR_D2(88, sraw, 0xfffffffff8000000, 0x0000000080000000, 4)
        TEST_RR_SAME(89, addw, 0xffffffff80000000, 0x0000000040000000)
        TEST_RR_SAME(90, subw, 0, 0x8123456789abcdef)
        TEST_RR_SAME(91, sllw, 0xffffffff80000000, 0x1f)
        TEST_IMM_SAME(92, addiw, 0xffffffffffffffff, 0x00000000ffffffff, 0)
        TEST_IMM_SAME(93, slliw, 0xffffffffc0000000, 3, 30)
        TEST_IMM_SAME(94, srliw, 0xffffffffffffffff, 0x00000000ffffffff, 0)
        TEST_IMM_SAME(95, sraiw, 0xfffffffff0000000, 0x0000000080000000, 3)

        /* rd = x0 is discarded; x0 as a source reads zero (negw, sext.w forms). */
        TEST_CASE(96)
        li a1, 0x80000000
        addiw x0, a1, 0
        subw x0, x0, a1
        CHECK_EQ(x0, 0)
        subw a0, x0, a1         /* negw */
        CHECK_EQ(a0, 0xffffffff80000000)
        j pass
TEST_END
