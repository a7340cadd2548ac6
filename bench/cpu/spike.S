/* Bare-metal platform layer for the spike board: M-mode from reset at 0x80000000, HTIF console
   and exit through the tohost/fromhost mailboxes (see test/isa/test.h for the conventions).
     console putchar: tohost = (1 << 56) | (1 << 48) | ch, then wait until tohost reads 0
     exit:            tohost = (code << 1) | 1; 1 means pass */
#include "bench.h"

#define STACK_BYTES (64 * 1024)

        .section .text.init, "ax", @progbits
        .globl _start
_start:
        csrr    s1, minstret            /* kept in s1 until .bss is clear, then saved */
        csrr    t0, mhartid
        bnez    t0, park
        la      t0, trap_entry
        csrw    mtvec, t0
        li      t0, (1 << 13)           /* mstatus.FS = Initial: enable the FPU */
        csrs    mstatus, t0
        csrwi   fcsr, 0
        la      sp, stack_top
        la      t0, __bss_start         /* zero .bss (and the stack with it) */
        la      t1, __bss_end
1:      bgeu    t0, t1, 2f
        sd      zero, 0(t0)
        addi    t0, t0, 8
        j       1b
2:      la      t0, start_instret
        sd      s1, 0(t0)
        li      a0, BENCH_SCALE
        call    bench_run
        call    plat_exit

park:   wfi
        j       park

        .balign 4
trap_entry:
        la      sp, stack_top
        csrr    a0, mcause
        csrr    a1, mepc
        csrr    a2, mtval
        call    bench_trap

        .text
        .globl plat_putc
plat_putc:
        la      t0, tohost
        li      t1, 0x0101000000000000  /* device 1 (console), command 1 (putchar) */
        andi    a0, a0, 0xff
        or      t1, t1, a0
1:      ld      t2, 0(t0)               /* wait for a free mailbox */
        bnez    t2, 1b
        sd      t1, 0(t0)
2:      ld      t2, 0(t0)               /* wait until the host has taken it */
        bnez    t2, 2b
        la      t0, fromhost            /* drop the host's acknowledgement, if any */
        sd      zero, 0(t0)
        ret

        .globl plat_exit
plat_exit:
        slli    a0, a0, 1
        ori     a0, a0, 1
        la      t0, tohost
1:      ld      t2, 0(t0)
        bnez    t2, 1b
        fence
        sd      a0, 0(t0)
2:      j       2b

        .globl plat_instret
plat_instret:
        csrr    a0, minstret
        ret

        .globl plat_instret_at_start
plat_instret_at_start:
        la      t0, start_instret
        ld      a0, 0(t0)
        ret

        .globl plat_time_ns
plat_time_ns:
        li      a0, -1                  /* no clock on this layer: measured from outside */
        ret

        .section .tohost, "aw", @progbits
        .balign 64
        .globl tohost
tohost: .dword 0
        .size tohost, 8
        .balign 64
        .globl fromhost
fromhost: .dword 0
        .size fromhost, 8

        .bss
        .balign 8
start_instret: .dword 0
        .balign 16
stack:  .space STACK_BYTES
stack_top:
