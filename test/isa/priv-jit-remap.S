/* One Sv39 virtual address whose mapping changes under hot code (privileged spec 4.2.1, 4.3):
   the PTE is rewritten to another physical page holding different code, then back, then cleared,
   and satp switches between two page tables that map the address differently, each change
   followed by SFENCE.VMA. After each change the code of the new mapping must run (or the fetch
   must fault): translated code may not be found by virtual address alone, nor reached from a
   block translated under the old mapping. Last, interrupts switch between S-mode and M-mode,
   whose trap vector is an address S-mode maps to other, hot code. Cases 1-5 run in S-mode; the
   page tables are reached through the identity mapping. */
#include "test.h"
#include "priv.h"
        .option norvc

#define HOT 200
#define LEAF (PTE_V | PTE_A | PTE_D)
#define VA TEST_VA(0)
#define PTE0 (PT_PAGE(2) + 0 * 8)     /* the level-0 PTE of VA */
/* A second Sv39 table: the standard identity gigapage, and VA -> rpage1. */
#define ROOT2 PT_PAGE(4)
#define ROOT2_L1 PT_PAGE(5)
#define ROOT2_L0 PT_PAGE(6)
/* A third: VA 0x80000000.. identity in 4 KiB pages, except hpage -> spage. */
#define ROOT3 PT_PAGE(7)
#define ROOT3_L1 PT_PAGE(8)
#define ROOT3_L0 PT_PAGE(9)
/* Case 6: timer period (mtime ticks), interrupts to wait for, bound on loop iterations. */
#define DELTA 1000
#define COUNT 20
#define LIMIT 1000000

/* a0 = 0, then call the code at VA HOT times, checking its AUIPC result each time (S-mode; labels
   1001..1003 belong to run_in/run_end). Clobbers s0, s1, t6. */
.macro call_hot
        li s0, VA
        li a0, 0
        li s1, HOT
1004:   jalr s0
        CHECK_EQ(a1, VA)
        addi s1, s1, -1
        bnez s1, 1004b
.endm

/* PTE value (in a register) mapping a code page, execute-only: reg = PPN(label) | flags. */
.macro pte_for reg, label
        la \reg, \label
        srli \reg, \reg, 12
        slli \reg, \reg, 10
        ori \reg, \reg, LEAF | PTE_X
.endm

TEST_BEGIN
        priv_init
        set_mtvec mtrap_record
        vm_std_layout
        la a0, rpage0
        pte_set_reg PT_PAGE(2), 0, a0, LEAF | PTE_X
        page_zero ROOT2
        page_zero ROOT2_L1
        page_zero ROOT2_L0
        pte_set ROOT2, 2, 0x80000000, PTE_LEAF_RWX
        pte_ptr ROOT2, 0, ROOT2_L1
        pte_ptr ROOT2_L1, 1, ROOT2_L0
        la a0, rpage1
        pte_set_reg ROOT2_L0, 0, a0, LEAF | PTE_X
        satp_set SATP_MODE_SV39, PT_PAGE(0)

        /* Hot at VA -> rpage0. */
        TEST_CASE(1)
        run_in PRV_S
        call_hot
        run_end PRV_S
        CHECK_EQ(a0, HOT)

        /* The PTE now points at rpage1, SFENCE.VMA for that page. */
        TEST_CASE(2)
        run_in PRV_S
        pte_for t0, rpage1
        li t1, PTE0
        sd t0, 0(t1)
        li t0, VA
        sfence.vma t0, zero
        call_hot
        run_end PRV_S
        CHECK_EQ(a0, 100 * HOT)

        /* Back to rpage0, with a global SFENCE.VMA. */
        TEST_CASE(3)
        run_in PRV_S
        pte_for t0, rpage0
        li t1, PTE0
        sd t0, 0(t1)
        sfence.vma
        call_hot
        run_end PRV_S
        CHECK_EQ(a0, HOT)

        /* PTE cleared: the (hot) address now faults on fetch, with epc = tval = VA. */
        TEST_CASE(4)
        expect_trap 1f
        enter PRV_S, 2f
2:      li t1, PTE0
        sd zero, 0(t1)
        li s0, VA
        sfence.vma s0, zero
        jalr s0
        j fail
1:      CHECK_EQ(s2, CAUSE_FETCH_PAGE)
        CHECK_EQ(s3, VA)
        CHECK_EQ(s4, VA)

        /* An address-space switch: satp alternates between the table mapping VA -> rpage0 and
           ROOT2 mapping VA -> rpage1 (SFENCE.VMA after each write), like a context switch. */
        TEST_CASE(5)
        la a0, rpage0
        pte_set_reg PT_PAGE(2), 0, a0, LEAF | PTE_X
        sfence.vma
        li a4, SATP_MODE_SV39 | (PT_PAGE(0) >> 12)
        li a5, SATP_MODE_SV39 | (ROOT2 >> 12)
        run_in PRV_S
        .rept 2
        csrw satp, a4
        sfence.vma
        call_hot
        CHECK_EQ(a0, HOT)
        csrw satp, a5
        sfence.vma
        call_hot
        CHECK_EQ(a0, 100 * HOT)
        .endr
        csrw satp, a4
        sfence.vma
        run_end PRV_S

        /* A trap changes the mapping too: VA hpage runs spage in S-mode (ROOT3), while the M-mode
           trap vector is the physical hpage + 0x100, where spage has a block of its hot loop.
           Timer interrupts taken during the loop must run the M-mode handler there, not the
           S-mode block at the same address. The loop ends after COUNT interrupts (the handler
           counts them in s1), or fails after LIMIT iterations. */
        TEST_CASE(6)
        page_zero ROOT3
        page_zero ROOT3_L1
        page_zero ROOT3_L0
        pte_ptr ROOT3, 2, ROOT3_L1
        pte_ptr ROOT3_L1, 0, ROOT3_L0
        li t0, ROOT3_L0         /* VA 0x80000000..0x801fffff identity, 4 KiB pages */
        li t1, ((0x80000000 >> 12) << 10) | PTE_LEAF_RWX
        li t2, 512
        li t3, 1 << 10
1:      sd t1, 0(t0)
        addi t0, t0, 8
        add t1, t1, t3
        addi t2, t2, -1
        bnez t2, 1b
        la t0, hpage            /* ... except hpage -> spage */
        li t1, 0x80000000
        sub t0, t0, t1
        srli t0, t0, 12 - 3
        li t1, ROOT3_L0
        add t1, t1, t0
        pte_for t0, spage
        sd t0, 0(t1)
        satp_set SATP_MODE_SV39, ROOT3
        set_mtvec hpage_handler
        mtimecmp_now_plus DELTA
        li t0, MIP_MTIP
        csrw mie, t0
        run_in PRV_S
        li a0, 0
        li a1, 0
        li a2, LIMIT
        la t0, hpage
        jalr t0
        run_end PRV_S
        csrw mie, zero
        mtimecmp_set_max
        set_mtvec mtrap_record
        li t0, COUNT
        bltu s1, t0, fail

        csrw satp, zero
        sfence.vma
        j pass

        priv_handlers

/* Two physical pages with different code for the same VA: a1 = own address, a0 += 1 (rpage0)
   or a0 += 100 (rpage1). Each is two blocks of different shapes, the second reached by a jump
   within the page (a translator may link such blocks). */
        .balign 4096
rpage0: auipc a1, 0
        addi a0, a0, 1
        j 1f
1:      ret
        .balign 4096
rpage1: auipc a1, 0
        addi a0, a0, 60
        j 1f
        nop
1:      addi a0, a0, 40
        ret
        .balign 4096

/* Case 6. hpage in M-mode (physical): nothing at +0, the trap vector at +0x100. */
hpage:  j fail
        .balign 256
hpage_handler:
        csrr t0, mcause
        bltz t0, 1f
        j mtrap_record          /* the ECALL of run_end */
1:      addi s1, s1, 1          /* the timer: count it, re-arm, return */
        li t0, CLINT_MTIME
        ld t1, 0(t0)
        addi t1, t1, DELTA
        li t0, CLINT_MTIMECMP
        sd t1, 0(t0)
        mret
        .balign 4096
/* spage, run at VA hpage in S-mode: a loop of two blocks, a long one at +0 (most likely the last
   block run when an interrupt is taken) that jumps to one at +0x100. Returns when s1 >= COUNT
   or a1 >= a2 (iterations). */
spage:  .rept 59
        addi a0, a0, 1
        .endr
        j 1f
        .balign 256
1:      addi a1, a1, 1          /* at hpage + 0x100, the address of hpage_handler */
        li t0, COUNT
        bgeu s1, t0, 2f
        blt a1, a2, spage
2:      ret
        .balign 4096
TEST_END
