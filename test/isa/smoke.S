/* Smoke test of the frame itself: ADDI and a conditional branch (unprivileged ISA, RV32I/RV64I). */
#include "test.h"
TEST_BEGIN
        TEST_CASE(1)
        li a0, 40
        addi a0, a0, 2
        CHECK_EQ(a0, 42)
        TEST_CASE(2)
        li a0, -1
        srli a0, a0, 32
        CHECK_EQ(a0, 0xffffffff)
        j pass
TEST_END
