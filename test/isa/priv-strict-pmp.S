/* PMP requirements on which the reference QEMU 10.0 disagrees with the privileged specification
   (3.7, 4.3.2); every case fails there and passes on tsvirt. Found while writing priv-pmp.S.
     1  pmpcfg's R=0/W=1 is reserved in a WARL field: it is never read back     QEMU: reads 0x1a
     3  an entry that matches bytes strictly inside an access decides it (the
        lowest-numbered entry matching any byte)                               QEMU: checks the ends
     4  a hardware A/D update to a page table PMP makes read-only for S raises
        the access fault of the original access (4.3.2, Svadu)                 QEMU: updates it
     2  every entry OFF: MRET to S or U completes, and the fetch at the target
        faults, taken from S or U (mepc = the target)                          QEMU: faults the MRET
   isa-tests-cpu: svadu */
#include "test.h"
#include "priv.h"
#define LEAF (PTE_V | PTE_A | PTE_D)
TEST_BEGIN
        priv_init
        set_mtvec mtrap_record
        /* pmpcfg R=0/W=1 is reserved in a WARL field: never read back. */
        TEST_CASE(1)
        .irp cfg, PMP_NAPOT | PMP_W, PMP_NAPOT | PMP_W | PMP_X, PMP_TOR | PMP_W, PMP_W
        pmp_entry 3, PMP_NAPOT_ADDR(DATA_PAGE(0), 0x1000), \cfg
        pmp_cfg_get a0, 3
        andi a0, a0, PMP_R | PMP_W
        li t0, PMP_W
        beq a0, t0, fail
        .endr
        /* NA4 (no permissions) strictly inside an 8-byte misaligned access, entry 15 allows all. */
        TEST_CASE(3)
#define C (DATA_PAGE(3) + 0x404)
        li t0, C
        li t1, 0x11223344
        sw t1, 0(t0)
        pmp_entry 15, -1, PMP_NAPOT | PMP_RWX
        pmp_entry 0, PMP_ADDR(C), PMP_NA4
        li a1, C - 2
        expect_trap 1f
        enter PRV_S, 2f
2:      ld a0, 0(a1)
        j fail
1:      li t0, CAUSE_LOAD_ACCESS
        beq s2, t0, 3f
        CHECK_EQ(s2, CAUSE_LOAD_MISALIGNED)
3:      CHECK_LABEL(s3, 2b)
        li a2, -1
        expect_trap 1f
        enter PRV_S, 2f
2:      sd a2, 0(a1)
        j fail
1:      li t0, CAUSE_STORE_ACCESS
        beq s2, t0, 3f
        CHECK_EQ(s2, CAUSE_STORE_MISALIGNED)
3:      li t0, C
        lwu t1, 0(t0)
        CHECK_EQ(t1, 0x11223344)
        /* Svadu, the level-0 table PMP read-only for S: a walk that must set A or D raises the
           access fault of the original access; the PTE is unchanged. */
        TEST_CASE(4)
        li t0, DATA_PAGE(12)
        li t1, 0x600d000c
        sd t1, 0(t0)
        csrw pmpcfg0, zero
        pmp_entry 14, PMP_NAPOT_ADDR(0x80000000, 0x200000), PMP_NAPOT | PMP_RWX
        pmp_entry 4, PMP_NAPOT_ADDR(DATA_PAGE(8), 0x8000), PMP_NAPOT | PMP_R | PMP_W
        vm_std_layout
        map_test_page 0, DATA_PAGE(8), LEAF | PTE_R | PTE_W
        map_test_page 9, DATA_PAGE(12), PTE_V | PTE_R | PTE_W
        map_test_page 10, DATA_PAGE(13), PTE_V | PTE_R | PTE_W | PTE_A
        li t0, MENVCFG_ADUE
        csrs menvcfg, t0
        satp_set SATP_MODE_SV39, PT_PAGE(0)
        pmp_entry 3, PMP_NAPOT_ADDR(PT_PAGE(2), 0x1000), PMP_NAPOT | PMP_R
        li a1, TEST_VA(0)
        run_in PRV_S
        ld a0, 0(a1)
        run_end PRV_S
        li a1, TEST_VA(9) + 8
        trap_in PRV_S, CAUSE_LOAD_ACCESS, TEST_VA(9) + 8, ld a0, 0(a1)
        li a1, TEST_VA(10) + 8
        trap_in PRV_S, CAUSE_STORE_ACCESS, TEST_VA(10) + 8, sd a0, 0(a1)
        pte_get a0, PT_PAGE(2), 9
        CHECK_EQ(a0, ((DATA_PAGE(12) >> 12) << 10) | PTE_V | PTE_R | PTE_W)
        pte_get a0, PT_PAGE(2), 10
        CHECK_EQ(a0, ((DATA_PAGE(13) >> 12) << 10) | PTE_V | PTE_R | PTE_W | PTE_A)
        /* writable table: the walk sets A */
        pmp_cfg 3, PMP_NAPOT | PMP_R | PMP_W
        li a1, TEST_VA(9)
        run_in PRV_S
        ld a0, 0(a1)
        run_end PRV_S
        CHECK_EQ(a0, 0x600d000c)
        pte_get a0, PT_PAGE(2), 9
        CHECK_FIELD(a0, PTE_A, PTE_A)
        csrw satp, zero
        sfence.vma zero, zero
        /* Every entry OFF: MRET to S/U completes; the fetch at the target faults, from S/U. */
        TEST_CASE(2)
        csrw pmpcfg0, zero
        csrw pmpcfg2, zero
        sfence.vma zero, zero
        .irp prv, PRV_S, PRV_U
        expect_trap 1f
        enter \prv, 2f
2:      j fail
1:      CHECK_EQ(s2, CAUSE_FETCH_ACCESS)
        CHECK_LABEL(s3, 2b)
        CHECK_LABEL(s4, 2b)
        CHECK_FIELD(s5, MSTATUS_MPP, (\prv) << 11)
        .endr
        j pass

        priv_handlers
TEST_END
