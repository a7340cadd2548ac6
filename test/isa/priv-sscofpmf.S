/* Sscofpmf (counter overflow and privilege-mode filtering, v1.0) with Zihpm's programmable
   counters; tsvirt and QEMU's virt machine both give event 2 (instructions) to mhpmevent:
   - mhpmevent3 = 2 makes mhpmcounter3 count; mcountinhibit bit 3 stops it;
   - MINH (bit 62) stops counting in M-mode, SINH (61) in S-mode, UINH (60) in U-mode;
   - a counter that wraps from 2^64-1 to 0 sets mhpmevent.OF (63) and mip.LCOFIP (13), and
     LCOFI is taken in M-mode with mcause = interrupt | 13 when mie.LCOFIE and MIE are set;
   - scountovf (0xda0) reads the OF bits that mcounteren enables, in M-mode and in S-mode;
     it is illegal in U-mode, and read-only;
   - LCOFIP is writable in mip, and mideleg bit 13 too; with it delegated, sip.LCOFIP is
     writable and sie.LCOFIE reads mie's.
   isa-tests-cpu: zihpm,sscofpmf
*/
#include "test.h"
#include "priv.h"

#define EV_INSTRET 2
#define OF (1 << 63)
#define MINH (1 << 62)
#define SINH (1 << 61)
#define UINH (1 << 60)
#define HPM3 (1 << 3)
#define MIP_LCOFIP (1 << 13)
#define CAUSE_LCOFI (CAUSE_INTR | 13)
#define CSR_SCOUNTOVF 0xda0

/* Start counter 3 on `event` from value `start`. */
.macro hpm3_start event, start
        li t0, HPM3
        csrs mcountinhibit, t0
        li t0, \event
        csrw mhpmevent3, t0
        li t0, \start
        csrw mhpmcounter3, t0
        li t0, HPM3
        csrc mcountinhibit, t0
.endm

/* a1 = how much mhpmcounter3 advances over a 100000-iteration loop run in mode `prv`. */
.macro mode_loop prv
        csrr a0, mhpmcounter3
        run_in \prv
        li t2, 100000
1004:   addi t2, t2, -1
        bnez t2, 1004b
        run_end \prv
        csrr a1, mhpmcounter3
        sub a1, a1, a0
.endm

TEST_BEGIN
        priv_init
        set_mtvec mtrap_record
        csrw mcounteren, zero
        li t0, -1
        csrw scounteren, t0

        /* Event 2 counts instructions; inhibiting counter 3 freezes it. */
        TEST_CASE(1)
        hpm3_start EV_INSTRET, 0
        .rept 20
        nop
        .endr
        csrr t1, mhpmcounter3
        li t2, 20
        bltu t1, t2, fail
        TEST_CASE(2)
        li t0, HPM3
        csrs mcountinhibit, t0
        csrr t1, mhpmcounter3
        .rept 10
        nop
        .endr
        csrr t2, mhpmcounter3
        bne t1, t2, fail
        TEST_CASE(3)                     /* the value is writable while stopped */
        li t0, 0x123456789
        csrw mhpmcounter3, t0
        csrr t1, mhpmcounter3
        CHECK_EQ(t1, 0x123456789)
        TEST_CASE(4)                     /* mhpmevent3 keeps the event and the filter bits */
        li t0, EV_INSTRET | MINH | SINH | UINH
        csrw mhpmevent3, t0
        csrr t1, mhpmevent3
        CHECK_EQ(t1, EV_INSTRET | MINH | SINH | UINH)

        /* MINH: no counting in M-mode. */
        TEST_CASE(5)
        hpm3_start (EV_INSTRET | MINH), 0
        csrr t1, mhpmcounter3
        .rept 10
        nop
        .endr
        csrr t2, mhpmcounter3
        bne t1, t2, fail
        /* ... but in S-mode it counts. */
        TEST_CASE(6)
        run_in PRV_S
        .rept 20
        nop
        .endr
        run_end PRV_S
        csrr t2, mhpmcounter3
        li t0, 20
        bltu t2, t0, fail
        /* SINH: S-mode's instructions are not counted. QEMU counts host clock
           ticks for event 2, not instructions: the check is that a long S-mode loop adds far less
           to the filtered counter than to an unfiltered one. */
        TEST_CASE(7)
        hpm3_start EV_INSTRET, 0
        mode_loop PRV_S
        mv s0, a1                        /* unfiltered */
        hpm3_start (EV_INSTRET | SINH), 0
        mode_loop PRV_S
        slli a1, a1, 2
        bgeu a1, s0, fail
        /* UINH likewise for U-mode. */
        TEST_CASE(8)
        hpm3_start EV_INSTRET, 0
        mode_loop PRV_U
        mv s0, a1
        hpm3_start (EV_INSTRET | UINH), 0
        mode_loop PRV_U
        slli a1, a1, 2
        bgeu a1, s0, fail

        /* Overflow: OF and mip.LCOFIP set when the counter wraps (interrupts off). */
        TEST_CASE(9)
        csrw mie, zero
        li t0, MIP_LCOFIP
        csrc mip, t0
        hpm3_start EV_INSTRET, -200
        wait_mip MIP_LCOFIP, MIP_LCOFIP
        csrr t1, mhpmevent3
        li t0, OF
        and t1, t1, t0
        beqz t1, fail
        csrr t1, mhpmcounter3
        li t2, 0x100000000
        bgeu t1, t2, fail                /* it went on from 0 */
        TEST_CASE(10)                    /* scountovf in M-mode: bit 3, as mcounteren allows */
        csrr t1, CSR_SCOUNTOVF
        CHECK_FIELD(t1, HPM3, 0)
        li t0, HPM3
        csrw mcounteren, t0
        csrr t1, CSR_SCOUNTOVF
        CHECK_FIELD(t1, HPM3, HPM3)
        TEST_CASE(11)                    /* scountovf is read-only */
        trap_in PRV_M, CAUSE_ILLEGAL, any, csrw CSR_SCOUNTOVF, zero
        TEST_CASE(12)                    /* S-mode: hidden while mcounteren bit 3 is clear */
        csrw mcounteren, zero
        run_in PRV_S
        csrr a0, CSR_SCOUNTOVF
        run_end PRV_S
        CHECK_FIELD(a0, HPM3, 0)
        TEST_CASE(13)
        li t0, HPM3
        csrw mcounteren, t0
        run_in PRV_S
        csrr a0, CSR_SCOUNTOVF
        run_end PRV_S
        CHECK_FIELD(a0, HPM3, HPM3)
        TEST_CASE(14)                    /* U-mode: illegal */
        trap_in PRV_U, CAUSE_ILLEGAL, any, csrr a0, CSR_SCOUNTOVF
        TEST_CASE(15)                    /* LCOFIP is software-writable in mip */
        li t0, MIP_LCOFIP
        csrc mip, t0
        csrr t1, mip
        CHECK_FIELD(t1, MIP_LCOFIP, 0)
        csrs mip, t0
        csrr t1, mip
        CHECK_FIELD(t1, MIP_LCOFIP, MIP_LCOFIP)
        csrc mip, t0
        TEST_CASE(16)                    /* while OF stays set, another wrap raises nothing */
        li t0, HPM3
        csrs mcountinhibit, t0
        li t0, -200
        csrw mhpmcounter3, t0
        li t0, HPM3
        csrc mcountinhibit, t0
        li t2, 2000
1:      addi t2, t2, -1
        bnez t2, 1b
        csrr t1, mhpmcounter3
        li t2, 0x100000000
        bgeu t1, t2, fail                /* it has wrapped */
        csrr t1, mip
        CHECK_FIELD(t1, MIP_LCOFIP, 0)

        /* LCOFI taken in M-mode: mcause = interrupt 13. */
        TEST_CASE(17)
        li t0, HPM3
        csrs mcountinhibit, t0
        li t0, EV_INSTRET                /* OF cleared */
        csrw mhpmevent3, t0
        li t0, -300
        csrw mhpmcounter3, t0
        expect_trap 2f
        li t0, MIP_LCOFIP
        csrw mie, t0
        csrsi mstatus, MSTATUS_MIE
        li t0, HPM3
        csrc mcountinhibit, t0
        li t2, 1000000
1:      addi t2, t2, -1
        bnez t2, 1b
        j fail
2:      csrw mie, zero
        CHECK_EQ(s2, CAUSE_LCOFI)
        li t0, MIP_LCOFIP
        csrc mip, t0

        /* Delegation: mideleg bit 13, sip.LCOFIP and sie.LCOFIE. */
        TEST_CASE(18)
        li t0, MIP_LCOFIP
        csrs mideleg, t0
        csrr t1, mideleg
        CHECK_FIELD(t1, MIP_LCOFIP, MIP_LCOFIP)
        TEST_CASE(19)
        li t0, MIP_LCOFIP
        csrs mip, t0
        run_in PRV_S
        li t0, MIP_LCOFIP
        csrr a0, sip
        csrc sip, t0
        csrr a1, sip
        csrs sie, t0
        run_end PRV_S
        CHECK_FIELD(a0, MIP_LCOFIP, MIP_LCOFIP)
        CHECK_FIELD(a1, MIP_LCOFIP, 0)
        csrr t1, mie
        CHECK_FIELD(t1, MIP_LCOFIP, MIP_LCOFIP)
        csrw mie, zero
        csrw mideleg, zero
        li t0, -1
        csrs mcountinhibit, t0
        j pass

        priv_handlers
TEST_END
