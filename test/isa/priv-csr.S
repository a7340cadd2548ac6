/* Machine and supervisor CSRs (privileged spec 2, 3.1, 3.7, 4.1, Zicsr): misa, mhartid and the ID
   registers, unknown and RV32-only CSRs, writes to read-only CSRs, privilege checks on CSR
   accesses, CSR read-modify-write semantics, mie/mip/sie/sip masks, menvcfg/senvcfg, satp WARL,
   the 16 PMP entries, and the trigger CSRs. */
#include "test.h"
#include "priv.h"

/* ILLEGAL_CSR(prv, insn): insn traps as illegal in mode prv, mtval = the instruction bits (checked
   by reading the instruction back). */
.macro illegal_in prv, insn:vararg
        expect_trap 1002f
        enter \prv, 1001f
1001:   \insn
        j fail
1002:   CHECK_EQ(s2, CAUSE_ILLEGAL)
        CHECK_LABEL(s3, 1001b)
        la t0, 1001b
        lwu t0, 0(t0)
        bne s4, t0, fail
.endm

TEST_BEGIN
        priv_init
        set_mtvec mtrap_record
        set_stvec strap_record

        /* misa: MXL = 2 (64-bit) and the extensions of RV64GC with S and U. */
        TEST_CASE(1)
        csrr t1, misa
        srli t2, t1, 62
        CHECK_EQ(t2, 2)
#define EXT(c) (1 << ((c) - 'A'))
        li t0, EXT('I') | EXT('M') | EXT('A') | EXT('F') | EXT('D') | EXT('C') | EXT('S') | EXT('U')
        and t2, t1, t0
        bne t2, t0, fail
        CHECK_FIELD(t1, EXT('E'), 0)    /* I and E are exclusive */

        /* mhartid = 0; mvendorid, marchid, mimpid readable (no trap) from M. */
        TEST_CASE(2)
        csrr t1, mhartid
        CHECK_EQ(t1, 0)
        TEST_CASE(3)
        run_in PRV_M
        csrr a0, mvendorid
        csrr a1, marchid
        csrr a2, mimpid
        csrr a3, mhartid
        run_end PRV_M
        /* mvendorid is 32 bits (bank and offset): upper bits zero. */
        srli t1, a0, 32
        CHECK_EQ(t1, 0)

        /* Unknown and RV32-only CSRs are illegal. */
        TEST_CASE(4)
        illegal_in PRV_M, csrr a0, 0x3ff
        TEST_CASE(5)
        illegal_in PRV_M, csrw 0x1ff, a0
        TEST_CASE(6)
        illegal_in PRV_M, csrrs a0, 0x0ff, zero
        TEST_CASE(7)
        illegal_in PRV_M, csrr a0, 0x310        /* mstatush */
        TEST_CASE(8)
        illegal_in PRV_M, csrr a0, 0xc80        /* cycleh */
        TEST_CASE(9)
        illegal_in PRV_M, csrr a0, 0x3a1        /* pmpcfg1 */
        TEST_CASE(10)
        illegal_in PRV_M, csrw 0x3a3, zero      /* pmpcfg3 */
        TEST_CASE(11)
        illegal_in PRV_M, csrr a0, 0x31a        /* menvcfgh */
        TEST_CASE(12)
        illegal_in PRV_M, csrr a0, 0xb80        /* mcycleh */

        /* Writes to read-only CSRs are illegal, even when the written value is zero; reads (and
           CSRRS/CSRRC with rs1 = x0 or CSRRSI/CSRRCI with uimm = 0) are not. */
        TEST_CASE(13)
        illegal_in PRV_M, csrw mvendorid, zero
        TEST_CASE(14)
        illegal_in PRV_M, csrw marchid, a0
        TEST_CASE(15)
        illegal_in PRV_M, csrw mimpid, a0
        TEST_CASE(16)
        illegal_in PRV_M, csrw mhartid, zero
        TEST_CASE(17)
        illegal_in PRV_M, csrwi cycle, 0
        TEST_CASE(18)
        illegal_in PRV_M, csrw instret, a0
        TEST_CASE(19)                    /* (CSRRS with rs1 != x0 holding 0: priv-strict.S) */
        illegal_in PRV_M, csrrsi a1, mvendorid, 1
        TEST_CASE(20)
        illegal_in PRV_M, csrrci a1, mhartid, 1
        TEST_CASE(21)
        run_in PRV_M
        csrrs a1, mhartid, zero
        csrrc a1, mvendorid, zero
        csrrsi a1, marchid, 0
        csrrci a1, mimpid, 0
        run_end PRV_M

        /* M-level CSRs are not accessible from S; S-level CSRs not from U. */
        TEST_CASE(22)
        illegal_in PRV_S, csrr a0, misa
        TEST_CASE(23)
        illegal_in PRV_S, csrr a0, mie
        TEST_CASE(24)
        illegal_in PRV_S, csrw mip, zero
        TEST_CASE(25)
        illegal_in PRV_S, csrr a0, medeleg
        TEST_CASE(26)
        illegal_in PRV_S, csrr a0, mhartid
        TEST_CASE(27)
        illegal_in PRV_S, csrr a0, mvendorid
        TEST_CASE(28)
        illegal_in PRV_S, csrr a0, pmpcfg0
        TEST_CASE(29)
        illegal_in PRV_S, csrw pmpaddr0, a0
        TEST_CASE(30)
        illegal_in PRV_S, csrr a0, menvcfg
        TEST_CASE(31)
        illegal_in PRV_S, csrr a0, mcounteren
        TEST_CASE(32)
        illegal_in PRV_U, csrr a0, satp
        TEST_CASE(33)
        illegal_in PRV_U, csrw stvec, a0
        TEST_CASE(34)
        illegal_in PRV_U, csrr a0, senvcfg
        TEST_CASE(35)
        illegal_in PRV_U, csrr a0, scounteren
        TEST_CASE(36)
        illegal_in PRV_U, csrr a0, sie
        TEST_CASE(37)
        illegal_in PRV_U, csrr a0, mscratch

        /* S-level CSRs from S, and unprivileged FP CSRs from U, are accessible. */
        TEST_CASE(38)
        run_in PRV_S
        csrr a0, sstatus
        csrw sscratch, a0
        csrr a1, sscratch
        csrr a2, stvec
        csrr a3, sepc
        csrr a4, scause
        csrr a5, stval
        csrr a6, sie
        csrr a7, sip
        csrr a0, senvcfg
        csrr a0, scounteren
        run_end PRV_S
        TEST_CASE(39)
        run_in PRV_U
        csrr a0, fflags
        csrw frm, zero
        csrr a1, fcsr
        run_end PRV_U

        /* CSR instruction semantics on a full-width read/write CSR (mscratch). */
        TEST_CASE(40)
        li t0, 0x0f0f0f0f0f0f0f0f
        csrw mscratch, t0
        li t1, 0xff00
        csrrs a0, mscratch, t1           /* returns the old value */
        CHECK_EQ(a0, 0x0f0f0f0f0f0f0f0f)
        csrr a0, mscratch
        CHECK_EQ(a0, 0x0f0f0f0f0f0fff0f)
        li t1, 0xf0000000000000ff
        csrrc a0, mscratch, t1
        CHECK_EQ(a0, 0x0f0f0f0f0f0fff0f)
        csrr a0, mscratch
        CHECK_EQ(a0, 0x0f0f0f0f0f0fff00)
        csrrwi a0, mscratch, 0x15
        CHECK_EQ(a0, 0x0f0f0f0f0f0fff00)
        csrrsi a0, mscratch, 0x0a
        CHECK_EQ(a0, 0x15)
        csrrci a0, mscratch, 0x11
        CHECK_EQ(a0, 0x1f)
        csrr a0, mscratch
        CHECK_EQ(a0, 0x0e)
        li t0, -1                        /* csrrw with rd = rs1 swaps */
        csrrw t0, mscratch, t0
        CHECK_EQ(t0, 0x0e)
        csrr t0, mscratch
        CHECK_EQ(t0, -1)

        /* sscratch, sepc, scause, stval: read/write from M. */
        TEST_CASE(41)
        li t0, 0x123456789abcdef0
        csrw sscratch, t0
        csrr t1, sscratch
        bne t0, t1, fail
        csrw stval, t0
        csrr t1, stval
        bne t0, t1, fail
        li t0, 0x80001234
        csrw sepc, t0
        csrr t1, sepc
        bne t0, t1, fail
        li t0, CAUSE_INTR | IRQ_STI
        csrw scause, t0
        csrr t1, scause
        bne t0, t1, fail

        /* mie: the six standard interrupt enables are writable. mip: SSIP, STIP, SEIP writable from
           M; MSIP, MTIP, MEIP are read-only (driven by the CLINT and the interrupt controller). */
        TEST_CASE(42)
        mtimecmp_set_max
        li t0, -1
        csrw mie, t0
        csrr t1, mie
        CHECK_FIELD(t1, 0xaaa, 0xaaa)
        csrw mie, zero
        csrr t1, mie
        CHECK_EQ(t1, 0)
        TEST_CASE(43)
        li t0, -1
        csrw mip, t0
        csrr t1, mip
        CHECK_FIELD(t1, 0xaaa, 0x222)
        csrw mip, zero
        csrr t1, mip
        CHECK_FIELD(t1, 0xaaa, 0)

        /* sie/sip show only delegated interrupts; sip.SSIP is writable, STIP/SEIP are not. */
        TEST_CASE(44)
        li t0, 0xaaa
        csrw mie, t0
        csrw mideleg, zero
        csrr t1, sie
        CHECK_FIELD(t1, 0xaaa, 0)
        li t0, MIP_SSIP | MIP_STIP | MIP_SEIP
        csrw mideleg, t0
        csrr t1, sie
        CHECK_FIELD(t1, 0xaaa, 0x222)
        csrw sie, zero                   /* clears the delegated enables in mie */
        csrr t1, mie
        CHECK_FIELD(t1, 0xaaa, 0x888)
        csrw mie, zero
        TEST_CASE(45)
        csrw mideleg, zero
        li t0, MIP_SSIP
        csrs mip, t0
        csrr t1, sip
        CHECK_FIELD(t1, 0x222, 0)
        li t0, MIP_SSIP | MIP_STIP | MIP_SEIP
        csrw mideleg, t0
        csrr t1, sip
        CHECK_FIELD(t1, 0x222, MIP_SSIP)
        csrw sip, zero                   /* S clears SSIP */
        csrr t1, mip
        CHECK_FIELD(t1, MIP_SSIP, 0)
        li t0, MIP_STIP | MIP_SEIP       /* not writable through sip */
        csrs sip, t0
        csrr t1, mip
        CHECK_FIELD(t1, MIP_STIP | MIP_SEIP, 0)
        li t0, MIP_SSIP                  /* SSIP set through sip */
        csrs sip, t0
        csrr t1, mip
        CHECK_FIELD(t1, MIP_SSIP, MIP_SSIP)
        csrw mip, zero
        csrw mideleg, zero

        /* menvcfg and senvcfg: readable and writable; 0 is a legal value of every field. */
        TEST_CASE(46)
        csrr s0, menvcfg
        li t0, -1
        csrw menvcfg, t0
        csrw menvcfg, zero
        csrr t1, menvcfg
        CHECK_EQ(t1, 0)
        li t0, MENVCFG_FIOM
        csrw menvcfg, t0
        csrr t1, menvcfg
        li t2, ~MENVCFG_FIOM             /* only bits written may read back set */
        and t1, t1, t2
        CHECK_EQ(t1, 0)
        csrw menvcfg, zero
        TEST_CASE(47)
        li t0, -1
        csrw senvcfg, t0
        csrr t1, senvcfg
        csrw senvcfg, zero
        csrr t1, senvcfg
        CHECK_EQ(t1, 0)
        TEST_CASE(48)                    /* from S */
        run_in PRV_S
        li a0, MENVCFG_FIOM
        csrw senvcfg, a0
        csrr a1, senvcfg
        csrw senvcfg, zero
        csrr a2, senvcfg
        run_end PRV_S
        CHECK_EQ(a2, 0)
        li t0, ~MENVCFG_FIOM
        and a1, a1, t0
        CHECK_EQ(a1, 0)

        /* satp: Sv39 and Sv48 modes with a PPN read back; an unsupported MODE makes the whole
           write have no effect. (No translation happens in M-mode.) */
        TEST_CASE(49)
        li t0, SATP_MODE_SV39 | 0x80123
        csrw satp, t0
        csrr t1, satp
        li t2, 0xf0000fffffffffff        /* mode and PPN; ASID is WARL */
        and t1, t1, t2
        bne t0, t1, fail
        li t0, SATP_MODE_SV48 | 0x80456
        csrw satp, t0
        csrr t1, satp
        and t1, t1, t2
        bne t0, t1, fail
        TEST_CASE(50)
        li t0, (2 << 60) | 0x80789       /* reserved mode: ignored */
        csrw satp, t0
        csrr t1, satp
        and t1, t1, t2
        CHECK_EQ(t1, SATP_MODE_SV48 | 0x80456)
        csrw satp, zero
        csrr t1, satp
        CHECK_EQ(t1, 0)

        /* PMP: 16 entries. pmpaddr0..15 hold distinct values (entries OFF, so bits below the
           granularity may read as 0: the low 12 bits are left 0); pmpcfg0/pmpcfg2 hold legal
           configurations (OFF, TOR, NAPOT with R, RW, RX, RWX, X). M-mode is not affected since
           no entry is locked. */
        TEST_CASE(51)
        csrw pmpcfg0, zero
        csrw pmpcfg2, zero
#define PMPADDR_VAL(i) (0x0000123456789000 + (i) * 0x10000000)
        .irp i, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
        li t0, PMPADDR_VAL(\i)
        csrw pmpaddr\i, t0
        .endr
        .irp i, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
        csrr t1, pmpaddr\i
        CHECK_EQ(t1, PMPADDR_VAL(\i))
        .endr
        TEST_CASE(52)
        li t0, 0x0c1c090d0f0b1900
        csrw pmpcfg0, t0
        li t0, 0x1d0f000b191c0c09
        csrw pmpcfg2, t0
        csrr t1, pmpcfg0
        CHECK_EQ(t1, 0x0c1c090d0f0b1900)
        csrr t1, pmpcfg2
        CHECK_EQ(t1, 0x1d0f000b191c0c09)
        csrw pmpcfg2, zero
        csrr t1, pmpcfg2
        CHECK_EQ(t1, 0)
        pmp_open_all                     /* (pmpaddr bits 63:54 read 0: priv-strict.S) */
        csrr t1, pmpcfg0
        CHECK_EQ(t1, 0x1f)
        TEST_CASE(53)                    /* S and U still run after the PMP reconfiguration */
        run_in PRV_U
        nop
        run_end PRV_U

        /* Trigger CSRs: tselect, tdata1, tdata2 accesses do not trap; tdata1 type is "none" (0),
           "unavailable" (15) or a defined trigger type. */
        TEST_CASE(54)
        run_in PRV_M
        csrw tselect, zero
        csrr a0, tselect
        csrr a1, tdata1
        csrr a2, tdata2
        run_end PRV_M
        srli t1, a1, 60
        li t2, 15
        beq t1, t2, 1f
        li t2, 8                         /* 0 none, 1..7 defined types */
        bgeu t1, t2, fail
1:

        j pass

        priv_handlers
TEST_END
