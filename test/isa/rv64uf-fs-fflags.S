/* mstatus.FS after an instruction whose only F-state effect is raising accrued exception flags
   (privileged ISA, "Extension Context Status in mstatus"; F chapter). fcsr, and so fflags, is part of
   the F state that FS tracks: Dirty means the state was potentially modified since the last context
   save. feq/flt/fle, and fcvt to an integer write only an x register, but when
   they raise a flag that was clear they modify fflags, so FS must go from Clean to Dirty (and SD to
   1); otherwise a context switch that saves F state only when Dirty would lose the flag.
   Note: QEMU 7.2 leaves FS Clean in these cases (it marks FS dirty only when an f register or an FP CSR
   is written), so this program fails there at case 1. */
#include "test.h"

#define FS_MASK (3 << 13)
#define VS_MASK (3 << 9)
#define SET_FS(v) li t0, FS_MASK | VS_MASK; csrc mstatus, t0; li t0, (v) << 13; csrs mstatus, t0
/* a0 = mstatus.FS, a1 = mstatus.SD */
#define READ_FS csrr t0, mstatus; srli a0, t0, 13; andi a0, a0, 3; srli a1, t0, 63
#define CHECK_FS(fs, sd) READ_FS; li t6, fs; bne a0, t6, fail; li t6, sd; bne a1, t6, fail

/* With fflags clear and FS Clean, the instruction raises flag f and FS becomes Dirty. */
#define DIRTIES(n, f, ...) TEST_CASE(n); fsflags zero; SET_FS(2); CHECK_FS(2, 0); __VA_ARGS__; \
        CHECK_FS(3, 1); frflags t0; li t6, f; bne t0, t6, fail

TEST_BEGIN
        li t0, 0x7f800001             /* fa3 = signaling NaN */
        fmv.w.x fa3, t0
        li t0, 0x3f800000             /* fa0 = 1.0 */
        fmv.w.x fa0, t0
        li t0, 0x7f7fffff             /* fa1 = max single */
        fmv.w.x fa1, t0
        DIRTIES(1, 0x10, feq.s a0, fa3, fa0)       /* NV: signaling NaN */
        DIRTIES(2, 0x10, flt.s a0, fa0, fa3)       /* NV */
        DIRTIES(3, 0x10, fle.s a0, fa3, fa3)       /* NV */
        DIRTIES(4, 0x10, fcvt.w.s a0, fa1, rtz)    /* NV: out of range */
        li t0, 0x3fc00000             /* fa2 = 1.5 */
        fmv.w.x fa2, t0
        DIRTIES(5, 0x01, fcvt.w.s a0, fa2, rtz)    /* NX: 1.5 -> 1 */
        DIRTIES(6, 0x10, fcvt.lu.s a0, fa3, rtz)   /* NV: NaN */
        j pass
TEST_END
