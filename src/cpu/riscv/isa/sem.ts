// Declarative semantics for the integer and system instructions: what each one computes, said
// once in its table entry (types.ts `Sem`), as a primitive operation (isa/prim.ts) on operands
// named by the instruction's fields. The interpreter's `exec` is made from it here; the
// WebAssembly translator and cold interpreter make their code from it in jit/wasm/ops.ts. Which
// primitive an instruction uses, on which operands, is written only in the tables.

import { fromNum, out } from '../../../core/u64.js';
import { semFacts } from './facts.js';
import { immB, immI, immJ, immS, immU, rd, rs1, rs2 } from './fields.js';
import type { Exec, Ext, Format, InsnSpec, Rhs, Sem, SysOp } from './types.js';

const ALONE: readonly Ext[] = [];

/**
 * A table entry whose `exec` and facts are made from its semantics; `alsoIn`: other extensions
 * that have the same instruction (InsnSpec.alsoIn).
 */
export function semInsn(
  name: string,
  match: number,
  mask: number,
  ext: Ext,
  format: Format,
  sem: Sem,
  alsoIn: readonly Ext[] = ALONE,
): InsnSpec {
  return { name, match, mask, ext, alsoIn, format, sem, exec: interpExec(name, sem), facts: semFacts(sem) };
}

// ---- The interpreter's backend: int32 pairs (core/u64.ts) -------------------------------------

const SYSTEM: Record<SysOp, Exec> = {
  ecall: (h) => h.ecall(),
  ebreak: (h) => h.ebreak(),
  mret: (h) => h.mret(),
  sret: (h) => h.sret(),
  wfi: (h) => h.wfi(),
  'sfence.vma': (h, i) => h.sfenceVma(rs1(i), (i >>> 20) & 31),
  'fence.i': (h) => h.fenceI(),
  'sfence.inval': (h) => h.sfenceInval(),
  'hfence.vvma': (h, i) => h.hfence(false, rs1(i)),
  'hfence.gvma': (h, i) => h.hfence(true, rs1(i)),
  csr: (h, i) => h.csrOp(i),
  'wrs.nto': (h) => h.wrs(false),
  'wrs.sto': (h) => h.wrs(true),
};

/** Source of the second operand (lo, hi) in an exec body, for `rhs`. */
const RHS_SRC: Record<Rhs, string> = {
  rs2: 'x[b], x[b + 1]',
  immI: 'i >> 20, i >> 31',
  shamt6: '(i >>> 20) & 63, 0',
  shamt5: '(i >>> 20) & 31, 0',
  none: '0, 0',
};

/**
 * The interpreter's `exec` for `sem`. Each one is compiled from its own source text, so that V8
 * keeps separate type feedback per instruction and inlines the primitive: a shared closure
 * would make every primitive call site megamorphic (and the translator inlines `exec` too).
 */
function interpExec(name: string, sem: Sem): Exec {
  const id = name.replace(/\W/g, '_');
  const make = (params: string[], body: string, ...args: unknown[]): Exec =>
    new Function(...params, `return function ${id}(h, i) {\n${body}\n};`)(...args) as Exec;
  const fields = 'const x = h.x, a = ((i >>> 15) & 31) << 1, b = ((i >>> 20) & 31) << 1, d = (i >>> 7) & 31;';
  switch (sem.kind) {
    case 'op':
      return make(
        ['P', 'out'],
        `${fields}\nh.setX(d, P(x[a], x[a + 1], ${RHS_SRC[sem.rhs]}), out.hi);`,
        sem.prim.js,
        out,
      );
    case 'op32': {
      const rhs = sem.rhs === 'rs2' ? 'x[b]' : RHS_SRC[sem.rhs].split(',')[0];
      return make(['P'], `${fields}\nh.setX32(d, P(x[a], ${rhs}));`, sem.prim.js);
    }
    case 'branch':
      return make(
        ['C', 'immB'],
        `${fields}\nif (C(x[a], x[a + 1], x[b], x[b + 1])) h.npc = h.pc + immB(i);`,
        sem.cmp.js,
        immB,
      );
    case 'load':
      return make(
        ['rd', 'rs1', 'immI'],
        `h.load(rd(i), h.addr(rs1(i), immI(i)), ${sem.bytes}, ${sem.signed});`,
        rd,
        rs1,
        immI,
      );
    case 'store':
      return make(
        ['rs1', 'rs2', 'immS'],
        `const b = rs2(i) << 1;\nh.store(h.addr(rs1(i), immS(i)), ${sem.bytes}, h.x[b], ${sem.bytes === 8 ? 'h.x[b + 1]' : '0'});`,
        rs1,
        rs2,
        immS,
      );
    case 'lui':
      return (h, i) => h.setX32(rd(i), immU(i));
    case 'auipc':
      return (h, i) => h.setX(rd(i), fromNum(h.pc + immU(i)), out.hi);
    case 'jal':
      return (h, i) => {
        const link = h.npc;
        h.npc = h.pc + immJ(i);
        h.setX(rd(i), fromNum(link), out.hi);
      };
    case 'jalr':
      return (h, i) => {
        const t = h.addr(rs1(i), immI(i));
        const link = h.npc;
        h.npc = t - (t & 1);
        h.setX(rd(i), fromNum(link), out.hi);
      };
    case 'nop':
      return () => {};
    case 'amo':
    case 'lr':
    case 'sc':
      // The hart carries it out (amo.ts): it needs the MMU and the reservation.
      return (h, i) => h.amo(i, sem);
    case 'cbo': {
      const op = sem.op;
      return (h, i) => h.cbo(op, rs1(i));
    }
    case 'system':
      return SYSTEM[sem.op];
    case 'hlv': {
      const { bytes, signed, exec } = sem;
      return (h, i) => h.hlv(rd(i), rs1(i), bytes, signed, exec);
    }
    case 'hsv': {
      const bytes = sem.bytes;
      return (h, i) => h.hsv(rs1(i), rs2(i), bytes);
    }
  }
}
