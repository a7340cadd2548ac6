// The WebAssembly emitters against the interpreter's semantics (the reference, written from the
// unprivileged ISA manual): every natively translated arithmetic instruction runs on edge and
// random operands, with rd aliasing rs1 and with rd = x0, on two harts, one translated and one
// interpreted, and all 32 registers must agree.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { prng } from '../../../../core/prng.js';
import { PhysBus } from '../../../../memory/bus.js';
import { GuestMemory } from '../../../../memory/guest-memory.js';
import { isaProfile } from '../../isa/profile.js';
import { RiscvHart } from '../../hart.js';
import { runInterpreter } from '../../interp.js';
import { ACCESS_FETCH } from '../../mmu.js';
import { WasmJit } from './engine.js';
import { hostBytesFor } from './layout.js';

const BASE = 0x80000000;
const JAL_SELF = 0x0000006f; // jal x0, 0: ends each one-instruction block

function machine(): RiscvHart {
  const mem = new GuestMemory(BASE, 1 << 20, false, hostBytesFor(1, 1 << 20));
  return new RiscvHart(0, mem, new PhysBus(mem), { mtime: () => 0, mtime64: () => 0n });
}

const R = ['add', 'sub', 'sll', 'slt', 'sltu', 'xor', 'srl', 'sra', 'or', 'and'];
const RW = ['addw', 'subw', 'sllw', 'srlw', 'sraw'];
const M = ['mul', 'mulh', 'mulhsu', 'mulhu', 'div', 'divu', 'rem', 'remu'];
const MW = ['mulw', 'divw', 'divuw', 'remw', 'remuw'];
const I = ['addi', 'slti', 'sltiu', 'xori', 'ori', 'andi', 'addiw'];
const SHIFT6 = ['slli', 'srli', 'srai'];
const SHIFT5 = ['slliw', 'srliw', 'sraiw'];

const spec = (name: string) => {
  const s = isaProfile('max').insns.find((x) => x.name === name);
  assert.ok(s, name);
  return s;
};

/** Every form to check: the instruction word for (rd, rs1, rs2) = given registers. */
function words(): { name: string; word: number }[] {
  const out: { name: string; word: number }[] = [];
  const regs: [number, number, number][] = [
    [10, 11, 12],
    [11, 11, 12], // rd = rs1
    [12, 11, 12], // rd = rs2
    [0, 11, 12], // writes to x0 are dropped
    [13, 11, 11], // rs1 = rs2
  ];
  for (const [rd, a, b] of regs) {
    for (const n of [...R, ...RW, ...M, ...MW])
      out.push({ name: n, word: spec(n).match | (rd << 7) | (a << 15) | (b << 20) });
    for (const n of I) {
      for (const imm of [0, 1, -1, 2047, -2048, 0x555]) {
        out.push({ name: n, word: spec(n).match | (rd << 7) | (a << 15) | ((imm & 0xfff) << 20) });
      }
    }
    for (const n of SHIFT6)
      for (const sh of [0, 1, 31, 32, 63])
        out.push({ name: n, word: spec(n).match | (rd << 7) | (a << 15) | (sh << 20) });
    for (const n of SHIFT5)
      for (const sh of [0, 1, 16, 31])
        out.push({ name: n, word: spec(n).match | (rd << 7) | (a << 15) | (sh << 20) });
  }
  for (const imm of [0, 0x12345000, -0x1000, 0x7ffff000]) {
    out.push({ name: 'lui', word: spec('lui').match | (10 << 7) | (imm & 0xfffff000) });
    out.push({ name: 'auipc', word: spec('auipc').match | (10 << 7) | (imm & 0xfffff000) });
  }
  return out;
}

const EDGES = [
  0n,
  1n,
  -1n,
  2n,
  -2n,
  0x7fffffffn,
  0x80000000n,
  0xffffffffn,
  0x100000000n,
  -0x80000000n,
  2n ** 63n - 1n,
  -(2n ** 63n),
  0x5555555555555555n,
];

function setX(h: RiscvHart, r: number, v: bigint): void {
  h.x[2 * r] = Number(BigInt.asIntN(32, v));
  h.x[2 * r + 1] = Number(BigInt.asIntN(32, v >> 32n));
}

/**
 * A start runs this often before it is translated: in the tests of the cold interpreter
 * (cold.ts), nothing is.
 */
const NEVER = 60000;

/**
 * Run every form on every operand pair, translated (or with `cold`, by the dispatcher's cold
 * interpreter) and interpreted; returns the checks made.
 */
function compare(maxBlocks: number, values: [bigint, bigint][], cold = false): number {
  const forms = words();
  const t = machine();
  const ref = machine();
  const jit = WasmJit.create(t.mem, t.decoder, { threshold: cold ? NEVER : 1, batch: 1, maxBlocks });
  assert.ok(jit);
  jit.attach(t);
  forms.forEach((f, k) => {
    for (const h of [t, ref]) {
      h.mem.write32(BASE + 8 * k, f.word >>> 0);
      h.mem.write32(BASE + 8 * k + 4, JAL_SELF);
    }
  });
  let checked = 0;
  forms.forEach((f, k) => {
    const pc = BASE + 8 * k;
    for (const [a, b] of values) {
      for (const h of [t, ref]) {
        h.x.fill(0);
        setX(h, 11, a);
        setX(h, 12, b);
        setX(h, 13, a ^ b);
        h.pc = pc;
        h.translate(pc, ACCESS_FETCH); // the fetch TLB maps the page, as after any earlier fetch
      }
      const before: number = jit.coldInsns;
      const n = jit.run(t, 1);
      runInterpreter(ref, n);
      if (cold) assert.equal(jit.coldInsns - before, 1, `${f.name}: ran cold, in WebAssembly`);
      else assert.equal(n, 2, `${f.name}: ran as one translated block`);
      assert.equal(t.pc, ref.pc);
      for (let x = 0; x < 64; x++) {
        if (t.x[x] !== ref.x[x]) {
          assert.fail(`${f.name} ${(f.word >>> 0).toString(16)} a=${a} b=${b}: x${x >> 1} differs`);
        }
      }
      checked++;
      assert.ok(jit.cache.size <= maxBlocks, 'the cache stays within its bound');
    }
  });
  assert.equal(jit.cache.compiled, cold ? 0 : forms.length, 'every form was translated');
  return checked;
}

function operands(): [bigint, bigint][] {
  const r = prng(11);
  const rand = (): bigint => (BigInt(Math.floor(r() * 2 ** 32)) << 32n) | BigInt(Math.floor(r() * 2 ** 32));
  const values: [bigint, bigint][] = [];
  for (const a of EDGES) for (const b of EDGES) values.push([a, b]);
  for (let k = 0; k < 40; k++) values.push([rand(), rand()]);
  return values;
}

test('translated arithmetic matches the interpreter on edge and random operands', () => {
  assert.ok(compare(65536, operands()) > 100000);
});

test('the cold interpreter matches the interpreter on the same forms and operands', () => {
  assert.ok(compare(65536, operands(), true) > 100000);
});

test('the cold interpreter stops at a page end: straight-line code goes on in the next page', () => {
  const t = machine();
  const ref = machine();
  const jit = WasmJit.create(t.mem, t.decoder, { threshold: NEVER });
  assert.ok(jit);
  jit.attach(t);
  const addi = (imm: number): number => spec('addi').match | (10 << 7) | (10 << 15) | (imm << 20);
  const code: [number, number][] = [
    [BASE, addi(100)], // the first page's start, which a wrong fetch would find
    [BASE + 4092, addi(1)],
    [BASE + 4096, addi(2)],
    [BASE + 4100, JAL_SELF],
  ];
  for (const h of [t, ref]) {
    for (const [at, w] of code) h.mem.write32(at, w >>> 0);
    h.pc = BASE + 4092;
    h.translate(BASE, ACCESS_FETCH);
    h.translate(BASE + 4096, ACCESS_FETCH);
  }
  runInterpreter(ref, jit.run(t, 2));
  assert.equal(t.pc, BASE + 4100);
  assert.deepEqual([...t.x], [...ref.x]);
  assert.equal(t.x[20], 3);
  assert.equal(jit.coldInsns, 2, 'both ran cold, one call in each page');
});

test('with 2 GiB of RAM (tables past 2 GiB), cold code in a page with translations runs cold', () => {
  const size = 2 ** 31;
  const mem = new GuestMemory(BASE, size, false, hostBytesFor(1, size));
  const t = new RiscvHart(0, mem, new PhysBus(mem), { mtime: () => 0, mtime64: () => 0n });
  const jit = WasmJit.create(mem, isaProfile('max').decoder, { threshold: 3, batch: 1 });
  assert.ok(jit);
  jit.attach(t);
  const addi = spec('addi').match | (10 << 7) | (10 << 15) | (1 << 20);
  mem.write32(BASE, JAL_SELF);
  mem.write32(BASE + 64, addi);
  mem.write32(BASE + 68, JAL_SELF);
  t.pc = BASE;
  t.translate(BASE, ACCESS_FETCH);
  jit.run(t, 10);
  assert.equal(jit.cache.compiled, 1, 'the loop at the page start was translated');
  t.pc = BASE + 64;
  const before: number = jit.coldInsns;
  jit.run(t, 1);
  assert.equal(jit.coldInsns - before, 1, 'the dispatcher found no block there and ran it cold');
  assert.equal(t.x[20], 1);
});

test('a cache of 16 blocks stays within its bound, dropping and retranslating, and stays exact', () => {
  // Several operand pairs per form, so that each form's block is found again or retranslated.
  assert.ok(compare(16, operands().slice(0, 8)) > 3000);
});

/**
 * A hart that translates every block (threshold 1) and one that interprets, both with program k
 * (its words, then `jal x0, 0` to end the block) at BASE + stride * k.
 */
function pair(
  programs: readonly number[][],
  stride = 8,
  threshold = 1,
): { t: RiscvHart; ref: RiscvHart; jit: WasmJit } {
  const t = machine();
  const ref = machine();
  const jit = WasmJit.create(t.mem, t.decoder, { threshold, batch: 1 });
  assert.ok(jit);
  jit.attach(t);
  programs.forEach((words, k) => {
    for (const h of [t, ref])
      [...words, JAL_SELF].forEach((w, j) => h.mem.write32(BASE + stride * k + 4 * j, w >>> 0));
  });
  return { t, ref, jit };
}

/**
 * Run one block translated on `t` and the same instructions interpreted on `ref`; pc, mcause and
 * every x register must agree.
 */
function step(t: RiscvHart, ref: RiscvHart, jit: WasmJit, what: string): void {
  runInterpreter(ref, jit.run(t, 1));
  assert.equal(t.pc, ref.pc, `${what}: pc`);
  assert.deepEqual([...t.mcause], [...ref.mcause], `${what}: mcause`);
  assert.deepEqual([...t.x], [...ref.x], `${what}: x`);
}

const AMO_NAMES = ['swap', 'add', 'xor', 'and', 'or', 'min', 'max', 'minu', 'maxu'].flatMap((op) => [
  `amo${op}.w`,
  `amo${op}.d`,
]);

test('translated AMOs match the interpreter: memory, x[rd] and misaligned-address traps', () => {
  const DATA = BASE + 0x80000;
  // (rd, rs1, rs2): rd aliasing rs2 and rs1, rd = x0; then a misaligned address in x11.
  const regs: [number, number, number][] = [
    [10, 11, 12],
    [12, 11, 12],
    [11, 11, 12],
    [0, 11, 12],
  ];
  const forms = AMO_NAMES.flatMap((n) =>
    regs.map(([d, a, b]) => ({ name: n, word: (spec(n).match | (d << 7) | (a << 15) | (b << 20)) >>> 0 })),
  );
  const { t, ref, jit } = pair(forms.map((f) => [f.word]));
  let checked = 0;
  forms.forEach((f, k) => {
    const pc = BASE + 8 * k;
    for (const [old, b] of [...operands().slice(0, 60), [0x1234n, 5n] as [bigint, bigint]]) {
      for (const misaligned of [false, true]) {
        for (const h of [t, ref]) {
          h.x.fill(0);
          h.mem.write64(DATA, 0x0123456789abcdefn);
          h.mem.write64(DATA + 8, BigInt.asUintN(64, old));
          setX(h, 11, BigInt(DATA + 8 + (misaligned ? 2 : 0)));
          setX(h, 12, b);
          h.pc = pc;
          h.translate(pc, ACCESS_FETCH);
        }
        const what = `${f.name} ${f.word.toString(16)} old=${old} b=${b}${misaligned ? ' misaligned' : ''}`;
        step(t, ref, jit, what);
        assert.equal(t.mem.read64(DATA + 8), ref.mem.read64(DATA + 8), `${what}: memory`);
        assert.equal(t.mem.read64(DATA), ref.mem.read64(DATA), `${what}: the word before`);
        checked++;
      }
    }
  });
  assert.ok(checked > 4000);
  // The aligned cases ran translated: the helper was not asked to do them.
  assert.equal(jit.cache.compiled, forms.length);
});

for (const cold of [false, true])
  test(`${cold ? 'cold' : 'translated'} loads and stores match the interpreter: every width, aligned, misaligned and across pages`, () => {
    const DATA = BASE + 0x80000; // two RAM pages of data, DATA and DATA + 4096
    const LOADS = ['lb', 'lh', 'lw', 'ld', 'lbu', 'lhu', 'lwu'];
    const STORES = ['sb', 'sh', 'sw', 'sd'];
    const forms: { name: string; word: number }[] = [];
    for (const imm of [0, 8, -8]) {
      const i = (imm & 0xfff) << 20;
      const s = ((imm & 0xfe0) << 20) | ((imm & 0x1f) << 7);
      for (const n of LOADS)
        for (const [d, a] of [
          [10, 11],
          [11, 11], // rd = rs1
          [0, 11],
        ])
          forms.push({
            name: `${n} x${d}, ${imm}(x${a})`,
            word: (spec(n).match | (d << 7) | (a << 15) | i) >>> 0,
          });
      for (const n of STORES)
        for (const [a, b] of [
          [11, 12],
          [11, 11], // rs2 = rs1: the address is stored
        ])
          forms.push({
            name: `${n} x${b}, ${imm}(x${a})`,
            word: (spec(n).match | (a << 15) | (b << 20) | s) >>> 0,
          });
    }
    const { t, ref, jit } = pair(
      forms.map((f) => [f.word]),
      8,
      cold ? NEVER : 1,
    );
    const r = prng(5);
    let checked = 0;
    forms.forEach((f, k) => {
      const pc = BASE + 8 * k;
      // Aligned for every width, misaligned within the page, across into the next page; each
      // address twice, so that the second access finds its page in the TLB.
      for (const off of [16, 16, 1, 1, 2, 3, 6, 4095 - 8, 4094 - 8, 4092 - 8, 4088 + 8, 4088 + 8, 4090]) {
        const fill = Array.from({ length: 1024 * 2 }, () => Math.floor(r() * 2 ** 32) | 0);
        for (const h of [t, ref]) {
          h.x.fill(0);
          fill.forEach((w, j) => h.mem.write32(DATA + 4 * j, w >>> 0));
          setX(h, 11, BigInt(DATA + off));
          setX(h, 12, 0x0123456789abcdefn);
          h.pc = pc;
          h.translate(pc, ACCESS_FETCH);
        }
        const what = `${f.name} at DATA+${off}`;
        step(t, ref, jit, what);
        for (let j = 0; j < 1024 * 2; j++)
          if (t.mem.read32(DATA + 4 * j) !== ref.mem.read32(DATA + 4 * j))
            assert.fail(`${what}: memory at +${4 * j}`);
        checked++;
      }
    });
    assert.equal(checked, forms.length * 13);
    if (cold) {
      // The aligned accesses, the second time at each address (the first fills the TLB).
      assert.ok(jit.coldInsns >= forms.length * 2, 'loads and stores ran cold');
      assert.equal(jit.cache.compiled, 0);
    } else assert.equal(jit.cache.compiled, forms.length, 'every form ran translated');
  });

test('cold branches and jumps match the interpreter: taken, not taken, links aliasing the base', () => {
  const BRANCHES = ['beq', 'bne', 'blt', 'bge', 'bltu', 'bgeu'];
  const forms: { name: string; word: number }[] = [];
  for (const n of BRANCHES)
    for (const imm of [8, -8, 0x7fe, -0x800]) {
      const b = ((imm >> 12) & 1) << 31;
      const word =
        spec(n).match | b | (((imm >> 5) & 63) << 25) | (((imm >> 1) & 15) << 8) | (((imm >> 11) & 1) << 7);
      forms.push({ name: `${n} ${imm}`, word: word | (11 << 15) | (12 << 20) });
    }
  for (const [d, a] of [
    [1, 11],
    [11, 11], // rd = rs1: the target comes from the old value
    [0, 11],
  ])
    for (const imm of [0, 5, -4, 2047]) {
      forms.push({
        name: `jalr x${d}, ${imm}(x${a})`,
        word: spec('jalr').match | (d << 7) | (a << 15) | ((imm & 0xfff) << 20),
      });
    }
  for (const imm of [4, -8, 0xffffe, -0x100000]) {
    const j =
      (((imm >> 20) & 1) << 31) |
      (((imm >> 1) & 1023) << 21) |
      (((imm >> 11) & 1) << 20) |
      (((imm >> 12) & 255) << 12);
    forms.push({ name: `jal x1, ${imm}`, word: spec('jal').match | (1 << 7) | j });
  }
  const { t, ref, jit } = pair(
    forms.map((f) => [f.word]),
    8,
    NEVER,
  );
  let checked = 0;
  forms.forEach((f, k) => {
    const pc = BASE + 8 * k;
    for (const [a, b] of operands().slice(0, 200)) {
      for (const h of [t, ref]) {
        h.x.fill(0);
        // Jump targets near the program, so that they are JavaScript numbers either way.
        setX(h, 11, f.name.startsWith('jalr') ? BigInt(BASE) + (a & 0xfffffn) : a);
        setX(h, 12, b);
        h.pc = pc;
        h.translate(pc, ACCESS_FETCH);
      }
      const before: number = jit.coldInsns;
      step(t, ref, jit, `${f.name} a=${a} b=${b}`);
      assert.equal(jit.coldInsns - before, 1, `${f.name}: ran cold`);
      checked++;
    }
  });
  assert.equal(checked, forms.length * 200);
});

test('translated LR/SC match the interpreter: success, failure, reservation and misaligned traps', () => {
  const DATA = BASE + 0x80000;
  const lr = (w: 'w' | 'd', d: number, a: number): number =>
    (spec(`lr.${w}`).match | (d << 7) | (a << 15)) >>> 0;
  const sc = (w: 'w' | 'd', d: number, a: number, b: number): number =>
    (spec(`sc.${w}`).match | (d << 7) | (a << 15) | (b << 20)) >>> 0;
  // Two-instruction blocks: LR at x11 then SC at x14 (x11 itself, or another address), and an SC
  // with no LR before it; rd of the SC aliasing its rs2 and rs1, and x0.
  const forms: { name: string; words: number[] }[] = [];
  for (const w of ['w', 'd'] as const)
    for (const [d, b] of [
      [13, 12],
      [12, 12],
      [14, 12],
      [0, 12],
    ]) {
      forms.push({
        name: `lr.${w} x10,(x11); sc.${w} x${d},x${b},(x11)`,
        words: [lr(w, 10, 11), sc(w, d, 11, b)],
      });
      forms.push({
        name: `lr.${w} x10,(x11); sc.${w} x${d},x${b},(x14)`,
        words: [lr(w, 10, 11), sc(w, d, 14, b)],
      });
      forms.push({ name: `sc.${w} x${d},x${b},(x11) alone`, words: [sc(w, d, 11, b), 0x00000013] });
      forms.push({ name: `lr.${w} x11,(x11) (rd = rs1)`, words: [lr(w, 11, 11), 0x00000013] });
    }
  const { t, ref, jit } = pair(
    forms.map((f) => f.words),
    16,
  );
  let checked = 0;
  forms.forEach((f, k) => {
    const pc = BASE + 16 * k;
    for (const off of [8, 8, 16, 4, 2]) {
      for (const h of [t, ref]) {
        h.x.fill(0);
        h.reservation = -1;
        for (let j = 0; j < 8; j++) h.mem.write32(DATA + 4 * j, (0x89abcdef + j * 0x01010101) >>> 0);
        setX(h, 11, BigInt(DATA + off));
        setX(h, 12, 0x0123456789abcdefn);
        setX(h, 14, BigInt(DATA + ((off + 8) & 31)));
        h.pc = pc;
        h.translate(pc, ACCESS_FETCH);
      }
      const what = `${f.name} at DATA+${off}`;
      step(t, ref, jit, what);
      assert.equal(t.reservation, ref.reservation, `${what}: reservation`);
      for (let j = 0; j < 8; j++)
        assert.equal(t.mem.read32(DATA + 4 * j), ref.mem.read32(DATA + 4 * j), `${what}: memory`);
      checked++;
    }
  });
  assert.equal(checked, forms.length * 5);
  assert.equal(jit.cache.compiled, forms.length, 'every form ran translated');
});

test('a load or store after a block start that misses the TLB leaves the block exactly before it', () => {
  const DATA = BASE + 0x80000;
  const ADDI_X13 = 0x00168693; // addi x13, x13, 1
  const LD_X10 = 0x0005b503; // ld x10, 0(x11)
  const SD_X12 = 0x00c5b023; // sd x12, 0(x11)
  // x13 counts the instructions around the access: the one before it must run exactly once.
  const { t, ref, jit } = pair([
    [ADDI_X13, LD_X10, ADDI_X13],
    [ADDI_X13, SD_X12, ADDI_X13],
  ]);
  let checked = 0;
  for (const [k, name] of ['ld', 'sd'].entries()) {
    // RAM whose page is not in the TLB yet; then an address where nothing is (an access fault).
    for (const addr of [DATA + 8 * k, DATA + 8 * k, 0x1000]) {
      const pc = BASE + 8 * k;
      for (const h of [t, ref]) {
        h.x.fill(0);
        h.mem.write64(DATA + 8 * k, 0x1122334455667788n);
        setX(h, 11, BigInt(addr));
        setX(h, 12, 0x0123456789abcdefn);
        h.pc = pc;
        h.tlb.flush();
        h.translate(pc, ACCESS_FETCH);
      }
      const what = `${name} at 0x${addr.toString(16)}`;
      // Up to the block-ending jal after the access, or into the trap handler.
      const n = jit.run(t, 4);
      assert.equal(runInterpreter(ref, n), n, what);
      assert.equal(t.pc, ref.pc, `${what}: pc`);
      assert.equal(t.retired, ref.retired, `${what}: instructions retired`);
      assert.deepEqual([...t.mepc], [...ref.mepc], `${what}: mepc`);
      assert.deepEqual([...t.mcause], [...ref.mcause], `${what}: mcause`);
      assert.deepEqual([...t.x], [...ref.x], `${what}: x`);
      assert.equal(t.mem.read64(DATA + 8 * k), ref.mem.read64(DATA + 8 * k), `${what}: memory`);
      checked++;
    }
  }
  assert.equal(checked, 6);
  for (const k of [0, 1]) {
    assert.ok(jit.cache.get(8 * k, BASE + 8 * k), 'the block ran translated');
    // The dispatcher was left at the access, and (threshold 1) made a block starting there.
    assert.ok(jit.cache.get(8 * k + 4, BASE + 8 * k + 4), 'the block was left before the access');
  }
});
