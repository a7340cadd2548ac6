/* RV64C integer computational instructions: C.LI, C.LUI, C.ADDI, C.ADDIW, C.ADDI16SP, C.ADDI4SPN,
   C.MV, C.ADD, C.SLLI, C.SRLI, C.SRAI, C.ANDI, C.SUB, C.XOR, C.OR, C.AND, C.SUBW, C.ADDW, C.NOP.
   The file is assembled without automatic compression; only the instruction under test, written
   with its explicit c. mnemonic, is compressed. Immediates are chosen to set each bit of the
   scrambled immediate fields, and shifts use 6-bit shamts (bit 5 exists only in RV64C). */
#include "test.h"
        .option norvc

/* Assembles its arguments as compressed instructions. */
#define RVC(...) .option push; .option rvc; __VA_ARGS__; .option pop

/* One-register form: reg = init; insn; reg must equal expect. */
#define TEST_CI(n, reg, init, expect, ...)                  \
        TEST_CASE(n); li reg, init; RVC(__VA_ARGS__);       \
        CHECK_EQ(reg, expect)

/* Two-register form: rd = a, rs = b; insn; rd must equal expect and rs still b. */
#define TEST_CR(n, rd, rs, a, b, expect, ...)               \
        TEST_CASE(n); li rd, a; li rs, b; RVC(__VA_ARGS__); \
        CHECK_EQ(rd, expect); CHECK_EQ(rs, b)

TEST_BEGIN

        /* C.LI: rd = sign-extended 6-bit immediate */
        TEST_CI(1, a0, 0x5555, 0x1f, c.li a0, 31)
        TEST_CI(2, a0, 0x5555, 0xffffffffffffffe0, c.li a0, -32)
        TEST_CI(3, s1, 0x5555, 0, c.li s1, 0)
        TEST_CI(4, t0, 0x5555, 1, c.li t0, 1)
        TEST_CI(5, ra, 0x5555, 0xffffffffffffffff, c.li ra, -1)

        /* C.LUI: rd = sign-extended nzimm[17:12] << 12 */
        TEST_CI(6, a0, 0xffffffffffffffff, 0x1000, c.lui a0, 0x1)
        TEST_CI(7, a0, 0xffffffffffffffff, 0x000000000001f000, c.lui a0, 0x1f)
        TEST_CI(8, a5, 0xffffffffffffffff, 0x0000000000010000, c.lui a5, 0x10)
        TEST_CI(9, t1, 0xffffffffffffffff, 0xfffffffffffe0000, c.lui t1, 0xfffe0)
        TEST_CI(10, s0, 0xffffffffffffffff, 0xfffffffffffff000, c.lui s0, 0xfffff)

        /* C.ADDI: 64-bit add of the sign-extended 6-bit immediate */
        TEST_CI(11, a0, 0, 0x1f, c.addi a0, 31)
        TEST_CI(12, a0, 0, 0xffffffffffffffe0, c.addi a0, -32)
        TEST_CI(13, a1, 0xffffffffffffffff, 0, c.addi a1, 1)
        TEST_CI(14, s1, 0x00000000ffffffff, 0x0000000100000000, c.addi s1, 1)
        TEST_CI(15, t2, 0x8000000000000000, 0x7fffffffffffffff, c.addi t2, -1)
        TEST_CI(16, a0, 0x64, 0x63, c.addi a0, -1)

        /* C.ADDIW: 32-bit add, sign-extended (in RV64 this encoding is not C.JAL) */
        TEST_CI(17, a0, 0x000000007fffffff, 0xffffffff80000000, c.addiw a0, 1)
        TEST_CI(18, a0, 0x0000000180000000, 0xffffffff80000000, c.addiw a0, 0)
        TEST_CI(19, s1, 0, 0xffffffffffffffe0, c.addiw s1, -32)
        TEST_CI(20, t0, 0x00000000ffffffff, 0, c.addiw t0, 1)
        TEST_CI(21, a3, 0x8123456789abcdef, 0xffffffff89abce0e, c.addiw a3, 31)

        /* C.MV: rd = rs2 (any registers) */
        TEST_CR(22, a0, a1, 1, 0x8123456789abcdef, 0x8123456789abcdef, c.mv a0, a1)
        TEST_CR(23, t0, t1, 5, 0xffffffffffffffff, 0xffffffffffffffff, c.mv t0, t1)
        TEST_CR(24, s11, ra, 0, 0x1234, 0x1234, c.mv s11, ra)

        /* C.ADD: rd += rs2 (any registers) */
        TEST_CR(25, a0, a1, 1, 2, 3, c.add a0, a1)
        TEST_CR(26, t0, s11, 0xffffffffffffffff, 1, 0, c.add t0, s11)
        TEST_CR(27, a5, t5, 0x8123456789abcdef, 0x0fedcba987654321, 0x9111111111111110, c.add a5, t5)
        TEST_CR(28, s1, s0, 0x00000000ffffffff, 1, 0x0000000100000000, c.add s1, s0)

        /* C.SLLI: 6-bit shamt (1..63), any register */
        TEST_CI(29, a0, 1, 2, c.slli a0, 1)
        TEST_CI(30, a0, 1, 0x8000000000000000, c.slli a0, 63)
        TEST_CI(31, s1, 0x8123456789abcdef, 0x89abcdef00000000, c.slli s1, 32)
        TEST_CI(32, t0, 0x00000000ffffffff, 0xfffffffe00000000, c.slli t0, 33)
        TEST_CI(33, ra, 3, 0xc000000000000000, c.slli ra, 62)

        /* C.SRLI: 6-bit shamt, zeros shifted in */
        TEST_CI(34, a0, 0xffffffffffffffff, 0x7fffffffffffffff, c.srli a0, 1)
        TEST_CI(35, a0, 0xffffffffffffffff, 1, c.srli a0, 63)
        TEST_CI(36, s1, 0x8123456789abcdef, 0x0000000081234567, c.srli s1, 32)
        TEST_CI(37, a5, 0x8000000000000000, 0x0000000040000000, c.srli a5, 33)
        TEST_CI(38, s0, 0x8123456789abcdef, 0x08123456789abcde, c.srli s0, 4)

        /* C.SRAI: 6-bit shamt, copies of bit 63 shifted in */
        TEST_CI(39, a0, 0x8000000000000000, 0xc000000000000000, c.srai a0, 1)
        TEST_CI(40, a0, 0x8000000000000000, 0xffffffffffffffff, c.srai a0, 63)
        TEST_CI(41, s1, 0x8123456789abcdef, 0xffffffff81234567, c.srai s1, 32)
        TEST_CI(42, a5, 0x7fffffffffffffff, 1, c.srai a5, 62)
        TEST_CI(43, s0, 0x8123456789abcdef, 0xf8123456789abcde, c.srai s0, 4)
        TEST_CI(44, a2, 0x0000000080000000, 1, c.srai a2, 31)

        /* C.ANDI: the 6-bit immediate is sign-extended */
        TEST_CI(45, a0, 0xffffffffffffffff, 0xffffffffffffffe0, c.andi a0, -32)
        TEST_CI(46, a0, 0xffffffffffffffff, 0x1f, c.andi a0, 31)
        TEST_CI(47, s1, 0x8123456789abcdef, 0, c.andi s1, 0)
        TEST_CI(48, a4, 0x8123456789abcdef, 0x8123456789abcdef, c.andi a4, -1)
        TEST_CI(49, a5, 0x8123456789abcdef, 0x8123456789abcdef, c.andi a5, -17)

        /* C.SUB / C.XOR / C.OR / C.AND (rd', rs2' in x8..x15) */
        TEST_CR(50, a0, a1, 0x8123456789abcdef, 0x0fedcba987654321, 0x713579be02468ace, c.sub a0, a1)
        TEST_CR(51, s0, a5, 0, 1, 0xffffffffffffffff, c.sub s0, a5)
        TEST_CR(52, a5, s1, 0xffffffffffffffff, 0x8000000000000000, 0x7fffffffffffffff, c.sub a5, s1)
        TEST_CR(53, a0, a1, 0x8123456789abcdef, 0x0fedcba987654321, 0x8ece8ece0ece8ece, c.xor a0, a1)
        TEST_CR(54, s0, a5, 0, 1, 1, c.xor s0, a5)
        TEST_CR(55, a5, s1, 0xffffffffffffffff, 0x8000000000000000, 0x7fffffffffffffff, c.xor a5, s1)
        TEST_CR(56, a0, a1, 0x8123456789abcdef, 0x0fedcba987654321, 0x8fefcfef8fefcfef, c.or a0, a1)
        TEST_CR(57, s0, a5, 0, 1, 1, c.or s0, a5)
        TEST_CR(58, a5, s1, 0xffffffffffffffff, 0x8000000000000000, 0xffffffffffffffff, c.or a5, s1)
        TEST_CR(59, a0, a1, 0x8123456789abcdef, 0x0fedcba987654321, 0x0121412181214121, c.and a0, a1)
        TEST_CR(60, s0, a5, 0, 1, 0, c.and s0, a5)
        TEST_CR(61, a5, s1, 0xffffffffffffffff, 0x8000000000000000, 0x8000000000000000, c.and a5, s1)

        /* C.SUBW / C.ADDW: 32-bit, sign-extended */
        TEST_CR(62, a0, a1, 0, 0x0000000080000000, 0xffffffff80000000, c.subw a0, a1)
        TEST_CR(63, s0, a5, 0x0000000100000005, 0x0000000200000001, 4, c.subw s0, a5)
        TEST_CR(64, a5, s1, 0x8123456789abcdef, 0x0fedcba987654321, 0x0000000002468ace, c.subw a5, s1)
        TEST_CR(65, a2, a3, 0x0000000080000000, 1, 0x000000007fffffff, c.subw a2, a3)
        TEST_CR(66, a0, a1, 0x000000007fffffff, 1, 0xffffffff80000000, c.addw a0, a1)
        TEST_CR(67, s0, a5, 0x0000000100000005, 0x0000000200000001, 6, c.addw s0, a5)
        TEST_CR(68, a5, s1, 0x8123456789abcdef, 0x0fedcba987654321, 0x0000000011111110, c.addw a5, s1)
        TEST_CR(69, a2, a3, 0x00000000ffffffff, 1, 0, c.addw a2, a3)

        /* C.ADDI16SP: sp += sign-extended nzimm (multiple of 16, -512..496), one bit at a time. */
        TEST_CASE(70)
        li sp, 0x10000
        RVC(c.addi16sp sp, 16)
        CHECK_EQ(sp, 0x10010)
        RVC(c.addi16sp sp, 32)
        CHECK_EQ(sp, 0x10030)
        RVC(c.addi16sp sp, 64)
        CHECK_EQ(sp, 0x10070)
        RVC(c.addi16sp sp, 128)
        CHECK_EQ(sp, 0x100f0)
        RVC(c.addi16sp sp, 256)
        CHECK_EQ(sp, 0x101f0)
        RVC(c.addi16sp sp, -512)
        CHECK_EQ(sp, 0xfff0)
        RVC(c.addi16sp sp, 496)
        CHECK_EQ(sp, 0x101e0)
        RVC(c.addi16sp sp, -16)
        CHECK_EQ(sp, 0x101d0)

        /* C.ADDI4SPN: rd' = sp + zero-extended nzuimm (multiple of 4, 4..1020); sp unchanged. */
        TEST_CASE(71)
        li sp, 0x20000
        RVC(c.addi4spn a0, sp, 4)
        CHECK_EQ(a0, 0x20004)
        RVC(c.addi4spn s0, sp, 8)
        CHECK_EQ(s0, 0x20008)
        RVC(c.addi4spn s1, sp, 16)
        CHECK_EQ(s1, 0x20010)
        RVC(c.addi4spn a1, sp, 32)
        CHECK_EQ(a1, 0x20020)
        RVC(c.addi4spn a2, sp, 64)
        CHECK_EQ(a2, 0x20040)
        RVC(c.addi4spn a3, sp, 128)
        CHECK_EQ(a3, 0x20080)
        RVC(c.addi4spn a4, sp, 256)
        CHECK_EQ(a4, 0x20100)
        RVC(c.addi4spn a5, sp, 512)
        CHECK_EQ(a5, 0x20200)
        RVC(c.addi4spn a0, sp, 1020)
        CHECK_EQ(a0, 0x203fc)
        CHECK_EQ(sp, 0x20000)
        /* Large sp: the add is 64-bit. */
        li sp, 0xfffffffffffffff0
        RVC(c.addi4spn a0, sp, 16)
        CHECK_EQ(a0, 0)

        /* C.NOP changes nothing. */
        TEST_CASE(72)
        li a0, 0x1234
        RVC(c.nop)
        RVC(c.nop)
        CHECK_EQ(a0, 0x1234)
        j pass
TEST_END
