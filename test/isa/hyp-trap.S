/* Traps and trap returns with the hypervisor extension (privileged spec, "Hypervisor Extension":
   Trap Entry, Trap Return, mstatus MPV/GVA, hstatus SPV/SPVP/GVA): entering VS/VU with MRET
   (MPV) and SRET (SPV), delegation M -> HS (medeleg) -> VS (hedeleg), what each trap writes
   (mcause/scause/vscause, MPV, MPP, GVA, SPV, SPVP, SPP, xIE/xPIE, htval, htinst, mtval2, mtinst),
   and SRET/MRET from each mode. Both translation stages are Bare: guest virtual, guest physical
   and physical addresses are the same.
   isa-tests-cpu: h */
#include "test.h"
#include "priv.h"
#include "hyp.h"

/* Transformed `ld a0, 8(a1)` (rs1 -> address offset 0, immediate -> 0): ld a0, 0(x0); for the
   compressed C.LD the same with bit 1 clear. */
#define TINST_LD_A0 0x00003503
#define TINST_C_LD_A0 0x00003501

/* mtinst/htinst value after a fault: zero or the transformed instruction `val`. */
.macro check_tinst reg, val
        beqz \reg, 1101f
        CHECK_EQ(\reg, \val)
1101:
.endm

TEST_BEGIN
        hyp_init

        /* ECALL from VS-mode, not delegated: M-mode, mcause 10, MPV = 1, MPP = S, GVA = 0,
           mtval = mtval2 = 0, mtinst = 0 (no transformation of ECALL is standard). */
        TEST_CASE(1)
        li t0, 0x1234
        csrw CSR_MTVAL2, t0
        csrw CSR_MTINST, t0
        li t0, MSTATUS_GVA              /* (GVA = 1 beforehand: hyp-strict.S) */
        csrc mstatus, t0
        vrun_in 1, PRV_S
        vrun_end 1, PRV_S
        CHECK_FIELD(s5, MSTATUS_MPP | MSTATUS_MPV | MSTATUS_GVA, MSTATUS_MPP_S | MSTATUS_MPV)
        CHECK_EQ(s4, 0)
        check_csr CSR_MTVAL2, 0
        check_csr CSR_MTINST, 0

        /* ECALL from VU-mode: mcause 8 (as from U), MPV = 1, MPP = U. */
        TEST_CASE(2)
        vrun_in 1, PRV_U
        vrun_end 1, PRV_U
        CHECK_FIELD(s5, MSTATUS_MPP | MSTATUS_MPV, MSTATUS_MPV)

        /* ECALL from HS-mode and from U-mode: causes 9 and 8, MPV = 0. */
        TEST_CASE(3)
        vrun_in 0, PRV_S
        vrun_end 0, PRV_S
        CHECK_FIELD(s5, MSTATUS_MPP | MSTATUS_MPV, MSTATUS_MPP_S)
        TEST_CASE(4)
        vrun_in 0, PRV_U
        vrun_end 0, PRV_U
        CHECK_FIELD(s5, MSTATUS_MPP | MSTATUS_MPV, 0)

        /* MRET with MPP = M ignores MPV (stays in M, V = 0) and leaves MPV = 0, MPP = U. */
        TEST_CASE(5)
        li t0, MSTATUS_MPV
        csrs mstatus, t0
        set_mpp PRV_M
        la t0, 1f
        csrw mepc, t0
        mret
1:      csrr t1, mstatus
        CHECK_FIELD(t1, MSTATUS_MPP | MSTATUS_MPV, 0)
        vrun_in 0, PRV_M                /* (ECALL from M: MPV = 0) */
        vrun_end 0, PRV_M
        /* MRET to VS-mode clears MPV: a trap from VS into HS (delegated ECALL) then an ECALL from
           HS reaches M with MPV = 0. */
        TEST_CASE(6)
        li t0, (1 << CAUSE_ECALL_VS)
        csrw medeleg, t0
        expect_trap 1f
        venter 1, PRV_S, 2f
2:      ecall
        j fail
1:      check_hs_trap CAUSE_ECALL_VS, 2b
        csrw medeleg, zero

        /* ECALL from VU delegated to HS (medeleg only): scause 8, SPV = 1, SPVP = SPP = 0,
           GVA = 0, htval = htinst = 0; HS's SIE goes to SPIE. The VS CSRs are untouched. */
        TEST_CASE(7)
        li t0, (1 << CAUSE_ECALL_U)
        csrw medeleg, t0
        li t0, HSTATUS_SPVP | HSTATUS_GVA | HSTATUS_VSXL_64
        csrw CSR_HSTATUS, t0
        li t0, 0x4321
        csrw CSR_HTVAL, t0
        csrw CSR_HTINST, t0
        csrw CSR_VSCAUSE, t0
        li t0, MSTATUS_SIE
        csrs mstatus, t0
        expect_trap 1f
        venter 1, PRV_U, 2f
2:      ecall
        j fail
1:      check_hs_trap CAUSE_ECALL_U, 2b
        csrr t1, CSR_HSTATUS
        CHECK_FIELD(t1, HSTATUS_SPV | HSTATUS_SPVP | HSTATUS_GVA, HSTATUS_SPV)
        CHECK_FIELD(s5, MSTATUS_SPP | MSTATUS_SIE | MSTATUS_SPIE, MSTATUS_SPIE)
        check_csr stval, 0
        check_csr CSR_HTVAL, 0
        check_csr CSR_HTINST, 0
        check_csr CSR_VSCAUSE, 0x4321

        /* ECALL from VS delegated to HS (hedeleg bit 10 is read-only zero): scause 10, SPV = 1,
           SPVP = SPP = 1. */
        TEST_CASE(8)
        li t0, (1 << CAUSE_ECALL_VS)
        csrw medeleg, t0
        csrw CSR_HEDELEG, t0
        li t0, HSTATUS_VSXL_64
        csrw CSR_HSTATUS, t0
        expect_trap 1f
        venter 1, PRV_S, 2f
2:      ecall
        j fail
1:      check_hs_trap CAUSE_ECALL_VS, 2b
        csrr t1, CSR_HSTATUS
        CHECK_FIELD(t1, HSTATUS_SPV | HSTATUS_SPVP | HSTATUS_GVA, HSTATUS_SPV | HSTATUS_SPVP)
        CHECK_FIELD(s5, MSTATUS_SPP, MSTATUS_SPP)

        /* A trap into HS from V=0 sets SPV = 0 and leaves SPVP alone (both values). */
        TEST_CASE(9)
        li t0, (1 << CAUSE_ECALL_U)
        csrw medeleg, t0
        li t0, HSTATUS_SPV | HSTATUS_SPVP | HSTATUS_VSXL_64
        csrw CSR_HSTATUS, t0
        expect_trap 1f
        venter 0, PRV_U, 2f
2:      ecall
        j fail
1:      check_hs_trap CAUSE_ECALL_U, 2b
        csrr t1, CSR_HSTATUS
        CHECK_FIELD(t1, HSTATUS_SPV | HSTATUS_SPVP, HSTATUS_SPVP)
        TEST_CASE(10)
        li t0, HSTATUS_SPV | HSTATUS_VSXL_64
        csrw CSR_HSTATUS, t0
        expect_trap 1f
        venter 0, PRV_U, 2f
2:      ecall
        j fail
1:      check_hs_trap CAUSE_ECALL_U, 2b
        csrr t1, CSR_HSTATUS
        CHECK_FIELD(t1, HSTATUS_SPV | HSTATUS_SPVP, 0)

        /* ECALL from VU delegated on to VS (medeleg and hedeleg bit 8): vscause 8, vsepc,
           vsstatus.SPP = 0, SPIE = old SIE, SIE = 0; V stays 1; hstatus, sstatus, scause, sepc
           are not written. */
        TEST_CASE(11)
        li t0, (1 << CAUSE_ECALL_U)
        csrw medeleg, t0
        csrw CSR_HEDELEG, t0
        li t0, HSTATUS_SPVP | HSTATUS_VSXL_64
        csrw CSR_HSTATUS, t0
        li t0, 0x5555
        csrw scause, t0
        li t0, 0x5554                   /* even: sepc[0] is always zero (QEMU 10 keeps it) */
        csrw sepc, t0
        csrw CSR_VSSTATUS, zero
        li t0, MSTATUS_SIE | MSTATUS_SPP
        csrw CSR_VSSTATUS, t0
        expect_trap 1f
        venter 1, PRV_U, 2f
2:      ecall
        j fail
1:      check_vs_trap CAUSE_ECALL_U, 2b
        csrr t1, CSR_VSSTATUS
        CHECK_FIELD(t1, MSTATUS_SPP | MSTATUS_SIE | MSTATUS_SPIE, MSTATUS_SPIE)
        csrr t1, CSR_HSTATUS
        CHECK_FIELD(t1, HSTATUS_SPV | HSTATUS_SPVP | HSTATUS_GVA, HSTATUS_SPVP)
        check_csr scause, 0x5555
        check_csr sepc, 0x5554
        check_csr CSR_VSTVAL, 0
        /* The same exception from U-mode (V=0) is not delegated to VS: it stops at HS. */
        TEST_CASE(12)
        expect_trap 1f
        venter 0, PRV_U, 2f
2:      ecall
        j fail
1:      check_hs_trap CAUSE_ECALL_U, 2b

        /* Illegal instruction in VS delegated to VS: vscause 2, vsstatus.SPP = 1, vstval = 0 or
           the instruction bits. */
        TEST_CASE(13)
        li t0, (1 << CAUSE_ILLEGAL)
        csrw medeleg, t0
        csrw CSR_HEDELEG, t0
        csrw CSR_VSSTATUS, zero
        expect_trap 1f
        venter 1, PRV_S, 2f
2:      csrr a0, mstatus
        j fail
1:      check_vs_trap CAUSE_ILLEGAL, 2b
        csrr t1, CSR_VSSTATUS
        CHECK_FIELD(t1, MSTATUS_SPP, MSTATUS_SPP)
        csrr t1, CSR_VSTVAL
        beqz t1, 3f
        la t0, 2b
        lwu t0, 0(t0)
        bne t1, t0, fail
3:
        /* medeleg clear: the same exception goes to M even with hedeleg set. */
        TEST_CASE(14)
        csrw medeleg, zero
        vtrap_in 1, PRV_S, CAUSE_ILLEGAL, any, csrr a0, mstatus
        csrw CSR_HEDELEG, zero

        /* EBREAK in VS to M: a nonzero mtval is a guest virtual address (the pc), so GVA = 1;
           GVA = 0 if the hart writes mtval = 0. */
        TEST_CASE(15)
        vtrap_in 1, PRV_S, CAUSE_BREAKPOINT, any, ebreak
        li t1, 0
        beqz s4, 1f
        CHECK_LABEL(s4, 1001b)
        li t1, MSTATUS_GVA
1:      li t0, MSTATUS_GVA
        and t0, s5, t0
        bne t0, t1, fail
        /* EBREAK in VS delegated to HS: stval = 0 or the pc, SPV = SPVP = 1. (hstatus.GVA:
           hyp-strict.S.) */
        TEST_CASE(16)
        li t0, 1 << CAUSE_BREAKPOINT
        csrw medeleg, t0
        expect_trap 1f
        venter 1, PRV_S, 2f
2:      ebreak
        j fail
1:      check_hs_trap CAUSE_BREAKPOINT, 2b
        csrr t2, stval
        beqz t2, 3f
        CHECK_LABEL(t2, 2b)
3:      csrr t1, CSR_HSTATUS
        CHECK_FIELD(t1, HSTATUS_SPV | HSTATUS_SPVP, HSTATUS_SPV | HSTATUS_SPVP)
        /* EBREAK in HS: stval is not a guest virtual address, GVA = 0. */
        TEST_CASE(17)
        li t0, HSTATUS_GVA | HSTATUS_VSXL_64
        csrw CSR_HSTATUS, t0
        expect_trap 1f
        venter 0, PRV_S, 2f
2:      ebreak
        j fail
1:      check_hs_trap CAUSE_BREAKPOINT, 2b
        csrr t1, CSR_HSTATUS
        CHECK_FIELD(t1, HSTATUS_GVA | HSTATUS_SPV, 0)
        csrw medeleg, zero

        /* A load access fault (PMP) in VS: mtval = the guest virtual address, GVA = 1, MPV = 1,
           mtval2 = 0 (not a guest-page fault), mtinst = 0 or the transformed load. */
        TEST_CASE(18)
        pmp_entry 0, PMP_ADDR(DATA_PAGE(0) + 8), PMP_NA4
        pmp_entry 1, -1, PMP_NAPOT | PMP_RWX
        hfence_gvma
        li a1, DATA_PAGE(0)
        li t0, 0x1234
        csrw CSR_MTVAL2, t0
        .option push
        .option norvc
        vtrap_in 1, PRV_S, CAUSE_LOAD_ACCESS, DATA_PAGE(0) + 8, ld a0, 8(a1)
        .option pop
        CHECK_FIELD(s5, MSTATUS_GVA, MSTATUS_GVA)
        check_csr CSR_MTVAL2, 0
        csrr t1, CSR_MTINST
        check_tinst t1, TINST_LD_A0
        /* The same from HS (V=0): GVA = 0, MPV = 0. (From GVA = 1 beforehand: hyp-strict.S.) */
        TEST_CASE(19)
        li t0, MSTATUS_GVA
        csrc mstatus, t0
        vtrap_in 0, PRV_S, CAUSE_LOAD_ACCESS, DATA_PAGE(0) + 8, ld a0, 8(a1)
        CHECK_FIELD(s5, MSTATUS_GVA, 0)
        /* The same from VU (compressed, C.LD) delegated to HS: stval, hstatus.GVA = 1, SPV = 1,
           htval = 0, htinst 0 or the transformed C.LD. */
        TEST_CASE(20)
        li t0, 1 << CAUSE_LOAD_ACCESS
        csrw medeleg, t0
        li t0, 0x1234
        csrw CSR_HTVAL, t0
        expect_trap 1f
        venter 1, PRV_U, 2f
2:      ld a0, 8(a1)
        j fail
1:      check_hs_trap CAUSE_LOAD_ACCESS, 2b
        la t1, 2b                       /* (C.LD: its first halfword has bits 1:0 = 00) */
        lhu t1, 0(t1)
        andi t1, t1, 3
        bnez t1, fail
        check_csr stval, DATA_PAGE(0) + 8
        csrr t1, CSR_HSTATUS
        CHECK_FIELD(t1, HSTATUS_GVA | HSTATUS_SPV | HSTATUS_SPVP, HSTATUS_GVA | HSTATUS_SPV)
        check_csr CSR_HTVAL, 0
        csrr t1, CSR_HTINST
        check_tinst t1, TINST_C_LD_A0
        /* ... and on to VS (hedeleg bit 5): vstval = the address; hstatus untouched. */
        TEST_CASE(21)
        li t0, 1 << CAUSE_LOAD_ACCESS
        csrw CSR_HEDELEG, t0
        li t0, HSTATUS_VSXL_64
        csrw CSR_HSTATUS, t0
        expect_trap 1f
        venter 1, PRV_U, 2f
2:      ld a0, 8(a1)
        j fail
1:      check_vs_trap CAUSE_LOAD_ACCESS, 2b
        check_csr CSR_VSTVAL, DATA_PAGE(0) + 8
        csrr t1, CSR_HSTATUS
        CHECK_FIELD(t1, HSTATUS_GVA | HSTATUS_SPV, 0)
        csrw medeleg, zero
        csrw CSR_HEDELEG, zero
        /* A store and an AMO access fault in VS: mtinst = 0 or the transformed instruction
           (immediate zeroed, rs1 replaced by the address offset 0): SW a2, 0(x0) and
           AMOADD.W a0, a2, (x0). */
        TEST_CASE(22)
        .option push
        .option norvc
        li a1, DATA_PAGE(0) - 4
        vtrap_in 1, PRV_S, CAUSE_STORE_ACCESS, DATA_PAGE(0) + 8, sw a2, 12(a1)
        .option pop
        csrr t1, CSR_MTINST
        check_tinst t1, ENC_R(0, 12, 0, 2, 0, 0x23)
        TEST_CASE(23)
        li a1, DATA_PAGE(0) + 8
        vtrap_in 1, PRV_S, CAUSE_STORE_ACCESS, DATA_PAGE(0) + 8, amoadd.w a0, a2, (a1)
        csrr t1, CSR_MTINST
        check_tinst t1, ENC_R(0, 12, 0, 2, 10, 0x2f)
        pmp_open_all
        hfence_gvma

        /* SRET from HS: V = SPV, privilege = SPP; then SPV = 0, SPP = 0, SIE = SPIE, SPIE = 1.
           SPV = 1, SPP = 1: to VS. */
        TEST_CASE(24)
        li t0, HSTATUS_SPV | HSTATUS_VSXL_64
        csrw CSR_HSTATUS, t0
        li t0, MSTATUS_SPP | MSTATUS_SIE
        csrs mstatus, t0
        li t0, MSTATUS_SPIE
        csrc mstatus, t0
        la t0, 2f
        csrw sepc, t0
        expect_trap 1f
        venter 0, PRV_S, 3f
3:      sret
        j fail
2:      ecall
        j fail
1:      CHECK_EQ(s2, CAUSE_ECALL_VS)
        CHECK_LABEL(s3, 2b)
        CHECK_FIELD(s5, MSTATUS_MPV | MSTATUS_SPP | MSTATUS_SIE | MSTATUS_SPIE, MSTATUS_MPV | MSTATUS_SPIE)
        csrr t1, CSR_HSTATUS
        CHECK_FIELD(t1, HSTATUS_SPV, 0)
        /* SPV = 1, SPP = 0: to VU. */
        TEST_CASE(25)
        li t0, HSTATUS_SPV | HSTATUS_VSXL_64
        csrw CSR_HSTATUS, t0
        li t0, MSTATUS_SPP
        csrc mstatus, t0
        la t0, 2f
        csrw sepc, t0
        expect_trap 1f
        venter 0, PRV_S, 3f
3:      sret
        j fail
2:      ecall
        j fail
1:      CHECK_EQ(s2, CAUSE_ECALL_U)
        CHECK_LABEL(s3, 2b)
        CHECK_FIELD(s5, MSTATUS_MPV, MSTATUS_MPV)
        /* SPV = 0, SPP = 0: to U (V = 0). */
        TEST_CASE(26)
        li t0, HSTATUS_VSXL_64
        csrw CSR_HSTATUS, t0
        la t0, 2f
        csrw sepc, t0
        expect_trap 1f
        venter 0, PRV_S, 3f
3:      sret
        j fail
2:      ecall
        j fail
1:      CHECK_EQ(s2, CAUSE_ECALL_U)
        CHECK_LABEL(s3, 2b)
        CHECK_FIELD(s5, MSTATUS_MPV, 0)
        /* SRET in M-mode follows the same rule (SPV = 1, SPP = 1: to VS). */
        TEST_CASE(27)
        li t0, HSTATUS_SPV | HSTATUS_VSXL_64
        csrw CSR_HSTATUS, t0
        li t0, MSTATUS_SPP
        csrs mstatus, t0
        la t0, 2f
        csrw sepc, t0
        expect_trap 1f
        sret
        j fail
2:      ecall
        j fail
1:      CHECK_EQ(s2, CAUSE_ECALL_VS)
        CHECK_LABEL(s3, 2b)
        csrr t1, CSR_HSTATUS
        CHECK_FIELD(t1, HSTATUS_SPV, 0)

        /* SRET in VS uses vsstatus and vsepc: vsstatus.SPP = 0 -> VU; vsstatus.SIE = SPIE,
           SPIE = 1, SPP = 0; the HS-level sstatus, sepc and hstatus are not used. */
        TEST_CASE(28)
        li t0, HSTATUS_SPV | HSTATUS_VSXL_64   /* an HS-level SRET would go to VS */
        csrw CSR_HSTATUS, t0
        li t0, MSTATUS_SPP
        csrs mstatus, t0
        li t0, MSTATUS_SPIE
        csrw CSR_VSSTATUS, t0
        la t0, 2f
        csrw CSR_VSEPC, t0
        la t0, fail
        csrw sepc, t0
        expect_trap 1f
        venter 1, PRV_S, 3f
3:      sret
        j fail
2:      ecall
        j fail
1:      CHECK_EQ(s2, CAUSE_ECALL_U)
        CHECK_LABEL(s3, 2b)
        CHECK_FIELD(s5, MSTATUS_MPV | MSTATUS_SPP, MSTATUS_MPV | MSTATUS_SPP)
        csrr t1, CSR_VSSTATUS
        CHECK_FIELD(t1, MSTATUS_SPP | MSTATUS_SIE | MSTATUS_SPIE, MSTATUS_SIE | MSTATUS_SPIE)
        csrr t1, CSR_HSTATUS
        CHECK_FIELD(t1, HSTATUS_SPV, HSTATUS_SPV)
        /* vsstatus.SPP = 1: SRET in VS stays in VS. */
        TEST_CASE(29)
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
1:      CHECK_EQ(s2, CAUSE_ECALL_VS)
        CHECK_LABEL(s3, 2b)
        csrr t1, CSR_VSSTATUS
        CHECK_FIELD(t1, MSTATUS_SPP, 0)

        /* mstatus.TSR = 1: SRET in HS is illegal. (That SRET in VS is not affected:
           hyp-strict.S.) */
        TEST_CASE(30)
        li t0, MSTATUS_TSR
        csrs mstatus, t0
        TEST_CASE(31)
        vtrap_in 0, PRV_S, CAUSE_ILLEGAL, any, sret
        li t0, MSTATUS_TSR
        csrc mstatus, t0

        /* Vectored vstvec: an exception into VS goes to the base. */
        TEST_CASE(32)
        li t0, (1 << CAUSE_ECALL_U)
        csrw medeleg, t0
        csrw CSR_HEDELEG, t0
        la t0, vs_vector
        ori t0, t0, 1
        csrw CSR_VSTVEC, t0
        expect_trap 1f
        venter 1, PRV_U, 2f
2:      ecall
        j fail
1:      CHECK_EQ(s2, CAUSE_ECALL_VS)
        CHECK_LABEL(s3, vs_vector)
        check_csr CSR_VSCAUSE, CAUSE_ECALL_U
        la t0, vs_ecall
        csrw CSR_VSTVEC, t0
        csrw medeleg, zero
        csrw CSR_HEDELEG, zero

        j pass

        .balign 256
vs_vector:
        ecall
        j fail

        priv_handlers
        hyp_handlers
TEST_END
