/* Hypervisor-extension requirements on which the reference QEMU 10 departs from the privileged
   specification's hypervisor chapter. Every case here fails on QEMU 10 (checked one at a time);
   each sets up what it needs, independently of the cases before it:
     1  hstatus's WPRI bits read zero (csrs.adoc: "implementations that do not furnish these
        fields must make them read-only zero")                           QEMU: keeps every bit
     2  hedeleg bits 18 (software check) and 19 (hardware error) are writable (table "Bits of
        hedeleg that must be writable or must be read-only zero")        QEMU: read-only zero
     3  hideleg bits whose mideleg bit is zero are read-only zero         QEMU: 63:14 writable
     4  hvip's bits other than VSEIP/VSTIP/VSSIP (below 13) read zero    QEMU: shows mip.MTIP
     5  hgatp.PPN[1:0] read zero in Sv39x4 (16 KiB-aligned root)         QEMU: keeps them
     6  hgatp bits 59:58 (a WARL field whose only value is 0) read zero  QEMU: keeps them
     7  vsepc bit 0 reads zero (vsepc holds what sepc can hold)           QEMU: keeps bit 0
     8  vsstatus's WPRI bits read zero                                    QEMU: keeps every bit
     9  vsstatus.UXL is WARL: the reserved value 3 is not read back       QEMU: reads 3
    10  a trap into M that writes no guest virtual address clears
        mstatus.GVA (an ECALL from VS)                                    QEMU: leaves GVA = 1
    11  an HLV fault from HS writes a guest virtual address: mstatus.GVA
        = 1 although MPV = 0                                               QEMU: GVA = 0
    12  EBREAK in VS taken into HS with stval = the pc (a guest virtual
        address) sets hstatus.GVA                                          QEMU: GVA = 0
    13  mstatus.TSR affects HS-mode only: SRET in VS runs                 QEMU: illegal
    14  a supervisor CSR accessed from VU is a virtual instruction          QEMU: illegal
    15  SRET in VU is a virtual instruction                               QEMU: illegal
    16  WFI in VU with mstatus.TW = 1 is an illegal instruction (the
        virtual case requires TW = 0)                                     QEMU: virtual
    17  HLVX on a G-stage page without execute permission is a load
        guest-page fault (21), as for any load                            QEMU: fetch page fault 12
    18  setting A in a VS-stage PTE is an implicit store checked by the
        G-stage: a read-only G page faults (load guest-page fault,
        mtinst = 0x3020)                                                  QEMU: no fault
    19  hip.VSTIP is the OR of hvip.VSTIP and the vstimecmp signal while
        henvcfg.STCE = 1                                                  QEMU: hvip.VSTIP ignored
    20  setting A in a VS-stage PTE, an implicit store for the G-stage,
        sets D in the G-stage leaf of the page-table page (Svadu)          QEMU: leaves D clear
   isa-tests-cpu: h, sstc, svadu */
#include "test.h"
#include "priv.h"
#include "hyp.h"

#define HSTATUS_KNOWN (HSTATUS_VSBE | HSTATUS_GVA | HSTATUS_SPV | HSTATUS_SPVP | HSTATUS_HU | \
        HSTATUS_VGEIN | HSTATUS_VTVM | HSTATUS_VTW | HSTATUS_VTSR | HSTATUS_VSXL | HSTATUS_HUPMM)
#define G_ROOT PT_PAGE(8)               /* Sv39x4 root: 16 KiB, PT_PAGE(8..11) */
#define G_L1 PT_PAGE(12)
#define G_L0 PT_PAGE(13)                /* GPA 0x200000..0x3fffff */
#define VS_L0_RO PT_PAGE(14)            /* a VS level-0 table the G-stage maps read-only */
#define VS_L0_W PT_PAGE(15)             /* a VS level-0 table the G-stage maps writable, D = 0 */
#define GPA(n) (0x200000 + (n) * 0x1000)
#define GLEAF (PTE_V | PTE_R | PTE_W | PTE_X | PTE_U | PTE_A | PTE_D)

/* hgatp Sv39x4 over the tables built below (vsatp as given by the case). */
.macro hgatp_on
        li t0, HGATP_MODE_SV39X4 | (G_ROOT >> 12)
        csrw CSR_HGATP, t0
        hfence_gvma
.endm
.macro hgatp_off
        csrw CSR_HGATP, zero
        csrw CSR_VSATP, zero
        hfence_gvma
        hfence_vvma
.endm

TEST_BEGIN
        hyp_init
        .irp p, 8, 9, 10, 11, 12, 13, 14, 15
        page_zero PT_PAGE(\p)
        .endr
        pte_set G_ROOT, 2, 0x80000000, GLEAF
        pte_ptr G_ROOT, 0, G_L1
        pte_ptr G_L1, 1, G_L0
        pte_set G_L0, 1, DATA_PAGE(1), GLEAF
        pte_set G_L0, 2, DATA_PAGE(2), PTE_V | PTE_R | PTE_U | PTE_A          /* R only */
        pte_set G_L0, 9, VS_L0_RO, PTE_V | PTE_R | PTE_U | PTE_A              /* VS table, RO */
        vm_std_layout
        /* VA 0x600000 (VS level-1 entry 3): level-0 table at GPA(9), read-only in the G-stage;
           its entry 0 maps GPA(1) with A = D = 0. */
        pte_set PT_PAGE(1), 3, GPA(9), PTE_V
        pte_set VS_L0_RO, 0, GPA(1), PTE_V | PTE_R | PTE_W
        /* VA 0xa00000 (VS level-1 entry 5): level-0 table at GPA(11), writable in the G-stage
           with D = 0; its entry 0 maps GPA(1) with A = D = 0. */
        pte_set G_L0, 11, VS_L0_W, PTE_V | PTE_R | PTE_W | PTE_U | PTE_A
        pte_set PT_PAGE(1), 5, GPA(11), PTE_V
        pte_set VS_L0_W, 0, GPA(1), PTE_V | PTE_R | PTE_W

        TEST_CASE(1)
        li t0, ~HSTATUS_VGEIN
        csrw CSR_HSTATUS, t0
        csrr t1, CSR_HSTATUS
        li t0, HSTATUS_VSXL_64
        csrw CSR_HSTATUS, t0
        CHECK_FIELD(t1, ~HSTATUS_KNOWN, 0)

        TEST_CASE(2)
        li t0, (1 << 18) | (1 << 19)
        csrw CSR_HEDELEG, t0
        csrr t1, CSR_HEDELEG
        csrw CSR_HEDELEG, zero
        CHECK_EQ(t1, (1 << 18) | (1 << 19))

        TEST_CASE(3)
        csrw mideleg, zero
        li t0, -1
        csrw CSR_HIDELEG, t0
        csrr t1, CSR_HIDELEG
        csrw CSR_HIDELEG, zero
        CHECK_EQ(t1, MIP_VS_ALL)

        TEST_CASE(4)
        li t0, CLINT_MTIMECMP           /* mip.MTIP pending */
        sd zero, 0(t0)
        wait_mip MIP_MTIP, MIP_MTIP
        csrw CSR_HVIP, zero
        csrr a0, CSR_HVIP               /* (a0: the macro below clobbers t0..t2) */
        mtimecmp_set_max
        CHECK_FIELD(a0, 0x1fff, 0)

        TEST_CASE(5)
        li t0, HGATP_MODE_SV39X4 | ((PT_BASE >> 12) + 3)
        csrw CSR_HGATP, t0
        csrr t1, CSR_HGATP
        csrw CSR_HGATP, zero
        CHECK_FIELD(t1, 3, 0)

        TEST_CASE(6)
        li t0, HGATP_MODE_SV39X4 | (3 << 58) | (PT_BASE >> 12)
        csrw CSR_HGATP, t0
        csrr t1, CSR_HGATP
        csrw CSR_HGATP, zero
        CHECK_FIELD(t1, 3 << 58, 0)

        TEST_CASE(7)
        li t0, 0x80001235
        csrw CSR_VSEPC, t0
        check_csr CSR_VSEPC, 0x80001234

        TEST_CASE(8)
        li t0, ~HSTATUS_VSXL              /* (not UXL: case 9) */
        csrw CSR_VSSTATUS, t0
        csrr t1, CSR_VSSTATUS
        csrw CSR_VSSTATUS, zero
        CHECK_FIELD(t1, ~(SSTATUS_MASK | MSTATUS_SDT | MSTATUS_SPELP), 0)

        TEST_CASE(9)
        li t0, MSTATUS_UXL
        csrs CSR_VSSTATUS, t0
        csrr t1, CSR_VSSTATUS
        li t0, MSTATUS_UXL
        csrc CSR_VSSTATUS, t0
        li t0, 0x200000000
        csrs CSR_VSSTATUS, t0
        srli t1, t1, 32
        andi t1, t1, 3
        li t2, 3
        beq t1, t2, fail

        TEST_CASE(10)
        li t0, MSTATUS_GVA
        csrs mstatus, t0
        vrun_in 1, PRV_S
        vrun_end 1, PRV_S
        CHECK_FIELD(s5, MSTATUS_GVA, 0)

        TEST_CASE(11)
        hgatp_on
        li t0, MSTATUS_GVA
        csrc mstatus, t0
        li a1, GPA(7)
        vtrap_in 0, PRV_S, CAUSE_LOAD_GUEST_PAGE, GPA(7), hlv_d a0, a1
        hgatp_off
        CHECK_FIELD(s5, MSTATUS_GVA | MSTATUS_MPV, MSTATUS_GVA)

        TEST_CASE(12)
        li t0, 1 << CAUSE_BREAKPOINT
        csrw medeleg, t0
        li t0, HSTATUS_VSXL_64
        csrw CSR_HSTATUS, t0
        expect_trap 1f
        venter 1, PRV_S, 2f
2:      ebreak
        j fail
1:      csrw medeleg, zero
        check_hs_trap CAUSE_BREAKPOINT, 2b
        csrr t2, stval
        beqz t2, 3f                     /* stval = 0: no guest virtual address, GVA = 0 */
        csrr t1, CSR_HSTATUS
        CHECK_FIELD(t1, HSTATUS_GVA, HSTATUS_GVA)
3:

        TEST_CASE(13)
        li t0, MSTATUS_TSR
        csrs mstatus, t0
        li t0, MSTATUS_SPP
        csrw CSR_VSSTATUS, t0
        la t0, 2f
        csrw CSR_VSEPC, t0
        expect_trap 1f
        venter 1, PRV_S, 3f
3:      sret
        j fail
2:      ecall
        j fail
1:      li t0, MSTATUS_TSR
        csrc mstatus, t0
        CHECK_EQ(s2, CAUSE_ECALL_VS)
        CHECK_LABEL(s3, 2b)

        TEST_CASE(14)
        .irp csr, sstatus, sscratch, satp
        vtrap_in 1, PRV_U, CAUSE_VIRTUAL_INSN, any, csrr a0, \csr
        .endr

        TEST_CASE(15)
        vtrap_in 1, PRV_U, CAUSE_VIRTUAL_INSN, any, sret

        TEST_CASE(16)
        li t0, MSTATUS_TW
        csrs mstatus, t0
        expect_trap 1f
        venter 1, PRV_U, 2f
2:      wfi
        j fail
1:      li t0, MSTATUS_TW
        csrc mstatus, t0
        CHECK_EQ(s2, CAUSE_ILLEGAL)
        CHECK_LABEL(s3, 2b)

        TEST_CASE(17)
        hgatp_on
        li a1, GPA(2)
        li t0, HSTATUS_VSXL_64
        csrw CSR_HSTATUS, t0
        vtrap_in 0, PRV_S, CAUSE_LOAD_GUEST_PAGE, GPA(2), hlvx_wu a0, a1
        hgatp_off

        TEST_CASE(18)
        li t0, MENVCFG_ADUE
        csrs menvcfg, t0
        li t0, HENVCFG_ADUE
        csrw CSR_HENVCFG, t0
        li t0, SATP_MODE_SV39 | (PT_PAGE(0) >> 12)
        csrw CSR_VSATP, t0
        hgatp_on
        hfence_vvma
        li a1, 0x600000 + 0x38
        vtrap_in 1, PRV_S, CAUSE_LOAD_GUEST_PAGE, 0x600000 + 0x38, ld a0, 0(a1)
        hgatp_off
        csrw CSR_HENVCFG, zero
        csrr t1, CSR_MTVAL2
        beqz t1, 3f
        CHECK_EQ(t1, GPA(9) >> 2)
        check_csr CSR_MTINST, TINST_PT_WRITE
3:      pte_get t1, VS_L0_RO, 0
        CHECK_EQ(t1, ((GPA(1) >> 12) << 10) | PTE_V | PTE_R | PTE_W)

        TEST_CASE(19)
        li t0, MENVCFG_STCE
        csrs menvcfg, t0
        li t0, HENVCFG_STCE
        csrw CSR_HENVCFG, t0
        li t0, MIP_VSTIP
        csrw CSR_HVIP, t0
        csrr t1, CSR_HIP
        csrw CSR_HVIP, zero
        csrw CSR_HENVCFG, zero
        CHECK_FIELD(t1, MIP_VSTIP, MIP_VSTIP)

        TEST_CASE(20)
        li t0, MENVCFG_ADUE
        csrs menvcfg, t0
        li t0, HENVCFG_ADUE
        csrw CSR_HENVCFG, t0
        li t0, SATP_MODE_SV39 | (PT_PAGE(0) >> 12)
        csrw CSR_VSATP, t0
        hgatp_on
        hfence_vvma
        li a1, 0xa00000
        vrun_in 1, PRV_S
        ld a0, 0(a1)
        vrun_end 1, PRV_S
        hgatp_off
        csrw CSR_HENVCFG, zero
        pte_get t1, VS_L0_W, 0
        CHECK_EQ(t1, ((GPA(1) >> 12) << 10) | PTE_V | PTE_R | PTE_W | PTE_A)
        pte_get t1, G_L0, 11
        CHECK_EQ(t1, ((VS_L0_W >> 12) << 10) | PTE_V | PTE_R | PTE_W | PTE_U | PTE_A | PTE_D)

        j pass

        priv_handlers
        hyp_handlers
TEST_END
