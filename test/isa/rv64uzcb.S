/* Zcb (unprivileged ISA, "Zcb Extension for Additional Compressed Instructions"): C.LBU, C.LHU,
   C.LH, C.SB, C.SH with their zero-extended 2-bit (byte) or 1-bit (halfword) offsets, and C.ZEXT.B,
   C.SEXT.B, C.ZEXT.H, C.SEXT.H, C.ZEXT.W, C.NOT, C.MUL on rd'/rs1' (x8..x15). Expected values from
   each instruction's "Operation" line. The assembler (binutils 2.40) does not know Zcb: the
   halfwords are built from the chapter's encoding diagrams by the macros below. C.SEXT.B, C.ZEXT.H
   and C.SEXT.H need Zbb, C.ZEXT.W Zba, C.MUL M.
   isa-tests-march: rv64gc_zba_zbb
   isa-tests-cpu: zcb */
#include "test.h"
        .option norvc

/* Register arguments are numbers 8..15 (x8 = s0 ... x15 = a5). */
#define X(n) x##n
#define C_LBU(rd, uimm, rs1) \
        .hword 0x8000 | (((rs1) - 8) << 7) | (((uimm) & 1) << 6) | (((uimm) >> 1) << 5) | (((rd) - 8) << 2)
#define C_LHU(rd, uimm, rs1) .hword 0x8400 | (((rs1) - 8) << 7) | (((uimm) >> 1) << 5) | (((rd) - 8) << 2)
#define C_LH(rd, uimm, rs1) .hword 0x8440 | (((rs1) - 8) << 7) | (((uimm) >> 1) << 5) | (((rd) - 8) << 2)
#define C_SB(rs2, uimm, rs1) \
        .hword 0x8800 | (((rs1) - 8) << 7) | (((uimm) & 1) << 6) | (((uimm) >> 1) << 5) | (((rs2) - 8) << 2)
#define C_SH(rs2, uimm, rs1) .hword 0x8c00 | (((rs1) - 8) << 7) | (((uimm) >> 1) << 5) | (((rs2) - 8) << 2)
/* Quadrant 1, funct6 100111, funct2 11: the operation in bits 4:2. */
#define C_UNARY(op, rd) .hword 0x9c61 | (((rd) - 8) << 7) | ((op) << 2)
#define C_ZEXT_B(rd) C_UNARY(0, rd)
#define C_SEXT_B(rd) C_UNARY(1, rd)
#define C_ZEXT_H(rd) C_UNARY(2, rd)
#define C_SEXT_H(rd) C_UNARY(3, rd)
#define C_ZEXT_W(rd) C_UNARY(4, rd)
#define C_NOT(rd) C_UNARY(5, rd)
/* funct2 10: c.mul rd'/rs1', rs2'. */
#define C_MUL(rd, rs2) .hword 0x9c41 | (((rd) - 8) << 7) | (((rs2) - 8) << 2)

/* x[rd] = a; insn; x[rd] == expect */
#define TEST_UNARY(n, insn, rd, expect, a) \
        TEST_CASE(n); li X(rd), a; insn(rd); CHECK_EQ(X(rd), expect)
/* Load from `table` + `base_off` through rs1 into rd. */
#define TEST_LOAD(n, insn, rd, uimm, rs1, table, base_off, expect) \
        TEST_CASE(n); lla X(rs1), table + (base_off); li X(rd), 0x5555; insn(rd, uimm, rs1); CHECK_EQ(X(rd), expect)
/* Clear 16 bytes of scratch, store x[rs2] = value at scratch + uimm, then compare both doublewords. */
#define TEST_STORE(n, insn, rs2, uimm, rs1, value, lo, hi) \
        TEST_CASE(n); la X(rs1), scratch; sd x0, 0(X(rs1)); sd x0, 8(X(rs1)); li X(rs2), value; \
        insn(rs2, uimm, rs1); la t0, scratch; ld t1, 0(t0); CHECK_EQ(t1, lo); ld t1, 8(t0); CHECK_EQ(t1, hi)

TEST_BEGIN
        /* C.LBU: zero-extended byte at x[rs1] + uimm, uimm = 0..3 */
        TEST_LOAD(1, C_LBU, 10, 0, 9, btab, 0, 0x80)
        TEST_LOAD(2, C_LBU, 10, 1, 9, btab, 0, 0x7f)
        TEST_LOAD(3, C_LBU, 11, 2, 12, btab, 0, 0xfe)
        TEST_LOAD(4, C_LBU, 15, 3, 8, btab, 0, 0x01)
        TEST_LOAD(5, C_LBU, 8, 3, 15, btab, 4, 0xff)
        TEST_CASE(6); la s1, btab; C_LBU(9, 2, 9); CHECK_EQ(s1, 0xfe)         /* rd == rs1 */

        /* C.LHU and C.LH: halfword at x[rs1] + uimm, uimm = 0 or 2 */
        TEST_LOAD(7, C_LHU, 10, 0, 9, htab, 0, 0x8001)
        TEST_LOAD(8, C_LHU, 10, 2, 9, htab, 0, 0x7ffe)
        TEST_LOAD(9, C_LHU, 14, 2, 13, htab, 4, 0xffff)
        TEST_LOAD(10, C_LH, 10, 0, 9, htab, 0, 0xffffffffffff8001)
        TEST_LOAD(11, C_LH, 10, 2, 9, htab, 0, 0x7ffe)
        TEST_LOAD(12, C_LH, 14, 2, 13, htab, 4, 0xffffffffffffffff)
        TEST_LOAD(13, C_LH, 8, 0, 15, htab, 4, 0x1234)
        TEST_CASE(14); la a2, htab; C_LH(12, 0, 12); CHECK_EQ(a2, 0xffffffffffff8001)

        /* C.SB: the low byte of x[rs2] at x[rs1] + uimm; nothing else written */
        TEST_STORE(15, C_SB, 10, 0, 9, 0x1122334455667788, 0x88, 0)
        TEST_STORE(16, C_SB, 10, 1, 9, 0xffffffffffffffab, 0xab00, 0)
        TEST_STORE(17, C_SB, 15, 2, 8, 0x7f, 0x7f0000, 0)
        TEST_STORE(18, C_SB, 8, 3, 15, 0x180, 0x80000000, 0)

        /* C.SH: the low halfword of x[rs2] at x[rs1] + uimm */
        TEST_STORE(19, C_SH, 10, 0, 9, 0x1122334455667788, 0x7788, 0)
        TEST_STORE(20, C_SH, 10, 2, 9, 0xffffffffffff8001, 0x80010000, 0)
        TEST_STORE(21, C_SH, 12, 2, 11, 0x1234, 0x12340000, 0)

        /* C.ZEXT.B: x[rd][7:0] zero-extended (ANDI rd, rd, 0xff) */
        TEST_UNARY(22, C_ZEXT_B, 8, 0xf0, 0x123456789abcdef0)
        TEST_UNARY(23, C_ZEXT_B, 15, 0x7f, 0xffffffffffffff7f)
        TEST_UNARY(24, C_ZEXT_B, 10, 0, 0xffffffffffffff00)
        /* C.SEXT.B */
        TEST_UNARY(25, C_SEXT_B, 8, 0xffffffffffffff80, 0x80)
        TEST_UNARY(26, C_SEXT_B, 9, 0x7f, 0x123456789abcde7f)
        TEST_UNARY(27, C_SEXT_B, 15, 0xffffffffffffffff, 0xff)
        /* C.ZEXT.H */
        TEST_UNARY(28, C_ZEXT_H, 8, 0x8001, 0x123456789abc8001)
        TEST_UNARY(29, C_ZEXT_H, 13, 0xffff, 0xffffffffffffffff)
        /* C.SEXT.H */
        TEST_UNARY(30, C_SEXT_H, 8, 0xffffffffffff8001, 0x8001)
        TEST_UNARY(31, C_SEXT_H, 11, 0x7fff, 0xffffffffffff7fff)
        /* C.ZEXT.W (ADD.UW rd, rd, zero) */
        TEST_UNARY(32, C_ZEXT_W, 8, 0x80000000, 0xffffffff80000000)
        TEST_UNARY(33, C_ZEXT_W, 14, 0x90abcdef, 0x1234567890abcdef)
        /* C.NOT (XORI rd, rd, -1) */
        TEST_UNARY(34, C_NOT, 8, 0xfedcba9876543210, 0x0123456789abcdef)
        TEST_UNARY(35, C_NOT, 12, 0xffffffffffffffff, 0)

        /* C.MUL: the low 64 bits of x[rd] * x[rs2] */
        TEST_CASE(36); li s0, 3; li a0, 7; C_MUL(8, 10); CHECK_EQ(s0, 21); CHECK_EQ(a0, 7)
        TEST_CASE(37); li a5, -2; li s1, 3; C_MUL(15, 9); CHECK_EQ(a5, -6)
        TEST_CASE(38); li a1, 0x123456789; li a2, 0x987654321; C_MUL(11, 12); CHECK_EQ(a1, 0xd77d742cce1833a9)
        TEST_CASE(39); li a3, 0x8000000000000001; li a4, 0x8000000000000001; C_MUL(13, 14); CHECK_EQ(a3, 1)
        TEST_CASE(40); li a0, 0xfedcba9876543210; C_MUL(10, 10); CHECK_EQ(a0, 0xdeec6cd7a44a4100)
        TEST_CASE(41); li s0, 0x100000000; li s1, 0x100000000; C_MUL(8, 9); CHECK_EQ(s0, 0)

        /* The registers around the ones used stay as they were. */
        TEST_CASE(42); li s0, 0x1111; li s1, 0x2222; li a0, 0x80; C_SEXT_B(10)
        CHECK_EQ(s0, 0x1111); CHECK_EQ(s1, 0x2222); CHECK_EQ(a0, 0xffffffffffffff80)
        j pass
TEST_END

        .data
        .balign 8
btab:   .byte 0x80, 0x7f, 0xfe, 0x01, 0x33, 0x44, 0x55, 0xff
htab:   .hword 0x8001, 0x7ffe, 0x1234, 0xffff
scratch: .dword 0, 0
