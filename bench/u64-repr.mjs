#!/usr/bin/env node
// How to hold RV64 registers in JavaScript: a micro-benchmark of four representations running the
// same interpreter-like inner loop (docs/u64-representation.md has the method and the figures).
//
//   node bench/u64-repr.mjs [--trial-ms N] [--trials N] [--json]
//
// Workloads (the same decoded guest programs for every representation):
//   alu  32 instructions: add/sub/addi, shifts by immediates, slt/sltu, and/or/xor, and two 64-bit
//        loads whose address is computed as rs1 + imm and masked into a 64 KiB RAM
//   mem  16 instructions: 6 loads, 4 stores (address = rs1 + imm), 6 add/xor/addi
//   mul  16 instructions: 7 x mul (low 64 bits), 4 x mulhu (high 64 bits), add/xor/addi
// Representations:
//   BigInt      BigInt64Array registers, BigInt arithmetic
//   i32 pairs   Int32Array registers, (lo, hi) pairs, 32-bit arithmetic, Math.imul products
//   f64         Float64Array registers, plain number arithmetic: exact only below 2^53
//   wasm        a WebAssembly module generated here (no dependency) with native i64:
//                 block  the program as straight-line code, a loop run N times per call
//                        (the shape a translator emits), registers in linear memory
//                 step   JS dispatch calling one exported wasm function per guest instruction
// The JS interpreters dispatch with a switch over pre-decoded instructions, as an interpreter with
// a decode cache does. "JS block" is the same semantics emitted as straight-line JS source (a JS
// translator). Every variant is checked against the BigInt results after a fixed run; BigInt and
// wasm are independent implementations and agree.
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const TRIAL_MS = opt('--trial-ms', 250);
const TRIALS = opt('--trials', 7);
const JSON_OUT = args.includes('--json');
const { WebAssembly } = globalThis;

// ---------------------------------------------------------------------------------------------
// Guest programs.

const OPS = [
  'add',
  'sub',
  'addi',
  'slli',
  'srli',
  'srai',
  'slt',
  'sltu',
  'and',
  'or',
  'xor',
  'ld',
  'sd',
  'mul',
  'mulhu',
];
const OP = Object.fromEntries(OPS.map((n, i) => [n, i]));
const RAM_BYTES = 65536;
const RAM_MASK = 0xfff8; // effective address -> 8-byte-aligned offset in RAM

// [op, rd, rs1, rs2-or-imm]; for sd: [op, value register, base register, imm]
const ALU_PROGRAM = [
  ['add', 5, 1, 2],
  ['xor', 6, 5, 3],
  ['slli', 7, 6, 13],
  ['srli', 8, 6, 7],
  ['or', 9, 7, 8],
  ['sub', 10, 9, 4],
  ['addi', 11, 10, -1234567],
  ['sltu', 12, 11, 1],
  ['add', 1, 1, 12],
  ['ld', 13, 11, 64],
  ['xor', 2, 2, 13],
  ['srai', 14, 2, 17],
  ['and', 15, 14, 3],
  ['slt', 12, 15, 10],
  ['add', 3, 3, 12],
  ['addi', 3, 3, 0x55555],
  ['sub', 4, 4, 15],
  ['xor', 4, 4, 9],
  ['slli', 5, 4, 41],
  ['srli', 6, 1, 23],
  ['or', 7, 5, 6],
  ['add', 2, 2, 7],
  ['ld', 8, 4, -8],
  ['add', 1, 1, 8],
  ['xor', 9, 1, 2],
  ['srai', 10, 9, 3],
  ['addi', 11, 10, 77],
  ['and', 12, 11, 4],
  ['or', 13, 12, 3],
  ['sltu', 14, 13, 2],
  ['add', 4, 4, 14],
  ['xor', 1, 1, 13],
];

const MUL_PROGRAM = [
  ['mul', 5, 1, 2],
  ['mulhu', 6, 1, 2],
  ['xor', 1, 1, 6],
  ['addi', 1, 1, 12345],
  ['mul', 7, 3, 4],
  ['mulhu', 8, 3, 4],
  ['add', 2, 2, 8],
  ['xor', 2, 2, 5],
  ['mulhu', 9, 5, 7],
  ['add', 3, 3, 9],
  ['xor', 3, 3, 7],
  ['addi', 3, 3, -99],
  ['mulhu', 10, 6, 8],
  ['mul', 11, 6, 8],
  ['xor', 4, 4, 10],
  ['add', 4, 4, 11],
];

const MEM_PROGRAM = [
  ['ld', 5, 1, 0],
  ['ld', 6, 2, 8],
  ['add', 7, 5, 6],
  ['sd', 7, 3, 16],
  ['addi', 1, 1, 24],
  ['xor', 2, 2, 5],
  ['ld', 8, 3, -16],
  ['sd', 8, 4, 0],
  ['add', 3, 3, 8],
  ['ld', 9, 4, 32],
  ['xor', 4, 4, 9],
  ['addi', 4, 4, 8],
  ['sd', 9, 1, 40],
  ['ld', 10, 7, 0],
  ['add', 2, 2, 10],
  ['sd', 10, 2, 8],
];

const usesImm = (op) => ['addi', 'slli', 'srli', 'srai', 'ld', 'sd'].includes(op);

function decode(program) {
  const n = program.length;
  const p = {
    n,
    list: program,
    op: new Uint8Array(n),
    rd: new Uint8Array(n),
    rs1: new Uint8Array(n),
    rs2: new Uint8Array(n),
    imm: new Int32Array(n),
    immB: new Array(n),
  };
  program.forEach(([op, rd, rs1, x], i) => {
    p.op[i] = OP[op];
    p.rd[i] = rd;
    p.rs1[i] = rs1;
    if (usesImm(op)) p.imm[i] = x;
    else p.rs2[i] = x;
    p.immB[i] = BigInt(p.imm[i]); // converted once, at decode time
  });
  return p;
}

// Deterministic initial state: 16 registers and the RAM contents, as signed 64-bit BigInts.
function initialState() {
  let s = 0x243f6a8885a308d3n;
  const next = () => {
    s ^= (s << 13n) & 0xffffffffffffffffn;
    s ^= s >> 7n;
    s ^= (s << 17n) & 0xffffffffffffffffn;
    return BigInt.asIntN(64, s * 0x2545f4914f6cdd1dn);
  };
  const regs = Array.from({ length: 32 }, (_, i) => (i === 0 || i >= 16 ? 0n : next()));
  const ram = new BigInt64Array(RAM_BYTES / 8);
  for (let i = 0; i < ram.length; i++) ram[i] = next();
  return { regs, ram };
}

// ---------------------------------------------------------------------------------------------
// JS semantics as source templates, used both by the interpreters (operands are variables) and by
// the JS block translator (operands are constants). One description per representation.

// Int32 pairs: register r lives at R[2r] (low word) and R[2r+1] (high word). d, a, b are the
// already doubled indices; m is the RAM as an Int32Array.
const PAIR = {
  add: (d, a, b) =>
    `{ const al = R[${a}], bl = R[${b}], lo = (al + bl) | 0;
       R[${d} + 1] = (R[${a} + 1] + R[${b} + 1] + ((lo >>> 0) < (al >>> 0) ? 1 : 0)) | 0; R[${d}] = lo; }`,
  sub: (d, a, b) =>
    `{ const al = R[${a}], bl = R[${b}];
       R[${d} + 1] = (R[${a} + 1] - R[${b} + 1] - ((al >>> 0) < (bl >>> 0) ? 1 : 0)) | 0; R[${d}] = (al - bl) | 0; }`,
  addi: (d, a, imm) =>
    `{ const al = R[${a}], lo = (al + ${imm}) | 0;
       R[${d} + 1] = (R[${a} + 1] + (${imm} >> 31) + ((lo >>> 0) < (al >>> 0) ? 1 : 0)) | 0; R[${d}] = lo; }`,
  slli: (d, a, sh) =>
    typeof sh === 'number'
      ? sh === 0
        ? `R[${d}] = R[${a}]; R[${d} + 1] = R[${a} + 1];`
        : sh < 32
          ? `{ const al = R[${a}]; R[${d} + 1] = (R[${a} + 1] << ${sh}) | (al >>> ${32 - sh}); R[${d}] = al << ${sh}; }`
          : `{ R[${d} + 1] = R[${a}] << ${sh - 32}; R[${d}] = 0; }`
      : `{ const al = R[${a}], ah = R[${a} + 1], s = ${sh};
           if (s === 0) { R[${d}] = al; R[${d} + 1] = ah; }
           else if (s < 32) { R[${d} + 1] = (ah << s) | (al >>> (32 - s)); R[${d}] = al << s; }
           else { R[${d} + 1] = al << (s - 32); R[${d}] = 0; } }`,
  srli: (d, a, sh) =>
    typeof sh === 'number'
      ? sh === 0
        ? `R[${d}] = R[${a}]; R[${d} + 1] = R[${a} + 1];`
        : sh < 32
          ? `{ const ah = R[${a} + 1]; R[${d}] = (R[${a}] >>> ${sh}) | (ah << ${32 - sh}); R[${d} + 1] = ah >>> ${sh}; }`
          : `{ R[${d}] = R[${a} + 1] >>> ${sh - 32}; R[${d} + 1] = 0; }`
      : `{ const al = R[${a}], ah = R[${a} + 1], s = ${sh};
           if (s === 0) { R[${d}] = al; R[${d} + 1] = ah; }
           else if (s < 32) { R[${d}] = (al >>> s) | (ah << (32 - s)); R[${d} + 1] = ah >>> s; }
           else { R[${d}] = ah >>> (s - 32); R[${d} + 1] = 0; } }`,
  srai: (d, a, sh) =>
    typeof sh === 'number'
      ? sh === 0
        ? `R[${d}] = R[${a}]; R[${d} + 1] = R[${a} + 1];`
        : sh < 32
          ? `{ const ah = R[${a} + 1]; R[${d}] = (R[${a}] >>> ${sh}) | (ah << ${32 - sh}); R[${d} + 1] = ah >> ${sh}; }`
          : `{ const ah = R[${a} + 1]; R[${d}] = ah >> ${sh - 32}; R[${d} + 1] = ah >> 31; }`
      : `{ const al = R[${a}], ah = R[${a} + 1], s = ${sh};
           if (s === 0) { R[${d}] = al; R[${d} + 1] = ah; }
           else if (s < 32) { R[${d}] = (al >>> s) | (ah << (32 - s)); R[${d} + 1] = ah >> s; }
           else { R[${d}] = ah >> (s - 32); R[${d} + 1] = ah >> 31; } }`,
  slt: (d, a, b) =>
    `{ const ah = R[${a} + 1], bh = R[${b} + 1];
       R[${d}] = ah < bh || (ah === bh && (R[${a}] >>> 0) < (R[${b}] >>> 0)) ? 1 : 0; R[${d} + 1] = 0; }`,
  sltu: (d, a, b) =>
    `{ const ah = R[${a} + 1] >>> 0, bh = R[${b} + 1] >>> 0;
       R[${d}] = ah < bh || (ah === bh && (R[${a}] >>> 0) < (R[${b}] >>> 0)) ? 1 : 0; R[${d} + 1] = 0; }`,
  and: (d, a, b) => `R[${d}] = R[${a}] & R[${b}]; R[${d} + 1] = R[${a} + 1] & R[${b} + 1];`,
  or: (d, a, b) => `R[${d}] = R[${a}] | R[${b}]; R[${d} + 1] = R[${a} + 1] | R[${b} + 1];`,
  xor: (d, a, b) => `R[${d}] = R[${a}] ^ R[${b}]; R[${d} + 1] = R[${a} + 1] ^ R[${b} + 1];`,
  // RAM is below 4 GiB in this model, so only the low word of the address matters after masking.
  ld: (d, a, imm) =>
    `{ const i = ((R[${a}] + ${imm}) & ${RAM_MASK}) >> 2; R[${d}] = m[i]; R[${d} + 1] = m[i + 1]; }`,
  sd: (v, a, imm) =>
    `{ const i = ((R[${a}] + ${imm}) & ${RAM_MASK}) >> 2; m[i] = R[${v}]; m[i + 1] = R[${v} + 1]; }`,
  mul: (d, a, b) =>
    `{ const al = R[${a}], ah = R[${a} + 1], bl = R[${b}], bh = R[${b} + 1];
       R[${d} + 1] = (Math.imul(al, bh) + Math.imul(ah, bl) + mulhi32u(al, bl)) | 0; R[${d}] = Math.imul(al, bl); }`,
  mulhu: (d, a, b) =>
    `{ const al = R[${a}], ah = R[${a} + 1], bl = R[${b}], bh = R[${b} + 1];
       const mid = (mulhi32u(al, bl) >>> 0) + (Math.imul(al, bh) >>> 0) + (Math.imul(ah, bl) >>> 0);
       const low = (Math.imul(ah, bh) >>> 0) + (mulhi32u(al, bh) >>> 0) + (mulhi32u(ah, bl) >>> 0) + Math.floor(mid / 4294967296);
       R[${d} + 1] = (mulhi32u(ah, bh) + Math.floor(low / 4294967296)) | 0; R[${d}] = low | 0; }`,
};

/** High 32 bits of the unsigned 32x32-bit product, from 16-bit partial products (all exact). */
function mulhi32u(a, b) {
  const a0 = a & 0xffff,
    a1 = a >>> 16,
    b0 = b & 0xffff,
    b1 = b >>> 16;
  const p01 = a0 * b1,
    p10 = a1 * b0;
  const mid = ((a0 * b0) >>> 16) + (p01 & 0xffff) + (p10 & 0xffff);
  return (a1 * b1 + (p01 >>> 16) + (p10 >>> 16) + (mid >>> 16)) | 0;
}

// BigInt: R is a BigInt64Array (stores wrap modulo 2^64), U a BigUint64Array on the same buffer;
// m is the RAM as a BigInt64Array. Immediates and shift amounts are BigInts.
const BIG = {
  add: (d, a, b) => `R[${d}] = R[${a}] + R[${b}];`,
  sub: (d, a, b) => `R[${d}] = R[${a}] - R[${b}];`,
  addi: (d, a, imm) => `R[${d}] = R[${a}] + ${imm};`,
  slli: (d, a, sh) => `R[${d}] = R[${a}] << ${sh};`,
  srli: (d, a, sh) => `R[${d}] = U[${a}] >> ${sh};`,
  srai: (d, a, sh) => `R[${d}] = R[${a}] >> ${sh};`,
  slt: (d, a, b) => `R[${d}] = R[${a}] < R[${b}] ? 1n : 0n;`,
  sltu: (d, a, b) => `R[${d}] = U[${a}] < U[${b}] ? 1n : 0n;`,
  and: (d, a, b) => `R[${d}] = R[${a}] & R[${b}];`,
  or: (d, a, b) => `R[${d}] = R[${a}] | R[${b}];`,
  xor: (d, a, b) => `R[${d}] = R[${a}] ^ R[${b}];`,
  ld: (d, a, imm) => `R[${d}] = m[Number(BigInt.asUintN(16, R[${a}] + ${imm})) >>> 3];`,
  sd: (v, a, imm) => `m[Number(BigInt.asUintN(16, R[${a}] + ${imm})) >>> 3] = R[${v}];`,
  mul: (d, a, b) => `R[${d}] = R[${a}] * R[${b}];`,
  mulhu: (d, a, b) => `R[${d}] = (U[${a}] * U[${b}]) >> 64n;`,
};

// Plain doubles: exact only while every value stays an integer below 2^53 in magnitude. Bitwise
// operators work on 32 bits, shifts become multiplications. Here to show speed and wrongness.
const F64 = {
  add: (d, a, b) => `R[${d}] = R[${a}] + R[${b}];`,
  sub: (d, a, b) => `R[${d}] = R[${a}] - R[${b}];`,
  addi: (d, a, imm) => `R[${d}] = R[${a}] + ${imm};`,
  slli: (d, a, sh) => `R[${d}] = R[${a}] * 2 ** ${sh};`,
  srli: (d, a, sh) => `R[${d}] = Math.floor(R[${a}] / 2 ** ${sh});`,
  srai: (d, a, sh) => `R[${d}] = Math.floor(R[${a}] / 2 ** ${sh});`,
  slt: (d, a, b) => `R[${d}] = R[${a}] < R[${b}] ? 1 : 0;`,
  sltu: (d, a, b) => `R[${d}] = R[${a}] < R[${b}] ? 1 : 0;`,
  and: (d, a, b) => `R[${d}] = R[${a}] & R[${b}];`,
  or: (d, a, b) => `R[${d}] = R[${a}] | R[${b}];`,
  xor: (d, a, b) => `R[${d}] = R[${a}] ^ R[${b}];`,
  ld: (d, a, imm) => `R[${d}] = m[((R[${a}] + ${imm}) & ${RAM_MASK}) >>> 3];`,
  sd: (v, a, imm) => `m[((R[${a}] + ${imm}) & ${RAM_MASK}) >>> 3] = R[${v}];`,
};

/** An interpreter over a decoded program: loop, fetch the decoded fields, switch on the opcode. */
function makeInterpreter(sem, kind) {
  const x2 = kind === 'pair' ? ' << 1' : '';
  const cases = OPS.filter((op) => sem[op])
    .map((op) => {
      const b = usesImm(op) ? (kind === 'big' ? 'immB[pc]' : 'imm[pc]') : 'b';
      return `case ${OP[op]}: ${sem[op]('d', 'a', b)} break;`;
    })
    .join('\n');
  return `
    return function run(p, iters) {
      const { n, op, rd, rs1, rs2, imm, immB } = p;
      for (let it = 0; it < iters; it++) {
        for (let pc = 0; pc < n; pc++) {
          const d = rd[pc]${x2}, a = rs1[pc]${x2}, b = rs2[pc]${x2};
          switch (op[pc]) {
            ${cases}
            default: throw new Error('bad op');
          }
        }
      }
    };`;
}

/** A JS translator: the program as straight-line code with constant register indices. */
function makeJsBlock(sem, kind, program) {
  const lines = program.map(([op, rd, rs1, x]) => {
    const r = (v) => (kind === 'pair' ? 2 * v : v);
    const imm = kind === 'big' ? `${x}n` : x;
    return sem[op](r(rd), r(rs1), usesImm(op) ? imm : r(x));
  });
  return `return function run(_p, iters) { for (let it = 0; it < iters; it++) { ${lines.join('\n')} } };`;
}

// ---------------------------------------------------------------------------------------------
// WebAssembly, emitted byte by byte.

const uleb = (n) => {
  const out = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return out;
};
const sleb = (v) => {
  let n = BigInt(v);
  const out = [];
  for (;;) {
    const b = Number(n & 0x7fn);
    n >>= 7n;
    const done = (n === 0n && !(b & 0x40)) || (n === -1n && b & 0x40);
    out.push(done ? b : b | 0x80);
    if (done) return out;
  }
};
const vec = (items) => [...uleb(items.length), ...items.flat()];
const section = (id, bytes) => [id, ...uleb(bytes.length), ...bytes];
const str = (s) => vec([...Buffer.from(s)].map((c) => [c]));

const W = {
  block: 0x02,
  loop: 0x03,
  br: 0x0c,
  brIf: 0x0d,
  end: 0x0b,
  void: 0x40,
  localGet: 0x20,
  localSet: 0x21,
  localTee: 0x22,
  i32Const: 0x41,
  i64Const: 0x42,
  i64Load: 0x29,
  i64Store: 0x37,
  i32Eqz: 0x45,
  i64LtS: 0x53,
  i64LtU: 0x54,
  i32Add: 0x6a,
  i32Sub: 0x6b,
  i32And: 0x71,
  i32Shl: 0x74,
  i64Add: 0x7c,
  i64Sub: 0x7d,
  i64Mul: 0x7e,
  i64And: 0x83,
  i64Or: 0x84,
  i64Xor: 0x85,
  i64Shl: 0x86,
  i64ShrS: 0x87,
  i64ShrU: 0x88,
  i32WrapI64: 0xa7,
  i64ExtendI32S: 0xac,
  i64ExtendI32U: 0xad,
  i32: 0x7f,
  i64: 0x7e,
};
const RAM_BASE = 65536; // registers at 0..255, RAM at 64 KiB in linear memory
const M32 = 0xffffffffn;

/**
 * One guest instruction as wasm. `src` says where operands come from: constants (a translated
 * block) or the parameters of an exported per-instruction function. Locals 1..8 are i64 scratch.
 */
function wasmInstr(op, src) {
  const load = (sel) => [...src.addr(sel), W.i64Load, 3, ...uleb(src.off(sel))];
  const i64c = (v) => [W.i64Const, ...sleb(v)];
  const get = (l) => [W.localGet, l];
  const set = (l) => [W.localSet, l];
  const bin = (o) => [...load('a'), ...load('b'), o];
  const address = () => [
    ...load('a'),
    ...src.imm(),
    W.i64Add,
    W.i32WrapI64,
    W.i32Const,
    ...sleb(RAM_MASK),
    W.i32And,
  ];
  if (op === 'sd') return [...address(), ...load('d'), W.i64Store, 3, ...uleb(RAM_BASE)];
  const value = {
    add: () => bin(W.i64Add),
    sub: () => bin(W.i64Sub),
    and: () => bin(W.i64And),
    or: () => bin(W.i64Or),
    xor: () => bin(W.i64Xor),
    mul: () => bin(W.i64Mul),
    slt: () => [...bin(W.i64LtS), W.i64ExtendI32U],
    sltu: () => [...bin(W.i64LtU), W.i64ExtendI32U],
    addi: () => [...load('a'), ...src.imm(), W.i64Add],
    slli: () => [...load('a'), ...src.imm(), W.i64Shl],
    srli: () => [...load('a'), ...src.imm(), W.i64ShrU],
    srai: () => [...load('a'), ...src.imm(), W.i64ShrS],
    ld: () => [...address(), W.i64Load, 3, ...uleb(RAM_BASE)],
    // No 64x64->128 multiply in wasm 1.0: four 32x32->64 products (locals: 1 A, 2 B, 3 al, 4 ah,
    // 5 bl, 6 bh, 7 al*bh, 8 ah*bl).
    mulhu: () => [
      ...load('a'),
      W.localTee,
      1,
      ...i64c(M32),
      W.i64And,
      ...set(3),
      ...get(1),
      ...i64c(32),
      W.i64ShrU,
      ...set(4),
      ...load('b'),
      W.localTee,
      2,
      ...i64c(M32),
      W.i64And,
      ...set(5),
      ...get(2),
      ...i64c(32),
      W.i64ShrU,
      ...set(6),
      ...get(3),
      ...get(6),
      W.i64Mul,
      ...set(7),
      ...get(4),
      ...get(5),
      W.i64Mul,
      ...set(8),
      ...get(4),
      ...get(6),
      W.i64Mul, // ah*bh
      ...get(7),
      ...i64c(32),
      W.i64ShrU,
      W.i64Add,
      ...get(8),
      ...i64c(32),
      W.i64ShrU,
      W.i64Add,
      ...get(3),
      ...get(5),
      W.i64Mul,
      ...i64c(32),
      W.i64ShrU, // (al*bl) >> 32
      ...get(7),
      ...i64c(M32),
      W.i64And,
      W.i64Add,
      ...get(8),
      ...i64c(M32),
      W.i64And,
      W.i64Add,
      ...i64c(32),
      W.i64ShrU,
      W.i64Add,
    ],
  }[op]();
  return [...src.addr('d'), ...value, W.i64Store, 3, ...uleb(src.off('d'))];
}

const constSrc = ([op, rd, rs1, x]) => ({
  addr: () => [W.i32Const, 0],
  off: (sel) => 8 * (sel === 'd' ? rd : sel === 'a' ? rs1 : x),
  imm: () => [W.i64Const, ...sleb(x)],
  op,
});
// Exported step functions: params 0 = rd, 1 = rs1, 2 = rs2 or the immediate.
const paramSrc = (op) => ({
  addr: (sel) => [W.localGet, sel === 'd' ? 0 : sel === 'a' ? 1 : 2, W.i32Const, 3, W.i32Shl],
  off: () => 0,
  imm: () => [W.localGet, 2, ['slli', 'srli', 'srai'].includes(op) ? W.i64ExtendI32U : W.i64ExtendI32S],
  op,
});

/** The module: nop, one block function per workload, step functions; or only `only` of them. */
function buildWasm(only = null) {
  const types = [
    [0x60, ...vec([]), ...vec([])], // 0: () -> ()
    [0x60, ...vec([[W.i32]]), ...vec([])], // 1: (i32) -> ()
    [0x60, ...vec([[W.i32], [W.i32], [W.i32]]), ...vec([])], // 2: (i32, i32, i32) -> ()
  ];
  const scratch = vec([[8, W.i64]]); // 8 locals of type i64
  const loopBody = (program) => [
    W.block,
    W.void,
    W.loop,
    W.void,
    W.localGet,
    0,
    W.i32Eqz,
    W.brIf,
    1,
    ...program.flatMap((ins) => wasmInstr(ins[0], constSrc(ins))),
    W.localGet,
    0,
    W.i32Const,
    1,
    W.i32Sub,
    W.localSet,
    0,
    W.br,
    0,
    W.end,
    W.end,
  ];
  const stepOps = ['add', 'sub', 'addi', 'slli', 'srli', 'srai', 'slt', 'sltu', 'and', 'or', 'xor', 'ld'];
  const funcs = [
    { name: 'nop', type: 0, body: [...vec([]), W.end] },
    { name: 'alu', type: 1, body: [...scratch, ...loopBody(ALU_PROGRAM), W.end] },
    { name: 'mul', type: 1, body: [...scratch, ...loopBody(MUL_PROGRAM), W.end] },
    { name: 'mem', type: 1, body: [...scratch, ...loopBody(MEM_PROGRAM), W.end] },
    ...stepOps.map((op) => ({
      name: `step_${op}`,
      type: 2,
      body: [...scratch, ...wasmInstr(op, paramSrc(op)), W.end],
    })),
  ].filter((f) => !only || f.name === only);
  const bytes = [
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vec(types)),
    ...section(2, vec([[...str('env'), ...str('mem'), 0x02, 0x00, 0x02]])), // memory, min 2 pages
    ...section(3, vec(funcs.map((f) => uleb(f.type)))),
    ...section(7, vec(funcs.map((f, i) => [...str(f.name), 0x00, ...uleb(i)]))),
    ...section(10, vec(funcs.map((f) => [...uleb(f.body.length), ...f.body]))),
  ];
  return new Uint8Array(bytes);
}

// ---------------------------------------------------------------------------------------------
// Variants: each owns its register storage, loads the initial state, runs, reads registers back.

const WORKLOADS = {
  alu: { program: ALU_PROGRAM, title: 'alu loop (32 instructions: add/sub/shift/compare/logic, 2 loads)' },
  mem: { program: MEM_PROGRAM, title: 'load/store loop (16 instructions: 6 ld, 4 sd, 6 add/xor/addi)' },
  mul: { program: MUL_PROGRAM, title: 'multiply loop (16 instructions: 7 mul, 4 mulhu, 5 add/xor/addi)' },
};

function jsVariant(name, kind, sem, workload, shape) {
  const program = WORKLOADS[workload].program;
  const decoded = decode(program);
  const src = shape === 'block' ? makeJsBlock(sem, kind, program) : makeInterpreter(sem, kind);
  let R, U, m;
  let run = null;
  const load = ({ regs, ram }) => {
    if (kind === 'big') {
      R = new BigInt64Array(32);
      U = new BigUint64Array(R.buffer);
      regs.forEach((v, i) => (R[i] = v));
      m = ram.slice();
    } else if (kind === 'pair') {
      R = new Int32Array(64);
      regs.forEach((v, i) => {
        R[2 * i] = Number(BigInt.asIntN(32, v));
        R[2 * i + 1] = Number(BigInt.asIntN(32, v >> 32n));
      });
      m = new Int32Array(ram.slice().buffer);
    } else {
      R = new Float64Array(32);
      regs.forEach((v, i) => (R[i] = Number(v)));
      m = Float64Array.from(ram, (v) => Number(v));
    }
    // A fresh function per variant and load, so that no two variants share type feedback.
    run = new Function('R', 'U', 'm', 'mulhi32u', src)(R, U, m, mulhi32u);
  };
  return {
    name,
    workload,
    perIter: program.length,
    load,
    run: (iters) => run(decoded, iters),
    read: () => {
      if (kind === 'big') return Array.from(R);
      if (kind === 'pair')
        return Array.from({ length: 32 }, (_, i) =>
          BigInt.asIntN(64, (BigInt(R[2 * i + 1]) << 32n) | BigInt(R[2 * i] >>> 0)),
        );
      return Array.from(R, (x) => (Number.isFinite(x) ? BigInt.asIntN(64, BigInt(Math.trunc(x))) : null));
    },
  };
}

/** The wasm module's exports, over one linear memory holding the registers and the RAM. */
function wasmInstance() {
  const memory = new WebAssembly.Memory({ initial: 2 });
  const mod = new WebAssembly.Module(buildWasm());
  const exports = new WebAssembly.Instance(mod, { env: { mem: memory } }).exports;
  return {
    exports,
    regs: new BigInt64Array(memory.buffer, 0, 32),
    ram: new BigInt64Array(memory.buffer, RAM_BASE, RAM_BYTES / 8),
  };
}

function wasmVariant(name, wasm, workload, shape) {
  const w = wasm.exports;
  const block = w[workload];
  const p = decode(WORKLOADS[workload].program);
  const steps = OPS.map((op) => w[`step_${op}`]);
  const immOp = OPS.map(usesImm);
  const runs = {
    // The translator's shape: one call runs the block many times.
    batch: (iters) => block(iters),
    // One call per execution of the block (no chaining between blocks).
    block: (iters) => {
      for (let i = 0; i < iters; i++) block(1);
    },
    // The interpreter's dispatch in JS, one call into wasm per guest instruction.
    step: (iters) => {
      const { n, op, rd, rs1, rs2, imm } = p;
      for (let it = 0; it < iters; it++) {
        for (let pc = 0; pc < n; pc++) {
          const o = op[pc];
          steps[o](rd[pc], rs1[pc], immOp[o] ? imm[pc] : rs2[pc]);
        }
      }
    },
  };
  return {
    name,
    workload,
    perIter: p.n,
    load: ({ regs, ram }) => {
      regs.forEach((v, i) => (wasm.regs[i] = v));
      wasm.ram.set(ram);
    },
    read: () => Array.from(wasm.regs),
    run: runs[shape],
  };
}

function allVariants(wasm) {
  const list = [];
  for (const wl of Object.keys(WORKLOADS)) {
    list.push(jsVariant('BigInt64Array + BigInt, interpreter', 'big', BIG, wl, 'interp'));
    list.push(jsVariant('Int32Array lo/hi pairs, interpreter', 'pair', PAIR, wl, 'interp'));
    if (wl !== 'mul') list.push(jsVariant('Float64Array numbers, interpreter', 'f64', F64, wl, 'interp'));
    list.push(jsVariant('BigInt, JS block (translated)', 'big', BIG, wl, 'block'));
    list.push(jsVariant('Int32 pairs, JS block (translated)', 'pair', PAIR, wl, 'block'));
    list.push(wasmVariant('wasm i64 block, 1 call per batch', wasm, wl, 'batch'));
    list.push(wasmVariant('wasm i64 block, 1 call per block', wasm, wl, 'block'));
    if (wl === 'alu') list.push(wasmVariant('wasm i64, 1 call per instruction', wasm, wl, 'step'));
  }
  return list;
}

// ---------------------------------------------------------------------------------------------
// Measurement.

function calibrate(v) {
  let iters = 16;
  for (;;) {
    const t0 = performance.now();
    v.run(iters);
    const ms = performance.now() - t0;
    if (ms > 40) return Math.max(1, Math.round((iters * TRIAL_MS) / ms));
    iters *= ms < 5 ? 8 : 2;
  }
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

function main() {
  const state = initialState();
  const wasm = wasmInstance();
  const variants = allVariants(wasm);

  // Correctness: the same number of iterations from the same state; BigInt is the reference
  // (and agrees with wasm, an independent implementation).
  const VERIFY_ITERS = 1000;
  const reference = {};
  for (const v of variants) {
    v.load(state);
    v.run(VERIFY_ITERS);
    const regs = v.read().slice(0, 16);
    if (!reference[v.workload]) reference[v.workload] = regs;
    const ref = reference[v.workload];
    v.wrongRegs = regs.filter((x, i) => x !== ref[i]).length;
  }
  for (const v of variants) v.load(state);

  // Timing: calibrate each to about TRIAL_MS, then trials round-robin so that load changes on the
  // machine spread over all variants.
  for (const v of variants) v.iters = calibrate(v);
  const samples = variants.map(() => []);
  for (let t = 0; t < TRIALS; t++) {
    variants.forEach((v, i) => {
      const t0 = performance.now();
      v.run(v.iters);
      const s = (performance.now() - t0) / 1000;
      samples[i].push((v.iters * v.perIter) / s / 1e6);
    });
  }
  // Other processes can only slow a trial down, so the best trial is the figure; the median shows
  // the spread.
  variants.forEach((v, i) => {
    v.mops = Math.max(...samples[i]);
    v.median = median(samples[i]);
  });

  // JS->wasm call overhead on an empty export.
  const callNs = (() => {
    const nop = wasm.exports.nop;
    const n = 2e6;
    for (let i = 0; i < n; i++) nop();
    const res = [];
    for (let t = 0; t < 5; t++) {
      const t0 = performance.now();
      for (let i = 0; i < n; i++) nop();
      res.push(((performance.now() - t0) * 1e6) / n);
    }
    return median(res);
  })();

  // Cost of turning one translated block into callable code: compile and instantiate a module
  // holding only the 32-instruction alu block (synchronous, on this thread).
  const compileUs = (() => {
    const bytes = buildWasm('alu');
    const imports = { env: { mem: new WebAssembly.Memory({ initial: 2 }) } };
    const res = [];
    for (let t = 0; t < 5; t++) {
      const n = 200;
      const t0 = performance.now();
      for (let i = 0; i < n; i++) new WebAssembly.Instance(new WebAssembly.Module(bytes), imports);
      res.push(((performance.now() - t0) * 1e3) / n);
    }
    return Math.min(...res);
  })();

  const cpu = cpus();
  const info = {
    node: process.version,
    v8: process.versions.v8,
    cpus: cpu.length,
    model: cpu[0]?.model ?? '?',
  };
  console.log(`node ${info.node} (V8 ${info.v8}), ${info.cpus} CPUs, ${info.model}`);
  console.log(
    `best and median of ${TRIALS} trials of ~${TRIAL_MS} ms; Mops/s = guest instructions per second\n`,
  );
  for (const wl of Object.keys(WORKLOADS)) {
    const rows = variants.filter((v) => v.workload === wl);
    const big = rows[0].mops;
    console.log(WORKLOADS[wl].title);
    const head = `  ${'representation'.padEnd(40)} ${'best'.padStart(7)} ${'median'.padStart(7)}`;
    console.log(`${head} ${'vs BigInt'.padStart(9)}  correct`);
    for (const v of rows) {
      const ok = v.wrongRegs === 0 ? 'yes' : `NO (${v.wrongRegs}/16 registers wrong)`;
      const cols = [v.mops.toFixed(1).padStart(7), v.median.toFixed(1).padStart(7)];
      console.log(
        `  ${v.name.padEnd(40)} ${cols.join(' ')} ${(v.mops / big).toFixed(1).padStart(8)}x  ${ok}`,
      );
    }
    console.log('');
  }
  const alu = (name) => variants.find((v) => v.workload === 'alu' && v.name === name);
  const perInstr = alu('wasm i64, 1 call per instruction');
  const perBlock = alu('wasm i64 block, 1 call per block');
  const batch = alu('wasm i64 block, 1 call per batch');
  const blockCallNs = 1e3 / perBlock.mops - 1e3 / batch.mops; // per instruction, x32 per block
  console.log(`JS->wasm call, empty export: ${callNs.toFixed(1)} ns`);
  console.log(
    `per instruction (alu): batch ${(1e3 / batch.mops).toFixed(2)} ns, 1 call per 32-instruction block ` +
      `${(1e3 / perBlock.mops).toFixed(2)} ns (call ~${(blockCallNs * 32).toFixed(1)} ns per block), ` +
      `1 call per instruction ${(1e3 / perInstr.mops).toFixed(2)} ns`,
  );
  const interp = alu('Int32Array lo/hi pairs, interpreter');
  const savedNs = 32 * (1e3 / interp.mops - 1e3 / perBlock.mops);
  console.log(
    `compile + instantiate one 32-instruction block as a wasm module: ${compileUs.toFixed(1)} us; ` +
      `it saves ${savedNs.toFixed(0)} ns per execution against the pairs interpreter, so it pays off ` +
      `after ~${Math.ceil((compileUs * 1e3) / savedNs)} executions`,
  );
  console.log('\nwhy plain numbers cannot hold RV64 registers:');
  console.log(`  2**53 + 1 === 2**53 -> ${2 ** 53 + 1 === 2 ** 53}`);
  console.log(`  0x1_0000_0001 & 0x1_0000_0001 -> ${0x100000001 & 0x100000001} (bitwise ops keep 32 bits)`);
  console.log(`  -1 as an unsigned 64-bit value, 2**64 - 1 -> ${2 ** 64 - 1} (rounded to 2^64)`);
  if (JSON_OUT) {
    const out = variants.map((v) => ({
      name: v.name,
      workload: v.workload,
      mops: v.mops,
      median: v.median,
      wrongRegs: v.wrongRegs,
    }));
    console.log(JSON.stringify({ info, callNs, compileUs, variants: out }));
  }
}

main();
