// The instruction table against itself and the manual's opcode map: no two 32-bit encodings
// overlap, every mask covers the major opcode, and known words decode to their mnemonics.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Decoder } from './decode.js';
import { isaProfile } from './isa/profile.js';

const ALL_INSNS = isaProfile('max').insns;

/**
 * Encodings two extensions both define: on RV64, zext.h (Zbb) is packw rd, rs1, x0 (Zbkb). The
 * specific one must come first and lie inside the general one (the decoder takes the first match).
 */
const ALIASES = ['zext.h / packw'];

test('no two 32-bit encodings overlap, but for the aliases the ISA defines', () => {
  const clashes: string[] = [];
  for (let a = 0; a < ALL_INSNS.length; a++) {
    for (let b = a + 1; b < ALL_INSNS.length; b++) {
      const x = ALL_INSNS[a],
        y = ALL_INSNS[b];
      const common = x.mask & y.mask;
      // Some word matches both iff their fixed bits agree wherever both masks fix them.
      if (((x.match ^ y.match) & common) !== 0) continue;
      const pair = `${x.name} / ${y.name}`;
      if (ALIASES.includes(pair) && (x.mask & y.mask) === (y.mask | 0)) continue;
      clashes.push(pair);
    }
  }
  assert.deepEqual(clashes, []);
});

test('every entry fixes the major opcode and its match lies inside its mask', () => {
  for (const s of ALL_INSNS) {
    assert.equal(s.mask & 0x7f, 0x7f, `${s.name} mask leaves opcode bits free`);
    assert.equal((s.match & ~s.mask) >>> 0, 0, `${s.name} match has bits outside its mask`);
    assert.equal(s.match & 3, 3, `${s.name} is not a 32-bit encoding`);
  }
});

test('mnemonics are unique', () => {
  const names = ALL_INSNS.map((s) => s.name);
  assert.equal(new Set(names).size, names.length);
});

// Words assembled by GNU as (riscv64-linux-gnu-as -march=rv64gc) for a sample of instructions.
const KNOWN: [number, string][] = [
  [0x00b50533, 'add'], // add a0,a0,a1
  [0x40b50533, 'sub'], // sub a0,a0,a1
  [0x02b50533, 'mul'], // mul a0,a0,a1
  [0x02b5453b, 'divw'], // divw a0,a0,a1
  [0x0005b503, 'ld'], // ld a0,0(a1)
  [0x00a5b023, 'sd'], // sd a0,0(a1)
  [0x4015d513, 'srai'], // srai a0,a1,1
  [0x03f59513, 'slli'], // slli a0,a1,63
  [0x100525af, 'lr.w'], // lr.w a1,(a0)
  [0x18b5362f, 'sc.d'], // sc.d a2,a1,(a0)
  [0xe0b5362f, 'amomaxu.d'], // amomaxu.d a2,a1,(a0)
  [0x34102573, 'csrrs'], // csrr a0,mepc
  [0x30200073, 'mret'], // mret
  [0x10500073, 'wfi'], // wfi
  [0x12000073, 'sfence.vma'], // sfence.vma
  [0x0000100f, 'fence.i'], // fence.i
  [0x0ff0000f, 'fence'], // fence
  [0x00000073, 'ecall'],
  [0x00100073, 'ebreak'],
  [0x02b57553, 'fadd.d'], // fadd.d fa0,fa0,fa1
  [0x00052507, 'flw'], // flw fa0,0(a0)
  [0xe2050553, 'fmv.x.d'], // fmv.x.d a0,fa0
];

test('known words decode to their mnemonics', () => {
  const d = new Decoder(ALL_INSNS, []);
  for (const [w, name] of KNOWN) assert.equal(d.find(w | 0)?.name, name, `0x${w.toString(16)}`);
});

test('reserved and unknown words decode to nothing', () => {
  const d = new Decoder(ALL_INSNS, []);
  for (const w of [0, 0xffffffff, 0x0000007f]) assert.equal(d.find(w | 0), undefined, `0x${w.toString(16)}`);
  // sret with a non-zero rs1 field is not sret.
  assert.equal(d.find(0x10250073), undefined);
  // slli with funct6 != 0 is reserved on RV64.
  assert.equal(d.find(0x0bf59513 | 0), undefined);
});
