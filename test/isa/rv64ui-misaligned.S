/* Misaligned loads and stores (RV64I). The unprivileged ISA allows an execution environment to
   carry out misaligned accesses in hardware; tsvirt (like QEMU's spike board) does so, without a
   trap. LH/LHU/LW/LWU/LD and SH/SW/SD are run at every byte offset 0..7 within a doubleword and
   must give the little-endian result; a few accesses straddle a 4 KiB page boundary.
   (A trap here fails the test through test.h's unexpected-trap handler.) */
#include "test.h"
        .option norvc

/* Load from mis_load + offset. */
#define TEST_LOAD(n, op, offset, expect)                    \
        TEST_CASE(n); la a0, mis_load; li a1, 0x5555;       \
        op a1, offset(a0); CHECK_EQ(a1, expect)

/* Fill a 16-byte buffer with 0xaa, store 0x8877665544332211 (its low part) at mis_store + offset,
   check both doublewords, then load the value back from the same misaligned address. */
#define TEST_STORE(n, op, lop, offset, w0, w1, back)        \
        TEST_CASE(n); la a0, mis_store;                     \
        li t0, 0xaaaaaaaaaaaaaaaa; sd t0, 0(a0); sd t0, 8(a0); \
        li a1, 0x8877665544332211; op a1, offset(a0);       \
        ld a2, 0(a0); CHECK_EQ(a2, w0);                     \
        ld a2, 8(a0); CHECK_EQ(a2, w1);                     \
        lop a2, offset(a0); CHECK_EQ(a2, back)

TEST_BEGIN

        /* LH */
        TEST_LOAD(1, lh, 0, 0x0000000000001281)
        TEST_LOAD(2, lh, 1, 0xffffffffffffa312)
        TEST_LOAD(3, lh, 2, 0x00000000000034a3)
        TEST_LOAD(4, lh, 3, 0xffffffffffffc534)
        TEST_LOAD(5, lh, 4, 0x00000000000056c5)
        TEST_LOAD(6, lh, 5, 0xffffffffffffe756)
        TEST_LOAD(7, lh, 6, 0x00000000000078e7)
        TEST_LOAD(8, lh, 7, 0xffffffffffff8978)

        /* LHU */
        TEST_LOAD(9, lhu, 0, 0x0000000000001281)
        TEST_LOAD(10, lhu, 1, 0x000000000000a312)
        TEST_LOAD(11, lhu, 2, 0x00000000000034a3)
        TEST_LOAD(12, lhu, 3, 0x000000000000c534)
        TEST_LOAD(13, lhu, 4, 0x00000000000056c5)
        TEST_LOAD(14, lhu, 5, 0x000000000000e756)
        TEST_LOAD(15, lhu, 6, 0x00000000000078e7)
        TEST_LOAD(16, lhu, 7, 0x0000000000008978)

        /* LW */
        TEST_LOAD(17, lw, 0, 0x0000000034a31281)
        TEST_LOAD(18, lw, 1, 0xffffffffc534a312)
        TEST_LOAD(19, lw, 2, 0x0000000056c534a3)
        TEST_LOAD(20, lw, 3, 0xffffffffe756c534)
        TEST_LOAD(21, lw, 4, 0x0000000078e756c5)
        TEST_LOAD(22, lw, 5, 0xffffffff8978e756)
        TEST_LOAD(23, lw, 6, 0x000000001a8978e7)
        TEST_LOAD(24, lw, 7, 0xffffffffab1a8978)

        /* LWU */
        TEST_LOAD(25, lwu, 0, 0x0000000034a31281)
        TEST_LOAD(26, lwu, 1, 0x00000000c534a312)
        TEST_LOAD(27, lwu, 2, 0x0000000056c534a3)
        TEST_LOAD(28, lwu, 3, 0x00000000e756c534)
        TEST_LOAD(29, lwu, 4, 0x0000000078e756c5)
        TEST_LOAD(30, lwu, 5, 0x000000008978e756)
        TEST_LOAD(31, lwu, 6, 0x000000001a8978e7)
        TEST_LOAD(32, lwu, 7, 0x00000000ab1a8978)

        /* LD */
        TEST_LOAD(33, ld, 0, 0x78e756c534a31281)
        TEST_LOAD(34, ld, 1, 0x8978e756c534a312)
        TEST_LOAD(35, ld, 2, 0x1a8978e756c534a3)
        TEST_LOAD(36, ld, 3, 0xab1a8978e756c534)
        TEST_LOAD(37, ld, 4, 0x3cab1a8978e756c5)
        TEST_LOAD(38, ld, 5, 0xcd3cab1a8978e756)
        TEST_LOAD(39, ld, 6, 0x5ecd3cab1a8978e7)
        TEST_LOAD(40, ld, 7, 0xef5ecd3cab1a8978)

        /* SH */
        TEST_STORE(41, sh, lhu, 0, 0xaaaaaaaaaaaa2211, 0xaaaaaaaaaaaaaaaa, 0x0000000000002211)
        TEST_STORE(42, sh, lhu, 1, 0xaaaaaaaaaa2211aa, 0xaaaaaaaaaaaaaaaa, 0x0000000000002211)
        TEST_STORE(43, sh, lhu, 2, 0xaaaaaaaa2211aaaa, 0xaaaaaaaaaaaaaaaa, 0x0000000000002211)
        TEST_STORE(44, sh, lhu, 3, 0xaaaaaa2211aaaaaa, 0xaaaaaaaaaaaaaaaa, 0x0000000000002211)
        TEST_STORE(45, sh, lhu, 4, 0xaaaa2211aaaaaaaa, 0xaaaaaaaaaaaaaaaa, 0x0000000000002211)
        TEST_STORE(46, sh, lhu, 5, 0xaa2211aaaaaaaaaa, 0xaaaaaaaaaaaaaaaa, 0x0000000000002211)
        TEST_STORE(47, sh, lhu, 6, 0x2211aaaaaaaaaaaa, 0xaaaaaaaaaaaaaaaa, 0x0000000000002211)
        TEST_STORE(48, sh, lhu, 7, 0x11aaaaaaaaaaaaaa, 0xaaaaaaaaaaaaaa22, 0x0000000000002211)

        /* SW */
        TEST_STORE(49, sw, lwu, 0, 0xaaaaaaaa44332211, 0xaaaaaaaaaaaaaaaa, 0x0000000044332211)
        TEST_STORE(50, sw, lwu, 1, 0xaaaaaa44332211aa, 0xaaaaaaaaaaaaaaaa, 0x0000000044332211)
        TEST_STORE(51, sw, lwu, 2, 0xaaaa44332211aaaa, 0xaaaaaaaaaaaaaaaa, 0x0000000044332211)
        TEST_STORE(52, sw, lwu, 3, 0xaa44332211aaaaaa, 0xaaaaaaaaaaaaaaaa, 0x0000000044332211)
        TEST_STORE(53, sw, lwu, 4, 0x44332211aaaaaaaa, 0xaaaaaaaaaaaaaaaa, 0x0000000044332211)
        TEST_STORE(54, sw, lwu, 5, 0x332211aaaaaaaaaa, 0xaaaaaaaaaaaaaa44, 0x0000000044332211)
        TEST_STORE(55, sw, lwu, 6, 0x2211aaaaaaaaaaaa, 0xaaaaaaaaaaaa4433, 0x0000000044332211)
        TEST_STORE(56, sw, lwu, 7, 0x11aaaaaaaaaaaaaa, 0xaaaaaaaaaa443322, 0x0000000044332211)

        /* SD */
        TEST_STORE(57, sd, ld, 0, 0x8877665544332211, 0xaaaaaaaaaaaaaaaa, 0x8877665544332211)
        TEST_STORE(58, sd, ld, 1, 0x77665544332211aa, 0xaaaaaaaaaaaaaa88, 0x8877665544332211)
        TEST_STORE(59, sd, ld, 2, 0x665544332211aaaa, 0xaaaaaaaaaaaa8877, 0x8877665544332211)
        TEST_STORE(60, sd, ld, 3, 0x5544332211aaaaaa, 0xaaaaaaaaaa887766, 0x8877665544332211)
        TEST_STORE(61, sd, ld, 4, 0x44332211aaaaaaaa, 0xaaaaaaaa88776655, 0x8877665544332211)
        TEST_STORE(62, sd, ld, 5, 0x332211aaaaaaaaaa, 0xaaaaaa8877665544, 0x8877665544332211)
        TEST_STORE(63, sd, ld, 6, 0x2211aaaaaaaaaaaa, 0xaaaa887766554433, 0x8877665544332211)
        TEST_STORE(64, sd, ld, 7, 0x11aaaaaaaaaaaaaa, 0xaa88776655443322, 0x8877665544332211)

        /* Accesses straddling a page boundary. */
        TEST_CASE(65)
        la a0, mis_page_hi
        ld a1, -3(a0)
        CHECK_EQ(a1, 0x0d0c0b0a09080706)
        TEST_CASE(66)
        lw a1, -1(a0)
        CHECK_EQ(a1, 0x0b0a0908)
        TEST_CASE(67)
        lh a1, -1(a0)
        CHECK_EQ(a1, 0x0908)
        TEST_CASE(68)
        li a1, 0xf0e0d0c0b0a09080
        sd a1, -5(a0)
        ld a2, -8(a0)
        CHECK_EQ(a2, 0xc0b0a09080030201)
        ld a2, 0(a0)
        CHECK_EQ(a2, 0x100f0e0d0cf0e0d0)
        ld a2, -5(a0)
        CHECK_EQ(a2, 0xf0e0d0c0b0a09080)

        /* Misaligned address from an odd base and an even offset. */
        TEST_CASE(69)
        la a0, mis_load
        addi a0, a0, 3
        lw a1, 2(a0)
        CHECK_EQ(a1, 0xffffffff8978e756)
        j pass

        .data
        .balign 16
mis_load:
        .byte 0x81, 0x12, 0xa3, 0x34, 0xc5, 0x56, 0xe7, 0x78
        .byte 0x89, 0x1a, 0xab, 0x3c, 0xcd, 0x5e, 0xef, 0x70
mis_store:
        .skip 16
        .balign 4096
        .skip 4096 - 8
mis_page_lo:
        .byte 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08
mis_page_hi:
        .byte 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0x10
        .text
TEST_END
