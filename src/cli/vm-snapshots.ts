// `tsvirt run --qmp`'s internal snapshots (snapshot-save, -load, -delete; HMP savevm, loadvm,
// delvm; --loadvm): the VM's state stored in one qcow2 disk, every disk snapshotted under the same
// tag, as QEMU does. A load stops the VM and builds it again from the stored state (as a reset
// does) with the disks reverted first.

import type { BlockBackend } from '../backends/block/backend.js';
import { Qcow2Backend } from '../backends/block/qcow2.js';
import type { Qcow2Snapshot } from '../backends/block/qcow2-snapshot.js';
import type { VirtBoard } from '../boards/virt/board.js';
import { VIRT_TIMEBASE_HZ } from '../boards/virt/memory-map.js';
import { QmpError } from '../monitor/qmp-protocol.js';
import type { SnapshotListing } from '../monitor/qmp-snapshot.js';
import type { VirtConfig, VmConfig } from '../vm/config.js';
import type { ParsedSnapshot } from '../vm/snapshot/format.js';
import { openSnapshot } from '../vm/snapshot/snapshot.js';
import type { Vm } from '../vm/vm.js';

/** One disk of the VM as the snapshot commands see it: query-block's name and its backend. */
export interface SnapshotDisk {
  readonly device: string;
  readonly backend: BlockBackend;
}

/** A snapshot-load waiting for the VM to be built again (see VmMonitor and main's boots). */
export interface PendingLoad {
  readonly tag: string;
  /** The disks to revert, by index in the VM's --disk list. */
  readonly diskIndexes: readonly number[];
  readonly state: ParsedSnapshot;
  readonly wasRunning: boolean;
  done(error?: unknown): void;
}

/** Most bytes a VM state of `memoryBytes` of RAM can take (RAM, its page index, the devices). */
export function vmStateLimitBytes(memoryBytes: number): number {
  return memoryBytes + memoryBytes / 1024 + 64 * 1024 ** 2;
}

const generic = (desc: string): QmpError => new QmpError('GenericError', desc);

/** The device index of `name` ("virtio2" -> 2) among `disks`, or -1. */
function indexOf(disks: readonly SnapshotDisk[], name: string): number {
  return disks.findIndex((d) => d.device === name);
}

/**
 * The qcow2 images of `names` (query-block's device names), in order. Throws QEMU's errors for
 * a name that is no device and for a device that cannot take internal snapshots.
 */
export function snapshotImages(disks: readonly SnapshotDisk[], names: readonly string[]): Qcow2Backend[] {
  return names.map((name) => {
    const k = indexOf(disks, name);
    if (k < 0) throw generic(`No block device node '${name}'`);
    const b = disks[k].backend;
    if (!(b instanceof Qcow2Backend) || b.readOnly)
      throw generic(`Device '${name}' is writable but does not support snapshots`);
    return b;
  });
}

/**
 * The devices a snapshot command without `devices` uses: every writable disk (HMP's savevm,
 * loadvm, delvm), each of which must be a writable qcow2 image.
 */
export function defaultSnapshotDevices(disks: readonly SnapshotDisk[]): string[] {
  return disks.filter((d) => !d.backend.readOnly).map((d) => d.device);
}

/** The guest's time since boot (mtime), in ns: a snapshot's VM CLOCK. */
function vmClockNs(vm: Vm): bigint {
  const board = vm.board as Partial<VirtBoard>;
  const ticks = board.clint?.mtime64();
  return ticks === undefined ? 0n : (ticks * 1_000_000_000n) / BigInt(VIRT_TIMEBASE_HZ);
}

/**
 * snapshot-save: pause `vm` (it resumes after if it ran), store its state in `vmstate` and take
 * snapshot `tag` of every device of `devices` (replacing one of that name when `overwrite`).
 */
export async function saveSnapshot(
  vm: Vm,
  disks: readonly SnapshotDisk[],
  req: { tag: string; vmstate: string; devices: readonly string[]; overwrite: boolean },
  resumeAfter: () => boolean,
): Promise<void> {
  const images = snapshotImages(disks, req.devices);
  const k = req.devices.indexOf(req.vmstate);
  if (k < 0) throw generic(`vmstate block device '${req.vmstate}' is not in the list of devices`);
  if (!req.overwrite && images.some((b) => b.findSnapshot(req.tag) !== undefined))
    throw generic(`Snapshot '${req.tag}' already exists in one or more devices`);
  const wasRunning = !vm.paused;
  await vm.pause();
  try {
    if (req.overwrite)
      for (const b of images) if (b.findSnapshot(req.tag) !== undefined) await b.deleteSnapshot(req.tag);
    const parts = await vm.save();
    const clock = vmClockNs(vm);
    for (const [j, b] of images.entries())
      await b.createSnapshot(req.tag, { vmState: j === k ? parts : undefined, vmClockNs: clock });
  } finally {
    if (wasRunning && resumeAfter()) vm.resume();
  }
}

/**
 * Check that `tag` can be loaded into `vm` from `devices` (default: every writable disk) with
 * its state in `vmstate` (default: the first of them), and read that state. Nothing changes yet.
 */
export async function prepareLoad(
  vm: Vm,
  disks: readonly SnapshotDisk[],
  req: { tag: string; vmstate: string | undefined; devices: readonly string[] | undefined },
): Promise<{ diskIndexes: number[]; state: ParsedSnapshot }> {
  const desc = vm.migration?.desc;
  if (desc === undefined) throw generic('snapshots are of the virt machine only');
  const names = req.devices ?? defaultSnapshotDevices(disks);
  const images = snapshotImages(disks, names);
  if (images.length === 0) throw generic('No block device can accept snapshots');
  const vmstate = req.vmstate ?? names[0];
  const k = names.indexOf(vmstate);
  if (k < 0) throw generic(`vmstate block device '${vmstate}' is not in the list of devices`);
  if (images.some((b) => b.findSnapshot(req.tag) === undefined))
    throw generic(`Snapshot '${req.tag}' does not exist in one or more devices`);
  if (images[k].findSnapshot(req.tag)!.vmStateBytes === 0)
    throw generic(
      `Snapshot '${req.tag}' is a disk-only snapshot and must be reverted offline using qemu-img`,
    );
  const bytes = await images[k].readVmState(req.tag, vmStateLimitBytes(desc.memoryBytes));
  // A state of another machine, or corrupt, is refused here, while the VM still runs.
  const state = openSnapshot(bytes, desc);
  return { diskIndexes: names.map((n) => indexOf(disks, n)), state };
}

/**
 * Before the VM is built again for `load`: revert its disks (newly opened in `config`) to the
 * snapshot and make `config` start from the stored state.
 */
export async function applyLoad(config: VmConfig, load: PendingLoad): Promise<void> {
  if (config.machine !== 'virt') throw new Error('snapshots are of the virt machine only');
  for (const k of load.diskIndexes) {
    const b = config.disks?.[k]?.backend;
    if (!(b instanceof Qcow2Backend)) throw new Error(`disk ${k} is no longer a qcow2 image`);
    await b.applySnapshot(load.tag);
  }
  config.incoming = load.state;
  holdInputUntilBuilt(config);
}

/**
 * Hold `config`'s console input back until the VM has been built from its saved state: bytes
 * typed while the disks were being reverted would reach the UART before its saved state
 * replaces it, and be lost. The board takes its input receiver while it is built, and the state
 * is loaded in the same turn: the receiver is handed on a turn later.
 */
function holdInputUntilBuilt(config: VirtConfig): void {
  const console = config.console;
  config.console = new Proxy(console, {
    get(target, key) {
      if (key === 'onInput')
        return (receiver: (bytes: Uint8Array) => void) => setImmediate(() => target.onInput(receiver));
      const v: unknown = Reflect.get(target, key, target);
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
}

/** snapshot-delete: remove `tag` from each of `devices` (default: every writable disk) that has it. */
export async function deleteSnapshot(
  disks: readonly SnapshotDisk[],
  tag: string,
  devices: readonly string[] | undefined,
): Promise<void> {
  for (const b of snapshotImages(disks, devices ?? defaultSnapshotDevices(disks)))
    if (b.findSnapshot(tag) !== undefined) await b.deleteSnapshot(tag);
}

/** The snapshots that every writable qcow2 disk has, as the first one records them. */
export function listSnapshots(disks: readonly SnapshotDisk[]): SnapshotListing[] {
  const images = disks.map((d) => d.backend).filter((b) => b instanceof Qcow2Backend && !b.readOnly);
  const first = images[0] as Qcow2Backend | undefined;
  if (first === undefined) return [];
  const onAll = (s: Qcow2Snapshot): boolean =>
    images.every((b) => (b as Qcow2Backend).snapshots().some((o) => o.name === s.name));
  return first
    .snapshots()
    .filter(onAll)
    .map((s) => ({
      id: s.id,
      tag: s.name,
      vmStateBytes: s.vmStateBytes,
      dateSec: s.dateSec,
      vmClockNs: s.vmClockNs,
    }));
}

/**
 * --loadvm TAG: revert the disks of `config` that have snapshot `tag` and start from the VM state
 * stored with it (in the first of them that has one). Throws when no disk has it with a state.
 */
export async function loadAtStart(config: VmConfig, tag: string): Promise<void> {
  if (config.machine !== 'virt') throw new Error('--loadvm: snapshots are of the virt machine only');
  const images = (config.disks ?? [])
    .map((d) => d.backend)
    .filter((b): b is Qcow2Backend => b instanceof Qcow2Backend && !b.readOnly);
  const withState = images.find((b) => (b.findSnapshot(tag)?.vmStateBytes ?? 0) > 0);
  if (withState === undefined)
    throw new Error(`--loadvm: no writable qcow2 disk has a snapshot '${tag}' with a VM state`);
  if (images.some((b) => b.findSnapshot(tag) === undefined))
    throw new Error(`--loadvm: Snapshot '${tag}' does not exist in one or more devices`);
  const bytes = await withState.readVmState(tag, vmStateLimitBytes(config.memoryBytes));
  for (const b of images) await b.applySnapshot(tag);
  config.incoming = bytes;
  holdInputUntilBuilt(config);
}
