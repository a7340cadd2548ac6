/* HFENCE.VVMA and HFENCE.GVMA (privileged spec, "Hypervisor Extension": Hypervisor
   Memory-Management Fence Instructions, Memory-Management Fences): after a VS-stage or G-stage
   page-table entry changes, the new mapping is used once the matching fence has run, whatever
   its operands (all, one guest virtual address, one ASID, one guest physical address >> 2, one
   VMID), from M-mode or HS-mode; SFENCE.VMA in VS-mode fences the VS-stage; an hgatp MODE change
   takes effect after HFENCE.GVMA. (That a stale mapping may survive without a fence is not
   a requirement: a hart may cache nothing. Reference note: QEMU flushes its TLB whenever V
   changes, so there only cases 6, 16 and 17, which stay in one mode, would catch a missing
   fence.)
   isa-tests-cpu: h */
#include "test.h"
#include "priv.h"
#include "hyp.h"

#define G_ROOT PT_PAGE(8)               /* Sv39x4 root: 16 KiB, PT_PAGE(8..11) */
#define G_L1 PT_PAGE(12)
#define G_L0 PT_PAGE(13)                /* GPA 0x200000..0x3fffff */
#define GPA(n) (0x200000 + (n) * 0x1000)
#define GLEAF (PTE_V | PTE_R | PTE_W | PTE_X | PTE_U | PTE_A | PTE_D)
#define MAGIC(n) (0x6b6b0000 + (n))
#define ASID 5
#define VMID 3

/* Load the dword at VA `va` in VS-mode into a0 (clobbers a1). */
.macro vs_load va
        li a1, \va
        vrun_in 1, PRV_S
        ld a0, 0(a1)
        vrun_end 1, PRV_S
.endm

TEST_BEGIN
        hyp_init
        .irp n, 1, 2, 3, 4
        li t0, DATA_PAGE(\n)
        li t1, MAGIC(\n)
        sd t1, 0(t0)
        .endr
        .irp p, 8, 9, 10, 11, 12, 13
        page_zero PT_PAGE(\p)
        .endr
        pte_set G_ROOT, 2, 0x80000000, GLEAF
        pte_ptr G_ROOT, 0, G_L1
        pte_ptr G_L1, 1, G_L0
        .irp n, 1, 2, 3, 4
        pte_set G_L0, \n, DATA_PAGE(\n), GLEAF
        .endr
        vm_std_layout
        map_test_page 1, GPA(1), PTE_LEAF_RWX
        li t0, HGATP_MODE_SV39X4 | (VMID << HGATP_VMID_SHIFT) | (G_ROOT >> 12)
        csrw CSR_HGATP, t0
        li t0, SATP_MODE_SV39 | (ASID << 44) | (PT_PAGE(0) >> 12)
        csrw CSR_VSATP, t0
        hfence_gvma
        hfence_vvma

        /* TEST_VA(1) -> GPA(1) -> DATA_PAGE(1). */
        TEST_CASE(1)
        vs_load TEST_VA(1)
        CHECK_EQ(a0, MAGIC(1))

        /* VS PTE -> GPA(2); HFENCE.VVMA x0, x0 (M-mode): the new mapping. */
        TEST_CASE(2)
        map_test_page 1, GPA(2), PTE_LEAF_RWX
        hfence_vvma
        vs_load TEST_VA(1)
        CHECK_EQ(a0, MAGIC(2))
        /* VS PTE -> GPA(3); HFENCE.VVMA with the address (HS-mode). */
        TEST_CASE(3)
        map_test_page 1, GPA(3), PTE_LEAF_RWX
        li a2, TEST_VA(1)
        vrun_in 0, PRV_S
        hfence_vvma a2, x0
        vrun_end 0, PRV_S
        vs_load TEST_VA(1)
        CHECK_EQ(a0, MAGIC(3))
        /* VS PTE -> GPA(4); HFENCE.VVMA with the address and the ASID. */
        TEST_CASE(4)
        map_test_page 1, GPA(4), PTE_LEAF_RWX
        li a2, TEST_VA(1)
        li a3, ASID
        vrun_in 0, PRV_S
        hfence_vvma a2, a3
        vrun_end 0, PRV_S
        vs_load TEST_VA(1)
        CHECK_EQ(a0, MAGIC(4))
        /* VS PTE -> GPA(1); HFENCE.VVMA with the ASID only. */
        TEST_CASE(5)
        map_test_page 1, GPA(1), PTE_LEAF_RWX
        li a3, ASID
        hfence_vvma x0, a3
        vs_load TEST_VA(1)
        CHECK_EQ(a0, MAGIC(1))
        /* Without leaving VS-mode: load (caching the translation), rewrite the VS PTE ->
           GPA(2), SFENCE.VMA (it fences the VS-stage when V=1), load: the new mapping. */
        TEST_CASE(6)
        li a1, TEST_VA(1)
        li a2, PT_PAGE(2) + 8
        li a3, ((GPA(2) >> 12) << 10) | PTE_LEAF_RWX
        vrun_in 1, PRV_S
        ld a4, 0(a1)
        sd a3, 0(a2)
        sfence.vma a1, zero
        ld a0, 0(a1)
        vrun_end 1, PRV_S
        CHECK_EQ(a4, MAGIC(1))
        CHECK_EQ(a0, MAGIC(2))
        /* A VS PTE made invalid: after HFENCE.VVMA, a load page fault. */
        TEST_CASE(7)
        map_test_page 1, GPA(2), 0
        hfence_vvma
        li a1, TEST_VA(1)
        vtrap_in 1, PRV_S, CAUSE_LOAD_PAGE, TEST_VA(1), ld a0, 0(a1)
        map_test_page 1, GPA(2), PTE_LEAF_RWX
        hfence_vvma

        /* G PTE of GPA(2) -> DATA_PAGE(3); HFENCE.GVMA x0, x0 (M-mode). */
        TEST_CASE(8)
        pte_set G_L0, 2, DATA_PAGE(3), GLEAF
        hfence_gvma
        vs_load TEST_VA(1)
        CHECK_EQ(a0, MAGIC(3))
        /* G PTE -> DATA_PAGE(4); HFENCE.GVMA with the GPA >> 2 (HS-mode). */
        TEST_CASE(9)
        pte_set G_L0, 2, DATA_PAGE(4), GLEAF
        li a2, GPA(2) >> 2
        vrun_in 0, PRV_S
        hfence_gvma a2, x0
        vrun_end 0, PRV_S
        vs_load TEST_VA(1)
        CHECK_EQ(a0, MAGIC(4))
        /* G PTE -> DATA_PAGE(1); HFENCE.GVMA with the GPA and the VMID. */
        TEST_CASE(10)
        pte_set G_L0, 2, DATA_PAGE(1), GLEAF
        li a2, GPA(2) >> 2
        li a3, VMID
        vrun_in 0, PRV_S
        hfence_gvma a2, a3
        vrun_end 0, PRV_S
        vs_load TEST_VA(1)
        CHECK_EQ(a0, MAGIC(1))
        /* G PTE -> DATA_PAGE(2); HFENCE.GVMA with the VMID only. */
        TEST_CASE(11)
        pte_set G_L0, 2, DATA_PAGE(2), GLEAF
        li a3, VMID
        hfence_gvma x0, a3
        vs_load TEST_VA(1)
        CHECK_EQ(a0, MAGIC(2))
        /* A G PTE made invalid: after HFENCE.GVMA, a load guest-page fault. */
        TEST_CASE(12)
        pte_set G_L0, 2, DATA_PAGE(2), 0
        hfence_gvma
        li a1, TEST_VA(1)
        vtrap_in 1, PRV_S, CAUSE_LOAD_GUEST_PAGE, TEST_VA(1), ld a0, 0(a1)
        pte_set G_L0, 2, DATA_PAGE(2), GLEAF
        hfence_gvma

        /* hgatp MODE change (Sv39x4 -> Bare) with HFENCE.GVMA x0: GPA = PA afterwards (vsatp
           Bare; DATA_PAGE(1)'s address read directly). And back to Sv39x4. */
        TEST_CASE(13)
        csrw CSR_VSATP, zero
        hfence_vvma
        csrw CSR_HGATP, zero
        hfence_gvma
        vs_load DATA_PAGE(3)
        CHECK_EQ(a0, MAGIC(3))
        TEST_CASE(14)
        li t0, HGATP_MODE_SV39X4 | (VMID << HGATP_VMID_SHIFT) | (G_ROOT >> 12)
        csrw CSR_HGATP, t0
        hfence_gvma
        vs_load GPA(4)
        CHECK_EQ(a0, MAGIC(4))

        /* A VMID change: the VS-stage and G-stage mappings seen under the new VMID are the
           current tables once fenced for it. */
        TEST_CASE(15)
        li t0, SATP_MODE_SV39 | (ASID << 44) | (PT_PAGE(0) >> 12)
        csrw CSR_VSATP, t0
        li t0, HGATP_MODE_SV39X4 | ((VMID + 1) << HGATP_VMID_SHIFT) | (G_ROOT >> 12)
        csrw CSR_HGATP, t0
        pte_set G_L0, 2, DATA_PAGE(3), GLEAF
        li a3, VMID + 1
        hfence_gvma x0, a3
        hfence_vvma
        vs_load TEST_VA(1)
        CHECK_EQ(a0, MAGIC(3))

        /* Within HS-mode, through HLV (which uses both stages without a mode change): HLV,
           rewrite the VS PTE, HFENCE.VVMA, HLV sees the new mapping; then the same for a G PTE
           and HFENCE.GVMA. */
        TEST_CASE(16)
        li t0, HSTATUS_VSXL_64 | HSTATUS_SPVP
        csrw CSR_HSTATUS, t0
        li a1, TEST_VA(1)
        li a2, PT_PAGE(2) + 8
        li a3, ((GPA(4) >> 12) << 10) | PTE_LEAF_RWX
        vrun_in 0, PRV_S
        hlv_d a4, a1
        sd a3, 0(a2)
        hfence_vvma a1, x0
        hlv_d a0, a1
        vrun_end 0, PRV_S
        CHECK_EQ(a4, MAGIC(3))          /* (GPA(2) -> DATA_PAGE(3) since case 15) */
        CHECK_EQ(a0, MAGIC(4))
        TEST_CASE(17)
        li a2, G_L0 + 4 * 8
        li a3, ((DATA_PAGE(1) >> 12) << 10) | GLEAF
        li a5, GPA(4) >> 2
        vrun_in 0, PRV_S
        hlv_d a4, a1
        sd a3, 0(a2)
        hfence_gvma a5, x0
        hlv_d a0, a1
        vrun_end 0, PRV_S
        CHECK_EQ(a4, MAGIC(4))
        CHECK_EQ(a0, MAGIC(1))

        j pass

        priv_handlers
        hyp_handlers
TEST_END
