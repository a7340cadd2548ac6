/* Reserved rounding modes (D extension). An rm field of 101 or 110 in an instruction is reserved, and
   an instruction with rm = 111 (DYN) executed while frm holds 101, 110 or 111 raises an
   illegal-instruction exception (mcause 2) without writing its destination or fflags. The rm field is
   decoded as usual even by instructions the rounding mode cannot affect. Instructions without an rm
   field (sign injection, min/max, compares, fclass, moves, loads and stores) and instructions with a
   static rm keep working while frm is invalid; frm itself holds and reads back 5..7.
   Reserved encodings are written with .insn (OP-FP = 0x53, funct7 selects the operation; the
   fused ops use opcodes 0x43/0x47/0x4b/0x4f with fmt 01 = double). fcvt.d.s and fcvt.d.w/wu can
   never round, yet their rm field is decoded as usual: the ISA says software should set it to RNE
   and implementations must treat it as for any other instruction. */
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
        li t0, 0x3ff0000000000000  /* fa0 = 1.0, fa1 = 2.0 */
        fmv.d.x fa0, t0
        li t0, 0x4000000000000000
        fmv.d.x fa1, t0
        li a1, 3

/* rm = 101 and 110 encoded in the instruction */
        ILLEGAL(1, .insn r 0x53, 5, 0x01, fa2, fa0, fa1)            /* fadd.d  rm=5 */
        ILLEGAL(2, .insn r 0x53, 6, 0x05, fa2, fa0, fa1)            /* fsub.d  rm=6 */
        ILLEGAL(3, .insn r 0x53, 5, 0x09, fa2, fa0, fa1)            /* fmul.d  rm=5 */
        ILLEGAL(4, .insn r 0x53, 6, 0x0d, fa2, fa0, fa1)            /* fdiv.d  rm=6 */
        ILLEGAL(5, .insn r 0x53, 5, 0x2d, fa2, fa0, f0)             /* fsqrt.d rm=5 */
        ILLEGAL(6, .insn r4 0x43, 6, 1, fa3, fa0, fa1, fa2)         /* fmadd.d  rm=6 */
        ILLEGAL(7, .insn r4 0x47, 5, 1, fa3, fa0, fa1, fa2)         /* fmsub.d  rm=5 */
        ILLEGAL(8, .insn r4 0x4b, 6, 1, fa3, fa0, fa1, fa2)         /* fnmsub.d rm=6 */
        ILLEGAL(9, .insn r4 0x4f, 5, 1, fa3, fa0, fa1, fa2)         /* fnmadd.d rm=5 */
        ILLEGAL(10, .insn r 0x53, 5, 0x61, a0, fa0, x0)             /* fcvt.w.d  rm=5 */
        ILLEGAL(11, .insn r 0x53, 6, 0x61, a0, fa0, x1)             /* fcvt.wu.d rm=6 */
        ILLEGAL(12, .insn r 0x53, 5, 0x61, a0, fa0, x2)             /* fcvt.l.d  rm=5 */
        ILLEGAL(13, .insn r 0x53, 6, 0x61, a0, fa0, x3)             /* fcvt.lu.d rm=6 */
        ILLEGAL(14, .insn r 0x53, 5, 0x69, fa2, a1, x2)             /* fcvt.d.l  rm=5 */
        ILLEGAL(15, .insn r 0x53, 6, 0x69, fa2, a1, x3)             /* fcvt.d.lu rm=6 */
        ILLEGAL(16, .insn r 0x53, 5, 0x20, fa2, fa0, x1)            /* fcvt.s.d  rm=5 */
        ILLEGAL(17, .insn r 0x53, 6, 0x21, fa2, fa0, x0)            /* fcvt.d.s  rm=6 (widening, exact) */
        ILLEGAL(18, .insn r 0x53, 5, 0x69, fa2, a1, x0)             /* fcvt.d.w  rm=5 (exact) */
        ILLEGAL(19, .insn r 0x53, 6, 0x69, fa2, a1, x1)             /* fcvt.d.wu rm=6 (exact) */

/* rm = DYN with frm = 5, 6, 7 */
        fsrmi 5
        ILLEGAL(20, fadd.d fa2, fa0, fa1, dyn)
        ILLEGAL(21, fsqrt.d fa2, fa0, dyn)
        ILLEGAL(22, fmadd.d fa3, fa0, fa1, fa2, dyn)
        ILLEGAL(23, fcvt.w.d a0, fa0, dyn)
        ILLEGAL(24, fcvt.d.l fa2, a1, dyn)
        ILLEGAL(25, fcvt.s.d fa2, fa0, dyn)
        fsrmi 6
        ILLEGAL(26, fsub.d fa2, fa0, fa1, dyn)
        ILLEGAL(27, fdiv.d fa2, fa0, fa1, dyn)
        ILLEGAL(28, fnmsub.d fa3, fa0, fa1, fa2, dyn)
        ILLEGAL(29, fcvt.lu.d a0, fa0, dyn)
        ILLEGAL(30, fcvt.d.lu fa2, a1, dyn)
        fsrmi 7
        ILLEGAL(31, fmul.d fa2, fa0, fa1, dyn)
        ILLEGAL(32, fmsub.d fa3, fa0, fa1, fa2, dyn)
        ILLEGAL(33, fnmadd.d fa3, fa0, fa1, fa2, dyn)
        ILLEGAL(34, fcvt.wu.d a0, fa0, dyn)
        ILLEGAL(35, fcvt.l.d a0, fa0, dyn)
        ILLEGAL(36, fcvt.s.d fa2, fa0)           /* assembler default rm: DYN */
        ILLEGAL(37, .insn r 0x53, 7, 0x21, fa2, fa0, x0)            /* fcvt.d.s  rm=DYN (exact) */
        ILLEGAL(38, .insn r 0x53, 7, 0x69, fa2, a1, x0)             /* fcvt.d.w  rm=DYN (exact) */

/* With frm = 7: instructions without an rm field, and a static rm, still execute */
        LEGAL(41, fsgnj.d fa2, fa0, fa1)
        LEGAL(42, fsgnjn.d fa2, fa0, fa1)
        LEGAL(43, fsgnjx.d fa2, fa0, fa1)
        LEGAL(44, fmin.d fa2, fa0, fa1)
        LEGAL(45, fmax.d fa2, fa0, fa1)
        LEGAL(46, feq.d a0, fa0, fa1)
        LEGAL(47, flt.d a0, fa0, fa1)
        LEGAL(48, fle.d a0, fa0, fa1)
        LEGAL(49, fclass.d a0, fa0)
        LEGAL(50, fmv.x.d a0, fa0)
        LEGAL(51, fmv.d.x fa2, a1)
        la s5, scratch
        LEGAL(52, fsd fa0, 0(s5))
        LEGAL(53, fld fa2, 0(s5))
        TEST_CASE(54)
        li s1, 0
        fmul.d fa2, fa0, fa1, rdn      /* static rm overrides the invalid frm: 1 * 2 = 2 */
        bnez s1, fail
        fmv.x.d a0, fa2
        CHECK_EQ(a0, 0x4000000000000000)
        TEST_CASE(55)
        li s1, 0
        fcvt.s.d fa2, fa1, rne         /* 2.0 as single */
        bnez s1, fail
        fmv.x.d a0, fa2
        CHECK_EQ(a0, 0xffffffff40000000)
        TEST_CASE(56)
        li s1, 0
        .insn r 0x53, 0, 0x21, fa2, fa2, x0    /* fcvt.d.s rm=RNE: back to 2.0 */
        bnez s1, fail
        fmv.x.d a0, fa2
        CHECK_EQ(a0, 0x4000000000000000)
        TEST_CASE(57)                  /* a valid frm again: DYN works */
        fsrmi 2
        li s1, 0
        fsub.d fa2, fa0, fa1, dyn
        bnez s1, fail
        fmv.x.d a0, fa2
        CHECK_EQ(a0, 0xbff0000000000000)

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
