/* mstatus and sstatus (privileged spec 3.1.6, 3.3.2, 4.1.1): UXL/SXL, sstatus as a restricted
   view, FS/SD, MPP/MPIE/MIE and SPP/SPIE/SIE across traps, MRET and SRET (xIE = xPIE, xPIE = 1,
   xPP = U), MPRV (loads/stores translated with MPP's privilege), SUM, MXR, TVM, TW and TSR.
   MPRV cleared by an xRET to a mode below M, and the reserved MPP/UXL values, are checked in
   priv-strict.S. */
#include "test.h"
#include "priv.h"

/* Markers stored at the start of the data pages. */
#define MARK(n) (0x5a5a0000 + (n))
/* Field groups. */
#define M_ONLY (MSTATUS_MIE | MSTATUS_MPIE | MSTATUS_MPP | MSTATUS_MPRV | MSTATUS_TVM | \
                MSTATUS_TW | MSTATUS_TSR)
#define S_SOME (MSTATUS_SUM | MSTATUS_MXR | MSTATUS_SPIE | MSTATUS_SPP)
#define S_IE (MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP)

TEST_BEGIN
        priv_init
        set_mtvec mtrap_record
        set_stvec strap_record

        /* UXL = SXL = 2 (64-bit) in mstatus, UXL = 2 in sstatus. */
        TEST_CASE(1)
        csrr t1, mstatus
        CHECK_FIELD(t1, MSTATUS_UXL | MSTATUS_SXL, 0xa00000000)
        csrr t1, sstatus
        CHECK_FIELD(t1, MSTATUS_UXL | MSTATUS_SXL, 0x200000000)

        /* sstatus hides the M-only fields and equals mstatus masked to the S fields. */
        TEST_CASE(2)
        li t0, MSTATUS_MPP_M | MSTATUS_MPIE | MSTATUS_TVM | MSTATUS_TW | MSTATUS_TSR | MSTATUS_MPRV
        csrs mstatus, t0
        li t0, MSTATUS_SUM | MSTATUS_MXR | MSTATUS_SPIE | MSTATUS_SPP
        csrs mstatus, t0
        csrr t1, sstatus
        CHECK_FIELD(t1, M_ONLY, 0)
        CHECK_FIELD(t1, S_SOME, S_SOME)
        csrr t2, mstatus
        li t0, SSTATUS_MASK
        and t2, t2, t0
        bne t1, t2, fail
        li t0, MSTATUS_TVM | MSTATUS_TW | MSTATUS_TSR | MSTATUS_MPRV
        csrc mstatus, t0

        /* Writing sstatus changes only the S fields of mstatus. (UXL is left alone here: writing a
           reserved UXL value is checked in priv-strict.S.) */
        TEST_CASE(3)
        li t0, ~MSTATUS_UXL
        csrw sstatus, t0
        csrr t1, mstatus
        CHECK_FIELD(t1, MSTATUS_MIE | MSTATUS_MPRV | MSTATUS_TVM | MSTATUS_TW | MSTATUS_TSR, 0)
        CHECK_FIELD(t1, MSTATUS_MPP | MSTATUS_MPIE, MSTATUS_MPP_M | MSTATUS_MPIE)
        CHECK_FIELD(t1, S_SOME | MSTATUS_SIE, S_SOME | MSTATUS_SIE)
        CHECK_FIELD(t1, MSTATUS_UXL | MSTATUS_SXL, 0xa00000000)
        csrw sstatus, zero
        csrr t1, mstatus
        CHECK_FIELD(t1, S_SOME | MSTATUS_SIE | MSTATUS_FS, 0)
        CHECK_FIELD(t1, MSTATUS_MPP | MSTATUS_MPIE, MSTATUS_MPP_M | MSTATUS_MPIE)

        /* FS/SD: SD summarises FS (XS and VS are 0 here). */
        TEST_CASE(4)
        li t0, MSTATUS_FS_DIRTY
        csrs mstatus, t0
        csrr t1, mstatus
        srli t1, t1, 63
        CHECK_EQ(t1, 1)
        csrr t1, sstatus
        srli t1, t1, 63
        CHECK_EQ(t1, 1)
        TEST_CASE(5)
        li t0, MSTATUS_FS
        csrc mstatus, t0
        li t0, MSTATUS_FS_CLEAN
        csrs mstatus, t0
        csrr t1, mstatus
        CHECK_FIELD(t1, MSTATUS_FS | MSTATUS_SD, MSTATUS_FS_CLEAN)
        csrr t1, sstatus
        CHECK_FIELD(t1, MSTATUS_FS | MSTATUS_SD, MSTATUS_FS_CLEAN)
        /* An FP register write makes FS Dirty (and SD = 1). */
        TEST_CASE(6)
        fmv.d.x fa0, zero
        csrr t1, mstatus
        CHECK_FIELD(t1, MSTATUS_FS | MSTATUS_SD, MSTATUS_FS_DIRTY | MSTATUS_SD)
        /* FS = Off: FP instructions and fcsr accesses are illegal. */
        TEST_CASE(7)
        li t0, MSTATUS_FS
        csrc mstatus, t0
        expect_trap 1f
2:      fadd.d fa0, fa1, fa2, rne
        j fail
1:      CHECK_EQ(s2, CAUSE_ILLEGAL)
        CHECK_LABEL(s3, 2b)
        CHECK_EQ(s4, 0x02c58553)
        TEST_CASE(8)
        expect_trap 1f
2:      csrr a0, fcsr
        j fail
1:      CHECK_EQ(s2, CAUSE_ILLEGAL)
        CHECK_EQ(s4, 0x00302573)
        csrr t1, mstatus
        CHECK_FIELD(t1, MSTATUS_FS | MSTATUS_SD, 0)
        li t0, MSTATUS_FS_INITIAL
        csrs mstatus, t0

        /* MPP holds each implemented mode (U, S, M); SPP holds U and S. (The reserved MPP value 2
           is checked in priv-strict.S.) */
        TEST_CASE(9)
        .irp prv, PRV_U, PRV_S, PRV_M
        set_mpp \prv
        csrr t1, mstatus
        CHECK_FIELD(t1, MSTATUS_MPP, (\prv) << 11)
        .endr
        li t0, MSTATUS_SPP
        csrs mstatus, t0
        csrr t1, sstatus
        CHECK_FIELD(t1, MSTATUS_SPP, MSTATUS_SPP)
        csrc mstatus, t0
        csrr t1, sstatus
        CHECK_FIELD(t1, MSTATUS_SPP, 0)

        /* Trap from S: MPIE = MIE at the trap (1, from mret's MIE = MPIE), MIE = 0, MPP = S. */
        TEST_CASE(10)
        li t0, MSTATUS_MPIE
        csrs mstatus, t0
        expect_trap 1f
        enter PRV_S, 2f
2:      csrr a0, mstatus        /* illegal in S */
        j fail
1:      CHECK_EQ(s2, CAUSE_ILLEGAL)
        CHECK_FIELD(s5, MSTATUS_MPP | MSTATUS_MPIE | MSTATUS_MIE, MSTATUS_MPP_S | MSTATUS_MPIE)
        TEST_CASE(11)           /* the same with MPIE = 0 before mret */
        li t0, MSTATUS_MPIE
        csrc mstatus, t0
        expect_trap 1f
        enter PRV_U, 2f
2:      ecall
        j fail
1:      CHECK_EQ(s2, CAUSE_ECALL_U)
        CHECK_FIELD(s5, MSTATUS_MPP | MSTATUS_MPIE | MSTATUS_MIE, 0)
        TEST_CASE(12)           /* trap from M with MIE = 1: MPIE = 1, MIE = 0, MPP = M */
        csrsi mstatus, MSTATUS_MIE
        expect_trap 1f
2:      ecall
        j fail
1:      CHECK_FIELD(s5, MSTATUS_MPP | MSTATUS_MPIE | MSTATUS_MIE, MSTATUS_MPP_M | MSTATUS_MPIE)
        csrr t1, mstatus
        CHECK_FIELD(t1, MSTATUS_MIE, 0)

        /* MRET to M: MIE = MPIE, MPIE = 1, MPP = U, MPRV kept. */
        TEST_CASE(13)
        li t0, MSTATUS_MPIE | MSTATUS_MPRV
        csrs mstatus, t0
        set_mpp PRV_M
        la t0, 2f
        csrw mepc, t0
        mret
        j fail
2:      csrr t1, mstatus
        csrci mstatus, MSTATUS_MIE
        li t0, MSTATUS_MPRV
        csrc mstatus, t0
        CHECK_FIELD(t1, MSTATUS_MPP | MSTATUS_MPIE | MSTATUS_MIE | MSTATUS_MPRV, \
                    MSTATUS_MPIE | MSTATUS_MIE | MSTATUS_MPRV)
        TEST_CASE(14)           /* MPIE = 0: MIE becomes 0, MPIE becomes 1 */
        li t0, MSTATUS_MPIE
        csrc mstatus, t0
        csrsi mstatus, MSTATUS_MIE
        set_mpp PRV_M
        la t0, 2f
        csrw mepc, t0
        mret
        j fail
2:      csrr t1, mstatus
        CHECK_FIELD(t1, MSTATUS_MPP | MSTATUS_MPIE | MSTATUS_MIE, MSTATUS_MPIE)

        /* MRET to U: U-mode runs with MIE = MPIE (seen as MPIE at the next trap). MRET to S leaves
           the S fields alone. (MPRV cleared by MRET/SRET below M: priv-strict.S.) */
        TEST_CASE(15)
        li t0, MSTATUS_MPIE
        csrs mstatus, t0
        expect_trap 1f
        enter PRV_U, 2f
2:      ecall
        j fail
1:      CHECK_EQ(s2, CAUSE_ECALL_U)
        CHECK_FIELD(s5, MSTATUS_MPP | MSTATUS_MPIE | MSTATUS_MIE, MSTATUS_MPIE)
        TEST_CASE(16)
        li t0, MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP
        csrs mstatus, t0
        expect_trap 1f
        enter PRV_S, 2f
2:      ecall
        j fail
1:      CHECK_EQ(s2, CAUSE_ECALL_S)
        CHECK_FIELD(s5, S_IE, S_IE)

        /* SRET executed in M: to SPP's mode (S), SIE = SPIE, SPIE = 1, SPP = U. */
        TEST_CASE(17)
        li t0, MSTATUS_SIE
        csrc mstatus, t0
        li t0, MSTATUS_SPP | MSTATUS_SPIE
        csrs mstatus, t0
        la t0, 2f
        csrw sepc, t0
        expect_trap 1f
        sret
        j fail
2:      ecall
        j fail
1:      CHECK_EQ(s2, CAUSE_ECALL_S)
        CHECK_LABEL(s3, 2b)
        CHECK_FIELD(s5, MSTATUS_SPP | MSTATUS_SPIE | MSTATUS_SIE, MSTATUS_SPIE | MSTATUS_SIE)
        TEST_CASE(18)           /* SPP = U, SPIE = 0: to U with SIE = 0 */
        li t0, MSTATUS_SPP | MSTATUS_SPIE | MSTATUS_SIE
        csrc mstatus, t0
        la t0, 2f
        csrw sepc, t0
        expect_trap 1f
        sret
        j fail
2:      ecall
        j fail
1:      CHECK_EQ(s2, CAUSE_ECALL_U)
        CHECK_FIELD(s5, MSTATUS_SPP | MSTATUS_SPIE | MSTATUS_SIE, MSTATUS_SPIE)

        /* Trap from S into S (ecall delegated) with SIE = 1: SPP = S, SPIE = 1, SIE = 0; SRET
           back restores SIE = 1 and sets SPIE = 1, SPP = U. */
        TEST_CASE(19)
        li t0, 1 << CAUSE_ECALL_S
        csrw medeleg, t0
        set_stvec strap_skip
        li t0, MSTATUS_SIE
        csrs mstatus, t0
        expect_trap 1f
        enter PRV_S, 2f
        .option push
        .option norvc
2:      ecall
        csrr a0, sstatus
        ebreak
        .option pop
        j fail
1:      CHECK_EQ(s1, 1)
        CHECK_EQ(s6, CAUSE_ECALL_S)
        CHECK_LABEL(s7, 2b)
        CHECK_FIELD(s9, MSTATUS_SPP | MSTATUS_SPIE | MSTATUS_SIE, MSTATUS_SPP | MSTATUS_SPIE)
        CHECK_FIELD(a0, MSTATUS_SPP | MSTATUS_SPIE | MSTATUS_SIE, MSTATUS_SPIE | MSTATUS_SIE)
        CHECK_EQ(s2, CAUSE_BREAKPOINT)
        TEST_CASE(20)           /* trap from U into S with SIE = 0: SPP = U, SPIE = 0 */
        li t0, 1 << CAUSE_ECALL_U
        csrw medeleg, t0
        li t0, MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP
        csrc mstatus, t0
        expect_trap 1f
        enter PRV_U, 2f
        .option push
        .option norvc
2:      ecall
        ebreak
        .option pop
        j fail
1:      CHECK_EQ(s1, 1)
        CHECK_EQ(s6, CAUSE_ECALL_U)
        CHECK_FIELD(s9, MSTATUS_SPP | MSTATUS_SPIE | MSTATUS_SIE, 0)
        CHECK_EQ(s2, CAUSE_BREAKPOINT)
        li t0, MSTATUS_MPP
        and t0, s5, t0
        CHECK_EQ(t0, 0)         /* ebreak came from U: the S trap and SRET returned to U */
        csrw medeleg, zero
        set_stvec strap_record

        /* TSR: SRET in S is illegal when TSR = 1, allowed when TSR = 0. */
        TEST_CASE(21)
        li t0, MSTATUS_TSR
        csrs mstatus, t0
        expect_trap 1f
        enter PRV_S, 2f
2:      sret
        j fail
1:      CHECK_EQ(s2, CAUSE_ILLEGAL)
        CHECK_LABEL(s3, 2b)
        CHECK_EQ(s4, 0x10200073)
        TEST_CASE(22)
        li t0, MSTATUS_TSR
        csrc mstatus, t0
        li t0, MSTATUS_SPP
        csrs mstatus, t0
        la t0, 3f
        csrw sepc, t0
        expect_trap 1f
        enter PRV_S, 2f
2:      sret
        j fail
3:      ecall
        j fail
1:      CHECK_EQ(s2, CAUSE_ECALL_S)
        CHECK_LABEL(s3, 3b)
        TEST_CASE(23)           /* TSR does not affect M-mode SRET */
        li t0, MSTATUS_TSR | MSTATUS_SPP
        csrs mstatus, t0
        la t0, 3f
        csrw sepc, t0
        expect_trap 1f
        sret
        j fail
3:      ecall
        j fail
1:      CHECK_EQ(s2, CAUSE_ECALL_S)
        CHECK_LABEL(s3, 3b)
        li t0, MSTATUS_TSR
        csrc mstatus, t0

        /* TW: WFI in S is illegal when TW = 1; with TW = 0 it returns once an enabled interrupt is
           pending (here a delegated SSI masked by SIE = 0). */
        TEST_CASE(24)
        li t0, MSTATUS_TW
        csrs mstatus, t0
        expect_trap 1f
        enter PRV_S, 2f
2:      wfi
        j fail
1:      CHECK_EQ(s2, CAUSE_ILLEGAL)
        CHECK_LABEL(s3, 2b)
        CHECK_EQ(s4, 0x10500073)
        TEST_CASE(25)
        li t0, MSTATUS_TW
        csrc mstatus, t0
        li t0, MIP_SSIP
        csrw mideleg, t0
        csrw mie, t0
        csrs mip, t0
        li t0, MSTATUS_SIE
        csrc mstatus, t0
        expect_trap 1f
        enter PRV_S, 2f
2:      wfi
3:      ecall
        j fail
1:      CHECK_EQ(s2, CAUSE_ECALL_S)
        CHECK_LABEL(s3, 3b)
        CHECK_EQ(s6, -1)
        TEST_CASE(26)           /* TW does not affect M-mode WFI */
        csrw mideleg, zero
        li t0, MSTATUS_TW
        csrs mstatus, t0
        expect_trap fail
        wfi
        li t0, MSTATUS_TW
        csrc mstatus, t0
        li t0, MIP_SSIP
        csrc mip, t0
        csrw mie, zero

        /* TVM: satp and SFENCE.VMA are illegal in S when TVM = 1, allowed when TVM = 0; M-mode
           satp accesses are unaffected. */
        TEST_CASE(27)
        li t0, MSTATUS_TVM
        csrs mstatus, t0
        expect_trap 1f
        enter PRV_S, 2f
2:      csrr a0, satp
        j fail
1:      CHECK_EQ(s2, CAUSE_ILLEGAL)
        CHECK_LABEL(s3, 2b)
        CHECK_EQ(s4, 0x18002573)
        TEST_CASE(28)
        expect_trap 1f
        enter PRV_S, 2f
2:      csrw satp, zero
        j fail
1:      CHECK_EQ(s2, CAUSE_ILLEGAL)
        CHECK_LABEL(s3, 2b)
        TEST_CASE(29)
        expect_trap 1f
        enter PRV_S, 2f
2:      sfence.vma zero, zero
        j fail
1:      CHECK_EQ(s2, CAUSE_ILLEGAL)
        CHECK_LABEL(s3, 2b)
        CHECK_EQ(s4, 0x12000073)
        TEST_CASE(30)
        csrr a0, satp
        csrw satp, zero
        sfence.vma
        li t0, MSTATUS_TVM
        csrc mstatus, t0
        TEST_CASE(31)
        expect_trap 1f
        enter PRV_S, 2f
2:      csrr a0, satp
        csrw satp, zero
        sfence.vma zero, zero
        sfence.vma a0, zero
        ecall
        j fail
1:      CHECK_EQ(s2, CAUSE_ECALL_S)

        /* ---- Address translation modifiers: MPRV, SUM, MXR (Sv39). ---- */
        vm_std_layout
        map_test_page 0, DATA_PAGE(0), PTE_V | PTE_R | PTE_W | PTE_A | PTE_D
        map_test_page 1, DATA_PAGE(1), PTE_V | PTE_R | PTE_W | PTE_U | PTE_A | PTE_D
        map_test_page 2, DATA_PAGE(2), PTE_V | PTE_X | PTE_A
        map_test_page 3, DATA_PAGE(3), PTE_V | PTE_X | PTE_U | PTE_A
        .irp n, 0, 1, 2, 3
        li t0, DATA_PAGE(\n)
        li t1, MARK(\n)
        sd t1, 0(t0)
        .endr
        satp_set SATP_MODE_SV39, PT_PAGE(0)

        /* MPRV = 1, MPP = S: M-mode loads and stores are translated as S-mode ones. */
        TEST_CASE(32)
        set_mpp PRV_S
        li a1, TEST_VA(0)
        li t0, MSTATUS_MPRV
        csrs mstatus, t0
        ld a0, 0(a1)
        li a2, 0x77
        sd a2, 8(a1)
        csrc mstatus, t0
        CHECK_EQ(a0, MARK(0))
        li t0, DATA_PAGE(0)
        ld a0, 8(t0)
        CHECK_EQ(a0, 0x77)
        /* MPRV = 1 with MPP = M: no translation (M-mode physical access). */
        TEST_CASE(33)
        set_mpp PRV_M
        li t0, MSTATUS_MPRV
        csrs mstatus, t0
        li a1, DATA_PAGE(1)
        ld a0, 0(a1)
        li t0, MSTATUS_MPRV
        csrc mstatus, t0
        CHECK_EQ(a0, MARK(1))
        /* MPRV = 1, MPP = U: a supervisor page faults (cause 13, mtval = VA), taken in M. */
        TEST_CASE(34)
        set_mpp PRV_U
        li a1, TEST_VA(0)
        expect_trap 1f
        li t0, MSTATUS_MPRV
        csrs mstatus, t0
2:      ld a0, 0(a1)
        j fail
1:      li t0, MSTATUS_MPRV
        csrc mstatus, t0
        CHECK_EQ(s2, CAUSE_LOAD_PAGE)
        CHECK_LABEL(s3, 2b)
        CHECK_EQ(s4, TEST_VA(0))
        CHECK_FIELD(s5, MSTATUS_MPP, MSTATUS_MPP_M)
        /* MPRV = 1, MPP = U: a user page is accessible. */
        TEST_CASE(35)
        set_mpp PRV_U
        li a1, TEST_VA(1)
        li t0, MSTATUS_MPRV
        csrs mstatus, t0
        ld a0, 0(a1)
        csrc mstatus, t0
        CHECK_EQ(a0, MARK(1))
        /* MPRV = 1, MPP = S: a user page faults unless SUM = 1 (store: cause 15). */
        TEST_CASE(36)
        set_mpp PRV_S
        li a1, TEST_VA(1)
        expect_trap 1f
        li t0, MSTATUS_MPRV
        csrs mstatus, t0
2:      sd zero, 16(a1)
        j fail
1:      li t0, MSTATUS_MPRV
        csrc mstatus, t0
        CHECK_EQ(s2, CAUSE_STORE_PAGE)
        CHECK_EQ(s4, TEST_VA(1) + 16)
        TEST_CASE(37)
        set_mpp PRV_S
        li t0, MSTATUS_MPRV | MSTATUS_SUM
        csrs mstatus, t0
        ld a0, 0(a1)
        csrc mstatus, t0
        CHECK_EQ(a0, MARK(1))
        /* MPRV = 1, MPP = S: execute-only page readable only with MXR = 1. */
        TEST_CASE(38)
        li a1, TEST_VA(2)
        set_mpp PRV_S
        expect_trap 1f
        li t0, MSTATUS_MPRV
        csrs mstatus, t0
2:      ld a0, 0(a1)
        j fail
1:      li t0, MSTATUS_MPRV
        csrc mstatus, t0
        CHECK_EQ(s2, CAUSE_LOAD_PAGE)
        CHECK_EQ(s4, TEST_VA(2))
        TEST_CASE(39)
        set_mpp PRV_S
        li t0, MSTATUS_MPRV | MSTATUS_MXR
        csrs mstatus, t0
        ld a0, 0(a1)
        csrc mstatus, t0
        CHECK_EQ(a0, MARK(2))

        /* SUM in S-mode: loads/stores to user pages fault unless SUM = 1. */
        TEST_CASE(40)
        li a1, TEST_VA(1)
        expect_trap 1f
        enter PRV_S, 2f
2:      ld a0, 0(a1)
        j fail
1:      CHECK_EQ(s2, CAUSE_LOAD_PAGE)
        CHECK_LABEL(s3, 2b)
        CHECK_EQ(s4, TEST_VA(1))
        TEST_CASE(41)
        expect_trap 1f
        enter PRV_S, 2f
2:      sw a1, 4(a1)
        j fail
1:      CHECK_EQ(s2, CAUSE_STORE_PAGE)
        CHECK_LABEL(s3, 2b)
        CHECK_EQ(s4, TEST_VA(1) + 4)
        TEST_CASE(42)
        li t0, MSTATUS_SUM
        csrs mstatus, t0
        li a0, 0
        expect_trap 1f
        enter PRV_S, 2f
2:      ld a0, 0(a1)
        sd a0, 24(a1)
        ecall
        j fail
1:      CHECK_EQ(s2, CAUSE_ECALL_S)
        CHECK_EQ(a0, MARK(1))
        li t0, DATA_PAGE(1)
        ld t1, 24(t0)
        CHECK_EQ(t1, MARK(1))
        /* ... but S-mode never executes from a user page, even with SUM = 1. */
        TEST_CASE(43)
        la a1, 3f
        li t0, U_ALIAS_OFFSET
        add a1, a1, t0
        expect_trap 1f
        enter PRV_S, 2f
2:      jr a1
        j fail
3:      ecall
        j fail
1:      CHECK_EQ(s2, CAUSE_FETCH_PAGE)
        bne s3, a1, fail
        bne s4, a1, fail
        li t0, MSTATUS_SUM
        csrc mstatus, t0

        /* MXR in S-mode: loads from an execute-only page fault unless MXR = 1; stores always. */
        TEST_CASE(44)
        li a1, TEST_VA(2)
        expect_trap 1f
        enter PRV_S, 2f
2:      lw a0, 0(a1)
        j fail
1:      CHECK_EQ(s2, CAUSE_LOAD_PAGE)
        CHECK_EQ(s4, TEST_VA(2))
        TEST_CASE(45)
        li t0, MSTATUS_MXR
        csrs mstatus, t0
        li a0, 0
        expect_trap 1f
        enter PRV_S, 2f
2:      lw a0, 0(a1)
        ecall
        j fail
1:      CHECK_EQ(s2, CAUSE_ECALL_S)
        CHECK_EQ(a0, MARK(2))
        TEST_CASE(46)
        expect_trap 1f
        enter PRV_S, 2f
2:      sw zero, 0(a1)
        j fail
1:      CHECK_EQ(s2, CAUSE_STORE_PAGE)
        CHECK_EQ(s4, TEST_VA(2))
        /* MXR in U-mode on an execute-only user page. */
        TEST_CASE(47)
        li a1, TEST_VA(3)
        li a0, 0
        expect_trap 1f
        enter PRV_U, 2f, U_ALIAS_OFFSET
2:      ld a0, 0(a1)
        ecall
        j fail
1:      CHECK_EQ(s2, CAUSE_ECALL_U)
        CHECK_EQ(a0, MARK(3))
        li t0, MSTATUS_MXR
        csrc mstatus, t0
        TEST_CASE(48)
        expect_trap 1f
        enter PRV_U, 2f, U_ALIAS_OFFSET
2:      ld a0, 0(a1)
        j fail
1:      CHECK_EQ(s2, CAUSE_LOAD_PAGE)
        CHECK_ULABEL(s3, 2b)
        CHECK_EQ(s4, TEST_VA(3))
        /* SUM does not let U-mode access supervisor pages. */
        TEST_CASE(49)
        li t0, MSTATUS_SUM
        csrs mstatus, t0
        li a1, TEST_VA(0)
        expect_trap 1f
        enter PRV_U, 2f, U_ALIAS_OFFSET
2:      ld a0, 0(a1)
        j fail
1:      CHECK_EQ(s2, CAUSE_LOAD_PAGE)
        CHECK_EQ(s4, TEST_VA(0))
        li t0, MSTATUS_SUM
        csrc mstatus, t0

        csrw satp, zero
        sfence.vma
        j pass

        priv_handlers
TEST_END
