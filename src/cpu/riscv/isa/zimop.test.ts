// Zimop: the 40 may-be-operations decode from the encodings of the Zimop chapter (mop-r and
// mop-rr diagrams) and nothing else does; each writes 0 to x[rd] and nothing else, in every engine;
// with Zimop off they are illegal.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Prng } from '../../../core/prng.js';
import { PhysBus } from '../../../memory/bus.js';
import { GuestMemory } from '../../../memory/guest-memory.js';
import { CAUSE_ILLEGAL_INSTRUCTION } from '../csr-defs.js';
import { RiscvHart } from '../hart.js';
import { runInterpreter } from '../interp.js';
import { CodeCache } from '../jit/cache.js';
import { runJit } from '../jit/run.js';
import { WasmJit } from '../jit/wasm/engine.js';
import { hostBytesFor } from '../jit/wasm/layout.js';
import { ACCESS_FETCH } from '../mmu.js';
import { isaProfile } from './profile.js';

/** A 32-bit word from a bit pattern written bit 31 first (`.` for 0, fields named by letters). */
function word(fields: [number, number][]): number {
  let w = 0;
  let at = 32;
  for (const [bits, value] of fields) {
    at -= bits;
    w |= (value & ((1 << bits) - 1)) << at;
  }
  assert.equal(at, 0);
  return w;
}

/** MOP.R.n: 1 n[4] 00 n[3:2] 0111 n[1:0] rs1 100 rd 1110011 (mop-r.edn, bit 31 first). */
const mopR = (n: number, rd: number, rs1: number): number =>
  word([
    [1, 1],
    [1, n >> 4],
    [2, 0],
    [2, n >> 2],
    [4, 0b0111],
    [2, n],
    [5, rs1],
    [3, 0b100],
    [5, rd],
    [7, 0x73],
  ]);
/** MOP.RR.n: 1 n[2] 00 n[1:0] 1 rs2 rs1 100 rd 1110011 (mop-rr.edn). */
const mopRR = (n: number, rd: number, rs1: number, rs2: number): number =>
  word([
    [1, 1],
    [1, n >> 2],
    [2, 0],
    [2, n],
    [1, 1],
    [5, rs2],
    [5, rs1],
    [3, 0b100],
    [5, rd],
    [7, 0x73],
  ]);

/** Every MOP with a few register choices: [name, word, rd]. */
function mops(): [string, number, number][] {
  const list: [string, number, number][] = [];
  for (const [rd, rs1, rs2] of [
    [10, 11, 12],
    [11, 11, 11],
    [0, 5, 6],
    [31, 0, 0],
  ]) {
    for (let n = 0; n < 32; n++) list.push([`mop.r.${n}`, mopR(n, rd, rs1), rd]);
    for (let n = 0; n < 8; n++) list.push([`mop.rr.${n}`, mopRR(n, rd, rs1, rs2), rd]);
  }
  return list;
}

test('every MOP.R.n and MOP.RR.n decodes to its entry with Zimop, and to nothing without', () => {
  const max = isaProfile('max').decoder;
  const off = isaProfile('max,zimop=off').decoder;
  for (const [name, w] of mops()) {
    assert.equal(max.find(w)?.name, name, `0x${(w >>> 0).toString(16)}`);
    assert.equal(off.find(w), undefined, `${name} with zimop=off`);
  }
  // Neighbours in SYSTEM funct3 100 that are not MOPs: bit 31 clear (the hypervisor's HLV/HSV
  // space), bits 29:28 != 0, MOP.R's bits 25:22 != 0111.
  for (const w of [mopR(0, 10, 11) & 0x7fffffff, mopR(0, 10, 11) | (1 << 28), mopR(0, 10, 11) ^ (1 << 22)])
    assert.equal(max.find(w), undefined, `0x${(w >>> 0).toString(16)}`);
});

const BASE = 0x80000000;
const JAL_SELF = 0x0000006f;
const TRAP = BASE + 0x2000;
const NEVER = 60000;

test('a MOP writes 0 to rd and nothing else in every engine; without Zimop it is illegal', () => {
  const rng = new Prng(0x3095);
  const list = mops();
  for (const spec of ['max', 'max,zimop=off']) {
    for (const engine of ['interpreter', 'translator', 'wasm', 'cold']) {
      // One machine per engine: each MOP at its own address, followed by `jal x0, 0`.
      const mem = new GuestMemory(BASE, 1 << 20, false, hostBytesFor(1, 1 << 20));
      const isa = isaProfile(spec);
      const h = new RiscvHart(0, mem, new PhysBus(mem), { mtime: () => 0, mtime64: () => 0n, isa });
      list.forEach(([, w], k) => {
        mem.write32(BASE + 8 * k, w >>> 0);
        mem.write32(BASE + 8 * k + 4, JAL_SELF);
      });
      mem.write32(TRAP, JAL_SELF);
      h.mtvec = TRAP;
      const cache = new CodeCache(1 << 20, 4096, 1);
      const jit =
        engine === 'wasm' || engine === 'cold'
          ? WasmJit.create(mem, h.decoder, { threshold: engine === 'cold' ? NEVER : 1, batch: 1 })
          : undefined;
      if (engine === 'translator') {
        h.codeCache = cache;
        cache.attach(h.tlb);
      } else jit?.attach(h);
      list.forEach(([name, w, rd], k) => {
        const pc = BASE + 8 * k;
        for (let r = 2; r < 64; r++) h.x[r] = rng.u32() | 0;
        const before = h.x.slice();
        h.pc = pc;
        h.translate(pc, ACCESS_FETCH);
        const budget = spec === 'max' ? 2 : 1;
        if (engine === 'interpreter') runInterpreter(h, budget);
        else if (engine === 'translator') runJit(h, cache, budget);
        else jit?.run(h, budget);
        const what = `${name} 0x${(w >>> 0).toString(16)} under ${spec} (${engine})`;
        const want = before.slice();
        if (spec === 'max') {
          assert.equal(h.pc, pc + 4, `${what}: pc`);
          if (rd !== 0) want[2 * rd] = want[2 * rd + 1] = 0;
        } else {
          assert.equal(h.pc, TRAP, `${what}: trapped`);
          assert.equal(h.mcause[0], CAUSE_ILLEGAL_INSTRUCTION, `${what}: mcause`);
          assert.equal(h.mtval[0], w, `${what}: mtval`);
        }
        assert.deepEqual(h.x, want, `${what}: registers`);
      });
      if (spec === 'max' && engine === 'translator') assert.equal(cache.compiled, list.length);
      if (spec === 'max' && engine === 'wasm') assert.equal(jit?.cache.compiled, list.length);
      if (spec === 'max' && engine === 'cold')
        assert.ok((jit?.coldInsns ?? 0) > 0, 'the cold interpreter ran some');
    }
  }
});
