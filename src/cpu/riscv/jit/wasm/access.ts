// Guest memory access in a translated block being built, the layer of BlockBuilder (builder.ts)
// above its control flow: loads, stores, AMOs, LR/SC and F/D loads and stores go straight to guest
// RAM through the software TLB in the shared memory, and to the helper when it does not map them.

import { I32, I64, Op } from '../../../../core/wasm/encode.js';
import {
  AREA_CBZE,
  AREA_F,
  AREA_LOAD_BASE,
  AREA_RESERVATION,
  AREA_STORE_BASE,
  AREA_TLB,
  TLB_DELTA,
  TLB_TAG,
} from '../../area.js';
import { TLB_ENTRIES } from '../../mmu.js';
import { CBO_BLOCK_BYTES } from '../../cbo.js';
import { BlockControl } from './control.js';
import { L_H } from './registers.js';

/** The memory accesses of the instruction being translated; the TLB lookup is private to it. */
export class BlockAccess extends BlockControl {
  /**
   * Locals holding the addresses of the load and store TLBs (from AREA_LOAD_BASE and
   * AREA_STORE_BASE) in blocks that access memory, 0 in others, computed on entry: each access
   * then finds its TLB in a register. They stay valid while the block runs, because what changes
   * them (privilege, MPRV, satp) is done only by instructions that end a block (ENDS_BLOCK), and
   * a helper that traps or asks to leave ends it too.
   */
  private bases = [0, 0];

  /** Push the address of the TLB whose slot base is at `base` in the area, less AREA_TLB. */
  private slotBase(base: number): void {
    this.c.get(L_H).mem(Op.i32_load, base).i32(4).op(Op.i32_shl).get(L_H).op(Op.i32_add);
  }

  /** Compute both TLB addresses into locals on entry (blocks that load or store). */
  loadBases(): void {
    this.bases = [this.alloc(I32), this.alloc(I32)];
    this.slotBase(AREA_LOAD_BASE);
    this.c.set(this.bases[0]);
    this.slotBase(AREA_STORE_BASE);
    this.c.set(this.bases[1]);
  }

  /**
   * Compute the effective address x[rs1] + imm into T0, then, if the TLB of `base` maps its page
   * to RAM and the address is aligned to `bytes`, leave the RAM offset on the stack and run
   * `fast`; otherwise run the instruction through the helper, or with `leave`, unless it is the
   * block's first, leave the block before it for the interpreter to run it (a helper call's
   * code, with the register spills and reloads around it, was most of a memory access's machine
   * code). One compare checks both: the tag is the page base, and the address is masked to its
   * page bits and the bits below `bytes`. (An aligned access stays in its page; misaligned ones
   * are rare, and take the slow path.)
   */
  private access(
    rs1: number,
    imm: number,
    bytes: number,
    base: number,
    fast: () => void,
    reload: number,
    guard?: () => void,
    leave = false,
  ): void {
    const c = this.c;
    this.use(rs1);
    this.x(rs1);
    if (imm !== 0) c.i64(imm).op(Op.i64_add);
    c.tee(this.t0).op(Op.i32_wrap_i64).set(this.ta);
    c.begin(Op.block).begin(Op.block);
    guard?.();
    // The TLB entry (16 bytes) and its tag.
    const local = this.bases[base === AREA_LOAD_BASE ? 0 : 1];
    if (local !== 0) c.get(local);
    else this.slotBase(base);
    c.get(this.ta)
      .i32(12 - 4)
      .op(Op.i32_shr_u)
      .i32((TLB_ENTRIES - 1) << 4)
      .op(Op.i32_and)
      .op(Op.i32_add)
      .tee(this.ti)
      .mem(Op.i64_load, AREA_TLB + TLB_TAG);
    c.get(this.t0)
      .i64(-4096 | (bytes - 1))
      .op(Op.i64_and)
      .op(Op.i64_ne)
      .br(Op.br_if, 0);
    c.get(this.ti)
      .mem(Op.i32_load, AREA_TLB + TLB_DELTA)
      .get(this.ta)
      .op(Op.i32_add);
    fast();
    c.br(Op.br, 1).op(Op.end);
    if (leave && this.k > 0) this.exit(() => c.i64(this.pc), this.k);
    else this.sideHelper(reload);
    c.op(Op.end);
  }

  /** Load `bytes` at x[rs1] + imm into x[rd]. */
  load(rd: number, rs1: number, imm: number, bytes: number, signed: boolean): void {
    const op =
      bytes === 8
        ? Op.i64_load
        : bytes === 4
          ? signed
            ? Op.i64_load32_s
            : Op.i64_load32_u
          : bytes === 2
            ? signed
              ? Op.i64_load16_s
              : Op.i64_load16_u
            : signed
              ? Op.i64_load8_s
              : Op.i64_load8_u;
    this.access(
      rs1,
      imm,
      bytes,
      AREA_LOAD_BASE,
      () => {
        if (rd === 0) {
          this.c.op(Op.drop);
          return;
        }
        this.c.mem(op).set(this.reg(rd));
      },
      rd,
      undefined,
      true,
    );
    this.wrote(rd);
  }

  /** Store the low `bytes` of x[rs2] at x[rs1] + imm. */
  store(rs1: number, rs2: number, imm: number, bytes: number): void {
    const op =
      bytes === 8
        ? Op.i64_store
        : bytes === 4
          ? Op.i64_store32
          : bytes === 2
            ? Op.i64_store16
            : Op.i64_store8;
    this.use(rs2); // before the fast path, so that both paths see it loaded
    this.access(
      rs1,
      imm,
      bytes,
      AREA_STORE_BASE,
      () => {
        this.x(rs2);
        this.c.mem(op);
      },
      0,
      undefined,
      true,
    );
  }

  /**
   * An AMO of `bytes` at x[rs1]: through the store TLB (which leaves out pages it must not write
   * directly), when naturally aligned; x[rd] = the old value, sign-extended, and memory = what
   * `combine` pushes from the locals it is given (the old value, x[rs2]). Anything else, a
   * misaligned address or a TLB miss, goes through the helper, which raises the fault.
   */
  amo(rd: number, rs1: number, rs2: number, bytes: 4 | 8, combine: (old: number, src: number) => void): void {
    const c = this.c;
    const old = this.tmp(2);
    this.use(rs2);
    this.access(
      rs1,
      0,
      bytes,
      AREA_STORE_BASE,
      () => {
        c.set(this.ta);
        c.get(this.ta)
          .mem(bytes === 8 ? Op.i64_load : Op.i64_load32_s)
          .set(old);
        c.get(this.ta);
        this.x(rs2);
        c.set(this.tmp(3));
        combine(old, this.tmp(3));
        c.mem(bytes === 8 ? Op.i64_store : Op.i64_store32);
        if (rd !== 0) c.get(old).set(this.reg(rd));
      },
      rd,
    );
    this.wrote(rd);
  }

  /**
   * LR of `bytes` at x[rs1] into x[rd] (sign-extended), reserving the address (its RAM offset in
   * AREA_RESERVATION), when the load TLB maps it and it is aligned; otherwise the helper.
   */
  lr(rd: number, rs1: number, bytes: 4 | 8): void {
    const c = this.c;
    this.access(
      rs1,
      0,
      bytes,
      AREA_LOAD_BASE,
      () => {
        c.set(this.ta);
        c.get(L_H).get(this.ta).mem(Op.i32_store, AREA_RESERVATION);
        c.get(this.ta).mem(bytes === 8 ? Op.i64_load : Op.i64_load32_s);
        this.popX(rd);
      },
      rd,
    );
    this.wrote(rd);
  }

  /**
   * SC of x[rs2]'s low `bytes` at x[rs1]: stored, and x[rd] = 0, if the reservation is that
   * address, else x[rd] = 1; no reservation after either way. Through the store TLB, which
   * leaves out pages it must not write directly, when aligned; otherwise the helper.
   */
  sc(rd: number, rs1: number, rs2: number, bytes: 4 | 8): void {
    const c = this.c;
    this.use(rs2);
    this.access(
      rs1,
      0,
      bytes,
      AREA_STORE_BASE,
      () => {
        c.set(this.ta);
        c.get(L_H).mem(Op.i32_load, AREA_RESERVATION).get(this.ta).op(Op.i32_eq);
        c.begin(Op.if, I64).get(this.ta);
        this.x(rs2);
        c.mem(bytes === 8 ? Op.i64_store : Op.i64_store32).i64(0);
        c.op(Op.else).i64(1).op(Op.end);
        this.popX(rd);
        c.get(L_H).i32(-1).mem(Op.i32_store, AREA_RESERVATION);
      },
      rd,
    );
    this.wrote(rd);
  }

  /**
   * CBO.ZERO: eight stores of zero over the 64-byte block holding x[rs1], when CBO.ZERO is enabled
   * (AREA_CBZE) and the store TLB maps the page (never one with translated code, or watched);
   * otherwise the helper, which raises illegal-instruction or the fault. Linux clears every page
   * it allocates this way when the profile has Zicboz, 64 of these per page.
   */
  cboZero(rs1: number): void {
    const c = this.c;
    this.access(
      rs1,
      0,
      1,
      AREA_STORE_BASE,
      () => {
        c.i32(-CBO_BLOCK_BYTES).op(Op.i32_and).set(this.ta);
        for (let k = 0; k < CBO_BLOCK_BYTES; k += 8) c.get(this.ta).i64(0).mem(Op.i64_store, k);
      },
      0,
      () => c.get(L_H).mem(Op.i32_load, AREA_CBZE).op(Op.i32_eqz).br(Op.br_if, 0),
    );
  }

  /**
   * FLD/FLW into f[frd] (FLW NaN-boxes), or FSD/FSW from f[frs] (the low word for FSW), when
   * `guard` (branching out at depth 0 when the fast path may not run) lets it.
   */
  fpLoad(frd: number, rs1: number, imm: number, bytes: 4 | 8, guard: () => void): void {
    const c = this.c;
    this.access(
      rs1,
      imm,
      bytes,
      AREA_LOAD_BASE,
      () => {
        c.set(this.ta);
        c.get(L_H).get(this.ta);
        if (bytes === 8) c.mem(Op.i64_load);
        else
          c.mem(Op.i64_load32_u)
            .i64(-(2 ** 32))
            .op(Op.i64_or);
        c.mem(Op.i64_store, AREA_F + 8 * frd);
      },
      0,
      guard,
    );
  }

  fpStore(rs1: number, frs: number, imm: number, bytes: 4 | 8, guard: () => void): void {
    this.access(
      rs1,
      imm,
      bytes,
      AREA_STORE_BASE,
      () => {
        this.c.get(L_H);
        if (bytes === 8) this.c.mem(Op.i64_load, AREA_F + 8 * frs).mem(Op.i64_store);
        else this.c.mem(Op.i32_load, AREA_F + 8 * frs).mem(Op.i32_store);
      },
      0,
      guard,
    );
  }
}
