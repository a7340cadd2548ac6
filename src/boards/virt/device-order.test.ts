// The order the guest finds the virtio devices in: Linux probes virtio-mmio nodes in device-tree
// order and names disks vda, vdb... and NICs eth0, eth1... in probe order, so the first device
// given to the board must be the first virtio,mmio node of the tree, the second the next, and so on.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MemoryBlockBackend } from '../../backends/block/backend.js';
import { MemoryCharBackend } from '../../backends/memory-char.js';
import { VirtioBlk } from '../../devices/virtio/blk/device.js';
import { decodeFdt, findNode, readStrings, readU64s } from '../../machine/fdt-decode.js';
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

/** virtio-mmio register DeviceID and the start of the config space (virtio 1.2 section 4.2.2). */
const DEVICE_ID = 0x008;
const CONFIG = 0x100;

/**
 * The capacity (virtio-blk config field, in sectors) of each disk the guest meets, in device-tree
 * order: empty slots (DeviceID 0) are skipped as Linux skips them.
 */
function disksInTreeOrder(sectors: number[]): number[] {
  const disks = sectors.map((n) => new VirtioBlk({ backend: new MemoryBlockBackend(n * 512) }));
  const b = new VirtBoard({
    memoryBytes: 16 << 20,
    harts: 1,
    kernel: tinyImage(),
    append: '',
    console: new MemoryCharBackend(),
    virtio: disks,
  });
  const soc = findNode(decodeFdt(b.mem.slice(b.fdtAddr, 64 * 1024).slice()).root, '/soc');
  assert.ok(soc !== undefined);
  const out: number[] = [];
  const r = new Int32Array(2);
  for (const node of soc.children) {
    const compatible = node.props.get('compatible');
    if (compatible === undefined || !readStrings(compatible).includes('virtio,mmio')) continue;
    const base = Number(readU64s(node.props.get('reg') ?? new Uint8Array(16))[0]);
    assert.ok(b.bus.mmioRead(base + DEVICE_ID, 4, r));
    if (r[0] === 0) continue;
    assert.equal(r[0], 2, 'a block device');
    assert.ok(b.bus.mmioRead(base + CONFIG, 4, r));
    out.push(r[0]);
  }
  return out;
}

for (const sectors of [[8], [8, 16], [8, 16, 24], [1, 2, 3, 4, 5, 6, 7, 8]]) {
  test(`${sectors.length} disk(s): the first device is the first virtio,mmio node of the tree`, () => {
    assert.deepEqual(disksInTreeOrder(sectors), sectors);
  });
}
