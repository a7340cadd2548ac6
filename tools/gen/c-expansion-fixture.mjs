// Generates test/fixtures/rvc-pairs.json: ground truth for the RV64C expansions in
// src/cpu/riscv/isa/c.ts, produced by the GNU assembler rather than by our own code.
//
// Regenerate (from any directory; needs riscv64-linux-gnu-as and -objcopy, Debian package
// binutils-riscv64-linux-gnu):
//
//     node tools/gen/c-expansion-fixture.mjs
//
// For each RV64C instruction it writes, for many operand values (every register the format can name,
// immediate zero and extremes, the sign bit, each immediate bit alone, alternating bits, and the HINT
// forms), the compressed form under `.option rvc` with its `c.` mnemonic, immediately followed by the
// 32-bit instruction the manual says it expands to under `.option norvc` (unprivileged ISA, chapter
// "C" Standard Extension). It assembles the lot with `.option norelax`, so pc-relative targets
// written `.+offset` are resolved by the assembler, and reads the halfword/word pairs back from the
// raw section bytes. The output is formatted with the repository's prettier config; do not edit it.

import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const GENERATOR = 'tools/gen/c-expansion-fixture.mjs';
const OUT = fileURLToPath(new URL('../../test/fixtures/rvc-pairs.json', import.meta.url));
const AS = 'riscv64-linux-gnu-as';
const OBJCOPY = 'riscv64-linux-gnu-objcopy';

// ---- Operand values ----

const range = (lo, hi) => Array.from({ length: hi - lo + 1 }, (_, k) => lo + k);
/** x8-x15 / f8-f15: the registers that 3-bit rd', rs1', rs2' fields name. */
const PRIME = range(8, 15);
const ALL = range(0, 31);
const NONZERO = range(1, 31);
const NOT_0_2 = ALL.filter((r) => r !== 0 && r !== 2);
const x = (r) => `x${r}`;
const f = (r) => `f${r}`;

/**
 * Immediate test values for a field of `bits` bits scaled by `scale` (the value is field * scale):
 * zero, each field bit alone (for signed fields the top one alone is the minimum), all ones, the
 * extremes, -scale and alternating 01/10 patterns. `nonzero` drops 0 for nz* immediates.
 */
function immValues({ bits, scale = 1, signed = false, nonzero = false }) {
  const field = new Set([0, (1 << bits) - 1]);
  for (let b = 0; b < bits; b++) field.add(1 << b);
  let alt = 0;
  for (let b = 0; b < bits; b += 2) alt |= 1 << b;
  field.add(alt);
  field.add(((1 << bits) - 1) ^ alt);
  field.add((1 << (bits - 1)) - 1);
  const values = [...field].map((v) => (signed && v >= 1 << (bits - 1) ? v - (1 << bits) : v) * scale);
  return [...new Set(values)].filter((v) => !nonzero || v !== 0).sort((a, b) => a - b);
}

/**
 * Operand tuples that give every position every one of its values at least once, with the other
 * positions rotating, instead of the full cross product.
 */
function sweep(...positions) {
  const tuples = [];
  positions.forEach((values, p) => {
    values.forEach((v, k) => {
      tuples.push(positions.map((other, q) => (q === p ? v : other[(k * (q + 2) + q) % other.length])));
    });
  });
  const seen = new Set();
  return tuples.filter((t) => {
    const key = t.join(',');
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** All pairs of the two value lists (for the small register-register CA format). */
const cross = (as, bs) => as.flatMap((a) => bs.map((b) => [a, b]));

// ---- The pairs: [C_INSNS entry name, compressed text, 32-bit expansion text] ----

const IMM6 = immValues({ bits: 6, signed: true });
const SHAMT = immValues({ bits: 6, nonzero: true });
const pairs = [];
const add = (insn, tuples, compressed, expanded) => {
  for (const t of tuples) pairs.push([insn, compressed(...t), expanded(...t)]);
};

// Quadrant 0
add(
  'c.addi4spn',
  sweep(PRIME, immValues({ bits: 8, scale: 4, nonzero: true })),
  (rd, imm) => `c.addi4spn ${x(rd)}, sp, ${imm}`,
  (rd, imm) => `addi ${x(rd)}, sp, ${imm}`,
);
for (const [insn, base, reg, scale] of [
  ['c.fld', 'fld', f, 8],
  ['c.lw', 'lw', x, 4],
  ['c.ld', 'ld', x, 8],
  ['c.fsd', 'fsd', f, 8],
  ['c.sw', 'sw', x, 4],
  ['c.sd', 'sd', x, 8],
]) {
  add(
    insn,
    sweep(PRIME, PRIME, immValues({ bits: 5, scale })),
    (r, rs1, imm) => `${insn} ${reg(r)}, ${imm}(${x(rs1)})`,
    (r, rs1, imm) => `${base} ${reg(r)}, ${imm}(${x(rs1)})`,
  );
}

// Quadrant 1
add(
  'c.nop',
  IMM6.map((imm) => [imm]),
  (imm) => (imm === 0 ? 'c.nop' : `c.nop ${imm}`),
  (imm) => `addi x0, x0, ${imm}`,
);
add(
  'c.addi',
  sweep(NONZERO, IMM6),
  (rd, imm) => `c.addi ${x(rd)}, ${imm}`,
  (rd, imm) => `addi ${x(rd)}, ${x(rd)}, ${imm}`,
);
add(
  'c.addiw',
  sweep(NONZERO, IMM6),
  (rd, imm) => `c.addiw ${x(rd)}, ${imm}`,
  (rd, imm) => `addiw ${x(rd)}, ${x(rd)}, ${imm}`,
);
add(
  'c.li',
  sweep(ALL, IMM6),
  (rd, imm) => `c.li ${x(rd)}, ${imm}`,
  (rd, imm) => `addi ${x(rd)}, x0, ${imm}`,
);
add(
  'c.addi16sp',
  immValues({ bits: 6, scale: 16, signed: true, nonzero: true }).map((imm) => [imm]),
  (imm) => `c.addi16sp sp, ${imm}`,
  (imm) => `addi sp, sp, ${imm}`,
);
// The assembler takes the 20-bit U-type field; nzimm[17:12] is its sign-extended low 6 bits.
add(
  'c.lui',
  sweep(NOT_0_2, immValues({ bits: 6, signed: true, nonzero: true })).concat([
    [0, 1],
    [0, -32],
  ]),
  (rd, imm) => `c.lui ${x(rd)}, ${imm & 0xfffff}`,
  (rd, imm) => `lui ${x(rd)}, ${imm & 0xfffff}`,
);
for (const [insn, base] of [
  ['c.srli', 'srli'],
  ['c.srai', 'srai'],
]) {
  add(
    insn,
    sweep(PRIME, SHAMT),
    (rd, sh) => `${insn} ${x(rd)}, ${sh}`,
    (rd, sh) => `${base} ${x(rd)}, ${x(rd)}, ${sh}`,
  );
  // shamt=0 is a HINT in RV64C; the assembler spells it with the RV128 name `c.srli64`/`c.srai64`.
  add(
    insn,
    PRIME.map((rd) => [rd]),
    (rd) => `${insn}64 ${x(rd)}`,
    (rd) => `${base} ${x(rd)}, ${x(rd)}, 0`,
  );
}
add(
  'c.andi',
  sweep(PRIME, IMM6),
  (rd, imm) => `c.andi ${x(rd)}, ${imm}`,
  (rd, imm) => `andi ${x(rd)}, ${x(rd)}, ${imm}`,
);
for (const [insn, base] of [
  ['c.sub', 'sub'],
  ['c.xor', 'xor'],
  ['c.or', 'or'],
  ['c.and', 'and'],
  ['c.subw', 'subw'],
  ['c.addw', 'addw'],
]) {
  add(
    insn,
    cross(PRIME, PRIME),
    (rd, rs2) => `${insn} ${x(rd)}, ${x(rs2)}`,
    (rd, rs2) => `${base} ${x(rd)}, ${x(rd)}, ${x(rs2)}`,
  );
}
add(
  'c.j',
  immValues({ bits: 11, scale: 2, signed: true }).map((off) => [off]),
  (off) => `c.j .${off < 0 ? '' : '+'}${off}`,
  (off) => `jal x0, .${off < 0 ? '' : '+'}${off}`,
);
for (const [insn, base] of [
  ['c.beqz', 'beq'],
  ['c.bnez', 'bne'],
]) {
  add(
    insn,
    sweep(PRIME, immValues({ bits: 8, scale: 2, signed: true })),
    (rs1, off) => `${insn} ${x(rs1)}, .${off < 0 ? '' : '+'}${off}`,
    (rs1, off) => `${base} ${x(rs1)}, x0, .${off < 0 ? '' : '+'}${off}`,
  );
}

// Quadrant 2
add(
  'c.slli',
  sweep(ALL, SHAMT),
  (rd, sh) => `c.slli ${x(rd)}, ${sh}`,
  (rd, sh) => `slli ${x(rd)}, ${x(rd)}, ${sh}`,
);
add(
  'c.slli',
  [0, 1, 8, 31].map((rd) => [rd]),
  (rd) => `c.slli64 ${x(rd)}`,
  (rd) => `slli ${x(rd)}, ${x(rd)}, 0`,
);
for (const [insn, base, regs, reg, scale] of [
  ['c.fldsp', 'fld', ALL, f, 8],
  ['c.lwsp', 'lw', NONZERO, x, 4],
  ['c.ldsp', 'ld', NONZERO, x, 8],
  ['c.fsdsp', 'fsd', ALL, f, 8],
  ['c.swsp', 'sw', ALL, x, 4],
  ['c.sdsp', 'sd', ALL, x, 8],
]) {
  add(
    insn,
    sweep(regs, immValues({ bits: 6, scale })),
    (r, imm) => `${insn} ${reg(r)}, ${imm}(sp)`,
    (r, imm) => `${base} ${reg(r)}, ${imm}(sp)`,
  );
}
add(
  'c.jr',
  NONZERO.map((rs1) => [rs1]),
  (rs1) => `c.jr ${x(rs1)}`,
  (rs1) => `jalr x0, 0(${x(rs1)})`,
);
add(
  'c.mv',
  sweep(ALL, NONZERO),
  (rd, rs2) => `c.mv ${x(rd)}, ${x(rs2)}`,
  (rd, rs2) => `add ${x(rd)}, x0, ${x(rs2)}`,
);
add(
  'c.ebreak',
  [[]],
  () => 'c.ebreak',
  () => 'ebreak',
);
add(
  'c.jalr',
  NONZERO.map((rs1) => [rs1]),
  (rs1) => `c.jalr ${x(rs1)}`,
  (rs1) => `jalr x1, 0(${x(rs1)})`,
);
add(
  'c.add',
  sweep(ALL, NONZERO),
  (rd, rs2) => `c.add ${x(rd)}, ${x(rs2)}`,
  (rd, rs2) => `add ${x(rd)}, ${x(rd)}, ${x(rs2)}`,
);

// ---- Assemble and read back ----

const source = [
  `# Generated by ${GENERATOR}; temporary input of the GNU assembler.`,
  '.option norelax',
  ...pairs.flatMap(([, c, w]) => ['.option rvc', c, '.option norvc', w]),
  '',
].join('\n');

const dir = mkdtempSync(join(tmpdir(), 'rvc-pairs-'));
let bytes;
let version;
try {
  writeFileSync(join(dir, 'pairs.S'), source);
  execFileSync(AS, ['-march=rv64gc', '-mabi=lp64d', '-o', join(dir, 'pairs.o'), join(dir, 'pairs.S')], {
    stdio: 'inherit',
  });
  execFileSync(OBJCOPY, ['-O', 'binary', '-j', '.text', join(dir, 'pairs.o'), join(dir, 'pairs.bin')]);
  bytes = readFileSync(join(dir, 'pairs.bin'));
  version = execFileSync(AS, ['--version'], { encoding: 'utf8' }).split('\n')[0];
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const out = [];
let at = 0;
for (const [insn, ctext, wtext] of pairs) {
  const c = bytes.readUInt16LE(at);
  const w = bytes.readUInt32LE(at + 2);
  if ((c & 3) === 3 || (w & 3) !== 3) {
    throw new Error(`at .text+${at} (${ctext} / ${wtext}): not a 16-bit then a 32-bit instruction`);
  }
  at += 6;
  out.push({ insn, c, w, text: `${ctext} => ${wtext}` });
}
if (at !== bytes.length) throw new Error(`${bytes.length - at} bytes of .text left over`);

const json = JSON.stringify({
  generator: `${GENERATOR} (do not edit; regenerate with: node ${GENERATOR})`,
  assembler: version,
  note: 'c: compressed halfword, w: its 32-bit expansion (both unsigned), insn: the C_INSNS entry.',
  pairs: out,
});
const prettier = await import('prettier');
const options = (await prettier.resolveConfig(OUT)) ?? {};
mkdirSync(dirname(OUT), { recursive: true });
writeFileSync(OUT, await prettier.format(json, { ...options, filepath: OUT }));
console.log(`wrote ${out.length} pairs to ${OUT}`);
