/* Interrupts (privileged spec 3.1.9, 3.2.1, 3.3.3; CLINT of the spike board): machine timer from
   mtime >= mtimecmp (MTIP), machine software interrupt from msip (MSIP), supervisor software,
   timer and external interrupts from bits M sets in mip, enabling by mstatus.MIE/SIE and mie,
   immediate recognition after the CSR write or xRET that enables them, M-level interrupts before
   S-level ones, WFI waking with MIE = 0, and mcause/scause with the interrupt bit (63).
   Priority among same-destination interrupts is in priv-irq-prio.S. */
#include "test.h"
#include "priv.h"

.macro msip_set v
        li t0, CLINT_MSIP
        li t1, \v
        sw t1, 0(t0)
.endm

TEST_BEGIN
        priv_init
        set_mtvec mtrap_record
        set_stvec strap_record
        mtimecmp_set_max
        msip_set 0
        csrw mip, zero

        /* mtime advances. */
        TEST_CASE(1)
        li t0, CLINT_MTIME
        ld a0, 0(t0)
        li t2, 1000000
1:      ld a1, 0(t0)
        bne a0, a1, 2f
        addi t2, t2, -1
        bnez t2, 1b
        j fail
2:      bltu a1, a0, fail

        /* MTIP follows mtime >= mtimecmp. */
        TEST_CASE(2)
        wait_mip MIP_MTIP, 0
        li t0, CLINT_MTIMECMP
        sd zero, 0(t0)
        wait_mip MIP_MTIP, MIP_MTIP
        mtimecmp_set_max
        wait_mip MIP_MTIP, 0
        TEST_CASE(3)            /* mtimecmp a little in the future: MTIP rises later */
        mtimecmp_now_plus 2000000       /* 0.2 s: not pending yet, even on a slow hart */
        csrr t1, mip
        CHECK_FIELD(t1, MIP_MTIP, 0)
        wait_mip MIP_MTIP, MIP_MTIP
        li t0, CLINT_MTIME
        ld a0, 0(t0)
        li t0, CLINT_MTIMECMP
        ld a1, 0(t0)
        bltu a0, a1, fail

        /* Pending but not taken: MIE = 0, or MTIE = 0. */
        TEST_CASE(4)
        expect_trap fail
        csrw mie, zero
        csrsi mstatus, MSTATUS_MIE
        nop
        nop
        csrci mstatus, MSTATUS_MIE
        li t0, MIP_MTIP
        csrw mie, t0
        nop
        nop
        /* Taken once MIE is set: mepc = the instruction after the enabling write. */
        TEST_CASE(5)
        expect_trap 1f
        csrsi mstatus, MSTATUS_MIE
2:      nop
        j fail
1:      CHECK_EQ(s2, CAUSE_INTR | IRQ_MTI)
        CHECK_LABEL(s3, 2b)
        CHECK_EQ(s4, 0)
        CHECK_FIELD(s5, MSTATUS_MIE | MSTATUS_MPIE | MSTATUS_MPP, MSTATUS_MPIE | MSTATUS_MPP_M)
        /* Taken once mie.MTIE is set with MIE = 1. */
        TEST_CASE(6)
        csrw mie, zero
        csrsi mstatus, MSTATUS_MIE
        expect_trap 1f
        li t0, MIP_MTIP
        csrw mie, t0
2:      nop
        j fail
1:      CHECK_EQ(s2, CAUSE_INTR | IRQ_MTI)
        CHECK_LABEL(s3, 2b)
        /* Taken right after MRET sets MIE from MPIE. */
        TEST_CASE(7)
        li t0, MSTATUS_MPIE
        csrs mstatus, t0
        expect_trap 1f
        enter PRV_M, 2f
2:      nop
        j fail
1:      CHECK_EQ(s2, CAUSE_INTR | IRQ_MTI)
        CHECK_LABEL(s3, 2b)
        /* A handler that returns: the interrupted code goes on, MIE restored by MRET. */
        TEST_CASE(8)
        la t0, mti_handler
        csrw mtvec, t0
        li s0, 0
        csrsi mstatus, MSTATUS_MIE
        li t2, 1000000
1:      bnez s0, 2f
        addi t2, t2, -1
        bnez t2, 1b
        j fail
2:      csrr t1, mstatus
        CHECK_FIELD(t1, MSTATUS_MIE, MSTATUS_MIE)
        csrci mstatus, MSTATUS_MIE
        CHECK_EQ(s0, CAUSE_INTR | IRQ_MTI)
        csrr t1, mip
        CHECK_FIELD(t1, MIP_MTIP, 0)
        set_mtvec mtrap_record
        /* A timer interrupt that arrives later while looping. */
        TEST_CASE(9)
        mtimecmp_now_plus 3000
        li t0, MIP_MTIP
        csrw mie, t0
        expect_trap 1f
        csrsi mstatus, MSTATUS_MIE
        li t2, 100000000
2:      addi t2, t2, -1
        bnez t2, 2b
        j fail
1:      CHECK_EQ(s2, CAUSE_INTR | IRQ_MTI)
        li t0, CLINT_MTIME
        ld a0, 0(t0)
        li t0, CLINT_MTIMECMP
        ld a1, 0(t0)
        bltu a0, a1, fail
        mtimecmp_set_max
        wait_mip MIP_MTIP, 0

        /* Machine software interrupt from the CLINT msip register. */
        TEST_CASE(10)
        msip_set 1
        wait_mip MIP_MSIP, MIP_MSIP
        li t0, MIP_MSIP
        csrw mie, t0
        expect_trap 1f
        csrsi mstatus, MSTATUS_MIE
2:      nop
        j fail
1:      CHECK_EQ(s2, CAUSE_INTR | IRQ_MSI)
        CHECK_LABEL(s3, 2b)
        msip_set 0
        wait_mip MIP_MSIP, 0
        TEST_CASE(11)           /* msip reads back; only bit 0 is writable */
        li t0, CLINT_MSIP
        li t1, 0xffffffff
        sw t1, 0(t0)
        lw t1, 0(t0)
        CHECK_EQ(t1, 1)
        sw zero, 0(t0)
        lw t1, 0(t0)
        CHECK_EQ(t1, 0)
        wait_mip MIP_MSIP, 0

        /* M-level interrupts are taken in U and S whatever MIE is. */
        TEST_CASE(12)
        li t0, MSTATUS_MPIE
        csrc mstatus, t0
        msip_set 1
        wait_mip MIP_MSIP, MIP_MSIP
        expect_trap 1f
        enter PRV_U, 2f
2:      nop
        j fail
1:      CHECK_EQ(s2, CAUSE_INTR | IRQ_MSI)
        CHECK_LABEL(s3, 2b)
        CHECK_FIELD(s5, MSTATUS_MPP | MSTATUS_MPIE, 0)
        TEST_CASE(13)
        expect_trap 1f
        enter PRV_S, 2f
2:      nop
        j fail
1:      CHECK_EQ(s2, CAUSE_INTR | IRQ_MSI)
        CHECK_FIELD(s5, MSTATUS_MPP, MSTATUS_MPP_S)
        msip_set 0
        wait_mip MIP_MSIP, 0

        /* S-level interrupts raised by M in mip, not delegated: taken in M with their codes. */
        TEST_CASE(14)
        li t0, MIP_SSIP | MIP_STIP | MIP_SEIP
        csrw mie, t0
        .irp irq, IRQ_SSI, IRQ_STI, IRQ_SEI
        li t0, 1 << \irq
        csrs mip, t0
        expect_trap 1f
        csrsi mstatus, MSTATUS_MIE
2:      nop
        j fail
1:      li t0, 1 << \irq
        csrc mip, t0
        CHECK_EQ(s2, CAUSE_INTR | \irq)
        CHECK_LABEL(s3, 2b)
        .endr
        /* ... delegated: taken in S (from U) with scause's interrupt bit. */
        TEST_CASE(15)
        li t0, MIP_SSIP | MIP_STIP | MIP_SEIP
        csrw mideleg, t0
        .irp irq, IRQ_SSI, IRQ_STI, IRQ_SEI
        li t0, 1 << \irq
        csrs mip, t0
        expect_trap 1f
        la s10, 3f
        enter PRV_U, 2f
2:      nop
        j fail
3:      ecall
        j fail
1:      li t0, 1 << \irq
        csrc mip, t0
        CHECK_EQ(s6, CAUSE_INTR | \irq)
        CHECK_LABEL(s7, 2b)
        CHECK_EQ(s2, CAUSE_ECALL_S)
        .endr
        csrw mideleg, zero

        /* (Priority among M- and S-level interrupts with the same destination:
           priv-irq-prio.S.) */
        /* M-level before S-level: in S with a delegated SSI and a machine MSI pending, the MSI
           is taken first (in M). */
        TEST_CASE(16)
        csrw mip, zero
        set_stvec strap_record
        li t0, MIP_SSIP
        csrw mideleg, t0
        csrs mip, t0
        msip_set 1
        wait_mip MIP_MSIP, MIP_MSIP
        li t0, MIP_SSIP | MIP_MSIP
        csrw mie, t0
        li t0, MSTATUS_SIE
        csrs mstatus, t0
        expect_trap 1f
        enter PRV_S, 2f
2:      nop
        j fail
1:      CHECK_EQ(s2, CAUSE_INTR | IRQ_MSI)
        CHECK_EQ(s6, -1)
        msip_set 0
        wait_mip MIP_MSIP, 0
        li t0, MIP_SSIP
        csrc mip, t0
        csrw mideleg, zero

        /* WFI wakes up when an enabled interrupt becomes pending, even with MIE = 0 (no trap). */
        TEST_CASE(17)
        li t0, MIP_MTIP
        csrw mie, t0
        mtimecmp_now_plus 2000
        expect_trap fail
        wfi                     /* returns (it may also return early), without a trap */
        wait_mip MIP_MTIP, MIP_MTIP
        mtimecmp_set_max
        wait_mip MIP_MTIP, 0
        TEST_CASE(18)           /* WFI in S with SIE = 0 and a delegated interrupt pending */
        li t0, MIP_SSIP
        csrw mideleg, t0
        csrw mie, t0
        csrs mip, t0
        li t0, MSTATUS_SIE
        csrc mstatus, t0
        run_in PRV_S
        wfi
        run_end PRV_S
        CHECK_EQ(s6, -1)
        li t0, MIP_SSIP
        csrc mip, t0
        csrw mideleg, zero
        TEST_CASE(19)           /* WFI with MIE = 1: the interrupt is taken after the WFI */
        li t0, MIP_MSIP
        csrw mie, t0
        expect_trap 1f
        csrsi mstatus, MSTATUS_MIE
        msip_set 1
        wfi
        li t2, 1000000
3:      addi t2, t2, -1
        bnez t2, 3b
        j fail
1:      CHECK_EQ(s2, CAUSE_INTR | IRQ_MSI)
        msip_set 0
        wait_mip MIP_MSIP, 0

        /* Clearing the pending source before enabling: nothing is taken. */
        TEST_CASE(20)
        li t0, MIP_SSIP
        csrw mie, t0
        csrs mip, t0
        csrc mip, t0
        expect_trap fail
        csrsi mstatus, MSTATUS_MIE
        nop
        csrci mstatus, MSTATUS_MIE
        csrw mie, zero

        j pass

        priv_handlers

/* Timer handler for case 8: records mcause in s0 and pushes mtimecmp out. */
        .balign 4
mti_handler:
        csrr s0, mcause
        li t0, CLINT_MTIMECMP
        li t1, -1
        sd t1, 0(t0)
1:      csrr t0, mip
        andi t0, t0, MIP_MTIP
        bnez t0, 1b
        mret

TEST_END
