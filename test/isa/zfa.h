/* Zfa instructions as .insn (binutils 2.40 does not know Zfa), written from the encodings of the
   Zfa chapter, and the checking macros of the Zfa programs. Each instruction is encoded like an
   F/D/Zfh one (OP-FP, funct7 with the fmt field 00 S, 01 D, 10 H):
     FLI.fmt       FMV.fmt.X (funct7 11110ff) with rs2 = 1; rs1 is the table index
     FMINM/FMAXM   FMIN/FMAX (funct7 00101ff) with funct3 2 and 3 (bit 13 set)
     FROUND(NX)    FCVT.S.D / FCVT.D.S / FCVT.H.S (funct7 01000ff) with rs2 = 4 and 5
     FLEQ/FLTQ     FLE/FLT (funct7 10100ff) with funct3 4 and 5 (bit 14 set)
     FCVTMOD.W.D   FCVT.W.D (funct7 1100001) with rs2 = 8 and rm = 001 (RTZ) */
#ifndef TSVIRT_ZFA_H
#define TSVIRT_ZFA_H
#include "test.h"

        .macro fli_s rd, idx
        .insn r 0x53, 0, 0x78, \rd, x\idx, x1
        .endm
        .macro fli_d rd, idx
        .insn r 0x53, 0, 0x79, \rd, x\idx, x1
        .endm
        .macro fli_h rd, idx
        .insn r 0x53, 0, 0x7a, \rd, x\idx, x1
        .endm
        .macro fminm_s rd, rs1, rs2
        .insn r 0x53, 2, 0x14, \rd, \rs1, \rs2
        .endm
        .macro fmaxm_s rd, rs1, rs2
        .insn r 0x53, 3, 0x14, \rd, \rs1, \rs2
        .endm
        .macro fminm_d rd, rs1, rs2
        .insn r 0x53, 2, 0x15, \rd, \rs1, \rs2
        .endm
        .macro fmaxm_d rd, rs1, rs2
        .insn r 0x53, 3, 0x15, \rd, \rs1, \rs2
        .endm
        .macro fminm_h rd, rs1, rs2
        .insn r 0x53, 2, 0x16, \rd, \rs1, \rs2
        .endm
        .macro fmaxm_h rd, rs1, rs2
        .insn r 0x53, 3, 0x16, \rd, \rs1, \rs2
        .endm
        /* rm is the rounding-mode field as a number, 0 (RNE) to 4 (RMM) or 7 (DYN) */
        .macro fround_s rd, rs1, rm
        .insn r 0x53, \rm, 0x20, \rd, \rs1, x4
        .endm
        .macro froundnx_s rd, rs1, rm
        .insn r 0x53, \rm, 0x20, \rd, \rs1, x5
        .endm
        .macro fround_d rd, rs1, rm
        .insn r 0x53, \rm, 0x21, \rd, \rs1, x4
        .endm
        .macro froundnx_d rd, rs1, rm
        .insn r 0x53, \rm, 0x21, \rd, \rs1, x5
        .endm
        .macro fround_h rd, rs1, rm
        .insn r 0x53, \rm, 0x22, \rd, \rs1, x4
        .endm
        .macro froundnx_h rd, rs1, rm
        .insn r 0x53, \rm, 0x22, \rd, \rs1, x5
        .endm
        .macro fleq_s rd, rs1, rs2
        .insn r 0x53, 4, 0x50, \rd, \rs1, \rs2
        .endm
        .macro fltq_s rd, rs1, rs2
        .insn r 0x53, 5, 0x50, \rd, \rs1, \rs2
        .endm
        .macro fleq_d rd, rs1, rs2
        .insn r 0x53, 4, 0x51, \rd, \rs1, \rs2
        .endm
        .macro fltq_d rd, rs1, rs2
        .insn r 0x53, 5, 0x51, \rd, \rs1, \rs2
        .endm
        .macro fleq_h rd, rs1, rs2
        .insn r 0x53, 4, 0x52, \rd, \rs1, \rs2
        .endm
        .macro fltq_h rd, rs1, rs2
        .insn r 0x53, 5, 0x52, \rd, \rs1, \rs2
        .endm
        .macro fcvtmod_w_d rd, rs1
        .insn r 0x53, 1, 0x61, \rd, \rs1, x8
        .endm

#define NV 0x10
#define NX 0x01
/* Read and clear the accrued exception flags (fflags), compare with f. */
#define CHECK_FLAGS(f) csrrw t0, fflags, zero; li t6, f; bne t0, t6, fail
/* Operands move in with fmv.fmt.x (NaN-boxing S and H); results are checked on all 64 bits. */
#define LOAD_H(fr, v) li t0, v; fmv.h.x fr, t0
#define LOAD_S(fr, v) li t0, v; fmv.w.x fr, t0
#define LOAD_D(fr, v) li t0, v; fmv.d.x fr, t0
#define CHECK_H(fr, v) fmv.x.d a0, fr; li t6, 0xffffffffffff0000 | (v); bne a0, t6, fail
#define CHECK_S(fr, v) fmv.x.d a0, fr; li t6, 0xffffffff00000000 | (v); bne a0, t6, fail
#define CHECK_D(fr, v) fmv.x.d a0, fr; li t6, v; bne a0, t6, fail
/* fa2 = FLI.f index; no flag */
#define TEST_FLI(n, f, inst, idx, res) TEST_CASE(n); fsflags zero; inst fa2, idx; CHECK_FLAGS(0); CHECK_##f(fa2, res)
/* fa2 = inst(fa0, fa1) */
#define TEST_FFF(n, f, inst, res, fl, a, b) TEST_CASE(n); LOAD_##f(fa0, a); LOAD_##f(fa1, b); fsflags zero; inst fa2, fa0, fa1; CHECK_FLAGS(fl); CHECK_##f(fa2, res)
/* fa2 = inst(fa0) with the rounding-mode field rm (a number) */
#define TEST_F1R(n, f, inst, rm, res, fl, a) TEST_CASE(n); LOAD_##f(fa0, a); fsflags zero; inst fa2, fa0, rm; CHECK_FLAGS(fl); CHECK_##f(fa2, res)
/* a0 = inst(fa0), fa0 a double */
#define TEST_XD(n, inst, res, fl, a) TEST_CASE(n); LOAD_D(fa0, a); fsflags zero; inst a0, fa0; CHECK_FLAGS(fl); li t6, res; bne a0, t6, fail
/* a0 = inst(fa0, fa1) */
#define TEST_XFF(n, f, inst, res, fl, a, b) TEST_CASE(n); LOAD_##f(fa0, a); LOAD_##f(fa1, b); fsflags zero; inst a0, fa0, fa1; CHECK_FLAGS(fl); li t6, res; bne a0, t6, fail

#endif
