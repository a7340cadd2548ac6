/* LUI (RV64I): rd = sign-extend(imm20 << 12); the low 12 bits of rd are cleared. */
#include "test.h"
        .option norvc

#define TEST_LUI(n, imm, expect) \
        TEST_CASE(n); li a0, -1; lui a0, imm; CHECK_EQ(a0, expect)

TEST_BEGIN
        TEST_LUI(1, 0x00000, 0)
        TEST_LUI(2, 0x00001, 0x1000)
        TEST_LUI(3, 0x12345, 0x12345000)
        TEST_LUI(4, 0x7ffff, 0x7ffff000)
        /* Bit 31 of the result is copied into bits 63..32. */
        TEST_LUI(5, 0x80000, 0xffffffff80000000)
        TEST_LUI(6, 0xfffff, 0xfffffffffffff000)
        TEST_LUI(7, 0xabcde, 0xffffffffabcde000)

        /* LUI + ADDI builds a 32-bit constant. */
        TEST_CASE(8)
        lui a0, 0x12345
        addi a0, a0, 0x678
        CHECK_EQ(a0, 0x12345678)

        /* Writes to x0 are discarded. */
        TEST_CASE(9)
        lui x0, 0x12345
        CHECK_EQ(x0, 0)

        /* The result is independent of the previous rd value (low bits are zero, not kept). */
        TEST_CASE(10)
        li a1, 0x0fff
        lui a1, 0x1
        CHECK_EQ(a1, 0x1000)
        j pass
TEST_END
