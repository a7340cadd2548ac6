/* Synchronous traps taken into M-mode (privileged spec 3.1.15-3.1.17, 3.3): ECALL from U/S/M,
   EBREAK and C.EBREAK, illegal instructions (32-bit and compressed, unknown CSRs, privileged
   instructions from a lower mode) with mtval = the instruction bits, access faults with
   mtval = the address (a fetch from a device region too), and mepc/mcause/mtval/MPP for each. */
#include "test.h"
#include "priv.h"

/* Check the MPP field of the mstatus recorded at the trap. */
#define CHECK_MPP(prv) CHECK_FIELD(s5, MSTATUS_MPP, (prv) << 11)

TEST_BEGIN
        priv_init
        set_mtvec mtrap_record

        /* ECALL from each mode: cause 8/9/11, mepc = the ecall, mtval = 0. */
        TEST_CASE(1)
        trap_in PRV_M, CAUSE_ECALL_M, 0, ecall
        TEST_CASE(2)
        trap_in PRV_S, CAUSE_ECALL_S, 0, ecall
        TEST_CASE(3)
        trap_in PRV_U, CAUSE_ECALL_U, 0, ecall

        /* Plain M-mode ecall without mret first (MPP records M). */
        TEST_CASE(4)
        expect_trap 1f
2:      ecall
        j fail
1:      CHECK_EQ(s2, CAUSE_ECALL_M)
        CHECK_LABEL(s3, 2b)
        CHECK_MPP(PRV_M)

        /* EBREAK (32-bit) in M, S and U: cause 3, mepc = the ebreak; mtval is 0 or the pc. */
        .irp prv, PRV_M, PRV_S, PRV_U
        TEST_CASE(5 + \prv - \prv / 3)
        expect_trap 1f
        enter \prv, 2f
        .option push
        .option norvc
2:      ebreak
        .option pop
        j fail
1:      CHECK_EQ(s2, CAUSE_BREAKPOINT)
        CHECK_LABEL(s3, 2b)
        CHECK_MPP(\prv)
        beqz s4, 3f
        CHECK_LABEL(s4, 2b)
3:
        .endr
        /* (cases 7 = M, 6 = S and 5 = U) */

        /* C.EBREAK: cause 3, mepc = the 2-byte instruction. */
        TEST_CASE(9)
        expect_trap 1f
2:      c.ebreak
        j fail
1:      CHECK_EQ(s2, CAUSE_BREAKPOINT)
        CHECK_LABEL(s3, 2b)
        la t0, 2b
        lhu t1, 0(t0)
        CHECK_EQ(t1, 0x9002)

        /* Returning from a trap on a compressed instruction: the handler advances mepc by 2. */
        TEST_CASE(10)
        la t0, 3f
        csrw mtvec, t0
        li a0, 0
2:      c.ebreak
        addi a0, a0, 1
        CHECK_EQ(a0, 1)
        j 4f
        .balign 4
3:      csrr t0, mepc
        addi t0, t0, 2
        csrw mepc, t0
        mret
4:      set_mtvec mtrap_record

        /* Illegal instructions: mtval = the instruction bits. */
        TEST_CASE(11)           /* unknown M-level CSR 0x3ff */
        trap_in PRV_M, CAUSE_ILLEGAL, 0x3ff02573, csrr a0, 0x3ff
        TEST_CASE(12)           /* unknown S-level CSR 0x1ff, from S */
        trap_in PRV_S, CAUSE_ILLEGAL, 0x1ff02573, csrr a0, 0x1ff
        TEST_CASE(13)           /* unknown U-level CSR 0x0ff, from U */
        trap_in PRV_U, CAUSE_ILLEGAL, 0x0ff02573, csrr a0, 0x0ff
        TEST_CASE(14)           /* all-zero word */
        trap_in PRV_M, CAUSE_ILLEGAL, 0, .word 0
        TEST_CASE(15)           /* OP with an unassigned funct7 */
        trap_in PRV_M, CAUSE_ILLEGAL, 0xfe000033, .word 0xfe000033
        TEST_CASE(16)           /* the same from U-mode */
        trap_in PRV_U, CAUSE_ILLEGAL, 0xfe000033, .word 0xfe000033
        TEST_CASE(17)           /* write to a read-only CSR (cycle) */
        trap_in PRV_M, CAUSE_ILLEGAL, 0xc0051073, csrw cycle, a0
        TEST_CASE(18)           /* write to mvendorid (read-only) */
        trap_in PRV_M, CAUSE_ILLEGAL, 0xf1159073, csrw mvendorid, a1

        /* Compressed illegal instructions: mtval = the 16 bits, zero-extended. */
        TEST_CASE(19)           /* C.ADDI4SPN with nzuimm = 0 (reserved) */
        expect_trap 1f
2:      .half 0x0004
        j fail
1:      CHECK_EQ(s2, CAUSE_ILLEGAL)
        CHECK_LABEL(s3, 2b)
        CHECK_EQ(s4, 0x0004)
        TEST_CASE(20)           /* the all-zero halfword is the defined illegal instruction */
        expect_trap 1f
2:      .half 0x0000
        j fail
1:      CHECK_EQ(s2, CAUSE_ILLEGAL)
        CHECK_LABEL(s3, 2b)
        CHECK_EQ(s4, 0)
        TEST_CASE(21)           /* C.FLD with mstatus.FS = Off */
        li t0, MSTATUS_FS
        csrc mstatus, t0
        la a1, tohost
        expect_trap 1f
2:      c.fld fa0, 0(a1)        /* 0x2188 */
        j fail
1:      li t0, MSTATUS_FS_INITIAL
        csrs mstatus, t0
        CHECK_EQ(s2, CAUSE_ILLEGAL)
        CHECK_LABEL(s3, 2b)
        la t0, 2b
        lhu t0, 0(t0)
        bne s4, t0, fail
        TEST_CASE(22)           /* a compressed illegal instruction from U-mode: mepc, mtval */
        expect_trap 1f
        enter PRV_U, 2f
2:      .half 0x0004
        j fail
1:      CHECK_EQ(s2, CAUSE_ILLEGAL)
        CHECK_LABEL(s3, 2b)
        CHECK_EQ(s4, 0x0004)
        CHECK_MPP(PRV_U)

        /* Privileged instructions and CSRs from lower modes. */
        TEST_CASE(23)
        trap_in PRV_S, CAUSE_ILLEGAL, 0x30200073, mret
        TEST_CASE(24)
        trap_in PRV_U, CAUSE_ILLEGAL, 0x30200073, mret
        TEST_CASE(25)
        trap_in PRV_U, CAUSE_ILLEGAL, 0x10200073, sret
        TEST_CASE(26)
        trap_in PRV_S, CAUSE_ILLEGAL, 0x30002573, csrr a0, mstatus
        TEST_CASE(27)
        trap_in PRV_U, CAUSE_ILLEGAL, 0x10002573, csrr a0, sstatus
        TEST_CASE(28)
        trap_in PRV_U, CAUSE_ILLEGAL, 0x12000073, sfence.vma zero, zero
        TEST_CASE(29)           /* WFI in U-mode with S-mode present: illegal (no time limit) */
        trap_in PRV_U, CAUSE_ILLEGAL, 0x10500073, wfi
        TEST_CASE(30)
        trap_in PRV_S, CAUSE_ILLEGAL, 0x34102573, csrr a0, mepc
        TEST_CASE(31)           /* csrrs with rs1 = x0 still checks privilege */
        trap_in PRV_U, CAUSE_ILLEGAL, 0x14002573, csrrs a0, sscratch, zero
        TEST_CASE(32)
        trap_in PRV_S, CAUSE_ILLEGAL, 0x30571073, csrw mtvec, a4
        TEST_CASE(33)           /* M-mode CSR read from S through csrrwi */
        trap_in PRV_S, CAUSE_ILLEGAL, 0xf1405573, csrrwi a0, mhartid, 0

        /* Access faults: no device or memory at 0x40000000 on the spike board; mtval = address. */
        TEST_CASE(34)
        li a0, 0x40000000
        trap_in PRV_M, CAUSE_LOAD_ACCESS, 0x40000000, ld a1, 0(a0)
        TEST_CASE(35)
        li a0, 0x40000008
        trap_in PRV_M, CAUSE_STORE_ACCESS, 0x40000010, sw a1, 8(a0)
        TEST_CASE(36)
        li a0, 0x40000000
        trap_in PRV_S, CAUSE_LOAD_ACCESS, 0x40000004, lbu a1, 4(a0)
        TEST_CASE(37)           /* instruction access fault: mepc = mtval = the target */
        expect_trap 1f
        li a0, 0x40000000
        jalr a0
        j fail
1:      CHECK_EQ(s2, CAUSE_FETCH_ACCESS)
        CHECK_EQ(s3, 0x40000000)
        CHECK_EQ(s4, 0x40000000)

        /* Registers are preserved across a trap; the trap does not execute the instruction. */
        TEST_CASE(38)
        li a0, 0x1234
        expect_trap 1f
2:      csrrw a0, 0x3ff, a0
        j fail
1:      CHECK_EQ(a0, 0x1234)
        CHECK_EQ(s2, CAUSE_ILLEGAL)

        /* mepc: with C (IALIGN = 16), bit 1 is writable. (Bit 0 reads 0: priv-strict.S.) */
        TEST_CASE(39)
        li t0, 0x80001236
        csrw mepc, t0
        csrr t1, mepc
        CHECK_EQ(t1, 0x80001236)

        /* mtval/mcause/mscratch are read-write (WARL for mcause codes). */
        TEST_CASE(40)
        li t0, 0x123456789abcdef0
        csrw mtval, t0
        csrr t1, mtval
        bne t0, t1, fail
        csrw mscratch, t0
        csrr t1, mscratch
        bne t0, t1, fail
        li t0, CAUSE_ECALL_U
        csrw mcause, t0
        csrr t1, mcause
        CHECK_EQ(t1, CAUSE_ECALL_U)

        /* mret jumps to mepc: a hand-made return. */
        TEST_CASE(41)
        set_mpp PRV_M
        la t0, 2f
        csrw mepc, t0
        mret
        j fail
2:      csrr t0, mstatus
        li t1, MSTATUS_MPP
        and t0, t0, t1
        CHECK_EQ(t0, 0)         /* MPP = U after mret (U-mode supported) */

        /* Device regions are not executable (3.6.1, physical memory attributes): a jump into the
           CLINT is an instruction access fault, not a fetch of msip's 0 (an illegal instruction). */
        TEST_CASE(42)
        expect_trap 1f
        li a0, 0x2000000
        jalr a0
        j fail
1:      CHECK_EQ(s2, CAUSE_FETCH_ACCESS)
        CHECK_EQ(s3, 0x2000000)
        CHECK_EQ(s4, 0x2000000)

        j pass

        priv_handlers
TEST_END
