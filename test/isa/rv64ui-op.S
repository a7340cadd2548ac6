/* Register-register ALU ops (RV64I): ADD, SUB, SLL, SLT, SLTU, XOR, SRL, SRA, OR, AND, on 64 bits.
   Shifts use only rs2[5:0]. Besides the values, every combination of rd aliasing rs1 / rs2 is
   run, and x0 as a source and as a destination. */
#include "test.h"
        .option norvc

/* rd = op(rs1, rs2); the sources must be left unchanged. */
#define TEST_RR(n, op, expect, a, b)                        \
        TEST_CASE(n); li a1, a; li a2, b; op a0, a1, a2;    \
        CHECK_EQ(a0, expect); CHECK_EQ(a1, a); CHECK_EQ(a2, b)

/* rd == rs1. */
#define TEST_RR_D1(n, op, expect, a, b)                     \
        TEST_CASE(n); li a1, a; li a2, b; op a1, a1, a2;    \
        CHECK_EQ(a1, expect); CHECK_EQ(a2, b)

/* rd == rs2. */
#define TEST_RR_D2(n, op, expect, a, b)                     \
        TEST_CASE(n); li a1, a; li a2, b; op a2, a1, a2;    \
        CHECK_EQ(a2, expect); CHECK_EQ(a1, a)

/* rd == rs1 == rs2. */
#define TEST_RR_SAME(n, op, expect, a)                      \
        TEST_CASE(n); li a1, a; op a1, a1, a1; CHECK_EQ(a1, expect)

TEST_BEGIN

        /* ADD */
        TEST_RR(1, add, 0, 0, 0)
        TEST_RR(2, add, 2, 1, 1)
        TEST_RR(3, add, 0xa, 3, 7)
        TEST_RR(4, add, 0, 0xffffffffffffffff, 1)
        TEST_RR(5, add, 0x8000000000000000, 0x7fffffffffffffff, 1)
        TEST_RR(6, add, 0x7fffffffffffffff, 0x8000000000000000, 0xffffffffffffffff)
        TEST_RR(7, add, 0x0000000100000000, 0x00000000ffffffff, 1)
        TEST_RR(8, add, 0x00000000fffffffe, 0x000000007fffffff, 0x000000007fffffff)
        TEST_RR(9, add, 0x02468acf13579bde, 0x8123456789abcdef, 0x8123456789abcdef)
        TEST_RR(10, add, 0xfffffffffffffffe, 0xffffffffffffffff, 0xffffffffffffffff)

        /* SUB */
        TEST_RR(11, sub, 0, 0, 0)
        TEST_RR(12, sub, 0, 1, 1)
        TEST_RR(13, sub, 0xfffffffffffffffc, 3, 7)
        TEST_RR(14, sub, 0xffffffffffffffff, 0, 1)
        TEST_RR(15, sub, 0x7fffffffffffffff, 0x8000000000000000, 1)
        TEST_RR(16, sub, 0x8000000000000000, 0x7fffffffffffffff, 0xffffffffffffffff)
        TEST_RR(17, sub, 0x00000000ffffffff, 0x0000000100000000, 1)
        TEST_RR(18, sub, 0x8000000000000000, 0, 0x8000000000000000)
        TEST_RR(19, sub, 0x02468acf13579bde, 0x8123456789abcdef, 0x7edcba9876543211)

        /* SLL: only rs2[5:0] is used */
        TEST_RR(20, sll, 1, 1, 0)
        TEST_RR(21, sll, 2, 1, 1)
        TEST_RR(22, sll, 0x0000000080000000, 1, 0x1f)
        TEST_RR(23, sll, 0x0000000100000000, 1, 0x20)
        TEST_RR(24, sll, 0x8000000000000000, 1, 0x3f)
        TEST_RR(25, sll, 0x123456789abcdef0, 0x8123456789abcdef, 4)
        TEST_RR(26, sll, 0x9abcdef000000000, 0x8123456789abcdef, 0x24)
        TEST_RR(27, sll, 1, 1, 0x40)
        TEST_RR(28, sll, 2, 1, 0x41)
        TEST_RR(29, sll, 0x8000000000000000, 3, 0xffffffffffffffff)
        TEST_RR(30, sll, 0x02468acf13579bde, 0x8123456789abcdef, 0xffffffffffffffc1)

        /* SLT (signed) */
        TEST_RR(31, slt, 0, 0, 0)
        TEST_RR(32, slt, 1, 0, 1)
        TEST_RR(33, slt, 0, 1, 0)
        TEST_RR(34, slt, 1, 0xffffffffffffffff, 0)
        TEST_RR(35, slt, 0, 0, 0xffffffffffffffff)
        TEST_RR(36, slt, 0, 0xffffffffffffffff, 0xffffffffffffffff)
        TEST_RR(37, slt, 1, 0x8000000000000000, 0x7fffffffffffffff)
        TEST_RR(38, slt, 0, 0x7fffffffffffffff, 0x8000000000000000)
        TEST_RR(39, slt, 1, 0xfffffffffffffffe, 0xffffffffffffffff)
        TEST_RR(40, slt, 0, 0x0000000080000000, 0)
        TEST_RR(41, slt, 1, 0, 0x0000000100000000)

        /* SLTU (unsigned) */
        TEST_RR(42, sltu, 0, 0, 0)
        TEST_RR(43, sltu, 1, 0, 1)
        TEST_RR(44, sltu, 0, 1, 0)
        TEST_RR(45, sltu, 0, 0xffffffffffffffff, 0)
        TEST_RR(46, sltu, 1, 0, 0xffffffffffffffff)
        TEST_RR(47, sltu, 0, 0xffffffffffffffff, 0xffffffffffffffff)
        TEST_RR(48, sltu, 0, 0x8000000000000000, 0x7fffffffffffffff)
        TEST_RR(49, sltu, 1, 0x7fffffffffffffff, 0x8000000000000000)
        TEST_RR(50, sltu, 1, 0xfffffffffffffffe, 0xffffffffffffffff)
        TEST_RR(51, sltu, 0, 0x0000000080000000, 0)
        TEST_RR(52, sltu, 1, 0x00000000ffffffff, 0x0000000100000000)

        /* XOR */
        TEST_RR(53, xor, 0, 0, 0)
        TEST_RR(54, xor, 0xf0f0f0f0f0f0f0f0, 0xff00ff00ff00ff00, 0x0ff00ff00ff00ff0)
        TEST_RR(55, xor, 0x7edcba9876543210, 0xffffffffffffffff, 0x8123456789abcdef)
        TEST_RR(56, xor, 0, 0x8123456789abcdef, 0x8123456789abcdef)

        /* SRL: zeros shifted in, only rs2[5:0] is used */
        TEST_RR(57, srl, 0x8000000000000000, 0x8000000000000000, 0)
        TEST_RR(58, srl, 0x4000000000000000, 0x8000000000000000, 1)
        TEST_RR(59, srl, 0x0000000100000000, 0x8000000000000000, 0x1f)
        TEST_RR(60, srl, 0x0000000080000000, 0x8000000000000000, 0x20)
        TEST_RR(61, srl, 1, 0x8000000000000000, 0x3f)
        TEST_RR(62, srl, 0x000000007fffffff, 0xffffffffffffffff, 0x21)
        TEST_RR(63, srl, 0x08123456789abcde, 0x8123456789abcdef, 4)
        TEST_RR(64, srl, 0x8123456789abcdef, 0x8123456789abcdef, 0x40)
        TEST_RR(65, srl, 0x08123456789abcde, 0x8123456789abcdef, 0x44)
        TEST_RR(66, srl, 1, 0xffffffffffffffff, 0xffffffffffffffff)
        TEST_RR(67, srl, 0x0000000081234567, 0x8123456789abcdef, 0xffffffff00000020)

        /* SRA: copies of bit 63 shifted in, only rs2[5:0] is used */
        TEST_RR(68, sra, 0x8000000000000000, 0x8000000000000000, 0)
        TEST_RR(69, sra, 0xc000000000000000, 0x8000000000000000, 1)
        TEST_RR(70, sra, 0xffffffff00000000, 0x8000000000000000, 0x1f)
        TEST_RR(71, sra, 0xffffffff80000000, 0x8000000000000000, 0x20)
        TEST_RR(72, sra, 0xffffffffffffffff, 0x8000000000000000, 0x3f)
        TEST_RR(73, sra, 0xffffffffffffffff, 0xffffffffffffffff, 0x21)
        TEST_RR(74, sra, 0xf8123456789abcde, 0x8123456789abcdef, 4)
        TEST_RR(75, sra, 0x8123456789abcdef, 0x8123456789abcdef, 0x40)
        TEST_RR(76, sra, 0xf8123456789abcde, 0x8123456789abcdef, 0x44)
        TEST_RR(77, sra, 0, 0x7fffffffffffffff, 0xffffffffffffffff)
        TEST_RR(78, sra, 0xffffffffffffffff, 0x8000000000000000, 0xffffffffffffffff)
        TEST_RR(79, sra, 1, 0x0000000080000000, 0x1f)
        TEST_RR(80, sra, 0, 0x0000000080000000, 0x20)
        TEST_RR(81, sra, 0xffffffff81234567, 0x8123456789abcdef, 0xffffffff00000020)

        /* OR */
        TEST_RR(82, or, 0, 0, 0)
        TEST_RR(83, or, 0xfff0fff0fff0fff0, 0xff00ff00ff00ff00, 0x0ff00ff00ff00ff0)
        TEST_RR(84, or, 0x8000000000000001, 0x8000000000000000, 1)
        TEST_RR(85, or, 0x8123456789abcdef, 0, 0x8123456789abcdef)

        /* AND */
        TEST_RR(86, and, 0, 0, 0)
        TEST_RR(87, and, 0x0f000f000f000f00, 0xff00ff00ff00ff00, 0x0ff00ff00ff00ff0)
        TEST_RR(88, and, 0x8123456789abcdef, 0xffffffffffffffff, 0x8123456789abcdef)
        TEST_RR(89, and, 0x8123456700000000, 0x8123456789abcdef, 0xffffffff00000000)

        /* rd == rs1 */
        TEST_RR_D1(90, add, 3, 1, 2)
        TEST_RR_D1(91, sub, 0xfffffffffffffffe, 5, 7)
        TEST_RR_D1(92, sll, 0x0000010000000000, 1, 0x28)
        TEST_RR_D1(93, slt, 1, 0xfffffffffffffffd, 2)
        TEST_RR_D1(94, sltu, 0, 0xfffffffffffffffd, 2)
        TEST_RR_D1(95, xor, 5, 6, 3)
        TEST_RR_D1(96, srl, 0x0000000000800000, 0x8000000000000000, 0x28)
        TEST_RR_D1(97, sra, 0xffffffffff800000, 0x8000000000000000, 0x28)
        TEST_RR_D1(98, or, 7, 6, 3)
        TEST_RR_D1(99, and, 2, 6, 3)

        /* rd == rs2 */
        TEST_RR_D2(100, add, 3, 1, 2)
        TEST_RR_D2(101, sub, 0xfffffffffffffffe, 5, 7)
        TEST_RR_D2(102, sll, 0x0000010000000000, 1, 0x28)
        TEST_RR_D2(103, slt, 1, 0xfffffffffffffffd, 2)
        TEST_RR_D2(104, sltu, 0, 0xfffffffffffffffd, 2)
        TEST_RR_D2(105, xor, 5, 6, 3)
        TEST_RR_D2(106, srl, 0x0000000000800000, 0x8000000000000000, 0x28)
        TEST_RR_D2(107, sra, 0xffffffffff800000, 0x8000000000000000, 0x28)
        TEST_RR_D2(108, or, 7, 6, 3)
        TEST_RR_D2(109, and, 2, 6, 3)

        /* rd == rs1 == rs2 */
        TEST_RR_SAME(110, add, 0x8000000000000002, 0x4000000000000001)
        TEST_RR_SAME(111, sub, 0, 0x8123456789abcdef)
        TEST_RR_SAME(112, sll, 0x0000004200000000, 0x21)
        TEST_RR_SAME(113, slt, 0, 0xffffffffffffffff)
        TEST_RR_SAME(114, sltu, 0, 7)
        TEST_RR_SAME(115, xor, 0, 0x8123456789abcdef)
        TEST_RR_SAME(116, srl, 1, 0x800000000000003f)
        TEST_RR_SAME(117, sra, 0xfffffffffffffffe, 0x800000000000003e)
        TEST_RR_SAME(118, or, 0x8123456789abcdef, 0x8123456789abcdef)
        TEST_RR_SAME(119, and, 0x8123456789abcdef, 0x8123456789abcdef)

        /* x0 as a source reads zero. */
        TEST_CASE(120)
        li a1, 0x1234
        sub a0, x0, a1
        CHECK_EQ(a0, -0x1234)
        sltu a0, x0, a1         /* snez */
        CHECK_EQ(a0, 1)
        slt a0, a1, x0          /* sltz */
        CHECK_EQ(a0, 0)
        or a0, x0, x0
        CHECK_EQ(a0, 0)

        /* rd = x0 is discarded. */
        TEST_CASE(121)
        li a1, 0x1234
        add x0, a1, a1
        xor x0, a1, x0
        CHECK_EQ(x0, 0)
        j pass
TEST_END
