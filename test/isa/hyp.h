/* Helpers for the hypervisor-extension test programs (test/isa/hyp-*.S), written from the RISC-V
   privileged specification's "Hypervisor Extension" chapter (1.12 and later). Include after
   test.h and priv.h.

   gcc 12's driver refuses `h` in -march (binutils 2.40 alone would take `.option arch, +h`), so
   the H instructions are `.insn` macros and the CSRs numbers (CSR_*), which any assembler takes.

   Conventions on top of priv.h's:
     hyp_init   priv_init, then every hypervisor CSR quiet: V=0 entries, no delegation, Bare
                G-stage and VS-stage, mtvec = mtrap_record, stvec = hs_ecall, vstvec = vs_ecall.
     hs_ecall / vs_ecall  HS-mode and VS-mode trap vectors that only execute ECALL, so that a trap
                taken into HS or VS reaches M-mode (mtrap_record) with mcause 9 / 10 and
                mepc = hs_ecall / vs_ecall, leaving scause, sepc, stval, hstatus, htval, htinst
                (or vscause, vsepc, vstval, vsstatus) as the trap wrote them, for M to check.
   `enter` from priv.h keeps mstatus.MPV: after a trap from V=1 it would return to V=1. Programs
   here use `venter`, which sets MPV explicitly.
*/
#ifndef TSVIRT_HYP_H
#define TSVIRT_HYP_H

/* Hypervisor and virtual-supervisor CSR numbers. */
#define CSR_HSTATUS 0x600
#define CSR_HEDELEG 0x602
#define CSR_HIDELEG 0x603
#define CSR_HIE 0x604
#define CSR_HTIMEDELTA 0x605
#define CSR_HCOUNTEREN 0x606
#define CSR_HGEIE 0x607
#define CSR_HENVCFG 0x60a
#define CSR_HTVAL 0x643
#define CSR_HIP 0x644
#define CSR_HVIP 0x645
#define CSR_HTINST 0x64a
#define CSR_HGATP 0x680
#define CSR_HGEIP 0xe12
#define CSR_VSSTATUS 0x200
#define CSR_VSIE 0x204
#define CSR_VSTVEC 0x205
#define CSR_VSSCRATCH 0x240
#define CSR_VSEPC 0x241
#define CSR_VSCAUSE 0x242
#define CSR_VSTVAL 0x243
#define CSR_VSIP 0x244
#define CSR_VSTIMECMP 0x24d
#define CSR_VSATP 0x280
#define CSR_MTINST 0x34a
#define CSR_MTVAL2 0x34b
#define CSR_STIMECMP 0x14d
#define CSR_SENVCFG 0x10a

/* hstatus fields (HSXLEN = 64). */
#define HSTATUS_VSBE 0x20
#define HSTATUS_GVA 0x40
#define HSTATUS_SPV 0x80
#define HSTATUS_SPVP 0x100
#define HSTATUS_HU 0x200
#define HSTATUS_VGEIN 0x3f000
#define HSTATUS_VTVM 0x100000
#define HSTATUS_VTW 0x200000
#define HSTATUS_VTSR 0x400000
#define HSTATUS_VSXL 0x300000000
#define HSTATUS_VSXL_64 0x200000000
#define HSTATUS_HUPMM 0x3000000000000

/* mstatus fields the extension adds (MXLEN = 64). */
#define MSTATUS_GVA 0x4000000000
#define MSTATUS_MPV 0x8000000000
/* sstatus fields of extensions that QEMU's max CPU may have (Ssdbltrp SDT, Zicfilp SPELP). */
#define MSTATUS_SPELP 0x800000
#define MSTATUS_SDT 0x1000000

/* hgatp (HSXLEN = 64). */
#define HGATP_MODE_BARE 0
#define HGATP_MODE_SV39X4 0x8000000000000000
#define HGATP_MODE_SV48X4 0x9000000000000000
#define HGATP_MODE_MASK 0xf000000000000000
#define HGATP_VMID_SHIFT 44
#define HGATP_VMID_MASK 0x03fff00000000000
#define HGATP_PPN_MASK 0x00000fffffffffff

/* henvcfg fields. */
#define HENVCFG_FIOM 0x1
#define HENVCFG_CBIE 0x30
#define HENVCFG_CBCFE 0x40
#define HENVCFG_CBZE 0x80
#define HENVCFG_ADUE 0x2000000000000000
#define HENVCFG_STCE 0x8000000000000000

/* Exception codes the extension adds. */
#define CAUSE_ECALL_VS 10
#define CAUSE_FETCH_GUEST_PAGE 20
#define CAUSE_LOAD_GUEST_PAGE 21
#define CAUSE_VIRTUAL_INSN 22
#define CAUSE_STORE_GUEST_PAGE 23

/* Interrupts the extension adds. */
#define IRQ_VSSI 2
#define IRQ_VSTI 6
#define IRQ_VSEI 10
#define IRQ_SGEI 12
#define MIP_VSSIP (1 << IRQ_VSSI)
#define MIP_VSTIP (1 << IRQ_VSTI)
#define MIP_VSEIP (1 << IRQ_VSEI)
#define MIP_SGEIP (1 << IRQ_SGEI)
#define MIP_VS_ALL (MIP_VSSIP | MIP_VSTIP | MIP_VSEIP)

/* Counter-enable bits. */
#define CNT_CY 1
#define CNT_TM 2
#define CNT_IR 4

/* Special pseudoinstructions for mtinst/htinst (implicit VS-stage accesses, VSXLEN = 64). */
#define TINST_PT_READ 0x3000
#define TINST_PT_WRITE 0x3020

/* Virtual-machine load/store and fence instructions (SYSTEM, funct3 PRIVM = 4 or 0). */
.macro hlv_b rd, rs1
        .insn r 0x73, 4, 0x30, \rd, \rs1, x0
.endm
.macro hlv_bu rd, rs1
        .insn r 0x73, 4, 0x30, \rd, \rs1, x1
.endm
.macro hlv_h rd, rs1
        .insn r 0x73, 4, 0x32, \rd, \rs1, x0
.endm
.macro hlv_hu rd, rs1
        .insn r 0x73, 4, 0x32, \rd, \rs1, x1
.endm
.macro hlvx_hu rd, rs1
        .insn r 0x73, 4, 0x32, \rd, \rs1, x3
.endm
.macro hlv_w rd, rs1
        .insn r 0x73, 4, 0x34, \rd, \rs1, x0
.endm
.macro hlv_wu rd, rs1
        .insn r 0x73, 4, 0x34, \rd, \rs1, x1
.endm
.macro hlvx_wu rd, rs1
        .insn r 0x73, 4, 0x34, \rd, \rs1, x3
.endm
.macro hlv_d rd, rs1
        .insn r 0x73, 4, 0x36, \rd, \rs1, x0
.endm
.macro hsv_b rs2, rs1
        .insn r 0x73, 4, 0x31, x0, \rs1, \rs2
.endm
.macro hsv_h rs2, rs1
        .insn r 0x73, 4, 0x33, x0, \rs1, \rs2
.endm
.macro hsv_w rs2, rs1
        .insn r 0x73, 4, 0x35, x0, \rs1, \rs2
.endm
.macro hsv_d rs2, rs1
        .insn r 0x73, 4, 0x37, x0, \rs1, \rs2
.endm
.macro hfence_vvma rs1=x0, rs2=x0
        .insn r 0x73, 0, 0x11, x0, \rs1, \rs2
.endm
.macro hfence_gvma rs1=x0, rs2=x0
        .insn r 0x73, 0, 0x31, x0, \rs1, \rs2
.endm

/* Instruction encodings, for comparing with mtinst/htinst/mtval. */
#define ENC_R(f7, rs2, rs1, f3, rd, op) \
        (((f7) << 25) | ((rs2) << 20) | ((rs1) << 15) | ((f3) << 12) | ((rd) << 7) | (op))

/* ---------------------------------------------------------------------------------------------- */

/* mstatus.MPV = v (0 or 1). */
.macro set_mpv v
        li t0, MSTATUS_MPV
        .if \v
        csrs mstatus, t0
        .else
        csrc mstatus, t0
        .endif
.endm

/* From M-mode: MRET to `target` + offset in virtualization mode v and nominal privilege prv. */
.macro venter v, prv, target, offset=0
        set_mpv \v
        enter \prv, \target, \offset
.endm

/* Like priv.h's trap_in, in mode (v, prv): run one instruction and check it trapped to M with
   cause, mtval `tval` (`any`: unchecked), mepc at the instruction, MPP = prv and MPV = v. */
.macro vtrap_in v, prv, cause, tval, insn:vararg
        expect_trap 1002f
        venter \v, \prv, 1001f
1001:   \insn
        j fail
1002:   CHECK_EQ(s2, \cause)
        CHECK_LABEL(s3, 1001b)
        .ifnc \tval, any
        CHECK_EQ(s4, \tval)
        .endif
        CHECK_FIELD(s5, MSTATUS_MPP | MSTATUS_MPV, ((\prv) << 11) | ((\v) << 39))
.endm

/* Like priv.h's run_in/run_end, in mode (v, prv); the closing ECALL must be the first trap:
   cause 8 (U, VU), 9 (HS), 10 (VS) or 11 (M), with MPV = v. */
.macro vrun_in v, prv, offset=0
        expect_trap 1002f
        venter \v, \prv, 1001f, \offset
1001:
.endm
.macro vrun_end v, prv, offset=0
1003:   ecall
        j fail
1002:   .if (\prv) == PRV_U
        CHECK_EQ(s2, CAUSE_ECALL_U)
        .elseif (\prv) == PRV_M
        CHECK_EQ(s2, CAUSE_ECALL_M)
        .elseif \v
        CHECK_EQ(s2, CAUSE_ECALL_VS)
        .else
        CHECK_EQ(s2, CAUSE_ECALL_S)
        .endif
        check_label_off s3, 1003b, \offset
        CHECK_FIELD(s5, MSTATUS_MPV, (\v) << 39)
.endm

/* After a trap expected in HS-mode (or VS-mode): M-mode was entered from hs_ecall (vs_ecall).
   Then check scause/sepc (vscause/vsepc) against cause and the label `at` (+ offset). */
.macro check_hs_trap cause, at, offset=0
        CHECK_EQ(s2, CAUSE_ECALL_S)
        CHECK_LABEL(s3, hs_ecall)
        CHECK_FIELD(s5, MSTATUS_MPV, 0)
        csrr t1, scause
        CHECK_EQ(t1, \cause)
        csrr t1, sepc
        check_label_off t1, \at, \offset
.endm
.macro check_vs_trap cause, at, offset=0
        CHECK_EQ(s2, CAUSE_ECALL_VS)
        CHECK_LABEL(s3, vs_ecall)
        CHECK_FIELD(s5, MSTATUS_MPV, MSTATUS_MPV)
        csrr t1, CSR_VSCAUSE
        CHECK_EQ(t1, \cause)
        csrr t1, CSR_VSEPC
        check_label_off t1, \at, \offset
.endm

/* mtval2/htval (CSR number) after a guest-page fault: zero or gpa >> 2 (either is allowed). */
.macro check_gpa csr, gpa
        csrr t1, \csr
        beqz t1, 1101f
        CHECK_EQ(t1, (\gpa) >> 2)
1101:
.endm

/* Check a CSR (number) against a value: clobbers t1, t6. */
.macro check_csr csr, val
        csrr t1, \csr
        CHECK_EQ(t1, \val)
.endm

/* Start of a hypervisor test: priv_init, then V=0 returns, no H delegation, both translation
   stages Bare, no virtual interrupts, no hypervisor trap vectors but the ECALL stubs. */
/* A failure during this set-up reports case 900 (TESTNUM 0 would report a pass). */
.macro hyp_init
        li TESTNUM, 900
        priv_init
        mtimecmp_set_max
        set_mtvec mtrap_record
        set_mpv 0
        li t0, MSTATUS_GVA | MSTATUS_TVM | MSTATUS_TW | MSTATUS_TSR | MSTATUS_MPRV
        csrc mstatus, t0
        csrw CSR_HSTATUS, zero
        li t0, HSTATUS_VSXL_64
        csrs CSR_HSTATUS, t0
        csrw CSR_HEDELEG, zero
        csrw CSR_HIDELEG, zero
        csrw CSR_HVIP, zero
        csrw CSR_HIE, zero
        csrw CSR_HGATP, zero
        csrw CSR_VSATP, zero
        csrw CSR_HCOUNTEREN, zero
        csrw CSR_HENVCFG, zero
        csrw CSR_VSSTATUS, zero
        csrw CSR_VSIE, zero
        csrw scounteren, zero
        la t0, hs_ecall
        csrw stvec, t0
        la t0, vs_ecall
        csrw CSR_VSTVEC, t0
        hfence_gvma
        hfence_vvma
.endm

/* The trap stubs (emit once, next to priv_handlers). */
.macro hyp_handlers
        .balign 4
hs_ecall:
        ecall
        j fail
        .balign 4
vs_ecall:
        ecall
        j fail
.endm

#endif
