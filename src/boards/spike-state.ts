// The spike board's state as plain data, for whole-VM snapshots and migration
// (docs/snapshot-format.md): the harts, the CLINT, HTIF and how the program ended. RAM is the
// snapshot container's business (vm/snapshot/).

import { checkHartState, restoreHart, saveHart, type HartState } from '../cpu/riscv/state.js';
import type { ClintState } from '../devices/clint/clint.js';
import type { HtifState } from '../devices/htif/htif.js';
import type { SpikeBoard } from './spike.js';

/** What the spike board holds besides RAM. */
export interface SpikeBoardState {
  harts: HartState[];
  clint: ClintState;
  htif: HtifState;
  /** The exit code the program reported through HTIF, or null while it runs. */
  exitCode: number | null;
}

/** A saved state that does not fit: the message names the component. */
export class SpikeStateError extends Error {}

/** The state of `board`, taken while no hart runs (between slices). */
export function saveSpikeBoard(board: SpikeBoard): SpikeBoardState {
  return {
    harts: board.harts.map(saveHart),
    clint: board.clint.save(),
    htif: board.htif.save(),
    exitCode: board.exitCode ?? null,
  };
}

function part<T>(what: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof SpikeStateError) throw e;
    throw new SpikeStateError(`${what}: ${(e as Error).message}`);
  }
}

/**
 * Load `raw` (untrusted: from a file or a peer) into `board`, made with `restoring: true` and
 * with RAM loaded. Throws SpikeStateError naming the part that does not fit.
 */
export function restoreSpikeBoard(board: SpikeBoard, raw: unknown): void {
  if (typeof raw !== 'object' || raw === null) throw new SpikeStateError('board state: not an object');
  const s = raw as SpikeBoardState;
  if (!Array.isArray(s.harts) || s.harts.length !== board.harts.length)
    throw new SpikeStateError(
      `harts: the state has ${String(s.harts?.length)}, the machine ${board.harts.length}`,
    );
  if (s.exitCode !== null && !Number.isSafeInteger(s.exitCode))
    throw new SpikeStateError('exitCode: not an integer or null');
  const harts = s.harts.map((h, id) => part(`hart ${id}`, () => checkHartState(h, id)));
  part('htif', () => board.htif.restore(s.htif));
  harts.forEach((h, id) => part(`hart ${id}`, () => restoreHart(board.harts[id], h)));
  part('clint', () => board.clint.restore(s.clint));
  board.exitCode = s.exitCode ?? undefined;
}
