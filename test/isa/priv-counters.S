/* Counters (privileged spec 3.1.10-3.1.13, 4.1.5; Zicntr/Zihpm): mcycle and minstret writable,
   mcountinhibit stops them, the unprivileged cycle/instret shadows, hpmcounter3 exists, and
   mcounteren/scounteren gate cycle, time, instret and hpmcounter3 for S and U (illegal
   instruction when the bit is clear). Exact instret counting after a write is in priv-strict.S;
   reading `time` when allowed is in priv-time.S.
   isa-tests-cpu: zihpm
*/
#include "test.h"
#include "priv.h"

#define CNT_CY 1
#define CNT_TM 2
#define CNT_IR 4
#define CNT_HPM3 8

TEST_BEGIN
        priv_init
        set_mtvec mtrap_record
        csrw mcountinhibit, zero

        /* mcycle and minstret are writable and count up from the written value. */
        TEST_CASE(1)
        li t0, 0x100000000000
        csrw mcycle, t0
        csrr t1, mcycle
        bltu t1, t0, fail
        sub t1, t1, t0
        li t2, 0x10000000
        bgeu t1, t2, fail
        TEST_CASE(2)
        li t0, 0x200000000000
        csrw minstret, t0
        nop
        csrr t1, minstret
        bltu t1, t0, fail
        sub t1, t1, t0
        li t2, 0x10000000
        bgeu t1, t2, fail
        TEST_CASE(3)                     /* instret advances while instructions retire */
        csrr t0, minstret
        .rept 20
        nop
        .endr
        csrr t1, minstret
        sub t1, t1, t0
        li t2, 20
        bltu t1, t2, fail
        TEST_CASE(4)                     /* cycle advances */
        csrr t0, mcycle
        .rept 20
        nop
        .endr
        csrr t1, mcycle
        bgeu t0, t1, fail
        /* The unprivileged shadows read the same counters (inhibited, so they are stable). */
        TEST_CASE(5)
        li t0, CNT_CY | CNT_IR
        csrw mcountinhibit, t0
        li t0, 0x12345
        csrw mcycle, t0
        li t0, 0x6789a
        csrw minstret, t0
        rdcycle t1
        CHECK_EQ(t1, 0x12345)
        rdinstret t1
        CHECK_EQ(t1, 0x6789a)

        /* mcountinhibit: CY and IR stop mcycle and minstret; clearing them restarts counting. */
        TEST_CASE(6)
        csrr t1, mcountinhibit
        CHECK_FIELD(t1, CNT_CY | CNT_IR, CNT_CY | CNT_IR)
        li t0, 1000
        csrw minstret, t0
        .rept 10
        nop
        .endr
        csrr t1, minstret
        CHECK_EQ(t1, 1000)               /* inhibited: exactly the written value */
        TEST_CASE(7)
        csrr t0, mcycle
        .rept 10
        nop
        .endr
        csrr t1, mcycle
        bne t0, t1, fail
        TEST_CASE(8)                     /* inhibit IR only: cycle counts, instret does not */
        li t0, CNT_IR
        csrw mcountinhibit, t0
        li t0, 0x8765
        csrw minstret, t0
        csrr t0, mcycle
        csrr a0, minstret
        .rept 10
        nop
        .endr
        csrr t1, mcycle
        csrr a1, minstret
        beq t0, t1, fail
        bne a0, a1, fail
        TEST_CASE(9)                     /* inhibit CY only (freezing at the current value without
                                            a write: priv-strict.S) */
        li t0, CNT_CY
        csrw mcountinhibit, t0
        li t0, 0x4321
        csrw mcycle, t0
        csrr t0, mcycle
        csrr a0, minstret
        .rept 10
        nop
        .endr
        csrr t1, mcycle
        csrr a1, minstret
        bne t0, t1, fail
        beq a0, a1, fail
        csrw mcountinhibit, zero
        TEST_CASE(10)                    /* counting resumes */
        csrr t0, mcycle
        csrr a0, minstret
        .rept 10
        nop
        .endr
        csrr t1, mcycle
        csrr a1, minstret
        beq t0, t1, fail
        beq a0, a1, fail

        /* hpmcounter3 and its machine counterpart and event selector exist (may be zero). */
        TEST_CASE(11)
        run_in PRV_M
        csrr a0, mhpmcounter3
        csrr a1, mhpmevent3
        csrr a2, hpmcounter3
        run_end PRV_M                    /* (counters 3..31 all exist: priv-strict.S) */

        /* mcounteren/scounteren: the CY, TM and IR bits are writable. */
        TEST_CASE(12)
        li t0, CNT_CY | CNT_TM | CNT_IR
        csrw mcounteren, t0
        csrr t1, mcounteren
        CHECK_EQ(t1, CNT_CY | CNT_TM | CNT_IR)
        csrw scounteren, t0
        csrr t1, scounteren
        CHECK_EQ(t1, CNT_CY | CNT_TM | CNT_IR)
        csrw mcounteren, zero
        csrr t1, mcounteren
        CHECK_EQ(t1, 0)
        csrw scounteren, zero

        /* M-mode reads the counters whatever mcounteren says. */
        TEST_CASE(13)
        run_in PRV_M
        rdcycle a0
        rdinstret a1
        csrr a2, hpmcounter3
        run_end PRV_M

        /* mcounteren = 0: cycle, time, instret, hpmcounter3 are illegal in S and U. */
        TEST_CASE(14)
        trap_in PRV_S, CAUSE_ILLEGAL, 0xc0002573, rdcycle a0
        TEST_CASE(15)
        trap_in PRV_S, CAUSE_ILLEGAL, 0xc0102573, rdtime a0
        TEST_CASE(16)
        trap_in PRV_S, CAUSE_ILLEGAL, 0xc0202573, rdinstret a0
        TEST_CASE(17)
        trap_in PRV_S, CAUSE_ILLEGAL, 0xc0302573, csrr a0, hpmcounter3
        TEST_CASE(18)
        li t0, CNT_CY | CNT_TM | CNT_IR | CNT_HPM3
        csrw scounteren, t0              /* scounteren alone does not open them for U */
        trap_in PRV_U, CAUSE_ILLEGAL, 0xc0002573, rdcycle a0
        TEST_CASE(19)
        trap_in PRV_U, CAUSE_ILLEGAL, 0xc0202573, rdinstret a0

        /* mcounteren bits open each counter for S separately. */
        TEST_CASE(20)
        li t0, CNT_CY
        csrw mcounteren, t0
        run_in PRV_S
        rdcycle a0
        run_end PRV_S
        TEST_CASE(21)
        trap_in PRV_S, CAUSE_ILLEGAL, 0xc0202573, rdinstret a0
        TEST_CASE(22)
        li t0, CNT_IR
        csrw mcounteren, t0
        run_in PRV_S
        rdinstret a0
        run_end PRV_S
        TEST_CASE(23)
        trap_in PRV_S, CAUSE_ILLEGAL, 0xc0002573, rdcycle a0
        TEST_CASE(24)
        trap_in PRV_S, CAUSE_ILLEGAL, 0xc0102573, rdtime a0
        TEST_CASE(25)                    /* HPM3 opens hpmcounter3, if that bit is writable */
        li t0, CNT_HPM3
        csrw mcounteren, t0
        csrr t1, mcounteren
        beqz t1, 1f
        run_in PRV_S
        csrr a0, hpmcounter3
        run_end PRV_S
        j 2f
1:      trap_in PRV_S, CAUSE_ILLEGAL, 0xc0302573, csrr a0, hpmcounter3
2:
        TEST_CASE(26)                    /* hpmcounter4 still closed */
        trap_in PRV_S, CAUSE_ILLEGAL, 0xc0402573, csrr a0, hpmcounter4

        /* U needs both mcounteren and scounteren. */
        TEST_CASE(27)
        li t0, CNT_CY | CNT_IR
        csrw mcounteren, t0
        csrw scounteren, t0
        run_in PRV_U
        rdcycle a0
        rdinstret a1
        run_end PRV_U
        TEST_CASE(28)
        li t0, CNT_IR
        csrw scounteren, t0
        trap_in PRV_U, CAUSE_ILLEGAL, 0xc0002573, rdcycle a0
        TEST_CASE(29)
        run_in PRV_U
        rdinstret a1
        run_end PRV_U
        TEST_CASE(30)
        csrw scounteren, zero
        trap_in PRV_U, CAUSE_ILLEGAL, 0xc0202573, rdinstret a0
        TEST_CASE(31)                    /* S is governed by mcounteren only */
        run_in PRV_S
        rdcycle a0
        rdinstret a1
        run_end PRV_S
        TEST_CASE(32)                    /* S can read and write scounteren */
        run_in PRV_S
        li a0, CNT_CY
        csrw scounteren, a0
        csrr a1, scounteren
        run_end PRV_S
        CHECK_EQ(a1, CNT_CY)
        csrr t1, scounteren
        CHECK_EQ(t1, CNT_CY)
        TEST_CASE(33)                    /* ... and U then reads cycle */
        run_in PRV_U
        rdcycle a0
        run_end PRV_U

        /* The machine counters are not accessible below M even with mcounteren set. */
        TEST_CASE(34)
        li t0, -1
        csrw mcounteren, t0
        trap_in PRV_S, CAUSE_ILLEGAL, 0xb0002573, csrr a0, mcycle
        TEST_CASE(35)
        trap_in PRV_S, CAUSE_ILLEGAL, 0x32002573, csrr a0, mcountinhibit
        TEST_CASE(36)                    /* writes to the shadows are illegal in every mode */
        trap_in PRV_S, CAUSE_ILLEGAL, 0xc0051073, csrw cycle, a0
        csrw mcounteren, zero
        csrw scounteren, zero

        /* Counter values seen from S match the machine counters (inhibited, so stable). */
        TEST_CASE(37)
        li t0, CNT_CY | CNT_IR
        csrw mcountinhibit, t0
        csrw mcounteren, t0
        li t0, 0xabcdef
        csrw mcycle, t0
        li t0, 0x13579
        csrw minstret, t0
        run_in PRV_S
        rdcycle a0
        rdinstret a1
        run_end PRV_S
        CHECK_EQ(a0, 0xabcdef)
        CHECK_EQ(a1, 0x13579)
        csrw mcountinhibit, zero

        j pass

        priv_handlers
TEST_END
