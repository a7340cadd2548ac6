/* Common frame for tsvirt's ISA test programs (spike board, HTIF).
   A test starts in M-mode at 0x80000000 with hart id 0. It reports through the HTIF `tohost` mailbox:
   writing 1 means pass, (n << 1) | 1 means failure of test case n (n >= 1).

   Usage:
     #include "test.h"
     TEST_BEGIN
       TEST_CASE(1) ... code that branches to `fail` on a mismatch, with TESTNUM (gp) = case number
     TEST_END
*/
#ifndef TSVIRT_TEST_H
#define TSVIRT_TEST_H

#define TESTNUM gp

/* Case number register; `fail` reports it. */
#define TEST_CASE(n) li TESTNUM, n

/* Compare register with an expected 64-bit value, failing the current case on mismatch. */
#define CHECK_EQ(reg, val) li t6, val; bne reg, t6, fail

#define TEST_BEGIN                                   \
        .section .text.init, "ax", @progbits;        \
        .globl _start;                               \
_start:                                              \
        la t0, trap_unexpected;                      \
        csrw mtvec, t0;                              \
        li t0, (1 << 13);  /* mstatus.FS = Initial */\
        csrs mstatus, t0;                            \
        csrwi fcsr, 0;                               \
        li TESTNUM, 0;                               \
        j test_main;                                 \
        .balign 4;                                   \
trap_unexpected:                                     \
        /* Any trap not expected by the test fails it with case number 1000 + mcause (low bits). */ \
        csrr t0, mcause;                             \
        andi t0, t0, 0xff;                           \
        addi TESTNUM, t0, 1000;                      \
        j fail;                                      \
        .text;                                       \
test_main:

#define TEST_END                                     \
pass:                                                \
        li t0, 1;                                    \
        la t1, tohost;                               \
        sd t0, 0(t1);                                \
1:      j 1b;                                        \
fail:                                                \
        fence;                                       \
        slli t0, TESTNUM, 1;                         \
        ori t0, t0, 1;                               \
        la t1, tohost;                               \
        sd t0, 0(t1);                                \
2:      j 2b;                                        \
        .section .tohost, "aw", @progbits;           \
        .balign 64;                                  \
        .globl tohost;                               \
tohost: .dword 0;                                    \
        .size tohost, 8;                             \
        .balign 64;                                  \
        .globl fromhost;                             \
fromhost: .dword 0;                                  \
        .size fromhost, 8;                           \
        .text

#endif
