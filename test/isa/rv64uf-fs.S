/* mstatus.FS and the F extension (privileged ISA, "Extension Context Status in mstatus"; F chapter).
   FS (bits 14:13) is Off 0, Initial 1, Clean 2, Dirty 3. With FS = Off every instruction that reads
   or writes F state, including flw/fsw, fmv.x.w/fmv.w.x and the fflags/frm/fcsr CSRs, raises an
   illegal-instruction exception (mcause 2) and changes nothing. An instruction that writes an f
   register or fcsr (including the accrued flags) sets FS to Dirty, and SD (bit 63) then reads 1.
   Bits 10:9 (VS) are cleared too so that SD depends on FS alone. */
#include "test.h"

#define FS_MASK (3 << 13)
#define VS_MASK (3 << 9)
#define SET_FS(v) li t0, FS_MASK | VS_MASK; csrc mstatus, t0; li t0, (v) << 13; csrs mstatus, t0
/* a0 = mstatus.FS, a1 = mstatus.SD */
#define READ_FS csrr t0, mstatus; srli a0, t0, 13; andi a0, a0, 3; srli a1, t0, 63
#define CHECK_FS(fs, sd) READ_FS; li t6, fs; bne a0, t6, fail; li t6, sd; bne a1, t6, fail

/* With FS = Off: the instruction must trap once, mcause 2, mepc at the instruction, FS still Off. */
#define TRAPS(n, ...) \
        TEST_CASE(n); li s1, 0; la s4, 1f; \
1:      __VA_ARGS__; \
        li t6, 1; bne s1, t6, fail; li t6, 2; bne s2, t6, fail; bne s3, s4, fail; \
        csrr t0, mstatus; li t6, FS_MASK; and t0, t0, t6; bnez t0, fail

/* FS goes from Clean to Dirty through the instruction. */
#define DIRTIES(n, ...) TEST_CASE(n); SET_FS(2); CHECK_FS(2, 0); __VA_ARGS__; CHECK_FS(3, 1)

#define SENTINEL 0x5a5a5a5a5a5a5a5a

TEST_BEGIN
        la t0, trap_handler
        csrw mtvec, t0
        la s5, scratch

        TEST_CASE(1)                  /* Initial: SD clear */
        SET_FS(1)
        CHECK_FS(1, 0)
        TEST_CASE(2)                  /* an FP computation makes it Dirty, SD set */
        li t0, 0x3f800000
        fmv.w.x fa0, t0
        fadd.s fa1, fa0, fa0
        CHECK_FS(3, 1)
        TEST_CASE(3)                  /* Clean: SD clear */
        SET_FS(2)
        CHECK_FS(2, 0)
        TEST_CASE(4)                  /* Dirty written directly: SD set */
        SET_FS(3)
        CHECK_FS(3, 1)

        li a1, 7
        DIRTIES(10, fmv.w.x fa2, a1)
        DIRTIES(11, flw fa2, 0(s5))
        DIRTIES(12, fadd.s fa2, fa0, fa0)
        DIRTIES(13, fcvt.s.w fa2, a1)
        DIRTIES(14, fsgnjn.s fa2, fa0, fa0)
        DIRTIES(15, fmadd.s fa2, fa0, fa0, fa0)
        DIRTIES(16, csrwi fflags, 0)
        DIRTIES(17, fsrmi 0)
        DIRTIES(18, csrw fcsr, zero)

/* FS = Off. Set up known state first: fa2 = sentinel, fflags = NX, frm = RTZ, scratch = sentinel. */
        SET_FS(1)
        li t0, SENTINEL
        fmv.d.x fa2, t0
        sd t0, 0(s5)
        fscsr zero
        fsflagsi 1
        fsrmi 1
        li t0, 0x40000000
        fmv.w.x fa0, t0
        SET_FS(0)
        CHECK_FS(0, 0)
        li a0, 0x1234
        li a1, 3
        TRAPS(30, flw fa2, 0(s5))
        TRAPS(31, fsw fa0, 0(s5))
        TRAPS(32, fmv.x.w a0, fa0)
        TRAPS(33, fmv.w.x fa2, a1)
        TRAPS(34, fadd.s fa2, fa0, fa0)
        TRAPS(35, fsqrt.s fa2, fa0)
        TRAPS(36, fmadd.s fa2, fa0, fa0, fa0)
        TRAPS(37, fsgnj.s fa2, fa0, fa0)
        TRAPS(38, fmin.s fa2, fa0, fa0)
        TRAPS(39, feq.s a0, fa0, fa0)
        TRAPS(40, fclass.s a0, fa0)
        TRAPS(41, fcvt.w.s a0, fa0, rtz)
        TRAPS(42, fcvt.s.w fa2, a1)
        TRAPS(43, frflags a0)
        TRAPS(44, fsflagsi 0)
        TRAPS(45, frrm a0)
        TRAPS(46, fsrmi 0)
        TRAPS(47, frcsr a0)
        TRAPS(48, fscsr zero)
        TEST_CASE(49)                 /* nothing was written: a0, memory, fa2, fcsr */
        CHECK_EQ(a0, 0x1234)
        ld t0, 0(s5)
        CHECK_EQ(t0, SENTINEL)
        SET_FS(1)
        fmv.x.d t0, fa2
        CHECK_EQ(t0, SENTINEL)
        frcsr t0
        CHECK_EQ(t0, (1 << 5) | 1)
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
