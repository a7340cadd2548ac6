/* The time CSR (Zicntr; privileged spec 3.1.11, 3.2.1): a read-only shadow of the CLINT mtime,
   readable in M-mode and, when mcounteren.TM (and for U scounteren.TM) is set, in S and U.
   Reference note: QEMU 7.2's spike machine does not implement the time CSR (every rdtime traps),
   so this program fails there at case 1; it passes on QEMU's virt machine. */
#include "test.h"
#include "priv.h"

#define CNT_TM 2

TEST_BEGIN
        priv_init
        set_mtvec mtrap_record

        /* rdtime lies between two reads of mtime. */
        TEST_CASE(1)
        li a3, CLINT_MTIME
        run_in PRV_M
        ld a0, 0(a3)
        rdtime a1
        ld a2, 0(a3)
        run_end PRV_M
        bltu a1, a0, fail
        bltu a2, a1, fail
        /* time advances. */
        TEST_CASE(2)
        rdtime a0
        li t2, 1000000
1:      rdtime a1
        bne a0, a1, 2f
        addi t2, t2, -1
        bnez t2, 1b
        j fail
2:      bltu a1, a0, fail
        /* Writing mtime is seen through time. */
        TEST_CASE(3)
        li t0, CLINT_MTIME
        li t1, 0x0123456789000000
        sd t1, 0(t0)
        rdtime a0
        li t1, 0x0123456789000000
        bltu a0, t1, fail
        li t1, 0x0123456789000000 + 100000000  /* less than 10 s later */
        bgeu a0, t1, fail

        /* time is read-only. */
        TEST_CASE(4)
        trap_in PRV_M, CAUSE_ILLEGAL, 0xc0151073, csrw time, a0

        /* S and U with the TM bits set. */
        TEST_CASE(5)
        li t0, CNT_TM
        csrw mcounteren, t0
        run_in PRV_S
        ld a0, 0(a3)
        rdtime a1
        ld a2, 0(a3)
        run_end PRV_S
        bltu a1, a0, fail
        bltu a2, a1, fail
        TEST_CASE(6)
        trap_in PRV_U, CAUSE_ILLEGAL, 0xc0102573, rdtime a0
        TEST_CASE(7)
        li t0, CNT_TM
        csrw scounteren, t0
        run_in PRV_U
        rdtime a1
        run_end PRV_U
        li t0, CLINT_MTIME
        ld a2, 0(t0)
        bltu a2, a1, fail
        TEST_CASE(8)
        csrw mcounteren, zero
        trap_in PRV_S, CAUSE_ILLEGAL, 0xc0102573, rdtime a0
        TEST_CASE(9)
        trap_in PRV_U, CAUSE_ILLEGAL, 0xc0102573, rdtime a0

        j pass

        priv_handlers
TEST_END
