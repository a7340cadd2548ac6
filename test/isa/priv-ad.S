/* Hardware updating of PTE A and D bits (privileged spec 4.3.1, 4.3.2 steps 7-8; the behaviour
   QEMU implements and Linux can use): an access sets A in the leaf PTE in memory, a store (or AMO)
   also sets D; a load does not set D; a fetch sets A; an access that faults changes nothing;
   non-leaf PTEs are left alone; superpage leaves are updated; a store after a load through a
   cached translation still sets D. Sv39, S- and U-mode, and M-mode with MPRV.
   Svadu: the updates happen while menvcfg.ADUE is set; with it clear, the Svade rule holds
   instead (an access needing A, or a store needing D, raises a page fault and changes nothing).
   isa-tests-cpu: svadu */
#include "test.h"
#include "priv.h"

#define RW (PTE_V | PTE_R | PTE_W)
#define AD (PTE_A | PTE_D)

/* Check that PTE n of PT_PAGE(2) (the test pages) maps `pa` with exactly the bits `flags`. */
.macro check_pte n, pa, flags
        pte_get t1, PT_PAGE(2), \n
        CHECK_EQ(t1, (((\pa) >> 12) << 10) | (\flags))
.endm

TEST_BEGIN
        priv_init
        set_mtvec mtrap_record
        vm_std_layout
        .irp n, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10
        map_test_page \n, DATA_PAGE(\n), RW
        .endr
        la a0, xpage
        pte_set_reg PT_PAGE(2), 11, a0, PTE_V | PTE_X
        map_test_page 12, DATA_PAGE(12), PTE_V | PTE_R
        map_test_page 13, DATA_PAGE(13), RW | PTE_U
        map_test_page 14, DATA_PAGE(14), RW | PTE_U
        pte_set PT_PAGE(1), 2, MEGA_BASE, RW       /* 2 MiB page at VA 0x400000 */
        satp_set SATP_MODE_SV39, PT_PAGE(0)
        li t0, MENVCFG_ADUE
        csrs menvcfg, t0
        sfence.vma

        /* Load: A set, D not. */
        TEST_CASE(1)
        check_pte 0, DATA_PAGE(0), RW
        li a1, TEST_VA(0)
        run_in PRV_S
        ld a0, 0(a1)
        run_end PRV_S
        check_pte 0, DATA_PAGE(0), RW | PTE_A
        /* Store: A and D set. */
        TEST_CASE(2)
        li a1, TEST_VA(1)
        run_in PRV_S
        sd zero, 0(a1)
        run_end PRV_S
        check_pte 1, DATA_PAGE(1), RW | AD
        /* Store after a load through the same (possibly cached) translation: D set then. */
        TEST_CASE(3)
        li a1, TEST_VA(2)
        run_in PRV_S
        ld a0, 0(a1)
        ld a0, 8(a1)
        run_end PRV_S
        check_pte 2, DATA_PAGE(2), RW | PTE_A
        TEST_CASE(4)
        run_in PRV_S
        ld a0, 16(a1)
        sw zero, 0(a1)
        ld a0, 24(a1)
        run_end PRV_S
        check_pte 2, DATA_PAGE(2), RW | AD
        /* D set with A already set. */
        TEST_CASE(5)
        map_test_page 3, DATA_PAGE(3), RW | PTE_A
        sfence.vma
        li a1, TEST_VA(3)
        run_in PRV_S
        sb zero, 5(a1)
        run_end PRV_S
        check_pte 3, DATA_PAGE(3), RW | AD
        /* AMO and SC are stores: D set. */
        TEST_CASE(6)
        li a1, TEST_VA(4)
        run_in PRV_S
        amoor.d a0, zero, (a1)
        run_end PRV_S
        check_pte 4, DATA_PAGE(4), RW | AD
        TEST_CASE(7)
        li a1, TEST_VA(5)
        run_in PRV_S
        lr.d a0, (a1)
        sc.d a2, a0, (a1)
        run_end PRV_S
        CHECK_EQ(a2, 0)
        check_pte 5, DATA_PAGE(5), RW | AD
        /* Instruction fetch sets A (execute-only page, no D). */
        TEST_CASE(8)
        li a1, TEST_VA(11)
        li a0, 0
        run_in PRV_S
        jalr a1
        run_end PRV_S
        CHECK_EQ(a0, 0x42)
        pte_get t1, PT_PAGE(2), 11
        CHECK_FIELD(t1, 0xff, PTE_V | PTE_X | PTE_A)

        /* Faulting accesses leave the PTE alone: store to a read-only page (A = 0), and a load
           from a user page in S-mode. */
        TEST_CASE(9)
        li a1, TEST_VA(12)
        trap_in PRV_S, CAUSE_STORE_PAGE, TEST_VA(12), sd zero, 0(a1)
        check_pte 12, DATA_PAGE(12), PTE_V | PTE_R
        TEST_CASE(10)
        li a1, TEST_VA(13)
        trap_in PRV_S, CAUSE_LOAD_PAGE, TEST_VA(13), ld a0, 0(a1)
        check_pte 13, DATA_PAGE(13), RW | PTE_U

        /* U-mode accesses update A/D too. */
        TEST_CASE(11)
        li a1, TEST_VA(13)
        li a2, TEST_VA(14)
        run_in PRV_U, U_ALIAS_OFFSET
        ld a0, 0(a1)
        sd a0, 0(a2)
        run_end PRV_U, U_ALIAS_OFFSET
        check_pte 13, DATA_PAGE(13), RW | PTE_U | PTE_A
        check_pte 14, DATA_PAGE(14), RW | PTE_U | AD

        /* M-mode with MPRV = 1 and MPP = S translates and updates A/D. */
        TEST_CASE(12)
        li a1, TEST_VA(6)
        li a2, TEST_VA(7)
        set_mpp PRV_S
        li t0, MSTATUS_MPRV
        csrs mstatus, t0
        ld a0, 0(a1)
        sd a0, 0(a2)
        csrc mstatus, t0
        check_pte 6, DATA_PAGE(6), RW | PTE_A
        check_pte 7, DATA_PAGE(7), RW | AD

        /* Superpage leaf: A and D set in the level-1 PTE; non-leaf PTEs unchanged. */
        TEST_CASE(13)
        li a1, 0x00400000 + 0x10000
        run_in PRV_S
        sd zero, 0(a1)
        run_end PRV_S
        pte_get t1, PT_PAGE(1), 2
        CHECK_EQ(t1, ((MEGA_BASE >> 12) << 10) | RW | AD)
        TEST_CASE(14)
        pte_get t1, PT_PAGE(1), 1
        CHECK_EQ(t1, ((PT_PAGE(2) >> 12) << 10) | PTE_V)
        pte_get t1, PT_PAGE(0), 0
        CHECK_EQ(t1, ((PT_PAGE(1) >> 12) << 10) | PTE_V)

        /* After software clears A/D and fences, the next accesses set them again. */
        TEST_CASE(15)
        map_test_page 1, DATA_PAGE(1), RW
        sfence.vma
        li a1, TEST_VA(1)
        run_in PRV_S
        ld a0, 0(a1)
        run_end PRV_S
        check_pte 1, DATA_PAGE(1), RW | PTE_A
        TEST_CASE(16)
        run_in PRV_S
        sd a0, 0(a1)
        run_end PRV_S
        check_pte 1, DATA_PAGE(1), RW | AD
        /* S-mode clears them itself, fences, and the hardware sets them again. */
        TEST_CASE(17)
        li a2, PT_PAGE(2) + 8 * 1
        run_in PRV_S
        ld t0, 0(a2)
        andi t0, t0, ~AD
        sd t0, 0(a2)
        sfence.vma a1, zero
        sd a0, 8(a1)
        ld t0, 0(a2)
        mv a3, t0
        run_end PRV_S
        CHECK_FIELD(a3, AD, AD)

        /* A neighbouring page's PTE is not touched. */
        TEST_CASE(18)
        check_pte 8, DATA_PAGE(8), RW
        check_pte 9, DATA_PAGE(9), RW

        /* Svade: with ADUE clear, a load or fetch needing A and a store needing D fault. */
        TEST_CASE(19)
        li t0, MENVCFG_ADUE
        csrc menvcfg, t0
        csrr t1, menvcfg
        CHECK_FIELD(t1, MENVCFG_ADUE, 0)
        map_test_page 10, DATA_PAGE(10), RW
        sfence.vma
        li a1, TEST_VA(10)
        trap_in PRV_S, CAUSE_LOAD_PAGE, TEST_VA(10), ld a0, 0(a1)
        check_pte 10, DATA_PAGE(10), RW
        TEST_CASE(20)
        trap_in PRV_S, CAUSE_STORE_PAGE, TEST_VA(10), sd a0, 0(a1)
        check_pte 10, DATA_PAGE(10), RW
        /* A set, D clear: loads go through, a store faults. */
        TEST_CASE(21)
        map_test_page 10, DATA_PAGE(10), RW | PTE_A
        sfence.vma
        li a1, TEST_VA(10)
        run_in PRV_S
        ld a0, 0(a1)
        run_end PRV_S
        trap_in PRV_S, CAUSE_STORE_PAGE, TEST_VA(10) + 8, sd a0, 8(a1)
        check_pte 10, DATA_PAGE(10), RW | PTE_A
        /* Setting ADUE again (and fencing) brings the hardware updates back. */
        TEST_CASE(22)
        li t0, MENVCFG_ADUE
        csrs menvcfg, t0
        csrr t1, menvcfg
        CHECK_FIELD(t1, MENVCFG_ADUE, MENVCFG_ADUE)
        sfence.vma
        run_in PRV_S
        sd a0, 8(a1)
        run_end PRV_S
        check_pte 10, DATA_PAGE(10), RW | AD

        csrw satp, zero
        sfence.vma
        j pass

        priv_handlers

        .balign 4096
xpage:  li a0, 0x42
        ret
        .balign 4096
TEST_END
