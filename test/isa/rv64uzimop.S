/* Zimop and Zcmop (unprivileged ISA, "May-Be-Operations"): MOP.R.n (n = 0..31) and MOP.RR.n
   (n = 0..7) write 0 to x[rd] and nothing else (checked on x1..x29), whatever x[rs1] and x[rs2] hold (rd = x0: no
   effect); C.MOP.n (odd n = 1..15) writes no register at all, not even xn. The assembler (binutils
   2.40) knows neither: words and halfwords come from the encoding diagrams (mop-r, mop-rr, c-mop)
   via the macros below.
   isa-tests-cpu: zimop, zcmop */
#include "test.h"
        .option norvc

/* MOP.R.n: 1 n[4] 00 n[3:2] 0111 n[1:0] rs1 100 rd 1110011 */
#define MOP_R(n, rd, rs1) \
        .word 0x81c04073 | ((((n) >> 4) & 1) << 30) | ((((n) >> 2) & 3) << 26) | (((n) & 3) << 20) | \
              ((rs1) << 15) | ((rd) << 7)
/* MOP.RR.n: 1 n[2] 00 n[1:0] 1 rs2 rs1 100 rd 1110011 */
#define MOP_RR(n, rd, rs1, rs2) \
        .word 0x82004073 | ((((n) >> 2) & 1) << 30) | (((n) & 3) << 26) | ((rs2) << 20) | ((rs1) << 15) | ((rd) << 7)
/* C.MOP.n: 011 0 0 n[3:1] 1 00000 01 */
#define C_MOP(n) .hword 0x6081 | ((((n) >> 1) & 7) << 8)

/* Fill x1..x29 but gp (the case number) with a known pattern: x[r] = 0x0101010101010101 * r
   (t5 and t6 are the checks' scratch registers). */
.macro fill_regs
        .irp r, 1, 2, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29
        li x\r, 0x0101010101010101 * \r
        .endr
.endm
/* Check x1..x29 but gp against the pattern, except x[skip], which must be 0. */
.macro check_regs skip=0
        .irp r, 1, 2, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29
        .if \r == \skip
        bnez x\r, fail
        .else
        li t6, 0x0101010101010101 * \r
        bne x\r, t6, fail
        .endif
        .endr
.endm

TEST_BEGIN
        /* MOP.R.n for every n: rd = 0, the other registers keep their values. */
        .set n, 0
        .rept 32
        TEST_CASE(1 + n)
        fill_regs
        MOP_R(n, 10, 11)
        check_regs 10
        .set n, n + 1
        .endr

        /* MOP.RR.n for every n. */
        .set n, 0
        .rept 8
        TEST_CASE(33 + n)
        fill_regs
        MOP_RR(n, 12, 13, 14)
        check_regs 12
        .set n, n + 1
        .endr

        /* rd = rs1 = rs2, rd = x31, rd = x1; rd = x0 changes nothing. */
        TEST_CASE(41); fill_regs; MOP_RR(7, 5, 5, 5); check_regs 5
        TEST_CASE(42); fill_regs; MOP_R(28, 1, 0); check_regs 1
        TEST_CASE(43); li t6, -1; MOP_R(31, 31, 31); bnez t6, fail
        TEST_CASE(44); fill_regs; MOP_R(0, 0, 10); MOP_RR(3, 0, 11, 12); check_regs

        /* C.MOP.n for every odd n: no register changes, xn included. */
        .set n, 1
        .rept 8
        TEST_CASE(45 + n / 2)
        fill_regs
        C_MOP(n)
        nop
        check_regs
        .set n, n + 2
        .endr
        j pass
TEST_END
