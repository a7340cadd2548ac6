/* One physical page of code under three Sv39 virtual addresses (privileged spec 4.3, 4.4;
   Zifencei): VA1 and VA2 execute-only, VA3 read-write. Code made hot through VA1 must still run
   correctly through VA2, where pc-relative results (AUIPC, jump targets) are those of VA2; code
   rewritten through VA3 followed by FENCE.I must be what both VA1 and VA2 execute. A translator
   that keys code by physical address must also check the virtual pc, and must see stores made
   through any mapping of the page. All of it runs in S-mode. */
#include "test.h"
#include "priv.h"
        .option norvc

#define HOT 200
#define LEAF (PTE_V | PTE_A | PTE_D)
#define VA1 TEST_VA(0)
#define VA2 TEST_VA(1)
#define VA3 TEST_VA(2)
/* Offsets in apage (see there). */
#define OFF_ADD 4
#define OFF_JUMP 0x100
#define OFF_DATA 0x400

/* Call the apage function at `va` once and check its pc-relative results. Clobbers s0, t6. */
.macro call_at va
        li s0, \va
        jalr s0
        CHECK_EQ(a1, \va)
        CHECK_EQ(a2, (\va) + OFF_JUMP)
.endm

/* a0 = 0, then call the apage function at `va` HOT times (S-mode; labels 1001..1003 belong to
   run_in/run_end). Clobbers s0, s1, t6. */
.macro call_hot va
        li a0, 0
        li s1, HOT
1004:   call_at \va
        addi s1, s1, -1
        bnez s1, 1004b
.endm

TEST_BEGIN
        priv_init
        set_mtvec mtrap_record
        vm_std_layout
        la a0, apage
        pte_set_reg PT_PAGE(2), 0, a0, LEAF | PTE_X
        pte_set_reg PT_PAGE(2), 1, a0, LEAF | PTE_X
        pte_set_reg PT_PAGE(2), 2, a0, LEAF | PTE_R | PTE_W
        satp_set SATP_MODE_SV39, PT_PAGE(0)

        /* Hot through VA1. Before that, a store through VA3 to a data word of the page, so that
           a store translation for the page exists before the page holds translated code. */
        TEST_CASE(1)
        run_in PRV_S
        li t0, VA3
        sd zero, OFF_DATA(t0)
        call_hot VA1
        run_end PRV_S
        CHECK_EQ(a0, HOT)

        /* Then through VA2: the code hot at VA1 must not run with VA1's pc. */
        TEST_CASE(2)
        run_in PRV_S
        call_hot VA2
        run_end PRV_S
        CHECK_EQ(a0, HOT)

        /* Both, alternating. */
        TEST_CASE(3)
        run_in PRV_S
        li a0, 0
        li s1, HOT
1004:   call_at VA1
        call_at VA2
        addi s1, s1, -1
        bnez s1, 1004b
        run_end PRV_S
        CHECK_EQ(a0, 2 * HOT)

        /* Rewrite addi a0, a0, 1 -> addi a0, a0, 5 through VA3, FENCE.I: VA1 and VA2 both run the
           new instruction. */
        TEST_CASE(4)
        run_in PRV_S
        lla t0, t_add5
        lwu t1, 0(t0)
        li t0, VA3
        sw t1, OFF_ADD(t0)
        fence.i
        call_hot VA1
        mv a3, a0
        call_hot VA2
        run_end PRV_S
        CHECK_EQ(a3, 5 * HOT)
        CHECK_EQ(a0, 5 * HOT)

        /* The data word written through VA3 in case 1 is intact. */
        TEST_CASE(5)
        la t0, apage
        ld t1, OFF_DATA(t0)
        CHECK_EQ(t1, 0)

        csrw satp, zero
        sfence.vma
        j pass

        priv_handlers

/* The aliased page: a1 = its own address, a0 += 1, then a jump within the page and a2 = the
   address of the jump target. */
        .balign 4096
apage:  auipc a1, 0
        addi a0, a0, 1          /* apage + OFF_ADD */
        j 1f
        .balign 256
1:      auipc a2, 0             /* apage + OFF_JUMP */
        ret
        .balign 4096

        .data
        .balign 4
t_add5: addi a0, a0, 5
        .text
TEST_END
