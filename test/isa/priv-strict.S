/* Privileged-spec requirements on which the reference QEMU 7.2 disagrees with the specification
   (20211203). Every case here fails on QEMU 7.2; each is independent of the cases before it
   except for the shared setup, so the failing case number names the first disagreement.
     1  mepc/sepc bit 0 always reads 0 (3.1.14, 4.1.7)                      QEMU: keeps bit 0
     2  MPP is WARL: the reserved value 2 is not read back (3.1.6.1)         QEMU: keeps 2
     3  MRET to S clears MPRV (3.1.6.3, since 1.12)                          QEMU 7.2: keeps it
     4  MRET to U clears MPRV                                                QEMU 7.2: keeps it
     5  SRET (executed in M) to S clears MPRV                                QEMU 7.2: keeps it
     6  CSRRS/CSRRC with rs1 != x0 (holding 0) write the CSR, so they are
        illegal on a read-only CSR (Zicsr 9.1)                               QEMU: no trap
     7  pmpaddr bits 63:54 read as 0 on RV64 (3.7.1)                         QEMU: stores them
     8  mcountinhibit bit 1 (TM) and bits 63:32 read as 0 (3.1.13)           QEMU: stores them
     9  setting mcountinhibit.CY freezes mcycle at its current value         QEMU: reads back the
                                                                              last written value
    10  a value written to minstret is what the next instruction reads (the
        writing instruction is not counted), then +1 per instruction (2.8)   QEMU: host ticks, or
                                                                              +1 with -icount
    11  mhpmcounter3..31, mhpmevent3..31, hpmcounter3..31 all exist (3.1.10)  QEMU: only 3..18
    12  SC at a misaligned address raises address-misaligned or access fault
        (A 8.2), even without a reservation                                  QEMU: fails the SC
    13  a misaligned AMO raises a store/AMO exception (cause 6 or 7), not a
        load one                                                             QEMU: cause 4
    14  UXL is WARL: writing the reserved value 3 through sstatus leaves 2    QEMU: keeps 3
   Case 14 is last because on QEMU a bad UXL would leave U-mode 32-bit.
   isa-tests-cpu: zihpm
*/
#include "test.h"
#include "priv.h"

TEST_BEGIN
        priv_init
        set_mtvec mtrap_record

        TEST_CASE(1)
        li t0, 0x80001237
        csrw mepc, t0
        csrr t1, mepc
        CHECK_EQ(t1, 0x80001236)
        csrw sepc, t0
        csrr t1, sepc
        CHECK_EQ(t1, 0x80001236)

        TEST_CASE(2)
        li t0, MSTATUS_MPP
        csrc mstatus, t0
        li t0, 0x1000
        csrs mstatus, t0
        csrr t1, mstatus
        li t0, MSTATUS_MPP
        and t1, t1, t0
        li t0, 0x1000
        beq t1, t0, fail
        set_mpp PRV_M

        TEST_CASE(3)
        li t0, MSTATUS_MPRV
        csrs mstatus, t0
        expect_trap 1f
        enter PRV_S, 2f
2:      ecall
        j fail
1:      CHECK_EQ(s2, CAUSE_ECALL_S)
        CHECK_FIELD(s5, MSTATUS_MPRV, 0)
        li t0, MSTATUS_MPRV
        csrc mstatus, t0

        TEST_CASE(4)
        li t0, MSTATUS_MPRV
        csrs mstatus, t0
        expect_trap 1f
        enter PRV_U, 2f
2:      ecall
        j fail
1:      CHECK_EQ(s2, CAUSE_ECALL_U)
        CHECK_FIELD(s5, MSTATUS_MPRV, 0)
        li t0, MSTATUS_MPRV
        csrc mstatus, t0

        TEST_CASE(5)
        li t0, MSTATUS_SPP | MSTATUS_MPRV
        csrs mstatus, t0
        la t0, 2f
        csrw sepc, t0
        expect_trap 1f
        sret
        j fail
2:      ecall
        j fail
1:      CHECK_EQ(s2, CAUSE_ECALL_S)
        CHECK_FIELD(s5, MSTATUS_MPRV, 0)
        li t0, MSTATUS_MPRV
        csrc mstatus, t0

        TEST_CASE(6)
        li a0, 0
        trap_in PRV_M, CAUSE_ILLEGAL, 0xf11525f3, csrrs a1, mvendorid, a0
        li a0, 0
        trap_in PRV_M, CAUSE_ILLEGAL, 0xc00535f3, csrrc a1, cycle, a0

        TEST_CASE(7)
        li t0, -1
        csrw pmpaddr15, t0
        csrr t1, pmpaddr15
        srli t1, t1, 54
        CHECK_EQ(t1, 0)
        csrw pmpaddr15, zero

        TEST_CASE(8)
        li t0, -1
        csrw mcountinhibit, t0
        csrr t1, mcountinhibit
        csrw mcountinhibit, zero
        CHECK_FIELD(t1, 0xffffffff00000002, 0)

        TEST_CASE(9)
        csrw mcycle, zero
        li t0, 1000
1:      addi t0, t0, -1
        bnez t0, 1b
        csrr a0, mcycle
        csrsi mcountinhibit, 1
        csrr a1, mcycle
        csrr a2, mcycle
        csrw mcountinhibit, zero
        bltu a1, a0, fail
        bne a1, a2, fail

        TEST_CASE(10)
        li t0, 1000
        csrw minstret, t0
        csrr a0, minstret
        CHECK_EQ(a0, 1000)
        li t0, 5000
        csrw minstret, t0
        nop
        nop
        nop
        csrr a0, minstret
        CHECK_EQ(a0, 5003)

        TEST_CASE(11)
        run_in PRV_M
        csrr a0, mhpmcounter31
        csrr a1, mhpmevent31
        csrr a2, hpmcounter31
        csrr a3, mhpmcounter19
        csrr a4, hpmcounter19
        run_end PRV_M

        TEST_CASE(12)
        lla a1, buf + 1
        expect_trap 1f
        sc.w t1, zero, (a1)
        j fail
1:      li t0, CAUSE_STORE_MISALIGNED
        beq s2, t0, 2f
        CHECK_EQ(s2, CAUSE_STORE_ACCESS)
2:      bne s4, a1, fail

        TEST_CASE(13)
        lla a1, buf + 2
        expect_trap 1f
        amoadd.w t1, zero, (a1)
        j fail
1:      li t0, CAUSE_STORE_MISALIGNED
        beq s2, t0, 2f
        CHECK_EQ(s2, CAUSE_STORE_ACCESS)
2:      bne s4, a1, fail

        TEST_CASE(14)
        li t0, MSTATUS_UXL
        csrs sstatus, t0
        csrr t1, mstatus
        CHECK_FIELD(t1, MSTATUS_UXL | MSTATUS_SXL, 0xa00000000)

        j pass

        priv_handlers

        .data
        .balign 64
buf:    .skip 64
TEST_END
