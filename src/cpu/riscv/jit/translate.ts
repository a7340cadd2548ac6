// The translator: turns a run of guest instructions into one JavaScript function that calls each
// instruction's `exec` from the ISA tables directly, with the instruction word as a constant.
// Every call site then has exactly one target, so V8 inlines the semantics and folds the operand
// fields; there is no second description of any instruction here, only block bookkeeping.

import type { Decoder } from '../decode.js';
import type { Breakpoints } from '../memory.js';
import { immJ } from '../isa/fields.js';
import type { Exec, InsnSpec } from '../isa/types.js';
import { type BlockFn, makeBlock } from './cache.js';

/**
 * Longest block, in instructions: bounds interrupt latency and compile cost. In a Debian boot,
 * 96 took 0.98x the time of 64 (fewer moves between blocks, a third of translated code's time);
 * 128 was no better than 64, and 48 and 32 worse.
 */
export const MAX_BLOCK_INSNS = 96;

/** Reads a halfword of guest RAM at a byte offset. */
export type ReadHalf = (ramOff: number) => number;

export interface Insn {
  pc: number;
  len: number;
  raw: number;
  word: number;
  spec: InsnSpec;
}

/**
 * Translate the block at guest pc `pc`, whose bytes start at RAM offset `ramOff`, up to the end of
 * its page. Returns undefined when the first instruction cannot be translated (illegal, or it
 * straddles the page end, or a breakpoint is on it): the interpreter handles that one.
 */
export function translateBlock(
  pc: number,
  ramOff: number,
  read: ReadHalf,
  dec: Decoder,
  breakpoints?: Breakpoints,
): BlockFn | undefined {
  const insns = scanBlock(pc, ramOff, read, dec, false, breakpoints);
  if (insns.length === 0) return undefined;
  const [lo, hi] = span(insns);
  return makeBlock(compile(insns), pc, lo, hi);
}

/** The virtual addresses a block's instructions cover: [first byte, last byte + 1). */
export function span(insns: readonly Insn[]): [number, number] {
  let lo = insns[0].pc;
  let hi = lo;
  for (const i of insns) {
    lo = Math.min(lo, i.pc);
    hi = Math.max(hi, i.pc + i.len);
  }
  return [lo, hi];
}

/**
 * The instructions of the block at guest pc `pc`, whose bytes start at RAM offset `ramOff`: up to
 * a control transfer or system instruction, MAX_BLOCK_INSNS, or the end of the page. Empty when
 * the first instruction is illegal or straddles the page end (left to the interpreter). With
 * `trace`, conditional branches do not end it (they become side exits), and it follows direct
 * jumps within the page: its instructions are then not contiguous. It ends before an instruction
 * at one of `breakpoints` (QEMU ends its blocks so too), and is empty when the first is at one:
 * a debugger's breakpoint is then always at a block start, which the interpreter runs.
 */
export function scanBlock(
  pc: number,
  ramOff: number,
  read: ReadHalf,
  dec: Decoder,
  trace = false,
  breakpoints?: Breakpoints,
): Insn[] {
  const insns: Insn[] = [];
  const pageEnd = ramOff - (ramOff % 4096) + 4096;
  let off = ramOff;
  let at = pc;
  while (insns.length < MAX_BLOCK_INSNS && off + 2 <= pageEnd) {
    if (breakpoints !== undefined && breakpoints.has(at)) break;
    const lo = read(off);
    let raw: number, word: number, len: number;
    if ((lo & 3) !== 3) {
      raw = lo;
      word = dec.expand(lo);
      len = 2;
    } else {
      if (off + 4 > pageEnd) break; // straddles the page: left to the interpreter
      raw = word = lo | (read(off + 2) << 16);
      len = 4;
    }
    const spec = word === 0 ? undefined : dec.find(word);
    if (spec === undefined) break; // illegal: the interpreter raises it precisely
    insns.push({ pc: at, len, raw, word, spec });
    off += len;
    at += len;
    if (!spec.facts.endsBlock || (trace && spec.facts.branch)) continue;
    if (!trace || !spec.facts.directJump) break;
    // Follow a direct jump that stays in the page, unless to an instruction already in the block.
    const target = at - len + immJ(word);
    const pageOff = target - (pc - (pc & 4095));
    if (pageOff < 0 || pageOff >= 4096 || insns.some((x) => x.pc === target)) break;
    off = pageEnd - 4096 + pageOff;
    at = target;
  }
  return insns;
}

function compile(insns: Insn[]): (h: import('../hart.js').RiscvHart) => number {
  const fns: Exec[] = insns.map((x) => x.spec.exec);
  const lines: string[] = [];
  // h.retired is brought up to date lazily: before an instruction that can read it (the CSR and
  // system instructions, which end blocks), at a trap, and at the end.
  let counted = 0;
  const settle = (upTo: number): string => {
    const d = upTo - counted;
    counted = upTo;
    return d === 0 ? '' : `h.retired += ${d}; `;
  };
  insns.forEach((x, k) => {
    const f = x.spec.facts;
    if (f.traps === 'never') {
      lines.push(`e${k}(h, ${x.word});`);
      return;
    }
    const memory = f.traps === 'memory';
    const pre = f.endsBlock ? settle(k) : '';
    lines.push(
      // A memory instruction's bits are what a guest-page fault's htinst is made from.
      memory
        ? `h.pc = ${x.pc}; h.insnBits = ${x.raw};`
        : `${pre}h.pc = ${x.pc}; h.npc = ${x.pc + x.len}; h.insnBits = ${x.raw};`,
    );
    lines.push(`e${k}(h, ${x.word});`);
    // A trap: the instructions before this one retired; pc goes to the handler (enterTrap left it
    // in npc).
    const before = k - counted;
    lines.push(
      `if (h.trapped) { h.trapped = false; ${before > 0 ? `h.retired += ${before}; ` : ''}h.pc = h.npc; return ${k + 1}; }`,
    );
    // The instruction asked for a re-examination of interrupts, or wrote to translated code
    // (possibly this block): leave after it. Loads do neither.
    if (!memory || f.access === 'store') {
      const next = f.endsBlock ? 'h.npc' : `${x.pc + x.len}`;
      lines.push(`if (h.yieldLoop) { h.retired += ${k + 1 - counted}; h.pc = ${next}; return ${k + 1}; }`);
    }
  });
  const last = insns[insns.length - 1];
  const end = last.spec.facts.endsBlock ? 'h.npc' : `${last.pc + last.len}`;
  lines.push(`${settle(insns.length)}h.pc = ${end}; return ${insns.length};`);
  const consts = fns.map((_, k) => `const e${k} = fns[${k}];`).join('\n');
  const src = `${consts}\nreturn function block(h) {\n${lines.join('\n')}\n};`;
  return new Function('fns', src)(fns) as (h: import('../hart.js').RiscvHart) => number;
}
