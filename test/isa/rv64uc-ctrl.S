/* RV64C control transfer: C.J, C.JR, C.JALR (link = pc + 2), C.BEQZ, C.BNEZ; and mixing 16- and
   32-bit code: 32-bit instructions at addresses that are 2 mod 4, jumps and branches to such
   addresses, and a 32-bit instruction that straddles a page boundary. Link values and targets
   are checked against absolute .dword relocations. */
#include "test.h"
        .option norvc

#define RVC(...) .option push; .option rvc; __VA_ARGS__; .option pop

/* Code alignment. (Under .option norvc, GNU as 2.40 silently skips a .balign that would need a
   2-byte pad, so it is done in RVC mode, padding with C.NOP.) */
#define CODE_ALIGN(n) .option push; .option rvc; .balign n; .option pop

/* Loads the absolute address of `label` into reg (local label 9 is reserved for this macro). */
#define ABS_ADDR(reg, label)                                \
        la reg, 9f; ld reg, 0(reg);                         \
        .pushsection .data; .balign 8; 9: .dword label; .popsection

/* c.beqz / c.bnez must be taken / not taken for the value in rs. */
#define TEST_CB_TAKEN(n, op, rs, value)                     \
        TEST_CASE(n); li rs, value; RVC(op rs, 1f); j fail; 1:
#define TEST_CB_NOT(n, op, rs, value)                       \
        TEST_CASE(n); li rs, value; RVC(op rs, 1f); j 2f; 1: j fail; 2:

TEST_BEGIN
        /* C.J forward: the skipped instruction does not run. */
        TEST_CASE(1)
        li a0, 0
        RVC(c.j 1f)
        li a0, 1
1:      bnez a0, fail

        /* C.J backward. */
        TEST_CASE(2)
        li a0, 0
        j 2f
1:      li a0, 2
        j 3f
2:      RVC(c.j 1b)
        j fail
3:      CHECK_EQ(a0, 2)

        /* C.J with a large offset (bit 10 and 11 set), forward then backward. */
        TEST_CASE(3)
        RVC(c.j cj_far_fwd)
        j fail
cj_far_back:
        j 1f
        .skip 1900              /* zeros: illegal instructions, never executed */
cj_far_fwd:
        TEST_CASE(4)
        RVC(c.j cj_far_back)
        j fail
1:

        /* C.JR: pc = rs1, nothing written (ra keeps its value). */
        TEST_CASE(5)
        ABS_ADDR(a1, 1f)
        li ra, 0x77
        RVC(c.jr a1)
        j fail
1:      CHECK_EQ(ra, 0x77)

        /* C.JR through a register outside x8..x15. */
        TEST_CASE(6)
        ABS_ADDR(t5, 1f)
        RVC(c.jr t5)
        j fail
1:

        /* C.JALR: ra = pc + 2 (the address after the 16-bit instruction). */
        TEST_CASE(7)
        ABS_ADDR(a1, 1f)
        RVC(c.jalr a1)
cjalr_ret7:
        j fail
1:      ABS_ADDR(a2, cjalr_ret7)
        bne ra, a2, fail

        /* C.JALR ra: the target is the old ra, then ra gets the link. */
        TEST_CASE(8)
        ABS_ADDR(ra, 1f)
        RVC(c.jalr ra)
cjalr_ret8:
        j fail
1:      ABS_ADDR(a2, cjalr_ret8)
        bne ra, a2, fail

        /* Call and return with C.JALR / C.JR. */
        TEST_CASE(9)
        li a0, 0
        la t0, c_func
        RVC(c.jalr t0)
        CHECK_EQ(a0, 0x66)

        /* C.BEQZ / C.BNEZ test all 64 bits. */
        TEST_CB_TAKEN(10, c.beqz, a0, 0)
        TEST_CB_NOT(11, c.beqz, a0, 1)
        TEST_CB_NOT(12, c.beqz, s0, 0x100000000)
        TEST_CB_NOT(13, c.beqz, a5, 0x8000000000000000)
        TEST_CB_NOT(14, c.beqz, s1, -1)
        TEST_CB_NOT(15, c.bnez, a0, 0)
        TEST_CB_TAKEN(16, c.bnez, a0, 1)
        TEST_CB_TAKEN(17, c.bnez, s0, 0x100000000)
        TEST_CB_TAKEN(18, c.bnez, a5, 0x8000000000000000)
        TEST_CB_TAKEN(19, c.bnez, s1, -1)

        /* Backward C.BNEZ: a counted loop. */
        TEST_CASE(20)
        li a0, 5
        li a1, 0
1:      addi a1, a1, 2
        addi a0, a0, -1
        RVC(c.bnez a0, 1b)
        CHECK_EQ(a1, 10)

        /* Large branch offsets (+-~200 bytes, bits 7 and 8 of the offset), both directions. */
        TEST_CASE(21)
        li a3, 0
        RVC(c.beqz a3, cb_far_fwd)
        j fail
cb_far_back:
        j 1f
        .skip 200
cb_far_fwd:
        TEST_CASE(22)
        li a4, 1
        RVC(c.bnez a4, cb_far_back)
        j fail
1:

        /* A 32-bit instruction at an address that is 2 mod 4, after a 16-bit one. */
        TEST_CASE(23)
        li a0, 1
        CODE_ALIGN(4)
        RVC(c.addi a0, 1)
        addi a0, a0, 0x100      /* at 4n+2 */
        RVC(c.addi a0, 1)
        addi a0, a0, 0x200      /* at 4n */
        CHECK_EQ(a0, 0x303)

        /* A 32-bit JAL at 4n+2 jumping to 4n+2: link = pc + 4. */
        TEST_CASE(24)
        CODE_ALIGN(4)
        RVC(c.nop)
jal_at_2:
        jal ra, jal_tgt_2
jal_ret_2:
        j fail                  /* 4 bytes: jal_tgt_2 is at 4n+2 too */
jal_tgt_2:
        ABS_ADDR(a1, jal_ret_2)
        bne ra, a1, fail
        la t0, jal_at_2
        andi t0, t0, 3
        CHECK_EQ(t0, 2)
        la t0, jal_tgt_2
        andi t0, t0, 3
        CHECK_EQ(t0, 2)

        /* JALR and a 32-bit branch to 4n+2 targets. */
        TEST_CASE(25)
        ABS_ADDR(t0, jalr_tgt_2)
        jalr ra, 0(t0)
        j fail
        CODE_ALIGN(4)
        RVC(c.nop)
jalr_tgt_2:
        li a0, 3
        li a1, 3
        beq a0, a1, br_tgt_2
        j fail
        CODE_ALIGN(4)
        RVC(c.nop)
br_tgt_2:
        la t0, br_tgt_2
        andi t0, t0, 3
        CHECK_EQ(t0, 2)

        /* C.J / C.JR to a 32-bit instruction at 4n+2. */
        TEST_CASE(26)
        li a0, 0
        RVC(c.j cj_tgt_2)
        j fail
        CODE_ALIGN(4)
        RVC(c.nop)
cj_tgt_2:
        addi a0, a0, 7
        CHECK_EQ(a0, 7)

        /* A 32-bit instruction straddling a 4 KiB page boundary. */
        TEST_CASE(27)
        li a0, 0
        call straddle
        CHECK_EQ(a0, 0x123)
        la t0, straddle
        li t1, 0xfff
        and t0, t0, t1
        CHECK_EQ(t0, 0xffe)
        j pass

c_func:
        li a0, 0x66
        RVC(c.jr ra)

        CODE_ALIGN(4096)
        .skip 4094
straddle:
        addi a0, a0, 0x123      /* bytes 0xffe..0x1001 of the page pair */
        ret
TEST_END
