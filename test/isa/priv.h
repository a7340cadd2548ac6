/* Shared helpers for the privileged conformance tests (test/isa/priv-*.S).
   Written from the RISC-V Privileged Architecture specification (20211203).

   Include after test.h. Conventions used by every priv-*.S program:

   Trap recording registers (set by the handlers below, reset by `expect_trap`):
     s2..s5  M-mode handler: mcause, mepc, mtval, mstatus at trap entry
     s6..s9  S-mode handler: scause, sepc, stval, sstatus at trap entry
     s1      number of traps taken by the *_skip handlers
     s11     M-mode resume address used by mtrap_record (an M-mode, physical address)
     s10     S-mode resume address used by strap_record (an S-mode virtual address)
   Both resume addresses are one-shot: the handler resets them to `fail`, so a trap that no case
   expects fails the current case instead of resuming at a stale address.

   Handlers (emit them once per program with `priv_handlers`):
     mtrap_record  record s2..s5, then continue in M-mode at s11 (mstatus keeps the trap's MPP/MPIE)
     mtrap_skip    record s2..s5, s1 += 1, mepc += 4, mret (back to the trapping mode)
     strap_record  record s6..s9, then continue in S-mode at s10
     strap_skip    record s6..s9, s1 += 1, sepc += 4, sret
   The skip handlers assume a 4-byte trapping instruction: keep such code under `.option norvc`.

   Code that runs in U-mode through the alias of the standard VM layout must use pc-relative
   addresses only (`lla`, not `la`, which may load a link-time address from the GOT).

   Fixed physical scratch memory (RAM is at least 128 MiB at 0x80000000; a program image must stay
   below PT_BASE):
     PT_BASE   0x80100000  page-table pages, PT_PAGE(n) = PT_BASE + n * 4 KiB
     DATA_BASE 0x80200000  2 MiB-aligned data area (4 KiB pages DATA_PAGE(n))
     MEGA_BASE 0x80400000  2 MiB-aligned area for megapage mappings
*/
#ifndef TSVIRT_PRIV_H
#define TSVIRT_PRIV_H

/* Privilege levels. */
#define PRV_U 0
#define PRV_S 1
#define PRV_M 3

/* mstatus / sstatus fields. */
#define MSTATUS_SIE 0x2
#define MSTATUS_MIE 0x8
#define MSTATUS_SPIE 0x20
#define MSTATUS_UBE 0x40
#define MSTATUS_MPIE 0x80
#define MSTATUS_SPP 0x100
#define MSTATUS_VS 0x600
#define MSTATUS_MPP 0x1800
#define MSTATUS_MPP_S 0x800
#define MSTATUS_MPP_M 0x1800
#define MSTATUS_FS 0x6000
#define MSTATUS_FS_INITIAL 0x2000
#define MSTATUS_FS_CLEAN 0x4000
#define MSTATUS_FS_DIRTY 0x6000
#define MSTATUS_XS 0x18000
#define MSTATUS_MPRV 0x20000
#define MSTATUS_SUM 0x40000
#define MSTATUS_MXR 0x80000
#define MSTATUS_TVM 0x100000
#define MSTATUS_TW 0x200000
#define MSTATUS_TSR 0x400000
#define MSTATUS_UXL 0x300000000
#define MSTATUS_SXL 0xc00000000
#define MSTATUS_SBE 0x1000000000
#define MSTATUS_MBE 0x2000000000
#define MSTATUS_SD 0x8000000000000000
/* Fields visible through sstatus (RV64, no hypervisor). */
#define SSTATUS_MASK 0x80000003000de762

/* Exception codes (mcause/scause with the interrupt bit clear). */
#define CAUSE_FETCH_MISALIGNED 0
#define CAUSE_FETCH_ACCESS 1
#define CAUSE_ILLEGAL 2
#define CAUSE_BREAKPOINT 3
#define CAUSE_LOAD_MISALIGNED 4
#define CAUSE_LOAD_ACCESS 5
#define CAUSE_STORE_MISALIGNED 6
#define CAUSE_STORE_ACCESS 7
#define CAUSE_ECALL_U 8
#define CAUSE_ECALL_S 9
#define CAUSE_ECALL_M 11
#define CAUSE_FETCH_PAGE 12
#define CAUSE_LOAD_PAGE 13
#define CAUSE_STORE_PAGE 15

/* Interrupts: code n is reported as mcause = CAUSE_INTR | n; mip/mie bit n. */
#define CAUSE_INTR 0x8000000000000000
#define IRQ_SSI 1
#define IRQ_MSI 3
#define IRQ_STI 5
#define IRQ_MTI 7
#define IRQ_SEI 9
#define IRQ_MEI 11
#define MIP_SSIP (1 << IRQ_SSI)
#define MIP_MSIP (1 << IRQ_MSI)
#define MIP_STIP (1 << IRQ_STI)
#define MIP_MTIP (1 << IRQ_MTI)
#define MIP_SEIP (1 << IRQ_SEI)
#define MIP_MEIP (1 << IRQ_MEI)

/* CLINT (spike board). */
#define CLINT_BASE 0x2000000
#define CLINT_MSIP 0x2000000
#define CLINT_MTIMECMP 0x2004000
#define CLINT_MTIME 0x200bff8

/* menvcfg / senvcfg. */
#define MENVCFG_FIOM 0x1
#define MENVCFG_CBIE 0x30
#define MENVCFG_CBCFE 0x40
#define MENVCFG_CBZE 0x80
#define MENVCFG_PBMTE 0x4000000000000000
#define MENVCFG_ADUE 0x2000000000000000
#define MENVCFG_STCE 0x8000000000000000

/* satp. */
#define SATP_MODE_BARE 0
#define SATP_MODE_SV39 0x8000000000000000
#define SATP_MODE_SV48 0x9000000000000000

/* Page-table entry bits. */
#define PTE_V 0x1
#define PTE_R 0x2
#define PTE_W 0x4
#define PTE_X 0x8
#define PTE_U 0x10
#define PTE_G 0x20
#define PTE_A 0x40
#define PTE_D 0x80
#define PTE_RWX (PTE_R | PTE_W | PTE_X)
/* A leaf that neither faults nor needs a hardware A/D update. */
#define PTE_LEAF_RWX (PTE_V | PTE_RWX | PTE_A | PTE_D)

/* PMP (3.7): pmpcfg fields, CSR numbers, and pmpaddr encodings. */
#define PMP_R 0x01
#define PMP_W 0x02
#define PMP_X 0x04
#define PMP_RWX 0x07
#define PMP_OFF 0x00
#define PMP_TOR 0x08
#define PMP_NA4 0x10
#define PMP_NAPOT 0x18
#define PMP_L 0x80
#define CSR_PMPCFG0 0x3a0
#define CSR_PMPADDR0 0x3b0
/* pmpaddr of a naturally aligned power-of-two region of `size` (>= 8) bytes at `base`. */
#define PMP_NAPOT_ADDR(base, size) (((base) + (size) / 2 - 1) >> 2)
/* pmpaddr of a TOR bound or an NA4 region at byte address `a`. */
#define PMP_ADDR(a) ((a) >> 2)

/* Scratch memory. */
#define PT_BASE 0x80100000
#define PT_PAGE(n) (PT_BASE + (n) * 0x1000)
#define DATA_BASE 0x80200000
#define DATA_PAGE(n) (DATA_BASE + (n) * 0x1000)
#define MEGA_BASE 0x80400000

/* Virtual address of the U-mode alias of the program: the standard Sv39/Sv48 layout built by
   `vm_std_layout` maps VA 0x40000000.. to PA 0x80000000.. with U=1 (a 1 GiB page), while
   VA 0x80000000.. maps identically with U=0 for S-mode. */
#define U_ALIAS_OFFSET (0x40000000 - 0x80000000)

/* Compare a register with the address of a label (CHECK_ULABEL: its U-mode alias address). */
#define CHECK_LABEL(reg, label) la t6, label; bne reg, t6, fail
#define CHECK_ULABEL(reg, label) \
        la t6, label; li t5, U_ALIAS_OFFSET; add t6, t6, t5; bne reg, t6, fail
/* Compare (reg & mask) with an expected value. */
#define CHECK_FIELD(reg, mask, val) li t5, mask; and t5, reg, t5; li t6, val; bne t5, t6, fail

/* ---------------------------------------------------------------------------------------------- */
/* Assembler macros. They clobber t0..t2 (and t6 for checks) unless said otherwise.               */

/* Reset the trap-recording registers and set the M-mode resume address. */
.macro expect_trap resume
        la s11, \resume
        li s2, -1
        li s3, -1
        li s4, -1
        li s5, -1
        li s6, -1
        li s7, -1
        li s8, -1
        li s9, -1
        li s1, 0
.endm

/* mstatus.MPP = prv. */
.macro set_mpp prv
        li t0, MSTATUS_MPP
        csrc mstatus, t0
        li t0, ((\prv) << 11)
        csrs mstatus, t0
.endm

/* From M-mode: mret to `target` (a label) in privilege mode `prv`, adding `offset` to the address
   (use U_ALIAS_OFFSET to run code through the U-mode alias of the standard VM layout). */
.macro enter prv, target, offset=0
        set_mpp \prv
        la t0, \target
        li t1, \offset
        add t0, t0, t1
        csrw mepc, t0
        mret
.endm

/* Install the M-mode trap vector (a label). */
.macro set_mtvec handler
        la t0, \handler
        csrw mtvec, t0
.endm

/* Install the S-mode trap vector (a label; an identity-mapped address). */
.macro set_stvec handler
        la t0, \handler
        csrw stvec, t0
.endm

/* Give S- and U-mode access to the whole physical address space through PMP entry 0 (NAPOT over
   all addresses, RWX); entries 1..15 off. Needed on any implementation with PMP before dropping
   below M-mode. */
.macro pmp_open_all
        li t0, -1
        csrw pmpaddr0, t0
        li t0, 0x1f
        csrw pmpcfg0, t0
        csrw pmpcfg2, zero
.endm

/* PMP entry n (0..15, a constant): pmpaddr = addr, config byte = cfg (constants); then
   SFENCE.VMA x0, x0, which 3.7.2 requires after PMP CSR writes on a hart with virtual memory.
   pmp_cfg writes the config byte only; pmp_cfg_get reads it into rd. */
.macro pmp_entry n, addr, cfg
        li t0, \addr
        csrw CSR_PMPADDR0 + \n, t0
        pmp_cfg \n, \cfg
.endm
.macro pmp_cfg n, cfg
        li t0, 0xff << ((\n % 8) * 8)
        csrc CSR_PMPCFG0 + (\n / 8) * 2, t0
        li t0, (\cfg) << ((\n % 8) * 8)
        csrs CSR_PMPCFG0 + (\n / 8) * 2, t0
        sfence.vma zero, zero
.endm
.macro pmp_cfg_get rd, n
        csrr \rd, CSR_PMPCFG0 + (\n / 8) * 2
        srli \rd, \rd, (\n % 8) * 8
        andi \rd, \rd, 0xff
.endm

/* Common start of a privileged test: PMP open for S/U, no delegation, bare translation, no
   interrupt enables. */
.macro priv_init
        la s11, fail
        la s10, fail
        pmp_open_all
        csrw medeleg, zero
        csrw mideleg, zero
        csrw mie, zero
        csrw satp, zero
        csrw mcounteren, zero
        li t0, MENVCFG_STCE     /* mip.STIP writable by M (no Sstc comparison) */
        csrc menvcfg, t0
.endm

/* Zero the 4 KiB page at physical address `addr` (a constant). */
.macro page_zero addr
        li t0, \addr
        li t1, 512
1001:   sd zero, 0(t0)
        addi t0, t0, 8
        addi t1, t1, -1
        bnez t1, 1001b
.endm

/* Store a PTE: table (constant PA) entry `index` = PPN(target constant PA) | flags. */
.macro pte_set table, index, target, flags
        li t0, ((\target) >> 12) << 10
        ori t0, t0, (\flags)
        li t1, (\table) + (\index) * 8
        sd t0, 0(t1)
.endm

/* Store a non-leaf PTE pointing at the next-level table `next` (constant PA). */
.macro pte_ptr table, index, next
        pte_set \table, \index, \next, PTE_V
.endm

/* Store a PTE whose target physical address is in register `reg` (not t0/t1). */
.macro pte_set_reg table, index, reg, flags
        srli t0, \reg, 12
        slli t0, t0, 10
        ori t0, t0, (\flags)
        li t1, (\table) + (\index) * 8
        sd t0, 0(t1)
.endm

/* Load the raw PTE at table/index into register `rd` (M-mode, physical). */
.macro pte_get rd, table, index
        li t0, (\table) + (\index) * 8
        ld \rd, 0(t0)
.endm

/* Write satp = mode | PPN(root) and flush the TLB. */
.macro satp_set mode, root
        li t0, (\mode) | ((\root) >> 12)
        csrw satp, t0
        sfence.vma zero, zero
.endm

/* Standard layout for VM tests (Sv39 root = PT_PAGE(0); for Sv48 call with sv48=1 and then the
   Sv48 root is PT_PAGE(3) whose entry 0 points at the Sv39-shaped PT_PAGE(0)):
     VA 0x80000000  1 GiB  -> PA 0x80000000, RWX, U=0  (S-mode code, data, page tables)
     VA 0x40000000  1 GiB  -> PA 0x80000000, RWX, U=1  (U-mode alias of the same memory)
     VA 0x00000000  via PT_PAGE(1) (level 1) and PT_PAGE(2) (level 0): empty, for test pages
   Level-1 entry 1 (VA 0x00200000) points at PT_PAGE(2), so VA 0x00200000 + n*4 KiB is PT_PAGE(2)
   entry n. */
.macro vm_std_layout sv48=0
        page_zero PT_PAGE(0)
        page_zero PT_PAGE(1)
        page_zero PT_PAGE(2)
        pte_set PT_PAGE(0), 2, 0x80000000, PTE_LEAF_RWX
        pte_set PT_PAGE(0), 1, 0x80000000, PTE_LEAF_RWX | PTE_U
        pte_ptr PT_PAGE(0), 0, PT_PAGE(1)
        pte_ptr PT_PAGE(1), 1, PT_PAGE(2)
        .if \sv48
        page_zero PT_PAGE(3)
        pte_ptr PT_PAGE(3), 0, PT_PAGE(0)
        .endif
.endm

/* Map VA 0x00200000 + n*4 KiB (PT_PAGE(2) entry n) to physical `pa` with `flags`. */
#define TEST_VA(n) (0x00200000 + (n) * 0x1000)
.macro map_test_page n, pa, flags
        pte_set PT_PAGE(2), \n, \pa, \flags
.endm

/* CLINT helpers (M-mode, physical). */
.macro mtimecmp_set_max
        li t0, CLINT_MTIMECMP
        li t1, -1
        sd t1, 0(t0)
.endm

/* Compare a register with the address of a label plus an offset (macro form). */
.macro check_label_off reg, label, offset=0
        la t6, \label
        li t5, \offset
        add t6, t6, t5
        bne \reg, t6, fail
.endm

/* mepc/mtval need not hold every invalid (non-canonical) address: the spec lets the hart write
   "some other invalid address" instead (3.1.14, 3.1.16). Accept `reg` == `exact`, or any address
   that is non-canonical for a `vabits`-bit virtual address space (39 for Sv39, 48 for Sv48). */
.macro check_bad_va reg, exact, vabits
        li t6, \exact
        beq \reg, t6, 1101f
        slli t6, \reg, 64 - \vabits
        srai t6, t6, 64 - \vabits
        beq t6, \reg, fail
1101:
.endm

/* Run one instruction in mode `prv` (from M-mode, bare or through the identity mapping) and check
   that it trapped to M with cause `cause`, mtval `tval` (`any`: not checked), mepc = its address
   and MPP = prv.
   utrap_in does the same in U-mode through the U alias of the standard VM layout. */
.macro trap_in prv, cause, tval, insn:vararg
        expect_trap 1002f
        enter \prv, 1001f
1001:   \insn
        j fail
1002:   CHECK_EQ(s2, \cause)
        CHECK_LABEL(s3, 1001b)
        .ifnc \tval, any
        CHECK_EQ(s4, \tval)
        .endif
        CHECK_FIELD(s5, MSTATUS_MPP, (\prv) << 11)
.endm
.macro utrap_in cause, tval, insn:vararg
        expect_trap 1002f
        enter PRV_U, 1001f, U_ALIAS_OFFSET
1001:   \insn
        j fail
1002:   CHECK_EQ(s2, \cause)
        check_label_off s3, 1001b, U_ALIAS_OFFSET
        .ifnc \tval, any
        CHECK_EQ(s4, \tval)
        .endif
        CHECK_FIELD(s5, MSTATUS_MPP, 0)
.endm

/* Run code in mode `prv` and check it did not trap: the ECALL placed by `run_end` must be the
   first trap (cause 8/9/11 by mode). Usage:  run_in PRV_S ... code ... run_end PRV_S
   (the code must not define the local labels 1001..1003). With offset = U_ALIAS_OFFSET the code
   runs through the U alias of the standard VM layout (pass the same offset to both). */
.macro run_in prv, offset=0
        expect_trap 1002f
        enter \prv, 1001f, \offset
1001:
.endm
.macro run_end prv, offset=0
1003:   ecall
        j fail
1002:   .if (\prv) == PRV_U
        CHECK_EQ(s2, CAUSE_ECALL_U)
        .elseif (\prv) == PRV_S
        CHECK_EQ(s2, CAUSE_ECALL_S)
        .else
        CHECK_EQ(s2, CAUSE_ECALL_M)
        .endif
        check_label_off s3, 1003b, \offset
.endm

/* Wait until (mip & mask) == val, failing the case if that takes more than `ticks` of mtime
   (default 5 s at 10 MHz). The bound is in time, not in loop iterations, so that it suits fast
   and slow harts alike. Clobbers t0..t2. */
.macro wait_mip mask, val, ticks=50000000
        li t0, CLINT_MTIME
        ld t2, 0(t0)
        li t0, \ticks
        add t2, t2, t0
1003:   csrr t0, mip
        li t1, \mask
        and t0, t0, t1
        li t1, \val
        beq t0, t1, 1004f
        li t0, CLINT_MTIME
        ld t0, 0(t0)
        bltu t0, t2, 1003b
        j fail
1004:
.endm

/* mtimecmp = mtime + delta (M-mode). */
.macro mtimecmp_now_plus delta
        li t0, CLINT_MTIME
        ld t1, 0(t0)
        li t0, \delta
        add t1, t1, t0
        li t0, CLINT_MTIMECMP
        sd t1, 0(t0)
.endm

/* The trap handlers. */
.macro priv_handlers
        .balign 4
mtrap_record:
        csrr s2, mcause
        csrr s3, mepc
        csrr s4, mtval
        csrr s5, mstatus
        mv t6, s11
        la s11, fail            /* one trap per expect_trap: a second one fails the case */
        jr t6
        .balign 4
mtrap_skip:
        csrr s2, mcause
        csrr s3, mepc
        csrr s4, mtval
        csrr s5, mstatus
        addi s1, s1, 1
        csrr t0, mepc
        addi t0, t0, 4
        csrw mepc, t0
        mret
        .balign 4
strap_record:
        csrr s6, scause
        csrr s7, sepc
        csrr s8, stval
        csrr s9, sstatus
        mv t6, s10
        la s10, fail
        jr t6
        .balign 4
strap_skip:
        csrr s6, scause
        csrr s7, sepc
        csrr s8, stval
        csrr s9, sstatus
        addi s1, s1, 1
        csrr t0, sepc
        addi t0, t0, 4
        csrw sepc, t0
        sret
.endm

#endif
