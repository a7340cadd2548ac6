/* Self-modifying code that is hot (Zifencei: after a hart stores to instruction memory, FENCE.I
   makes the new instructions visible to its own fetches). Unlike rv64ui-fencei.S, every piece of
   code here runs HOT times before it is rewritten, far beyond the point where a translating
   emulator has compiled it (tsvirt: 64 executions of a block start), so a stale translation
   would show up as a wrong sum. Replacement instructions are assembled as data. */
#include "test.h"
        .option norvc

#define HOT 200

/* Call `fn` HOT times; a0 accumulates what it adds. Clobbers s1. */
.macro call_hot fn
        li s1, HOT
1001:   call \fn
        addi s1, s1, -1
        bnez s1, 1001b
.endm

/* Copy the instruction at template `src` over `dst` (load/store pair lwu/sw or lhu/sh), then
   FENCE.I. */
.macro patch ld, st, dst, src
        lla t0, \src
        \ld t1, 0(t0)
        lla t0, \dst
        \st t1, 0(t0)
        fence.i
.endm

TEST_BEGIN
        /* A 32-bit immediate: addi a0, a0, 1 -> addi a0, a0, 7 -> back. */
        TEST_CASE(1)
        li a0, 0
        call_hot f_imm
        CHECK_EQ(a0, HOT)
        patch lwu, sw, f_imm, t_add7
        li a0, 0
        call_hot f_imm
        CHECK_EQ(a0, 7 * HOT)
        TEST_CASE(2)
        patch lwu, sw, f_imm, t_add1
        li a0, 0
        call_hot f_imm
        CHECK_EQ(a0, HOT)

        /* An instruction in the middle of a hot straight-line block. */
        TEST_CASE(3)
        li a0, 0
        call_hot f_mid
        CHECK_EQ(a0, 15 * HOT)
        patch lwu, sw, f_mid + 8, t_add64
        li a0, 0
        call_hot f_mid
        CHECK_EQ(a0, 75 * HOT)

        /* A compressed instruction between a 32-bit one and a compressed one, by a halfword
           store: c.addi a0, 1 -> c.addi a0, 3. */
        TEST_CASE(4)
        li a0, 0
        call_hot f_c
        CHECK_EQ(a0, 17 * HOT)
        patch lhu, sh, f_c + 4, t_cadd3
        li a0, 0
        call_hot f_c
        CHECK_EQ(a0, 19 * HOT)

        /* Instruction boundaries move: two compressed instructions become one 32-bit one, then
           the pair comes back. */
        TEST_CASE(5)
        li a0, 0
        call_hot f_cc
        CHECK_EQ(a0, 3 * HOT)
        patch lwu, sw, f_cc, t_add100
        li a0, 0
        call_hot f_cc
        CHECK_EQ(a0, 100 * HOT)
        TEST_CASE(6)
        patch lwu, sw, f_cc, t_cpair
        li a0, 0
        call_hot f_cc
        CHECK_EQ(a0, 3 * HOT)

        /* A hot loop rewrites its own first instruction half way through: the remaining
           iterations run the new one. */
        TEST_CASE(7)
        la s0, l_self
        la t0, t_add7
        lwu s2, 0(t0)
        li a0, 0
        li s3, HOT
        li s4, HOT / 2
l_self: addi a0, a0, 1
        addi s3, s3, -1
        bne s3, s4, 1f
        sw s2, 0(s0)
        fence.i
1:      bnez s3, l_self
        CHECK_EQ(a0, (HOT / 2) * 1 + (HOT / 2) * 7)

        /* A store that rewrites a later instruction of the straight-line run it belongs to (one
           block, up to the FENCE.I the spec requires). The store goes to a scratch word on every
           pass but the last, which patches l_fwd, so the run is hot and unchanged until then. The
           target address is selected without a branch, to keep the run a single block. */
        TEST_CASE(8)
        la t0, t_add7
        lwu s2, 0(t0)
        la s5, scratch
        la s6, l_fwd
        sub s6, s6, s5          /* l_fwd - scratch */
        li a0, 0
        li s3, HOT
1:      addi t1, s3, -1
        seqz t1, t1
        neg t1, t1              /* all ones on the last pass */
        and t2, s6, t1
        add t2, t2, s5
        sw s2, 0(t2)
        fence.i
l_fwd:  addi a0, a0, 1
        addi s3, s3, -1
        bnez s3, 1b
        CHECK_EQ(a0, (HOT - 1) + 7)

        /* Code and data in one page: a hot loop stores to a counter next to its own code on every
           iteration; results must be exact. The counter is written once before the code gets hot,
           so a store translation to that page is cached before the page holds translated code. */
        TEST_CASE(9)
        la t0, d_shared
        sd zero, 0(t0)
        li a0, 0
        li a1, HOT
        call f_shared
        CHECK_EQ(a0, HOT)
        la t0, d_shared
        ld t1, 0(t0)
        CHECK_EQ(t1, 3 * HOT)
        /* ... then its code is rewritten by a store to that same page. */
        TEST_CASE(10)
        patch lwu, sw, f_shared_add, t_add2
        li a0, 0
        li a1, HOT
        call f_shared
        CHECK_EQ(a0, 2 * HOT)
        la t0, d_shared
        ld t1, 0(t0)
        CHECK_EQ(t1, 6 * HOT)

        /* As case 8, but the store is the N-th instruction of its run, for N = 16, 32, 64, 128:
           where a translator caps blocks at N instructions, the block ends exactly with the store
           that kills it, and the blocks after it (FENCE.I, then the patched one) come next. */
        TEST_CASE(11)
        la t0, t_add7
        lwu s2, 0(t0)
        la s5, scratch
        .irp n, 16, 32, 64, 128
        li a0, 0
        li a1, HOT
        call f_long\n
        CHECK_EQ(a0, (HOT - 1) + 7)
        .endr
        j pass

        /* Patched functions. */
        .balign 8
f_imm:  addi a0, a0, 1
        ret
        .balign 8
f_mid:  addi a0, a0, 1
        addi a0, a0, 2
        addi a0, a0, 4          /* f_mid + 8 */
        addi a0, a0, 8
        ret
        .balign 8
f_c:    addi a0, a0, 16
        .option rvc
        c.addi a0, 1            /* f_c + 4 */
        c.jr ra
        .option norvc
        .balign 8
f_cc:   .option rvc
        c.addi a0, 1
        c.addi a0, 2
        c.jr ra
        .option norvc

        /* A page of its own holding code and data. f_shared: a1 times, d_shared += 3 and
           a0 += 1. */
        .balign 4096
f_shared:
        lla t0, d_shared
1:      ld t1, 0(t0)
        addi t1, t1, 3
        sd t1, 0(t0)
f_shared_add:
        addi a0, a0, 1
        addi a1, a1, -1
        bnez a1, 1b
        ret
        .balign 8
d_shared:
        .dword 0
        .balign 4096

        /* f_longN: a1 passes of a straight-line run of N instructions from 1: to the store,
           which writes t_add7 (s2) to the scratch word (s5) on every pass but the last, when it
           patches the addi at 2:. a0 += 1 per pass (7 on the last). */
        .irp n, 16, 32, 64, 128
f_long\n:
        lla t0, 2f
        sub s6, t0, s5          /* patched instruction - scratch */
1:      addi t1, a1, -1
        seqz t1, t1
        neg t1, t1              /* all ones on the last pass */
        and t2, s6, t1
        add t2, t2, s5
        .rept \n - 6
        nop
        .endr
        sw s2, 0(t2)            /* instruction n of the run */
        fence.i
2:      addi a0, a0, 1
        addi a1, a1, -1
        bnez a1, 1b
        ret
        .endr
        .balign 4096

        /* Replacement instructions, as data. */
        .data
        .balign 8
t_add1: addi a0, a0, 1
t_add2: addi a0, a0, 2
t_add7: addi a0, a0, 7
t_add64: addi a0, a0, 64
t_add100: addi a0, a0, 100
t_cpair:
        .option rvc
        c.addi a0, 1
        c.addi a0, 2
t_cadd3: c.addi a0, 3
        .option norvc
        .balign 8
scratch: .dword 0
        .text
TEST_END
