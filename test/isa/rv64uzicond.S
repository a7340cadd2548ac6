/* Zicond, integer conditional operations (Zicond v1.0): CZERO.EQZ writes 0 to rd when x[rs2] is
   zero and x[rs1] otherwise; CZERO.NEZ writes 0 when x[rs2] is nonzero. All 64 bits of x[rs2] are
   tested. The assembler (binutils 2.40) does not know Zicond: the instructions are written with
   .insn from the Zicond encoding table (OP, funct7 0000111, funct3 101 and 111). Expected values
   from the specification's pseudo-code.
   isa-tests-cpu: zicond */
#include "alu.h"
        .option norvc

        .macro czero_eqz rd, rs1, rs2
        .insn r 0x33, 5, 7, \rd, \rs1, \rs2
        .endm
        .macro czero_nez rd, rs1, rs2
        .insn r 0x33, 7, 7, \rd, \rs1, \rs2
        .endm

TEST_BEGIN

        /* CZERO.EQZ: 0 if x[rs2] == 0, else x[rs1]; CZERO.NEZ: 0 if x[rs2] != 0, else x[rs1] */
        TEST_RR(1, czero_eqz, 0x0, 0x8123456789abcdef, 0x0)
        TEST_RR(2, czero_eqz, 0x8123456789abcdef, 0x8123456789abcdef, 0x1)
        TEST_RR(3, czero_eqz, 0x8123456789abcdef, 0x8123456789abcdef, 0xffffffffffffffff)
        TEST_RR(4, czero_eqz, 0x8123456789abcdef, 0x8123456789abcdef, 0x8000000000000000)
        TEST_RR(5, czero_eqz, 0x8123456789abcdef, 0x8123456789abcdef, 0x0000000100000000)
        TEST_RR(6, czero_eqz, 0x8123456789abcdef, 0x8123456789abcdef, 0xffffffff00000000)
        TEST_RR(7, czero_eqz, 0x8123456789abcdef, 0x8123456789abcdef, 0x0000000080000000)
        TEST_RR(8, czero_eqz, 0x0, 0x0, 0x0)
        TEST_RR(9, czero_eqz, 0x0, 0x0, 0x5)
        TEST_RR(10, czero_eqz, 0x0, 0xffffffffffffffff, 0x0)
        TEST_RR(11, czero_eqz, 0xffffffffffffffff, 0xffffffffffffffff, 0x2)
        TEST_RR(12, czero_nez, 0x8123456789abcdef, 0x8123456789abcdef, 0x0)
        TEST_RR(13, czero_nez, 0x0, 0x8123456789abcdef, 0x1)
        TEST_RR(14, czero_nez, 0x0, 0x8123456789abcdef, 0xffffffffffffffff)
        TEST_RR(15, czero_nez, 0x0, 0x8123456789abcdef, 0x8000000000000000)
        TEST_RR(16, czero_nez, 0x0, 0x8123456789abcdef, 0x0000000100000000)
        TEST_RR(17, czero_nez, 0x0, 0x8123456789abcdef, 0xffffffff00000000)
        TEST_RR(18, czero_nez, 0x0, 0x8123456789abcdef, 0x0000000080000000)
        TEST_RR(19, czero_nez, 0x0, 0x0, 0x0)
        TEST_RR(20, czero_nez, 0x0, 0x0, 0x5)
        TEST_RR(21, czero_nez, 0xffffffffffffffff, 0xffffffffffffffff, 0x0)
        TEST_RR(22, czero_nez, 0x0, 0xffffffffffffffff, 0x2)

        /* Destination aliasing a source */
        TEST_RR_D1(23, czero_eqz, 0x0, 0x8123456789abcdef, 0x0)
        TEST_RR_D1(24, czero_eqz, 0x8123456789abcdef, 0x8123456789abcdef, 0x7)
        TEST_RR_D2(25, czero_eqz, 0x0, 0x8123456789abcdef, 0x0)
        TEST_RR_D2(26, czero_eqz, 0x8123456789abcdef, 0x8123456789abcdef, 0x0000000100000000)
        TEST_RR_SAME(27, czero_eqz, 0x8123456789abcdef, 0x8123456789abcdef)
        TEST_RR_SAME(28, czero_eqz, 0x0, 0x0)
        TEST_RR_D1(29, czero_nez, 0x8123456789abcdef, 0x8123456789abcdef, 0x0)
        TEST_RR_D1(30, czero_nez, 0x0, 0x8123456789abcdef, 0x7)
        TEST_RR_D2(31, czero_nez, 0x8123456789abcdef, 0x8123456789abcdef, 0x0)
        TEST_RR_D2(32, czero_nez, 0x0, 0x8123456789abcdef, 0x0000000100000000)
        TEST_RR_SAME(33, czero_nez, 0x0, 0x8123456789abcdef)
        TEST_RR_SAME(34, czero_nez, 0x0, 0x0)

        /* rd = x0 is discarded. */
        TEST_CASE(35)
        li a1, 3
        czero_eqz x0, a1, a1
        czero_nez x0, a1, x0
        CHECK_EQ(x0, 0)
        j pass
TEST_END
