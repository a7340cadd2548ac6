// Tests of the RV64C table (unprivileged ISA, chapter "C" Standard Extension): overlap of encodings,
// expansions against GNU assembler ground truth, reserved code points and HINTs.

import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { C_INSNS, compressedInsn, expandCompressed } from './c.js';
import { funct3, immI, rd, rs1 } from './fields.js';

const hex = (v: number, digits: number): string => '0x' + (v >>> 0).toString(16).padStart(digits, '0');

/** Every halfword matching `pattern` (bit 15 first; `0`/`1` fixed, `.` free, spaces ignored). */
function words(pattern: string): number[] {
  const bits = pattern.replace(/ /g, '');
  assert.match(bits, /^[01.]{16}$/, `bad pattern ${pattern}`);
  const out: number[] = [];
  for (let c = 0; c < 1 << 16; c++) {
    let ok = true;
    for (let k = 0; k < 16 && ok; k++) {
      const want = bits[15 - k];
      ok = want === '.' || Number(want) === ((c >>> k) & 1);
    }
    if (ok) out.push(c);
  }
  return out;
}

const ALL_HALFWORDS = Array.from({ length: 1 << 16 }, (_, c) => c);
const COMPRESSED = ALL_HALFWORDS.filter((c) => (c & 3) !== 3);
const matches = (c: number) => C_INSNS.filter((e) => (c & e.mask) === e.match);
const popcount = (v: number): number => v.toString(2).replace(/0/g, '').length;

test('C_INSNS holds each RV64C instruction once, as extension C', () => {
  // prettier-ignore
  const expected = [
    'c.addi4spn', 'c.fld', 'c.lw', 'c.ld', 'c.fsd', 'c.sw', 'c.sd',
    'c.nop', 'c.addi', 'c.addiw', 'c.li', 'c.addi16sp', 'c.lui', 'c.srli', 'c.srai', 'c.andi',
    'c.sub', 'c.xor', 'c.or', 'c.and', 'c.subw', 'c.addw', 'c.j', 'c.beqz', 'c.bnez',
    'c.slli', 'c.fldsp', 'c.lwsp', 'c.ldsp', 'c.jr', 'c.mv', 'c.ebreak', 'c.jalr', 'c.add',
    'c.fsdsp', 'c.swsp', 'c.sdsp',
  ];
  assert.deepEqual(
    C_INSNS.map((e) => e.name),
    expected,
  );
  for (const e of C_INSNS) {
    assert.equal(e.ext, 'C');
    assert.equal(e.match & ~e.mask, 0, `${e.name}: match has bits outside mask`);
    assert.equal(e.mask & 3, 3, `${e.name}: mask must cover the quadrant bits 1:0`);
    assert.notEqual(e.match & 3, 3, `${e.name}: bits 1:0 = 11 is a 32-bit encoding`);
  }
});

test('no halfword matches two entries, except the carve-outs the manual defines', () => {
  // "rd != 0" / "rs2 != 0" is no single match/mask, so these entries sit inside a wider one and win
  // by having more mask bits (c.nop: rd=0; c.addi16sp: rd=2; c.jr, c.jalr: rs2=0; c.ebreak: all).
  const expected = [
    'c.addi16sp in c.lui',
    'c.ebreak in c.add',
    'c.ebreak in c.jalr',
    'c.jalr in c.add',
    'c.jr in c.mv',
    'c.nop in c.addi',
  ];
  const seen = new Set<string>();
  for (const c of ALL_HALFWORDS) {
    const m = matches(c);
    if ((c & 3) === 3) {
      assert.equal(m.length, 0, `${hex(c, 4)} is a 32-bit encoding but matches ${m[0]?.name}`);
      continue;
    }
    // Table order must list carve-outs first, so a first-match scan agrees with the decoder.
    for (let k = 1; k < m.length; k++) {
      const inner = m[k - 1];
      const outer = m[k];
      assert.ok(
        (inner.mask & outer.mask) === outer.mask && inner.mask !== outer.mask,
        `${hex(c, 4)} matches ${inner.name} and ${outer.name}, which are not nested`,
      );
    }
    for (let i = 0; i < m.length; i++)
      for (let j = i + 1; j < m.length; j++) seen.add(`${m[i].name} in ${m[j].name}`);
    assert.equal(compressedInsn(c), m[0], `${hex(c, 4)}: decoder disagrees with the most specific match`);
    if (m.length > 0) assert.equal(popcount(m[0].mask), Math.max(...m.map((e) => popcount(e.mask))));
  }
  assert.deepEqual([...seen].sort(), expected);
});

test('the only unmatched compressed halfwords are the reserved slots of the opcode map', () => {
  const reservedSlots = new Set([
    ...words('100 ........... 00'), // quadrant 0, funct3 = 100
    ...words('100 1 11 ... 1. ... 01'), // quadrant 1, after c.subw/c.addw
  ]);
  for (const c of COMPRESSED) {
    assert.equal(compressedInsn(c) === undefined, reservedSlots.has(c), `${hex(c, 4)}`);
    if (reservedSlots.has(c)) assert.equal(expandCompressed(c), 0);
  }
});

interface Pair {
  readonly insn: string;
  readonly c: number;
  readonly w: number;
  readonly text: string;
}

/** The repository root: the nearest ancestor with a package.json (works from src/ and dist/). */
function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    assert.notEqual(up, dir, 'no package.json above the test file');
    dir = up;
  }
  return dir;
}

test('expansions match the GNU assembler (test/fixtures/rvc-pairs.json)', async (t) => {
  const fixture = JSON.parse(readFileSync(join(repoRoot(), 'test/fixtures/rvc-pairs.json'), 'utf8')) as {
    generator: string;
    pairs: Pair[];
  };
  assert.match(fixture.generator, /c-expansion-fixture\.mjs/);
  for (const e of C_INSNS) {
    await t.test(e.name, () => {
      const pairs = fixture.pairs.filter((p) => p.insn === e.name);
      assert.ok(pairs.length > 0, `no ground truth for ${e.name}`);
      for (const p of pairs) {
        const why = `${p.text}: ${hex(p.c, 4)}`;
        assert.equal(compressedInsn(p.c)?.name, e.name, `${why} decodes as another entry`);
        // Expansions are int32: compare with the unsigned fixture word converted by `| 0`.
        assert.equal(hex(e.expand(p.c), 8), hex(p.w, 8), `${why}: expand`);
        assert.equal(e.expand(p.c), p.w | 0, `${why}: expand must return int32`);
        assert.equal(expandCompressed(p.c), p.w | 0, `${why}: expandCompressed`);
      }
    });
  }
  const unknown = fixture.pairs.filter((p) => !C_INSNS.some((e) => e.name === p.insn));
  assert.deepEqual(unknown, []);
});

test('reserved encodings expand to 0 (illegal instruction)', () => {
  const reserved: [string, string][] = [
    ['c.addi4spn nzuimm=0 (includes 0x0000)', '000 00000000 ... 00'],
    ['quadrant 0 funct3=100', '100 ........... 00'],
    ['c.addiw rd=0', '001 . 00000 ..... 01'],
    ['c.addi16sp nzimm=0', '011 0 00010 00000 01'],
    ['c.lui nzimm=0', '011 0 ..... 00000 01'],
    ['quadrant 1 CA funct2=10/11 with bit 12 set', '100 1 11 ... 1. ... 01'],
    ['c.lwsp rd=0', '010 . 00000 ..... 10'],
    ['c.ldsp rd=0', '011 . 00000 ..... 10'],
    ['c.jr rs1=0', '100 0 00000 00000 10'],
    ['32-bit encodings (bits 1:0 = 11)', '.............. 11'],
  ];
  for (const [what, pattern] of reserved) {
    for (const c of words(pattern)) assert.equal(expandCompressed(c), 0, `${what}: ${hex(c, 4)}`);
  }
});

test('HINT encodings expand to legal base instructions with no architectural effect', () => {
  const OP_IMM = 0b0010011;
  const OP = 0b0110011;
  const LUI = 0b0110111;
  const writesX0 = (opcode: number) => (w: number) => (w & 127) === opcode && rd(w) === 0;
  const nzimmCi = (c: number) => (c & 0x107c) !== 0; // imm[5] (bit 12) or imm[4:0] (bits 6:2)
  const rs2NonZero = (c: number) => (c & 0x7c) !== 0;
  // [HINT, its code points, which of them are HINTs, the no-effect check on the expansion]
  const hints: [string, string, (c: number) => boolean, (w: number) => boolean][] = [
    // Writes x0.
    ['c.nop nzimm!=0', '000 . 00000 ..... 01', nzimmCi, writesX0(OP_IMM)],
    ['c.li rd=0', '010 . 00000 ..... 01', () => true, writesX0(OP_IMM)],
    ['c.lui rd=0', '011 . 00000 ..... 01', nzimmCi, writesX0(LUI)],
    ['c.slli rd=0', '000 . 00000 ..... 10', () => true, writesX0(OP_IMM)],
    ['c.mv rd=0', '100 0 00000 ..... 10', rs2NonZero, writesX0(OP)],
    ['c.add rd=0', '100 1 00000 ..... 10', rs2NonZero, writesX0(OP)],
    // rd = rd + 0, or rd shifted by 0.
    [
      'c.addi nzimm=0',
      '000 0 ..... 00000 01',
      () => true,
      (w) => (w & 127) === OP_IMM && funct3(w) === 0 && immI(w) === 0,
    ],
    [
      'c.slli shamt=0',
      '000 0 ..... 00000 10',
      () => true,
      (w) => (w & 127) === OP_IMM && funct3(w) === 1 && immI(w) === 0,
    ],
    [
      'c.srli shamt=0',
      '100 0 00 ... 00000 01',
      () => true,
      (w) => (w & 127) === OP_IMM && funct3(w) === 5 && immI(w) === 0,
    ],
    [
      'c.srai shamt=0',
      '100 0 01 ... 00000 01',
      () => true,
      (w) => (w & 127) === OP_IMM && funct3(w) === 5 && immI(w) === 0x400,
    ],
  ];
  for (const [what, pattern, isHint, noEffect] of hints) {
    const codePoints = words(pattern).filter(isHint);
    assert.ok(codePoints.length > 0, what);
    for (const c of codePoints) {
      const w = expandCompressed(c);
      assert.notEqual(w, 0, `${what}: ${hex(c, 4)} must not be illegal`);
      assert.ok(noEffect(w), `${what}: ${hex(c, 4)} -> ${hex(w, 8)}`);
      if (rd(w) !== 0) assert.equal(rs1(w), rd(w), `${what}: ${hex(c, 4)} must read the register it writes`);
    }
  }
});

test('expandCompressed agrees with the owning entry for every halfword, as int32, ignoring bits 31:16', () => {
  for (const c of COMPRESSED) {
    const e = compressedInsn(c);
    const w = expandCompressed(c);
    assert.equal(w, w | 0, `${hex(c, 4)}: not an int32`);
    if (e !== undefined) assert.equal(w, e.expand(c), `${hex(c, 4)} (${e.name})`);
    if (w !== 0) assert.equal(w & 3, 3, `${hex(c, 4)}: expansion is not a 32-bit encoding`);
    assert.equal(expandCompressed(c), w, `${hex(c, 4)}: cached value differs`);
    assert.equal(expandCompressed(0xabcd0000 | c), w, `${hex(c, 4)}: upper bits must be ignored`);
  }
});
