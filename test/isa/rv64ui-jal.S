/* JAL (RV64I): rd = pc + 4; pc += sign-extend(offset), offset a multiple of 2 in +-1 MiB.
   Link values are checked against absolute .dword relocations. Targets are placed at offsets
   that set each field of the J-type immediate (bits 10..1, 11, 19..12, 20). */
#include "test.h"
        .option norvc

/* Loads the absolute address of `label` into reg without pc-relative arithmetic on it.
   (Local label 9 is reserved for this macro.) */
#define ABS_ADDR(reg, label)                                \
        la reg, 9f; ld reg, 0(reg);                         \
        .pushsection .data; .balign 8; 9: .dword label; .popsection

TEST_BEGIN
        /* Forward jump, link in ra; the instruction after the jal is skipped. */
        TEST_CASE(1)
        li a2, 0
        jal ra, 1f
jal_ret1:
        li a2, 1
1:      bnez a2, fail
        ABS_ADDR(a1, jal_ret1)
        bne ra, a1, fail

        /* Link in a register other than ra. */
        TEST_CASE(2)
        jal a0, 1f
jal_ret2:
        j fail
1:      ABS_ADDR(a1, jal_ret2)
        bne a0, a1, fail

        /* jal x0 (j) does not write x0. */
        TEST_CASE(3)
        jal x0, 1f
        j fail
1:      bnez x0, fail

        /* Backward jump. */
        TEST_CASE(4)
        j 2f
1:      ABS_ADDR(a1, jal_ret4)
        bne s0, a1, fail
        j 3f
2:      jal s0, 1b
jal_ret4:
        j fail
3:

        /* An offset of about +0x9c0: bits 11, 8..6 set, forward. */
        TEST_CASE(5)
        jal a0, jal_fwd_2k
jal_ret5:
        j fail
jal_back_2k:
        ABS_ADDR(a1, jal_ret6)
        bne a0, a1, fail
        j jal_case7

        .skip 0x9a4             /* zeros: illegal instructions, never executed */

jal_fwd_2k:
        ABS_ADDR(a1, jal_ret5)
        bne a0, a1, fail
        /* Backward over the same gap. */
        TEST_CASE(6)
        jal a0, jal_back_2k
jal_ret6:
        j fail

        /* Large offsets: about +0x7f820 (bits 18..11 set) forward and -0x7f82c (bits 20, 19 set)
           backward, which between them set every bit of the J-type immediate. */
jal_case7:
        TEST_CASE(7)
        jal a0, jal_fwd_far
jal_ret7:
        j fail
jal_back_far:
        ABS_ADDR(a1, jal_ret8)
        bne a0, a1, fail
        j jal_case9

        .skip 0x7f800           /* keeps `fail` within reach of test.h's trap handler */

jal_fwd_far:
        ABS_ADDR(a1, jal_ret7)
        bne a0, a1, fail
        TEST_CASE(8)
        jal a0, jal_back_far
jal_ret8:
        j fail

        /* rd is written with the link even when the target is the next instruction. */
jal_case9:
        TEST_CASE(9)
        li a0, 0
        jal a0, jal_ret9
jal_ret9:
        ABS_ADDR(a1, jal_ret9)
        bne a0, a1, fail
        j pass
TEST_END
