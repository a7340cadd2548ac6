/* Zbkb, bit manipulation for cryptography (Scalar Cryptography v1.0.1, RV64): PACK, PACKH and PACKW
   join halves, bytes and half-words of x[rs1] (low) and x[rs2] (high); BREV8 reverses the bits of
   each byte. Zbkb has the rotations, ANDN/ORN/XNOR and REV8 of Zbb as well (ZIP and UNZIP are RV32
   only). Expected values from the specifications' pseudo-code.
   isa-tests-march: rv64gc_zbkb */
#include "alu.h"
        .option norvc

TEST_BEGIN

        /* PACK: x[rs2][31:0] above x[rs1][31:0] */
        TEST_RR(1, pack, 0x0, 0x0, 0x0)
        TEST_RR(2, pack, 0x0000000200000001, 0x1, 0x2)
        TEST_RR(3, pack, 0x00000000ffffffff, 0xffffffffffffffff, 0x0)
        TEST_RR(4, pack, 0xffffffff00000000, 0x0, 0xffffffffffffffff)
        TEST_RR(5, pack, 0x8765432189abcdef, 0x8123456789abcdef, 0x0fedcba987654321)
        TEST_RR(6, pack, 0x89abcdef87654321, 0x0fedcba987654321, 0x8123456789abcdef)

        /* PACKH: x[rs2][7:0] above x[rs1][7:0], zero-extended */
        TEST_RR(7, packh, 0x0, 0x0, 0x0)
        TEST_RR(8, packh, 0x201, 0x1, 0x2)
        TEST_RR(9, packh, 0xff, 0xffffffffffffffff, 0x0)
        TEST_RR(10, packh, 0xff00, 0x0, 0xffffffffffffffff)
        TEST_RR(11, packh, 0x21ef, 0x8123456789abcdef, 0x0fedcba987654321)
        TEST_RR(12, packh, 0x8080, 0x80, 0x80)

        /* PACKW: x[rs2][15:0] above x[rs1][15:0], sign-extended from bit 31; packw rd, rs1, x0 is zext.h */
        TEST_RR(13, packw, 0x0, 0x0, 0x0)
        TEST_RR(14, packw, 0x0000000000020001, 0x1, 0x2)
        TEST_RR(15, packw, 0xffff, 0xffffffffffffffff, 0x0)
        TEST_RR(16, packw, 0xffffffffffff0000, 0x0, 0xffffffffffffffff)
        TEST_RR(17, packw, 0x000000004321cdef, 0x8123456789abcdef, 0x0fedcba987654321)
        TEST_RR(18, packw, 0xffffffffcdef4321, 0x0fedcba987654321, 0x8123456789abcdef)
        TEST_RR(19, packw, 0x000000007fffffff, 0xffff, 0x7fff)
        TEST_RR(20, packw, 0xffffffff80000000, 0x0, 0x8000)

        /* BREV8: bits reversed within each byte */
        TEST_R(21, brev8, 0x0, 0x0)
        TEST_R(22, brev8, 0x80, 0x1)
        TEST_R(23, brev8, 0x1, 0x80)
        TEST_R(24, brev8, 0xffffffffffffffff, 0xffffffffffffffff)
        TEST_R(25, brev8, 0x81c4a2e691d5b3f7, 0x8123456789abcdef)
        TEST_R(26, brev8, 0x8040201008040201, 0x0102040810204080)

        /* Shared with Zbb, assembled for Zbkb alone */
        TEST_RR(27, andn, 0x80020446088a8cce, 0x8123456789abcdef, 0x0fedcba987654321)
        TEST_RR(28, orn, 0xf1337577f9bbfdff, 0x8123456789abcdef, 0x0fedcba987654321)
        TEST_RR(29, xnor, 0x71317131f1317131, 0x8123456789abcdef, 0x0fedcba987654321)
        TEST_RR(30, rol, 0x123456789abcdef8, 0x8123456789abcdef, 0x4)
        TEST_RR(31, ror, 0x789abcdef8123456, 0x8123456789abcdef, 0x24)
        TEST_IMM(32, rori, 0x02468acf13579bdf, 0x8123456789abcdef, 63)
        TEST_RR(33, rolw, 0xffffffff9abcdef8, 0x8123456789abcdef, 0x4)
        TEST_RR(34, rorw, 0x0000000013579bdf, 0x8123456789abcdef, 0x1f)
        TEST_IMM(35, roriw, 0xffffffffc4d5e6f7, 0x8123456789abcdef, 1)
        TEST_R(36, rev8, 0xefcdab8967452381, 0x8123456789abcdef)

        /* Destination aliasing a source */
        TEST_RR_D1(37, pack, 0x8765432189abcdef, 0x8123456789abcdef, 0x0fedcba987654321)
        TEST_RR_D2(38, pack, 0x8765432189abcdef, 0x8123456789abcdef, 0x0fedcba987654321)
        TEST_RR_SAME(39, pack, 0x89abcdef89abcdef, 0x8123456789abcdef)
        TEST_RR_D1(40, packh, 0x21ef, 0x8123456789abcdef, 0x0fedcba987654321)
        TEST_RR_D2(41, packw, 0x000000004321cdef, 0x8123456789abcdef, 0x0fedcba987654321)
        TEST_RR_SAME(42, packw, 0xffffffffcdefcdef, 0x8123456789abcdef)
        TEST_R_SAME(43, brev8, 0x81c4a2e691d5b3f7, 0x8123456789abcdef)

        /* rd = x0 is discarded. */
        TEST_CASE(44)
        li a1, 3
        pack x0, a1, a1
        packh x0, a1, a1
        packw x0, a1, a1
        brev8 x0, a1
        CHECK_EQ(x0, 0)
        j pass
TEST_END
