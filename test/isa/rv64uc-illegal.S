/* The all-zero 16-bit instruction (RV64C): "the all-zero 16-bit instruction is defined as
   illegal" in the C chapter, so that jumping into zeroed memory traps. It must raise an
   illegal-instruction exception (mcause 2) with mepc at the parcel, whether it sits at 4n or
   4n+2; mtval holds either 0 or the instruction bits, which are 0 too. */
#include "test.h"
        .option norvc

#define RVC(...) .option push; .option rvc; __VA_ARGS__; .option pop
#define CODE_ALIGN(n) .option push; .option rvc; .balign n; .option pop

/* Expects exactly one illegal-instruction trap at `label` since s8 was cleared. */
#define CHECK_ILLEGAL(label)                                \
        CHECK_EQ(s8, 1); CHECK_EQ(s10, 2); CHECK_EQ(s7, 0); \
        la t0, label; bne s9, t0, fail

TEST_BEGIN
        la t0, ill_trap
        csrw mtvec, t0

        TEST_CASE(1)
        li s8, 0
        CODE_ALIGN(4)
ill1:   .hword 0x0000
        RVC(c.nop)
        CHECK_ILLEGAL(ill1)

        TEST_CASE(2)
        li s8, 0
        CODE_ALIGN(4)
        RVC(c.nop)
ill2:   .hword 0x0000
        CHECK_ILLEGAL(ill2)
        la t0, ill2
        andi t0, t0, 3
        CHECK_EQ(t0, 2)
        j pass

        /* Counts traps in s8; records mcause (s10), mepc (s9), mtval (s7); skips 2 bytes. */
        CODE_ALIGN(4)
ill_trap:
        addi s8, s8, 1
        csrr s10, mcause
        csrr s9, mepc
        csrr s7, mtval
        addi t0, s9, 2
        csrw mepc, t0
        mret
TEST_END
