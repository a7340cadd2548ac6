/* Hypervisor virtual-machine loads and stores (privileged spec, "Hypervisor Extension":
   Hypervisor Virtual-Machine Load and Store Instructions): HLV.B/BU/H/HU/W/WU/D, HLVX.HU/WU and
   HSV.B/H/W/D from HS-mode, M-mode and U-mode with hstatus.HU = 1, with two-stage translation as
   VS (hstatus.SPVP = 1) or VU (SPVP = 0) whatever sstatus.SPP and MPRV say; HLVX needing execute
   and not read permission; the guest-page and page faults they raise (GVA = 1 with SPV = 0,
   htinst the transformed instruction or zero); vsstatus.SUM, and MXR at VS level (VS-stage only)
   and HS level (both stages).
   isa-tests-cpu: h */
#include "test.h"
#include "priv.h"
#include "hyp.h"

#define G_ROOT PT_PAGE(8)               /* Sv39x4 root: 16 KiB, PT_PAGE(8..11) */
#define G_L1 PT_PAGE(12)
#define G_L0 PT_PAGE(13)                /* GPA 0x200000..0x3fffff */
#define GPA(n) (0x200000 + (n) * 0x1000)
#define GLEAF (PTE_V | PTE_R | PTE_W | PTE_X | PTE_U | PTE_A | PTE_D)
#define DATA 0xfedcba9887654321
/* HLV.D a0, (a1) transformed for htinst/mtinst: rs1 replaced by the address offset 0. */
#define TINST_HLV_D_A0 ENC_R(0x36, 0, 0, 4, 10, 0x73)
/* HSV.W a0, (a1) transformed. */
#define TINST_HSV_W_A0 ENC_R(0x35, 10, 0, 4, 0, 0x73)

/* Run one instruction in HS-mode (V = 0) and check it does not trap. */
.macro in_hs insn:vararg
        vrun_in 0, PRV_S
        \insn
        vrun_end 0, PRV_S
.endm
/* xtinst (value in reg): zero or `val`. */
.macro check_tinst reg, val
        beqz \reg, 1101f
        CHECK_EQ(\reg, \val)
1101:
.endm
.macro set_hstatus val
        li t0, HSTATUS_VSXL_64 | (\val)
        csrw CSR_HSTATUS, t0
.endm

TEST_BEGIN
        hyp_init
        li t0, DATA_PAGE(1)
        li t1, DATA
        sd t1, 0(t0)
        sd zero, 8(t0)
        li t0, DATA_PAGE(5)
        li t1, DATA
        sd t1, 0(t0)
        .irp p, 8, 9, 10, 11, 12, 13
        page_zero PT_PAGE(\p)
        .endr
        pte_set G_ROOT, 2, 0x80000000, GLEAF
        pte_ptr G_ROOT, 0, G_L1
        pte_ptr G_L1, 1, G_L0
        pte_set G_L0, 1, DATA_PAGE(1), GLEAF
        pte_set G_L0, 2, DATA_PAGE(1), PTE_V | PTE_R | PTE_U | PTE_A             /* R only */
        pte_set G_L0, 5, DATA_PAGE(5), PTE_V | PTE_X | PTE_U | PTE_A             /* X only */
        li t0, HGATP_MODE_SV39X4 | (G_ROOT >> 12)
        csrw CSR_HGATP, t0
        hfence_gvma
        /* VS-stage (used from case 20 on): TEST_VA(n) -> GPA(1) with various permissions. */
        vm_std_layout
        map_test_page 1, GPA(1), PTE_LEAF_RWX                                   /* VS only */
        map_test_page 2, GPA(1), PTE_LEAF_RWX | PTE_U                           /* VU */
        map_test_page 3, GPA(1), PTE_V | PTE_X | PTE_A | PTE_D                  /* X only */
        map_test_page 5, GPA(5), PTE_LEAF_RWX                                   /* G: X only */

        /* vsatp Bare, SPVP = 1: every HLV width from HS-mode, with sign or zero extension. */
        TEST_CASE(1)
        set_hstatus HSTATUS_SPVP
        li a1, GPA(1)
        vrun_in 0, PRV_S
        hlv_b a2, a1
        addi a1, a1, 3
        hlv_b a3, a1
        hlv_bu a4, a1
        addi a1, a1, -1
        hlv_h a5, a1
        hlv_hu a6, a1
        addi a1, a1, -2
        hlv_w a7, a1
        vrun_end 0, PRV_S
        CHECK_EQ(a2, 0x21)
        CHECK_EQ(a3, 0xffffffffffffff87)
        CHECK_EQ(a4, 0x87)
        CHECK_EQ(a5, 0xffffffffffff8765)
        CHECK_EQ(a6, 0x8765)
        CHECK_EQ(a7, 0xffffffff87654321)
        TEST_CASE(2)
        vrun_in 0, PRV_S
        hlv_wu a7, a1
        hlv_d a6, a1
        addi a1, a1, 4
        hlv_w a5, a1
        hlv_h a4, a1
        vrun_end 0, PRV_S
        CHECK_EQ(a7, 0x87654321)
        CHECK_EQ(a6, DATA)
        CHECK_EQ(a5, 0xfffffffffedcba98)
        CHECK_EQ(a4, 0xffffffffffffba98)
        /* HSV of each width (SPVP = 0: VU; U = 1 G-stage leaves allow both). */
        TEST_CASE(3)
        set_hstatus 0
        li a1, GPA(1) + 8
        li a2, 0x1122334455667788
        li a3, GPA(1) + 8
        vrun_in 0, PRV_S
        hsv_d a2, a1
        addi a1, a1, 1
        hsv_b zero, a1
        addi a1, a1, 1
        hsv_h zero, a1
        addi a1, a1, 2
        hsv_w zero, a1
        hlv_d a0, a3
        vrun_end 0, PRV_S
        CHECK_EQ(a0, 0x0000000000000088)
        li t0, DATA_PAGE(1) + 8
        ld t0, 0(t0)
        CHECK_EQ(t0, 0x0000000000000088)

        /* M-mode executes them too, and MPRV does not change their translation: with MPRV = 1,
           MPV = 0, MPP = M they still go through the G-stage. */
        TEST_CASE(4)
        li a1, GPA(1)
        hlv_d a0, a1
        CHECK_EQ(a0, DATA)
        li t0, MSTATUS_MPRV | MSTATUS_MPP_M
        csrs mstatus, t0
        li t0, MSTATUS_MPV
        csrc mstatus, t0
        hlv_d a0, a1
        li t0, MSTATUS_MPRV
        csrc mstatus, t0
        CHECK_EQ(a0, DATA)
        /* U-mode with hstatus.HU = 1. */
        TEST_CASE(5)
        set_hstatus HSTATUS_HU
        vrun_in 0, PRV_U
        hlv_d a0, a1
        hlvx_hu a2, a1
        vrun_end 0, PRV_U
        CHECK_EQ(a0, DATA)
        CHECK_EQ(a2, 0x4321)
        set_hstatus 0

        /* HLVX needs execute, not read, permission: an X-only G-stage page reads; HLV on it is
           a load guest-page fault. */
        TEST_CASE(6)
        li a1, GPA(5)
        in_hs hlvx_wu a0, a1
        CHECK_EQ(a0, 0x87654321)
        in_hs hlvx_hu a0, a1
        CHECK_EQ(a0, 0x4321)
        TEST_CASE(7)
        vtrap_in 0, PRV_S, CAUSE_LOAD_GUEST_PAGE, GPA(5), hlv_w a0, a1
        li a1, GPA(2)                   /* (HLVX without X: hyp-strict.S) */
        /* HSV to a read-only G-stage page: store guest-page fault. */
        TEST_CASE(8)
        vtrap_in 0, PRV_S, CAUSE_STORE_GUEST_PAGE, GPA(2), hsv_w a0, a1

        /* Their guest-page faults taken into M from HS: MPV = 0 (the trap came from V=0); mtval = the guest virtual address, mtval2 = GPA >> 2 or 0; mtinst = 0 or the
           transformed HLV.D (address offset 0). */
        TEST_CASE(9)
        .option push
        .option norvc
        li a1, GPA(7) + 0x48
        vtrap_in 0, PRV_S, CAUSE_LOAD_GUEST_PAGE, GPA(7) + 0x48, hlv_d a0, a1
        .option pop
        CHECK_FIELD(s5, MSTATUS_MPV, 0)     /* (GVA = 1: hyp-strict.S) */
        csrr t1, CSR_MTVAL2
        beqz t1, 1f
        CHECK_EQ(t1, (GPA(7) + 0x48) >> 2)
1:      csrr t1, CSR_MTINST
        check_tinst t1, TINST_HLV_D_A0
        /* Delegated to HS: SPV = 0, GVA = 1, stval = GVA, htval = GPA >> 2 or 0, htinst = 0 or
           the transformed HSV.W. */
        TEST_CASE(10)
        li t0, (1 << CAUSE_LOAD_GUEST_PAGE) | (1 << CAUSE_STORE_GUEST_PAGE)
        csrw medeleg, t0
        set_hstatus HSTATUS_SPV
        expect_trap 1f
        venter 0, PRV_S, 2f
2:      hsv_w a0, a1
        j fail
1:      check_hs_trap CAUSE_STORE_GUEST_PAGE, 2b
        check_csr stval, GPA(7) + 0x48
        csrr t1, CSR_HSTATUS
        CHECK_FIELD(t1, HSTATUS_SPV | HSTATUS_GVA, HSTATUS_GVA)
        csrr t1, CSR_HTVAL
        beqz t1, 3f
        CHECK_EQ(t1, (GPA(7) + 0x48) >> 2)
3:      csrr t1, CSR_HTINST
        check_tinst t1, TINST_HSV_W_A0
        csrw medeleg, zero
        /* From U-mode (HU = 1) delegated to HS: SPV = 0, SPP = 0, GVA = 1. */
        TEST_CASE(11)
        li t0, 1 << CAUSE_LOAD_GUEST_PAGE
        csrw medeleg, t0
        set_hstatus HSTATUS_HU
        expect_trap 1f
        venter 0, PRV_U, 2f
2:      hlv_b a0, a1
        j fail
1:      check_hs_trap CAUSE_LOAD_GUEST_PAGE, 2b
        csrr t1, CSR_HSTATUS
        CHECK_FIELD(t1, HSTATUS_SPV | HSTATUS_GVA, HSTATUS_GVA)
        CHECK_FIELD(s5, MSTATUS_SPP, 0)
        csrw medeleg, zero
        set_hstatus 0

        /* HS-level MXR (mstatus.MXR) makes an X-only G-stage page readable by HLV;
           vsstatus.MXR does not (it applies to the VS-stage only). */
        TEST_CASE(12)
        li a1, GPA(5)
        li t0, MSTATUS_MXR
        csrw CSR_VSSTATUS, t0
        vtrap_in 0, PRV_S, CAUSE_LOAD_GUEST_PAGE, GPA(5), hlv_d a0, a1
        TEST_CASE(13)
        csrw CSR_VSSTATUS, zero
        li t0, MSTATUS_MXR
        csrs mstatus, t0
        in_hs hlv_d a0, a1
        CHECK_EQ(a0, DATA)
        li t0, MSTATUS_MXR
        csrc mstatus, t0

        /* VS-stage Sv39 (vsatp, used by HLV although V = 0). */
        TEST_CASE(14)
        li t0, SATP_MODE_SV39 | (PT_PAGE(0) >> 12)
        csrw CSR_VSATP, t0
        hfence_vvma
        set_hstatus HSTATUS_SPVP
        li a1, TEST_VA(1)
        in_hs hlv_d a0, a1
        CHECK_EQ(a0, DATA)
        /* SPVP = 0 (VU): a VS page without U is a load page fault (13), mtval2 = 0. */
        TEST_CASE(15)
        set_hstatus 0
        li t0, 0x1234
        csrw CSR_MTVAL2, t0
        vtrap_in 0, PRV_S, CAUSE_LOAD_PAGE, TEST_VA(1), hlv_d a0, a1
        check_csr CSR_MTVAL2, 0
        /* SPVP = 0 reads a U page; SPVP = 1 cannot without vsstatus.SUM (the HS-level
           sstatus.SUM is ignored), and can with it. */
        TEST_CASE(16)
        li a1, TEST_VA(2)
        in_hs hlv_d a0, a1
        CHECK_EQ(a0, DATA)
        TEST_CASE(17)
        set_hstatus HSTATUS_SPVP
        li t0, MSTATUS_SUM
        csrs mstatus, t0
        csrw CSR_VSSTATUS, zero
        vtrap_in 0, PRV_S, CAUSE_LOAD_PAGE, TEST_VA(2), hlv_d a0, a1
        TEST_CASE(18)
        li t0, MSTATUS_SUM
        csrc mstatus, t0
        csrw CSR_VSSTATUS, t0
        in_hs hlv_d a0, a1
        CHECK_EQ(a0, DATA)
        csrw CSR_VSSTATUS, zero
        /* SPVP, not sstatus.SPP, sets the access mode: SPP = 1 with SPVP = 0 is still VU. */
        TEST_CASE(19)
        set_hstatus 0
        li t0, MSTATUS_SPP
        csrs mstatus, t0
        li a1, TEST_VA(1)
        vtrap_in 0, PRV_S, CAUSE_LOAD_PAGE, TEST_VA(1), hlv_d a0, a1
        li t0, MSTATUS_SPP
        csrc mstatus, t0
        set_hstatus HSTATUS_SPVP
        /* VS-stage X-only page: HLV faults (13) unless vsstatus.MXR or mstatus.MXR; HLVX reads
           it. */
        TEST_CASE(20)
        li a1, TEST_VA(3)
        vtrap_in 0, PRV_S, CAUSE_LOAD_PAGE, TEST_VA(3), hlv_d a0, a1
        TEST_CASE(21)
        in_hs hlvx_wu a0, a1
        CHECK_EQ(a0, 0x87654321)
        TEST_CASE(22)
        li t0, MSTATUS_MXR
        csrw CSR_VSSTATUS, t0
        in_hs hlv_d a0, a1
        CHECK_EQ(a0, DATA)
        TEST_CASE(23)
        csrw CSR_VSSTATUS, zero
        li t0, MSTATUS_MXR
        csrs mstatus, t0
        in_hs hlv_d a0, a1
        CHECK_EQ(a0, DATA)
        li t0, MSTATUS_MXR
        csrc mstatus, t0
        /* VS-stage RWX over a G-stage X-only page (TEST_VA(5) -> GPA(5)): vsstatus.MXR does not
           make the G-stage readable. */
        TEST_CASE(24)
        li t0, MSTATUS_MXR
        csrw CSR_VSSTATUS, t0
        li a1, TEST_VA(5)
        vtrap_in 0, PRV_S, CAUSE_LOAD_GUEST_PAGE, TEST_VA(5), hlv_d a0, a1
        csrr t1, CSR_MTVAL2
        beqz t1, 1f
        CHECK_EQ(t1, GPA(5) >> 2)
1:      csrw CSR_VSSTATUS, zero
        /* HSV through a VS page without U from VU (SPVP = 0): store page fault (15). */
        TEST_CASE(25)
        set_hstatus 0
        li a1, TEST_VA(1) + 0x10
        vtrap_in 0, PRV_S, CAUSE_STORE_PAGE, TEST_VA(1) + 0x10, hsv_d a0, a1

        /* A misaligned HLV or HSV across a page boundary (misaligned accesses to main memory
           work, Zicclsm) translates each page through both stages on its own: TEST_VA(1) and
           TEST_VA(2) both map GPA(1), so HLV.D at TEST_VA(2) - 4 reads GPA(1)'s last word, then
           its first (one translation for both would read DATA_PAGE(2)). */
        TEST_CASE(26)
        set_hstatus HSTATUS_SPVP
        li t0, MSTATUS_SUM
        csrw CSR_VSSTATUS, t0
        li t0, DATA_PAGE(1) + 0xffc
        li t1, 0x0badc0de
        sw t1, 0(t0)
        li t0, DATA_PAGE(2)
        sw zero, 0(t0)
        li a1, TEST_VA(2) - 4
        in_hs hlv_d a0, a1
        CHECK_EQ(a0, 0x876543210badc0de)
        csrw CSR_VSSTATUS, zero
        /* The second page fails the VS-stage (TEST_VA(3) has no U, SPVP = 0): a load page fault
           at the first byte of that page, mtval2 = 0. */
        TEST_CASE(27)
        set_hstatus 0
        li a1, TEST_VA(3) - 4
        vtrap_in 0, PRV_S, CAUSE_LOAD_PAGE, TEST_VA(3), hlv_d a0, a1
        check_csr CSR_MTVAL2, 0
        /* The second page fails the G-stage (vsatp Bare): GPA(3) is unmapped, GPA(2) read-only. */
        TEST_CASE(28)
        csrw CSR_VSATP, zero
        hfence_vvma
        li a1, GPA(3) - 4
        vtrap_in 0, PRV_S, CAUSE_LOAD_GUEST_PAGE, GPA(3), hlv_d a0, a1
        check_gpa CSR_MTVAL2, GPA(3)
        TEST_CASE(29)
        li a1, GPA(2) - 4
        vtrap_in 0, PRV_S, CAUSE_STORE_GUEST_PAGE, GPA(2), hsv_d a0, a1
        check_gpa CSR_MTVAL2, GPA(2)

        j pass

        priv_handlers
        hyp_handlers
TEST_END
