/* Zicbom, Zicboz and Zicbop below M-mode (unprivileged ISA, "Cache Management Operations";
   privileged spec, menvcfg and senvcfg):
   - menvcfg/senvcfg CBIE, CBCFE, CBZE are writable; M-mode ignores them; in S-mode menvcfg's
     enable, in U-mode both, or illegal-instruction (mtval = 0 or the instruction); CBIE = 01 and 11
     both let CBO.INVAL execute; prefetches are never illegal;
   - CBO.ZERO zeroes the 64-byte block holding x[rs1] (riscv,cboz-block-size of tsvirt and QEMU)
     through the translation; it needs write permission, the management instructions read or
     write permission; a refusal is a store page fault (cause 15) with mtval = x[rs1]; management
     instructions never set D; SUM and U apply as for loads and stores; prefetches never fault,
     even on unmapped or non-canonical addresses;
   - CBO.ZERO of a physical address with nothing there is a store access fault (cause 7), mtval
     = x[rs1];
   The faulting x[rs1] here are block-aligned, where QEMU 10 agrees with the spec (it reports the
   block's address); priv-zicbo-tval.S has the unaligned ones.
   - CBO.ZERO over code that has run (and may have been translated), then FENCE.I: the zeroed
     code is fetched (an illegal instruction);
   - CBO.ZERO in a hot loop (translated) zeroes its block alone, and raises illegal-instruction
     once menvcfg.CBZE is cleared.
   isa-tests-march: rv64gc_zicbom_zicboz_zicbop */
#include "test.h"
#include "priv.h"

#define LEAF (PTE_V | PTE_A | PTE_D)
#define CBO_ALL (MENVCFG_CBIE | MENVCFG_CBCFE | MENVCFG_CBZE)
#define CBIE_FLUSH 0x10
#define CBIE_INVAL 0x30
#define PAT 0xa5a5a5a5a5a5a5a5
/* The instructions on a1, as the illegal-instruction mtval. */
#define CBO_ZERO_A1 0x0045a00f
#define CBO_CLEAN_A1 0x0015a00f
#define CBO_FLUSH_A1 0x0025a00f
#define CBO_INVAL_A1 0x0005a00f

/* Fill the four 64-byte blocks at physical `addr` with PAT (M-mode). */
.macro pat_fill addr
        li t0, \addr
        li t1, PAT
        li t2, 32
1005:   sd t1, 0(t0)
        addi t0, t0, 8
        addi t2, t2, -1
        bnez t2, 1005b
.endm
/* Check the four blocks at physical `addr`: block `zeroed` (0..3; -1: none) is all zero, the
   others still PAT. */
.macro pat_check addr, zeroed
        li t0, \addr
        li t2, 0
1005:   ld t1, 0(t0)
        srli t3, t2, 6
        li t4, \zeroed
        li t5, PAT
        bne t3, t4, 1006f
        li t5, 0
1006:   bne t1, t5, fail
        addi t0, t0, 8
        addi t2, t2, 8
        li t3, 256
        bltu t2, t3, 1005b
.endm
/* menvcfg and senvcfg CMO fields. */
.macro envcfg menv, senv
        li t0, CBO_ALL
        csrc menvcfg, t0
        csrc senvcfg, t0
        li t0, \menv
        csrs menvcfg, t0
        li t0, \senv
        csrs senvcfg, t0
.endm
/* Up to three instructions (quoted) on a1 = DATA_PAGE(0) + 0x47 run in mode `prv` without a
   trap; `zeroed`: the block they leave zeroed (-1: none). */
.macro cbo_runs prv, zeroed, i1, i2=nop, i3=nop
        pat_fill DATA_PAGE(0)
        li a1, DATA_PAGE(0) + 0x47
        run_in \prv
        \i1
        \i2
        \i3
        run_end \prv
        pat_check DATA_PAGE(0), \zeroed
.endm
/* `insn` on a1 = DATA_PAGE(0) + 0x47 in mode `prv` is illegal (mtval = 0 or its bits), memory
   untouched. */
.macro cbo_illegal prv, bits, insn:vararg
        pat_fill DATA_PAGE(0)
        li a1, DATA_PAGE(0) + 0x47
        trap_in \prv, CAUSE_ILLEGAL, any, \insn
        beqz s4, 1007f          /* mtval: 0 or the instruction (privileged spec 3.1.16) */
        CHECK_EQ(s4, \bits)
1007:   pat_check DATA_PAGE(0), -1
.endm

TEST_BEGIN
        priv_init
        set_mtvec mtrap_record

        /* The fields are writable. */
        TEST_CASE(1)
        li t0, CBO_ALL
        csrs menvcfg, t0
        csrr a0, menvcfg
        CHECK_FIELD(a0, CBO_ALL, CBO_ALL)
        csrc menvcfg, t0
        csrr a0, menvcfg
        CHECK_FIELD(a0, CBO_ALL, 0)
        csrs senvcfg, t0
        csrr a0, senvcfg
        CHECK_FIELD(a0, CBO_ALL, CBO_ALL)
        csrc senvcfg, t0
        csrr a0, senvcfg
        CHECK_FIELD(a0, CBO_ALL, 0)
        li t0, CBIE_FLUSH
        csrs menvcfg, t0
        csrr a0, menvcfg
        CHECK_FIELD(a0, CBO_ALL, CBIE_FLUSH)

        /* M-mode: enabled whatever menvcfg says. */
        TEST_CASE(2)
        envcfg 0, 0
        cbo_runs PRV_M, 1, "cbo.zero 0(a1)"
        TEST_CASE(3)
        cbo_runs PRV_M, -1, "cbo.clean 0(a1)", "cbo.flush 0(a1)", "cbo.inval 0(a1)"

        /* S- and U-mode with nothing enabled: illegal; prefetches run. */
        TEST_CASE(4)
        cbo_illegal PRV_S, CBO_ZERO_A1, cbo.zero 0(a1)
        TEST_CASE(5)
        cbo_illegal PRV_S, CBO_CLEAN_A1, cbo.clean 0(a1)
        TEST_CASE(6)
        cbo_illegal PRV_S, CBO_FLUSH_A1, cbo.flush 0(a1)
        TEST_CASE(7)
        cbo_illegal PRV_S, CBO_INVAL_A1, cbo.inval 0(a1)
        TEST_CASE(8)
        cbo_illegal PRV_U, CBO_ZERO_A1, cbo.zero 0(a1)
        TEST_CASE(9)
        cbo_illegal PRV_U, CBO_INVAL_A1, cbo.inval 0(a1)
        TEST_CASE(10)
        cbo_runs PRV_U, -1, "prefetch.i 0(a1)", "prefetch.r 32(a1)", "prefetch.w -32(a1)"
        TEST_CASE(11)
        cbo_runs PRV_S, -1, "prefetch.i 0(a1)", "prefetch.r 32(a1)", "prefetch.w -32(a1)"

        /* CBZE: menvcfg's for S; both for U. */
        TEST_CASE(12)
        envcfg MENVCFG_CBZE, 0
        cbo_runs PRV_S, 1, "cbo.zero 0(a1)"
        TEST_CASE(13)
        cbo_illegal PRV_U, CBO_ZERO_A1, cbo.zero 0(a1)
        TEST_CASE(14)
        cbo_illegal PRV_S, CBO_CLEAN_A1, cbo.clean 0(a1)
        TEST_CASE(15)
        envcfg MENVCFG_CBZE, MENVCFG_CBZE
        cbo_runs PRV_U, 1, "cbo.zero 0(a1)"
        TEST_CASE(16)
        envcfg 0, MENVCFG_CBZE
        cbo_illegal PRV_U, CBO_ZERO_A1, cbo.zero 0(a1)

        /* CBCFE: CBO.CLEAN and CBO.FLUSH, not CBO.INVAL or CBO.ZERO. */
        TEST_CASE(17)
        envcfg MENVCFG_CBCFE, 0
        cbo_runs PRV_S, -1, "cbo.clean 0(a1)", "cbo.flush 0(a1)"
        TEST_CASE(18)
        cbo_illegal PRV_S, CBO_INVAL_A1, cbo.inval 0(a1)
        TEST_CASE(19)
        cbo_illegal PRV_S, CBO_ZERO_A1, cbo.zero 0(a1)
        TEST_CASE(20)
        cbo_illegal PRV_U, CBO_FLUSH_A1, cbo.flush 0(a1)
        TEST_CASE(21)
        envcfg MENVCFG_CBCFE, MENVCFG_CBCFE
        cbo_runs PRV_U, -1, "cbo.clean 0(a1)", "cbo.flush 0(a1)"
        TEST_CASE(22)
        envcfg 0, MENVCFG_CBCFE
        cbo_illegal PRV_U, CBO_CLEAN_A1, cbo.clean 0(a1)

        /* CBIE: 01 (flush) and 11 (invalidate) both let CBO.INVAL run, at each level. */
        TEST_CASE(23)
        envcfg CBIE_FLUSH, 0
        cbo_runs PRV_S, -1, "cbo.inval 0(a1)"
        TEST_CASE(24)
        cbo_illegal PRV_U, CBO_INVAL_A1, cbo.inval 0(a1)
        TEST_CASE(25)
        cbo_illegal PRV_S, CBO_CLEAN_A1, cbo.clean 0(a1)
        TEST_CASE(26)
        envcfg CBIE_FLUSH, CBIE_FLUSH
        cbo_runs PRV_U, -1, "cbo.inval 0(a1)"
        TEST_CASE(27)
        envcfg CBIE_FLUSH, CBIE_INVAL
        cbo_runs PRV_U, -1, "cbo.inval 0(a1)"
        TEST_CASE(28)
        envcfg CBIE_INVAL, CBIE_INVAL
        cbo_runs PRV_S, -1, "cbo.inval 0(a1)"
        TEST_CASE(29)
        cbo_runs PRV_U, -1, "cbo.inval 0(a1)"
        TEST_CASE(30)
        envcfg CBIE_INVAL, 0
        cbo_illegal PRV_U, CBO_INVAL_A1, cbo.inval 0(a1)

        /* Translation: everything enabled from here on. */
        envcfg CBO_ALL, CBO_ALL
        .irp n, 0, 1, 2, 3
        pat_fill DATA_PAGE(\n)
        .endr
        vm_std_layout
        map_test_page 0, DATA_PAGE(0), LEAF | PTE_R | PTE_W
        map_test_page 1, DATA_PAGE(1), PTE_V | PTE_R | PTE_A                    /* read-only */
        map_test_page 2, DATA_PAGE(2), PTE_V | PTE_R | PTE_W | PTE_A            /* clean (D = 0) */
        map_test_page 3, DATA_PAGE(3), LEAF | PTE_R | PTE_W | PTE_U             /* user */
        satp_set SATP_MODE_SV39, PT_PAGE(0)

        /* CBO.ZERO through a translation: the block holding x[rs1] in the physical page. */
        TEST_CASE(31)
        li a1, TEST_VA(0) + 0x85
        run_in PRV_S
        cbo.zero 0(a1)
        run_end PRV_S
        pat_check DATA_PAGE(0), 2
        /* An unmapped page: store page faults, mtval = x[rs1] (not the block). */
        TEST_CASE(32)
        li a1, TEST_VA(5) + 0x100
        trap_in PRV_S, CAUSE_STORE_PAGE, TEST_VA(5) + 0x100, cbo.zero 0(a1)
        TEST_CASE(33)
        trap_in PRV_S, CAUSE_STORE_PAGE, TEST_VA(5) + 0x100, cbo.clean 0(a1)
        TEST_CASE(34)
        trap_in PRV_S, CAUSE_STORE_PAGE, TEST_VA(5) + 0x100, cbo.flush 0(a1)
        TEST_CASE(35)
        trap_in PRV_S, CAUSE_STORE_PAGE, TEST_VA(5) + 0x100, cbo.inval 0(a1)
        /* A read-only page: CBO.ZERO needs write permission, the others read permission. */
        TEST_CASE(36)
        li a1, TEST_VA(1) + 0x40
        trap_in PRV_S, CAUSE_STORE_PAGE, TEST_VA(1) + 0x40, cbo.zero 0(a1)
        pat_check DATA_PAGE(1), -1
        TEST_CASE(37)
        run_in PRV_S
        cbo.clean 0(a1)
        cbo.flush 0(a1)
        cbo.inval 0(a1)
        run_end PRV_S
        pat_check DATA_PAGE(1), -1
        /* A clean page: the management instructions leave D clear. */
        TEST_CASE(38)
        li a1, TEST_VA(2) + 0xc0
        run_in PRV_S
        cbo.clean 0(a1)
        cbo.flush 0(a1)
        cbo.inval 0(a1)
        run_end PRV_S
        pte_get t1, PT_PAGE(2), 2
        CHECK_EQ(t1, ((DATA_PAGE(2) >> 12) << 10) | PTE_V | PTE_R | PTE_W | PTE_A)
        pat_check DATA_PAGE(2), -1
        /* A user page from S-mode: a fault without SUM, allowed with it. */
        TEST_CASE(39)
        li a1, TEST_VA(3) + 0x40
        trap_in PRV_S, CAUSE_STORE_PAGE, TEST_VA(3) + 0x40, cbo.zero 0(a1)
        TEST_CASE(40)
        trap_in PRV_S, CAUSE_STORE_PAGE, TEST_VA(3) + 0x40, cbo.clean 0(a1)
        TEST_CASE(41)
        li t0, MSTATUS_SUM
        csrs mstatus, t0
        run_in PRV_S
        cbo.clean 0(a1)
        cbo.zero 0(a1)
        run_end PRV_S
        li t0, MSTATUS_SUM
        csrc mstatus, t0
        pat_check DATA_PAGE(3), 1
        /* U-mode: its own page, and a supervisor page (a fault). */
        TEST_CASE(42)
        pat_fill DATA_PAGE(3)
        li a1, TEST_VA(3) + 0xff
        run_in PRV_U, U_ALIAS_OFFSET
        cbo.zero 0(a1)
        cbo.flush 0(a1)
        run_end PRV_U, U_ALIAS_OFFSET
        pat_check DATA_PAGE(3), 3
        TEST_CASE(43)
        li a1, TEST_VA(0) + 0x80
        utrap_in CAUSE_STORE_PAGE, TEST_VA(0) + 0x80, cbo.inval 0(a1)
        /* Prefetches never fault: unmapped, user, and non-canonical addresses. */
        TEST_CASE(44)
        li a1, TEST_VA(5)
        li a2, TEST_VA(3)
        li a3, 0x0000004000000000
        run_in PRV_S
        prefetch.r 0(a1)
        prefetch.w 64(a1)
        prefetch.i -64(a1)
        prefetch.r 0(a2)
        prefetch.w 0(a3)
        prefetch.i 0(a3)
        run_end PRV_S
        TEST_CASE(45)
        li a2, TEST_VA(0)
        run_in PRV_U, U_ALIAS_OFFSET
        prefetch.r 0(a1)
        prefetch.w 0(a2)
        prefetch.i 32(a3)
        run_end PRV_U, U_ALIAS_OFFSET
        /* A non-canonical address: a store page fault (mtval: that address, or another invalid one). */
        TEST_CASE(46)
        li a1, 0x0000004000000040
        trap_in PRV_S, CAUSE_STORE_PAGE, any, cbo.zero 0(a1)
        check_bad_va s4, 0x0000004000000040, 39
        TEST_CASE(47)
        trap_in PRV_S, CAUSE_STORE_PAGE, any, cbo.clean 0(a1)
        check_bad_va s4, 0x0000004000000040, 39
        /* M-mode with MPRV = 1, MPP = S translates. */
        TEST_CASE(48)
        pat_fill DATA_PAGE(0)
        set_mpp PRV_S
        li t0, MSTATUS_MPRV
        csrs mstatus, t0
        li a1, TEST_VA(0) + 0xc1
        cbo.zero 0(a1)
        li t0, MSTATUS_MPRV
        csrc mstatus, t0
        pat_check DATA_PAGE(0), 3
        csrw satp, zero
        sfence.vma

        /* Bare M-mode: nothing at physical 0x10 (spike board): a store access fault. */
        TEST_CASE(49)
        li a1, 0x40
        trap_in PRV_M, CAUSE_STORE_ACCESS, 0x40, cbo.zero 0(a1)

        /* Zeroed code is fetched as zeros after FENCE.I, however often it ran before. */
        TEST_CASE(50)
        li a0, DATA_PAGE(4)
        la a1, fn_template
        lw t0, 0(a1)
        sw t0, 0(a0)
        lw t0, 4(a1)
        sw t0, 4(a0)
        fence.i
        li s0, 30000            /* enough for a translator to compile it (tsvirt: 100 k cold instructions) */
1:      li a0, 0
        li t0, DATA_PAGE(4)
        jalr t0
        CHECK_EQ(a0, 42)
        addi s0, s0, -1
        bnez s0, 1b
        li a1, DATA_PAGE(4) + 4
        cbo.zero 0(a1)
        fence.i
        expect_trap 2f
        li t0, DATA_PAGE(4)
        jalr t0
        j fail
2:      CHECK_EQ(s2, CAUSE_ILLEGAL)
        CHECK_EQ(s3, DATA_PAGE(4))

        /* CBO.ZERO run often enough in S-mode to be translated zeroes its block and no other;
           once menvcfg.CBZE is cleared, the same code raises illegal-instruction. */
        TEST_CASE(51)
        envcfg MENVCFG_CBZE, 0
        pat_fill DATA_PAGE(0)
        li a0, 30000
        run_in PRV_S
        jal zero_loop
        run_end PRV_S
        pat_check DATA_PAGE(0), 1
        TEST_CASE(52)
        envcfg 0, 0
        pat_fill DATA_PAGE(0)
        li a0, 1
        li a1, DATA_PAGE(0) + 0x47
        li a2, PAT
        li a3, DATA_PAGE(0)
        expect_trap 3f
        enter PRV_S, zero_loop_body         /* where the translated loop starts */
        j fail
3:      CHECK_EQ(s2, CAUSE_ILLEGAL)
        CHECK_LABEL(s3, zero_loop_cbo)
        pat_check DATA_PAGE(0), -1
        j pass

/* a0 times: fill block 1 of DATA_PAGE(0) with PAT, zero it with CBO.ZERO on an address inside
   it, and check its ends and its neighbours' nearest doublewords. */
zero_loop:
        li a1, DATA_PAGE(0) + 0x47
        li a2, PAT
        li a3, DATA_PAGE(0)
zero_loop_body:
        sd a2, 0x40(a3)
        sd a2, 0x78(a3)
        sd a2, 0x60(a3)
zero_loop_cbo:
        cbo.zero 0(a1)
        ld t0, 0x40(a3)
        bnez t0, fail
        ld t0, 0x78(a3)
        bnez t0, fail
        ld t0, 0x60(a3)
        bnez t0, fail
        ld t0, 0x38(a3)
        bne t0, a2, fail
        ld t0, 0x80(a3)
        bne t0, a2, fail
        addi a0, a0, -1
        bnez a0, zero_loop_body
        ret

        .balign 4
fn_template:
        .option push
        .option norvc
        li a0, 42
        ret
        .option pop

        priv_handlers
TEST_END
