/* Misaligned accesses (unprivileged spec 2.6, privileged spec 3.1.16, 3.6.3.4, 4.3.2): ordinary
   misaligned loads and stores are carried out by the hart (no trap), also across a page boundary
   between two mapped pages whose physical pages are not adjacent; a misaligned access that
   reaches an unmapped or forbidden page raises a page fault with mtval/stval = the virtual address
   of the portion that faulted; LR/SC and AMOs at misaligned addresses raise address-misaligned
   (4 for LR, 6 for SC/AMO) or access-fault (5/7) exceptions; a 32-bit instruction spanning two
   pages runs, or faults with mepc = its start and mtval = the address in the second page. */
#include "test.h"
#include "priv.h"

#define PAGE 0x1000
/* The 8 bytes b, b+1, ..., b+7 as a little-endian doubleword. */
#define BYTES8(b) ((b) | (((b) + 1) << 8) | (((b) + 2) << 16) | (((b) + 3) << 24) | \
                   (((b) + 4) << 32) | (((b) + 5) << 40) | (((b) + 6) << 48) | (((b) + 7) << 56))
/* Virtual pages: TEST_VA(0) -> DATA_PAGE(5), TEST_VA(1) -> DATA_PAGE(2) (not adjacent),
   TEST_VA(2) unmapped, TEST_VA(3) -> DATA_PAGE(3) read-only, TEST_VA(4) -> DATA_PAGE(4) RW (user),
   TEST_VA(5) unmapped, TEST_VA(6) -> DATA_PAGE(6) (user), TEST_VA(7) unmapped, TEST_VA(8..9) and
   TEST_VA(10) code (see below), TEST_VA(12) -> DATA_PAGE(7) RW, TEST_VA(13) -> DATA_PAGE(3)
   read-only. */
#define RW (PTE_V | PTE_R | PTE_W | PTE_A | PTE_D)

/* A misaligned LR/SC/AMO at address a1 (M-mode): cause `cmis` (address misaligned) or `cacc`
   (access fault), mtval = a1, mepc = the instruction. misaligned_amo_any accepts any of the
   load/store misaligned/access-fault causes 4..7 (the exact store/AMO cause for AMOs is checked
   in priv-strict.S). */
.macro misaligned_amo cmis, cacc, insn:vararg
        expect_trap 1102f
1101:   \insn
        j fail
1102:   li t0, \cmis
        beq s2, t0, 1103f
        CHECK_EQ(s2, \cacc)
1103:   bne s4, a1, fail
        CHECK_LABEL(s3, 1101b)
.endm
.macro misaligned_amo_any insn:vararg
        expect_trap 1102f
1101:   \insn
        j fail
1102:   addi t0, s2, -CAUSE_LOAD_MISALIGNED
        li t1, 3
        bgtu t0, t1, fail
        bne s4, a1, fail
        CHECK_LABEL(s3, 1101b)
.endm

TEST_BEGIN
        priv_init
        set_mtvec mtrap_record

        /* A byte pattern in a physical buffer: byte i = i + 1 (i < 64). */
        la a0, buf
        li t0, 0
1:      addi t1, t0, 1
        add t2, a0, t0
        sb t1, 0(t2)
        addi t0, t0, 1
        li t1, 64
        bltu t0, t1, 1b

        /* M-mode (bare) misaligned loads: little-endian values, sign/zero extension. */
        TEST_CASE(1)
        la a0, buf
        lh t1, 1(a0)
        CHECK_EQ(t1, 0x0302)
        lhu t1, 3(a0)
        CHECK_EQ(t1, 0x0504)
        TEST_CASE(2)
        lw t1, 1(a0)
        CHECK_EQ(t1, 0x05040302)
        lw t1, 2(a0)
        CHECK_EQ(t1, 0x06050403)
        lwu t1, 3(a0)
        CHECK_EQ(t1, 0x07060504)
        TEST_CASE(3)
        .irp off, 1, 2, 3, 4, 5, 6, 7
        ld t1, \off(a0)
        li t2, BYTES8(\off + 1)
        bne t1, t2, fail
        .endr
        TEST_CASE(4)            /* sign extension of misaligned lh/lw */
        li t0, 0x8180
        sh t0, 33(a0)
        lh t1, 33(a0)
        CHECK_EQ(t1, 0xffffffffffff8180)
        li t0, 0x80818283
        sw t0, 35(a0)
        lw t1, 35(a0)
        CHECK_EQ(t1, 0xffffffff80818283)
        TEST_CASE(5)            /* misaligned stores write exactly their bytes */
        li t0, 0x1122334455667788
        sd t0, 41(a0)
        lbu t1, 40(a0)
        CHECK_EQ(t1, 41)
        lbu t1, 49(a0)
        CHECK_EQ(t1, 50)
        ld t1, 41(a0)
        CHECK_EQ(t1, 0x1122334455667788)
        lbu t1, 41(a0)
        CHECK_EQ(t1, 0x88)
        TEST_CASE(6)            /* FP loads and stores */
        li t0, 0x400921fb54442d18
        sd t0, 51(a0)
        fld fa0, 51(a0)
        fmv.x.d t1, fa0
        CHECK_EQ(t1, 0x400921fb54442d18)
        fsw fa0, 13(a0)
        lwu t1, 13(a0)
        CHECK_EQ(t1, 0x54442d18)
        flw fa1, 13(a0)
        fmv.x.w t1, fa1
        CHECK_EQ(t1, 0x54442d18)

        /* Misaligned LR and AMOs trap (LR: load address-misaligned or access fault), and are not
           performed. (Misaligned SC without a reservation: priv-strict.S.) */
        TEST_CASE(7)
        addi a1, a0, 2
        misaligned_amo CAUSE_LOAD_MISALIGNED, CAUSE_LOAD_ACCESS, lr.w t1, (a1)
        TEST_CASE(8)
        addi a1, a0, 4
        misaligned_amo CAUSE_LOAD_MISALIGNED, CAUSE_LOAD_ACCESS, lr.d t1, (a1)
        TEST_CASE(9)
        addi a1, a0, 1
        misaligned_amo_any amoor.d t1, zero, (a1)
        TEST_CASE(10)
        addi a1, a0, 6
        misaligned_amo_any amoadd.w t1, t0, (a1)
        TEST_CASE(11)
        addi a1, a0, 4
        misaligned_amo_any amoswap.d t1, t0, (a1)
        TEST_CASE(12)
        addi a1, a0, 3
        misaligned_amo_any amomaxu.w t1, t0, (a1)
        TEST_CASE(13)
        addi a1, a0, 2
        misaligned_amo_any amominu.w t1, t0, (a1)
        ld t1, 0(a0)            /* memory unchanged */
        CHECK_EQ(t1, 0x0807060504030201)
        lwu t1, 8(a0)
        CHECK_EQ(t1, 0x0c0b0a09)

        /* ---- Sv39 ---- */
        vm_std_layout
        map_test_page 0, DATA_PAGE(5), RW
        map_test_page 1, DATA_PAGE(2), RW
        map_test_page 3, DATA_PAGE(3), PTE_V | PTE_R | PTE_A
        map_test_page 4, DATA_PAGE(4), RW | PTE_U
        map_test_page 6, DATA_PAGE(6), RW | PTE_U
        map_test_page 12, DATA_PAGE(7), RW
        map_test_page 13, DATA_PAGE(3), PTE_V | PTE_R | PTE_A
        la t2, xpage_a
        pte_set_reg PT_PAGE(2), 8, t2, PTE_V | PTE_X | PTE_A
        la t2, xpage_b
        pte_set_reg PT_PAGE(2), 9, t2, PTE_V | PTE_X | PTE_A
        la t2, xpage_a
        pte_set_reg PT_PAGE(2), 10, t2, PTE_V | PTE_X | PTE_A      /* TEST_VA(11) unmapped */
        li t0, DATA_PAGE(5) + PAGE - 8
        li t1, 0x8877665544332211
        sd t1, 0(t0)
        li t0, DATA_PAGE(2)
        li t1, 0xffeeddccbbaa9988
        sd t1, 0(t0)
        li t0, DATA_PAGE(3)
        li t1, 0x0123456789abcdef
        sd t1, 0(t0)
        satp_set SATP_MODE_SV39, PT_PAGE(0)

        /* Loads crossing from TEST_VA(0) into TEST_VA(1) (physically far apart). */
        TEST_CASE(14)
        li a1, TEST_VA(1)
        run_in PRV_S
        ld a0, -4(a1)
        lw a2, -2(a1)
        lhu a3, -1(a1)
        ld a4, -7(a1)
        run_end PRV_S
        CHECK_EQ(a0, 0xbbaa998888776655)
        CHECK_EQ(a2, 0xffffffff99888877)
        CHECK_EQ(a3, 0x8888)
        CHECK_EQ(a4, 0x8888776655443322)
        /* Stores crossing the same boundary. */
        TEST_CASE(15)
        run_in PRV_S
        li a0, 0x0102030405060708
        sd a0, -3(a1)
        li a0, 0xa1a2a3a4
        sw a0, -13(a1)
        run_end PRV_S
        li t0, DATA_PAGE(5) + PAGE - 8
        ld t1, 0(t0)
        CHECK_EQ(t1, 0x0607085544332211)
        li t0, DATA_PAGE(2)
        ld t1, 0(t0)
        CHECK_EQ(t1, 0xffeedd0102030405)
        li t0, DATA_PAGE(5) + PAGE - 13
        lwu t1, 0(t0)
        CHECK_EQ(t1, 0xa1a2a3a4)
        /* A U-mode misaligned load within one user page. */
        TEST_CASE(16)
        li a1, TEST_VA(4) + 0x101
        li t0, DATA_PAGE(4) + 0x100
        li t1, 0x1716151413121110
        sd t1, 0(t0)
        sd t1, 8(t0)
        run_in PRV_U, U_ALIAS_OFFSET
        ld a0, 0(a1)
        run_end PRV_U, U_ALIAS_OFFSET
        CHECK_EQ(a0, 0x1017161514131211)

        /* Crossing into an unmapped page: page fault; mtval is the address of the faulting
           portion, i.e. somewhere in [start of the second page, last byte of the access]. The
           original (first-page) address is not a faulting address. */
#define CHECK_TVAL_IN(lo, hi) li t0, lo; bltu s4, t0, fail; li t0, hi; bgtu s4, t0, fail
        TEST_CASE(17)
        li a1, TEST_VA(2) - 4
        trap_in PRV_S, CAUSE_LOAD_PAGE, any, ld a0, 0(a1)
        CHECK_TVAL_IN(TEST_VA(2), TEST_VA(2) + 3)
        TEST_CASE(18)
        li a1, TEST_VA(2) - 1
        trap_in PRV_S, CAUSE_STORE_PAGE, any, sw a0, 0(a1)
        CHECK_TVAL_IN(TEST_VA(2), TEST_VA(2) + 2)
        TEST_CASE(19)           /* from an unmapped page into a mapped one: the first portion
                                   faults, at the access address */
        li a1, TEST_VA(3) - 2
        trap_in PRV_S, CAUSE_LOAD_PAGE, any, lw a0, 0(a1)
        CHECK_TVAL_IN(TEST_VA(3) - 2, TEST_VA(3) - 1)
        TEST_CASE(20)           /* store crossing from a writable page into a read-only one */
        li a1, TEST_VA(13) - 4
        trap_in PRV_S, CAUSE_STORE_PAGE, any, sd a0, 0(a1)
        CHECK_TVAL_IN(TEST_VA(13), TEST_VA(13) + 3)
        TEST_CASE(21)           /* crossing from a user page into an unmapped one, from U */
        li a1, TEST_VA(5) - 6
        utrap_in CAUSE_LOAD_PAGE, any, ld a0, 0(a1)
        CHECK_TVAL_IN(TEST_VA(5), TEST_VA(5) + 1)
        TEST_CASE(22)           /* a load crossing into it from U, delegated to S: stval */
        li a1, TEST_VA(5) - 2
        li t0, 1 << CAUSE_LOAD_PAGE
        csrw medeleg, t0
        set_stvec strap_record
        expect_trap 1f
        la s10, 3f
        enter PRV_U, 2f, U_ALIAS_OFFSET
2:      lw a0, 0(a1)
        j fail
3:      ecall
        j fail
1:      CHECK_EQ(s2, CAUSE_ECALL_S)
        CHECK_EQ(s6, CAUSE_LOAD_PAGE)
        check_label_off s7, 2b, U_ALIAS_OFFSET
        li t0, TEST_VA(5)
        bltu s8, t0, fail
        li t0, TEST_VA(5) + 1
        bgtu s8, t0, fail
        csrw medeleg, zero
        TEST_CASE(23)           /* a store crossing from a user page into an unmapped one, from U */
        li a1, TEST_VA(7) - 2   /* TEST_VA(6) user, TEST_VA(7) unmapped */
        utrap_in CAUSE_STORE_PAGE, any, sd a0, 0(a1)
        CHECK_TVAL_IN(TEST_VA(7), TEST_VA(7) + 5)

        /* A 32-bit instruction spanning two executable pages runs (TEST_VA(8..9)); when the second
           page is unmapped (TEST_VA(10..11)) it raises an instruction page fault with
           mepc = its start and mtval = the start of the second page. */
        TEST_CASE(24)
        li a1, TEST_VA(8) + PAGE - 2
        li a0, 0
        run_in PRV_S
        jalr a1
        run_end PRV_S
        CHECK_EQ(a0, 0x123)
        TEST_CASE(25)
        li a1, TEST_VA(10) + PAGE - 2
        expect_trap 1f
        enter PRV_S, 2f
2:      jalr a1
        j fail
1:      CHECK_EQ(s2, CAUSE_FETCH_PAGE)
        CHECK_EQ(s3, TEST_VA(10) + PAGE - 2)
        CHECK_EQ(s4, TEST_VA(11))

        csrw satp, zero
        sfence.vma
        j pass

        priv_handlers

/* Two code pages: the last halfword of xpage_a and the first of xpage_b hold the two halves of
   `addi a0, zero, 0x123`; xpage_b then returns. */
        .balign 4096
xpage_a:
        .option push
        .option norvc
        .skip PAGE - 2
        .half 0x0513
xpage_b:
        .half 0x1230
        ret
        .option pop
        .balign 4096

        .data
        .balign 64
buf:    .skip 128
TEST_END
