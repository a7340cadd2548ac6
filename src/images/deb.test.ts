// Checks on what is taken from the packages: the RISC-V Image header (Linux
// Documentation/arch/riscv/boot-image-header.rst), the BusyBox ELF, and the firmware search.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkRiscvElf, checkRiscvImage, DebError, findFirmware, kernelFiles } from './deb.js';

function image(opts: { magic2?: number; imageSize?: bigint; length?: number } = {}): Uint8Array {
  const b = new Uint8Array(opts.length ?? 4096);
  const dv = new DataView(b.buffer);
  b[0] = 0x4d; // "MZ": the EFI stub's DOS header
  b[1] = 0x5a;
  dv.setBigUint64(0x08, 0x200000n, true); // text_offset
  dv.setBigUint64(0x10, opts.imageSize ?? 0x2000000n, true); // image_size
  dv.setUint32(0x20, 0x2, true); // version 0.2
  b.set(new TextEncoder().encode('RISCV\0\0\0'), 0x30);
  dv.setUint32(0x38, opts.magic2 ?? 0x05435352, true); // "RSC\x05"
  dv.setUint32(0x3c, 0x40, true); // PE header offset
  return b;
}

test('a RISC-V Image header is accepted and its fields read', () => {
  const h = checkRiscvImage(image(), 'Image');
  assert.equal(h.textOffset, 0x200000n);
  assert.equal(h.imageSizeBytes, 0x2000000n);
  assert.equal(h.version, 2);
  assert.equal(h.hasPeHeader, true);
});

test('wrong magic, a short file or an image_size below the file size are refused', () => {
  assert.throws(() => checkRiscvImage(image({ magic2: 0x464c457f }), 'x'), /RSC\\x05/);
  assert.throws(() => checkRiscvImage(new Uint8Array(16), 'x'), DebError);
  assert.throws(() => checkRiscvImage(image({ imageSize: 100n }), 'x'), /image_size/);
});

test('only a 64-bit little-endian RISC-V ELF passes as BusyBox', () => {
  const elf = new Uint8Array(64);
  elf.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]);
  elf[18] = 243;
  checkRiscvElf(elf, 'busybox');
  elf[18] = 62; // EM_X86_64
  assert.throws(() => checkRiscvElf(elf, 'busybox'), /not a 64-bit little-endian RISC-V ELF/);
});

test('firmware comes from the target multiarch folder, generic platform first', () => {
  const root = mkdtempSync(join(tmpdir(), 'tsvirt-deb-'));
  try {
    for (const d of [
      'usr/lib/riscv32-linux-gnu/opensbi/generic',
      'usr/lib/riscv64-linux-gnu/opensbi/aaa',
      'usr/lib/riscv64-linux-gnu/opensbi/generic',
    ]) {
      mkdirSync(join(root, d), { recursive: true });
      writeFileSync(join(root, d, 'fw_dynamic.bin'), d);
    }
    assert.equal(
      findFirmware(root, 'fw_dynamic.bin', 'riscv64-linux-gnu'),
      join(root, 'usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin'),
    );
    assert.throws(
      () => findFirmware(root, 'fw_jump.bin', 'riscv64-linux-gnu'),
      /no riscv64-linux-gnu\/...\/fw_jump.bin/,
    );
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('kernel files are found under lib/ or usr/lib/ and a missing one is named', () => {
  const root = mkdtempSync(join(tmpdir(), 'tsvirt-deb-'));
  try {
    const rel = '6.12.1-riscv64';
    mkdirSync(join(root, 'boot'));
    mkdirSync(join(root, 'usr/lib/modules', rel), { recursive: true });
    writeFileSync(join(root, 'boot', `vmlinux-${rel}`), '');
    assert.throws(() => kernelFiles(root, rel), /kernel config boot\/config-6.12.1-riscv64 is missing/);
    writeFileSync(join(root, 'boot', `config-${rel}`), '');
    assert.equal(kernelFiles(root, rel).modulesDir, join(root, 'usr/lib/modules', rel));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
