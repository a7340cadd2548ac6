import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { saveVmTo } from './snapshot-file.js';

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
