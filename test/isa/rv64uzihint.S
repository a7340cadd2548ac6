/* Zihintpause and Zihintntl (unprivileged ISA, "Zihintpause", "Zihintntl"): PAUSE (FENCE with
   pred = W, succ = 0, fm = 0, rd = rs1 = x0), NTL.P1, NTL.PALL, NTL.S1, NTL.ALL (ADD x0, x0, x2
   .. x5) and their compressed forms C.NTL.* (C.ADD x0, x2 .. x5) are HINTs: they change no
   register and no memory, and never trap; an NTL hint applies to the memory access after it,
   which runs as usual. The assembler (binutils 2.40) has PAUSE but not the NTL mnemonics:
   those are written as the ADD and C.ADD they are.
   isa-tests-march: rv64gc_zihintpause
   isa-tests-cpu: zihintntl */
#include "test.h"
        .option norvc

#define C_NTL(rs2) .hword 0x9002 | ((rs2) << 2)

.macro fill_regs
        .irp r, 1, 2, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29
        li x\r, 0x0101010101010101 * \r
        .endr
.endm
.macro check_regs
        .irp r, 1, 2, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29
        li t6, 0x0101010101010101 * \r
        bne x\r, t6, fail
        .endr
.endm

TEST_BEGIN
        TEST_CASE(1)
        fill_regs
        pause
        check_regs

        TEST_CASE(2)
        fill_regs
        add x0, x0, x2          /* ntl.p1 */
        add x0, x0, x3          /* ntl.pall */
        add x0, x0, x4          /* ntl.s1 */
        add x0, x0, x5          /* ntl.all */
        check_regs

        TEST_CASE(3)
        fill_regs
        C_NTL(2)
        C_NTL(3)
        C_NTL(4)
        C_NTL(5)
        check_regs

        /* The access after a hint is made as usual. */
        TEST_CASE(4)
        la a1, word
        li a2, 0x1122334455667788
        add x0, x0, x5          /* ntl.all */
        sd a2, 0(a1)
        C_NTL(2)
        ld a3, 0(a1)
        CHECK_EQ(a3, 0x1122334455667788)
        pause
        add x0, x0, x3          /* ntl.pall */
        lw a4, 4(a1)
        CHECK_EQ(a4, 0x11223344)
        j pass
TEST_END

        .data
        .balign 8
word:   .dword 0
