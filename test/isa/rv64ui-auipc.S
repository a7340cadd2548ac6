/* AUIPC (RV64I): rd = pc + sign-extend(imm20 << 12), computed in 64 bits.
   The expected pc is taken from an absolute .dword relocation, not from another pc-relative
   instruction. */
#include "test.h"
        .option norvc

#define TEST_AUIPC(n, imm, offset)                          \
        TEST_CASE(n);                                       \
        la t0, auipc_addr_##n;                              \
        ld a1, 0(t0);                                       \
        li t1, offset;                                      \
        add a1, a1, t1;                                     \
auipc_here_##n:                                             \
        auipc a0, imm;                                      \
        bne a0, a1, fail;                                   \
        .pushsection .data; .balign 8;                      \
auipc_addr_##n: .dword auipc_here_##n;                      \
        .popsection

TEST_BEGIN
        TEST_AUIPC(1, 0, 0)
        TEST_AUIPC(2, 1, 0x1000)
        TEST_AUIPC(3, 0x12345, 0x12345000)
        TEST_AUIPC(4, 0xfffff, -0x1000)
        /* 0x80000 is -2^31: pc (0x8000xxxx) minus 2^31 is a small positive number. */
        TEST_AUIPC(5, 0x80000, -0x80000000)
        /* pc + 0x7ffff000 exceeds 32 bits: no 32-bit wrap-around in RV64. */
        TEST_AUIPC(6, 0x7ffff, 0x7ffff000)

        /* AUIPC into x0 is discarded. */
        TEST_CASE(7)
        auipc x0, 0x12345
        CHECK_EQ(x0, 0)

        /* Two consecutive AUIPCs differ by 4 (the instruction length). */
        TEST_CASE(8)
        auipc a0, 0
        auipc a1, 0
        sub a2, a1, a0
        CHECK_EQ(a2, 4)

        /* AUIPC + ADDI reaches a label (the way `la` works). */
        TEST_CASE(9)
1:      auipc a0, %pcrel_hi(auipc_target)
        addi a0, a0, %pcrel_lo(1b)
        la t0, auipc_target_addr
        ld a1, 0(t0)
        bne a0, a1, fail
        j pass

        .data
        .balign 8
auipc_target_addr: .dword auipc_target
auipc_target: .dword 0
        .text
TEST_END
