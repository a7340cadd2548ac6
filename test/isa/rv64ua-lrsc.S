/* LR/SC (RV64A): LR.W/LR.D load (LR.W sign-extends) and register a reservation; SC.W/SC.D store
   only if the reservation is valid and covers the address, and write 0 to rd on success or a
   nonzero code on failure (memory untouched). Every SC, successful or not, invalidates the
   reservation; an SC pairs only with the most recent LR. The "other" address used for
   mismatches is 4 KiB away, outside any reasonable reservation set. */
#include "test.h"
        .option norvc

#define A_INIT 0x1111111111111111
#define B_INIT 0x2222222222222222

/* Reset both doublewords: s0 = &lrsc_a, s1 = &lrsc_b (in another page). */
#define RESET_AB                                            \
        la s0, lrsc_a; la s1, lrsc_b;                       \
        li t0, A_INIT; sd t0, 0(s0); sd t0, 8(s0);          \
        li t0, B_INIT; sd t0, 0(s1)

#define CHECK_MEM(addr_reg, off, op, expect)                \
        op t2, off(addr_reg); CHECK_EQ(t2, expect)

TEST_BEGIN
        /* No LR has run since reset: SC.D and SC.W fail and store nothing. */
        TEST_CASE(1)
        RESET_AB
        li a1, 0x55
        li a0, 0
        sc.d a0, a1, (s0)
        beqz a0, fail
        CHECK_MEM(s0, 0, ld, A_INIT)
        li a0, 0
        sc.w a0, a1, (s0)
        beqz a0, fail
        CHECK_MEM(s0, 0, ld, A_INIT)

        /* LR.D / SC.D on the same address succeeds. */
        TEST_CASE(2)
        RESET_AB
        li a1, 0x0123456789abcdef
        lr.d a2, (s0)
        CHECK_EQ(a2, A_INIT)
        li a0, 0x77
        sc.d a0, a1, (s0)
        bnez a0, fail
        CHECK_MEM(s0, 0, ld, 0x0123456789abcdef)
        CHECK_MEM(s0, 8, ld, A_INIT)

        /* The successful SC invalidated the reservation: a second SC.D fails. */
        TEST_CASE(3)
        li a1, 0x66
        sc.d a0, a1, (s0)
        beqz a0, fail
        CHECK_MEM(s0, 0, ld, 0x0123456789abcdef)

        /* LR.W sign-extends; SC.W stores 32 bits only. */
        TEST_CASE(4)
        RESET_AB
        li t0, 0x80000001
        sw t0, 4(s0)
        lr.w a2, (s0)
        CHECK_EQ(a2, 0x11111111)
        li a1, 0xffffffff
        sc.w a0, a1, (s0)
        bnez a0, fail
        CHECK_MEM(s0, 0, ld, 0x80000001ffffffff)
        addi a3, s0, 4
        lr.w a2, (a3)
        CHECK_EQ(a2, 0xffffffff80000001)
        li a1, 0xaaaaaaaa12345678
        sc.w a0, a1, (a3)
        bnez a0, fail
        CHECK_MEM(s0, 0, ld, 0x12345678ffffffff)
        CHECK_MEM(s0, 8, ld, A_INIT)

        /* And a second SC.W fails. */
        TEST_CASE(5)
        li a1, 0
        sc.w a0, a1, (a3)
        beqz a0, fail
        CHECK_MEM(s0, 0, ld, 0x12345678ffffffff)

        /* SC.D to an address outside the reservation fails and stores nothing... */
        TEST_CASE(6)
        RESET_AB
        lr.d a2, (s0)
        li a1, 0x99
        sc.d a0, a1, (s1)
        beqz a0, fail
        CHECK_MEM(s1, 0, ld, B_INIT)
        CHECK_MEM(s0, 0, ld, A_INIT)
        /* ...and, being an SC, it also invalidated the reservation on the first address. */
        TEST_CASE(7)
        sc.d a0, a1, (s0)
        beqz a0, fail
        CHECK_MEM(s0, 0, ld, A_INIT)

        /* Same with words. */
        TEST_CASE(8)
        lr.w a2, (s0)
        sc.w a0, a1, (s1)
        beqz a0, fail
        CHECK_MEM(s1, 0, ld, B_INIT)
        sc.w a0, a1, (s0)
        beqz a0, fail
        CHECK_MEM(s0, 0, ld, A_INIT)

        /* An SC pairs with the most recent LR: after LR A, LR B, an SC to A fails... */
        TEST_CASE(9)
        lr.d a2, (s0)
        lr.d a2, (s1)
        CHECK_EQ(a2, B_INIT)
        sc.d a0, a1, (s0)
        beqz a0, fail
        CHECK_MEM(s0, 0, ld, A_INIT)
        /* ...and after LR A, LR B, an SC to B succeeds. */
        TEST_CASE(10)
        lr.d a2, (s0)
        lr.d a2, (s1)
        sc.d a0, a1, (s1)
        bnez a0, fail
        CHECK_MEM(s1, 0, ld, 0x99)

        /* rd == rs2: the old rs2 value is stored, then rd gets the result code. */
        TEST_CASE(11)
        RESET_AB
        li a1, 0x4242
        lr.d a2, (s0)
        sc.d a1, a1, (s0)
        bnez a1, fail
        CHECK_MEM(s0, 0, ld, 0x4242)

        /* rd == rs1: the address is read before rd is written. */
        TEST_CASE(12)
        RESET_AB
        mv a0, s0
        li a1, 0x4343
        lr.d a2, (a0)
        sc.d a0, a1, (a0)
        bnez a0, fail
        CHECK_MEM(s0, 0, ld, 0x4343)

        /* rd == rs1 on LR: the loaded value replaces the address. */
        TEST_CASE(13)
        mv a0, s0
        lr.d a0, (a0)
        CHECK_EQ(a0, 0x4343)
        sc.d a1, x0, (s0)
        bnez a1, fail
        CHECK_MEM(s0, 0, ld, 0)

        /* The aq/rl orderings decode and behave the same. */
        TEST_CASE(14)
        RESET_AB
        li a1, 5
        lr.d.aq a2, (s0)
        sc.d.rl a0, a1, (s0)
        bnez a0, fail
        lr.d.aqrl a2, (s0)
        CHECK_EQ(a2, 5)
        addi a2, a2, 1
        sc.d.aqrl a0, a2, (s0)
        bnez a0, fail
        lr.w.aq a2, (s0)
        addi a2, a2, 1
        sc.w.rl a0, a2, (s0)
        bnez a0, fail
        lr.w.aqrl a2, (s0)
        addi a2, a2, 1
        sc.w.aqrl a0, a2, (s0)
        bnez a0, fail
        CHECK_MEM(s0, 0, ld, 8)

        /* The classic retry loop: 100 atomic increments. */
        TEST_CASE(15)
        RESET_AB
        sd x0, 0(s0)
        li s2, 100
1:      lr.d a2, (s0)
        addi a2, a2, 3
        sc.d a0, a2, (s0)
        bnez a0, 1b
        addi s2, s2, -1
        bnez s2, 1b
        CHECK_MEM(s0, 0, ld, 300)
        j pass

        .data
        .balign 4096
lrsc_a: .dword 0, 0
        .balign 4096
lrsc_b: .dword 0
        .text
TEST_END
