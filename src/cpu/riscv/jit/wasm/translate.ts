// The WebAssembly translator: one guest block becomes one WebAssembly function (builder.ts),
// from each instruction's semantics: the shared integer emitters (ops.ts) and the F/D ones
// (fops.ts). Blocks are compiled in batches, many functions per module.

import { immB, immJ } from '../../isa/fields.js';
import type { InsnSpec } from '../../isa/types.js';
import type { Insn } from '../translate.js';
import { MAX_BLOCK_INSNS } from '../translate.js';
import { Bytes, type Code, encodeModule, Op, type ValType } from '../../../../core/wasm/encode.js';
import { BlockBuilder, type Emit, TYPE_BLOCK, TYPE_EXIT, TYPE_HELPER, TYPES } from './builder.js';
import { xWrites } from './registers.js';
import { fpEmitterFor, fpNative } from './fops.js';
import { wasmEmitter } from './ops.js';

const emitters = new Map<InsnSpec, Emit | undefined>();
/** The WebAssembly code of an instruction, made once per table entry; undefined: the helper runs it. */
function emitterOf(spec: InsnSpec): Emit | undefined {
  let e = emitters.get(spec);
  if (e === undefined && !emitters.has(spec)) {
    if (spec.sem !== undefined) {
      const w = wasmEmitter(spec.sem, true);
      e = w === undefined ? undefined : (b) => w(b.operands);
    } else if (spec.fsem !== undefined) e = fpEmitterFor(spec.fsem, spec.facts);
    emitters.set(spec, e);
  }
  return e;
}

/** One block's function (type TYPE_BLOCK): its code and the types of its locals. */
export interface BlockBody {
  code: Code;
  locals: ValType[];
}

/**
 * What the helper is told of the instruction it runs: the block's table slot and the
 * instruction's index in the block, from which JavaScript finds the instruction (its bits, pc
 * and table entry) in the list it keeps per slot. Four constants per call made the helper calls
 * a sixth of the code.
 */
export const siteOf = (slot: number, index: number): number => slot * MAX_BLOCK_INSNS + index;

/**
 * Translate `scanned` into one block function for table slot `slot`. `cells` is the address of
 * its link cells (the cells of its slot), or -1 when it has none.
 */
export function compileBlock(scanned: Insn[], slot: number, cells = -1): BlockBody {
  const b = new BlockBuilder(siteOf(slot, 0), cells);
  b.start = scanned[0].pc;
  // A block of native instructions that branches back to its start loops inside its function,
  // its registers staying in locals. (A helper may change any register behind the locals.)
  const isNative = (i: Insn): boolean =>
    (i.spec.sem !== undefined && emitterOf(i.spec) !== undefined) ||
    (i.spec.fsem !== undefined && fpNative(i.spec.fsem, i.word));
  const backEdge = (i: Insn): boolean =>
    (i.spec.sem?.kind === 'branch' && i.pc + immB(i.word) === b.start) ||
    (i.spec.sem?.kind === 'jal' && i.pc + immJ(i.word) === b.start);
  // A loop followed by an instruction that needs the helper (a CSR read after the loop, say)
  // becomes a block of the loop alone: it ends after its last back edge.
  const prefix = scanned.findIndex((i) => !isNative(i));
  let lastBack = -1;
  for (let k = 0; k < (prefix < 0 ? 0 : prefix); k++) if (backEdge(scanned[k])) lastBack = k;
  const insns = prefix >= 0 && lastBack >= 0 ? scanned.slice(0, lastBack + 1) : scanned;
  const native = insns.every(isNative);
  b.loops = native && insns.some(backEdge);
  // Conditional branches forward to a later instruction of the block branch there inside the
  // function, as `br` out of a `block` that ends before the target.
  const targets: number[] = [];
  if (native) {
    insns.forEach((i, k) => {
      if (i.spec.sem?.kind !== 'branch') return;
      const t = i.pc + immB(i.word);
      // The first copy after the branch (a trace may hold a pc twice: a followed jump back
      // before its start).
      let j = k + 1;
      while (j < insns.length && insns[j].pc !== t) j++;
      if (j < insns.length && !targets.includes(j)) targets.push(j);
    });
    targets.sort((x, y) => x - y);
  }
  // Blocks whose control flow meets inside them have their registers loaded on entry, so that
  // every path reaches the meeting point with them in their locals. Looping blocks keep their
  // registers in locals and share one exit path that writes them back.
  if (!b.loops) {
    const writes = new Uint8Array(32);
    for (const i of insns) writes[xWrites(i)]++;
    for (let r = 1; r < 32; r++) b.through[r] = writes[r] === 1 || writes[r] === 2 ? 1 : 0;
  }
  if (insns.some((i) => i.spec.facts.access !== 'none')) b.loadBases();
  if (b.loops || targets.length > 0) b.preload(insns);
  if (b.loops) b.openExit();
  if (b.loops) b.c.begin(Op.loop);
  for (let n = targets.length - 1; n >= 0; n--) b.c.begin(Op.block);
  b.open = targets;
  b.insnPc = (j) => insns[j].pc;
  insns.forEach((insn, k) => {
    while (b.open.length > 0 && b.open[0] === k) {
      b.c.op(Op.end);
      b.open.shift();
    }
    b.insn = insn;
    b.k = k;
    b.last = k === insns.length - 1;
    b.following = b.last ? NaN : insns[k + 1].pc;
    const emit = emitterOf(insn.spec);
    if (emit !== undefined) emit(b);
    else {
      b.helper();
      if (insn.spec.facts.endsBlock) {
        // The helper left pc in the state area.
        b.leave(k + 1);
      }
    }
  });
  b.finish(insns.length);
  if (b.loops) {
    b.c.op(Op.end).op(Op.unreachable);
    b.closeExit();
  }
  return { code: b.c, locals: b.locals };
}

/** Where every batch's module is encoded (V8 copies the bytes). */
const moduleBytes = new Bytes();

/**
 * One module holding many blocks, exported as "b0", "b1", ...: V8 spends ~0.15 ms on every
 * module whatever its size, against a few microseconds per function, so blocks are compiled in
 * batches. The bodies' code buffers go back to be reused: the bodies are spent. The bytes are
 * valid until the next call (see encodeModule).
 */
export function blocksModule(bodies: BlockBody[]): Uint8Array {
  const bytes = encodeModule(
    {
      types: TYPES,
      importFuncs: [
        { name: 'helper', type: TYPE_HELPER },
        { name: 'exit', type: TYPE_EXIT },
      ],
      importMemory: true,
      importTable: false,
      funcs: bodies.map((f, k) => ({ type: TYPE_BLOCK, locals: f.locals, code: f.code, export: `b${k}` })),
    },
    moduleBytes,
  );
  for (const f of bodies) f.code.b.release();
  return bytes;
}
