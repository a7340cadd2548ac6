/* Loads (RV64I): LB, LH, LW sign-extend; LBU, LHU, LWU zero-extend; LD loads 64 bits.
   Address = rs1 + sign-extend(imm12), little-endian byte order. All accesses here are
   naturally aligned (misaligned ones are in rv64ui-misaligned.S). */
#include "test.h"
        .option norvc

/* base points at ld_data; the loaded value must equal expect. */
#define TEST_LOAD(n, op, offset, expect)                    \
        TEST_CASE(n); la a0, ld_data; li a1, 0x5555;        \
        op a1, offset(a0); CHECK_EQ(a1, expect)

/* Same with the base register pointing past the data (negative offsets). */
#define TEST_LOAD_NEG(n, op, offset, expect)                \
        TEST_CASE(n); la a0, ld_data_end; li a1, 0x5555;    \
        op a1, offset(a0); CHECK_EQ(a1, expect)

TEST_BEGIN
        /* LB */
        TEST_LOAD(1, lb, 0, 0x01)
        TEST_LOAD(2, lb, 1, 0xffffffffffffff82)
        TEST_LOAD(3, lb, 2, 0x7f)
        TEST_LOAD(4, lb, 3, 0xffffffffffffff80)
        TEST_LOAD(5, lb, 7, 0xfffffffffffffffe)
        /* LBU */
        TEST_LOAD(6, lbu, 0, 0x01)
        TEST_LOAD(7, lbu, 1, 0x82)
        TEST_LOAD(8, lbu, 3, 0x80)
        TEST_LOAD(9, lbu, 7, 0xfe)
        /* LH */
        TEST_LOAD(10, lh, 0, 0xffffffffffff8201)
        TEST_LOAD(11, lh, 2, 0xffffffffffff807f)
        TEST_LOAD(12, lh, 4, 0x6543)
        TEST_LOAD(13, lh, 6, 0xfffffffffffffe87)
        /* LHU */
        TEST_LOAD(14, lhu, 0, 0x8201)
        TEST_LOAD(15, lhu, 2, 0x807f)
        TEST_LOAD(16, lhu, 4, 0x6543)
        TEST_LOAD(17, lhu, 6, 0xfe87)
        /* LW */
        TEST_LOAD(18, lw, 0, 0xffffffff807f8201)
        TEST_LOAD(19, lw, 4, 0xfffffffffe876543)
        TEST_LOAD(20, lw, 8, 0x7fffffff)
        TEST_LOAD(21, lw, 12, 0xffffffff80000000)
        /* LWU */
        TEST_LOAD(22, lwu, 0, 0x807f8201)
        TEST_LOAD(23, lwu, 4, 0xfe876543)
        TEST_LOAD(24, lwu, 8, 0x7fffffff)
        TEST_LOAD(25, lwu, 12, 0x80000000)
        /* LD */
        TEST_LOAD(26, ld, 0, 0xfe876543807f8201)
        TEST_LOAD(27, ld, 8, 0x800000007fffffff)
        TEST_LOAD(28, ld, 16, 0x0123456789abcdef)

        /* Negative offsets from a base past the end. */
        TEST_LOAD_NEG(29, ld, -8, 0x0123456789abcdef)
        TEST_LOAD_NEG(30, lw, -4, 0x01234567)
        TEST_LOAD_NEG(31, lw, -8, 0xffffffff89abcdef)
        TEST_LOAD_NEG(32, lhu, -2, 0x0123)
        TEST_LOAD_NEG(33, lb, -1, 0x01)
        TEST_LOAD_NEG(34, lb, -8, 0xffffffffffffffef)
        TEST_LOAD_NEG(35, lbu, -24, 0x01)

        /* Extreme immediates: +2047 and -2048. */
        TEST_CASE(36)
        la a0, ld_far
        addi a0, a0, -2047
        lbu a1, 2047(a0)
        CHECK_EQ(a1, 0xa5)
        TEST_CASE(37)
        la a0, ld_far
        addi a0, a0, 2047
        addi a0, a0, 1
        lb a1, -2048(a0)
        CHECK_EQ(a1, 0xffffffffffffffa5)

        /* rd == rs1: the address uses the old base. */
        TEST_CASE(38)
        la a0, ld_data
        ld a0, 16(a0)
        CHECK_EQ(a0, 0x0123456789abcdef)
        TEST_CASE(39)
        la a0, ld_data
        lw a0, 4(a0)
        CHECK_EQ(a0, 0xfffffffffe876543)

        /* A load into x0 is discarded (and does not trap). */
        TEST_CASE(40)
        la a0, ld_data
        ld x0, 0(a0)
        lb x0, 1(a0)
        CHECK_EQ(x0, 0)

        /* A load reads the value written by an immediately preceding store. */
        TEST_CASE(41)
        la a0, ld_scratch
        li a1, 0x1122334455667788
        sd a1, 0(a0)
        ld a2, 0(a0)
        CHECK_EQ(a2, 0x1122334455667788)
        lw a2, 4(a0)
        CHECK_EQ(a2, 0x11223344)
        lbu a2, 0(a0)
        CHECK_EQ(a2, 0x88)
        j pass

        .data
        .balign 8
ld_data:
        .byte 0x01, 0x82, 0x7f, 0x80, 0x43, 0x65, 0x87, 0xfe
        .word 0x7fffffff, 0x80000000
        .dword 0x0123456789abcdef
ld_data_end:
ld_scratch:
        .dword 0
        .skip 2040
ld_far: .byte 0xa5
        .balign 8
        .text
TEST_END
