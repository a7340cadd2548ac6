/* Two-stage address translation (privileged spec, "Hypervisor Extension": Two-Stage Address
   Translation, Guest-Page Faults, mtval2/mtinst): VS-stage Sv39 (vsatp) over G-stage Sv39x4 and
   Sv48x4 (hgatp, 16 KiB root, 2 extra GPA bits), Bare in either stage; guest-page faults 20, 21,
   23 with mtval = the guest virtual address, mtval2/htval = the guest physical address >> 2 (or
   zero) and GVA = 1; G-stage checks as user accesses (leaf U required); faults of the implicit
   VS-stage page-table accesses (reported with the original access type, mtval2 = the PTE's GPA,
   mtinst = the read/write pseudoinstruction); hardware A/D updates in both stages under
   menvcfg.ADUE and henvcfg.ADUE (Svadu), and the page faults of Svade when they are clear;
   MPRV with MPV = 1.
   Memory: the G-stage maps GPA 0x80000000.. (1 GiB) to itself, so the program and the VS page
   tables of priv.h's vm_std_layout (PT_PAGE(0..2)) have GPA = PA; test GPAs 0x200000 + n * 4 KiB
   (GPA(n)) are G_L0 entry n.
   isa-tests-cpu: h, svadu */
#include "test.h"
#include "priv.h"
#include "hyp.h"

#define G_ROOT PT_PAGE(8)               /* Sv39x4 root: 16 KiB, PT_PAGE(8..11) */
#define G_L1 PT_PAGE(12)                /* GPA 0..1 GiB */
#define G_L0 PT_PAGE(13)                /* GPA 0x200000..0x3fffff */
#define G48_ROOT PT_PAGE(16)            /* Sv48x4 root: 16 KiB, PT_PAGE(16..19) */
#define G48_L2 PT_PAGE(20)              /* an Sv39-shaped table: GPA 0..512 GiB */
#define GPA(n) (0x200000 + (n) * 0x1000)
#define GLEAF (PTE_V | PTE_R | PTE_W | PTE_X | PTE_U | PTE_A | PTE_D)
#define MAGIC(n) (0x5a5a0000 + (n))

/* mtinst/htinst after an implicit-access guest-page fault: the pseudoinstruction `pseudo` is
   required when mtval2/htval is nonzero (then read into t2), else zero is allowed too. */
.macro check_pseudo tinst, tval2, pseudo
        csrr t2, \tval2
        csrr t1, \tinst
        bnez t2, 1101f
        beqz t1, 1102f
1101:   CHECK_EQ(t1, \pseudo)
1102:
.endm
/* hgatp = Sv39x4 with the standard G-stage tables; fence. */
.macro hgatp_sv39x4
        li t0, HGATP_MODE_SV39X4 | (G_ROOT >> 12)
        csrw CSR_HGATP, t0
        hfence_gvma
.endm

TEST_BEGIN
        hyp_init
        /* Data pages: MAGIC(n) at DATA_PAGE(n). */
        .irp n, 1, 2, 3, 4, 5, 6, 7
        li t0, DATA_PAGE(\n)
        li t1, MAGIC(\n)
        sd t1, 0(t0)
        .endr
        /* G-stage tables (Sv39x4). */
        .irp p, 8, 9, 10, 11, 12, 13, 16, 17, 18, 19, 20
        page_zero PT_PAGE(\p)
        .endr
        pte_set G_ROOT, 2, 0x80000000, GLEAF
        pte_ptr G_ROOT, 0, G_L1
        pte_ptr G_L1, 1, G_L0
        pte_set G_L0, 1, DATA_PAGE(1), GLEAF
        pte_set G_L0, 2, DATA_PAGE(2), PTE_V | PTE_R | PTE_U | PTE_A          /* read-only */
        pte_set G_L0, 3, DATA_PAGE(3), GLEAF & ~PTE_U                         /* no U */
        pte_set G_L0, 4, DATA_PAGE(4), PTE_V | PTE_R | PTE_W | PTE_U          /* A = D = 0 */
        pte_set G_L0, 5, DATA_PAGE(5), PTE_V | PTE_R | PTE_W | PTE_U | PTE_A | PTE_D /* no X */
        /* GPA 2^40 (root entry 1024, one of the four root pages' extra entries): 1 GiB at
           0x80000000. */
        pte_set G_ROOT, 1024, 0x80000000, GLEAF
        /* VS-stage tables (Sv39, at GPA = PA): priv.h's layout plus TEST_VA(n) -> GPA(n). */
        vm_std_layout
        .irp n, 1, 2, 4
        map_test_page \n, GPA(\n), PTE_LEAF_RWX
        .endr
        map_test_page 6, DATA_PAGE(6), PTE_LEAF_RWX     /* GPA = PA: for a Bare G-stage */
        map_test_page 8, GPA(1), PTE_V | PTE_R | PTE_W    /* A = D = 0 */
        /* VA 0x400000 (VS level-1 entry 2): level-0 table at GPA 0x300000, unmapped in G. */
        pte_set PT_PAGE(1), 2, 0x300000, PTE_V
        li t0, MENVCFG_ADUE
        csrs menvcfg, t0

        /* vsatp Bare, hgatp Sv39x4: a VS load of GPA(1) reads DATA_PAGE(1). */
        TEST_CASE(1)
        hgatp_sv39x4
        li a1, GPA(1)
        vrun_in 1, PRV_S
        ld a0, 0(a1)
        vrun_end 1, PRV_S
        CHECK_EQ(a0, MAGIC(1))
        /* And a VU store then load (G-stage accesses are user accesses: U = 1 leaves). */
        TEST_CASE(2)
        li a2, 0x1234
        vrun_in 1, PRV_U
        sd a2, 8(a1)
        ld a0, 8(a1)
        vrun_end 1, PRV_U
        CHECK_EQ(a0, 0x1234)
        li t0, DATA_PAGE(1) + 8
        ld t0, 0(t0)
        CHECK_EQ(t0, 0x1234)

        /* Unmapped GPA: load guest-page fault (21), mtval = GVA, mtval2 = GPA >> 2 or 0,
           GVA = 1, MPV = 1. */
        TEST_CASE(3)
        li a1, GPA(7) + 0x10
        vtrap_in 1, PRV_S, CAUSE_LOAD_GUEST_PAGE, GPA(7) + 0x10, ld a0, 0(a1)
        CHECK_FIELD(s5, MSTATUS_GVA, MSTATUS_GVA)
        check_gpa CSR_MTVAL2, GPA(7) + 0x10
        /* Store to a read-only G-stage page: store guest-page fault (23). */
        TEST_CASE(4)
        li a1, GPA(2) + 0x20
        vtrap_in 1, PRV_S, CAUSE_STORE_GUEST_PAGE, GPA(2) + 0x20, sd a1, 0(a1)
        CHECK_FIELD(s5, MSTATUS_GVA, MSTATUS_GVA)
        check_gpa CSR_MTVAL2, GPA(2) + 0x20
        /* ... while a load from it works. */
        TEST_CASE(5)
        vrun_in 1, PRV_S
        ld a0, -0x20(a1)
        vrun_end 1, PRV_S
        CHECK_EQ(a0, MAGIC(2))
        /* A G-stage leaf without U faults, from VS as from VU. */
        TEST_CASE(6)
        li a1, GPA(3)
        vtrap_in 1, PRV_S, CAUSE_LOAD_GUEST_PAGE, GPA(3), ld a0, 0(a1)
        TEST_CASE(7)
        vtrap_in 1, PRV_U, CAUSE_STORE_GUEST_PAGE, GPA(3), sd a0, 0(a1)
        /* Fetch from a G-stage page without X: instruction guest-page fault (20), mepc = mtval
           = the GVA. */
        TEST_CASE(8)
        li a1, GPA(5) + 0x40
        expect_trap 1f
        venter 1, PRV_S, 2f
2:      jr a1
        j fail
1:      CHECK_EQ(s2, CAUSE_FETCH_GUEST_PAGE)
        CHECK_EQ(s3, GPA(5) + 0x40)
        CHECK_EQ(s4, GPA(5) + 0x40)
        CHECK_FIELD(s5, MSTATUS_GVA | MSTATUS_MPV, MSTATUS_GVA | MSTATUS_MPV)
        check_gpa CSR_MTVAL2, GPA(5) + 0x40
        /* A misaligned 8-byte load whose first page (GPA(2)) is readable and second (GPA(3),
           no U) is not: the fault reports the first byte of the faulting page (the same
           address as for a page fault), mtval2 its GPA. (A hart may raise a misaligned fault
           instead.) */
        TEST_CASE(9)
        li a1, GPA(3) - 4
        expect_trap 1f
        venter 1, PRV_S, 2f
        .option push
        .option norvc
2:      ld a0, 0(a1)
        .option pop
        j fail
1:      CHECK_LABEL(s3, 2b)
        li t0, CAUSE_LOAD_MISALIGNED
        beq s2, t0, 3f
        CHECK_EQ(s2, CAUSE_LOAD_GUEST_PAGE)
        CHECK_EQ(s4, GPA(3))
        check_gpa CSR_MTVAL2, GPA(3)
        /* mtinst: 0 or the transformed LD with Addr. Offset (bits 19:15) = 4, the distance from
           the load's address to the faulting one. */
        csrr t1, CSR_MTINST
        beqz t1, 3f
        CHECK_EQ(t1, ENC_R(0, 0, 4, 3, 10, 0x03))
3:
        /* GPA bits 63:41 must be zero in Sv39x4: bit 41 set is a guest-page fault; GPA 2^40
           (root entry 1024) is translated. */
        TEST_CASE(10)
        li a1, 1 << 41
        vtrap_in 1, PRV_S, CAUSE_LOAD_GUEST_PAGE, 1 << 41, ld a0, 0(a1)
        TEST_CASE(11)
        li a1, (1 << 40) + (DATA_PAGE(1) - 0x80000000)
        vrun_in 1, PRV_S
        ld a0, 0(a1)
        vrun_end 1, PRV_S
        CHECK_EQ(a0, MAGIC(1))

        /* Guest-page faults delegated to HS (medeleg): stval = GVA, htval = GPA >> 2 (or 0),
           hstatus.GVA = 1, SPV = 1. hedeleg's bits for them are read-only zero: never VS. */
        TEST_CASE(12)
        li t0, (1 << CAUSE_LOAD_GUEST_PAGE) | (1 << CAUSE_STORE_GUEST_PAGE) | (1 << CAUSE_FETCH_GUEST_PAGE)
        csrw medeleg, t0
        csrw CSR_HEDELEG, t0
        li a1, GPA(7) + 0x18
        expect_trap 1f
        venter 1, PRV_U, 2f
2:      ld a0, 0(a1)
        j fail
1:      check_hs_trap CAUSE_LOAD_GUEST_PAGE, 2b
        check_csr stval, GPA(7) + 0x18
        check_gpa CSR_HTVAL, GPA(7) + 0x18
        csrr t1, CSR_HSTATUS
        CHECK_FIELD(t1, HSTATUS_GVA | HSTATUS_SPV | HSTATUS_SPVP, HSTATUS_GVA | HSTATUS_SPV)
        csrw medeleg, zero
        csrw CSR_HEDELEG, zero

        /* VS-stage Sv39 over G-stage Sv39x4: TEST_VA(1) -> GPA(1) -> DATA_PAGE(1); code and
           VS page tables through the G-stage identity gigapage. */
        TEST_CASE(13)
        li t0, SATP_MODE_SV39 | (PT_PAGE(0) >> 12)
        csrw CSR_VSATP, t0
        hfence_vvma
        li a1, TEST_VA(1)
        vrun_in 1, PRV_S
        ld a0, 0(a1)
        vrun_end 1, PRV_S
        CHECK_EQ(a0, MAGIC(1))
        /* VS-stage valid, G-stage read-only: a store is a store guest-page fault with mtval =
           GVA (TEST_VA(2)) and mtval2 = GPA(2) >> 2. */
        TEST_CASE(14)
        li a1, TEST_VA(2) + 0x30
        vtrap_in 1, PRV_S, CAUSE_STORE_GUEST_PAGE, TEST_VA(2) + 0x30, sd a0, 0(a1)
        check_gpa CSR_MTVAL2, GPA(2) + 0x30
        /* VS-stage unmapped: a regular load page fault (13), mtval = GVA, mtval2 = 0, GVA = 1. */
        TEST_CASE(15)
        li t0, 0x1234
        csrw CSR_MTVAL2, t0
        li a1, TEST_VA(7)
        vtrap_in 1, PRV_S, CAUSE_LOAD_PAGE, TEST_VA(7), ld a0, 0(a1)
        CHECK_FIELD(s5, MSTATUS_GVA, MSTATUS_GVA)
        check_csr CSR_MTVAL2, 0

        /* A VS page-table page whose GPA is unmapped in the G-stage: the implicit read faults
           as a guest-page fault of the original access type, mtval = the GVA, mtval2 = the PTE's
           GPA >> 2, and then mtinst = 0x3000 (64-bit read for VS-stage translation). */
        TEST_CASE(16)
        li a1, 0x400000 + 0x28
        vtrap_in 1, PRV_S, CAUSE_LOAD_GUEST_PAGE, 0x400000 + 0x28, ld a0, 0(a1)
        check_gpa CSR_MTVAL2, 0x300000
        check_pseudo CSR_MTINST, CSR_MTVAL2, TINST_PT_READ
        TEST_CASE(17)
        vtrap_in 1, PRV_S, CAUSE_STORE_GUEST_PAGE, 0x400000 + 0x28, sd a0, 0(a1)
        check_gpa CSR_MTVAL2, 0x300000
        check_pseudo CSR_MTINST, CSR_MTVAL2, TINST_PT_READ
        TEST_CASE(18)
        expect_trap 1f
        venter 1, PRV_S, 2f
2:      jr a1
        j fail
1:      CHECK_EQ(s2, CAUSE_FETCH_GUEST_PAGE)
        CHECK_EQ(s4, 0x400000 + 0x28)
        CHECK_EQ(s3, 0x400000 + 0x28)
        check_gpa CSR_MTVAL2, 0x300000
        check_pseudo CSR_MTINST, CSR_MTVAL2, TINST_PT_READ
        /* The same delegated to HS: htval, htinst. */
        TEST_CASE(19)
        li t0, 1 << CAUSE_LOAD_GUEST_PAGE
        csrw medeleg, t0
        expect_trap 1f
        venter 1, PRV_S, 2f
2:      ld a0, 0(a1)
        j fail
1:      check_hs_trap CAUSE_LOAD_GUEST_PAGE, 2b
        check_csr stval, 0x400000 + 0x28
        check_gpa CSR_HTVAL, 0x300000
        check_pseudo CSR_HTINST, CSR_HTVAL, TINST_PT_READ
        csrr t1, CSR_HSTATUS
        CHECK_FIELD(t1, HSTATUS_GVA, HSTATUS_GVA)
        csrw medeleg, zero

        /* VS-stage A/D with henvcfg.ADUE = 1 (Svadu): a load sets A in the VS leaf, a store D. */
        TEST_CASE(20)
        li t0, HENVCFG_ADUE
        csrw CSR_HENVCFG, t0
        hfence_vvma
        li a1, TEST_VA(8)
        vrun_in 1, PRV_S
        ld a0, 0(a1)
        vrun_end 1, PRV_S
        CHECK_EQ(a0, MAGIC(1))
        pte_get t1, PT_PAGE(2), 8
        CHECK_EQ(t1, ((GPA(1) >> 12) << 10) | PTE_V | PTE_R | PTE_W | PTE_A)
        TEST_CASE(21)
        vrun_in 1, PRV_S
        sd a0, 0x10(a1)
        vrun_end 1, PRV_S
        pte_get t1, PT_PAGE(2), 8
        CHECK_EQ(t1, ((GPA(1) >> 12) << 10) | PTE_V | PTE_R | PTE_W | PTE_A | PTE_D)
        /* (The A update as an implicit write that the G-stage refuses: hyp-strict.S.) */
        /* henvcfg.ADUE = 0 (Svade for the VS-stage): A = 0 is a page fault (13), no update. */
        TEST_CASE(22)
        csrw CSR_HENVCFG, zero
        hfence_vvma
        map_test_page 8, GPA(1), PTE_V | PTE_R | PTE_W
        hfence_vvma
        li a1, TEST_VA(8)
        vtrap_in 1, PRV_S, CAUSE_LOAD_PAGE, TEST_VA(8), ld a0, 0(a1)
        pte_get t1, PT_PAGE(2), 8
        CHECK_EQ(t1, ((GPA(1) >> 12) << 10) | PTE_V | PTE_R | PTE_W)

        /* G-stage A/D under menvcfg.ADUE = 1: a load through a G leaf with A = 0 sets A, a store
           sets D (VS-stage TEST_VA(4) -> GPA(4), A and D set there). */
        TEST_CASE(23)
        li a1, TEST_VA(4)
        vrun_in 1, PRV_S
        ld a0, 0(a1)
        vrun_end 1, PRV_S
        CHECK_EQ(a0, MAGIC(4))
        pte_get t1, G_L0, 4
        CHECK_EQ(t1, ((DATA_PAGE(4) >> 12) << 10) | PTE_V | PTE_R | PTE_W | PTE_U | PTE_A)
        TEST_CASE(24)
        vrun_in 1, PRV_S
        sd a0, 8(a1)
        vrun_end 1, PRV_S
        pte_get t1, G_L0, 4
        CHECK_EQ(t1, ((DATA_PAGE(4) >> 12) << 10) | PTE_V | PTE_R | PTE_W | PTE_U | PTE_A | PTE_D)
        /* menvcfg.ADUE = 0 (Svade for the G-stage): A = 0 is a guest-page fault, no update. */
        TEST_CASE(25)
        li t0, MENVCFG_ADUE
        csrc menvcfg, t0
        pte_set G_L0, 4, DATA_PAGE(4), PTE_V | PTE_R | PTE_W | PTE_U
        hfence_gvma
        vtrap_in 1, PRV_S, CAUSE_LOAD_GUEST_PAGE, TEST_VA(4), ld a0, 0(a1)
        check_gpa CSR_MTVAL2, GPA(4)
        pte_get t1, G_L0, 4
        CHECK_EQ(t1, ((DATA_PAGE(4) >> 12) << 10) | PTE_V | PTE_R | PTE_W | PTE_U)
        li t0, MENVCFG_ADUE
        csrs menvcfg, t0

        /* G-stage Bare with VS-stage Sv39: GPA = PA (TEST_VA(6) -> DATA_PAGE(6)). */
        TEST_CASE(26)
        csrw CSR_HGATP, zero
        hfence_gvma
        li a1, TEST_VA(6)
        vrun_in 1, PRV_S
        ld a0, 0(a1)
        vrun_end 1, PRV_S
        CHECK_EQ(a0, MAGIC(6))
        csrw CSR_VSATP, zero
        hfence_vvma

        /* G-stage Sv48x4 (vsatp Bare): root entry 0 -> an Sv39-shaped table sharing G_L1; GPA
           2^49 (root entry 1024) -> the same table; GPA bits 63:50 must be zero. */
        TEST_CASE(27)
        pte_ptr G48_ROOT, 0, G48_L2
        pte_ptr G48_ROOT, 1024, G48_L2
        pte_ptr G48_L2, 0, G_L1
        pte_set G48_L2, 2, 0x80000000, GLEAF
        li t0, HGATP_MODE_SV48X4 | (G48_ROOT >> 12)
        csrw CSR_HGATP, t0
        hfence_gvma
        li a1, GPA(1)
        li a2, (1 << 49) + GPA(1)
        vrun_in 1, PRV_S
        ld a0, 0(a1)
        ld a3, 0(a2)
        vrun_end 1, PRV_S
        CHECK_EQ(a0, MAGIC(1))
        CHECK_EQ(a3, MAGIC(1))
        TEST_CASE(28)
        li a1, 1 << 50
        vtrap_in 1, PRV_S, CAUSE_LOAD_GUEST_PAGE, 1 << 50, ld a0, 0(a1)
        TEST_CASE(29)
        li a1, GPA(7)
        vtrap_in 1, PRV_S, CAUSE_LOAD_GUEST_PAGE, GPA(7), ld a0, 0(a1)
        check_gpa CSR_MTVAL2, GPA(7)

        /* MPRV with MPV = 1, MPP = S: M-mode loads and stores use two-stage translation. */
        TEST_CASE(30)
        hgatp_sv39x4
        li t0, MSTATUS_MPP
        csrc mstatus, t0
        li t0, MSTATUS_MPRV | MSTATUS_MPV | MSTATUS_MPP_S
        csrs mstatus, t0
        li a1, GPA(1)
        ld a0, 0(a1)
        li t0, MSTATUS_MPRV
        csrc mstatus, t0
        CHECK_EQ(a0, MAGIC(1))
        /* ... and their guest-page faults (from M: MPP = M, MPV = 0 after the trap, GVA = 1). */
        TEST_CASE(31)
        expect_trap 1f
        li t0, MSTATUS_MPP
        csrc mstatus, t0
        li t0, MSTATUS_MPRV | MSTATUS_MPV | MSTATUS_MPP_S
        csrs mstatus, t0
        li a1, GPA(7)
2:      ld a0, 0(a1)
        j fail
1:      li t0, MSTATUS_MPRV
        csrc mstatus, t0
        CHECK_EQ(s2, CAUSE_LOAD_GUEST_PAGE)
        CHECK_LABEL(s3, 2b)
        CHECK_EQ(s4, GPA(7))
        CHECK_FIELD(s5, MSTATUS_MPP | MSTATUS_MPV | MSTATUS_GVA, MSTATUS_MPP_M | MSTATUS_GVA)
        check_gpa CSR_MTVAL2, GPA(7)

        j pass

        priv_handlers
        hyp_handlers
TEST_END
