/* Two-stage translation, continued (privileged spec, "Hypervisor Extension": Two-Stage Address
   Translation; the Sv39 algorithm it reuses): page sizes that differ between the stages (a VS
   megapage over G-stage 4 KiB pages, VS 4 KiB pages over a G-stage megapage), G-stage leaf
   encodings that fault (W without R, a misaligned superpage), the G-stage A/D updates of the
   implicit VS page-table accesses (a walk's read sets A only), and the
   VS-level SUM: vsstatus.SUM, not sstatus.SUM, for VS-mode and for MPRV with MPV = 1.
   Memory: the G-stage maps GPA 0x80000000.. (1 GiB) to itself; GPA(n) = 0x200000 + n * 4 KiB
   are G_L0 entries; GPA 0x400000.. (2 MiB) is a G-stage megapage at MEGA_BASE.
   isa-tests-cpu: h, svadu */
#include "test.h"
#include "priv.h"
#include "hyp.h"

#define G_ROOT PT_PAGE(8)               /* Sv39x4 root: 16 KiB, PT_PAGE(8..11) */
#define G_L1 PT_PAGE(12)                /* GPA 0..1 GiB */
#define G_L0 PT_PAGE(13)                /* GPA 0x200000..0x3fffff */
#define VS_L0_W PT_PAGE(15)             /* a VS level-0 table at GPA(11) */
#define GPA(n) (0x200000 + (n) * 0x1000)
#define GLEAF (PTE_V | PTE_R | PTE_W | PTE_X | PTE_U | PTE_A | PTE_D)
#define MAGIC(n) (0x3c3c0000 + (n))
#define VS_MEGA 0x800000                /* VS level-1 entry 4: a megapage -> GPA 0x200000 */
#define VS_W 0xa00000                   /* VS level-1 entry 5: level-0 table VS_L0_W */
#define U_ALIAS(pa) ((pa) + U_ALIAS_OFFSET)

TEST_BEGIN
        hyp_init
        .irp n, 1, 2, 3, 4
        li t0, DATA_PAGE(\n)
        li t1, MAGIC(\n)
        sd t1, 0(t0)
        .endr
        li t0, MEGA_BASE + 0x3000
        li t1, MAGIC(0x403)
        sd t1, 0(t0)
        li t0, MEGA_BASE + 0x5000
        li t1, MAGIC(0x405)
        sd t1, 0(t0)
        .irp p, 8, 9, 10, 11, 12, 13, 15
        page_zero PT_PAGE(\p)
        .endr
        pte_set G_ROOT, 2, 0x80000000, GLEAF
        pte_ptr G_ROOT, 0, G_L1
        pte_ptr G_L1, 1, G_L0
        .irp n, 1, 3, 4
        pte_set G_L0, \n, DATA_PAGE(\n), GLEAF
        .endr
        pte_set G_L0, 2, DATA_PAGE(2), PTE_V | PTE_R | PTE_U | PTE_A          /* read-only */
        pte_set G_L0, 10, DATA_PAGE(1), PTE_V | PTE_W | PTE_U | PTE_A | PTE_D /* W without R */
        pte_set G_L0, 11, VS_L0_W, PTE_V | PTE_R | PTE_W | PTE_U              /* A = D = 0 */
        pte_set G_L1, 2, MEGA_BASE, GLEAF                                     /* 2 MiB leaf */
        pte_set G_L1, 3, MEGA_BASE + 0x1000, GLEAF                            /* misaligned */
        li t0, HGATP_MODE_SV39X4 | (G_ROOT >> 12)
        csrw CSR_HGATP, t0
        vm_std_layout
        pte_set PT_PAGE(1), 4, GPA(0), PTE_LEAF_RWX                           /* VS megapage */
        pte_set PT_PAGE(1), 5, GPA(11), PTE_V
        pte_set VS_L0_W, 0, GPA(1), PTE_LEAF_RWX
        pte_set VS_L0_W, 1, GPA(1), PTE_V | PTE_R | PTE_W                     /* A = D = 0 */
        map_test_page 9, 0x403000, PTE_LEAF_RWX
        map_test_page 10, 0x405000, PTE_LEAF_RWX
        map_test_page 11, 0x603000, PTE_LEAF_RWX
        li t0, SATP_MODE_SV39 | (PT_PAGE(0) >> 12)
        csrw CSR_VSATP, t0
        li t0, MENVCFG_ADUE
        csrs menvcfg, t0
        li t0, HENVCFG_ADUE
        csrw CSR_HENVCFG, t0
        hfence_gvma
        hfence_vvma

        /* A VS megapage over G-stage 4 KiB pages: each 4 KiB of the megapage has its own
           G-stage translation (a cached translation may not be wider than either stage's). */
        TEST_CASE(1)
        li a1, VS_MEGA + 0x1000
        li a2, VS_MEGA + 0x3000
        li a3, VS_MEGA + 0x4000
        vrun_in 1, PRV_S
        ld a4, 0(a1)
        ld a5, 0(a2)
        ld a6, 0(a3)
        ld a7, 8(a1)
        vrun_end 1, PRV_S
        CHECK_EQ(a4, MAGIC(1))
        CHECK_EQ(a5, MAGIC(3))
        CHECK_EQ(a6, MAGIC(4))
        /* ... so a store to its GPA(2) part faults in the G-stage (read-only there), with mtval
           = the GVA in the megapage and mtval2 = GPA(2) + offset. */
        TEST_CASE(2)
        li a1, VS_MEGA + 0x2010
        vtrap_in 1, PRV_S, CAUSE_STORE_GUEST_PAGE, VS_MEGA + 0x2010, sd a0, 0(a1)
        csrr t1, CSR_MTVAL2
        beqz t1, 1f
        CHECK_EQ(t1, (GPA(2) + 0x10) >> 2)
1:      /* ... and a store to its GPA(1) part right after works. */
        TEST_CASE(3)
        li a1, VS_MEGA + 0x1010
        li a2, 0x77
        vrun_in 1, PRV_S
        sd a2, 0(a1)
        vrun_end 1, PRV_S
        li t0, DATA_PAGE(1) + 0x10
        ld t0, 0(t0)
        CHECK_EQ(t0, 0x77)

        /* VS 4 KiB pages over a G-stage megapage: GPA 0x403000 and 0x405000 both in it. */
        TEST_CASE(4)
        li a1, TEST_VA(9)
        li a2, TEST_VA(10)
        vrun_in 1, PRV_S
        ld a4, 0(a1)
        ld a5, 0(a2)
        vrun_end 1, PRV_S
        CHECK_EQ(a4, MAGIC(0x403))
        CHECK_EQ(a5, MAGIC(0x405))
        /* A misaligned G-stage megapage (PPN[0] != 0) is a guest-page fault. */
        TEST_CASE(5)
        li a1, TEST_VA(11)
        vtrap_in 1, PRV_S, CAUSE_LOAD_GUEST_PAGE, TEST_VA(11), ld a0, 0(a1)
        csrr t1, CSR_MTVAL2
        beqz t1, 1f
        CHECK_EQ(t1, 0x603000 >> 2)
1:      /* A G-stage leaf with W but not R (reserved) is a guest-page fault for a load and a
           store. */
        TEST_CASE(6)
        csrw CSR_VSATP, zero
        hfence_vvma
        li a1, GPA(10)
        vtrap_in 1, PRV_S, CAUSE_LOAD_GUEST_PAGE, GPA(10), ld a0, 0(a1)
        TEST_CASE(7)
        vtrap_in 1, PRV_S, CAUSE_STORE_GUEST_PAGE, GPA(10), sd a0, 0(a1)
        li t0, SATP_MODE_SV39 | (PT_PAGE(0) >> 12)
        csrw CSR_VSATP, t0
        hfence_vvma

        /* The VS walk's read of a PTE is an implicit load for the G-stage: it sets A, not D,
           in the G leaf of the VS page-table page (menvcfg.ADUE = 1). */
        TEST_CASE(8)
        li a1, VS_W
        vrun_in 1, PRV_S
        ld a0, 0(a1)
        vrun_end 1, PRV_S
        CHECK_EQ(a0, MAGIC(1))
        pte_get t1, G_L0, 11
        CHECK_EQ(t1, ((VS_L0_W >> 12) << 10) | PTE_V | PTE_R | PTE_W | PTE_U | PTE_A)
        /* Setting A in a VS leaf (henvcfg.ADUE = 1) through a G-writable page-table page.
           (That this implicit store sets D in the G leaf: hyp-strict.S.) */
        TEST_CASE(9)
        li a1, VS_W + 0x1000
        vrun_in 1, PRV_S
        ld a0, 0(a1)
        vrun_end 1, PRV_S
        CHECK_EQ(a0, MAGIC(1))
        pte_get t1, VS_L0_W, 1
        CHECK_EQ(t1, ((GPA(1) >> 12) << 10) | PTE_V | PTE_R | PTE_W | PTE_A)

        /* VS-mode and a U page of the VS-stage (the U alias): without vsstatus.SUM a load page
           fault, even with the HS-level sstatus.SUM set; with vsstatus.SUM it reads. */
        TEST_CASE(10)
        csrw CSR_VSSTATUS, zero
        li t0, MSTATUS_SUM
        csrs mstatus, t0
        li a1, U_ALIAS(DATA_PAGE(1))
        vtrap_in 1, PRV_S, CAUSE_LOAD_PAGE, U_ALIAS(DATA_PAGE(1)), ld a0, 0(a1)
        TEST_CASE(11)
        li t0, MSTATUS_SUM
        csrc mstatus, t0
        csrw CSR_VSSTATUS, t0
        vrun_in 1, PRV_S
        ld a0, 0(a1)
        vrun_end 1, PRV_S
        CHECK_EQ(a0, MAGIC(1))
        /* The same for M-mode loads with MPRV = 1, MPV = 1, MPP = S (VS-level access). */
        TEST_CASE(12)
        csrw CSR_VSSTATUS, zero
        li t0, MSTATUS_SUM
        csrs mstatus, t0
        expect_trap 1f
        li t0, MSTATUS_MPP
        csrc mstatus, t0
        li t0, MSTATUS_MPRV | MSTATUS_MPV | MSTATUS_MPP_S
        csrs mstatus, t0
2:      ld a0, 0(a1)
        j fail
1:      li t0, MSTATUS_MPRV | MSTATUS_SUM
        csrc mstatus, t0
        CHECK_EQ(s2, CAUSE_LOAD_PAGE)
        CHECK_LABEL(s3, 2b)
        CHECK_EQ(s4, U_ALIAS(DATA_PAGE(1)))
        TEST_CASE(13)
        li t0, MSTATUS_SUM
        csrw CSR_VSSTATUS, t0
        li t0, MSTATUS_MPP
        csrc mstatus, t0
        li t0, MSTATUS_MPRV | MSTATUS_MPV | MSTATUS_MPP_S
        csrs mstatus, t0
        ld a0, 0(a1)
        li t0, MSTATUS_MPRV
        csrc mstatus, t0
        CHECK_EQ(a0, MAGIC(1))
        /* MPP = U (VU-level access): the U page reads, a page without U faults. */
        TEST_CASE(14)
        csrw CSR_VSSTATUS, zero
        li t0, MSTATUS_MPP
        csrc mstatus, t0
        li t0, MSTATUS_MPRV | MSTATUS_MPV
        csrs mstatus, t0
        ld a0, 0(a1)
        li t0, MSTATUS_MPRV
        csrc mstatus, t0
        CHECK_EQ(a0, MAGIC(1))
        TEST_CASE(15)
        li a1, VS_MEGA + 0x1000          /* VS megapage without U */
        expect_trap 1f
        li t0, MSTATUS_MPP
        csrc mstatus, t0
        li t0, MSTATUS_MPRV | MSTATUS_MPV
        csrs mstatus, t0
2:      ld a0, 0(a1)
        j fail
1:      li t0, MSTATUS_MPRV
        csrc mstatus, t0
        CHECK_EQ(s2, CAUSE_LOAD_PAGE)
        CHECK_LABEL(s3, 2b)

        j pass

        priv_handlers
        hyp_handlers
TEST_END
