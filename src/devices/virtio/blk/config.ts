// The virtio-blk configuration space, struct virtio_blk_config (virtio 1.2 section 5.2.4), as a
// table of fields; the device fills in the values it advertises and everything else reads as 0.

/** One field of struct virtio_blk_config: byte offset and width (little-endian). */
export interface ConfigField {
  readonly name: string;
  readonly offset: number;
  readonly width: 1 | 2 | 4 | 8;
}

/** struct virtio_blk_config up to unused1 (the secure-erase and zoned fields stay 0). */
export const VIRTIO_BLK_CONFIG_LAYOUT = [
  { name: 'capacity', offset: 0, width: 8 },
  { name: 'size_max', offset: 8, width: 4 },
  { name: 'seg_max', offset: 12, width: 4 },
  { name: 'geometry.cylinders', offset: 16, width: 2 },
  { name: 'geometry.heads', offset: 18, width: 1 },
  { name: 'geometry.sectors', offset: 19, width: 1 },
  { name: 'blk_size', offset: 20, width: 4 },
  { name: 'topology.physical_block_exp', offset: 24, width: 1 },
  { name: 'topology.alignment_offset', offset: 25, width: 1 },
  { name: 'topology.min_io_size', offset: 26, width: 2 },
  { name: 'topology.opt_io_size', offset: 28, width: 4 },
  { name: 'writeback', offset: 32, width: 1 },
  { name: 'unused0', offset: 33, width: 1 },
  { name: 'num_queues', offset: 34, width: 2 },
  { name: 'max_discard_sectors', offset: 36, width: 4 },
  { name: 'max_discard_seg', offset: 40, width: 4 },
  { name: 'discard_sector_alignment', offset: 44, width: 4 },
  { name: 'max_write_zeroes_sectors', offset: 48, width: 4 },
  { name: 'max_write_zeroes_seg', offset: 52, width: 4 },
  { name: 'write_zeroes_may_unmap', offset: 56, width: 1 },
  { name: 'unused1', offset: 57, width: 1 },
] as const satisfies readonly ConfigField[];

/** Size of the encoded space, in bytes (through unused1[3]). */
export const VIRTIO_BLK_CONFIG_BYTES = 60;

export type VirtioBlkConfigName = (typeof VIRTIO_BLK_CONFIG_LAYOUT)[number]['name'];

/** Encode the fields given in `values` (missing ones are 0). Values are non-negative integers. */
export function encodeConfig(values: Partial<Record<VirtioBlkConfigName, number>>): Uint8Array {
  const bytes = new Uint8Array(VIRTIO_BLK_CONFIG_BYTES);
  const view = new DataView(bytes.buffer);
  for (const f of VIRTIO_BLK_CONFIG_LAYOUT) {
    const v = values[f.name] ?? 0;
    if (f.width === 8) view.setBigUint64(f.offset, BigInt(v), true);
    else if (f.width === 4) view.setUint32(f.offset, v, true);
    else if (f.width === 2) view.setUint16(f.offset, v, true);
    else view.setUint8(f.offset, v);
  }
  return bytes;
}

/**
 * A little-endian read of `size` bytes (1, 2 or 4: the MMIO transport splits 64-bit fields,
 * virtio 1.2 section 4.2.2.2) at `offset`; bytes outside the space read as 0.
 */
export function readConfigBytes(bytes: Uint8Array, offset: number, size: number): number {
  let value = 0;
  for (let i = size - 1; i >= 0; i--) {
    const at = offset + i;
    value = value * 256 + (at >= 0 && at < bytes.length ? bytes[at] : 0);
  }
  return value >>> 0;
}
