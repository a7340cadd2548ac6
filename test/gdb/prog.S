/* The GDB stub's test program (test/boot/gdb.test.mjs), for the spike board: a hot loop that
   spins until the debugger writes `go`, then a store to `flag` (a watchpoint's target), then a
   loop that stores 1..STREAM_N into `buf`, each value to element value / 16 (hot, so translated,
   before a watchpoint deep in it triggers), then a check that passes only if the debugger wrote 0x1234 to `value` (read after
   another load from its page, which must not open the page to the TLB while `value` is watched).
   Built with test/isa's test.h and link.ld. */
#include "test.h"

#define STREAM_N 96000

TEST_BEGIN
        la s0, counter
        la s4, go
        li s1, 0
        .globl spin
spin:   addi s1, s1, 1
        sd s1, 0(s0)
        ld t0, 0(s4)
        beqz t0, spin
        .globl after_loop
after_loop:
        addi s3, s1, 5
        la t1, flag
        li t2, 7
        sd t2, 0(t1)
        .globl after_store
after_store:
        la t4, buf
        li t5, 0
        li t6, STREAM_N
stream: addi t5, t5, 1
        srli t3, t5, 4          /* element t5 / 16: each is written 16 times, in turn */
        slli t3, t3, 3
        add t3, t3, t4
        sd t5, 0(t3)
        .globl stream_stored
stream_stored:
        bne t5, t6, stream
        .globl streamed
streamed:
        TEST_CASE(2)
        ld t3, 0(s4)            /* a load from value's page first: it must not let value's load skip the watch */
        la t0, value
        ld a0, 0(t0)
        li t1, 0x1234
        bne a0, t1, fail
        j pass
TEST_END

        .data
        .balign 8
        .globl counter, go, flag, value
counter: .dword 0
go:     .dword 0
flag:   .dword 0
value:  .dword 0
        .balign 4096
        .globl buf, far
buf:    .zero 8 * (STREAM_N / 16 + 1)
        .balign 4096
far:    .dword 0
