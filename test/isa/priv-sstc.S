/* Sstc (supervisor timer compare): with menvcfg.STCE = 1 the stimecmp CSR exists, mip.STIP
   reads as (time >= stimecmp) and is no longer writable by M-mode, S-mode accesses need
   mcounteren.TM, and a delegated supervisor timer interrupt is raised from stimecmp.
   With STCE = 0, stimecmp is illegal below M and STIP is the M-written bit again.
   Reference note: QEMU 7.2's spike machine lacks the time CSR and so Sstc (stimecmp traps); this
   program passes on QEMU's virt machine. */
#include "test.h"
#include "priv.h"

#define CSR_STIMECMP 0x14d
#define CNT_TM 2

TEST_BEGIN
        priv_init
        set_mtvec mtrap_record
        set_stvec strap_record
        mtimecmp_set_max
        csrw mip, zero

        /* STCE is writable. */
        TEST_CASE(1)
        li t0, MENVCFG_STCE
        csrs menvcfg, t0
        csrr t1, menvcfg
        CHECK_FIELD(t1, MENVCFG_STCE, MENVCFG_STCE)
        /* stimecmp is a full 64-bit read/write register in M. */
        TEST_CASE(2)
        li t0, -1
        csrw CSR_STIMECMP, t0
        csrr t1, CSR_STIMECMP
        CHECK_EQ(t1, -1)
        li t0, 0x123456789abcdef0
        csrw CSR_STIMECMP, t0
        csrr t1, CSR_STIMECMP
        CHECK_EQ(t1, 0x123456789abcdef0)
        /* STIP follows time >= stimecmp. */
        TEST_CASE(3)
        li t0, -1
        csrw CSR_STIMECMP, t0
        wait_mip MIP_STIP, 0
        csrw CSR_STIMECMP, zero
        wait_mip MIP_STIP, MIP_STIP
        li t0, -1
        csrw CSR_STIMECMP, t0
        wait_mip MIP_STIP, 0
        TEST_CASE(4)            /* a compare value a little in the future */
        rdtime t0
        li t1, 2000000          /* 0.2 s: not pending yet, even on a slow hart */
        add t0, t0, t1
        csrw CSR_STIMECMP, t0
        csrr t1, mip
        CHECK_FIELD(t1, MIP_STIP, 0)
        wait_mip MIP_STIP, MIP_STIP
        rdtime a0
        csrr a1, CSR_STIMECMP
        bltu a0, a1, fail
        /* STIP cannot be written by M while STCE = 1. */
        TEST_CASE(5)
        li t0, -1
        csrw CSR_STIMECMP, t0
        wait_mip MIP_STIP, 0
        li t0, MIP_STIP
        csrs mip, t0
        csrr t1, mip
        CHECK_FIELD(t1, MIP_STIP, 0)

        /* S-mode access needs mcounteren.TM; then S reads and writes stimecmp. */
        TEST_CASE(6)
        csrw mcounteren, zero
        trap_in PRV_S, CAUSE_ILLEGAL, 0x14d02573, csrr a0, CSR_STIMECMP
        TEST_CASE(7)
        li t0, CNT_TM
        csrw mcounteren, t0
        run_in PRV_S
        li a0, 0x5555
        csrw CSR_STIMECMP, a0
        csrr a1, CSR_STIMECMP
        run_end PRV_S
        CHECK_EQ(a1, 0x5555)
        csrr t1, CSR_STIMECMP
        CHECK_EQ(t1, 0x5555)
        TEST_CASE(8)            /* never from U */
        li t0, CNT_TM
        csrw scounteren, t0
        trap_in PRV_U, CAUSE_ILLEGAL, 0x14d02573, csrr a0, CSR_STIMECMP

        /* Delegated supervisor timer interrupt from stimecmp, taken in S; the S handler pushes
           stimecmp out, which clears STIP. */
        TEST_CASE(9)
        li t0, -1
        csrw CSR_STIMECMP, t0
        wait_mip MIP_STIP, 0
        li t0, MIP_STIP
        csrw mideleg, t0
        csrw mie, t0
        li t0, MSTATUS_SIE
        csrs mstatus, t0
        la t0, stimer_handler
        csrw stvec, t0
        li s0, 0
        run_in PRV_S
        rdtime a0
        addi a0, a0, 1000
        csrw CSR_STIMECMP, a0
        li t2, 100000000
1:      bnez s0, 2f
        addi t2, t2, -1
        bnez t2, 1b
2:      csrr a1, sip
        run_end PRV_S
        CHECK_EQ(s0, CAUSE_INTR | IRQ_STI)
        CHECK_FIELD(a1, MIP_STIP, 0)
        csrw mie, zero
        csrw mideleg, zero
        set_stvec strap_record

        /* STCE = 0: stimecmp is illegal in S even with TM set; STIP is M-writable again. */
        TEST_CASE(10)
        li t0, MENVCFG_STCE
        csrc menvcfg, t0
        trap_in PRV_S, CAUSE_ILLEGAL, 0x14d02573, csrr a0, CSR_STIMECMP
        TEST_CASE(11)
        csrw CSR_STIMECMP, zero         /* would make STIP pending if STCE were 1 */
        li t0, MIP_STIP
        csrc mip, t0
        csrr t1, mip
        CHECK_FIELD(t1, MIP_STIP, 0)
        li t0, MIP_STIP
        csrs mip, t0
        csrr t1, mip
        CHECK_FIELD(t1, MIP_STIP, MIP_STIP)
        csrc mip, t0

        j pass

        priv_handlers

        .balign 4
stimer_handler:
        csrr s0, scause
        li t0, -1
        csrw CSR_STIMECMP, t0
        sret
TEST_END
