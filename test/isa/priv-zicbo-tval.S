/* The trap values and access faults of cache-block operations where QEMU 10 departs from the CMO
   specification ("Cache Management Operations"), so that this program fails there:
   - a page or access fault of CBO.ZERO, CBO.CLEAN, CBO.FLUSH or CBO.INVAL writes x[rs1] to
     mtval, "rather than the base address of the cache block" (QEMU writes the block's address);
   - a cache-block management instruction whose physical address neither a load nor a store may
     access raises a store access fault (QEMU does not check, gitlab.com/qemu-project/qemu issue
     3501).
   isa-tests-march: rv64gc_zicbom_zicboz */
#include "test.h"
#include "priv.h"

#define LEAF (PTE_V | PTE_A | PTE_D)
#define CBO_ALL (MENVCFG_CBIE | MENVCFG_CBCFE | MENVCFG_CBZE)

TEST_BEGIN
        priv_init
        set_mtvec mtrap_record
        li t0, CBO_ALL
        csrs menvcfg, t0
        csrs senvcfg, t0
        vm_std_layout
        map_test_page 1, DATA_PAGE(1), PTE_V | PTE_R | PTE_A                    /* read-only */
        map_test_page 3, DATA_PAGE(3), LEAF | PTE_R | PTE_W | PTE_U             /* user */
        satp_set SATP_MODE_SV39, PT_PAGE(0)

        /* Unmapped: every CBO faults with mtval = x[rs1], in the middle of its block. */
        TEST_CASE(1)
        li a1, TEST_VA(5) + 0x123
        trap_in PRV_S, CAUSE_STORE_PAGE, TEST_VA(5) + 0x123, cbo.zero 0(a1)
        TEST_CASE(2)
        trap_in PRV_S, CAUSE_STORE_PAGE, TEST_VA(5) + 0x123, cbo.clean 0(a1)
        TEST_CASE(3)
        trap_in PRV_S, CAUSE_STORE_PAGE, TEST_VA(5) + 0x123, cbo.flush 0(a1)
        TEST_CASE(4)
        trap_in PRV_S, CAUSE_STORE_PAGE, TEST_VA(5) + 0x123, cbo.inval 0(a1)
        /* Read-only page, CBO.ZERO; user page from S-mode; supervisor page from U-mode. */
        TEST_CASE(5)
        li a1, TEST_VA(1) + 0x7f
        trap_in PRV_S, CAUSE_STORE_PAGE, TEST_VA(1) + 0x7f, cbo.zero 0(a1)
        TEST_CASE(6)
        li a1, TEST_VA(3) + 0x11
        trap_in PRV_S, CAUSE_STORE_PAGE, TEST_VA(3) + 0x11, cbo.clean 0(a1)
        TEST_CASE(7)
        li a1, TEST_VA(1) + 0x9
        utrap_in CAUSE_STORE_PAGE, TEST_VA(1) + 0x9, cbo.flush 0(a1)
        csrw satp, zero
        sfence.vma

        /* Bare M-mode: nothing at physical 0x10 (spike board). */
        TEST_CASE(8)
        li a1, 0x13
        trap_in PRV_M, CAUSE_STORE_ACCESS, 0x13, cbo.zero 0(a1)
        TEST_CASE(9)
        trap_in PRV_M, CAUSE_STORE_ACCESS, 0x13, cbo.clean 0(a1)
        TEST_CASE(10)
        trap_in PRV_M, CAUSE_STORE_ACCESS, 0x13, cbo.inval 0(a1)
        TEST_CASE(11)
        li a1, 0x10
        trap_in PRV_M, CAUSE_STORE_ACCESS, 0x10, cbo.flush 0(a1)
        j pass

        priv_handlers
TEST_END
