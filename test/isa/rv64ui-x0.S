/* x0 (RV64I): hardwired to zero. Writes by every kind of instruction are discarded, and the very
   next instruction (and a store, and a branch) still reads zero. Also covers x0 as the
   destination of M, A, F and Zicsr instructions, which take other paths in an emulator. */
#include "test.h"
        .option norvc

/* After the instructions under test (which target x0), x0 must still read as zero through an
   ALU op, a store and a branch. */
#define TEST_X0(n, ...)                                     \
        TEST_CASE(n); li a1, -1; __VA_ARGS__;               \
        addi a0, x0, 0; bnez a0, fail;                      \
        la t0, x0_slot; sd a1, 0(t0); sd x0, 0(t0);         \
        ld a0, 0(t0); bnez a0, fail;                        \
        bne x0, zero, fail; bnez x0, fail

TEST_BEGIN
        la s0, x0_data
        li s1, 7
        TEST_X0(1, addi x0, x0, 5)
        TEST_X0(2, addi x0, s1, 1)
        TEST_X0(3, lui x0, 0x12345)
        TEST_X0(4, auipc x0, 1)
        TEST_X0(5, add x0, s1, s1)
        TEST_X0(6, sub x0, x0, s1)
        TEST_X0(7, xori x0, x0, -1)
        TEST_X0(8, slli x0, s1, 40)
        TEST_X0(9, sltiu x0, x0, 1)
        TEST_X0(10, addiw x0, s1, -8)
        TEST_X0(11, sraw x0, s1, s1)
        TEST_X0(12, ld x0, 0(s0))
        TEST_X0(13, lbu x0, 0(s0))
        TEST_X0(14, lw x0, 0(s0))
        TEST_X0(15, jal x0, 1f; 1:)
        TEST_X0(16, la t1, 1f; jalr x0, 0(t1); 1:)
        TEST_X0(17, mul x0, s1, s1)
        TEST_X0(18, div x0, s1, s1)
        TEST_X0(19, csrr x0, mscratch)
        TEST_X0(20, amoadd.d x0, s1, (s0))
        TEST_X0(21, lr.d x0, (s0))
        TEST_X0(22, fmv.x.d x0, f0)

        /* The AMO and the CSR read above still did their other work. */
        TEST_CASE(23)
        ld a0, 0(s0)
        CHECK_EQ(a0, 0xffffffff + 7)

        /* x0 as a source in an address computation: 0 + (the address of x0_data). */
        TEST_CASE(24)
        add a1, x0, s0
        bne a1, s0, fail
        j pass

        .data
        .balign 8
x0_data: .dword 0xffffffff
x0_slot: .dword 0
        .text
TEST_END
