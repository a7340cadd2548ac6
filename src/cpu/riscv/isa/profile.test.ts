// The profiles are documented as they are: docs/cpu.md lists each profile's extensions, and the
// list must be the profile's (canonical order, exactly). Also: every profile names only known
// extensions, closed under `requires`.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { EXTENSIONS, isaProfile, PROFILES } from './profile.js';

const DOC = new URL('../../../../docs/cpu.md', import.meta.url);

test('docs/cpu.md lists every profile with exactly its extensions', () => {
  const doc = readFileSync(DOC, 'utf8');
  const documented = new Map<string, string>();
  for (const m of doc.matchAll(/^### `([a-z0-9]+)`\n[\s\S]*?^Extensions: (.*)$/gm))
    documented.set(m[1], m[2].trim());
  assert.deepEqual([...documented.keys()].sort(), Object.keys(PROFILES).sort());
  for (const name of Object.keys(PROFILES))
    assert.equal(documented.get(name), isaProfile(name).list.join(' '), name);
});

test('profiles name known extensions only, and hold what those require', () => {
  const known = new Set(EXTENSIONS.map((e) => e.name));
  for (const [name, p] of Object.entries(PROFILES)) {
    for (const e of p.extensions) assert.ok(known.has(e), `${name}: ${e}`);
    const set = new Set(p.extensions);
    for (const e of EXTENSIONS)
      if (set.has(e.name))
        for (const r of e.requires ?? []) assert.ok(set.has(r), `${name}: ${e.name} needs ${r}`);
    for (const e of EXTENSIONS)
      if (e.fixed === true) assert.ok(set.has(e.name), `${name}: ${e.name} is fixed`);
  }
});

test('every table entry names known extensions (ext, alsoIn, needs), compressed ones too', () => {
  const known = new Set(EXTENSIONS.map((e) => e.name));
  const max = isaProfile('max');
  for (const s of [...max.insns, ...max.cinsns])
    for (const e of [
      s.ext,
      ...('alsoIn' in s ? (s.alsoIn ?? []) : []),
      ...('needs' in s ? (s.needs ?? []) : []),
    ])
      assert.ok(e === 'priv' || known.has(e.toLowerCase()), `${s.name}: ${e}`);
});
