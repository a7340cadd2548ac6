/* JALR (RV64I): target = (rs1 + sign-extend(imm12)) & ~1; rd = pc + 4, where the target is
   computed from the old rs1 even when rd == rs1. Link values and targets are checked against
   absolute .dword relocations. */
#include "test.h"
        .option norvc

/* Loads the absolute address of `label` into reg (local label 9 is reserved for this macro). */
#define ABS_ADDR(reg, label)                                \
        la reg, 9f; ld reg, 0(reg);                         \
        .pushsection .data; .balign 8; 9: .dword label; .popsection

TEST_BEGIN
        /* Plain indirect call: offset 0, link in ra. */
        TEST_CASE(1)
        ABS_ADDR(t0, 1f)
        li a2, 0
        jalr ra, 0(t0)
jalr_ret1:
        li a2, 1                /* skipped */
1:      bnez a2, fail
        ABS_ADDR(a1, jalr_ret1)
        bne ra, a1, fail

        /* Positive immediate. */
        TEST_CASE(2)
        ABS_ADDR(t0, 1f)
        addi t0, t0, -2000
        jalr a0, 2000(t0)
jalr_ret2:
        j fail
1:      ABS_ADDR(a1, jalr_ret2)
        bne a0, a1, fail

        /* Negative immediate (-2048, the most negative). */
        TEST_CASE(3)
        ABS_ADDR(t0, 1f)
        addi t0, t0, 2047
        addi t0, t0, 1
        jalr a0, -2048(t0)
jalr_ret3:
        j fail
1:      ABS_ADDR(a1, jalr_ret3)
        bne a0, a1, fail

        /* Bit 0 of the sum is cleared: odd rs1. */
        TEST_CASE(4)
        ABS_ADDR(t0, 1f)
        addi t0, t0, 1
        jalr a0, 0(t0)
        j fail
1:

        /* Bit 0 of the sum is cleared: odd immediate. */
        TEST_CASE(5)
        ABS_ADDR(t0, 1f)
        jalr a0, 1(t0)
        j fail
1:

        /* Bit 0 of the sum is cleared: odd rs1 + odd immediate gives an even sum (no clearing
           needed, but the sum must be computed before masking). */
        TEST_CASE(6)
        ABS_ADDR(t0, 1f)
        addi t0, t0, -3
        jalr a0, 3(t0)
        j fail
1:

        /* rd == rs1: the target uses the old value, rd gets the link. */
        TEST_CASE(7)
        ABS_ADDR(t0, 1f)
        jalr t0, 0(t0)
jalr_ret7:
        j fail
1:      ABS_ADDR(a1, jalr_ret7)
        bne t0, a1, fail

        /* rd == rs1 with an immediate. */
        TEST_CASE(8)
        ABS_ADDR(s1, 1f)
        addi s1, s1, -16
        jalr s1, 16(s1)
jalr_ret8:
        j fail
1:      ABS_ADDR(a1, jalr_ret8)
        bne s1, a1, fail

        /* rd = x0 (the `jr` / `ret` forms) writes nothing. */
        TEST_CASE(9)
        ABS_ADDR(t0, 1f)
        jalr x0, 0(t0)
        j fail
1:      bnez x0, fail

        /* Call and return through the link register. */
        TEST_CASE(10)
        li a0, 0
        jal ra, jalr_func
        CHECK_EQ(a0, 0x55)

        /* Backward target. */
        TEST_CASE(11)
        j 2f
1:      ABS_ADDR(a1, jalr_ret11)
        bne a0, a1, fail
        j 3f
2:      ABS_ADDR(t1, 1b)
        jalr a0, 0(t1)
jalr_ret11:
        j fail
3:

        /* Odd rs1 plus odd negative immediate -0x7ff: the sign-extended sum is the target. */
        TEST_CASE(12)
        ABS_ADDR(t0, 1f)
        addi t0, t0, 0x7ff
        jalr a0, -0x7ff(t0)
        j fail
1:
        j pass

jalr_func:
        li a0, 0x55
        jalr x0, 0(ra)
TEST_END
