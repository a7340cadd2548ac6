/* Zba, address generation (Bit-Manipulation ISA-extensions v1.0.0, RV64): SHnADD adds x[rs1]
   shifted left by n to x[rs2]; the .UW forms and SLLI.UW first zero-extend the low 32 bits of
   x[rs1]; ADD.UW adds that zero-extended word to x[rs2]. Upper bits of rs1 set check the
   zero-extension; sums past 2^64 wrap. Expected values from the specification's pseudo-code.
   isa-tests-march: rv64gc_zba */
#include "alu.h"
        .option norvc

TEST_BEGIN

        /* ADD.UW: x[rs2] + zext(x[rs1][31:0]) */
        TEST_RR(1, add.uw, 0x0, 0x0, 0x0)
        TEST_RR(2, add.uw, 0x3, 0x1, 0x2)
        TEST_RR(3, add.uw, 0x0000000100000000, 0x00000000ffffffff, 0x1)
        TEST_RR(4, add.uw, 0x5, 0xffffffff00000000, 0x5)
        TEST_RR(5, add.uw, 0x0000000080000000, 0x0000000080000000, 0x0)
        TEST_RR(6, add.uw, 0x00000000fffffffe, 0xffffffffffffffff, 0xffffffffffffffff)
        TEST_RR(7, add.uw, 0x0fedcbaa11111110, 0x8123456789abcdef, 0x0fedcba987654321)
        TEST_RR(8, add.uw, 0x8123456811111110, 0x0fedcba987654321, 0x8123456789abcdef)
        TEST_RR(9, add.uw, 0x800000007ffffffe, 0x000000007fffffff, 0x7fffffffffffffff)

        /* SH1ADD: x[rs2] + (x[rs1] << 1) */
        TEST_RR(10, sh1add, 0x0, 0x0, 0x0)
        TEST_RR(11, sh1add, 0x2, 0x1, 0x0)
        TEST_RR(12, sh1add, 0x3, 0x1, 0x1)
        TEST_RR(13, sh1add, 0xfffffffffffffffe, 0xffffffffffffffff, 0x0)
        TEST_RR(14, sh1add, 0x1, 0x8000000000000000, 0x1)
        TEST_RR(15, sh1add, 0x8000000000000000, 0x4000000000000000, 0x0)
        TEST_RR(16, sh1add, 0x123456789abcdeff, 0x8123456789abcdef, 0x0fedcba987654321)
        TEST_RR(17, sh1add, 0xfffffffffffffffd, 0xffffffffffffffff, 0xffffffffffffffff)

        /* SH1ADD.UW: x[rs2] + (zext(x[rs1][31:0]) << 1) */
        TEST_RR(18, sh1add.uw, 0x0, 0x0, 0x0)
        TEST_RR(19, sh1add.uw, 0x2, 0x1, 0x0)
        TEST_RR(20, sh1add.uw, 0x00000001fffffffe, 0x00000000ffffffff, 0x0)
        TEST_RR(21, sh1add.uw, 0x00000001ffffffff, 0xffffffffffffffff, 0x1)
        TEST_RR(22, sh1add.uw, 0x0000000100000000, 0xffffffff80000000, 0x0)
        TEST_RR(23, sh1add.uw, 0x0fedcbaa9abcdeff, 0x8123456789abcdef, 0x0fedcba987654321)
        TEST_RR(24, sh1add.uw, 0x000000010eca8641, 0x0fedcba987654321, 0xffffffffffffffff)

        /* SH2ADD: x[rs2] + (x[rs1] << 2) */
        TEST_RR(25, sh2add, 0x0, 0x0, 0x0)
        TEST_RR(26, sh2add, 0x4, 0x1, 0x0)
        TEST_RR(27, sh2add, 0x5, 0x1, 0x1)
        TEST_RR(28, sh2add, 0xfffffffffffffffc, 0xffffffffffffffff, 0x0)
        TEST_RR(29, sh2add, 0x1, 0x8000000000000000, 0x1)
        TEST_RR(30, sh2add, 0x0, 0x4000000000000000, 0x0)
        TEST_RR(31, sh2add, 0x147ae147ae147add, 0x8123456789abcdef, 0x0fedcba987654321)
        TEST_RR(32, sh2add, 0xfffffffffffffffb, 0xffffffffffffffff, 0xffffffffffffffff)

        /* SH2ADD.UW: x[rs2] + (zext(x[rs1][31:0]) << 2) */
        TEST_RR(33, sh2add.uw, 0x0, 0x0, 0x0)
        TEST_RR(34, sh2add.uw, 0x4, 0x1, 0x0)
        TEST_RR(35, sh2add.uw, 0x00000003fffffffc, 0x00000000ffffffff, 0x0)
        TEST_RR(36, sh2add.uw, 0x00000003fffffffd, 0xffffffffffffffff, 0x1)
        TEST_RR(37, sh2add.uw, 0x0000000200000000, 0xffffffff80000000, 0x0)
        TEST_RR(38, sh2add.uw, 0x0fedcbabae147add, 0x8123456789abcdef, 0x0fedcba987654321)
        TEST_RR(39, sh2add.uw, 0x000000021d950c83, 0x0fedcba987654321, 0xffffffffffffffff)

        /* SH3ADD: x[rs2] + (x[rs1] << 3) */
        TEST_RR(40, sh3add, 0x0, 0x0, 0x0)
        TEST_RR(41, sh3add, 0x8, 0x1, 0x0)
        TEST_RR(42, sh3add, 0x9, 0x1, 0x1)
        TEST_RR(43, sh3add, 0xfffffffffffffff8, 0xffffffffffffffff, 0x0)
        TEST_RR(44, sh3add, 0x1, 0x8000000000000000, 0x1)
        TEST_RR(45, sh3add, 0x0, 0x4000000000000000, 0x0)
        TEST_RR(46, sh3add, 0x1907f6e5d4c3b299, 0x8123456789abcdef, 0x0fedcba987654321)
        TEST_RR(47, sh3add, 0xfffffffffffffff7, 0xffffffffffffffff, 0xffffffffffffffff)

        /* SH3ADD.UW: x[rs2] + (zext(x[rs1][31:0]) << 3) */
        TEST_RR(48, sh3add.uw, 0x0, 0x0, 0x0)
        TEST_RR(49, sh3add.uw, 0x8, 0x1, 0x0)
        TEST_RR(50, sh3add.uw, 0x00000007fffffff8, 0x00000000ffffffff, 0x0)
        TEST_RR(51, sh3add.uw, 0x00000007fffffff9, 0xffffffffffffffff, 0x1)
        TEST_RR(52, sh3add.uw, 0x0000000400000000, 0xffffffff80000000, 0x0)
        TEST_RR(53, sh3add.uw, 0x0fedcbadd4c3b299, 0x8123456789abcdef, 0x0fedcba987654321)
        TEST_RR(54, sh3add.uw, 0x000000043b2a1907, 0x0fedcba987654321, 0xffffffffffffffff)

        /* SLLI.UW: zext(x[rs1][31:0]) << shamt (6 bits) */
        TEST_IMM(55, slli.uw, 0x1, 0x1, 0)
        TEST_IMM(56, slli.uw, 0x00000000ffffffff, 0xffffffffffffffff, 0)
        TEST_IMM(57, slli.uw, 0x00000001fffffffe, 0xffffffffffffffff, 1)
        TEST_IMM(58, slli.uw, 0x7fffffff80000000, 0xffffffffffffffff, 31)
        TEST_IMM(59, slli.uw, 0xffffffff00000000, 0xffffffffffffffff, 32)
        TEST_IMM(60, slli.uw, 0x8000000000000000, 0xffffffffffffffff, 63)
        TEST_IMM(61, slli.uw, 0x8000000000000000, 0x0000000080000000, 32)
        TEST_IMM(62, slli.uw, 0x000000089abcdef0, 0x8123456789abcdef, 4)
        TEST_IMM(63, slli.uw, 0xabcdef0000000000, 0x8123456789abcdef, 40)
        TEST_IMM(64, slli.uw, 0x8000000000000000, 0xffffffff00000001, 63)

        /* Destination aliasing a source */
        TEST_RR_D1(65, add.uw, 0x0fedcbaa11111110, 0x8123456789abcdef, 0x0fedcba987654321)
        TEST_RR_D2(66, add.uw, 0x0fedcbaa11111110, 0x8123456789abcdef, 0x0fedcba987654321)
        TEST_RR_SAME(67, add.uw, 0x8123456813579bde, 0x8123456789abcdef)
        TEST_RR_D1(68, sh2add, 0x147ae147ae147add, 0x8123456789abcdef, 0x0fedcba987654321)
        TEST_RR_D2(69, sh3add, 0x1907f6e5d4c3b299, 0x8123456789abcdef, 0x0fedcba987654321)
        TEST_RR_SAME(70, sh1add, 0x8369d0369d0369cd, 0x8123456789abcdef)
        TEST_RR_D1(71, sh1add.uw, 0x0fedcbaa9abcdeff, 0x8123456789abcdef, 0x0fedcba987654321)
        TEST_RR_D2(72, sh2add.uw, 0x0fedcbabae147add, 0x8123456789abcdef, 0x0fedcba987654321)
        TEST_RR_SAME(73, sh3add.uw, 0x8123456bd70a3d67, 0x8123456789abcdef)
        TEST_IMM_SAME(74, slli.uw, 0x0000089abcdef000, 0x8123456789abcdef, 12)

        /* rd = x0 is discarded. */
        TEST_CASE(75)
        li a1, 3
        add.uw x0, a1, a1
        sh1add x0, a1, a1
        sh3add.uw x0, a1, a1
        slli.uw x0, a1, 3
        CHECK_EQ(x0, 0)
        j pass
TEST_END
