/* Trap delegation (privileged spec 3.1.8, 3.1.9, 4.1.1): medeleg/mideleg send exceptions and
   interrupts raised in S/U-mode to S-mode (stvec, scause, sepc, stval, SPP), never those raised in
   M-mode; traps that are not delegated go to M-mode. Direct and vectored mtvec/stvec: vectored
   interrupts go to base + 4 * cause, exceptions to base. */
#include "test.h"
#include "priv.h"

#define SPP_OF(reg) li t0, MSTATUS_SPP; and t0, reg, t0
#define MPP_OF(reg) li t0, MSTATUS_MPP; and t0, reg, t0

TEST_BEGIN
        priv_init
        set_mtvec mtrap_record
        set_stvec strap_record
        mtimecmp_set_max

        /* medeleg: the exceptions Linux has S-mode handle are delegatable. */
        TEST_CASE(1)
        li t0, -1
        csrw medeleg, t0
        csrr t1, medeleg
        li t2, (1 << 0) | (1 << 2) | (1 << 3) | (1 << 8) | (1 << 12) | (1 << 13) | (1 << 15)
        and t1, t1, t2
        bne t1, t2, fail
        csrw medeleg, zero
        csrr t1, medeleg
        CHECK_EQ(t1, 0)

        /* mideleg: the S-level interrupts are delegatable. */
        TEST_CASE(2)
        li t0, -1
        csrw mideleg, t0
        csrr t1, mideleg
        li t2, MIP_SSIP | MIP_STIP | MIP_SEIP
        and t1, t1, t2
        bne t1, t2, fail
        csrw mideleg, zero

        /* ECALL from U, delegated: taken in S with scause 8, sepc, stval 0, SPP = U. */
        TEST_CASE(3)
        li t0, 1 << CAUSE_ECALL_U
        csrw medeleg, t0
        expect_trap 1f
        la s10, 3f
        enter PRV_U, 2f
2:      ecall
        j fail
3:      ecall                   /* back in S-mode, after the S handler: to M */
        j fail
1:      CHECK_EQ(s6, CAUSE_ECALL_U)
        CHECK_LABEL(s7, 2b)
        CHECK_EQ(s8, 0)
        SPP_OF(s9)
        CHECK_EQ(t0, 0)
        CHECK_EQ(s2, CAUSE_ECALL_S)
        CHECK_LABEL(s3, 3b)

        /* ECALL from U, not delegated: taken in M (stvec not used). */
        TEST_CASE(4)
        csrw medeleg, zero
        expect_trap 1f
        enter PRV_U, 2f
2:      ecall
        j fail
1:      CHECK_EQ(s2, CAUSE_ECALL_U)
        CHECK_LABEL(s3, 2b)
        CHECK_EQ(s6, -1)

        /* ECALL from S, delegated: taken in S with SPP = S. The S handler leaves with EBREAK. */
        TEST_CASE(5)
        li t0, 1 << CAUSE_ECALL_S
        csrw medeleg, t0
        expect_trap 1f
        la s10, 3f
        enter PRV_S, 2f
2:      ecall
        j fail
        .option push
        .option norvc
3:      ebreak
        .option pop
        j fail
1:      CHECK_EQ(s6, CAUSE_ECALL_S)
        CHECK_LABEL(s7, 2b)
        SPP_OF(s9)
        CHECK_EQ(t0, MSTATUS_SPP)
        CHECK_EQ(s2, CAUSE_BREAKPOINT)
        CHECK_LABEL(s3, 3b)

        /* Exceptions raised in M-mode are never delegated. */
        TEST_CASE(6)
        li t0, -1
        csrw medeleg, t0
        expect_trap 1f
2:      ecall
        j fail
1:      CHECK_EQ(s2, CAUSE_ECALL_M)
        CHECK_LABEL(s3, 2b)
        CHECK_EQ(s6, -1)
        TEST_CASE(7)
        expect_trap 1f
2:      csrr a0, 0x3ff
        j fail
1:      CHECK_EQ(s2, CAUSE_ILLEGAL)
        CHECK_LABEL(s3, 2b)
        CHECK_EQ(s6, -1)
        TEST_CASE(8)
        expect_trap 1f
        li a0, 0x40000000
2:      ld a0, 0(a0)
        j fail
1:      CHECK_EQ(s2, CAUSE_LOAD_ACCESS)
        CHECK_EQ(s4, 0x40000000)
        CHECK_EQ(s6, -1)
        csrw medeleg, zero

        /* Illegal instruction from U, delegated: stval = the instruction bits. */
        TEST_CASE(9)
        li t0, 1 << CAUSE_ILLEGAL
        csrw medeleg, t0
        expect_trap 1f
        la s10, 3f
        enter PRV_U, 2f
2:      csrr a0, mstatus
        j fail
3:      ecall
        j fail
1:      CHECK_EQ(s6, CAUSE_ILLEGAL)
        CHECK_LABEL(s7, 2b)
        CHECK_EQ(s8, 0x30002573)
        CHECK_EQ(s2, CAUSE_ECALL_S)

        /* Illegal instruction from S, delegated: handled in S (a privileged CSR from S). */
        TEST_CASE(10)
        expect_trap 1f
        la s10, 3f
        enter PRV_S, 2f
2:      csrw mscratch, a0
        j fail
3:      ecall
        j fail
1:      CHECK_EQ(s6, CAUSE_ILLEGAL)
        CHECK_LABEL(s7, 2b)
        CHECK_EQ(s8, 0x34051073)
        SPP_OF(s9)
        CHECK_EQ(t0, MSTATUS_SPP)
        CHECK_EQ(s2, CAUSE_ECALL_S)

        /* Load access fault from U, delegated: stval = the address. */
        TEST_CASE(11)
        li t0, 1 << CAUSE_LOAD_ACCESS
        csrw medeleg, t0
        expect_trap 1f
        la s10, 3f
        li a0, 0x40000000
        enter PRV_U, 2f
2:      lw a1, 12(a0)
        j fail
3:      ecall
        j fail
1:      CHECK_EQ(s6, CAUSE_LOAD_ACCESS)
        CHECK_LABEL(s7, 2b)
        CHECK_EQ(s8, 0x4000000c)
        CHECK_EQ(s2, CAUSE_ECALL_S)

        /* Delegating one cause leaves the others in M: breakpoint from U goes to M. */
        TEST_CASE(12)
        expect_trap 1f
        enter PRV_U, 2f
        .option push
        .option norvc
2:      ebreak
        .option pop
        j fail
1:      CHECK_EQ(s2, CAUSE_BREAKPOINT)
        CHECK_LABEL(s3, 2b)
        CHECK_EQ(s6, -1)
        csrw medeleg, zero

        /* Delegated supervisor software interrupt in S with SIE = 1: taken in S right away. */
        TEST_CASE(13)
        li t0, MIP_SSIP
        csrw mideleg, t0
        csrw mie, t0
        csrs mip, t0
        li t0, MSTATUS_SIE
        csrs mstatus, t0
        expect_trap 1f
        la s10, 3f
        enter PRV_S, 2f
2:      nop
        j fail
3:      csrci sip, MIP_SSIP
4:      ecall
        j fail
1:      CHECK_EQ(s6, CAUSE_INTR | IRQ_SSI)
        CHECK_LABEL(s7, 2b)
        CHECK_EQ(s8, 0)
        SPP_OF(s9)
        CHECK_EQ(t0, MSTATUS_SPP)
        li t0, MSTATUS_SPIE | MSTATUS_SIE
        and t0, s9, t0
        CHECK_EQ(t0, MSTATUS_SPIE)  /* SPIE = old SIE (1), SIE = 0 */
        CHECK_EQ(s2, CAUSE_ECALL_S)
        CHECK_LABEL(s3, 4b)

        /* Delegated SSI pending in S with SIE = 0: not taken. */
        TEST_CASE(14)
        li t0, MIP_SSIP
        csrs mip, t0
        li t0, MSTATUS_SIE
        csrc mstatus, t0
        expect_trap 1f
        enter PRV_S, 2f
2:      nop
        nop
        ecall
        j fail
1:      CHECK_EQ(s6, -1)
        CHECK_EQ(s2, CAUSE_ECALL_S)
        csrr t0, mip
        andi t0, t0, MIP_SSIP
        CHECK_EQ(t0, MIP_SSIP)  /* still pending */

        /* Delegated SSI pending in U with SIE = 0: taken (S interrupts are always enabled in U). */
        TEST_CASE(15)
        expect_trap 1f
        la s10, 3f
        enter PRV_U, 2f
2:      nop
        j fail
3:      csrci sip, MIP_SSIP
        ecall
        j fail
1:      CHECK_EQ(s6, CAUSE_INTR | IRQ_SSI)
        CHECK_LABEL(s7, 2b)
        SPP_OF(s9)
        CHECK_EQ(t0, 0)
        CHECK_EQ(s2, CAUSE_ECALL_S)

        /* Delegated SSI pending in M with MIE = 1 and SIE = 1: never taken in M (nor in S). */
        TEST_CASE(16)
        li t0, MIP_SSIP
        csrs mip, t0
        li t0, MSTATUS_SIE | MSTATUS_MIE
        csrs mstatus, t0
        expect_trap fail
        nop
        nop
        li t0, MSTATUS_SIE | MSTATUS_MIE
        csrc mstatus, t0
        li t0, MIP_SSIP
        csrc mip, t0

        /* SSI not delegated, raised in S with mstatus.MIE = 0: taken in M (lower mode). */
        TEST_CASE(17)
        csrw mideleg, zero
        li t0, MIP_SSIP
        csrw mie, t0
        csrs mip, t0
        li t0, MSTATUS_SIE
        csrs mstatus, t0
        expect_trap 1f
        enter PRV_S, 2f
2:      nop
        j fail
1:      li t0, MIP_SSIP
        csrc mip, t0
        CHECK_EQ(s2, CAUSE_INTR | IRQ_SSI)
        CHECK_LABEL(s3, 2b)
        CHECK_EQ(s4, 0)
        MPP_OF(s5)
        CHECK_EQ(t0, MSTATUS_MPP_S)
        CHECK_EQ(s6, -1)

        /* Delegated supervisor timer interrupt (mip.STIP set by M) from U: taken in S. */
        TEST_CASE(18)
        li t0, MIP_STIP
        csrw mideleg, t0
        csrw mie, t0
        csrs mip, t0
        expect_trap 1f
        la s10, 3f
        enter PRV_U, 2f
2:      nop
        j fail
3:      ecall                   /* STIP is not writable from S: M clears it */
        j fail
1:      li t0, MIP_STIP
        csrc mip, t0
        CHECK_EQ(s6, CAUSE_INTR | IRQ_STI)
        CHECK_LABEL(s7, 2b)
        CHECK_EQ(s2, CAUSE_ECALL_S)

        /* Vectored stvec: delegated interrupts go to base + 4 * cause, exceptions to base. */
        TEST_CASE(19)
        la t0, svec
        ori t0, t0, 1
        csrw stvec, t0
        csrr t1, stvec
        bne t0, t1, fail
        li t0, MIP_SSIP | MIP_STIP
        csrw mideleg, t0
        csrw mie, t0
        li t0, MIP_SSIP
        csrs mip, t0
        li s0, -1
        expect_trap 1f
        la s10, 3f
        enter PRV_U, 2f
2:      nop
        j fail
3:      csrci sip, MIP_SSIP
        ecall
        j fail
1:      CHECK_EQ(s0, IRQ_SSI)
        CHECK_EQ(s6, CAUSE_INTR | IRQ_SSI)
        CHECK_LABEL(s7, 2b)
        TEST_CASE(20)
        li t0, MIP_STIP
        csrs mip, t0
        li s0, -1
        expect_trap 1f
        la s10, 3f
        enter PRV_U, 2f
2:      nop
        j fail
3:      ecall
        j fail
1:      li t0, MIP_STIP
        csrc mip, t0
        CHECK_EQ(s0, IRQ_STI)
        CHECK_EQ(s6, CAUSE_INTR | IRQ_STI)
        TEST_CASE(21)           /* delegated exception with vectored stvec: base */
        li t0, 1 << CAUSE_ECALL_U
        csrw medeleg, t0
        li s0, -1
        expect_trap 1f
        la s10, 3f
        enter PRV_U, 2f
2:      ecall
        j fail
3:      ecall
        j fail
1:      CHECK_EQ(s0, 0)
        CHECK_EQ(s6, CAUSE_ECALL_U)
        CHECK_LABEL(s7, 2b)
        csrw medeleg, zero
        csrw mideleg, zero
        set_stvec strap_record

        /* Vectored mtvec. */
        TEST_CASE(22)
        la t0, mvec
        ori t0, t0, 1
        csrw mtvec, t0
        csrr t1, mtvec
        bne t0, t1, fail
        li s0, -1               /* exception: base */
        expect_trap 1f
2:      ecall
        j fail
1:      CHECK_EQ(s0, 0)
        CHECK_EQ(s2, CAUSE_ECALL_M)
        CHECK_LABEL(s3, 2b)
        TEST_CASE(23)           /* machine-mode SSI (not delegated): base + 4 */
        li t0, MIP_SSIP
        csrw mie, t0
        csrs mip, t0
        li s0, -1
        expect_trap 1f
        csrsi mstatus, MSTATUS_MIE
2:      nop
        j fail
1:      li t0, MIP_SSIP
        csrc mip, t0
        CHECK_EQ(s0, IRQ_SSI)
        CHECK_EQ(s2, CAUSE_INTR | IRQ_SSI)
        CHECK_LABEL(s3, 2b)
        TEST_CASE(24)           /* machine software interrupt (CLINT msip): base + 12 */
        li t0, MIP_MSIP
        csrw mie, t0
        li t0, CLINT_MSIP
        li t1, 1
        sw t1, 0(t0)
        wait_mip MIP_MSIP, MIP_MSIP
        li s0, -1
        expect_trap 1f
        csrsi mstatus, MSTATUS_MIE
2:      nop
        j fail
1:      li t0, CLINT_MSIP
        sw zero, 0(t0)
        CHECK_EQ(s0, IRQ_MSI)
        CHECK_EQ(s2, CAUSE_INTR | IRQ_MSI)
        CHECK_LABEL(s3, 2b)
        TEST_CASE(25)           /* machine timer interrupt (mtimecmp = 0): base + 28 */
        li t0, MIP_MTIP
        csrw mie, t0
        li t0, CLINT_MTIMECMP
        sd zero, 0(t0)
        wait_mip MIP_MTIP, MIP_MTIP
        li s0, -1
        expect_trap 1f
        csrsi mstatus, MSTATUS_MIE
2:      nop
        j fail
1:      mtimecmp_set_max
        CHECK_EQ(s0, IRQ_MTI)
        CHECK_EQ(s2, CAUSE_INTR | IRQ_MTI)
        CHECK_LABEL(s3, 2b)
        csrw mie, zero
        set_mtvec mtrap_record

        /* mtvec/stvec MODE values >= 2 are reserved: a write of one does not make it readable. */
        TEST_CASE(26)
        la t0, mvec
        ori t1, t0, 2
        csrw stvec, t1
        csrr t2, stvec
        andi t2, t2, 3
        li t0, 2
        beq t2, t0, fail
        li t0, 3
        beq t2, t0, fail

        j pass

        priv_handlers

/* Vector tables: entry i records its index in s0, then runs the recording handler. */
        .option push
        .option norvc
        .balign 256
mvec:
        j mvec_0
        .irp i, 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
        j mvec_\i
        .endr
        .balign 256
svec:
        j svec_0
        .irp i, 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
        j svec_\i
        .endr
        .option pop
        .irp i, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
mvec_\i:
        li s0, \i
        j mtrap_record
svec_\i:
        li s0, \i
        j strap_record
        .endr
TEST_END
