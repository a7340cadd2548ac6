/* Hot code shaped the way a tracing translator shapes it: loops that branch back to their own
   start (tsvirt's WebAssembly translator keeps such a block looping inside one function, its
   registers in locals), conditional branches in the middle of straight-line code (side exits),
   direct jumps followed within a page, a loop closed by an unconditional jump, and the two
   things that must stay exact inside such a loop: a fault (precise pc and registers) and a timer
   interrupt (taken while the loop runs, not after it), and conditional branches forward inside a
   hot loop (instructions skipped, counts exact, a fault after the skip). Every loop runs far more
   often than any translation threshold. */
#include "test.h"
#include "priv.h"
        .option norvc

#define BAD_PA 0x40000000       /* no device: loads from it raise an access fault */

TEST_BEGIN
        priv_init
        set_mtvec mtrap_record
        mtimecmp_set_max

        /* A loop whose block branches back to its start, many more iterations than a block may
           run before it returns to the dispatcher. */
        TEST_CASE(1)
        li a0, 0
        li t2, 100000
1:      add a0, a0, t2
        addi t2, t2, -1
        bnez t2, 1b
        CHECK_EQ(a0, 5000050000)
        CHECK_EQ(t2, 0)

        /* A side exit from the middle of a looping block: leaves at the 77777th iteration with
           the registers of that moment (a1 was written before the exit, a2 after it). */
        TEST_CASE(2)
        li a0, 0
        li a2, 0
        li t2, 100000
1:      addi a0, a0, 3
        addi a1, t2, 0
        li t3, 100000 - 77777
        beq t2, t3, 2f
        addi a2, a2, 1
        addi t2, t2, -1
        bnez t2, 1b
        j fail
2:      CHECK_EQ(a0, 3 * 77778)
        CHECK_EQ(a1, 100000 - 77777)
        CHECK_EQ(a2, 77777)

        /* Direct jumps within the page, hot: the translator follows them. */
        TEST_CASE(3)
        li a0, 0
        li s0, 5000
1:      call hop
        addi s0, s0, -1
        bnez s0, 1b
        CHECK_EQ(a0, 5000 * 111)

        /* A loop closed by an unconditional jump, left by a conditional branch. */
        TEST_CASE(4)
        li a0, 0
        li t2, 50000
1:      addi a0, a0, 2
        addi t2, t2, -1
        beqz t2, 2f
        j 1b
2:      CHECK_EQ(a0, 100000)

        /* An access fault inside a hot loop: a first walk over all 4000 pointers makes the loop
           hot; in the second, the 3000th pointer is bad. mepc is the faulting load, and the
           registers are those of that iteration. */
        TEST_CASE(5)
        call walk
        CHECK_EQ(a0, 4000 * 7)
        la t4, ptrs
        li t0, 2999
        li t1, BAD_PA
        slli t0, t0, 3
        add t0, t0, t4
        sd t1, 0(t0)
        expect_trap 2f
        call walk
        j fail
2:      CHECK_EQ(s2, CAUSE_LOAD_ACCESS)
        CHECK_LABEL(s3, walk_load)
        CHECK_EQ(s4, BAD_PA)
        CHECK_EQ(a0, 2999 * 7)
        CHECK_EQ(t2, 4000 - 2999)
        lla t6, ptrs
        li t0, 2999 * 8
        add t6, t6, t0
        bne t4, t6, fail
        CHECK_EQ(t5, BAD_PA)

        /* A timer interrupt arrives while a hot loop runs: it is taken inside the loop (mepc in
           it, the counter not yet run down), with the loop's registers intact. */
        TEST_CASE(6)
        expect_trap 2f
        li t0, MIP_MTIP
        csrw mie, t0
        li a0, 0
        li t2, 200000000
        mtimecmp_now_plus 20000          /* 2 ms at 10 MHz */
        csrsi mstatus, MSTATUS_MIE
1:      addi a0, a0, 1
        addi t2, t2, -1
        bnez t2, 1b
        j fail
2:      csrci mstatus, MSTATUS_MIE
        csrw mie, zero
        mtimecmp_set_max
        li t0, CAUSE_INTR | IRQ_MTI
        bne s2, t0, fail
        la t0, 1b
        bltu s3, t0, fail
        addi t0, t0, 12
        bgeu s3, t0, fail
        beqz t2, fail
        /* After j full iterations a0 + t2 = N; between the two additions it is N + 1. */
        add t1, a0, t2
        li t0, 200000000
        beq t1, t0, 4f
        addi t0, t0, 1
        bne t1, t0, fail
4:

        /* An `if` without `else` in a hot loop: a conditional branch forward to a later
           instruction of the loop's block (the translator branches there inside the block). The
           instructions it skips do not retire: per iteration 4 instructions when it is taken (t2
           odd) and 6 when not, plus the first csrr (checked in case 9). */
        TEST_CASE(7)
        li a0, 0
        li a1, 0
        li t2, 10000
        csrr a5, minstret
1:      andi t0, t2, 1
        bnez t0, 2f
        addi a0, a0, 1
        addi a1, a1, 2
2:      addi t2, t2, -1
        bnez t2, 1b
        csrr a6, minstret
        CHECK_EQ(a0, 5000)
        CHECK_EQ(a1, 10000)
        sub a7, a6, a5                   /* checked in case 9 */

        /* A fault after a forward branch in the same iteration: pointer 2999 is still BAD_PA
           (case 5). mepc is the faulting load and the registers are those of that iteration
           (t2 = 1001 is odd: the branch skipped the increment). */
        TEST_CASE(8)
        la t4, ptrs
        li a0, 0
        li t2, 4000
        expect_trap 3f
1:      ld t5, 0(t4)
        andi t0, t2, 1
        bnez t0, 2f
        addi a0, a0, 1
2:
skip_load:
        ld t3, 0(t5)
        addi t4, t4, 8
        addi t2, t2, -1
        bnez t2, 1b
        j fail
3:      CHECK_EQ(s2, CAUSE_LOAD_ACCESS)
        CHECK_LABEL(s3, skip_load)
        CHECK_EQ(s4, BAD_PA)
        CHECK_EQ(t2, 1001)
        CHECK_EQ(a0, 1500)
        CHECK_EQ(t0, 1)

        /* Case 7's count. Last, because it needs exact instruction counting: QEMU 7.2 counts
           minstret exactly only with -icount (it passes then). */
        TEST_CASE(9)
        CHECK_EQ(a7, 5000 * 4 + 5000 * 6 + 1)
        j pass

/* a0 = the sum of the dwords that the 4000 pointers at `ptrs` point to. */
walk:   la t4, ptrs
        li a0, 0
        li t2, 4000
1:      ld t5, 0(t4)
walk_load:
        ld t3, 0(t5)
        add a0, a0, t3
        addi t4, t4, 8
        addi t2, t2, -1
        bnez t2, 1b
        ret

/* Adds 111 to a0 through three direct jumps in one page. */
        .balign 64
hop:    addi a0, a0, 1
        j 1f
        addi a0, a0, 1000       /* jumped over */
1:      addi a0, a0, 10
        j 2f
        addi a0, a0, 1000       /* jumped over */
2:      addi a0, a0, 100
        ret

        priv_handlers

        .data
        .balign 8
/* 4000 pointers to `seven` (one is replaced by BAD_PA in case 5). */
ptrs:   .rept 4000
        .dword seven
        .endr
seven:  .dword 7

        .text
TEST_END
