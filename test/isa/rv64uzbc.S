/* Zbc, carry-less multiplication (Bit-Manipulation ISA-extensions v1.0.0, RV64): CLMUL gives the
   low 64 bits of the 128-bit carry-less (GF(2) polynomial) product of x[rs1] and x[rs2], CLMULH
   bits 127:64 and CLMULR bits 126:63. Expected values from the specification's pseudo-code.
   isa-tests-march: rv64gc_zbc */
#include "alu.h"
        .option norvc

TEST_BEGIN

        /* CLMUL, CLMULH, CLMULR: the low 64 bits, bits 127:64 and bits 126:63 of the 128-bit carry-less product */
        TEST_RR(1, clmul, 0x0, 0x0, 0x0)
        TEST_RR(2, clmul, 0x1, 0x1, 0x1)
        TEST_RR(3, clmul, 0x5, 0x3, 0x3)
        TEST_RR(4, clmul, 0xffffffffffffffff, 0xffffffffffffffff, 0x1)
        TEST_RR(5, clmul, 0x5555555555555555, 0xffffffffffffffff, 0xffffffffffffffff)
        TEST_RR(6, clmul, 0x0, 0x8000000000000000, 0x8000000000000000)
        TEST_RR(7, clmul, 0x0, 0x8000000000000000, 0x2)
        TEST_RR(8, clmul, 0x8000000000000000, 0xffffffffffffffff, 0x8000000000000000)
        TEST_RR(9, clmul, 0x840a0789828c810f, 0x8123456789abcdef, 0x0fedcba987654321)
        TEST_RR(10, clmul, 0x840a0789828c810f, 0x0fedcba987654321, 0x8123456789abcdef)
        TEST_RR(11, clmul, 0x0000007d00000000, 0x87, 0xffffffff00000000)
        TEST_RR(12, clmulh, 0x0, 0x0, 0x0)
        TEST_RR(13, clmulh, 0x0, 0x1, 0x1)
        TEST_RR(14, clmulh, 0x0, 0x3, 0x3)
        TEST_RR(15, clmulh, 0x0, 0xffffffffffffffff, 0x1)
        TEST_RR(16, clmulh, 0x5555555555555555, 0xffffffffffffffff, 0xffffffffffffffff)
        TEST_RR(17, clmulh, 0x4000000000000000, 0x8000000000000000, 0x8000000000000000)
        TEST_RR(18, clmulh, 0x1, 0x8000000000000000, 0x2)
        TEST_RR(19, clmulh, 0x7fffffffffffffff, 0xffffffffffffffff, 0x8000000000000000)
        TEST_RR(20, clmulh, 0x07f8e659453a249b, 0x8123456789abcdef, 0x0fedcba987654321)
        TEST_RR(21, clmulh, 0x07f8e659453a249b, 0x0fedcba987654321, 0x8123456789abcdef)
        TEST_RR(22, clmulh, 0x7d, 0x87, 0xffffffff00000000)
        TEST_RR(23, clmulr, 0x0, 0x0, 0x0)
        TEST_RR(24, clmulr, 0x0, 0x1, 0x1)
        TEST_RR(25, clmulr, 0x0, 0x3, 0x3)
        TEST_RR(26, clmulr, 0x1, 0xffffffffffffffff, 0x1)
        TEST_RR(27, clmulr, 0xaaaaaaaaaaaaaaaa, 0xffffffffffffffff, 0xffffffffffffffff)
        TEST_RR(28, clmulr, 0x8000000000000000, 0x8000000000000000, 0x8000000000000000)
        TEST_RR(29, clmulr, 0x2, 0x8000000000000000, 0x2)
        TEST_RR(30, clmulr, 0xffffffffffffffff, 0xffffffffffffffff, 0x8000000000000000)
        TEST_RR(31, clmulr, 0x0ff1ccb28a744937, 0x8123456789abcdef, 0x0fedcba987654321)
        TEST_RR(32, clmulr, 0x0ff1ccb28a744937, 0x0fedcba987654321, 0x8123456789abcdef)
        TEST_RR(33, clmulr, 0xfa, 0x87, 0xffffffff00000000)

        /* Destination aliasing a source */
        TEST_RR_D1(34, clmul, 0x840a0789828c810f, 0x8123456789abcdef, 0x0fedcba987654321)
        TEST_RR_D2(35, clmul, 0x840a0789828c810f, 0x8123456789abcdef, 0x0fedcba987654321)
        TEST_RR_SAME(36, clmul, 0x4041444550515455, 0x8123456789abcdef)
        TEST_RR_D1(37, clmulh, 0x07f8e659453a249b, 0x8123456789abcdef, 0x0fedcba987654321)
        TEST_RR_D2(38, clmulh, 0x07f8e659453a249b, 0x8123456789abcdef, 0x0fedcba987654321)
        TEST_RR_SAME(39, clmulh, 0x4001040510111415, 0x8123456789abcdef)
        TEST_RR_D1(40, clmulr, 0x0ff1ccb28a744937, 0x8123456789abcdef, 0x0fedcba987654321)
        TEST_RR_D2(41, clmulr, 0x0ff1ccb28a744937, 0x8123456789abcdef, 0x0fedcba987654321)
        TEST_RR_SAME(42, clmulr, 0x8002080a2022282a, 0x8123456789abcdef)

        /* rd = x0 is discarded. */
        TEST_CASE(43)
        li a1, 3
        clmul x0, a1, a1
        clmulh x0, a1, a1
        clmulr x0, a1, a1
        CHECK_EQ(x0, 0)
        j pass
TEST_END
