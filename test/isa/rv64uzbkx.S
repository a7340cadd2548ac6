/* Zbkx, crossbar permutations (Scalar Cryptography v1.0.1, RV64): x[rs1] is a table of 4-bit
   (XPERM4) or 8-bit (XPERM8) elements, x[rs2] a vector of indices; each index is replaced by the
   element it selects, or by 0 past the table's end (an XPERM8 index above 7). Expected values from
   the specification's Sail code, (lut >> (idx * w))[w-1..0] per element.
   isa-tests-march: rv64gc_zbkx */
#include "alu.h"
        .option norvc

TEST_BEGIN

        /* XPERM8: byte k of x[rs1] for each byte k of x[rs2], 0 for k > 7 */
        TEST_RR(1, xperm8, 0x8877665544332211, 0x8877665544332211, 0x0706050403020100)
        TEST_RR(2, xperm8, 0x1122334455667788, 0x8877665544332211, 0x0001020304050607)
        TEST_RR(3, xperm8, 0x1111111111111111, 0x8877665544332211, 0x0)
        TEST_RR(4, xperm8, 0x8888888888888888, 0x8877665544332211, 0x0707070707070707)
        TEST_RR(5, xperm8, 0x2211111111111111, 0x8877665544332211, 0x0100000000000000)
        TEST_RR(6, xperm8, 0x67ab23ef89cd4581, 0x8123456789abcdef, 0x0402060003010507)
        TEST_RR(7, xperm8, 0x0000008877110000, 0x8877665544332211, 0x08ff800706000908)
        TEST_RR(8, xperm8, 0x0, 0x8877665544332211, 0x0808080808080808)
        TEST_RR(9, xperm8, 0x0, 0x8877665544332211, 0xffffffffffffffff)
        TEST_RR(10, xperm8, 0x0, 0x8877665544332211, 0x1020304050607080)
        TEST_RR(11, xperm8, 0x0, 0x0, 0x0706050403020100)

        /* XPERM4: nibble k of x[rs1] for each nibble k of x[rs2] (every index is within the table) */
        TEST_RR(12, xperm4, 0x0123456789abcdef, 0x0123456789abcdef, 0xfedcba9876543210)
        TEST_RR(13, xperm4, 0xfedcba9876543210, 0x0123456789abcdef, 0x0123456789abcdef)
        TEST_RR(14, xperm4, 0xffffffffffffffff, 0x0123456789abcdef, 0x0)
        TEST_RR(15, xperm4, 0x0, 0x0123456789abcdef, 0xffffffffffffffff)
        TEST_RR(16, xperm4, 0x8123456789abcdef, 0xfedcba9876543210, 0x8123456789abcdef)
        TEST_RR(17, xperm4, 0xf0f0f0f0f0f0f0f0, 0xf000000000000000, 0xf0f0f0f0f0f0f0f0)
        TEST_RR(18, xperm4, 0xf8123456789abcde, 0x8123456789abcdef, 0x0fedcba987654321)
        TEST_RR(19, xperm4, 0x0, 0x0, 0x8123456789abcdef)

        /* Destination aliasing a source */
        TEST_RR_D1(20, xperm8, 0x67ab23ef89cd4581, 0x8123456789abcdef, 0x0402060003010507)
        TEST_RR_D2(21, xperm8, 0x67ab23ef89cd4581, 0x8123456789abcdef, 0x0402060003010507)
        TEST_RR_SAME(22, xperm8, 0x0706050403020100, 0x0706050403020100)
        TEST_RR_D1(23, xperm4, 0xf8123456789abcde, 0x8123456789abcdef, 0x0fedcba987654321)
        TEST_RR_D2(24, xperm4, 0xf8123456789abcde, 0x8123456789abcdef, 0x0fedcba987654321)
        TEST_RR_SAME(25, xperm4, 0xfedcba9876543210, 0x0123456789abcdef)

        /* rd = x0 is discarded. */
        TEST_CASE(26)
        li a1, 0x8877665544332211
        li a2, 0x0706050403020100
        xperm4 x0, a1, a2
        xperm8 x0, a1, a2
        CHECK_EQ(x0, 0)
        j pass
TEST_END
