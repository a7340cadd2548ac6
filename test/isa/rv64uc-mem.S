/* RV64C loads and stores: C.LW, C.LD, C.SW, C.SD (rd'/rs2' and base in x8..x15), C.LWSP, C.LDSP,
   C.SWSP, C.SDSP (sp-relative, any data register), and the double-precision C.FLD, C.FSD, C.FLDSP,
   C.FSDSP. Offsets are zero-extended and scaled; each case uses an offset with a single bit set
   (plus the largest one) so that every bit of the scrambled offset field is checked. C.LW and
   C.LWSP sign-extend. Loads read tables whose entries encode their own offsets; stores go to a
   zeroed scratch area, which is checked to be otherwise untouched. */
#include "test.h"
        .option norvc

#define RVC(...) .option push; .option rvc; __VA_ARGS__; .option pop

/* Word table entry at byte offset o is 0x80000000 + o: C.LW gives 0xffffffff80000000 + o. */
#define WORD_AT(o) (0xffffffff80000000 + (o))
/* Doubleword table entry at byte offset o is 0xd0d0000000000000 + o. */
#define DWORD_AT(o) (0xd0d0000000000000 + (o))

/* Load: base register is set to the table, then `insn` loads into rd. */
#define TEST_LOAD(n, base, table, rd, expect, ...)          \
        TEST_CASE(n); la base, table; li rd, 0x5555;        \
        RVC(__VA_ARGS__); CHECK_EQ(rd, expect)

/* Load with rd == base. */
#define TEST_LOAD_SAME(n, reg, table, expect, ...)          \
        TEST_CASE(n); la reg, table; RVC(__VA_ARGS__); CHECK_EQ(reg, expect)

/* Store: clear the scratch area, store `value` from rs with `insn` (base = scratch), check it
   with the 32-bit load `lop` at `off`, then check that nothing else was written. */
#define TEST_STORE(n, base, rs, value, lop, off, expect, ...) \
        TEST_CASE(n); jal t3, scratch_clear;                \
        la base, scratch; li rs, value;                     \
        RVC(__VA_ARGS__);                                   \
        la t0, scratch; lop t2, off(t0); CHECK_EQ(t2, expect); \
        sd x0, (off & ~7)(t0); jal t3, scratch_check_zero

/* FP load: f = load; compare its bits. */
#define TEST_FLOAD(n, base, table, freg, expect, ...)       \
        TEST_CASE(n); la base, table; fmv.d.x freg, x0;     \
        RVC(__VA_ARGS__); fmv.x.d t2, freg; CHECK_EQ(t2, expect)

/* FP store: freg = value; store; check as for TEST_STORE (doubleword). */
#define TEST_FSTORE(n, base, freg, value, off, ...)         \
        TEST_CASE(n); jal t3, scratch_clear;                \
        la base, scratch; li t0, value; fmv.d.x freg, t0;   \
        RVC(__VA_ARGS__);                                   \
        la t0, scratch; ld t2, off(t0); CHECK_EQ(t2, value); \
        sd x0, off(t0); jal t3, scratch_check_zero

TEST_BEGIN
        /* C.LW */
        TEST_LOAD(1, s0, wtab, a0, WORD_AT(0), c.lw a0, 0(s0))
        TEST_LOAD(2, s0, wtab, a0, WORD_AT(4), c.lw a0, 4(s0))
        TEST_LOAD(3, a1, wtab, s1, WORD_AT(8), c.lw s1, 8(a1))
        TEST_LOAD(4, a2, wtab, a3, WORD_AT(16), c.lw a3, 16(a2))
        TEST_LOAD(5, a4, wtab, a5, WORD_AT(32), c.lw a5, 32(a4))
        TEST_LOAD(6, a5, wtab, a4, WORD_AT(64), c.lw a4, 64(a5))
        TEST_LOAD(7, s1, wtab, s0, WORD_AT(124), c.lw s0, 124(s1))
        TEST_LOAD_SAME(8, a0, wtab, WORD_AT(12), c.lw a0, 12(a0))          /* rd == base */
        TEST_LOAD(9, a0, wpos, a1, 0x7ffffffc, c.lw a1, 4(a0))            /* positive word */

        /* C.LD */
        TEST_LOAD(10, s0, dtab, a0, DWORD_AT(0), c.ld a0, 0(s0))
        TEST_LOAD(11, s0, dtab, a0, DWORD_AT(8), c.ld a0, 8(s0))
        TEST_LOAD(12, a1, dtab, s1, DWORD_AT(16), c.ld s1, 16(a1))
        TEST_LOAD(13, a2, dtab, a3, DWORD_AT(32), c.ld a3, 32(a2))
        TEST_LOAD(14, a4, dtab, a5, DWORD_AT(64), c.ld a5, 64(a4))
        TEST_LOAD(15, a5, dtab, a4, DWORD_AT(128), c.ld a4, 128(a5))
        TEST_LOAD(16, s1, dtab, s0, DWORD_AT(248), c.ld s0, 248(s1))
        TEST_LOAD_SAME(17, a0, dtab, DWORD_AT(40), c.ld a0, 40(a0))        /* rd == base */

        /* C.LWSP: any rd, base sp */
        TEST_LOAD(18, sp, wtab, a0, WORD_AT(0), c.lwsp a0, 0(sp))
        TEST_LOAD(19, sp, wtab, a0, WORD_AT(4), c.lwsp a0, 4(sp))
        TEST_LOAD(20, sp, wtab, t0, WORD_AT(8), c.lwsp t0, 8(sp))
        TEST_LOAD(21, sp, wtab, ra, WORD_AT(16), c.lwsp ra, 16(sp))
        TEST_LOAD(22, sp, wtab, s11, WORD_AT(32), c.lwsp s11, 32(sp))
        TEST_LOAD(23, sp, wtab, a7, WORD_AT(64), c.lwsp a7, 64(sp))
        TEST_LOAD(24, sp, wtab, t5, WORD_AT(128), c.lwsp t5, 128(sp))
        TEST_LOAD(25, sp, wtab, a0, WORD_AT(252), c.lwsp a0, 252(sp))

        /* C.LDSP */
        TEST_LOAD(26, sp, dtab, a0, DWORD_AT(0), c.ldsp a0, 0(sp))
        TEST_LOAD(27, sp, dtab, a0, DWORD_AT(8), c.ldsp a0, 8(sp))
        TEST_LOAD(28, sp, dtab, t0, DWORD_AT(16), c.ldsp t0, 16(sp))
        TEST_LOAD(29, sp, dtab, ra, DWORD_AT(32), c.ldsp ra, 32(sp))
        TEST_LOAD(30, sp, dtab, s11, DWORD_AT(64), c.ldsp s11, 64(sp))
        TEST_LOAD(31, sp, dtab, a7, DWORD_AT(128), c.ldsp a7, 128(sp))
        TEST_LOAD(32, sp, dtab, t5, DWORD_AT(256), c.ldsp t5, 256(sp))
        TEST_LOAD(33, sp, dtab, a0, DWORD_AT(504), c.ldsp a0, 504(sp))

        /* C.SW: only the low 32 bits are stored. */
        TEST_STORE(34, s0, a0, 0x1122334455667788, lwu, 0, 0x55667788, c.sw a0, 0(s0))
        TEST_STORE(35, s0, a0, 0x80000001, lwu, 4, 0x80000001, c.sw a0, 4(s0))
        TEST_STORE(36, a1, s1, -1, lwu, 8, 0xffffffff, c.sw s1, 8(a1))
        TEST_STORE(37, a2, a3, 0x12345678, lwu, 16, 0x12345678, c.sw a3, 16(a2))
        TEST_STORE(38, a4, a5, 0x12345678, lwu, 32, 0x12345678, c.sw a5, 32(a4))
        TEST_STORE(39, a5, a4, 0x12345678, lwu, 64, 0x12345678, c.sw a4, 64(a5))
        TEST_STORE(40, s1, s0, 0x12345678, lwu, 124, 0x12345678, c.sw s0, 124(s1))

        /* C.SD */
        TEST_STORE(41, s0, a0, 0x1122334455667788, ld, 0, 0x1122334455667788, c.sd a0, 0(s0))
        TEST_STORE(42, s0, a0, -1, ld, 8, -1, c.sd a0, 8(s0))
        TEST_STORE(43, a1, s1, 0x0123456789abcdef, ld, 16, 0x0123456789abcdef, c.sd s1, 16(a1))
        TEST_STORE(44, a2, a3, 0x0123456789abcdef, ld, 32, 0x0123456789abcdef, c.sd a3, 32(a2))
        TEST_STORE(45, a4, a5, 0x0123456789abcdef, ld, 64, 0x0123456789abcdef, c.sd a5, 64(a4))
        TEST_STORE(46, a5, a4, 0x0123456789abcdef, ld, 128, 0x0123456789abcdef, c.sd a4, 128(a5))
        TEST_STORE(47, s1, s0, 0x0123456789abcdef, ld, 248, 0x0123456789abcdef, c.sd s0, 248(s1))

        /* C.SWSP: any rs2, base sp */
        TEST_STORE(48, sp, a0, 0x1122334455667788, lwu, 0, 0x55667788, c.swsp a0, 0(sp))
        TEST_STORE(49, sp, t0, 0x87654321, lwu, 4, 0x87654321, c.swsp t0, 4(sp))
        TEST_STORE(50, sp, ra, 0x87654321, lwu, 8, 0x87654321, c.swsp ra, 8(sp))
        TEST_STORE(51, sp, s11, 0x87654321, lwu, 16, 0x87654321, c.swsp s11, 16(sp))
        TEST_STORE(52, sp, a7, 0x87654321, lwu, 32, 0x87654321, c.swsp a7, 32(sp))
        TEST_STORE(53, sp, t5, 0x87654321, lwu, 64, 0x87654321, c.swsp t5, 64(sp))
        TEST_STORE(54, sp, a0, 0x87654321, lwu, 128, 0x87654321, c.swsp a0, 128(sp))
        TEST_STORE(55, sp, a0, 0x87654321, lwu, 252, 0x87654321, c.swsp a0, 252(sp))

        /* C.SDSP */
        TEST_STORE(56, sp, a0, 0x1122334455667788, ld, 0, 0x1122334455667788, c.sdsp a0, 0(sp))
        TEST_STORE(57, sp, t0, 0xfedcba9876543210, ld, 8, 0xfedcba9876543210, c.sdsp t0, 8(sp))
        TEST_STORE(58, sp, ra, 0xfedcba9876543210, ld, 16, 0xfedcba9876543210, c.sdsp ra, 16(sp))
        TEST_STORE(59, sp, s11, 0xfedcba9876543210, ld, 32, 0xfedcba9876543210, c.sdsp s11, 32(sp))
        TEST_STORE(60, sp, a7, 0xfedcba9876543210, ld, 64, 0xfedcba9876543210, c.sdsp a7, 64(sp))
        TEST_STORE(61, sp, t5, 0xfedcba9876543210, ld, 128, 0xfedcba9876543210, c.sdsp t5, 128(sp))
        TEST_STORE(62, sp, a0, 0xfedcba9876543210, ld, 256, 0xfedcba9876543210, c.sdsp a0, 256(sp))
        TEST_STORE(63, sp, a0, 0xfedcba9876543210, ld, 504, 0xfedcba9876543210, c.sdsp a0, 504(sp))

        /* C.FLD: rd' in f8..f15 */
        TEST_FLOAD(64, s0, dtab, fs0, DWORD_AT(0), c.fld fs0, 0(s0))
        TEST_FLOAD(65, s0, dtab, fs1, DWORD_AT(8), c.fld fs1, 8(s0))
        TEST_FLOAD(66, a1, dtab, fa0, DWORD_AT(16), c.fld fa0, 16(a1))
        TEST_FLOAD(67, a2, dtab, fa1, DWORD_AT(32), c.fld fa1, 32(a2))
        TEST_FLOAD(68, a3, dtab, fa2, DWORD_AT(64), c.fld fa2, 64(a3))
        TEST_FLOAD(69, a4, dtab, fa3, DWORD_AT(128), c.fld fa3, 128(a4))
        TEST_FLOAD(70, a5, dtab, fa5, DWORD_AT(248), c.fld fa5, 248(a5))

        /* C.FSD */
        TEST_FSTORE(71, s0, fs0, 0x3ff0000000000000, 0, c.fsd fs0, 0(s0))
        TEST_FSTORE(72, s0, fs1, 0xc00921fb54442d18, 8, c.fsd fs1, 8(s0))
        TEST_FSTORE(73, a1, fa0, 0x7ff8000000000001, 16, c.fsd fa0, 16(a1))
        TEST_FSTORE(74, a2, fa1, 0x0123456789abcdef, 32, c.fsd fa1, 32(a2))
        TEST_FSTORE(75, a3, fa2, 0x0123456789abcdef, 64, c.fsd fa2, 64(a3))
        TEST_FSTORE(76, a4, fa3, 0x0123456789abcdef, 128, c.fsd fa3, 128(a4))
        TEST_FSTORE(77, a5, fa5, 0x0123456789abcdef, 248, c.fsd fa5, 248(a5))

        /* C.FLDSP: any f register */
        TEST_FLOAD(78, sp, dtab, ft0, DWORD_AT(0), c.fldsp ft0, 0(sp))
        TEST_FLOAD(79, sp, dtab, ft1, DWORD_AT(8), c.fldsp ft1, 8(sp))
        TEST_FLOAD(80, sp, dtab, fs11, DWORD_AT(16), c.fldsp fs11, 16(sp))
        TEST_FLOAD(81, sp, dtab, ft11, DWORD_AT(32), c.fldsp ft11, 32(sp))
        TEST_FLOAD(82, sp, dtab, fa7, DWORD_AT(64), c.fldsp fa7, 64(sp))
        TEST_FLOAD(83, sp, dtab, fs2, DWORD_AT(128), c.fldsp fs2, 128(sp))
        TEST_FLOAD(84, sp, dtab, fa0, DWORD_AT(256), c.fldsp fa0, 256(sp))
        TEST_FLOAD(85, sp, dtab, ft0, DWORD_AT(504), c.fldsp ft0, 504(sp))

        /* C.FSDSP */
        TEST_FSTORE(86, sp, ft0, 0x3ff0000000000000, 0, c.fsdsp ft0, 0(sp))
        TEST_FSTORE(87, sp, ft1, 0xfff0000000000000, 8, c.fsdsp ft1, 8(sp))
        TEST_FSTORE(88, sp, fs11, 0x0123456789abcdef, 16, c.fsdsp fs11, 16(sp))
        TEST_FSTORE(89, sp, ft11, 0x0123456789abcdef, 32, c.fsdsp ft11, 32(sp))
        TEST_FSTORE(90, sp, fa7, 0x0123456789abcdef, 64, c.fsdsp fa7, 64(sp))
        TEST_FSTORE(91, sp, fs2, 0x0123456789abcdef, 128, c.fsdsp fs2, 128(sp))
        TEST_FSTORE(92, sp, fa0, 0x0123456789abcdef, 256, c.fsdsp fa0, 256(sp))
        TEST_FSTORE(93, sp, ft0, 0x0123456789abcdef, 504, c.fsdsp ft0, 504(sp))
        j pass

/* Zeroes the 512-byte scratch area; returns through t3. */
scratch_clear:
        la t0, scratch
        addi t1, t0, 512
1:      sd x0, 0(t0)
        addi t0, t0, 8
        bne t0, t1, 1b
        jr t3

/* Fails the current case unless the scratch area is all zero; returns through t3. */
scratch_check_zero:
        la t0, scratch
        addi t1, t0, 512
1:      ld t2, 0(t0)
        bnez t2, fail
        addi t0, t0, 8
        bne t0, t1, 1b
        jr t3

        .data
        .balign 8
wtab:
        .set i, 0
        .rept 64
        .word 0x80000000 + i
        .set i, i + 4
        .endr
wpos:   .word 0, 0x7ffffffc
        .balign 8
dtab:
        .set i, 0
        .rept 64
        .dword 0xd0d0000000000000 + i
        .set i, i + 8
        .endr
scratch:
        .skip 512
        .text
TEST_END
