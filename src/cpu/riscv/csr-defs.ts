// Names and bit fields from the RISC-V privileged specification (20211203): CSR addresses
// (chapter 2.2, "CSR Listing"), mstatus/mip fields (3.1.6, 3.1.9) and trap causes (3.1.15, Table 3.6).

export const PRV_U = 0;
export const PRV_S = 1;
export const PRV_M = 3;

// Unprivileged
export const CSR_FFLAGS = 0x001;
export const CSR_FRM = 0x002;
export const CSR_FCSR = 0x003;
export const CSR_CYCLE = 0xc00;
export const CSR_TIME = 0xc01;
export const CSR_INSTRET = 0xc02;
export const CSR_HPMCOUNTER3 = 0xc03;
export const CSR_HPMCOUNTER31 = 0xc1f;
// Supervisor
export const CSR_SSTATUS = 0x100;
export const CSR_SIE = 0x104;
export const CSR_STVEC = 0x105;
export const CSR_SCOUNTEREN = 0x106;
/** Sscofpmf's read-only view of the counters' overflow flags. */
export const CSR_SCOUNTOVF = 0xda0;
export const CSR_SENVCFG = 0x10a;
export const CSR_SSCRATCH = 0x140;
export const CSR_SEPC = 0x141;
export const CSR_SCAUSE = 0x142;
export const CSR_STVAL = 0x143;
export const CSR_SIP = 0x144;
export const CSR_STIMECMP = 0x14d;
export const CSR_SATP = 0x180;
// Machine
export const CSR_MVENDORID = 0xf11;
export const CSR_MARCHID = 0xf12;
export const CSR_MIMPID = 0xf13;
export const CSR_MHARTID = 0xf14;
export const CSR_MCONFIGPTR = 0xf15;
export const CSR_MSTATUS = 0x300;
export const CSR_MISA = 0x301;
export const CSR_MEDELEG = 0x302;
export const CSR_MIDELEG = 0x303;
export const CSR_MIE = 0x304;
export const CSR_MTVEC = 0x305;
export const CSR_MCOUNTEREN = 0x306;
export const CSR_MENVCFG = 0x30a;
export const CSR_MCOUNTINHIBIT = 0x320;
export const CSR_MHPMEVENT3 = 0x323;
export const CSR_MHPMEVENT31 = 0x33f;
export const CSR_MSCRATCH = 0x340;
export const CSR_MEPC = 0x341;
export const CSR_MCAUSE = 0x342;
export const CSR_MTVAL = 0x343;
export const CSR_MIP = 0x344;
export const CSR_PMPCFG0 = 0x3a0;
export const CSR_PMPCFG15 = 0x3af;
export const CSR_PMPADDR0 = 0x3b0;
export const CSR_PMPADDR63 = 0x3ef;
export const CSR_MCYCLE = 0xb00;
export const CSR_MINSTRET = 0xb02;
export const CSR_MHPMCOUNTER3 = 0xb03;
export const CSR_MHPMCOUNTER31 = 0xb1f;
export const CSR_TSELECT = 0x7a0;
export const CSR_TDATA1 = 0x7a1;
export const CSR_TDATA2 = 0x7a2;
export const CSR_TDATA3 = 0x7a3;
export const CSR_TINFO = 0x7a4;
export const CSR_MSECCFG = 0x747;

// mstatus (low word; UXL/SXL/SD live in the high word)
export const MSTATUS_SIE = 1 << 1;
export const MSTATUS_MIE = 1 << 3;
export const MSTATUS_SPIE = 1 << 5;
export const MSTATUS_MPIE = 1 << 7;
export const MSTATUS_SPP = 1 << 8;
export const MSTATUS_MPP_SHIFT = 11;
export const MSTATUS_MPP = 3 << 11;
export const MSTATUS_FS_SHIFT = 13;
export const MSTATUS_FS = 3 << 13;
export const MSTATUS_MPRV = 1 << 17;
export const MSTATUS_SUM = 1 << 18;
export const MSTATUS_MXR = 1 << 19;
export const MSTATUS_TVM = 1 << 20;
export const MSTATUS_TW = 1 << 21;
export const MSTATUS_TSR = 1 << 22;
/** High word of mstatus: UXL = SXL = 2 (64-bit), fixed. */
export const MSTATUS_HI_XL = (2 << 0) | (2 << 2);
/** High word of sstatus: UXL = 2. */
export const SSTATUS_HI_XL = 2;
/** SD is bit 63: bit 31 of the high word. */
export const STATUS_HI_SD = 1 << 31;

export const MSTATUS_WRITABLE =
  MSTATUS_SIE |
  MSTATUS_MIE |
  MSTATUS_SPIE |
  MSTATUS_MPIE |
  MSTATUS_SPP |
  MSTATUS_MPP |
  MSTATUS_FS |
  MSTATUS_MPRV |
  MSTATUS_SUM |
  MSTATUS_MXR |
  MSTATUS_TVM |
  MSTATUS_TW |
  MSTATUS_TSR;
export const SSTATUS_MASK = MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP | MSTATUS_FS | MSTATUS_SUM | MSTATUS_MXR;

// Interrupt numbers (mip/mie bit positions)
export const IRQ_S_SOFT = 1;
export const IRQ_M_SOFT = 3;
export const IRQ_S_TIMER = 5;
export const IRQ_M_TIMER = 7;
export const IRQ_S_EXT = 9;
export const IRQ_M_EXT = 11;
export const MIP_SSIP = 1 << IRQ_S_SOFT;
export const MIP_MSIP = 1 << IRQ_M_SOFT;
export const MIP_STIP = 1 << IRQ_S_TIMER;
export const MIP_MTIP = 1 << IRQ_M_TIMER;
export const MIP_SEIP = 1 << IRQ_S_EXT;
export const MIP_MEIP = 1 << IRQ_M_EXT;
/** Sscofpmf's local counter-overflow interrupt. */
export const IRQ_LCOF = 13;
export const MIP_LCOFIP = 1 << IRQ_LCOF;
export const S_INTERRUPTS = MIP_SSIP | MIP_STIP | MIP_SEIP;
export const ALL_INTERRUPTS = S_INTERRUPTS | MIP_MSIP | MIP_MTIP | MIP_MEIP;
/** Priority order for simultaneous interrupts (privileged spec 3.1.9). */
export const IRQ_PRIORITY = [
  IRQ_M_EXT,
  IRQ_M_SOFT,
  IRQ_M_TIMER,
  IRQ_S_EXT,
  IRQ_S_SOFT,
  IRQ_S_TIMER,
  IRQ_LCOF,
];

// Exception causes
export const CAUSE_MISALIGNED_FETCH = 0;
export const CAUSE_FETCH_ACCESS = 1;
export const CAUSE_ILLEGAL_INSTRUCTION = 2;
export const CAUSE_BREAKPOINT = 3;
export const CAUSE_MISALIGNED_LOAD = 4;
export const CAUSE_LOAD_ACCESS = 5;
export const CAUSE_MISALIGNED_STORE = 6;
export const CAUSE_STORE_ACCESS = 7;
export const CAUSE_USER_ECALL = 8;
export const CAUSE_SUPERVISOR_ECALL = 9;
export const CAUSE_MACHINE_ECALL = 11;
export const CAUSE_FETCH_PAGE_FAULT = 12;
export const CAUSE_LOAD_PAGE_FAULT = 13;
export const CAUSE_STORE_PAGE_FAULT = 15;
/** Exceptions that medeleg can delegate (ecall from M cannot be, 3.1.8). */
export const MEDELEG_WRITABLE = 0xb3ff;

// menvcfg high word
export const MENVCFG_HI_STCE = 1 << 31;
/** Svpbmt's enable (menvcfg bit 62) and Svadu's (bit 61), in the high word. */
export const MENVCFG_HI_PBMTE = 1 << 30;
export const MENVCFG_HI_ADUE = 1 << 29;
export const ENVCFG_FIOM = 1;
/**
 * menvcfg and senvcfg, low word: the cache-block operation enables (privileged spec 3.1.18,
 * 4.1.10). CBIE (Zicbom) is 00 illegal, 01 flush, 11 invalidate (10 reserved); CBCFE (Zicbom)
 * enables CBO.CLEAN and CBO.FLUSH; CBZE (Zicboz) enables CBO.ZERO.
 */
export const ENVCFG_CBIE = 3 << 4;
export const ENVCFG_CBIE_RESERVED = 2 << 4;
export const ENVCFG_CBCFE = 1 << 6;
export const ENVCFG_CBZE = 1 << 7;

// satp (Sv39/Sv48), 4.1.11
export const SATP_MODE_BARE = 0;
export const SATP_MODE_SV39 = 8;
export const SATP_MODE_SV48 = 9;

/** misa: MXL=2 in the high word (the low word is the ISA profile's, isa/profile.ts). */
export const MISA_HI = 2 << 30;

// The hypervisor extension (privileged spec, "Hypervisor Extension"): its CSRs, fields and causes.
export const PRV_H_LEVEL = 2; // CSR address bits 9:8 of the hypervisor and VS CSRs
export const CSR_HSTATUS = 0x600;
export const CSR_HEDELEG = 0x602;
export const CSR_HIDELEG = 0x603;
export const CSR_HIE = 0x604;
export const CSR_HTIMEDELTA = 0x605;
export const CSR_HCOUNTEREN = 0x606;
export const CSR_HGEIE = 0x607;
export const CSR_HENVCFG = 0x60a;
export const CSR_HTVAL = 0x643;
export const CSR_HIP = 0x644;
export const CSR_HVIP = 0x645;
export const CSR_HTINST = 0x64a;
export const CSR_HGATP = 0x680;
export const CSR_HGEIP = 0xe12;
export const CSR_VSSTATUS = 0x200;
export const CSR_VSIE = 0x204;
export const CSR_VSTVEC = 0x205;
export const CSR_VSSCRATCH = 0x240;
export const CSR_VSEPC = 0x241;
export const CSR_VSCAUSE = 0x242;
export const CSR_VSTVAL = 0x243;
export const CSR_VSIP = 0x244;
export const CSR_VSTIMECMP = 0x24d;
export const CSR_VSATP = 0x280;
export const CSR_MTINST = 0x34a;
export const CSR_MTVAL2 = 0x34b;

export const HSTATUS_VSBE = 1 << 5;
export const HSTATUS_GVA = 1 << 6;
export const HSTATUS_SPV = 1 << 7;
export const HSTATUS_SPVP = 1 << 8;
export const HSTATUS_HU = 1 << 9;
export const HSTATUS_VGEIN = 0x3f << 12;
export const HSTATUS_VTVM = 1 << 20;
export const HSTATUS_VTW = 1 << 21;
export const HSTATUS_VTSR = 1 << 22;
/** hstatus's writable bits with GEILEN = 0 (VGEIN is then read-only zero; VSBE is zero: little-endian only). */
export const HSTATUS_WRITABLE =
  HSTATUS_GVA | HSTATUS_SPV | HSTATUS_SPVP | HSTATUS_HU | HSTATUS_VTVM | HSTATUS_VTW | HSTATUS_VTSR;
/** hstatus high word: VSXL = 2 (64-bit), fixed. */
export const HSTATUS_HI_VSXL = 2;
/** mstatus high word (mstatush on RV32): GVA (bit 38) and MPV (bit 39). */
export const MSTATUS_HI_GVA = 1 << 6;
export const MSTATUS_HI_MPV = 1 << 7;

export const IRQ_VS_SOFT = 2;
export const IRQ_VS_TIMER = 6;
export const IRQ_VS_EXT = 10;
export const IRQ_SG_EXT = 12;
export const MIP_VSSIP = 1 << IRQ_VS_SOFT;
export const MIP_VSTIP = 1 << IRQ_VS_TIMER;
export const MIP_VSEIP = 1 << IRQ_VS_EXT;
export const MIP_SGEIP = 1 << IRQ_SG_EXT;
export const VS_INTERRUPTS = MIP_VSSIP | MIP_VSTIP | MIP_VSEIP;
/** Priority order with the hypervisor's interrupts (the hypervisor chapter's hip and hie). */
export const IRQ_PRIORITY_H = [
  IRQ_M_EXT,
  IRQ_M_SOFT,
  IRQ_M_TIMER,
  IRQ_S_EXT,
  IRQ_S_SOFT,
  IRQ_S_TIMER,
  IRQ_SG_EXT,
  IRQ_VS_EXT,
  IRQ_VS_SOFT,
  IRQ_VS_TIMER,
  IRQ_LCOF,
];

export const CAUSE_VS_ECALL = 10;
export const CAUSE_FETCH_GUEST_PAGE_FAULT = 20;
export const CAUSE_LOAD_GUEST_PAGE_FAULT = 21;
export const CAUSE_VIRTUAL_INSTRUCTION = 22;
export const CAUSE_STORE_GUEST_PAGE_FAULT = 23;
/** medeleg's writable bits added by H: ECALL from VS, the guest-page faults, virtual instruction. */
export const MEDELEG_H = (1 << 10) | (1 << 20) | (1 << 21) | (1 << 22) | (1 << 23);
/**
 * hedeleg's writable bits: what VS-mode may take (not ECALL from VS or HS, not the guest-page
 * faults or virtual instruction, which only HS handles); software-check (18) and hardware-error
 * (19) are writable as the table has them, though tsvirt raises neither.
 */
export const HEDELEG_WRITABLE = 0xb1ff | (1 << 18) | (1 << 19);
/** hgatp modes: Sv39x4 and Sv48x4 share Sv39's and Sv48's numbers. */
export const HGATP_VMID_BITS = 14;
