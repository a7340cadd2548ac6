// Whole-VM snapshots of the virt machine: what `Vm.save` writes and what `build` loads when its
// configuration has `incoming` (docs/snapshot-format.md). The container is format.ts; the board's
// and harts' state boards/virt/state.ts and cpu/riscv/state.ts.

import type { VirtBoardState } from '../../boards/virt/state.js';
import type { IsaProfile } from '../../cpu/riscv/isa/profile.js';
import type { VirtioBlk } from '../../devices/virtio/blk/device.js';
import type { GuestMemory } from '../../memory/guest-memory.js';
import type { SpikeConfig, VirtConfig } from '../config.js';
import {
  decodeSnapshot,
  describeDifferences,
  encodeSnapshot,
  nonZeroPages,
  PAGE_BYTES,
  SECTION_NETS,
  SnapshotError,
  type MachineDescription,
  type ParsedSnapshot,
} from './format.js';

export { SnapshotError };

/** The spike machine `c` describes, as a snapshot's header records it. */
export function describeSpike(c: SpikeConfig, isa: IsaProfile): MachineDescription {
  return {
    machine: 'spike',
    memoryBytes: c.memoryBytes,
    harts: c.harts ?? 1,
    isa: isa.list.join(','),
    firmware: 'none',
    consoleDevice: 'htif',
    devices: [],
  };
}

/** The machine `c` describes, as a snapshot's header records it. */
export function describeMachine(c: VirtConfig, isa: IsaProfile): MachineDescription {
  const devices = [
    ...(c.disks ?? []).map(() => 'virtio-blk'),
    ...(c.nics ?? []).map(() => 'virtio-net'),
    ...(c.rng !== undefined ? ['virtio-rng'] : []),
    ...(c.consoleDevice === 'virtio' ? ['virtio-console'] : []),
  ];
  return {
    machine: 'virt',
    memoryBytes: c.memoryBytes,
    harts: c.harts ?? 1,
    isa: isa.list.join(','),
    firmware: c.bios === undefined ? 'builtin-sbi' : 'bios',
    consoleDevice: c.consoleDevice ?? 'uart',
    devices,
  };
}

/**
 * The snapshot of a machine with RAM `mem` and state `save()` as the file's parts, in order (RAM
 * pages are views of guest RAM: write them before the guest runs again). `nets`: the SLRP payload. Call with no hart running
 * (Vm.pause). Each disk is quiesced (its requests in flight complete first) and resumed after.
 */
export async function takeSnapshot(
  mem: GuestMemory,
  desc: MachineDescription,
  blks: readonly VirtioBlk[],
  save: () => unknown,
  nets?: Uint8Array,
): Promise<Uint8Array[]> {
  for (const b of blks) await b.quiesce();
  try {
    const state = save();
    const ram = mem.bytes;
    const extra = nets === undefined ? [] : [{ tag: SECTION_NETS, payload: nets }];
    return encodeSnapshot(desc, state, { bytes: ram, pages: nonZeroPages(ram) }, extra);
  } finally {
    for (const b of blks) b.resume();
  }
}

/**
 * Read `bytes` for the machine `desc` describes: the file must be of this format version and of
 * the same machine (else a SnapshotError listing every difference).
 */
export function openSnapshot(bytes: Uint8Array | ParsedSnapshot, desc: MachineDescription): ParsedSnapshot {
  const s = bytes instanceof Uint8Array ? decodeSnapshot(bytes) : bytes;
  const diff = describeDifferences(s.desc, desc);
  if (diff.length > 0)
    throw new SnapshotError(
      `the snapshot is of another machine: ${diff.join('; ')} (describe the same machine)`,
    );
  return s;
}

/** The saved state of virtio device `k` (a virtio-blk's or virtio-net's, to build it from). */
export function deviceState(s: ParsedSnapshot, k: number): unknown {
  const v = (s.board as Partial<VirtBoardState> | null)?.virtio?.[k];
  if (typeof v !== 'object' || v === null)
    throw new SnapshotError(`board state: virtio device ${k} is missing`);
  return v.device;
}

/**
 * Load `s`'s RAM into `mem` (the machine's, made for restoring, so all zero) and its state with
 * `restore` (the board's; its errors become SnapshotErrors).
 */
export function loadSnapshot(mem: GuestMemory, s: ParsedSnapshot, restore: (state: unknown) => void): void {
  const ram = mem.bytes;
  if (s.ramLoad !== undefined && s.ramMemory !== mem) s.ramLoad(ram, s.ramPages);
  const pages = s.ramMemory === mem || s.ramLoad !== undefined ? new Uint32Array(0) : s.ramPages;
  // Runs of consecutive pages are copied at once.
  for (let k = 0; k < pages.length;) {
    let end = k + 1;
    while (end < pages.length && pages[end] === pages[end - 1] + 1) end++;
    const from = s.ramImage === undefined ? k * PAGE_BYTES : pages[k] * PAGE_BYTES;
    const src = s.ramImage ?? s.ramData;
    ram.set(src.subarray(from, from + (end - k) * PAGE_BYTES), pages[k] * PAGE_BYTES);
    k = end;
  }
  try {
    restore(s.board);
  } catch (e) {
    throw new SnapshotError((e as Error).message);
  }
}
