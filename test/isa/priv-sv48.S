/* Sv48 address translation (privileged spec 4.5): four-level walks to 4 KiB pages, 2 MiB,
   1 GiB and 512 GiB superpages, misaligned superpages, U/S permissions on a 512 GiB page,
   48-bit canonical addresses, and switching satp between Sv39 and Sv48 in S-mode. */
#include "test.h"
#include "priv.h"

#define MARK(n) (0x48480000 + (n))
#define LEAF (PTE_V | PTE_A | PTE_D)
#define SV48_ROOT PT_PAGE(3)

#define VA_TERA 0x0000008000000000      /* L3 entry 1: 512 GiB page -> PA 0, S, RW */
#define VA_TERA_BAD 0x0000010000000000  /* L3 entry 2: 512 GiB page, misaligned PPN */
#define VA_L3PTR 0x0000018000000000     /* L3 entry 3 -> PT_PAGE(4) */
#define VA_TERA_U 0x0000020000000000    /* L3 entry 4: 512 GiB page -> PA 0, U, RW */
#define VA_HIGH 0xffff800000000000      /* L3 entry 256 -> the low layout again */

TEST_BEGIN
        priv_init
        set_mtvec mtrap_record

        .irp n, 0, 1, 2, 3
        li t0, DATA_PAGE(\n)
        li t1, MARK(\n)
        sd t1, 0(t0)
        .endr
        li t0, MEGA_BASE + 0x1000
        li t1, MARK(0x40)
        sd t1, 0(t0)

        vm_std_layout 1
        page_zero PT_PAGE(4)
        map_test_page 0, DATA_PAGE(0), LEAF | PTE_R | PTE_W
        map_test_page 1, DATA_PAGE(1), LEAF | PTE_R | PTE_U
        pte_set PT_PAGE(1), 2, MEGA_BASE, LEAF | PTE_R | PTE_W | PTE_U
        pte_set SV48_ROOT, 1, 0, LEAF | PTE_R | PTE_W
        pte_set SV48_ROOT, 2, 0x80000000, LEAF | PTE_R | PTE_W
        pte_ptr SV48_ROOT, 3, PT_PAGE(4)
        pte_set SV48_ROOT, 4, 0, LEAF | PTE_R | PTE_W | PTE_U
        pte_ptr SV48_ROOT, 256, PT_PAGE(0)
        pte_set PT_PAGE(4), 2, 0x80000000, LEAF | PTE_R | PTE_W
        pte_set PT_PAGE(4), 3, 0x80200000, LEAF | PTE_R | PTE_W     /* misaligned 1 GiB */
        satp_set SATP_MODE_SV48, SV48_ROOT

        /* satp holds the Sv48 mode. */
        TEST_CASE(1)
        csrr t1, satp
        CHECK_EQ(t1, SATP_MODE_SV48 | (SV48_ROOT >> 12))

        /* 4 KiB page through four levels, S load and store. */
        TEST_CASE(2)
        li a1, TEST_VA(0)
        run_in PRV_S
        ld a0, 0(a1)
        li a2, 0x4848
        sd a2, 8(a1)
        run_end PRV_S
        CHECK_EQ(a0, MARK(0))
        li t0, DATA_PAGE(0) + 8
        ld t1, 0(t0)
        CHECK_EQ(t1, 0x4848)
        TEST_CASE(3)            /* U code (through the 1 GiB U alias) reads a user page */
        li a1, TEST_VA(1)
        run_in PRV_U, U_ALIAS_OFFSET
        ld a0, 0(a1)
        run_end PRV_U, U_ALIAS_OFFSET
        CHECK_EQ(a0, MARK(1))
        TEST_CASE(4)            /* ... which is read-only */
        utrap_in CAUSE_STORE_PAGE, TEST_VA(1), sd a0, 0(a1)
        TEST_CASE(5)            /* S code runs through the identity 1 GiB page */
        run_in PRV_S
        nop
        run_end PRV_S

        /* 2 MiB page (user) in U-mode. */
        TEST_CASE(6)
        li a1, 0x00400000 + 0x1000
        run_in PRV_U, U_ALIAS_OFFSET
        ld a0, 0(a1)
        run_end PRV_U, U_ALIAS_OFFSET
        CHECK_EQ(a0, MARK(0x40))

        /* 512 GiB page: VA bits 38:0 pass through to the physical address. */
        TEST_CASE(7)
        li a1, VA_TERA + DATA_PAGE(2)
        run_in PRV_S
        ld a0, 0(a1)
        li a2, 0x512
        sd a2, 8(a1)
        run_end PRV_S
        CHECK_EQ(a0, MARK(2))
        li t0, DATA_PAGE(2) + 8
        ld t1, 0(t0)
        CHECK_EQ(t1, 0x512)
        TEST_CASE(8)            /* misaligned 512 GiB page: page fault */
        li a1, VA_TERA_BAD + 0x1000
        trap_in PRV_S, CAUSE_LOAD_PAGE, VA_TERA_BAD + 0x1000, ld a0, 0(a1)
        TEST_CASE(9)
        trap_in PRV_S, CAUSE_STORE_PAGE, VA_TERA_BAD + 0x1000, sd a0, 0(a1)
        TEST_CASE(10)           /* U access to a U = 1 512 GiB page */
        li a1, VA_TERA_U + DATA_PAGE(3)
        run_in PRV_U, U_ALIAS_OFFSET
        ld a0, 0(a1)
        run_end PRV_U, U_ALIAS_OFFSET
        CHECK_EQ(a0, MARK(3))
        TEST_CASE(11)           /* S access to it faults (SUM = 0) ... */
        trap_in PRV_S, CAUSE_LOAD_PAGE, VA_TERA_U + DATA_PAGE(3), ld a0, 0(a1)
        TEST_CASE(12)           /* ... and U access to the S one faults */
        li a1, VA_TERA + DATA_PAGE(3)
        utrap_in CAUSE_LOAD_PAGE, VA_TERA + DATA_PAGE(3), ld a0, 0(a1)

        /* 1 GiB page below a non-root level-3 pointer; a misaligned 1 GiB page faults. */
        TEST_CASE(13)
        li a1, VA_L3PTR + 0x80000000 + (DATA_PAGE(1) - 0x80000000)
        run_in PRV_S
        ld a0, 0(a1)
        run_end PRV_S
        CHECK_EQ(a0, MARK(1))
        TEST_CASE(14)
        li a1, VA_L3PTR + 0xc0000000
        trap_in PRV_S, CAUSE_LOAD_PAGE, VA_L3PTR + 0xc0000000, ld a0, 0(a1)

        /* An unmapped level-3 entry faults. */
        TEST_CASE(15)
        li a1, 0x0000100000000000
        trap_in PRV_S, CAUSE_LOAD_PAGE, 0x0000100000000000, ld a0, 0(a1)

        /* Canonical upper half (bits 63:47 all ones) works; non-canonical addresses fault (mepc and
           mtval hold the address or another non-canonical one). */
        TEST_CASE(16)
        li a1, VA_HIGH + TEST_VA(0)
        run_in PRV_S
        ld a0, 0(a1)
        run_end PRV_S
        CHECK_EQ(a0, MARK(0))
        TEST_CASE(17)           /* bit 47 set, bits 63:48 clear */
        li a1, 0x0000800000000000 + TEST_VA(0)
        trap_in PRV_S, CAUSE_LOAD_PAGE, any, ld a0, 0(a1)
        check_bad_va s4, 0x0000800000000000 + TEST_VA(0), 48
        TEST_CASE(18)           /* bit 48 set only */
        li a1, 0x0001000000000000 + TEST_VA(0)
        trap_in PRV_S, CAUSE_STORE_PAGE, any, sd a0, 0(a1)
        check_bad_va s4, 0x0001000000000000 + TEST_VA(0), 48
        TEST_CASE(19)           /* fetch from a non-canonical address */
        li a1, 0x7fff800000000000
        expect_trap 1f
        enter PRV_S, 2f
2:      jalr a1
        j fail
1:      CHECK_EQ(s2, CAUSE_FETCH_PAGE)
        check_bad_va s3, 0x7fff800000000000, 48
        check_bad_va s4, 0x7fff800000000000, 48

        /* satp switch in S: Sv48 -> Sv39 (VA_TERA is no longer canonical) -> Sv48. */
        TEST_CASE(20)
        li a1, VA_TERA + DATA_PAGE(0)
        li a3, SATP_MODE_SV39 | (PT_PAGE(0) >> 12)
        li a4, SATP_MODE_SV48 | (SV48_ROOT >> 12)
        li a5, TEST_VA(0)
        run_in PRV_S
        ld a0, 0(a1)
        csrw satp, a3
        sfence.vma
        ld a2, 0(a5)            /* Sv39: the low layout still maps TEST_VA(0) */
        csrw satp, a4
        sfence.vma
        ld a6, 0(a1)
        run_end PRV_S
        CHECK_EQ(a0, MARK(0))
        CHECK_EQ(a2, MARK(0))
        CHECK_EQ(a6, MARK(0))
        TEST_CASE(21)
        expect_trap 1f
        enter PRV_S, 2f
2:      csrw satp, a3
        sfence.vma
3:      ld a0, 0(a1)
        j fail
1:      CHECK_EQ(s2, CAUSE_LOAD_PAGE)
        CHECK_LABEL(s3, 3b)
        CHECK_EQ(s4, VA_TERA + DATA_PAGE(0))
        csrr t1, satp
        bne t1, a3, fail

        csrw satp, zero
        sfence.vma
        j pass

        priv_handlers
TEST_END
