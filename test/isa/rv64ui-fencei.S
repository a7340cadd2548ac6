/* FENCE.I (Zifencei): after a hart stores to instruction memory, FENCE.I makes the new
   instructions visible to its own instruction fetches. Each case executes code first (so a
   translating emulator has it cached), overwrites it, runs FENCE.I and checks that the new
   instruction is what executes. Replacement instructions are assembled as data. */
#include "test.h"
        .option norvc

/* Copies the 32-bit instruction at `src` over the one at `dst`, then FENCE.I. */
#define PATCH_W(dst, src)                                   \
        la t0, src; lwu t1, 0(t0);                          \
        la t0, dst; sw t1, 0(t0); fence.i

TEST_BEGIN
        /* Function returning 1, patched to return 2. */
        TEST_CASE(1)
        call fi_func
        CHECK_EQ(a0, 1)
        PATCH_W(fi_func, fi_ret2)
        call fi_func
        CHECK_EQ(a0, 2)

        /* Patched again: the second modification is seen too. */
        TEST_CASE(2)
        PATCH_W(fi_func, fi_ret3)
        call fi_func
        CHECK_EQ(a0, 3)

        /* Restored to the original: back to returning 1. */
        TEST_CASE(3)
        PATCH_W(fi_func, fi_ret1)
        call fi_func
        CHECK_EQ(a0, 1)

        /* Self-modification within one straight-line block: the second pass stores over an
           instruction a few words ahead, runs FENCE.I and falls through into it. */
        TEST_CASE(4)
        la s0, fi_inline
        la t0, fi_ret7
        lwu s2, 0(t0)
        li s4, 0
1:      beqz s4, 2f
        sw s2, 0(s0)
        fence.i
2:
fi_inline:
        addi a0, zero, 5
        beqz s4, 3f
        mv s6, a0               /* second pass */
        j 4f
3:      mv s5, a0               /* first pass */
        li s4, 1
        j 1b
4:      CHECK_EQ(s5, 5)
        CHECK_EQ(s6, 7)

        /* A doubleword store replaces two instructions at once. */
        TEST_CASE(5)
        call fi_func2
        CHECK_EQ(a0, 2)
        la t0, fi_pair
        ld t1, 0(t0)
        la t0, fi_func2
        sd t1, 0(t0)
        fence.i
        call fi_func2
        CHECK_EQ(a0, 30)

        /* A halfword store replaces a compressed instruction. */
        TEST_CASE(6)
        call fi_func_c
        CHECK_EQ(a0, 1)
        la t0, fi_cli9
        lhu t1, 0(t0)
        la t0, fi_func_c
        sh t1, 0(t0)
        fence.i
        call fi_func_c
        CHECK_EQ(a0, 9)
        j pass

        /* Patched functions. */
        .balign 8
fi_func:
        addi a0, zero, 1
        ret
        .balign 8
fi_func2:
        addi a0, zero, 1
        addi a0, a0, 1
        ret
        .balign 8
fi_func_c:
        .option rvc
        c.li a0, 1
        c.jr ra
        .option norvc

        /* Replacement instructions, as data. */
        .data
        .balign 8
fi_ret1: addi a0, zero, 1
fi_ret2: addi a0, zero, 2
fi_ret3: addi a0, zero, 3
fi_ret7: addi a0, zero, 7
        .balign 8
fi_pair: addi a0, zero, 10
        addi a0, a0, 20
        .option rvc
fi_cli9: c.li a0, 9
        .option norvc
        .text
TEST_END
