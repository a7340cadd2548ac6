/* Conditional branches (RV64I): BEQ, BNE, BLT, BGE (signed) and BLTU, BGEU (unsigned) compare the
   full 64-bit registers. Each op runs over the same operand pairs: equal, ordered both ways, -1
   vs 0 and 1 (signed/unsigned disagree), INT64_MIN/INT64_MAX, and values that differ only above
   bit 31 (a 32-bit comparison would get them wrong). Then: rs1 == rs2, x0 operands, backward
   branches and offsets that use the high immediate bits (B-type range is +-4 KiB). */
#include "test.h"
        .option norvc

/* The branch must be taken: falling through fails. */
#define TEST_BR_TAKEN(n, op, a, b)                          \
        TEST_CASE(n); li a1, a; li a2, b;                   \
        op a1, a2, 1f; j fail; 1:

/* The branch must not be taken: the target fails. */
#define TEST_BR_NOT(n, op, a, b)                            \
        TEST_CASE(n); li a1, a; li a2, b;                   \
        op a1, a2, 1f; j 2f; 1: j fail; 2:

TEST_BEGIN
        /* BEQ */
        TEST_BR_TAKEN(1, beq, 0, 0)
        TEST_BR_TAKEN(2, beq, 1, 1)
        TEST_BR_TAKEN(3, beq, 0xffffffffffffffff, 0xffffffffffffffff)
        TEST_BR_NOT(4, beq, 0, 1)
        TEST_BR_NOT(5, beq, 1, 0)
        TEST_BR_NOT(6, beq, 0xffffffffffffffff, 0)
        TEST_BR_NOT(7, beq, 0, 0xffffffffffffffff)
        TEST_BR_NOT(8, beq, 0xffffffffffffffff, 1)
        TEST_BR_NOT(9, beq, 1, 0xffffffffffffffff)
        TEST_BR_NOT(10, beq, 0x8000000000000000, 0x7fffffffffffffff)
        TEST_BR_NOT(11, beq, 0x7fffffffffffffff, 0x8000000000000000)
        TEST_BR_TAKEN(12, beq, 0x8000000000000000, 0x8000000000000000)
        TEST_BR_NOT(13, beq, 0x100000000, 0)
        TEST_BR_NOT(14, beq, 0, 0x100000000)
        TEST_BR_NOT(15, beq, 0xffffffff, 0xffffffffffffffff)
        TEST_BR_NOT(16, beq, 0x80000000, 0)
        TEST_BR_NOT(17, beq, 0x8000000000000000, 0)

        /* BNE */
        TEST_BR_NOT(18, bne, 0, 0)
        TEST_BR_NOT(19, bne, 1, 1)
        TEST_BR_NOT(20, bne, 0xffffffffffffffff, 0xffffffffffffffff)
        TEST_BR_TAKEN(21, bne, 0, 1)
        TEST_BR_TAKEN(22, bne, 1, 0)
        TEST_BR_TAKEN(23, bne, 0xffffffffffffffff, 0)
        TEST_BR_TAKEN(24, bne, 0, 0xffffffffffffffff)
        TEST_BR_TAKEN(25, bne, 0xffffffffffffffff, 1)
        TEST_BR_TAKEN(26, bne, 1, 0xffffffffffffffff)
        TEST_BR_TAKEN(27, bne, 0x8000000000000000, 0x7fffffffffffffff)
        TEST_BR_TAKEN(28, bne, 0x7fffffffffffffff, 0x8000000000000000)
        TEST_BR_NOT(29, bne, 0x8000000000000000, 0x8000000000000000)
        TEST_BR_TAKEN(30, bne, 0x100000000, 0)
        TEST_BR_TAKEN(31, bne, 0, 0x100000000)
        TEST_BR_TAKEN(32, bne, 0xffffffff, 0xffffffffffffffff)
        TEST_BR_TAKEN(33, bne, 0x80000000, 0)
        TEST_BR_TAKEN(34, bne, 0x8000000000000000, 0)

        /* BLT */
        TEST_BR_NOT(35, blt, 0, 0)
        TEST_BR_NOT(36, blt, 1, 1)
        TEST_BR_NOT(37, blt, 0xffffffffffffffff, 0xffffffffffffffff)
        TEST_BR_TAKEN(38, blt, 0, 1)
        TEST_BR_NOT(39, blt, 1, 0)
        TEST_BR_TAKEN(40, blt, 0xffffffffffffffff, 0)
        TEST_BR_NOT(41, blt, 0, 0xffffffffffffffff)
        TEST_BR_TAKEN(42, blt, 0xffffffffffffffff, 1)
        TEST_BR_NOT(43, blt, 1, 0xffffffffffffffff)
        TEST_BR_TAKEN(44, blt, 0x8000000000000000, 0x7fffffffffffffff)
        TEST_BR_NOT(45, blt, 0x7fffffffffffffff, 0x8000000000000000)
        TEST_BR_NOT(46, blt, 0x8000000000000000, 0x8000000000000000)
        TEST_BR_NOT(47, blt, 0x100000000, 0)
        TEST_BR_TAKEN(48, blt, 0, 0x100000000)
        TEST_BR_NOT(49, blt, 0xffffffff, 0xffffffffffffffff)
        TEST_BR_NOT(50, blt, 0x80000000, 0)
        TEST_BR_TAKEN(51, blt, 0x8000000000000000, 0)

        /* BGE */
        TEST_BR_TAKEN(52, bge, 0, 0)
        TEST_BR_TAKEN(53, bge, 1, 1)
        TEST_BR_TAKEN(54, bge, 0xffffffffffffffff, 0xffffffffffffffff)
        TEST_BR_NOT(55, bge, 0, 1)
        TEST_BR_TAKEN(56, bge, 1, 0)
        TEST_BR_NOT(57, bge, 0xffffffffffffffff, 0)
        TEST_BR_TAKEN(58, bge, 0, 0xffffffffffffffff)
        TEST_BR_NOT(59, bge, 0xffffffffffffffff, 1)
        TEST_BR_TAKEN(60, bge, 1, 0xffffffffffffffff)
        TEST_BR_NOT(61, bge, 0x8000000000000000, 0x7fffffffffffffff)
        TEST_BR_TAKEN(62, bge, 0x7fffffffffffffff, 0x8000000000000000)
        TEST_BR_TAKEN(63, bge, 0x8000000000000000, 0x8000000000000000)
        TEST_BR_TAKEN(64, bge, 0x100000000, 0)
        TEST_BR_NOT(65, bge, 0, 0x100000000)
        TEST_BR_TAKEN(66, bge, 0xffffffff, 0xffffffffffffffff)
        TEST_BR_TAKEN(67, bge, 0x80000000, 0)
        TEST_BR_NOT(68, bge, 0x8000000000000000, 0)

        /* BLTU */
        TEST_BR_NOT(69, bltu, 0, 0)
        TEST_BR_NOT(70, bltu, 1, 1)
        TEST_BR_NOT(71, bltu, 0xffffffffffffffff, 0xffffffffffffffff)
        TEST_BR_TAKEN(72, bltu, 0, 1)
        TEST_BR_NOT(73, bltu, 1, 0)
        TEST_BR_NOT(74, bltu, 0xffffffffffffffff, 0)
        TEST_BR_TAKEN(75, bltu, 0, 0xffffffffffffffff)
        TEST_BR_NOT(76, bltu, 0xffffffffffffffff, 1)
        TEST_BR_TAKEN(77, bltu, 1, 0xffffffffffffffff)
        TEST_BR_NOT(78, bltu, 0x8000000000000000, 0x7fffffffffffffff)
        TEST_BR_TAKEN(79, bltu, 0x7fffffffffffffff, 0x8000000000000000)
        TEST_BR_NOT(80, bltu, 0x8000000000000000, 0x8000000000000000)
        TEST_BR_NOT(81, bltu, 0x100000000, 0)
        TEST_BR_TAKEN(82, bltu, 0, 0x100000000)
        TEST_BR_TAKEN(83, bltu, 0xffffffff, 0xffffffffffffffff)
        TEST_BR_NOT(84, bltu, 0x80000000, 0)
        TEST_BR_NOT(85, bltu, 0x8000000000000000, 0)

        /* BGEU */
        TEST_BR_TAKEN(86, bgeu, 0, 0)
        TEST_BR_TAKEN(87, bgeu, 1, 1)
        TEST_BR_TAKEN(88, bgeu, 0xffffffffffffffff, 0xffffffffffffffff)
        TEST_BR_NOT(89, bgeu, 0, 1)
        TEST_BR_TAKEN(90, bgeu, 1, 0)
        TEST_BR_TAKEN(91, bgeu, 0xffffffffffffffff, 0)
        TEST_BR_NOT(92, bgeu, 0, 0xffffffffffffffff)
        TEST_BR_TAKEN(93, bgeu, 0xffffffffffffffff, 1)
        TEST_BR_NOT(94, bgeu, 1, 0xffffffffffffffff)
        TEST_BR_TAKEN(95, bgeu, 0x8000000000000000, 0x7fffffffffffffff)
        TEST_BR_NOT(96, bgeu, 0x7fffffffffffffff, 0x8000000000000000)
        TEST_BR_TAKEN(97, bgeu, 0x8000000000000000, 0x8000000000000000)
        TEST_BR_TAKEN(98, bgeu, 0x100000000, 0)
        TEST_BR_NOT(99, bgeu, 0, 0x100000000)
        TEST_BR_NOT(100, bgeu, 0xffffffff, 0xffffffffffffffff)
        TEST_BR_TAKEN(101, bgeu, 0x80000000, 0)
        TEST_BR_TAKEN(102, bgeu, 0x8000000000000000, 0)

        /* Same register as both operands. */
        TEST_CASE(103)
        li a1, -5
        beq a1, a1, 1f
        j fail
1:      bne a1, a1, fail
        blt a1, a1, fail
        bltu a1, a1, fail
        bge a1, a1, 1f
        j fail
1:      bgeu a1, a1, 1f
        j fail
1:

        /* x0 operands (beqz, bnez, bltz, bgez, bgtz, blez forms). */
        TEST_CASE(104)
        li a1, -1
        bltz a1, 1f
        j fail
1:      bgez a1, fail
        blez a1, 1f
        j fail
1:      bgtz a1, fail
        beqz a1, fail
        bnez a1, 1f
        j fail
1:      bltu x0, a1, 1f         /* snez */
        j fail
1:      bgeu x0, x0, 1f
        j fail
1:      bltu a1, x0, fail       /* nothing is unsigned-below zero */

        /* Backward taken branches, one per op. */
        TEST_CASE(105)
        li a1, 3
        li a2, -4
        li s0, 0
        j 2f
1:      addi s0, s0, 1
        j 3f
2:      beq a1, a1, 1b
        j fail
3:      j 2f
1:      addi s0, s0, 1
        j 3f
2:      bne a1, a2, 1b
        j fail
3:      j 2f
1:      addi s0, s0, 1
        j 3f
2:      blt a2, a1, 1b
        j fail
3:      j 2f
1:      addi s0, s0, 1
        j 3f
2:      bge a1, a2, 1b
        j fail
3:      j 2f
1:      addi s0, s0, 1
        j 3f
2:      bltu a1, a2, 1b
        j fail
3:      j 2f
1:      addi s0, s0, 1
        j 3f
2:      bgeu a2, a1, 1b
        j fail
3:      CHECK_EQ(s0, 6)

        /* A counted loop: a backward bne runs its body exactly 10 times. */
        TEST_CASE(106)
        li a0, 10
        li a1, 0
1:      addi a1, a1, 3
        addi a0, a0, -1
        bnez a0, 1b
        CHECK_EQ(a1, 30)

        /* Offsets with immediate bit 11 and up to bit 12 (sign): forward ~+3.5 KiB... */
        TEST_CASE(107)
        li a1, 1
        li a2, 2
        blt a1, a2, br_far_fwd
        j fail
br_far_back:
        /* ...and backward ~-3.5 KiB. */
        j 1f
        .skip 0xdc0             /* zeros: illegal instructions, never executed */
br_far_fwd:
        TEST_CASE(108)
        bgeu a2, a1, br_far_back
        j fail
1:

        /* A not-taken branch with a far target still falls through. */
        TEST_CASE(109)
        bltu a2, a1, br_far_back
        j pass
TEST_END
