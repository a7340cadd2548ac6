/* Sv39 address translation in S- and U-mode (privileged spec 4.3, 4.4): 4 KiB pages, 2 MiB and
   1 GiB superpages, misaligned superpages, R/W/X/U permission checks, invalid and reserved PTEs,
   a non-leaf PTE at the last level, non-canonical addresses, load/store/instruction page faults
   (causes 13, 15, 12) with mtval/stval = the faulting virtual address, delegated page faults
   fixed by an S-mode handler, SFENCE.VMA, satp mode switches, and PTEs with reserved bits 63:54.
   All leaf PTEs here have A and D set (hardware A/D updating is in priv-ad.S). */
#include "test.h"
#include "priv.h"

#define MARK(n) (0x600d0000 + (n))
#define LEAF (PTE_V | PTE_A | PTE_D)

/* Second-level (1 GiB) and first-level (2 MiB) test regions. */
#define VA_MEGA 0x00400000              /* L1 entry 2: 2 MiB page -> MEGA_BASE, S, RW */
#define VA_MEGA_BAD 0x00600000          /* L1 entry 3: 2 MiB page with a misaligned PPN */
#define VA_MEGA_U 0x00800000            /* L1 entry 4: 2 MiB page -> MEGA_BASE, U, RW */
#define VA_GIGA 0xc0000000              /* L2 entry 3: 1 GiB page -> 0x80000000, S, R */
#define VA_GIGA_BAD 0x100000000         /* L2 entry 4: 1 GiB page with a misaligned PPN */
#define VA_HIGH 0xffffffc000000000      /* L2 entry 256: 1 GiB page -> 0x80000000, S, R */
#define VA_NONCANON 0x0000004000000000  /* same low 39 bits as VA_HIGH, bits 63:39 != bit 38 */

TEST_BEGIN
        priv_init
        set_mtvec mtrap_record
        set_stvec strap_record

        /* Data pages with markers. */
        .irp n, 0, 1, 2, 3, 4, 5, 6
        li t0, DATA_PAGE(\n)
        li t1, MARK(\n)
        sd t1, 0(t0)
        .endr
        li t0, MEGA_BASE + 0x12340
        li t1, MARK(0x40)
        sd t1, 0(t0)

        vm_std_layout
        map_test_page 0, DATA_PAGE(0), LEAF | PTE_R | PTE_W
        map_test_page 1, DATA_PAGE(0), LEAF | PTE_R
        map_test_page 2, DATA_PAGE(1), LEAF | PTE_R | PTE_W | PTE_U
        map_test_page 3, DATA_PAGE(2), LEAF | PTE_W                      /* reserved: W without R */
        map_test_page 4, DATA_PAGE(3), PTE_RWX | PTE_A | PTE_D           /* V = 0 */
        la a0, xpage
        pte_set_reg PT_PAGE(2), 5, a0, LEAF | PTE_X
        pte_set_reg PT_PAGE(2), 6, a0, LEAF | PTE_X | PTE_U
        map_test_page 7, DATA_PAGE(3), PTE_V                             /* non-leaf at level 0 */
        map_test_page 8, DATA_PAGE(4), LEAF | PTE_R
        map_test_page 10, DATA_PAGE(1), LEAF | PTE_R | PTE_W | PTE_X | PTE_U
        map_test_page 12, DATA_PAGE(1), LEAF | PTE_R | PTE_U
        pte_set PT_PAGE(1), 2, MEGA_BASE, LEAF | PTE_R | PTE_W
        pte_set PT_PAGE(1), 3, MEGA_BASE + 0x1000, LEAF | PTE_R | PTE_W
        pte_set PT_PAGE(1), 4, MEGA_BASE, LEAF | PTE_R | PTE_W | PTE_U
        pte_set PT_PAGE(0), 3, 0x80000000, LEAF | PTE_R
        pte_set PT_PAGE(0), 4, 0x80200000, LEAF | PTE_R | PTE_W
        pte_set PT_PAGE(0), 256, 0x80000000, LEAF | PTE_R
        satp_set SATP_MODE_SV39, PT_PAGE(0)

        /* 4 KiB page: S-mode load and store reach the mapped physical page. */
        TEST_CASE(1)
        li a1, TEST_VA(0)
        run_in PRV_S
        ld a0, 0(a1)
        li a2, 0x1122334455667788
        sd a2, 8(a1)
        run_end PRV_S
        CHECK_EQ(a0, MARK(0))
        li t0, DATA_PAGE(0)
        ld t1, 8(t0)
        CHECK_EQ(t1, 0x1122334455667788)
        TEST_CASE(2)            /* the read-only alias of the same page sees the store */
        li a1, TEST_VA(1)
        run_in PRV_S
        ld a0, 8(a1)
        run_end PRV_S
        CHECK_EQ(a0, 0x1122334455667788)
        TEST_CASE(3)            /* store to the read-only page: cause 15, mtval = VA */
        trap_in PRV_S, CAUSE_STORE_PAGE, TEST_VA(1) + 0x10, sd a2, 0x10(a1)
        TEST_CASE(4)            /* AMO to a read-only page is a store fault */
        trap_in PRV_S, CAUSE_STORE_PAGE, TEST_VA(1), amoadd.w a0, a2, (a1)
        TEST_CASE(5)            /* fetch from a non-executable page: cause 12, mepc = mtval = VA */
        expect_trap 1f
        enter PRV_S, 2f
2:      jalr a1
        j fail
1:      CHECK_EQ(s2, CAUSE_FETCH_PAGE)
        CHECK_EQ(s3, TEST_VA(1))
        CHECK_EQ(s4, TEST_VA(1))

        /* Reserved PTE (W without R), invalid PTE, and a non-leaf PTE at level 0 all fault. */
        TEST_CASE(6)
        li a1, TEST_VA(3)
        trap_in PRV_S, CAUSE_LOAD_PAGE, TEST_VA(3) + 8, ld a0, 8(a1)
        TEST_CASE(7)
        trap_in PRV_S, CAUSE_STORE_PAGE, TEST_VA(3), sw a0, 0(a1)
        TEST_CASE(8)
        li a1, TEST_VA(4)
        trap_in PRV_S, CAUSE_LOAD_PAGE, TEST_VA(4) + 0x7f8, ld a0, 0x7f8(a1)
        TEST_CASE(9)
        trap_in PRV_S, CAUSE_STORE_PAGE, TEST_VA(4) + 2, sh a0, 2(a1)
        TEST_CASE(10)
        expect_trap 1f
        enter PRV_S, 2f
2:      jalr a1
        j fail
1:      CHECK_EQ(s2, CAUSE_FETCH_PAGE)
        CHECK_EQ(s4, TEST_VA(4))
        TEST_CASE(11)
        li a1, TEST_VA(7)
        trap_in PRV_S, CAUSE_LOAD_PAGE, TEST_VA(7), lbu a0, 0(a1)
        TEST_CASE(12)           /* unmapped page (PTE all zero) */
        li a1, TEST_VA(20)
        trap_in PRV_S, CAUSE_LOAD_PAGE, TEST_VA(20) + 0x123, lb a0, 0x123(a1)

        /* Execute-only page: S can run code there but not read it. */
        TEST_CASE(13)
        li a1, TEST_VA(5)
        li a0, 0
        run_in PRV_S
        jalr a1
        run_end PRV_S
        CHECK_EQ(a0, 0x42)
        TEST_CASE(14)
        trap_in PRV_S, CAUSE_LOAD_PAGE, TEST_VA(5), lw a0, 0(a1)
        TEST_CASE(15)           /* S never executes a user page */
        li a1, TEST_VA(6)
        expect_trap 1f
        enter PRV_S, 2f
2:      jalr a1
        j fail
1:      CHECK_EQ(s2, CAUSE_FETCH_PAGE)
        CHECK_EQ(s3, TEST_VA(6))
        CHECK_EQ(s4, TEST_VA(6))

        /* U-mode: user pages work; supervisor pages fault for load, store and fetch. */
        TEST_CASE(16)
        li a1, TEST_VA(2)
        li a3, TEST_VA(6)
        li a0, 0
        run_in PRV_U, U_ALIAS_OFFSET
        ld a4, 0(a1)
        sd a4, 8(a1)
        jalr a3                 /* user execute-only page: a0 = 0x42 */
        run_end PRV_U, U_ALIAS_OFFSET
        CHECK_EQ(a4, MARK(1))
        CHECK_EQ(a0, 0x42)
        li t0, DATA_PAGE(1)
        ld t1, 8(t0)
        CHECK_EQ(t1, MARK(1))
        TEST_CASE(17)
        li a1, TEST_VA(0)
        utrap_in CAUSE_LOAD_PAGE, TEST_VA(0) + 16, ld a0, 16(a1)
        TEST_CASE(18)
        utrap_in CAUSE_STORE_PAGE, TEST_VA(0) + 1, sb a0, 1(a1)
        TEST_CASE(19)
        li a1, TEST_VA(5)
        expect_trap 1f
        enter PRV_U, 2f, U_ALIAS_OFFSET
2:      jalr a1
        j fail
1:      CHECK_EQ(s2, CAUSE_FETCH_PAGE)
        CHECK_EQ(s3, TEST_VA(5))
        CHECK_EQ(s4, TEST_VA(5))
        TEST_CASE(20)           /* U fetch from the supervisor (identity) mapping of the program */
        la a1, 3f
        expect_trap 1f
        enter PRV_U, 2f, U_ALIAS_OFFSET
2:      jalr a1
        j fail
3:      j fail
1:      CHECK_EQ(s2, CAUSE_FETCH_PAGE)
        CHECK_LABEL(s3, 3b)
        CHECK_LABEL(s4, 3b)
        TEST_CASE(21)           /* U store to a read-only user page */
        li a1, TEST_VA(12)
        utrap_in CAUSE_STORE_PAGE, TEST_VA(12) + 8, sd a0, 8(a1)
        TEST_CASE(22)           /* U load from a user RWX page */
        li a1, TEST_VA(10)
        run_in PRV_U, U_ALIAS_OFFSET
        ld a0, 0(a1)
        run_end PRV_U, U_ALIAS_OFFSET
        CHECK_EQ(a0, MARK(1))

        /* 2 MiB megapage: offset bits 20:0 pass through. */
        TEST_CASE(23)
        li a1, VA_MEGA + 0x12340
        run_in PRV_S
        ld a0, 0(a1)
        li a2, 0x5555aaaa
        sd a2, 8(a1)
        run_end PRV_S
        CHECK_EQ(a0, MARK(0x40))
        li t0, MEGA_BASE + 0x12348
        ld t1, 0(t0)
        CHECK_EQ(t1, 0x5555aaaa)
        TEST_CASE(24)           /* the same megapage with U = 1, from U */
        li a1, VA_MEGA_U + 0x12348
        run_in PRV_U, U_ALIAS_OFFSET
        ld a0, 0(a1)
        run_end PRV_U, U_ALIAS_OFFSET
        CHECK_EQ(a0, 0x5555aaaa)
        TEST_CASE(25)           /* ... and U = 0 megapage from U faults */
        li a1, VA_MEGA + 0x1ffff8
        utrap_in CAUSE_LOAD_PAGE, VA_MEGA + 0x1ffff8, ld a0, 0(a1)
        TEST_CASE(26)           /* misaligned megapage (PPN[0] != 0): page fault */
        li a1, VA_MEGA_BAD + 0x2000
        trap_in PRV_S, CAUSE_LOAD_PAGE, VA_MEGA_BAD + 0x2000, ld a0, 0(a1)
        TEST_CASE(27)
        trap_in PRV_S, CAUSE_STORE_PAGE, VA_MEGA_BAD + 0x2000, sd a0, 0(a1)

        /* 1 GiB gigapage (read-only): offset bits 29:0 pass through. */
        TEST_CASE(28)
        li a1, VA_GIGA + (DATA_PAGE(2) - 0x80000000)
        run_in PRV_S
        ld a0, 0(a1)
        run_end PRV_S
        CHECK_EQ(a0, MARK(2))
        TEST_CASE(29)
        trap_in PRV_S, CAUSE_STORE_PAGE, VA_GIGA + (DATA_PAGE(2) - 0x80000000), sd a0, 0(a1)
        TEST_CASE(30)           /* misaligned gigapage (PPN[1] != 0): page fault */
        li a1, VA_GIGA_BAD
        trap_in PRV_S, CAUSE_LOAD_PAGE, VA_GIGA_BAD, ld a0, 0(a1)

        /* Canonical upper-half address works; the non-canonical one with the same low bits faults
           (load, store, fetch), with the address in mtval (or another non-canonical one). */
        TEST_CASE(31)
        li a1, VA_HIGH + (DATA_PAGE(3) - 0x80000000)
        run_in PRV_S
        ld a0, 0(a1)
        run_end PRV_S
        CHECK_EQ(a0, MARK(3))
        TEST_CASE(32)
        li a1, VA_NONCANON + (DATA_PAGE(3) - 0x80000000)
        trap_in PRV_S, CAUSE_LOAD_PAGE, any, ld a0, 0(a1)
        check_bad_va s4, VA_NONCANON + (DATA_PAGE(3) - 0x80000000), 39
        TEST_CASE(33)
        trap_in PRV_S, CAUSE_STORE_PAGE, any, sd a0, 0(a1)
        check_bad_va s4, VA_NONCANON + (DATA_PAGE(3) - 0x80000000), 39
        TEST_CASE(34)
        li a1, 0x8000000000000000 | (DATA_PAGE(3) - 0x80000000)
        trap_in PRV_S, CAUSE_LOAD_PAGE, any, ld a0, 0(a1)
        check_bad_va s4, 0x8000000000000000 | (DATA_PAGE(3) - 0x80000000), 39
        TEST_CASE(35)
        li a1, VA_NONCANON
        expect_trap 1f
        enter PRV_S, 2f
2:      jalr a1
        j fail
1:      CHECK_EQ(s2, CAUSE_FETCH_PAGE)
        check_bad_va s3, VA_NONCANON, 39
        check_bad_va s4, VA_NONCANON, 39

        /* SFENCE.VMA makes page-table changes visible. S-mode edits the PTEs itself through the
           identity mapping of the page tables. */
        TEST_CASE(36)           /* read-only -> read-write */
        li a1, TEST_VA(8)
        li a2, PT_PAGE(2) + 8 * 8
        run_in PRV_S
        ld a0, 0(a1)            /* fills any TLB with the read-only entry */
        ld t0, 0(a2)
        ori t0, t0, PTE_W
        sd t0, 0(a2)
        sfence.vma a1, zero
        li t1, 0x77
        sd t1, 8(a1)
        run_end PRV_S
        CHECK_EQ(a0, MARK(4))
        li t0, DATA_PAGE(4)
        ld t1, 8(t0)
        CHECK_EQ(t1, 0x77)
        TEST_CASE(37)           /* remap to another physical page */
        run_in PRV_S
        ld t0, 0(a2)
        li t1, DATA_PAGE(5) >> 2
        li t2, 0x3ff
        and t0, t0, t2
        or t0, t0, t1
        sd t0, 0(a2)
        sfence.vma
        ld a0, 0(a1)
        run_end PRV_S
        CHECK_EQ(a0, MARK(5))
        TEST_CASE(38)           /* invalidate: the next access faults */
        expect_trap 1f
        enter PRV_S, 2f
2:      ld a0, 0(a1)
        sd zero, 0(a2)
        sfence.vma zero, zero
3:      ld a0, 0(a1)
        j fail
1:      CHECK_EQ(a0, MARK(5))
        CHECK_EQ(s2, CAUSE_LOAD_PAGE)
        CHECK_LABEL(s3, 3b)
        CHECK_EQ(s4, TEST_VA(8))

        /* Delegated page faults: S-mode handles them (scause, sepc, stval), maps the page and
           returns to retry the access, like demand paging. */
        TEST_CASE(39)
        li t0, (1 << CAUSE_LOAD_PAGE) | (1 << CAUSE_STORE_PAGE) | (1 << CAUSE_FETCH_PAGE)
        csrw medeleg, t0
        set_stvec sfix
        li a1, TEST_VA(9)
        li s1, 0
        run_in PRV_S
        li a0, 0
        ld a0, 0(a1)
        run_end PRV_S
        CHECK_EQ(s1, 1)
        CHECK_EQ(s6, CAUSE_LOAD_PAGE)
        CHECK_EQ(s8, TEST_VA(9))
        CHECK_EQ(a0, MARK(6))
        TEST_CASE(40)           /* from U, a store fault on an absent page, fixed by S */
        li a1, TEST_VA(11)
        li s1, 0
        run_in PRV_U, U_ALIAS_OFFSET
        li a2, 0xbeef
        sw a2, 4(a1)
        run_end PRV_U, U_ALIAS_OFFSET
        CHECK_EQ(s1, 1)
        CHECK_EQ(s6, CAUSE_STORE_PAGE)
        CHECK_EQ(s8, TEST_VA(11) + 4)
        CHECK_FIELD(s9, MSTATUS_SPP, 0)
        li t0, DATA_PAGE(6) + 4
        lwu t1, 0(t0)
        CHECK_EQ(t1, 0xbeef)
        csrw medeleg, zero
        set_stvec strap_record

        /* satp mode switches in S-mode: Sv39 -> Bare -> Sv39 (the program is identity-mapped). */
        TEST_CASE(41)
        li a1, TEST_VA(0)
        li a3, DATA_PAGE(1)
        li a4, SATP_MODE_SV39 | (PT_PAGE(0) >> 12)
        run_in PRV_S
        ld a0, 0(a1)            /* Sv39: DATA_PAGE(0) */
        csrw satp, zero
        sfence.vma
        ld a2, 0(a3)            /* Bare: physical DATA_PAGE(1) */
        csrw satp, a4
        sfence.vma
        ld a5, 0(a1)
        csrr a6, satp
        run_end PRV_S
        CHECK_EQ(a0, MARK(0))
        CHECK_EQ(a2, MARK(1))
        CHECK_EQ(a5, MARK(0))
        bne a6, a4, fail

        /* M-mode ignores satp: physical accesses while Sv39 is on. */
        TEST_CASE(42)
        li t0, DATA_PAGE(2)
        ld t1, 0(t0)
        CHECK_EQ(t1, MARK(2))

        /* A leaf PTE with any of the reserved bits 63:54 set raises a page fault (here bit 54,
           and bits 61 (PBMT) and 63 (N) with Svpbmt/Svnapot not enabled). */
        li t0, MENVCFG_PBMTE
        csrc menvcfg, t0
        TEST_CASE(43)
        li a1, TEST_VA(13)
        .irp bit, 54, 61, 63
        li t0, ((DATA_PAGE(0) >> 12) << 10) | LEAF | PTE_R | PTE_W
        li t1, 1 << \bit
        or t0, t0, t1
        li t1, PT_PAGE(2) + 13 * 8
        sd t0, 0(t1)
        sfence.vma
        trap_in PRV_S, CAUSE_LOAD_PAGE, TEST_VA(13), ld a0, 0(a1)
        .endr
        TEST_CASE(44)           /* the same PTE without the reserved bit works */
        map_test_page 13, DATA_PAGE(0), LEAF | PTE_R | PTE_W
        sfence.vma
        run_in PRV_S
        ld a0, 0(a1)
        run_end PRV_S
        CHECK_EQ(a0, MARK(0))

        csrw satp, zero
        sfence.vma
        j pass

        priv_handlers

/* S-mode page-fault handler for cases 39-40: records the trap, maps TEST_VA(n) for the faulting
   address to DATA_PAGE(6) (RW, U if the fault came from U) and returns to retry. */
        .balign 4
sfix:   csrr s6, scause
        csrr s7, sepc
        csrr s8, stval
        csrr s9, sstatus
        addi s1, s1, 1
        srli t0, s8, 12
        andi t0, t0, 0x1ff
        slli t0, t0, 3
        li t1, PT_PAGE(2)
        add t0, t0, t1
        li t1, ((DATA_PAGE(6) >> 12) << 10) | LEAF | PTE_R | PTE_W
        andi t2, s9, MSTATUS_SPP
        bnez t2, 1f
        ori t1, t1, PTE_U
1:      sd t1, 0(t0)
        sfence.vma s8, zero
        sret

/* An executable page: returns 0x42 in a0. */
        .balign 4096
xpage:  li a0, 0x42
        ret
        .balign 4096
TEST_END
