/* Stores (RV64I): SB, SH, SW, SD write the low 8/16/32/64 bits of rs2 at rs1 + sign-extend(imm12),
   little-endian, and leave every other byte alone. Each case fills a 24-byte buffer with 0xaa,
   stores, then checks all three doublewords. */
#include "test.h"
        .option norvc

#define FILL_BUF                                            \
        la a0, st_buf; li t0, 0xaaaaaaaaaaaaaaaa;           \
        sd t0, 0(a0); sd t0, 8(a0); sd t0, 16(a0)

#define CHECK_BUF(w0, w1, w2)                               \
        la a0, st_buf;                                      \
        ld a3, 0(a0); CHECK_EQ(a3, w0);                     \
        ld a3, 8(a0); CHECK_EQ(a3, w1);                     \
        ld a3, 16(a0); CHECK_EQ(a3, w2)

/* Store `value` with `op` at st_buf + 8 + offset. */
#define TEST_STORE(n, op, offset, value, w0, w1, w2)        \
        TEST_CASE(n); FILL_BUF; li a1, value;               \
        addi a2, a0, 8; op a1, offset(a2);                  \
        CHECK_BUF(w0, w1, w2)

#define A 0xaaaaaaaaaaaaaaaa

TEST_BEGIN
        /* SB: only the low byte of rs2 is written. */
        TEST_STORE(1, sb, 0, 0x1122334455667788, A, 0xaaaaaaaaaaaaaa88, A)
        TEST_STORE(2, sb, 1, 0xff, A, 0xaaaaaaaaaaaaffaa, A)
        TEST_STORE(3, sb, 7, 0, A, 0x00aaaaaaaaaaaaaa, A)
        TEST_STORE(4, sb, -1, 0x12, 0x12aaaaaaaaaaaaaa, A, A)
        TEST_STORE(5, sb, 8, 0x7f, A, A, 0xaaaaaaaaaaaaaa7f)
        /* SH */
        TEST_STORE(6, sh, 0, 0x1122334455667788, A, 0xaaaaaaaaaaaa7788, A)
        TEST_STORE(7, sh, 2, 0x8001, A, 0xaaaaaaaa8001aaaa, A)
        TEST_STORE(8, sh, 6, 0xffffffffffff0000, A, 0x0000aaaaaaaaaaaa, A)
        TEST_STORE(9, sh, -2, 0xbeef, 0xbeefaaaaaaaaaaaa, A, A)
        /* SW */
        TEST_STORE(10, sw, 0, 0x1122334455667788, A, 0xaaaaaaaa55667788, A)
        TEST_STORE(11, sw, 4, 0x80000001, A, 0x80000001aaaaaaaa, A)
        TEST_STORE(12, sw, -4, 0, 0x00000000aaaaaaaa, A, A)
        TEST_STORE(13, sw, 8, 0xffffffffdeadbeef, A, A, 0xaaaaaaaadeadbeef)
        /* SD */
        TEST_STORE(14, sd, 0, 0x1122334455667788, A, 0x1122334455667788, A)
        TEST_STORE(15, sd, -8, 0x8000000000000000, 0x8000000000000000, A, A)
        TEST_STORE(16, sd, 8, -1, A, A, -1)
        TEST_STORE(17, sd, 0, 0, A, 0, A)

        /* Extreme immediates: +2047 and -2048. */
        TEST_CASE(18)
        la a0, st_far
        li a1, 0xa5
        addi a2, a0, -2047
        sb a1, 2047(a2)
        lbu a3, 0(a0)
        CHECK_EQ(a3, 0xa5)
        TEST_CASE(19)
        li a1, 0xc3
        addi a2, a0, 2047
        addi a2, a2, 1
        sb a1, -2048(a2)
        lbu a3, 0(a0)
        CHECK_EQ(a3, 0xc3)

        /* rs2 == rs1: the address itself is stored. */
        TEST_CASE(20)
        la a0, st_buf
        sd a0, 0(a0)
        ld a1, 0(a0)
        bne a1, a0, fail

        /* Storing x0 writes zeros. */
        TEST_CASE(21)
        FILL_BUF
        sw x0, 12(a0)
        CHECK_BUF(A, 0x00000000aaaaaaaa, A)

        /* Stores of different widths combine in memory. */
        TEST_CASE(22)
        FILL_BUF
        li a1, 0x11
        sb a1, 8(a0)
        li a1, 0x22
        sb a1, 9(a0)
        li a1, 0x4433
        sh a1, 10(a0)
        li a1, 0x88776655
        sw a1, 12(a0)
        CHECK_BUF(A, 0x8877665544332211, A)
        j pass

        .data
        .balign 8
st_buf: .skip 24
        .skip 2040
st_far: .dword 0
        .text
TEST_END
