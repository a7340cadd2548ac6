// The build key decides when an image is rebuilt: the same inputs reuse the outputs, any change
// in a package's version or hash, the modules, the preset or the builder rebuilds them.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FetchedDeb } from './apt.js';
import { builderDigest, imageKey, variantName, type ImageInputs } from './imagekey.js';

const deb = (pkg: string, version: string, hashDigit = 'a'): FetchedDeb => ({
  pkg,
  version,
  sha256: hashDigit.repeat(64),
  sizeBytes: 1,
  file: `${pkg}_${version}_riscv64.deb`,
});

const INPUTS: ImageInputs = {
  kernel: deb('linux-image-6.12.117+deb13-riscv64', '6.12.117-1'),
  busybox: deb('busybox-static', '1:1.37.0-6+b9'),
  opensbi: deb('opensbi', '1.6-1'),
  modules: ['virtio_mmio', 'kvm'],
  packages: [deb('libc6', '2.41-12'), deb('qemu-system-riscv', '1:10.0.13+ds-0+deb13u1')],
  nested: true,
};
const BUILDER = builderDigest([new TextEncoder().encode('builder v1')]);

test('the same inputs give the same key; the order apt listed the packages in does not matter', () => {
  const k = imageKey(INPUTS, BUILDER);
  assert.match(k, /^[0-9a-f]{64}$/);
  assert.equal(imageKey({ ...INPUTS, modules: [...INPUTS.modules] }, BUILDER), k);
  assert.equal(imageKey({ ...INPUTS, packages: [...INPUTS.packages].reverse() }, BUILDER), k);
});

test('a new package version or hash, another package set, modules, preset or builder change the key', () => {
  const k = imageKey(INPUTS, BUILDER);
  const variants: [string, ImageInputs, string][] = [
    ['package version', { ...INPUTS, packages: [deb('libc6', '2.41-13'), INPUTS.packages[1]] }, BUILDER],
    [
      'package rebuilt, same version',
      { ...INPUTS, packages: [deb('libc6', '2.41-12', 'b'), INPUTS.packages[1]] },
      BUILDER,
    ],
    ['package added', { ...INPUTS, packages: [...INPUTS.packages, deb('zlib1g', '1:1.3')] }, BUILDER],
    ['package removed', { ...INPUTS, packages: INPUTS.packages.slice(1) }, BUILDER],
    ['kernel', { ...INPUTS, kernel: deb('linux-image-6.12.118+deb13-riscv64', '6.12.118-1') }, BUILDER],
    ['busybox hash', { ...INPUTS, busybox: deb('busybox-static', '1:1.37.0-6+b9', 'c') }, BUILDER],
    ['opensbi', { ...INPUTS, opensbi: deb('opensbi', '1.7-1') }, BUILDER],
    ['modules', { ...INPUTS, modules: ['virtio_mmio'] }, BUILDER],
    ['module order', { ...INPUTS, modules: ['kvm', 'virtio_mmio'] }, BUILDER],
    ['preset', { ...INPUTS, nested: false }, BUILDER],
    ['builder', INPUTS, builderDigest([new TextEncoder().encode('builder v2')])],
  ];
  const keys = new Set([k]);
  for (const [what, inputs, builder] of variants) {
    const v = imageKey(inputs, builder);
    assert.notEqual(v, k, what);
    keys.add(v);
  }
  assert.equal(keys.size, variants.length + 1, 'every change gives its own key');
});

test('variants: none for the default image, nested for the preset, a hash of the sorted request', () => {
  assert.equal(variantName([], false), undefined);
  assert.equal(variantName([], true), 'nested');
  const v = variantName(['strace', 'gdb'], false);
  assert.match(v ?? '', /^pkgs-[0-9a-f]{12}$/);
  assert.equal(variantName(['gdb', 'strace'], false), v);
  assert.notEqual(variantName(['gdb'], false), v);
  assert.equal(variantName(['gdb', 'strace'], true), `nested-${v}`);
});
