/* VS-level interrupts (privileged spec, "Hypervisor Extension": hvip/hip/hie, hideleg, vsip/vsie,
   Trap Cause Codes, Trap Entry): hvip injects VSSIP/VSTIP/VSEIP; with hideleg set they are taken
   in VS-mode as the supervisor interrupts 1/5/9 (vscause), when V=1 only, in VS with
   vsstatus.SIE and in VU always; with hideleg clear they go to HS as interrupts 2/6/10
   (scause, SPV), in VS/VU always and in HS with sstatus.SIE; priorities: SEI, SSI, STI, SGEI,
   VSEI, VSSI, VSTI for HS, the translated order for VS, and HS-bound before VS-bound interrupts;
   xtinst/xtval are zero for interrupts. (Timer interrupts from vstimecmp: hyp-timer.S.)
   isa-tests-cpu: h */
#include "test.h"
#include "priv.h"
#include "hyp.h"

/* Enter mode (v, prv) at a run of NOPs and expect an interrupt taken in VS (vs_ecall) with
   vscause = cause and vsepc at the first NOP. */
.macro irq_to_vs v, prv, cause
        expect_trap 1001f
        venter \v, \prv, 1002f
1002:   nop
        nop
        ecall
        j fail
1001:   check_vs_trap \cause, 1002b
.endm
/* The same for an interrupt taken in HS (hs_ecall): scause = cause, sepc at the first NOP. */
.macro irq_to_hs v, prv, cause
        expect_trap 1001f
        venter \v, \prv, 1002f
1002:   nop
        nop
        ecall
        j fail
1001:   check_hs_trap \cause, 1002b
.endm
/* Enter mode (v, prv) and check no interrupt is taken before an ECALL. */
.macro no_irq v, prv
        vrun_in \v, \prv
        nop
        nop
        vrun_end \v, \prv
.endm

TEST_BEGIN
        hyp_init
        csrw sie, zero
        csrw sip, zero

        /* hideleg = VS bits, vsie (hie) all set, vsstatus.SIE = 1. */
        li t0, MIP_VS_ALL
        csrw CSR_HIDELEG, t0
        csrw CSR_HIE, t0
        li t0, MSTATUS_SIE
        csrw CSR_VSSTATUS, t0

        /* hvip.VSSIP in VS-mode: a supervisor software interrupt (1) in VS: vscause, vsepc,
           vsstatus.SPP = 1, SPIE = 1, SIE = 0; vstval = 0. */
        TEST_CASE(1)
        li t0, 0x1234
        csrw CSR_VSTVAL, t0
        li t0, MIP_VSSIP
        csrw CSR_HVIP, t0
        irq_to_vs 1, PRV_S, CAUSE_INTR | IRQ_SSI
        csrr t1, CSR_VSSTATUS
        CHECK_FIELD(t1, MSTATUS_SPP | MSTATUS_SPIE | MSTATUS_SIE, MSTATUS_SPP | MSTATUS_SPIE)
        check_csr CSR_VSTVAL, 0
        /* hvip.VSTIP: supervisor timer interrupt (5); hvip.VSEIP: external (9). */
        TEST_CASE(2)
        li t0, MSTATUS_SIE
        csrw CSR_VSSTATUS, t0
        li t0, MIP_VSTIP
        csrw CSR_HVIP, t0
        irq_to_vs 1, PRV_S, CAUSE_INTR | IRQ_STI
        TEST_CASE(3)
        li t0, MSTATUS_SIE
        csrw CSR_VSSTATUS, t0
        li t0, MIP_VSEIP
        csrw CSR_HVIP, t0
        irq_to_vs 1, PRV_S, CAUSE_INTR | IRQ_SEI
        /* VU-mode takes them whatever vsstatus.SIE (vsstatus.SPP = 0). */
        TEST_CASE(4)
        csrw CSR_VSSTATUS, zero
        irq_to_vs 1, PRV_U, CAUSE_INTR | IRQ_SEI
        csrr t1, CSR_VSSTATUS
        CHECK_FIELD(t1, MSTATUS_SPP, 0)
        /* VS-mode with vsstatus.SIE = 0: not taken. */
        TEST_CASE(5)
        csrw CSR_VSSTATUS, zero
        no_irq 1, PRV_S
        /* V = 0 (HS with sstatus.SIE = 1, U): interrupts delegated to VS are not taken. */
        TEST_CASE(6)
        li t0, MSTATUS_SIE
        csrs mstatus, t0
        no_irq 0, PRV_S
        no_irq 0, PRV_U
        li t0, MSTATUS_SIE
        csrc mstatus, t0
        /* vsie (hie) clear: not taken in VU either. */
        TEST_CASE(7)
        csrw CSR_HIE, zero
        no_irq 1, PRV_U
        li t0, MIP_VS_ALL
        csrw CSR_HIE, t0

        /* Priority among VS interrupts taken in VS: SEI, then SSI, then STI. */
        TEST_CASE(8)
        li t0, MIP_VS_ALL
        csrw CSR_HVIP, t0
        irq_to_vs 1, PRV_U, CAUSE_INTR | IRQ_SEI
        TEST_CASE(9)
        li t0, MIP_VSSIP | MIP_VSTIP
        csrw CSR_HVIP, t0
        irq_to_vs 1, PRV_U, CAUSE_INTR | IRQ_SSI
        TEST_CASE(10)
        li t0, MIP_VSTIP
        csrw CSR_HVIP, t0
        irq_to_vs 1, PRV_U, CAUSE_INTR | IRQ_STI
        csrw CSR_HVIP, zero

        /* hideleg clear: the VS interrupts go to HS as 2, 6, 10 (untranslated), SPV = 1,
           htval = htinst = 0, taken in VS and VU whatever sstatus.SIE. */
        TEST_CASE(11)
        csrw CSR_HIDELEG, zero
        li t0, 0x1234
        csrw CSR_HTVAL, t0
        csrw CSR_HTINST, t0
        li t0, MIP_VSSIP
        csrw CSR_HVIP, t0
        irq_to_hs 1, PRV_S, CAUSE_INTR | IRQ_VSSI
        csrr t1, CSR_HSTATUS
        CHECK_FIELD(t1, HSTATUS_SPV | HSTATUS_SPVP, HSTATUS_SPV | HSTATUS_SPVP)
        check_csr CSR_HTVAL, 0
        check_csr CSR_HTINST, 0
        check_csr stval, 0
        TEST_CASE(12)
        li t0, MIP_VSTIP
        csrw CSR_HVIP, t0
        irq_to_hs 1, PRV_U, CAUSE_INTR | IRQ_VSTI
        TEST_CASE(13)
        li t0, MIP_VSEIP
        csrw CSR_HVIP, t0
        irq_to_hs 1, PRV_S, CAUSE_INTR | IRQ_VSEI
        /* In HS: taken with sstatus.SIE = 1 (SPV = 0), not with SIE = 0. */
        TEST_CASE(14)
        no_irq 0, PRV_S
        TEST_CASE(15)
        li t0, MSTATUS_SIE
        csrs mstatus, t0
        irq_to_hs 0, PRV_S, CAUSE_INTR | IRQ_VSEI
        csrr t1, CSR_HSTATUS
        CHECK_FIELD(t1, HSTATUS_SPV, 0)
        li t0, MSTATUS_SIE
        csrc mstatus, t0
        /* In U (V=0): taken. */
        TEST_CASE(16)
        irq_to_hs 0, PRV_U, CAUSE_INTR | IRQ_VSEI
        /* mip.VSEIP reads 1 (hip alias), and M-mode interrupts for it do not exist: mideleg bit
           10 is read-only one. */
        TEST_CASE(17)
        csrr t1, mip
        CHECK_FIELD(t1, MIP_VS_ALL, MIP_VSEIP)

        /* HS priorities: SEI, SSI, STI, then VSEI, VSSI, VSTI. */
        TEST_CASE(18)
        li t0, MIP_SSIP | MIP_STIP | MIP_SEIP
        csrw mideleg, t0
        csrw sie, t0
        li t0, MIP_VS_ALL
        csrw CSR_HVIP, t0
        li t0, MIP_SSIP
        csrs mip, t0
        irq_to_hs 1, PRV_U, CAUSE_INTR | IRQ_SSI
        TEST_CASE(19)
        li t0, MIP_SSIP
        csrc mip, t0
        li t0, MIP_STIP
        csrs mip, t0
        irq_to_hs 1, PRV_U, CAUSE_INTR | IRQ_STI
        TEST_CASE(20)
        li t0, MIP_STIP
        csrc mip, t0
        irq_to_hs 1, PRV_U, CAUSE_INTR | IRQ_VSEI
        TEST_CASE(21)
        li t0, MIP_VSSIP | MIP_VSTIP
        csrw CSR_HVIP, t0
        irq_to_hs 1, PRV_U, CAUSE_INTR | IRQ_VSSI
        TEST_CASE(22)
        li t0, MIP_VSTIP
        csrw CSR_HVIP, t0
        irq_to_hs 1, PRV_U, CAUSE_INTR | IRQ_VSTI
        csrw CSR_HVIP, zero

        /* An interrupt for HS (sip.SSIP) is taken before one delegated to VS (VSEIP, hideleg
           set), from VS-mode with vsstatus.SIE = 1. */
        TEST_CASE(23)
        li t0, MIP_VS_ALL
        csrw CSR_HIDELEG, t0
        li t0, MSTATUS_SIE
        csrw CSR_VSSTATUS, t0
        li t0, MIP_VSEIP
        csrw CSR_HVIP, t0
        li t0, MIP_SSIP
        csrs mip, t0
        irq_to_hs 1, PRV_S, CAUSE_INTR | IRQ_SSI
        li t0, MIP_SSIP
        csrc mip, t0
        /* ... and then the VS one, in VS. */
        TEST_CASE(24)
        li t0, MSTATUS_SIE
        csrw CSR_VSSTATUS, t0
        irq_to_vs 1, PRV_S, CAUSE_INTR | IRQ_SEI
        csrw CSR_HVIP, zero

        /* The vsip view inside VS: sip reads the pending VS interrupts translated (hideleg set),
           sie the translated enables. */
        TEST_CASE(25)
        csrw CSR_VSSTATUS, zero
        li t0, MIP_VSSIP | MIP_VSTIP
        csrw CSR_HVIP, t0
        li t0, MIP_VSEIP | MIP_VSSIP
        csrw CSR_HIE, t0
        vrun_in 1, PRV_S
        csrr a0, sip
        csrr a1, sie
        vrun_end 1, PRV_S
        CHECK_EQ(a0, MIP_SSIP | MIP_STIP)
        CHECK_EQ(a1, MIP_SEIP | MIP_SSIP)
        csrw CSR_HVIP, zero
        csrw CSR_HIE, zero
        csrw mideleg, zero
        csrw sie, zero

        /* Vectored vstvec: a VS interrupt goes to base + 4 * (translated cause): VSEIP -> 9. */
        TEST_CASE(26)
        li t0, MIP_VS_ALL
        csrw CSR_HIDELEG, t0
        csrw CSR_HIE, t0
        la t0, vs_vectors
        ori t0, t0, 1
        csrw CSR_VSTVEC, t0
        li t0, MIP_VSEIP
        csrw CSR_HVIP, t0
        expect_trap 1f
        venter 1, PRV_U, 2f
2:      nop
        ecall
        j fail
1:      CHECK_EQ(s2, CAUSE_ECALL_VS)
        la t0, vs_vectors
        addi t0, t0, 4 * IRQ_SEI
        bne s3, t0, fail
        check_csr CSR_VSCAUSE, CAUSE_INTR | IRQ_SEI
        csrw CSR_HVIP, zero
        csrw CSR_HIE, zero
        csrw CSR_HIDELEG, zero
        la t0, vs_ecall
        csrw CSR_VSTVEC, t0

        j pass

        .option push
        .option norvc
        .balign 256
vs_vectors:
        .rept 16
        ecall
        .endr
        .option pop

        priv_handlers
        hyp_handlers
TEST_END
