/* Zbs, single-bit instructions (Bit-Manipulation ISA-extensions v1.0.0, RV64): clear, set, invert
   or extract bit x[rs2] mod 64 (the register forms use the low 6 bits only) or bit shamt of
   x[rs1]. Expected values from the specification's pseudo-code.
   isa-tests-march: rv64gc_zbs */
#include "alu.h"
        .option norvc

TEST_BEGIN

        /* BCLR, BSET, BINV, BEXT: bit x[rs2][5:0] of x[rs1] */
        TEST_RR(1, bclr, 0x0, 0x0, 0x0)
        TEST_RR(2, bclr, 0xfffffffffffffffe, 0xffffffffffffffff, 0x0)
        TEST_RR(3, bclr, 0xffffffff7fffffff, 0xffffffffffffffff, 0x1f)
        TEST_RR(4, bclr, 0xfffffffeffffffff, 0xffffffffffffffff, 0x20)
        TEST_RR(5, bclr, 0x7fffffffffffffff, 0xffffffffffffffff, 0x3f)
        TEST_RR(6, bclr, 0x0, 0x0, 0x3f)
        TEST_RR(7, bclr, 0x8123456789abcded, 0x8123456789abcdef, 0x1)
        TEST_RR(8, bclr, 0x8123456789abcdef, 0x8123456789abcdef, 0x4)
        TEST_RR(9, bclr, 0x8123456789abcdef, 0x8123456789abcdef, 0x24)
        TEST_RR(10, bclr, 0x8123456789abcdee, 0x8123456789abcdef, 0x40)
        TEST_RR(11, bclr, 0x0123456789abcdef, 0x8123456789abcdef, 0xffffffffffffffff)
        TEST_RR(12, bclr, 0x8123456689abcdef, 0x8123456789abcdef, 0x7fffffffffffffe0)
        TEST_RR(13, bset, 0x1, 0x0, 0x0)
        TEST_RR(14, bset, 0xffffffffffffffff, 0xffffffffffffffff, 0x0)
        TEST_RR(15, bset, 0xffffffffffffffff, 0xffffffffffffffff, 0x1f)
        TEST_RR(16, bset, 0xffffffffffffffff, 0xffffffffffffffff, 0x20)
        TEST_RR(17, bset, 0xffffffffffffffff, 0xffffffffffffffff, 0x3f)
        TEST_RR(18, bset, 0x8000000000000000, 0x0, 0x3f)
        TEST_RR(19, bset, 0x8123456789abcdef, 0x8123456789abcdef, 0x1)
        TEST_RR(20, bset, 0x8123456789abcdff, 0x8123456789abcdef, 0x4)
        TEST_RR(21, bset, 0x8123457789abcdef, 0x8123456789abcdef, 0x24)
        TEST_RR(22, bset, 0x8123456789abcdef, 0x8123456789abcdef, 0x40)
        TEST_RR(23, bset, 0x8123456789abcdef, 0x8123456789abcdef, 0xffffffffffffffff)
        TEST_RR(24, bset, 0x8123456789abcdef, 0x8123456789abcdef, 0x7fffffffffffffe0)
        TEST_RR(25, binv, 0x1, 0x0, 0x0)
        TEST_RR(26, binv, 0xfffffffffffffffe, 0xffffffffffffffff, 0x0)
        TEST_RR(27, binv, 0xffffffff7fffffff, 0xffffffffffffffff, 0x1f)
        TEST_RR(28, binv, 0xfffffffeffffffff, 0xffffffffffffffff, 0x20)
        TEST_RR(29, binv, 0x7fffffffffffffff, 0xffffffffffffffff, 0x3f)
        TEST_RR(30, binv, 0x8000000000000000, 0x0, 0x3f)
        TEST_RR(31, binv, 0x8123456789abcded, 0x8123456789abcdef, 0x1)
        TEST_RR(32, binv, 0x8123456789abcdff, 0x8123456789abcdef, 0x4)
        TEST_RR(33, binv, 0x8123457789abcdef, 0x8123456789abcdef, 0x24)
        TEST_RR(34, binv, 0x8123456789abcdee, 0x8123456789abcdef, 0x40)
        TEST_RR(35, binv, 0x0123456789abcdef, 0x8123456789abcdef, 0xffffffffffffffff)
        TEST_RR(36, binv, 0x8123456689abcdef, 0x8123456789abcdef, 0x7fffffffffffffe0)
        TEST_RR(37, bext, 0x0, 0x0, 0x0)
        TEST_RR(38, bext, 0x1, 0xffffffffffffffff, 0x0)
        TEST_RR(39, bext, 0x1, 0xffffffffffffffff, 0x1f)
        TEST_RR(40, bext, 0x1, 0xffffffffffffffff, 0x20)
        TEST_RR(41, bext, 0x1, 0xffffffffffffffff, 0x3f)
        TEST_RR(42, bext, 0x0, 0x0, 0x3f)
        TEST_RR(43, bext, 0x1, 0x8123456789abcdef, 0x1)
        TEST_RR(44, bext, 0x0, 0x8123456789abcdef, 0x4)
        TEST_RR(45, bext, 0x0, 0x8123456789abcdef, 0x24)
        TEST_RR(46, bext, 0x1, 0x8123456789abcdef, 0x40)
        TEST_RR(47, bext, 0x1, 0x8123456789abcdef, 0xffffffffffffffff)
        TEST_RR(48, bext, 0x1, 0x8123456789abcdef, 0x7fffffffffffffe0)

        /* BCLRI, BSETI, BINVI, BEXTI: 6-bit index */
        TEST_IMM(49, bclri, 0x0, 0x0, 0)
        TEST_IMM(50, bclri, 0xfffffffffffffffe, 0xffffffffffffffff, 0)
        TEST_IMM(51, bclri, 0xffffffff7fffffff, 0xffffffffffffffff, 31)
        TEST_IMM(52, bclri, 0xfffffffeffffffff, 0xffffffffffffffff, 32)
        TEST_IMM(53, bclri, 0x0, 0x0, 63)
        TEST_IMM(54, bclri, 0x8123456789abcdef, 0x8123456789abcdef, 4)
        TEST_IMM(55, bclri, 0x8123456789abcdef, 0x8123456789abcdef, 36)
        TEST_IMM(56, bclri, 0x0123456789abcdef, 0x8123456789abcdef, 63)
        TEST_IMM(57, bseti, 0x1, 0x0, 0)
        TEST_IMM(58, bseti, 0xffffffffffffffff, 0xffffffffffffffff, 0)
        TEST_IMM(59, bseti, 0xffffffffffffffff, 0xffffffffffffffff, 31)
        TEST_IMM(60, bseti, 0xffffffffffffffff, 0xffffffffffffffff, 32)
        TEST_IMM(61, bseti, 0x8000000000000000, 0x0, 63)
        TEST_IMM(62, bseti, 0x8123456789abcdff, 0x8123456789abcdef, 4)
        TEST_IMM(63, bseti, 0x8123457789abcdef, 0x8123456789abcdef, 36)
        TEST_IMM(64, bseti, 0x8123456789abcdef, 0x8123456789abcdef, 63)
        TEST_IMM(65, binvi, 0x1, 0x0, 0)
        TEST_IMM(66, binvi, 0xfffffffffffffffe, 0xffffffffffffffff, 0)
        TEST_IMM(67, binvi, 0xffffffff7fffffff, 0xffffffffffffffff, 31)
        TEST_IMM(68, binvi, 0xfffffffeffffffff, 0xffffffffffffffff, 32)
        TEST_IMM(69, binvi, 0x8000000000000000, 0x0, 63)
        TEST_IMM(70, binvi, 0x8123456789abcdff, 0x8123456789abcdef, 4)
        TEST_IMM(71, binvi, 0x8123457789abcdef, 0x8123456789abcdef, 36)
        TEST_IMM(72, binvi, 0x0123456789abcdef, 0x8123456789abcdef, 63)
        TEST_IMM(73, bexti, 0x0, 0x0, 0)
        TEST_IMM(74, bexti, 0x1, 0xffffffffffffffff, 0)
        TEST_IMM(75, bexti, 0x1, 0xffffffffffffffff, 31)
        TEST_IMM(76, bexti, 0x1, 0xffffffffffffffff, 32)
        TEST_IMM(77, bexti, 0x0, 0x0, 63)
        TEST_IMM(78, bexti, 0x0, 0x8123456789abcdef, 4)
        TEST_IMM(79, bexti, 0x0, 0x8123456789abcdef, 36)
        TEST_IMM(80, bexti, 0x1, 0x8123456789abcdef, 63)

        /* Destination aliasing a source */
        TEST_RR_D1(81, bclr, 0x0123456789abcdef, 0x8123456789abcdef, 0x3f)
        TEST_RR_D2(82, bset, 0x8123456789abcdef, 0x8123456789abcdef, 0x21)
        TEST_RR_SAME(83, binv, 0x8123c56789abcdef, 0x8123456789abcdef)
        TEST_RR_SAME(84, bext, 0x0, 0x8123456789abcdef)
        TEST_RR_D2(85, bext, 0x1, 0x8123456789abcdef, 0x0)
        TEST_IMM_SAME(86, bclri, 0x8123456789abcdee, 0x8123456789abcdef, 0)
        TEST_IMM_SAME(87, bseti, 0xc123456789abcdef, 0x8123456789abcdef, 62)
        TEST_IMM_SAME(88, binvi, 0x0123456789abcdef, 0x8123456789abcdef, 63)
        TEST_IMM_SAME(89, bexti, 0x1, 0x8123456789abcdef, 63)

        /* rd = x0 is discarded. */
        TEST_CASE(90)
        li a1, 3
        bset x0, a1, a1
        binvi x0, a1, 40
        bext x0, a1, a1
        CHECK_EQ(x0, 0)
        j pass
TEST_END
