/* Hypervisor-extension CSRs (privileged spec, "Hypervisor Extension": hstatus, hedeleg/hideleg,
   hvip/hip/hie, hgeip/hgeie, henvcfg, hcounteren, htimedelta, htval, htinst, hgatp, the VS CSRs,
   and mstatus/mideleg/mip/mie/mtval2/mtinst as the extension changes them): which fields are
   writable, read-only zero or read-only one, the WARL rules the chapter fixes, and the aliases
   (mip/hip/hvip, vsip/vsie through hideleg, supervisor CSRs reaching the VS CSRs when V=1).
   isa-tests-cpu: h, sstc */
#include "test.h"
#include "priv.h"
#include "hyp.h"

/* Field masks of hstatus that a hart may implement (VGEIN is WLRL: never written with all ones). */
#define HSTATUS_KNOWN (HSTATUS_VSBE | HSTATUS_GVA | HSTATUS_SPV | HSTATUS_SPVP | HSTATUS_HU | \
        HSTATUS_VGEIN | HSTATUS_VTVM | HSTATUS_VTW | HSTATUS_VTSR | HSTATUS_VSXL | HSTATUS_HUPMM)
#define HSTATUS_RW (HSTATUS_GVA | HSTATUS_SPV | HSTATUS_SPVP | HSTATUS_HU | HSTATUS_VTVM | \
        HSTATUS_VTW | HSTATUS_VTSR)

TEST_BEGIN
        hyp_init

        /* misa.H (bit 7) is set. */
        TEST_CASE(1)
        csrr t1, misa
        CHECK_FIELD(t1, 1 << 7, 1 << 7)

        /* mstatus.MPV (bit 39) and GVA (bit 38) are read/write. */
        TEST_CASE(2)
        li t0, MSTATUS_MPV | MSTATUS_GVA
        csrs mstatus, t0
        csrr t1, mstatus
        CHECK_FIELD(t1, MSTATUS_MPV | MSTATUS_GVA, MSTATUS_MPV | MSTATUS_GVA)
        csrc mstatus, t0
        csrr t1, mstatus
        CHECK_FIELD(t1, MSTATUS_MPV | MSTATUS_GVA, 0)

        /* hstatus: GVA, SPV, SPVP, HU, VTVM, VTW, VTSR are read/write. (That its WPRI bits
           read zero is checked in hyp-strict.S: QEMU keeps them.) */
        TEST_CASE(3)
        li t0, ~HSTATUS_VGEIN
        csrw CSR_HSTATUS, t0
        csrr t1, CSR_HSTATUS
        CHECK_FIELD(t1, HSTATUS_RW, HSTATUS_RW)
        CHECK_FIELD(t1, HSTATUS_VGEIN, 0)
        csrw CSR_HSTATUS, zero
        csrr t1, CSR_HSTATUS
        CHECK_FIELD(t1, HSTATUS_RW, 0)

        /* VSXL is WARL with MXL's encoding: 64-bit (2) holds; the reserved 3 and 0 do not read
           back. VSBE is WARL: either value, but a write of 0 must leave little-endian (this
           hart's HS-mode is little-endian, and VSBE may only be read-only with HS's endianness). */
        TEST_CASE(4)
        li t0, HSTATUS_VSXL_64
        csrw CSR_HSTATUS, t0
        csrr t1, CSR_HSTATUS
        CHECK_FIELD(t1, HSTATUS_VSXL | HSTATUS_VSBE, HSTATUS_VSXL_64)
        li t0, HSTATUS_VSXL
        csrw CSR_HSTATUS, t0
        csrr t1, CSR_HSTATUS
        srli t1, t1, 32
        andi t1, t1, 3
        li t2, 3
        beq t1, t2, fail
        beqz t1, fail
        csrw CSR_HSTATUS, zero
        csrr t1, CSR_HSTATUS
        srli t1, t1, 32
        andi t1, t1, 3
        beqz t1, fail
        li t0, HSTATUS_VSXL_64
        csrw CSR_HSTATUS, t0

        /* hgeie/hgeip: bit 0 is read-only zero; the writable bits of hgeie are GEILEN:1, the
           least-significant ones first; hgeip has no bit outside them. */
        TEST_CASE(5)
        li t0, -1
        csrw CSR_HGEIE, t0
        csrr a0, CSR_HGEIE              /* a0 = (2^(GEILEN+1) - 2) */
        andi t1, a0, 1
        bnez t1, fail
        addi t1, a0, 2                  /* a power of two (or 2 when GEILEN = 0: a0 = 0) */
        addi t2, t1, -1
        and t2, t2, t1
        bnez t2, fail
        csrr t1, CSR_HGEIP
        not t2, a0
        and t1, t1, t2
        bnez t1, fail
        csrw CSR_HGEIE, zero
        check_csr CSR_HGEIE, 0

        /* VGEIN holds 0 and, when GEILEN > 0, GEILEN (WLRL over 0..GEILEN). */
        TEST_CASE(6)
        beqz a0, 1f
        li t1, 1                        /* GEILEN = bit length of a0 - 1 */
        mv t2, a0
2:      srli t2, t2, 1
        addi t1, t1, 1
        bnez t2, 2b
        addi t1, t1, -2
        slli t2, t1, 12
        li t0, HSTATUS_VSXL_64
        or t0, t0, t2
        csrw CSR_HSTATUS, t0
        csrr t0, CSR_HSTATUS
        srli t0, t0, 12
        andi t0, t0, 0x3f
        bne t0, t1, fail
1:      li t0, HSTATUS_VSXL_64
        csrw CSR_HSTATUS, t0
        csrr t1, CSR_HSTATUS
        CHECK_FIELD(t1, HSTATUS_VGEIN, 0)

        /* hgeip is read-only: a CSR write raises an illegal-instruction exception (in M-mode). */
        TEST_CASE(7)
        vtrap_in 0, PRV_M, CAUSE_ILLEGAL, any, csrw CSR_HGEIP, zero

        /* hedeleg: the bits the chapter requires writable are, those it requires read-only zero
           (9, 10, 11 environment calls from HS/VS/M; 16 double trap; 20..23 guest-page faults
           and virtual instruction) are. (Bits 18 and 19: hyp-strict.S.) */
        TEST_CASE(8)
        li t0, -1
        csrw CSR_HEDELEG, t0
        csrr t1, CSR_HEDELEG
        li t2, 0x1fe | (1 << 12) | (1 << 13) | (1 << 15)
        and t3, t1, t2
        bne t3, t2, fail
        CHECK_FIELD(t1, (7 << 9) | (1 << 16) | (0xf << 20), 0)
        csrw CSR_HEDELEG, zero
        check_csr CSR_HEDELEG, 0

        /* mideleg bits 10, 6, 2 are read-only one: writing zero leaves them set. */
        TEST_CASE(9)
        csrw mideleg, zero
        csrr t1, mideleg
        CHECK_FIELD(t1, MIP_VS_ALL, MIP_VS_ALL)
        /* hideleg: with mideleg's writable bits clear, exactly bits 10, 6, 2 are writable
           (the S-level bits 12, 9, 5, 1 are read-only zero, and so is any bit whose mideleg bit
           is zero). */
        TEST_CASE(10)
        li t0, -1
        csrw CSR_HIDELEG, t0
        csrr t1, CSR_HIDELEG
        CHECK_FIELD(t1, 0x1fff, MIP_VS_ALL)  /* (bits 63:13: hyp-strict.S) */
        csrw CSR_HIDELEG, zero
        check_csr CSR_HIDELEG, 0

        /* hvip: VSEIP, VSTIP, VSSIP writable, bits 12:0 else read-only zero (the AIA may make
           bits 13 and up writable). */
        TEST_CASE(11)
        li t0, -1
        csrw CSR_HVIP, t0
        csrr t1, CSR_HVIP
        CHECK_FIELD(t1, 0x1fff, MIP_VS_ALL)
        csrw CSR_HVIP, zero
        check_csr CSR_HVIP, 0

        /* hie: VSEIE, VSTIE, VSSIE writable; the bits writable in sie (1, 5, 9) and the other
           bits of 15:0 but SGEIE read-only zero; mie's bits 10, 6, 2 are aliases of hie's. */
        TEST_CASE(12)
        li t0, -1
        csrw CSR_HIE, t0
        csrr t1, CSR_HIE
        CHECK_FIELD(t1, 0xffff & ~MIP_SGEIP, MIP_VS_ALL)
        csrr t1, mie
        CHECK_FIELD(t1, MIP_VS_ALL, MIP_VS_ALL)
        csrr t1, sie                    /* sie and hie never share a nonzero bit */
        CHECK_FIELD(t1, MIP_VS_ALL, 0)
        li t0, MIP_VSTIP
        csrc mie, t0
        csrr t1, CSR_HIE
        CHECK_FIELD(t1, 0xffff & ~MIP_SGEIP, MIP_VSSIP | MIP_VSEIP)
        TEST_CASE(13)
        csrw CSR_HIE, zero
        csrr t1, mie
        CHECK_FIELD(t1, MIP_VS_ALL, 0)

        /* hip.VSSIP is a writable alias of hvip.VSSIP (and mip.VSSIP of both); hip.VSTIP and
           hip.VSEIP are read-only, the OR of hvip's bits and other sources (none here: no
           vstimecmp with henvcfg.STCE = 0, VGEIN = 0). */
        TEST_CASE(14)
        li t0, -1
        csrw CSR_HIP, t0
        check_csr CSR_HVIP, MIP_VSSIP
        csrr t1, CSR_HIP
        CHECK_FIELD(t1, 0xffff & ~MIP_SGEIP, MIP_VSSIP)
        csrr t1, mip
        CHECK_FIELD(t1, MIP_VS_ALL, MIP_VSSIP)
        csrr t1, sip                    /* sip and hip never share a nonzero bit */
        CHECK_FIELD(t1, MIP_VS_ALL, 0)
        li t0, MIP_VSSIP
        csrc mip, t0
        check_csr CSR_HVIP, 0
        csrr t1, CSR_HIP
        CHECK_FIELD(t1, MIP_VS_ALL, 0)
        TEST_CASE(15)
        li t0, MIP_VSTIP | MIP_VSEIP
        csrw CSR_HVIP, t0
        csrr t1, CSR_HIP
        CHECK_FIELD(t1, MIP_VS_ALL, MIP_VSTIP | MIP_VSEIP)
        csrr t1, mip
        CHECK_FIELD(t1, MIP_VS_ALL, MIP_VSTIP | MIP_VSEIP)
        csrw CSR_HIP, zero              /* read-only bits: unchanged */
        csrr t1, CSR_HIP
        CHECK_FIELD(t1, MIP_VS_ALL, MIP_VSTIP | MIP_VSEIP)
        csrw CSR_HVIP, zero
        csrr t1, CSR_HIP
        CHECK_FIELD(t1, MIP_VS_ALL, 0)

        /* vsie/vsip follow hideleg: with hideleg = 0 they read zero whatever hie/hvip hold. */
        TEST_CASE(16)
        li t0, MIP_VS_ALL
        csrw CSR_HIE, t0
        csrw CSR_HVIP, t0
        check_csr CSR_VSIE, 0
        check_csr CSR_VSIP, 0
        li t0, -1
        csrw CSR_VSIE, t0               /* read-only zeros: hie unchanged */
        check_csr CSR_HIE, MIP_VS_ALL
        /* With hideleg = VS bits, vsie.SSIE/STIE/SEIE (1, 5, 9) are hie.VSSIE/VSTIE/VSEIE
           (2, 6, 10) and vsip's bits are hip's, one position lower. */
        TEST_CASE(17)
        li t0, MIP_VS_ALL
        csrw CSR_HIDELEG, t0
        check_csr CSR_VSIE, MIP_SSIP | MIP_STIP | MIP_SEIP
        check_csr CSR_VSIP, MIP_SSIP | MIP_STIP | MIP_SEIP
        li t0, MIP_STIP
        csrw CSR_VSIE, t0
        csrr t1, CSR_HIE
        CHECK_FIELD(t1, MIP_VS_ALL, MIP_VSTIP)
        csrw CSR_HVIP, zero
        li t0, MIP_SSIP
        csrs CSR_VSIP, t0               /* vsip.SSIP is writable: it sets hvip.VSSIP */
        check_csr CSR_HVIP, MIP_VSSIP
        li t0, MIP_STIP | MIP_SEIP
        csrs CSR_VSIP, t0               /* vsip.STIP/SEIP are read-only */
        check_csr CSR_HVIP, MIP_VSSIP
        csrw CSR_VSIP, zero
        check_csr CSR_HVIP, 0
        /* Only the delegated bit is visible: hideleg = VSTI alone. */
        TEST_CASE(18)
        li t0, MIP_VSTIP
        csrw CSR_HIDELEG, t0
        li t0, MIP_VS_ALL
        csrw CSR_HIE, t0
        csrw CSR_HVIP, t0
        check_csr CSR_VSIE, MIP_STIP
        check_csr CSR_VSIP, MIP_STIP
        csrw CSR_HVIP, zero
        csrw CSR_HIE, zero
        csrw CSR_HIDELEG, zero

        /* htval, htinst, mtval2, mtinst hold zero. */
        TEST_CASE(19)
        .irp csr, CSR_HTVAL, CSR_HTINST, CSR_MTVAL2, CSR_MTINST
        csrw \csr, zero
        check_csr \csr, 0
        .endr

        /* hgatp: Sv39x4 and Sv48x4 are accepted; VMID's implemented bits are its
           least-significant ones. (PPN[1:0] and bits 59:58 reading zero: hyp-strict.S.) */
        TEST_CASE(20)
        li t0, HGATP_MODE_SV39X4 | 0x0fffffffffffffff
        csrw CSR_HGATP, t0
        csrr t1, CSR_HGATP
        CHECK_FIELD(t1, HGATP_MODE_MASK, HGATP_MODE_SV39X4)
        li t2, HGATP_VMID_MASK
        and t2, t1, t2
        srli t2, t2, HGATP_VMID_SHIFT    /* VMID = 2^VMIDLEN - 1 */
        addi t3, t2, 1
        and t3, t3, t2
        bnez t3, fail
        TEST_CASE(21)
        li t0, HGATP_MODE_SV48X4 | (PT_BASE >> 12)
        csrw CSR_HGATP, t0
        check_csr CSR_HGATP, HGATP_MODE_SV48X4 | (PT_BASE >> 12)
        li t0, HGATP_MODE_SV39X4 | (1 << HGATP_VMID_SHIFT) | (PT_BASE >> 12)
        csrw CSR_HGATP, t0
        csrr t1, CSR_HGATP
        CHECK_FIELD(t1, HGATP_MODE_MASK | HGATP_PPN_MASK, HGATP_MODE_SV39X4 | (PT_BASE >> 12))
        /* A reserved MODE is not ignored as for satp: the fields are WARL, so MODE reads some
           legal value (Bare, Sv39x4, Sv48x4, Sv57x4), never the reserved one. */
        TEST_CASE(22)
        li t0, (1 << 60)
        csrw CSR_HGATP, t0
        csrr t1, CSR_HGATP
        srli t1, t1, 60
        beqz t1, 1f
        li t2, 8
        bltu t1, t2, fail
        li t2, 10
        bgtu t1, t2, fail
1:      csrw CSR_HGATP, zero
        check_csr CSR_HGATP, 0
        /* With mstatus.TVM = 1, hgatp is illegal in HS-mode (and allowed in M-mode). */
        TEST_CASE(23)
        li t0, MSTATUS_TVM
        csrs mstatus, t0
        check_csr CSR_HGATP, 0
        vtrap_in 0, PRV_S, CAUSE_ILLEGAL, any, csrr a0, CSR_HGATP
        TEST_CASE(24)
        vtrap_in 0, PRV_S, CAUSE_ILLEGAL, any, csrw CSR_HGATP, zero
        TEST_CASE(25)                   /* vsatp is not affected by TVM */
        vrun_in 0, PRV_S
        csrr a0, CSR_VSATP
        csrw CSR_VSATP, zero
        vrun_end 0, PRV_S
        li t0, MSTATUS_TVM
        csrc mstatus, t0

        /* hcounteren is a 32-bit register: bits 63:32 read zero. */
        TEST_CASE(26)
        li t0, -1
        csrw CSR_HCOUNTEREN, t0
        csrr t1, CSR_HCOUNTEREN
        srli t1, t1, 32
        CHECK_EQ(t1, 0)
        csrw CSR_HCOUNTEREN, zero
        check_csr CSR_HCOUNTEREN, 0

        /* henvcfg.STCE and ADUE are read-only zero while menvcfg's are zero; with menvcfg.STCE
           set (Sstc), henvcfg.STCE is writable. */
        TEST_CASE(27)
        li t0, MENVCFG_STCE | MENVCFG_ADUE
        csrc menvcfg, t0
        li t0, HENVCFG_STCE | HENVCFG_ADUE
        csrw CSR_HENVCFG, t0
        csrr t1, CSR_HENVCFG
        CHECK_FIELD(t1, HENVCFG_STCE | HENVCFG_ADUE, 0)
        li t0, MENVCFG_STCE
        csrs menvcfg, t0
        li t0, HENVCFG_STCE
        csrw CSR_HENVCFG, t0
        csrr t1, CSR_HENVCFG
        CHECK_FIELD(t1, HENVCFG_STCE, HENVCFG_STCE)
        csrw CSR_HENVCFG, zero
        /* henvcfg.PBMTE is read-only zero while menvcfg.PBMTE is zero. */
        TEST_CASE(28)
        li t0, MENVCFG_PBMTE
        csrc menvcfg, t0
        csrw CSR_HENVCFG, t0
        csrr t1, CSR_HENVCFG
        CHECK_FIELD(t1, MENVCFG_PBMTE, 0)
        csrw CSR_HENVCFG, zero

        /* VS CSRs read and write as themselves from M (and HS): vsscratch, vstval any value;
           vsepc an even address; vscause any legal cause; vstvec mode Direct; vsstatus's SIE,
           SPIE, SPP, SUM, MXR are read/write (WPRI bits reading zero: hyp-strict.S). */
        TEST_CASE(29)
        li t0, 0x0123456789abcdef
        csrw CSR_VSSCRATCH, t0
        check_csr CSR_VSSCRATCH, 0x0123456789abcdef
        csrw CSR_VSTVAL, t0
        check_csr CSR_VSTVAL, 0x0123456789abcdef
        li t0, 0x80001236               /* (bit 0 reading zero: hyp-strict.S) */
        csrw CSR_VSEPC, t0
        check_csr CSR_VSEPC, 0x80001236
        li t0, CAUSE_VIRTUAL_INSN
        csrw CSR_VSCAUSE, t0
        check_csr CSR_VSCAUSE, CAUSE_VIRTUAL_INSN
        li t0, CAUSE_INTR | IRQ_SEI
        csrw CSR_VSCAUSE, t0
        check_csr CSR_VSCAUSE, CAUSE_INTR | IRQ_SEI
        li t0, 0x80002000
        csrw CSR_VSTVEC, t0
        check_csr CSR_VSTVEC, 0x80002000
        TEST_CASE(30)
        li t0, MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP | MSTATUS_SUM | MSTATUS_MXR
        csrw CSR_VSSTATUS, t0
        csrr t1, CSR_VSSTATUS
        CHECK_FIELD(t1, MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP | MSTATUS_SUM | MSTATUS_MXR, \
                MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP | MSTATUS_SUM | MSTATUS_MXR)
        csrw CSR_VSSTATUS, zero
        csrr t1, CSR_VSSTATUS
        CHECK_FIELD(t1, MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP | MSTATUS_SUM | MSTATUS_MXR, 0)
        /* vsstatus.UXL: a legal XLEN (never 0 or 3). */
        srli t1, t1, 32
        andi t1, t1, 3
        beqz t1, fail
        li t2, 3
        beq t1, t2, fail

        /* vsatp: Sv39 is accepted with a full ASID and PPN. */
        TEST_CASE(31)
        li t0, SATP_MODE_SV39 | (1 << 44) | (PT_PAGE(0) >> 12)
        csrw CSR_VSATP, t0
        check_csr CSR_VSATP, SATP_MODE_SV39 | (1 << 44) | (PT_PAGE(0) >> 12)
        csrw CSR_VSATP, zero

        /* V=1: the supervisor CSRs reach the VS CSRs; the HS-level ones keep their values. */
        TEST_CASE(32)
        vm_std_layout
        la t0, vs_ecall
        csrw CSR_VSTVEC, t0
        li t0, 0x5555
        csrw sscratch, t0
        li t0, 0x80000000
        csrw sepc, t0
        li t0, 7
        csrw scause, t0
        li t0, 0x6666
        csrw stval, t0
        csrw CSR_VSSTATUS, zero
        li t0, MSTATUS_SUM
        csrw CSR_VSSTATUS, t0
        li t0, MSTATUS_SUM | MSTATUS_MXR
        csrc mstatus, t0
        vrun_in 1, PRV_S
        csrr a0, sstatus                /* vsstatus: SUM = 1 */
        li t0, MSTATUS_MXR
        csrs sstatus, t0                /* vsstatus.MXR */
        li t0, 0x1111
        csrw sscratch, t0
        li t0, 0x80003000
        csrw sepc, t0
        li t0, 13
        csrw scause, t0
        li t0, 0x2222
        csrw stval, t0
        csrr a1, stvec                  /* vstvec */
        li t0, SATP_MODE_SV39 | (PT_PAGE(0) >> 12)
        csrw satp, t0                   /* vsatp: the identity mapping of the program */
        sfence.vma
        csrr a2, satp
        vrun_end 1, PRV_S
        CHECK_FIELD(a0, MSTATUS_SUM, MSTATUS_SUM)
        CHECK_LABEL(a1, vs_ecall)
        CHECK_EQ(a2, SATP_MODE_SV39 | (PT_PAGE(0) >> 12))
        csrr t1, CSR_VSSTATUS
        CHECK_FIELD(t1, MSTATUS_MXR | MSTATUS_SUM, MSTATUS_MXR | MSTATUS_SUM)
        csrr t1, mstatus
        CHECK_FIELD(t1, MSTATUS_MXR | MSTATUS_SUM, 0)
        check_csr CSR_VSSCRATCH, 0x1111
        check_csr CSR_VSEPC, 0x80003000
        check_csr CSR_VSCAUSE, 13
        check_csr CSR_VSTVAL, 0x2222
        check_csr CSR_VSATP, SATP_MODE_SV39 | (PT_PAGE(0) >> 12)
        check_csr sscratch, 0x5555
        check_csr sepc, 0x80000000
        check_csr scause, 7
        check_csr stval, 0x6666
        check_csr satp, 0
        /* In VS-mode, a write to satp with an unsupported MODE is ignored (vsatp unchanged). */
        TEST_CASE(33)
        vrun_in 1, PRV_S
        li t0, (5 << 60) | 0x1234
        csrw satp, t0
        vrun_end 1, PRV_S
        check_csr CSR_VSATP, SATP_MODE_SV39 | (PT_PAGE(0) >> 12)
        csrw CSR_VSATP, zero

        /* V=1: sie/sip are vsie/vsip (through hideleg); senvcfg and scounteren have no VS copy
           and stay the HS-level registers. */
        TEST_CASE(34)
        li t0, MIP_VS_ALL
        csrw CSR_HIDELEG, t0
        csrw CSR_HIE, zero
        csrw sie, zero
        li t0, CNT_IR                   /* a3, a4: what scounteren and senvcfg can hold */
        csrw scounteren, t0
        csrr a3, scounteren
        li t0, MENVCFG_FIOM
        csrw CSR_SENVCFG, t0
        csrr a4, CSR_SENVCFG
        csrw scounteren, zero
        csrw CSR_SENVCFG, zero
        vrun_in 1, PRV_S
        li t0, MIP_SEIP | MIP_SSIP
        csrw sie, t0
        li t0, MIP_SSIP
        csrw sip, t0
        li t0, CNT_IR
        csrw scounteren, t0
        li t0, MENVCFG_FIOM
        csrw CSR_SENVCFG, t0
        vrun_end 1, PRV_S
        csrr t1, CSR_HIE
        CHECK_FIELD(t1, MIP_VS_ALL, MIP_VSEIP | MIP_VSSIP)
        csrr t1, sie
        CHECK_FIELD(t1, 0xffff, 0)
        csrr t1, CSR_HVIP
        CHECK_FIELD(t1, MIP_VS_ALL, MIP_VSSIP)
        csrr t1, scounteren
        bne t1, a3, fail
        csrr t1, CSR_SENVCFG
        bne t1, a4, fail
        csrw CSR_HVIP, zero
        csrw CSR_HIE, zero
        csrw CSR_HIDELEG, zero
        csrw scounteren, zero
        csrw CSR_SENVCFG, zero

        /* mtval2 and mtinst are written zero by a trap into M that is not a guest-page fault
           (an illegal instruction from HS-mode). */
        TEST_CASE(35)
        li t0, 0x1000
        csrw CSR_MTVAL2, t0
        csrw CSR_MTINST, t0
        csrr t1, CSR_MTVAL2
        beqz t1, 1f                      /* WARL: may not hold 0x1000; then nothing to see */
        vtrap_in 0, PRV_S, CAUSE_ILLEGAL, any, csrr a0, mstatus
        check_csr CSR_MTVAL2, 0
        check_csr CSR_MTINST, 0          /* no transformation is defined for this trap */
1:      li t0, 0x1000
        csrw CSR_HTVAL, t0
        csrr t1, CSR_HTVAL
        beqz t1, 1f
        /* htval is written zero by a trap into HS that is not a guest-page fault. */
        TEST_CASE(36)
        li t0, 1 << CAUSE_ILLEGAL
        csrw medeleg, t0
        expect_trap 2f
        venter 0, PRV_U, 3f
3:      csrr a0, sstatus
        j fail
2:      check_hs_trap CAUSE_ILLEGAL, 3b
        check_csr CSR_HTVAL, 0
        check_csr CSR_HTINST, 0          /* no transformation is defined for this trap */
        csrw medeleg, zero
1:
        j pass

        priv_handlers
        hyp_handlers
TEST_END
