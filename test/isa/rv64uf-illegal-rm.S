/* Reserved rounding modes (F extension). An rm field of 101 or 110 in an instruction is reserved, and
   an instruction with rm = 111 (DYN) executed while frm holds 101, 110 or 111 raises an
   illegal-instruction exception (mcause 2) without writing its destination or fflags. The rm field is
   decoded as usual even by instructions the rounding mode cannot affect. Instructions without an rm
   field (sign injection, min/max, compares, fclass, moves, loads and stores) and instructions with a
   static rm keep working while frm is invalid; frm itself holds and reads back 5..7.
   Reserved encodings are written with .insn (OP-FP = 0x53, funct7 selects the operation; the
   fused ops use opcodes 0x43/0x47/0x4b/0x4f with fmt 00 = single). */
#include "test.h"

#define CHECK_FLAGS(f) csrrw t0, fflags, zero; li t6, f; bne t0, t6, fail
#define SENTINEL 0x5a5a5a5a5a5a5a5a

/* The instruction(s) after the label must trap once, with mcause 2 and mepc at the label; the f
   destination fa2/fa3 and the x destination a0 keep their sentinels and no flag is set. */
#define ILLEGAL(n, ...) \
        TEST_CASE(n); li s1, 0; li t0, SENTINEL; fmv.d.x fa2, t0; fmv.d.x fa3, t0; mv a0, t0; \
        fsflags zero; la s4, 1f; \
1:      __VA_ARGS__; \
        li t6, 1; bne s1, t6, fail; li t6, 2; bne s2, t6, fail; bne s3, s4, fail; \
        li t6, SENTINEL; fmv.x.d t5, fa2; bne t5, t6, fail; fmv.x.d t5, fa3; bne t5, t6, fail; \
        bne a0, t6, fail; CHECK_FLAGS(0)

/* The instruction must not trap. */
#define LEGAL(n, ...) TEST_CASE(n); li s1, 0; __VA_ARGS__; bnez s1, fail

TEST_BEGIN
        la t0, trap_handler
        csrw mtvec, t0
        li t0, 0x3f800000          /* fa0 = 1.0, fa1 = 2.0 (NaN-boxed) */
        fmv.w.x fa0, t0
        li t0, 0x40000000
        fmv.w.x fa1, t0
        li a1, 3

/* rm = 101 and 110 encoded in the instruction */
        ILLEGAL(1, .insn r 0x53, 5, 0x00, fa2, fa0, fa1)            /* fadd.s  rm=5 */
        ILLEGAL(2, .insn r 0x53, 6, 0x00, fa2, fa0, fa1)            /* fadd.s  rm=6 */
        ILLEGAL(3, .insn r 0x53, 5, 0x04, fa2, fa0, fa1)            /* fsub.s  rm=5 */
        ILLEGAL(4, .insn r 0x53, 6, 0x08, fa2, fa0, fa1)            /* fmul.s  rm=6 */
        ILLEGAL(5, .insn r 0x53, 5, 0x0c, fa2, fa0, fa1)            /* fdiv.s  rm=5 */
        ILLEGAL(6, .insn r 0x53, 6, 0x2c, fa2, fa0, f0)             /* fsqrt.s rm=6 */
        ILLEGAL(7, .insn r4 0x43, 5, 0, fa3, fa0, fa1, fa2)         /* fmadd.s  rm=5 */
        ILLEGAL(8, .insn r4 0x47, 6, 0, fa3, fa0, fa1, fa2)         /* fmsub.s  rm=6 */
        ILLEGAL(9, .insn r4 0x4b, 5, 0, fa3, fa0, fa1, fa2)         /* fnmsub.s rm=5 */
        ILLEGAL(10, .insn r4 0x4f, 6, 0, fa3, fa0, fa1, fa2)        /* fnmadd.s rm=6 */
        ILLEGAL(11, .insn r 0x53, 5, 0x60, a0, fa0, x0)             /* fcvt.w.s  rm=5 */
        ILLEGAL(12, .insn r 0x53, 6, 0x60, a0, fa0, x1)             /* fcvt.wu.s rm=6 */
        ILLEGAL(13, .insn r 0x53, 5, 0x60, a0, fa0, x2)             /* fcvt.l.s  rm=5 */
        ILLEGAL(14, .insn r 0x53, 6, 0x60, a0, fa0, x3)             /* fcvt.lu.s rm=6 */
        ILLEGAL(15, .insn r 0x53, 5, 0x68, fa2, a1, x0)             /* fcvt.s.w  rm=5 */
        ILLEGAL(16, .insn r 0x53, 6, 0x68, fa2, a1, x1)             /* fcvt.s.wu rm=6 */
        ILLEGAL(17, .insn r 0x53, 5, 0x68, fa2, a1, x2)             /* fcvt.s.l  rm=5 */
        ILLEGAL(18, .insn r 0x53, 6, 0x68, fa2, a1, x3)             /* fcvt.s.lu rm=6 */

/* rm = DYN with frm = 5, 6, 7 */
        fsrmi 5
        ILLEGAL(20, fadd.s fa2, fa0, fa1, dyn)
        ILLEGAL(21, fsqrt.s fa2, fa0, dyn)
        ILLEGAL(22, fmadd.s fa3, fa0, fa1, fa2, dyn)
        ILLEGAL(23, fcvt.w.s a0, fa0, dyn)
        ILLEGAL(24, fcvt.s.l fa2, a1, dyn)
        fsrmi 6
        ILLEGAL(25, fsub.s fa2, fa0, fa1, dyn)
        ILLEGAL(26, fdiv.s fa2, fa0, fa1, dyn)
        ILLEGAL(27, fnmsub.s fa3, fa0, fa1, fa2, dyn)
        ILLEGAL(28, fcvt.lu.s a0, fa0, dyn)
        ILLEGAL(29, fcvt.s.wu fa2, a1, dyn)
        fsrmi 7
        ILLEGAL(30, fmul.s fa2, fa0, fa1, dyn)
        ILLEGAL(31, fmsub.s fa3, fa0, fa1, fa2, dyn)
        ILLEGAL(32, fnmadd.s fa3, fa0, fa1, fa2, dyn)
        ILLEGAL(33, fcvt.wu.s a0, fa0, dyn)
        ILLEGAL(34, fcvt.l.s a0, fa0, dyn)
        ILLEGAL(35, fcvt.s.w fa2, a1, dyn)
        /* The assembler's default rounding mode for these mnemonics is DYN. */
        ILLEGAL(36, fadd.s fa2, fa0, fa1)
        ILLEGAL(37, fcvt.s.lu fa2, a1)

/* frm holds the invalid values; fcsr shows them in bits 7:5 */
        TEST_CASE(40)
        fsrmi 5
        frrm a0
        CHECK_EQ(a0, 5)
        fsrmi 6
        frcsr a0
        CHECK_EQ(a0, 6 << 5)
        fsrmi 7
        frrm a0
        CHECK_EQ(a0, 7)

/* With frm = 7: instructions without an rm field, and a static rm, still execute */
        LEGAL(41, fsgnj.s fa2, fa0, fa1)
        LEGAL(42, fsgnjn.s fa2, fa0, fa1)
        LEGAL(43, fsgnjx.s fa2, fa0, fa1)
        LEGAL(44, fmin.s fa2, fa0, fa1)
        LEGAL(45, fmax.s fa2, fa0, fa1)
        LEGAL(46, feq.s a0, fa0, fa1)
        LEGAL(47, flt.s a0, fa0, fa1)
        LEGAL(48, fle.s a0, fa0, fa1)
        LEGAL(49, fclass.s a0, fa0)
        LEGAL(50, fmv.x.w a0, fa0)
        LEGAL(51, fmv.w.x fa2, a1)
        la s5, scratch
        LEGAL(52, fsw fa0, 0(s5))
        LEGAL(53, flw fa2, 0(s5))
        TEST_CASE(54)
        li s1, 0
        fadd.s fa2, fa0, fa1, rtz      /* static rm overrides the invalid frm: 1 + 2 = 3 */
        bnez s1, fail
        fmv.x.w a0, fa2
        CHECK_EQ(a0, 0x40400000)
        TEST_CASE(55)
        li s1, 0
        fcvt.w.s a0, fa1, rne
        bnez s1, fail
        CHECK_EQ(a0, 2)
        TEST_CASE(56)                  /* a valid frm again: DYN works */
        fsrmi 1
        li s1, 0
        fadd.s fa2, fa0, fa1, dyn
        bnez s1, fail
        fmv.x.w a0, fa2
        CHECK_EQ(a0, 0x40400000)

        fsrmi 0
        j pass

        .balign 4
trap_handler:
        /* Record the trap and step over the 4-byte instruction. */
        csrr s2, mcause
        csrr s3, mepc
        addi s1, s1, 1
        addi t0, s3, 4
        csrw mepc, t0
        mret
TEST_END

        .data
        .balign 8
scratch: .dword 0
