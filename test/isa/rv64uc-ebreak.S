/* C.EBREAK (RV64C): raises a breakpoint exception like EBREAK: mcause = 3, mepc = the address of
   the 16-bit C.EBREAK itself. A local M-mode trap handler records mcause and mepc and resumes
   after the trapping instruction (2 or 4 bytes, from its low opcode bits). */
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

/* Expects exactly one trap since the last reset of s8 (trap count), with mcause 3 at `label`. */
#define CHECK_BREAK(label)                                  \
        CHECK_EQ(s8, 1); CHECK_EQ(s10, 3);                  \
        ABS_ADDR(t0, label); bne s9, t0, fail

TEST_BEGIN
        la t0, brk_trap
        csrw mtvec, t0

        /* C.EBREAK at a 4-byte-aligned address; execution resumes right after it. */
        TEST_CASE(1)
        li s8, 0
        li a0, 0
        CODE_ALIGN(4)
brk1:   RVC(c.ebreak)
        addi a0, a0, 1
        CHECK_BREAK(brk1)
        CHECK_EQ(a0, 1)

        /* C.EBREAK at 4n+2. */
        TEST_CASE(2)
        li s8, 0
        CODE_ALIGN(4)
        RVC(c.nop)
brk2:   RVC(c.ebreak)
        RVC(c.nop)
        CHECK_BREAK(brk2)
        la t0, brk2
        andi t0, t0, 3
        CHECK_EQ(t0, 2)

        /* C.EBREAK writes no register (ra, sp and a source-like register are unchanged). */
        TEST_CASE(3)
        li s8, 0
        li ra, 0x1111
        li sp, 0x2222
        li a0, 0x3333
brk3:   RVC(c.ebreak)
        CHECK_BREAK(brk3)
        CHECK_EQ(ra, 0x1111)
        CHECK_EQ(sp, 0x2222)
        CHECK_EQ(a0, 0x3333)

        /* For comparison, the 32-bit EBREAK: same cause, mepc at the instruction. */
        TEST_CASE(4)
        li s8, 0
brk4:   ebreak
        CHECK_BREAK(brk4)

        /* Back-to-back C.EBREAKs trap twice. */
        TEST_CASE(5)
        li s8, 0
        RVC(c.ebreak)
        RVC(c.ebreak)
        CHECK_EQ(s8, 2)
        j pass

        /* Counts traps in s8, records mcause in s10 and mepc in s9, and skips the instruction. */
        CODE_ALIGN(4)
brk_trap:
        addi s8, s8, 1
        csrr s10, mcause
        csrr s9, mepc
        lhu t0, 0(s9)
        andi t0, t0, 3
        li t1, 3
        addi t2, s9, 2
        bne t0, t1, 1f
        addi t2, s9, 4
1:      csrw mepc, t2
        mret
TEST_END
