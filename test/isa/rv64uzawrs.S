/* Zawrs (unprivileged ISA, "Zawrs Extension for Wait-on-Reservation-Set instructions"): WRS.NTO
   and WRS.STO may stall only while the hart's reservation is valid and no locally enabled
   interrupt is pending; they change no register or memory. Cases whose completion the
   specification guarantees: no reservation; a reservation with an interrupt pending and enabled
   in mie (whatever mstatus.MIE says, as for WFI); WRS.STO, whose stall is bounded. In S- and
   U-mode with mstatus.TW = 1, a WRS.NTO that would stall raises illegal-instruction (its bounded
   time limit being zero, as tsvirt's and QEMU's are); TW does not concern WRS.STO, and with TW = 0
   WRS.NTO is allowed in U-mode (unlike WFI).
   isa-tests-march: rv64gc_zawrs */
#include "test.h"
#include "priv.h"

#define WRS_NTO 0x00d00073

/* In mode `prv`: LR, then WRS.NTO, which must raise illegal-instruction (mtval 0 or its bits). */
.macro wrs_nto_illegal prv
        expect_trap 1012f
        enter \prv, 1010f
1010:   lr.d a0, (s0)
1011:   wrs.nto
        j fail
1012:   CHECK_EQ(s2, CAUSE_ILLEGAL)
        CHECK_LABEL(s3, 1011b)
        beqz s4, 1013f
        CHECK_EQ(s4, WRS_NTO)
1013:
.endm

TEST_BEGIN
        priv_init
        set_mtvec mtrap_record
        la s0, word
        li t0, CLINT_MSIP
        sw zero, 0(t0)

        /* M-mode without a reservation: both complete; registers and memory unchanged. */
        TEST_CASE(1)
        li a0, 0x1234
        sc.d t1, a0, (s0)       /* clears any reservation (fails: none was made) */
        wrs.nto
        wrs.sto
        CHECK_EQ(a0, 0x1234)
        ld t0, 0(s0)
        CHECK_EQ(t0, 0x600d)

        /* M-mode with a reservation: WRS.STO completes (a bounded stall). */
        TEST_CASE(2)
        lr.d a0, (s0)
        wrs.sto
        CHECK_EQ(a0, 0x600d)

        /* With a reservation and a machine software interrupt pending and enabled in mie (but
           mstatus.MIE = 0, so not taken): WRS.NTO completes. */
        TEST_CASE(3)
        li t0, MIP_MSIP
        csrw mie, t0
        li t0, CLINT_MSIP
        li t1, 1
        sw t1, 0(t0)
        wait_mip MIP_MSIP, MIP_MSIP
        lr.d a0, (s0)
        wrs.nto
        lr.d a0, (s0)
        wrs.sto
        li t0, CLINT_MSIP
        sw zero, 0(t0)
        wait_mip MIP_MSIP, 0
        csrw mie, zero

        /* TW = 1 in S- and U-mode: WRS.NTO with a reservation and nothing pending is illegal. */
        TEST_CASE(4)
        li t0, MSTATUS_TW
        csrs mstatus, t0
        wrs_nto_illegal PRV_S
        TEST_CASE(5)
        wrs_nto_illegal PRV_U
        /* ... WRS.STO completes, in both. */
        TEST_CASE(6)
        run_in PRV_S
        lr.d a0, (s0)
        wrs.sto
        run_end PRV_S
        TEST_CASE(7)
        run_in PRV_U
        lr.d a0, (s0)
        wrs.sto
        run_end PRV_U
        /* M-mode ignores TW. */
        TEST_CASE(8)
        sc.d t1, a0, (s0)
        wrs.nto
        li t0, MSTATUS_TW
        csrc mstatus, t0

        /* TW = 0: WRS.NTO in U-mode and S-mode is no illegal instruction. */
        TEST_CASE(9)
        run_in PRV_U
        sc.d t1, a0, (s0)
        wrs.nto
        wrs.sto
        run_end PRV_U
        TEST_CASE(10)
        run_in PRV_S
        sc.d t1, a0, (s0)
        wrs.nto
        run_end PRV_S
        ld t0, 0(s0)
        CHECK_EQ(t0, 0x600d)
        j pass

        priv_handlers
TEST_END

        .data
        .balign 8
word:   .dword 0x600d
