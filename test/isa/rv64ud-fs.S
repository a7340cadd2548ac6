/* mstatus.FS and the D extension (privileged ISA, "Extension Context Status in mstatus"; D chapter).
   FS (bits 14:13) is Off 0, Initial 1, Clean 2, Dirty 3. With FS = Off every instruction that reads
   or writes F state, including fld/fsd and their compressed forms, fmv.x.d/fmv.d.x, raises an
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
        la s0, scratch                /* s0, fs0, fs1, fa0, fa2: registers the compressed forms can name */
        mv s5, s0                     /* s5 (x21): a base the compressed forms cannot use */

        li a1, 7
        DIRTIES(1, fmv.d.x fa2, a1)
        DIRTIES(2, fld fa2, 0(s5))
        DIRTIES(3, c.fld fa2, 8(s0))
        DIRTIES(4, mv t3, sp; mv sp, s0; c.fldsp ft3, 16(sp); mv sp, t3)
        DIRTIES(5, fcvt.d.w fa2, a1)
        DIRTIES(6, fcvt.d.l fa2, a1, rne)
        DIRTIES(7, fcvt.s.d fa2, fa0, rne)
        DIRTIES(8, fcvt.d.s fa2, fa0)
        DIRTIES(9, fmadd.d fa2, fa0, fa0, fa0, rne)
        DIRTIES(10, fsgnjx.d fa2, fa0, fa0)
        DIRTIES(11, fmax.d fa2, fa0, fa0)

/* FS = Off. Known state first: fa2 = sentinel, scratch = sentinel. */
        SET_FS(1)
        li t0, SENTINEL
        fmv.d.x fa2, t0
        fmv.d.x fs1, t0
        sd t0, 0(s0)
        sd t0, 8(s0)
        sd t0, 16(s0)
        li t0, 0x4000000000000000
        fmv.d.x fa0, t0
        fmv.d.x fs0, t0
        SET_FS(0)
        CHECK_FS(0, 0)
        li a0, 0x1234
        li a1, 3
        TRAPS(20, fld fa2, 0(s5))
        TRAPS(21, fsd fa0, 0(s5))
        TRAPS(22, c.fld fs1, 8(s0))
        TRAPS(23, c.fsd fs0, 8(s0))
        mv s6, sp
        mv sp, s0
        TRAPS(24, c.fldsp fa2, 16(sp))
        TRAPS(25, c.fsdsp fa0, 16(sp))
        mv sp, s6
        TRAPS(26, fmv.x.d a0, fa0)
        TRAPS(27, fmv.d.x fa2, a1)
        TRAPS(28, fadd.d fa2, fa0, fa0)
        TRAPS(29, fdiv.d fa2, fa0, fa0)
        TRAPS(30, fnmsub.d fa2, fa0, fa0, fa0)
        TRAPS(31, fsgnjn.d fa2, fa0, fa0)
        TRAPS(32, fmax.d fa2, fa0, fa0)
        TRAPS(33, flt.d a0, fa0, fa0)
        TRAPS(34, fclass.d a0, fa0)
        TRAPS(35, fcvt.lu.d a0, fa0, rtz)
        TRAPS(36, fcvt.d.lu fa2, a1)
        TRAPS(37, fcvt.s.d fa2, fa0)
        TRAPS(38, fcvt.d.s fa2, fa0)
        TRAPS(39, fcvt.d.w fa2, a1)
        TEST_CASE(40)                 /* nothing was written: a0, memory, fa2, fs1 */
        CHECK_EQ(a0, 0x1234)
        ld t0, 0(s0)
        CHECK_EQ(t0, SENTINEL)
        ld t0, 8(s0)
        CHECK_EQ(t0, SENTINEL)
        ld t0, 16(s0)
        CHECK_EQ(t0, SENTINEL)
        SET_FS(1)
        fmv.x.d t0, fa2
        CHECK_EQ(t0, SENTINEL)
        fmv.x.d t0, fs1
        CHECK_EQ(t0, SENTINEL)
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
scratch: .dword 0, 0, 0
