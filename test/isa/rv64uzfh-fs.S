/* mstatus.FS and the Zfhmin, Zfh and Zfa instructions (privileged ISA, "Extension Context Status
   in mstatus"): with FS = Off each of them raises an illegal-instruction exception (mcause 2) and
   changes nothing (no f register, x register, memory or fflags written); with FS on, one that
   writes an f register (or accrues a flag) sets FS to Dirty. Pattern of rv64uf-fs.S. Also: the
   reserved rounding modes 5 and 6, in the rm field or (with rm = DYN) in frm, are illegal for
   the H and Zfa instructions that have an rm field (F chapter, rounding-mode encoding).
   isa-tests-march: rv64gc_zfh
   isa-tests-cpu: zfa */
#include "zfa.h"

#define FS_MASK (3 << 13)
#define VS_MASK (3 << 9)
#define SET_FS(v) li t0, FS_MASK | VS_MASK; csrc mstatus, t0; li t0, (v) << 13; csrs mstatus, t0
#define READ_FS csrr t0, mstatus; srli a0, t0, 13; andi a0, a0, 3
#define CHECK_FS(fs) READ_FS; li t6, fs; bne a0, t6, fail

/* With FS = Off: the instruction must trap once, mcause 2, mepc at the instruction, FS still Off. */
#define TRAPS(n, ...) \
        TEST_CASE(n); li s1, 0; la s4, 1f; \
1:      __VA_ARGS__; \
        li t6, 1; bne s1, t6, fail; li t6, 2; bne s2, t6, fail; bne s3, s4, fail; \
        csrr t0, mstatus; li t6, FS_MASK; and t0, t0, t6; bnez t0, fail

/* With FS on: the instruction must trap once with mcause 2 and leave fa2 as it was. */
#define ILLEGAL(n, ...) \
        TEST_CASE(n); li s1, 0; li t0, SENTINEL; fmv.d.x fa2, t0; \
        __VA_ARGS__; \
        li t6, 1; bne s1, t6, fail; li t6, 2; bne s2, t6, fail; \
        fmv.x.d t0, fa2; li t6, SENTINEL; bne t0, t6, fail

/* FS goes from Clean to Dirty through the instruction. */
#define DIRTIES(n, ...) TEST_CASE(n); SET_FS(2); CHECK_FS(2); __VA_ARGS__; CHECK_FS(3)

#define SENTINEL 0x5a5a5a5a5a5a5a5a

TEST_BEGIN
        la t0, trap_handler
        csrw mtvec, t0
        la s5, scratch
        SET_FS(1)
        li t0, 0x3c00
        fmv.h.x fa0, t0
        li a1, 7

        DIRTIES(10, fmv.h.x fa2, a1)
        DIRTIES(11, flh fa2, 0(s5))
        DIRTIES(12, fadd.h fa2, fa0, fa0)
        DIRTIES(13, fcvt.h.w fa2, a1)
        DIRTIES(14, fcvt.s.h fa2, fa0)
        DIRTIES(15, fmadd.h fa2, fa0, fa0, fa0)
        DIRTIES(16, fli_h fa2, 16)
        DIRTIES(17, fround_d fa2, fa0, 0)
        DIRTIES(18, fminm_s fa2, fa0, fa0)
        /* Not checked: an instruction that writes only an x register but accrues a flag (FEQ.H
           of a signaling NaN) makes FS Dirty in tsvirt, as fflags is FP state, but QEMU 10, the
           reference, leaves it Clean. */

/* Reserved rounding modes: rm = 5 or 6 in the instruction, or DYN with frm = 5 or 7. */
        ILLEGAL(20, .insn r 0x53, 5, 0x02, fa2, fa0, fa0)       /* fadd.h, rm = 5 */
        ILLEGAL(21, .insn r 0x53, 6, 0x22, fa2, fa0, x0)        /* fcvt.h.s, rm = 6 */
        ILLEGAL(22, .insn r 0x53, 5, 0x20, fa2, fa0, x2)        /* fcvt.s.h, rm = 5 */
        ILLEGAL(23, fround_h fa2, fa0, 5)
        ILLEGAL(24, froundnx_d fa2, fa0, 6)
        fsrmi 5
        ILLEGAL(25, fsqrt.h fa2, fa0)
        ILLEGAL(26, fround_s fa2, fa0, 7)
        fsrmi 7
        ILLEGAL(27, fcvt.h.d fa2, fa0)
        fsrmi 0
        TEST_CASE(28)                 /* the same with a valid frm: no trap */
        li s1, 0
        fround_s fa2, fa0, 7
        bnez s1, fail

/* FS = Off. Known state first: fa2 = sentinel, fflags = NX, scratch = sentinel. */
        SET_FS(1)
        li t0, SENTINEL
        fmv.d.x fa2, t0
        sd t0, 0(s5)
        fscsr zero
        fsflagsi 1
        SET_FS(0)
        li a0, 0x1234
        TRAPS(30, flh fa2, 0(s5))
        TRAPS(31, fsh fa0, 0(s5))
        TRAPS(32, fmv.x.h a0, fa0)
        TRAPS(33, fmv.h.x fa2, a1)
        TRAPS(34, fcvt.s.h fa2, fa0)
        TRAPS(35, fcvt.h.d fa2, fa0)
        TRAPS(36, fadd.h fa2, fa0, fa0)
        TRAPS(37, fsqrt.h fa2, fa0)
        TRAPS(38, fnmadd.h fa2, fa0, fa0, fa0)
        TRAPS(39, feq.h a0, fa0, fa0)
        TRAPS(40, fclass.h a0, fa0)
        TRAPS(41, fcvt.w.h a0, fa0, rtz)
        TRAPS(42, fli_s fa2, 16)
        TRAPS(43, fli_h fa2, 1)
        TRAPS(44, fmaxm_d fa2, fa0, fa0)
        TRAPS(45, froundnx_h fa2, fa0, 0)
        TRAPS(46, fcvtmod_w_d a0, fa0)
        TRAPS(47, fltq_s a0, fa0, fa0)
        TEST_CASE(48)                 /* nothing was written: a0, memory, fa2, fcsr */
        CHECK_EQ(a0, 0x1234)
        ld t0, 0(s5)
        CHECK_EQ(t0, SENTINEL)
        SET_FS(1)
        fmv.x.d t0, fa2
        CHECK_EQ(t0, SENTINEL)
        frcsr t0
        CHECK_EQ(t0, 1)
        fscsr zero
        j pass

        .balign 4
trap_handler:
        /* Record the trap and step over the instruction (2 or 4 bytes). */
        csrr s2, mcause
        csrr s3, mepc
        addi s1, s1, 1
        lhu t0, 0(s3)
        andi t0, t0, 3
        addi t1, s3, 2
        li t2, 3
        bne t0, t2, 1f
        addi t1, s3, 4
1:      csrw mepc, t1
        mret
TEST_END

        .data
        .balign 8
scratch: .dword 0
