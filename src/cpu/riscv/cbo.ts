// The cache-block operations of Zicbom and Zicboz (unprivileged ISA, "Cache Management
// Operations"; privileged spec, menvcfg and senvcfg): the envcfg enables, the translation and
// faults of each, and CBO.ZERO's stores. Memory here is coherent and uncached, so a clean, flush
// or invalidate has nothing to do once it is permitted.

import type { GuestMemory } from '../../memory/guest-memory.js';
import * as C from './csr-defs.js';
import type { CboOp } from './isa/types.js';
import { ACCESS_STORE, TLB_ENTRIES, type Tlb } from './mmu.js';

/** The cache-block size of every CBO (riscv,cbom-block-size and riscv,cboz-block-size). */
export const CBO_BLOCK_BYTES = 64;

/** The hart as the cache-block operations see it (RiscvHart is one); stated here so as not to import it. */
export interface CboHart {
  readonly priv: number;
  readonly menvcfgLo: number;
  readonly senvcfg: number;
  readonly hyp: { readonly virt: boolean; readonly henvcfgLo: number };
  readonly insnBits: number;
  readonly mem: GuestMemory;
  readonly tlb: Tlb;
  readonly storeBase: number;
  addr(rs1: number, imm: number): number;
  illegal(): void;
  trap(cause: number, tval: number): void;
  /** Translate for a store; raises the store page or access fault (tval = va) and returns -1. */
  translate(va: number, access: number): number;
  /**
   * Translate for a cache-block management instruction: permitted where a load or a store is;
   * raises a store page or access fault (tval = va) and returns -1 otherwise.
   */
  cboTranslate(va: number): number;
  /** True when a load or store at physical `pa` reaches RAM or a device (PMA). */
  accessible(pa: number): boolean;
  writePhys(pa: number, bytes: number, lo: number, hi: number, va: number): boolean;
  /** Whether a store of `bytes` at virtual `va` hit a debugger's watchpoint (the instruction then ends). */
  watchedStore(va: number, bytes: number): boolean;
}

/**
 * Whether the envcfg registers let mode `priv` execute `op` (CMO spec, "CSR controls for CMO
 * instructions"): M-mode always; S-mode (HS, VS) when menvcfg enables it, and VS when henvcfg
 * does too; U-mode (VU) when those and senvcfg all do. CBO.INVAL is enabled by a CBIE of 01
 * (it then flushes) or 11; 10 is reserved and never held (csr.ts).
 */
export function cboEnabled(h: Pick<CboHart, 'priv' | 'menvcfgLo' | 'senvcfg' | 'hyp'>, op: CboOp): boolean {
  return cboRefusal(h, op) === 0;
}

/** 0 when `op` may run, else the cause its refusal raises: illegal- or virtual-instruction. */
function cboRefusal(h: Pick<CboHart, 'priv' | 'menvcfgLo' | 'senvcfg' | 'hyp'>, op: CboOp): number {
  if (h.priv === C.PRV_M) return 0;
  const field = op === 'zero' ? C.ENVCFG_CBZE : op === 'inval' ? C.ENVCFG_CBIE : C.ENVCFG_CBCFE;
  if ((h.menvcfgLo & field) === 0) return C.CAUSE_ILLEGAL_INSTRUCTION;
  const virt = h.hyp.virt;
  if (virt && (h.hyp.henvcfgLo & field) === 0) return C.CAUSE_VIRTUAL_INSTRUCTION;
  if (h.priv !== C.PRV_U || (h.senvcfg & field) !== 0) return 0;
  return virt ? C.CAUSE_VIRTUAL_INSTRUCTION : C.CAUSE_ILLEGAL_INSTRUCTION;
}

/**
 * CBO.CLEAN, CBO.FLUSH, CBO.INVAL or CBO.ZERO on the naturally aligned 64-byte block holding
 * x[rs1]. Faults report x[rs1] itself in xtval, not the block's address; none is ever misaligned.
 */
export function cbo(h: CboHart, op: CboOp, rs1: number): void {
  const refused = cboRefusal(h, op);
  if (refused !== 0) return h.trap(refused, h.insnBits >>> 0);
  const va = h.addr(rs1, 0);
  if (op !== 'zero') {
    // Nothing is cached: a permitted clean, flush or invalidate has no effect (and an invalidate
    // that exposes no stale data needs no flush first).
    const pa = h.cboTranslate(va);
    if (pa >= 0 && !h.accessible(pa)) h.trap(C.CAUSE_STORE_ACCESS, va);
    return;
  }
  // A block never crosses a page: one translation covers it. Through the store TLB when it maps
  // the page (never a page holding translated code or a watched one: those go through writePhys).
  const pgoff = va & 4095;
  const idx = h.storeBase + ((va >>> 12) & (TLB_ENTRIES - 1));
  const blockOff = pgoff - (pgoff & (CBO_BLOCK_BYTES - 1));
  if (h.tlb.tag[idx] === va - pgoff) {
    const off = h.tlb.off[idx] + blockOff;
    h.mem.bytes.fill(0, off, off + CBO_BLOCK_BYTES);
    return;
  }
  const pa = h.translate(va, ACCESS_STORE);
  if (pa < 0) return;
  const block = pa - (pa % CBO_BLOCK_BYTES);
  // Main memory supports CBO.ZERO; I/O regions here do not (a PMA the CMO spec leaves to each
  // region): a store access fault.
  if (!h.mem.contains(block, CBO_BLOCK_BYTES)) return h.trap(C.CAUSE_STORE_ACCESS, va);
  // As eight stores, so that written translated code is dropped; a watched byte anywhere in the
  // block stops it before the first.
  if (h.watchedStore(va - (va & (CBO_BLOCK_BYTES - 1)), CBO_BLOCK_BYTES)) return;
  for (let k = 0; k < CBO_BLOCK_BYTES; k += 8) if (!h.writePhys(block + k, 8, 0, 0, va)) return;
}
