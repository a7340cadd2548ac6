// The ISA profile, misa and the device tree tell the guest the same thing (privileged spec 3.1.1
// for misa; Linux's riscv/extensions.yaml for riscv,isa-base and riscv,isa-extensions), and the
// decoder accepts exactly the instructions of the extensions advertised.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MemoryCharBackend } from '../../backends/memory-char.js';
import { csrOp } from '../../cpu/riscv/csr.js';
import * as C from '../../cpu/riscv/csr-defs.js';
import { EXTENSIONS, isaProfile } from '../../cpu/riscv/isa/profile.js';
import { decodeFdt, findNode, readStrings, readU32s } from '../../machine/fdt-decode.js';
import { VirtBoard } from './board.js';

/** A minimal RISC-V Image (boot-image-header.rst): `j .` at the entry. */
function tinyImage(): Uint8Array {
  const img = new Uint8Array(4096);
  const v = new DataView(img.buffer);
  v.setUint32(0, 0x0000006f, true);
  v.setBigUint64(8, 0x200000n, true);
  v.setBigUint64(16, 4096n, true);
  img.set(new TextEncoder().encode('RISCV\0\0\0'), 48);
  img.set(new TextEncoder().encode('RSC\x05'), 56);
  return img;
}

/** `csrr a0, misa` (csrrs x10, 0x301, x0) in M-mode; misa's 26 Extensions bits as letters. */
function misaLetters(b: VirtBoard): string {
  const h = b.harts[0];
  h.priv = C.PRV_M;
  csrOp(h, 0x30102573);
  const lo = h.x[20];
  assert.equal(h.x[21] >>> 30, 2, 'misa.MXL = 2 (XLEN 64)');
  let letters = '';
  for (let k = 0; k < 26; k++) if ((lo >>> k) & 1) letters += String.fromCharCode(97 + k);
  return letters;
}

for (const spec of [
  'max',
  'rv64gc',
  'rva22s64',
  'max,d=off',
  'max,m=off,a=off',
  'max,zfh=off',
  'rv64gc,zfa=on',
  'max,zicbom=off',
  'max,zicboz=off',
]) {
  test(`--cpu ${spec}: misa, riscv,isa, riscv,isa-extensions and the decoder agree with the profile`, () => {
    const isa = isaProfile(spec);
    const b = new VirtBoard({
      memoryBytes: 16 << 20,
      harts: 2,
      kernel: tinyImage(),
      append: '',
      console: new MemoryCharBackend(),
      isa,
    });
    const fdt = decodeFdt(b.mem.slice(b.fdtAddr, 64 * 1024).slice());
    for (const cpu of ['/cpus/cpu@0', '/cpus/cpu@1']) {
      const node = findNode(fdt.root, cpu);
      assert.ok(node !== undefined, cpu);
      const prop = (name: string): string[] => readStrings(node.props.get(name) ?? new Uint8Array());
      const exts = prop('riscv,isa-extensions');
      assert.deepEqual(prop('riscv,isa-base'), ['rv64i']);
      assert.deepEqual(exts, isa.list);
      // The deprecated string: rv64 + the single letters, then the multi-letter ones.
      const single = exts.filter((e) => e.length === 1);
      assert.deepEqual(prop('riscv,isa'), [
        ['rv64' + single.join(''), ...exts.filter((e) => e.length > 1)].join('_'),
      ]);
      // misa: the same single-letter extensions, plus S and U (supervisor and user modes).
      assert.equal(misaLetters(b), [...single, 's', 'u'].sort().join(''));
      // riscv/cpus.yaml: each CMO extension's cache-block size, 64 bytes, exactly when present.
      for (const [ext, name] of [
        ['zicbom', 'riscv,cbom-block-size'],
        ['zicbop', 'riscv,cbop-block-size'],
        ['zicboz', 'riscv,cboz-block-size'],
      ]) {
        const v = node.props.get(name);
        assert.equal(v !== undefined, isa.has(ext), `${name} under ${spec}`);
        if (v !== undefined) assert.deepEqual(readU32s(v), [64], name);
      }
    }
    // The built-in SBI enables for S- and U-mode the cache-block operations the harts have, as
    // OpenSBI does (Linux does not: it relies on the firmware).
    const cmo =
      (isa.has('zicbom') ? C.ENVCFG_CBIE | C.ENVCFG_CBCFE : 0) | (isa.has('zicboz') ? C.ENVCFG_CBZE : 0);
    for (const h of b.harts) assert.equal(h.menvcfgLo & 0xf0, cmo, `menvcfg under ${spec}`);
    // Every instruction of an extension decodes exactly when the extension (or another that has
    // it) is in the profile, with all the others it needs (FLI.D: Zfa and D).
    const all = isaProfile('max').insns;
    const dec = b.harts[0].decoder;
    const has = (e: string): boolean => e === 'priv' || isa.has(e.toLowerCase());
    for (const s of all) {
      const on = [s.ext, ...(s.alsoIn ?? [])].some(has) && (s.needs ?? []).every(has);
      // Off, its word must not decode to it (it may to another entry that is on: zext.h is the
      // word of packw with rs2 = x0).
      const got = dec.find(s.match);
      if (on) assert.notEqual(got, undefined, `${s.name} (${s.ext}) under ${spec}`);
      else assert.notEqual(got, s, `${s.name} (${s.ext}) under ${spec}`);
    }
    for (const e of EXTENSIONS)
      if (e.fixed === true) assert.ok(isa.has(e.name), `${e.name} is always present`);
  });
}

test('--cpu: turning an extension off turns off what requires it; bad specs are refused in words', () => {
  assert.equal(isaProfile('max,f=off').has('d'), false);
  assert.equal(isaProfile('rv64gc,f=off,d=on').has('f'), true);
  assert.throws(() => isaProfile('pentium'), /unknown CPU model 'pentium'/);
  assert.throws(() => isaProfile('max,zzz=on'), /unknown extension 'zzz'/);
  assert.throws(() => isaProfile('max,i=off'), /'i' cannot be turned off/);
  assert.throws(() => isaProfile('max,zicsr'), /is not EXT=on or EXT=off/);
});
