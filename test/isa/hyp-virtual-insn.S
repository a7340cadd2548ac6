/* The virtual-instruction exception (cause 22; privileged spec, "Hypervisor Extension", Trap
   Cause Codes): raised when V=1 for an HS-qualified instruction that V=1 prevents (hypervisor and
   VS CSRs, HLV/HLVX/HSV/HFENCE, supervisor CSRs and instructions from VU, WFI, counters masked
   by hcounteren/scounteren, hstatus.VTSR/VTW/VTVM, henvcfg.CBZE/CBCFE), and the cases that stay
   illegal instructions (not HS-qualified: M-level CSRs, writes to read-only CSRs, counters masked
   by mcounteren, mstatus.TW, FS = Off in either sstatus or vsstatus, anything from U-mode).
   mtval is written as for an illegal instruction: zero or the instruction bits.
   isa-tests-march: rv64gc_zicbom_zicboz
   isa-tests-cpu: h */
#include "test.h"
#include "priv.h"
#include "hyp.h"

/* Run `insn` in mode (v, prv) and check it trapped to M with `cause`, mepc at it, and
   mtval = 0 or its encoding. */
.macro insn_trap v, prv, cause, insn:vararg
        .option push
        .option norvc                   /* 4-byte encodings, compared with mtval below */
        vtrap_in \v, \prv, \cause, any, \insn
        .option pop
        beqz s4, 1101f
        la t0, 1001b
        lwu t0, 0(t0)
        bne s4, t0, fail
1101:
.endm
.macro virt v, prv, insn:vararg
        insn_trap \v, \prv, CAUSE_VIRTUAL_INSN, \insn
.endm
.macro illegal v, prv, insn:vararg
        insn_trap \v, \prv, CAUSE_ILLEGAL, \insn
.endm
/* Run `insn` in mode (v, prv) and check that it does not trap. */
.macro runs v, prv, insn:vararg
        vrun_in \v, \prv
        \insn
        vrun_end \v, \prv
.endm

/* The hypervisor CSRs of a hart without guest external interrupts or a time CSR requirement
   (htimedelta is left to hyp-timer.S), and the VS CSRs (vstimecmp likewise). */
#define H_CSRS CSR_HSTATUS, CSR_HEDELEG, CSR_HIDELEG, CSR_HIE, CSR_HCOUNTEREN, CSR_HGEIE, \
        CSR_HENVCFG, CSR_HTVAL, CSR_HIP, CSR_HVIP, CSR_HTINST, CSR_HGATP
#define VS_CSRS CSR_VSSTATUS, CSR_VSIE, CSR_VSTVEC, CSR_VSSCRATCH, CSR_VSEPC, CSR_VSCAUSE, \
        CSR_VSTVAL, CSR_VSIP, CSR_VSATP
#define S_CSRS sstatus, sie, stvec, scounteren, CSR_SENVCFG, sscratch, sepc, scause, stval, sip, satp

TEST_BEGIN
        hyp_init

        /* Hypervisor CSRs from VS and VU: reads and writes are virtual instructions. */
        TEST_CASE(1)
        .irp csr, H_CSRS
        virt 1, PRV_S, csrr a0, \csr
        virt 1, PRV_S, csrw \csr, zero
        virt 1, PRV_U, csrr a0, \csr
        virt 1, PRV_U, csrs \csr, zero
        .endr
        /* hgeip is read-only: a read is virtual, a write illegal (not allowed in HS either). */
        TEST_CASE(2)
        virt 1, PRV_S, csrr a0, CSR_HGEIP
        virt 1, PRV_U, csrr a0, CSR_HGEIP
        illegal 1, PRV_S, csrw CSR_HGEIP, zero
        illegal 1, PRV_U, csrw CSR_HGEIP, zero
        /* VS CSRs by their own numbers from VS and VU: virtual instructions. */
        TEST_CASE(3)
        .irp csr, VS_CSRS
        virt 1, PRV_S, csrr a0, \csr
        virt 1, PRV_S, csrw \csr, zero
        virt 1, PRV_U, csrr a0, \csr
        .endr
        /* (Supervisor CSRs from VU are virtual instructions too: hyp-strict.S, QEMU makes them
           illegal.) */
        /* The same CSRs from U-mode (V=0): illegal instructions. */
        TEST_CASE(4)
        .irp csr, H_CSRS, CSR_HGEIP, VS_CSRS, S_CSRS
        illegal 0, PRV_U, csrr a0, \csr
        .endr
        /* Machine CSRs from VS and VU: illegal (not allowed in HS-mode either). */
        TEST_CASE(5)
        .irp csr, mstatus, misa, mtvec, mscratch, mepc, CSR_MTVAL2, CSR_MTINST, mhartid
        illegal 1, PRV_S, csrr a0, \csr
        illegal 1, PRV_U, csrr a0, \csr
        .endr
        /* Writes to read-only user CSRs (cycle) are illegal in VS too. */
        TEST_CASE(6)
        li t0, CNT_CY
        csrw mcounteren, t0
        csrw CSR_HCOUNTEREN, t0
        illegal 1, PRV_S, csrw cycle, zero
        csrw mcounteren, zero
        csrw CSR_HCOUNTEREN, zero

        /* HLV, HLVX, HSV, HFENCE.VVMA, HFENCE.GVMA in VS and VU: virtual instructions, whatever
           hstatus.HU. */
        TEST_CASE(7)
        li a1, DATA_PAGE(0)
        .irp hu, 0, HSTATUS_HU
        li t0, HSTATUS_VSXL_64 | \hu
        csrw CSR_HSTATUS, t0
        .irp v_prv, "1, 1", "1, 0"         /* (VS, VU: the assembler sees no PRV_* inside quotes) */
        virt \v_prv, hlv_b a0, a1
        virt \v_prv, hlv_bu a0, a1
        virt \v_prv, hlv_h a0, a1
        virt \v_prv, hlv_hu a0, a1
        virt \v_prv, hlv_w a0, a1
        virt \v_prv, hlv_wu a0, a1
        virt \v_prv, hlv_d a0, a1
        virt \v_prv, hlvx_hu a0, a1
        virt \v_prv, hlvx_wu a0, a1
        virt \v_prv, hsv_b a0, a1
        virt \v_prv, hsv_h a0, a1
        virt \v_prv, hsv_w a0, a1
        virt \v_prv, hsv_d a0, a1
        virt \v_prv, hfence_vvma
        virt \v_prv, hfence_gvma
        virt \v_prv, hfence_vvma a1, a2
        virt \v_prv, hfence_gvma a1, a2
        .endr
        .endr
        /* In U-mode with HU = 0 they are all illegal; HFENCE stays illegal with HU = 1. */
        TEST_CASE(8)
        li t0, HSTATUS_VSXL_64
        csrw CSR_HSTATUS, t0
        illegal 0, PRV_U, hlv_b a0, a1
        illegal 0, PRV_U, hlv_d a0, a1
        illegal 0, PRV_U, hlvx_wu a0, a1
        illegal 0, PRV_U, hsv_w a0, a1
        illegal 0, PRV_U, hfence_vvma
        illegal 0, PRV_U, hfence_gvma
        li t0, HSTATUS_VSXL_64 | HSTATUS_HU
        csrw CSR_HSTATUS, t0
        illegal 0, PRV_U, hfence_vvma
        illegal 0, PRV_U, hfence_gvma
        li t0, HSTATUS_VSXL_64
        csrw CSR_HSTATUS, t0

        /* Supervisor instructions from VU: SRET, SFENCE.VMA, WFI (mstatus.TW = 0) are virtual;
           from U (V=0) illegal. */
        TEST_CASE(9)
        virt 1, PRV_U, sfence.vma
        virt 1, PRV_U, sfence.vma a1, zero
        virt 1, PRV_U, wfi
        illegal 0, PRV_U, sret
        illegal 0, PRV_U, sfence.vma
        illegal 0, PRV_U, wfi

        /* hstatus.VTSR: SRET in VS is virtual. */
        TEST_CASE(10)
        li t0, HSTATUS_VSXL_64 | HSTATUS_VTSR
        csrw CSR_HSTATUS, t0
        virt 1, PRV_S, sret
        /* (SRET in HS is not affected: to VS.) */
        li t0, HSTATUS_VSXL_64 | HSTATUS_VTSR | HSTATUS_SPV
        csrw CSR_HSTATUS, t0
        li t0, MSTATUS_SPP
        csrs mstatus, t0
        la t0, 2f
        csrw sepc, t0
        expect_trap 1f
        venter 0, PRV_S, 3f
3:      sret
        j fail
2:      ecall
        j fail
1:      CHECK_EQ(s2, CAUSE_ECALL_VS)

        /* hstatus.VTVM: SFENCE.VMA and satp in VS are virtual; HFENCE.VVMA in HS and vsatp
           from HS are not affected. */
        TEST_CASE(11)
        li t0, HSTATUS_VSXL_64 | HSTATUS_VTVM
        csrw CSR_HSTATUS, t0
        virt 1, PRV_S, sfence.vma
        virt 1, PRV_S, sfence.vma a1, a2
        virt 1, PRV_S, csrr a0, satp
        virt 1, PRV_S, csrw satp, zero
        runs 0, PRV_S, hfence_vvma
        runs 0, PRV_S, csrr a0, CSR_VSATP
        runs 0, PRV_S, sfence.vma
        /* VTVM = 0: the same run in VS. */
        TEST_CASE(12)
        li t0, HSTATUS_VSXL_64
        csrw CSR_HSTATUS, t0
        runs 1, PRV_S, sfence.vma
        runs 1, PRV_S, csrr a0, satp
        /* mstatus.TVM affects HS only: satp and SFENCE.VMA in VS run; in HS they and
           HFENCE.GVMA are illegal; HFENCE.VVMA in HS runs. */
        TEST_CASE(13)
        li t0, MSTATUS_TVM
        csrs mstatus, t0
        runs 1, PRV_S, sfence.vma
        runs 1, PRV_S, csrr a0, satp
        illegal 0, PRV_S, sfence.vma
        illegal 0, PRV_S, csrr a0, satp
        illegal 0, PRV_S, hfence_gvma
        runs 0, PRV_S, hfence_vvma
        runs 0, PRV_M, hfence_gvma
        li t0, MSTATUS_TVM
        csrc mstatus, t0

        /* WFI in VS: with hstatus.VTW = 1 (TW = 0) and nothing to wake it, virtual; with
           mstatus.TW = 1 illegal (TW wins); with neither, it completes: a locally enabled
           pending interrupt that is globally disabled (VSSIP through hideleg, vsstatus.SIE = 0)
           wakes it. */
        TEST_CASE(14)
        li t0, HSTATUS_VSXL_64 | HSTATUS_VTW
        csrw CSR_HSTATUS, t0
        virt 1, PRV_S, wfi
        TEST_CASE(15)
        li t0, MSTATUS_TW
        csrs mstatus, t0
        illegal 1, PRV_S, wfi
        illegal 0, PRV_S, wfi           /* (VU: hyp-strict.S) */
        li t0, MSTATUS_TW
        csrc mstatus, t0
        TEST_CASE(16)
        li t0, HSTATUS_VSXL_64
        csrw CSR_HSTATUS, t0
        li t0, MIP_VSSIP
        csrw CSR_HIDELEG, t0
        csrw CSR_HIE, t0
        csrw CSR_HVIP, t0
        csrw CSR_VSSTATUS, zero
        runs 1, PRV_S, wfi
        csrw CSR_HVIP, zero
        csrw CSR_HIE, zero
        csrw CSR_HIDELEG, zero

        /* Counters: mcounteren = 0 -> illegal in VS and VU; mcounteren = 1, hcounteren = 0 ->
           virtual in VS and VU; hcounteren = 1, scounteren = 0 -> VS reads, VU virtual; all
           three set -> VU reads. (cycle, instret, hpmcounter3.) */
        TEST_CASE(17)
        csrw mcounteren, zero
        csrw CSR_HCOUNTEREN, zero
        csrw scounteren, zero
        .irp ctr, cycle, instret, hpmcounter3
        illegal 1, PRV_S, csrr a0, \ctr
        illegal 1, PRV_U, csrr a0, \ctr
        .endr
        TEST_CASE(18)
        li t0, CNT_CY | CNT_IR | 8
        csrw mcounteren, t0
        .irp ctr, cycle, instret, hpmcounter3
        virt 1, PRV_S, csrr a0, \ctr
        virt 1, PRV_U, csrr a0, \ctr
        .endr
        TEST_CASE(19)
        li t0, CNT_CY | CNT_IR | 8
        csrw CSR_HCOUNTEREN, t0
        .irp ctr, cycle, instret, hpmcounter3
        runs 1, PRV_S, csrr a0, \ctr
        virt 1, PRV_U, csrr a0, \ctr
        .endr
        TEST_CASE(20)
        li t0, CNT_CY | CNT_IR | 8
        csrw scounteren, t0
        .irp ctr, cycle, instret, hpmcounter3
        runs 1, PRV_U, csrr a0, \ctr
        .endr
        /* scounteren set but hcounteren clear: VU is virtual. */
        TEST_CASE(21)
        csrw CSR_HCOUNTEREN, zero
        virt 1, PRV_U, rdcycle a0
        /* hcounteren set but mcounteren clear: illegal. */
        TEST_CASE(22)
        li t0, CNT_CY
        csrw CSR_HCOUNTEREN, t0
        csrw mcounteren, zero
        illegal 1, PRV_S, rdcycle a0
        illegal 1, PRV_U, rdcycle a0
        csrw CSR_HCOUNTEREN, zero
        csrw scounteren, zero

        /* FS = Off in vsstatus or in sstatus: floating-point instructions and fcsr are illegal in
           V=1, never virtual. */
        TEST_CASE(23)
        li t0, MSTATUS_FS_INITIAL
        csrw CSR_VSSTATUS, zero
        illegal 1, PRV_S, fadd.d f0, f1, f2
        illegal 1, PRV_S, csrr a0, fcsr
        illegal 1, PRV_U, fmv.x.d a0, f1
        TEST_CASE(24)
        li t0, MSTATUS_FS_INITIAL
        csrw CSR_VSSTATUS, t0
        runs 1, PRV_S, fadd.d f0, f1, f2
        li t0, MSTATUS_FS
        csrc mstatus, t0
        illegal 1, PRV_S, fadd.d f0, f1, f2
        illegal 1, PRV_U, csrr a0, frm
        li t0, MSTATUS_FS_INITIAL
        csrs mstatus, t0
        /* Both dirty after a floating-point write in VS. */
        TEST_CASE(25)
        li t0, MSTATUS_FS
        csrc mstatus, t0
        li t0, MSTATUS_FS_INITIAL
        csrs mstatus, t0
        csrw CSR_VSSTATUS, t0
        runs 1, PRV_S, fmv.d.x f3, zero
        csrr t1, mstatus
        CHECK_FIELD(t1, MSTATUS_FS, MSTATUS_FS_DIRTY)
        csrr t1, CSR_VSSTATUS
        CHECK_FIELD(t1, MSTATUS_FS, MSTATUS_FS_DIRTY)

        /* Cache-block operations: enabled by menvcfg but not henvcfg -> virtual in VS and VU;
           disabled by menvcfg -> illegal. */
        TEST_CASE(26)
        li t0, MENVCFG_CBZE | MENVCFG_CBCFE
        csrs menvcfg, t0
        csrs CSR_SENVCFG, t0
        csrw CSR_HENVCFG, zero
        virt 1, PRV_S, cbo.zero 0(a1)
        virt 1, PRV_U, cbo.zero 0(a1)
        virt 1, PRV_S, cbo.clean 0(a1)
        virt 1, PRV_S, cbo.flush 0(a1)
        TEST_CASE(27)
        li t0, HENVCFG_CBZE | HENVCFG_CBCFE
        csrw CSR_HENVCFG, t0
        runs 1, PRV_S, cbo.zero 0(a1)
        runs 1, PRV_S, cbo.clean 0(a1)
        runs 1, PRV_U, cbo.zero 0(a1)
        TEST_CASE(28)
        li t0, MENVCFG_CBZE | MENVCFG_CBCFE
        csrc menvcfg, t0
        illegal 1, PRV_S, cbo.zero 0(a1)
        illegal 1, PRV_U, cbo.clean 0(a1)
        csrw CSR_HENVCFG, zero
        csrw CSR_SENVCFG, zero

        /* Virtual instructions delegated: medeleg bit 22 sends them to HS (htval = 0, SPV = 1);
           hedeleg bit 22 is read-only zero, so they never reach VS. */
        TEST_CASE(29)
        li t0, 1 << CAUSE_VIRTUAL_INSN
        csrw medeleg, t0
        csrw CSR_HEDELEG, t0
        expect_trap 1f
        venter 1, PRV_S, 2f
2:      csrr a0, CSR_HSTATUS
        j fail
1:      check_hs_trap CAUSE_VIRTUAL_INSN, 2b
        csrr t1, CSR_HSTATUS
        CHECK_FIELD(t1, HSTATUS_SPV | HSTATUS_SPVP | HSTATUS_GVA, HSTATUS_SPV | HSTATUS_SPVP)
        check_csr CSR_HTVAL, 0
        csrr t1, stval
        beqz t1, 3f
        la t0, 2b
        lwu t0, 0(t0)
        bne t1, t0, fail
3:      csrw medeleg, zero
        csrw CSR_HEDELEG, zero

        j pass

        priv_handlers
        hyp_handlers
TEST_END
