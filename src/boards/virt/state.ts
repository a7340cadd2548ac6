// The virt board's device and hart state as plain data, for whole-VM snapshots
// (docs/snapshot-format.md). RAM is the snapshot container's business (vm/snapshot/); so are the
// virtio-blk and virtio-net devices' own states, which their classes restore by building a device.

import { checkHartState, restoreHart, saveHart, type HartState } from '../../cpu/riscv/state.js';
import type { ClintState } from '../../devices/clint/clint.js';
import type { GoldfishRtcState } from '../../devices/goldfish-rtc/rtc.js';
import type { PlicState } from '../../devices/plic/plic.js';
import type { Uart16550State } from '../../devices/uart16550/uart.js';
import type { VirtioMmioState } from '../../devices/virtio/mmio.js';
import type { VirtBoard, VirtStop } from './board.js';

/** A device of a virtio slot that keeps state of its own (all four of tsvirt's do). */
interface Saving {
  save(): unknown;
}
interface Restoring {
  restore(s: unknown): void;
}

/** What the board holds besides RAM. Each device's state is its class's own `save()` output. */
export interface VirtBoardState {
  harts: HartState[];
  clint: ClintState;
  plic: PlicState;
  uart: Uart16550State;
  rtc: GoldfishRtcState;
  /** The built-in SBI's PMU counter allocations per hart id (null with firmware). */
  sbiPmu: Record<string, number> | null;
  /** How the guest had stopped the machine, if it had (null: running). */
  stop: VirtStop | null;
  /** Per virtio device (in configuration order): its transport and its own state. */
  virtio: { transport: VirtioMmioState; device: unknown }[];
}

/** A saved state that does not fit: the message names the component. */
export class VirtStateError extends Error {}

/**
 * The state of `board`, taken while no hart runs (between slices) and with every disk quiesced
 * (VirtioBlk.save throws otherwise).
 */
export function saveVirtBoard(board: VirtBoard): VirtBoardState {
  return {
    harts: board.harts.map(saveHart),
    clint: board.clint.save(),
    plic: board.plic.save(),
    uart: board.uart.save(),
    rtc: board.rtc.save(),
    sbiPmu: board.sbiPmu?.saveAllocations() ?? null,
    stop: board.stop ?? null,
    virtio: board.transports.map((t) => ({
      transport: t.save(),
      device: (t.device as unknown as Saving).save(),
    })),
  };
}

function part<T>(what: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof VirtStateError) throw e;
    throw new VirtStateError(`${what}: ${(e as Error).message}`);
  }
}

/**
 * Load `raw` (untrusted: from a file) into `board`, made with `restoring: true` and with RAM
 * already loaded (a transport that is live reads its rings at once). Devices whose class restores
 * by construction (virtio-blk, virtio-net) were built from their state already; the others get
 * theirs here, after their transport's. Throws VirtStateError naming the part that does not fit.
 */
export function restoreVirtBoard(board: VirtBoard, raw: unknown): void {
  if (typeof raw !== 'object' || raw === null) throw new VirtStateError('board state: not an object');
  const s = raw as VirtBoardState;
  if (!Array.isArray(s.harts) || s.harts.length !== board.harts.length)
    throw new VirtStateError(
      `harts: the state has ${String(s.harts?.length)}, the machine ${board.harts.length}`,
    );
  const harts = s.harts.map((h, id) => part(`hart ${id}`, () => checkHartState(h, id)));
  if (!Array.isArray(s.virtio) || s.virtio.length !== board.transports.length)
    throw new VirtStateError(
      `virtio: the state has ${String(s.virtio?.length)} devices, the machine ${board.transports.length}`,
    );
  if ((s.sbiPmu === null) !== (board.sbiPmu === undefined))
    throw new VirtStateError('sbi: the state and the machine differ in firmware (built-in SBI or --bios)');
  harts.forEach((h, id) => part(`hart ${id}`, () => restoreHart(board.harts[id], h)));
  part('clint', () => board.clint.restore(s.clint));
  part('plic', () => board.plic.restore(s.plic));
  part('uart', () => board.uart.restore(s.uart));
  part('rtc', () => board.rtc.restore(s.rtc));
  if (s.sbiPmu !== null) part('sbi pmu', () => board.sbiPmu?.restoreAllocations(s.sbiPmu ?? {}, board.harts));
  board.stop = s.stop ?? undefined;
  board.transports.forEach((t, k) =>
    part(`virtio device ${k}`, () => {
      const v = s.virtio[k];
      t.restore(v.transport);
      const dev = t.device as unknown as Partial<Restoring>;
      // virtio-blk and virtio-net have a static restore instead: build made them from the state.
      if (typeof dev.restore === 'function') dev.restore(v.device);
    }),
  );
}
