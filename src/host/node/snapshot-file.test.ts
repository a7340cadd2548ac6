import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { saveVmTo, SnapshotFile } from './snapshot-file.js';

test('saveVmTo writes the parts of save() in order, replacing the file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tsvirt-save-'));
  try {
    const path = join(dir, 'vm.snap');
    writeFileSync(path, 'an older and longer snapshot file');
    const parts = [Uint8Array.of(1, 2, 3), new Uint8Array(0), Uint8Array.of(4, 5)];
    await saveVmTo({ save: async () => parts }, path);
    assert.deepEqual(new Uint8Array(readFileSync(path)), Uint8Array.of(1, 2, 3, 4, 5));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('saveVmTo passes on what save() rejects with, and writes nothing', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tsvirt-save-'));
  try {
    const path = join(dir, 'vm.snap');
    await assert.rejects(
      saveVmTo({ save: async () => Promise.reject(new Error('pause the VM first')) }, path),
      /pause/,
    );
    assert.throws(() => readFileSync(path), /ENOENT/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** A file of `pages` pages, page k filled with k + 1, after `headBytes` bytes of 0xee. */
function pagesFile(path: string, headBytes: number, pages: number): void {
  const f = new Uint8Array(headBytes + pages * 4096).fill(0xee, 0, headBytes);
  for (let k = 0; k < pages; k++) f.fill(k + 1, headBytes + k * 4096, headBytes + (k + 1) * 4096);
  writeFileSync(path, f);
}

/** RAM as the translator's engine makes it: a WebAssembly memory, page-aligned. */
function wasmRam(pages: number): Uint8Array {
  return new Uint8Array(
    new WebAssembly.Memory({ initial: Math.ceil((pages * 4096) / 65536) }).buffer,
    0,
    pages * 4096,
  );
}

for (const map of [true, false]) {
  test(`SnapshotFile.loadPages (${map ? 'mapped' : 'read'}): each stored page lands at its RAM page, the rest stay zero`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsvirt-snapfile-'));
    try {
      const path = join(dir, 'vm.snap');
      pagesFile(path, 8192, 5);
      const file = await SnapshotFile.open(path, { map });
      assert.deepEqual(file.read(8190, 4), Uint8Array.of(0xee, 0xee, 1, 1));
      const ram = wasmRam(32);
      // Runs: 3-4, 9, 20-21.
      const load = file.loadPages(ram, Uint32Array.of(3, 4, 9, 20, 21), 8192);
      const expected = new Uint8Array(ram.length);
      [3, 4, 9, 20, 21].forEach((p, k) => expected.fill(k + 1, p * 4096, (p + 1) * 4096));
      assert.ok(Buffer.from(ram).equals(Buffer.from(expected)), 'RAM holds the pages where they belong');
      assert.equal(load.mappedPages + load.readPages, 5);
      if (!map) assert.equal(load.mappedPages, 0);
      if (map && process.platform === 'linux') assert.equal(load.mappedPages, 5, 'a Linux host maps them');
      // The guest's writes are its own (copy-on-write): the file keeps its bytes.
      ram[3 * 4096] = 0x99;
      ram[21 * 4096 + 4095] = 0x98;
      assert.equal(ram[3 * 4096], 0x99);
      const after = readFileSync(path);
      assert.equal(after[8192], 1);
      assert.equal(after[8192 + 5 * 4096 - 1], 5);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

test('SnapshotFile.loadPages reads what cannot be mapped: an offset not a multiple of 4096', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tsvirt-snapfile-'));
  try {
    const path = join(dir, 'vm.snap');
    pagesFile(path, 100, 2);
    const ram = wasmRam(16);
    const load = (await SnapshotFile.open(path)).loadPages(ram, Uint32Array.of(0, 7), 100);
    assert.deepEqual(load, { mappedPages: 0, readPages: 2 });
    assert.equal(ram[0], 1);
    assert.equal(ram[7 * 4096 + 4095], 2);
    assert.equal(ram[4096], 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('saveVmTo over the file a VM was restored from: the VM keeps the old pages', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tsvirt-snapfile-'));
  try {
    const path = join(dir, 'vm.snap');
    pagesFile(path, 4096, 3);
    const ram = wasmRam(16);
    (await SnapshotFile.open(path)).loadPages(ram, Uint32Array.of(0, 1, 2), 4096);
    await saveVmTo({ save: async () => [new Uint8Array(10).fill(0x77)] }, path);
    assert.equal(readFileSync(path).length, 10);
    assert.deepEqual([ram[0], ram[4096 + 5], ram[3 * 4096 - 1]], [1, 2, 3]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
