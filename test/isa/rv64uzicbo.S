/* Zicbom, Zicboz and Zicbop in M-mode (unprivileged ISA, "Cache Management Operations"):
   CBO.ZERO stores zeros to the whole 64-byte block that holds x[rs1] (the cache-block size of
   tsvirt and of QEMU), for x[rs1] anywhere in the block, and nothing outside it; x[rs1] is
   unchanged. CBO.CLEAN, CBO.FLUSH and CBO.INVAL leave memory as it is (memory is coherent with
   every agent here; an invalidate may not expose older data). PREFETCH.I/R/W (ORI with rd = x0)
   change nothing and never trap, even where nothing is mapped. The privileged side (envcfg
   enables, page and access faults) is in priv-zicbo.S.
   isa-tests-march: rv64gc_zicbom_zicboz_zicbop */
#include "test.h"
        .option norvc

#define PAT 0x5a5a5a5a5a5a5a5a

/* Fill the 256-byte buffer with PAT. */
.macro buf_fill
        la t0, buf
        li t1, PAT
        li t2, 32
1:      sd t1, 0(t0)
        addi t0, t0, 8
        addi t2, t2, -1
        bnez t2, 1b
.endm
/* Check the buffer: block `zeroed` (0..3; -1: none) all zero, the rest PAT. */
.macro buf_check zeroed
        la t0, buf
        li t2, 0
1:      ld t1, 0(t0)
        srli t3, t2, 6
        li t4, \zeroed
        li t5, PAT
        bne t3, t4, 2f
        li t5, 0
2:      bne t1, t5, fail
        addi t0, t0, 8
        addi t2, t2, 8
        li t3, 256
        bltu t2, t3, 1b
.endm
/* CBO.ZERO with x[rs1] = buf + off zeroes block off / 64 alone; rs1 keeps its value. */
.macro zero_at n, off, reg=a1
        TEST_CASE(\n)
        buf_fill
        lla \reg, buf + (\off)
        mv s0, \reg
        cbo.zero 0(\reg)
        bne \reg, s0, fail
        buf_check (\off) / 64
.endm

TEST_BEGIN
        zero_at 1, 0
        zero_at 2, 64
        zero_at 3, 128
        zero_at 4, 192
        zero_at 5, 1
        zero_at 6, 63
        zero_at 7, 64 + 7
        zero_at 8, 128 + 32, t6
        zero_at 9, 192 + 63, s11
        zero_at 10, 64 + 56, x1

        /* The management instructions change no memory and no register. */
        TEST_CASE(11)
        buf_fill
        lla a1, buf + 64 + 5
        mv s0, a1
        cbo.clean 0(a1)
        cbo.flush 0(a1)
        cbo.inval 0(a1)
        bne a1, s0, fail
        buf_check -1
        /* A zeroed block stays zero through them. */
        TEST_CASE(12)
        buf_fill
        lla a1, buf + 128
        cbo.zero 0(a1)
        cbo.flush 0(a1)
        cbo.inval 0(a1)
        cbo.clean 0(a1)
        buf_check 2

        /* Prefetches: HINTs, whatever the address (nothing is at physical 0 or 2^64 - 32). */
        TEST_CASE(13)
        buf_fill
        la a1, buf
        li a2, 0
        li a3, -1
        mv s0, a1
        prefetch.i 0(a1)
        prefetch.r 64(a1)
        prefetch.w 2016(a1)
        prefetch.r -2048(a1)
        prefetch.i 0(a2)
        prefetch.r 32(a2)
        prefetch.w -32(a3)
        prefetch.i 0(a3)
        bne a1, s0, fail
        CHECK_EQ(a2, 0)
        CHECK_EQ(a3, -1)
        buf_check -1
        j pass
TEST_END

        .data
        .balign 64
        .skip 64
buf:    .skip 256
        .skip 64
