/* FENCE (RV64I) and its variants. On a single hart a fence has no visible effect other than
   completing without a trap; what is tested is that every encoding decodes as a fence:
   - all pred/succ sets (including FENCE.TSO and the PAUSE hint, FENCE W,0);
   - the reserved rd and rs1 fields, which implementations shall ignore (rd is not written);
   - reserved fm values, which shall be treated as a normal fence (fm = 0000).
   Program order of memory accesses around fences is checked as well. */
#include "test.h"
        .option norvc

/* Runs a raw fence encoding; a0 must not be written even when the rd field names it. */
#define TEST_FENCE_WORD(n, enc)                             \
        TEST_CASE(n); li a0, 0x1234; li a1, 0x5678;         \
        .word enc;                                          \
        CHECK_EQ(a0, 0x1234); CHECK_EQ(a1, 0x5678)

TEST_BEGIN
        /* Assembler forms. */
        TEST_CASE(1)
        fence
        fence rw, rw
        fence iorw, iorw
        fence r, r
        fence w, w
        fence r, w
        fence w, r
        fence i, o
        fence o, i
        fence io, io
        fence.tso

        /* Store, fence, load: the load sees the stored value. */
        TEST_CASE(2)
        la a0, fence_data
        li a1, 0x0123456789abcdef
        sd a1, 0(a0)
        fence w, r
        ld a2, 0(a0)
        CHECK_EQ(a2, 0x0123456789abcdef)
        sw x0, 0(a0)
        fence rw, rw
        ld a2, 0(a0)
        CHECK_EQ(a2, 0x0123456700000000)

        /* Raw encodings: opcode 0x0f, funct3 0, fm[31:28] pred[27:24] succ[23:20]. */
        TEST_FENCE_WORD(3, 0x0330000f)          /* fence rw, rw */
        TEST_FENCE_WORD(4, 0x0ff0000f)          /* fence iorw, iorw */
        TEST_FENCE_WORD(5, 0x8330000f)          /* fence.tso */
        TEST_FENCE_WORD(6, 0x0100000f)          /* pause (fence w, 0) */
        TEST_FENCE_WORD(7, 0x0000000f)          /* fence 0, 0 */
        TEST_FENCE_WORD(8, 0x0335850f)          /* fence rw, rw with rd = a0, rs1 = a1 */
        TEST_FENCE_WORD(9, 0x0ff0050f)          /* fence iorw, iorw with rd = a0 */
        TEST_FENCE_WORD(10, 0x0ff5800f)         /* fence iorw, iorw with rs1 = a1 */
        TEST_FENCE_WORD(11, 0xf330000f)         /* reserved fm = 1111 */
        TEST_FENCE_WORD(12, 0x1ff0000f)         /* reserved fm = 0001 */
        TEST_FENCE_WORD(13, 0x8ff0000f)         /* fm = 1000 with a non-TSO pred/succ: reserved */
        j pass

        .data
        .balign 8
fence_data: .dword 0
        .text
TEST_END
