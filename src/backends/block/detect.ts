// Which format a disk image file is in, from its first bytes: qcow2 and raw are opened; the other
// formats QEMU knows (their magic numbers as their specifications give them) get a clear error
// rather than being handed to the guest as raw bytes it cannot use.

import { QCOW2_MAGIC } from './qcow2-format.js';

/** Bytes of the file's start that {@link detectFormat} looks at. */
export const DETECT_BYTES = 512;

const ascii = (s: string): number[] => [...s].map((c) => c.charCodeAt(0));

/** Formats recognised by a magic number at a fixed offset: name, offset, bytes. */
const UNSUPPORTED: readonly { name: string; at: number; magic: readonly number[] }[] = [
  { name: 'vmdk', at: 0, magic: ascii('KDMV') },
  { name: 'vmdk (descriptor file)', at: 0, magic: ascii('# Disk DescriptorFile') },
  { name: 'vmdk (stream-optimized/ESX)', at: 0, magic: ascii('COWD') },
  { name: 'vhdx', at: 0, magic: ascii('vhdxfile') },
  { name: 'vpc (vhd)', at: 0, magic: ascii('conectix') },
  { name: 'vdi', at: 64, magic: [0x7f, 0x10, 0xda, 0xbe] },
  { name: 'qed', at: 0, magic: ascii('QED\0') },
  { name: 'luks', at: 0, magic: [...ascii('LUKS'), 0xba, 0xbe] },
  { name: 'parallels', at: 0, magic: ascii('WithoutFreeSpace') },
  { name: 'parallels', at: 0, magic: ascii('WithouFreSpacExt') },
  { name: 'bochs', at: 0, magic: ascii('Bochs Virtual HD Image') },
  { name: 'cloop', at: 0, magic: ascii('#!/bin/sh\n#V2.0 Format') },
];

/** The result of {@link detectFormat}. */
export type Detected =
  | { kind: 'raw' }
  | { kind: 'qcow2'; version: number }
  /** qcow version 1. */
  | { kind: 'qcow1' }
  | { kind: 'tsvirt-overlay' }
  | { kind: 'unsupported'; name: string };

/** The format of an image whose first bytes (up to {@link DETECT_BYTES}) are `head`. */
export function detectFormat(head: Uint8Array): Detected {
  const has = (at: number, magic: readonly number[]): boolean =>
    head.length >= at + magic.length && magic.every((b, k) => head[at + k] === b);
  const v = new DataView(head.buffer, head.byteOffset, head.byteLength);
  if (head.length >= 8 && v.getUint32(0) === QCOW2_MAGIC) {
    const version = v.getUint32(4);
    return version === 1 ? { kind: 'qcow1' } : { kind: 'qcow2', version };
  }
  if (has(0, ascii('TSVOVRLY'))) return { kind: 'tsvirt-overlay' };
  for (const u of UNSUPPORTED) if (has(u.at, u.magic)) return { kind: 'unsupported', name: u.name };
  return { kind: 'raw' };
}
