// Pre-copy live migration, the source side (QEMU's model, docs/qmp.md "Migration"): send every
// nonzero page while the guest runs, then what it dirtied meanwhile, pass after pass, until what is
// left would take no longer than the downtime limit at the bandwidth measured; then pause, send the
// rest with the device and CPU state last, and leave the VM paused (QEMU's postmigrate). The
// stream goes to a MigrationSink, the host's business (a socket, a pipe to a command).

import { countDirtyPages, takeDirtyPages } from '../../memory/dirty-log.js';
import { PAGE_BYTES } from '../snapshot/format.js';
import type { MigrationParts } from '../vm.js';
import { encodePages, encodeStreamEnd, encodeStreamHeader } from './stream.js';

/** Where the stream goes. */
export interface MigrationSink {
  /** Queue `bytes`; resolves when the sink can take more (backpressure), rejects when it failed. */
  write(bytes: Uint8Array): Promise<void>;
  /** End the stream; resolves once the peer has everything (or the command exited with 0). */
  end(): Promise<void>;
  /** Abandon the stream (cancel, failure). */
  destroy(): void;
}

/** migrate-set-parameters' values tsvirt honours (QEMU's MigrationParameters). */
export interface MigrationParameters {
  /** The longest the guest may be paused at the end, in ms (QEMU's downtime-limit, default 300). */
  downtimeLimitMs: number;
  /** The most bytes per second the stream may take (QEMU's max-bandwidth, default 128 MiB/s). */
  maxBandwidthBytesPerS: number;
}

export const DEFAULT_MIGRATION_PARAMETERS: MigrationParameters = {
  downtimeLimitMs: 300,
  maxBandwidthBytesPerS: 128 * 1024 * 1024,
};

/** QEMU's MigrationStatus values this implementation passes through. */
export type MigrationStatus =
  'setup' | 'active' | 'device' | 'completed' | 'failed' | 'cancelling' | 'cancelled';

/** The VM as the migration sees it (Vm is one). */
export interface MigrationVm {
  readonly migration: MigrationParts | undefined;
  readonly paused: boolean;
  pause(): Promise<void>;
  resume(): void;
}

/** What the migration tells its owner: each status change and each pass (QMP events). */
export interface MigrationHooks {
  status(s: MigrationStatus): void;
  pass(n: number): void;
}

/** A migration that was cancelled (migrate_cancel). */
class Cancelled extends Error {}

/** Pages sent per section; a section is also when the guest gets to run between sends. */
const CHUNK_PAGES = 256;

/** One outgoing migration. `run` once; `cancel` any time; `info` for query-migrate. */
export class LiveMigration implements OutgoingMigration {
  status: MigrationStatus = 'setup';
  private readonly t0: number;
  private tEnd: number | undefined;
  private tSetupDone: number | undefined;
  private downtimeMs: number | undefined;
  private cancelled = false;
  private errorDesc: string | undefined;
  private transferredBytes = 0;
  private normalPages = 0;
  private zeroPages = 0;
  private precopyBytes = 0;
  private downtimeBytes = 0;
  private dirtySyncs = 0;
  private remainingPages = 0;
  /** Bytes per ms, measured over the last pass. */
  private bandwidth = 0;
  private dirtyRatePagesPerS = 0;
  /** The window the max-bandwidth cap is measured over. */
  private capStart = 0;
  private capBytes = 0;

  constructor(
    private readonly vm: MigrationVm,
    private readonly sink: MigrationSink,
    /** Read at every section: migrate-set-parameters during a migration takes effect. */
    private readonly params: MigrationParameters,
    private readonly hooks: MigrationHooks,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.t0 = now();
  }

  /** Whether the migration is still going. */
  get active(): boolean {
    return (
      this.status === 'setup' ||
      this.status === 'active' ||
      this.status === 'device' ||
      this.status === 'cancelling'
    );
  }

  /** Stop the migration: the VM runs on (resumed if the migration paused it). */
  cancel(): void {
    if (!this.active || this.cancelled) return;
    this.cancelled = true;
    this.setStatus('cancelling');
    this.sink.destroy();
  }

  /**
   * Migrate. Resolves when the migration ended, completed or not (see `status`). On completion the
   * VM stays paused and its disks quiesced; on failure or cancel it runs as before.
   */
  async run(): Promise<void> {
    const parts = this.vm.migration;
    let pausedHere = false;
    let stateTaken = false;
    try {
      if (parts === undefined) throw new Error('only the virt machine can be migrated');
      const ram = parts.mem.bytes;
      await this.send(encodeStreamHeader(parts.desc), false);
      this.tSetupDone = this.now();
      this.setStatus('active');
      // The first pass: every page that is not zero (the destination's RAM starts zero).
      let pending = this.sync(parts, true);
      for (;;) {
        const passStart = this.now();
        const sent0 = this.transferredBytes;
        await this.sendPages(ram, pending, false);
        const passMs = Math.max(1, this.now() - passStart);
        this.bandwidth = Math.max(this.bandwidth * 0.25, (this.transferredBytes - sent0) / passMs);
        const dirty = countDirtyPages(parts.mem);
        this.dirtyRatePagesPerS = (dirty * 1000) / passMs;
        this.remainingPages = dirty;
        const expectedMs = (dirty * PAGE_BYTES) / Math.max(this.bandwidth, 1);
        if (expectedMs <= this.params.downtimeLimitMs) break;
        pending = this.sync(parts, false);
      }
      const wasPaused = this.vm.paused;
      const tStop = this.now();
      await this.vm.pause();
      pausedHere = !wasPaused;
      this.setStatus('device');
      stateTaken = true;
      const state = await parts.finalState();
      const nets = await parts.netStates?.();
      this.checkCancel();
      await this.sendPages(ram, this.sync(parts, false), true);
      for (const b of encodeStreamEnd(state, nets)) await this.send(b, true);
      await this.sink.end();
      this.checkCancel();
      this.tEnd = this.now();
      this.downtimeMs = this.tEnd - tStop;
      this.remainingPages = 0;
      this.setStatus('completed');
    } catch (e) {
      this.tEnd = this.now();
      this.sink.destroy();
      if (stateTaken) parts?.release();
      if (pausedHere) this.vm.resume();
      if (this.cancelled) this.setStatus('cancelled');
      else {
        this.errorDesc = (e as Error).message;
        this.setStatus('failed');
      }
    }
  }

  /** Read and clear the dirty log (a "dirty sync"); the first keeps only nonzero pages. */
  private sync(parts: MigrationParts, first: boolean): Uint32Array {
    let pages = takeDirtyPages(parts.mem, parts.harts);
    this.dirtySyncs++;
    if (first) {
      const ram = new Int32Array(
        parts.mem.bytes.buffer,
        parts.mem.bytes.byteOffset,
        parts.mem.bytes.length >>> 2,
      );
      const nonzero = pages.filter((p) => {
        for (let i = p * 1024, end = i + 1024; i < end; i++) if (ram[i] !== 0) return true;
        return false;
      });
      this.zeroPages += pages.length - nonzero.length;
      pages = nonzero;
    }
    this.hooks.pass(this.dirtySyncs);
    this.remainingPages = pages.length;
    return pages;
  }

  private async sendPages(ram: Uint8Array, pages: Uint32Array, downtime: boolean): Promise<void> {
    for (let k = 0; k < pages.length; k += CHUNK_PAGES) {
      const chunk = pages.subarray(k, Math.min(k + CHUNK_PAGES, pages.length));
      await this.send(encodePages(ram, chunk), downtime);
      this.normalPages += chunk.length;
      this.remainingPages = Math.max(0, pages.length - k - chunk.length);
      if (!downtime) {
        await this.throttle();
        // Let the guest run a slice: a pass is not a pause.
        await new Promise<void>((r) => setTimeout(r, 0));
      }
    }
  }

  private async send(b: Uint8Array, downtime: boolean): Promise<void> {
    this.checkCancel();
    await this.sink.write(b);
    this.transferredBytes += b.length;
    this.capBytes += b.length;
    if (downtime) this.downtimeBytes += b.length;
    else this.precopyBytes += b.length;
    this.checkCancel();
  }

  /** Sleep as long as the bytes sent in the last second's window exceed max-bandwidth. */
  private async throttle(): Promise<void> {
    const cap = this.params.maxBandwidthBytesPerS;
    const t = this.now();
    if (t - this.capStart > 1000) {
      this.capStart = t;
      this.capBytes = 0;
      return;
    }
    const aheadMs = (this.capBytes / cap) * 1000 - (t - this.capStart);
    if (aheadMs > 1) await new Promise<void>((r) => setTimeout(r, aheadMs));
  }

  private checkCancel(): void {
    if (this.cancelled) throw new Cancelled('cancelled');
  }

  private setStatus(s: MigrationStatus): void {
    this.status = s;
    this.hooks.status(s);
  }

  /** QEMU's MigrationInfo for query-migrate. */
  info(): Record<string, unknown> {
    const end = this.tEnd ?? this.now();
    const totalMs = Math.round(end - this.t0);
    const bwBytesPerMs = this.bandwidth;
    const out: Record<string, unknown> = {
      status: this.status,
      'total-time': totalMs,
      'setup-time': Math.round((this.tSetupDone ?? end) - this.t0),
    };
    if (this.status === 'completed') out.downtime = Math.round(this.downtimeMs ?? 0);
    else if (this.active)
      out['expected-downtime'] = Math.round((this.remainingPages * PAGE_BYTES) / Math.max(bwBytesPerMs, 1));
    if (this.status === 'failed' && this.errorDesc !== undefined) out['error-desc'] = this.errorDesc;
    const totalBytes = this.vm.migration?.mem.sizeBytes ?? 0;
    out.ram = {
      transferred: this.transferredBytes,
      remaining: this.remainingPages * PAGE_BYTES,
      total: totalBytes,
      duplicate: this.zeroPages,
      skipped: 0,
      normal: this.normalPages,
      'normal-bytes': this.normalPages * PAGE_BYTES,
      'dirty-pages-rate': Math.round(this.dirtyRatePagesPerS),
      mbps: (bwBytesPerMs * 1000 * 8) / 1e6,
      'dirty-sync-count': this.dirtySyncs,
      'postcopy-requests': 0,
      'page-size': PAGE_BYTES,
      'multifd-bytes': 0,
      'pages-per-second': Math.round((bwBytesPerMs * 1000) / PAGE_BYTES),
      'precopy-bytes': this.precopyBytes,
      'downtime-bytes': this.downtimeBytes,
      'postcopy-bytes': 0,
      'dirty-sync-missed-zero-copy': 0,
    };
    return out;
  }
}

/** What the owner of a migration sees of it (LiveMigration, SaveMigration). */
export interface OutgoingMigration {
  readonly status: MigrationStatus;
  readonly active: boolean;
  run(): Promise<void>;
  cancel(): void;
  info(): Record<string, unknown>;
}

/**
 * `migrate file:PATH`: pause, write a plain snapshot (docs/snapshot-format.md) with `save`, and
 * leave the VM paused as a completed live migration does. The whole save is downtime.
 */
export class SaveMigration implements OutgoingMigration {
  status: MigrationStatus = 'setup';
  private readonly t0: number;
  private tEnd: number | undefined;
  private errorDesc: string | undefined;
  private cancelled = false;

  constructor(
    private readonly vm: MigrationVm,
    private readonly save: () => Promise<void>,
    private readonly hooks: MigrationHooks,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.t0 = now();
  }

  get active(): boolean {
    return this.status === 'setup' || this.status === 'active';
  }

  /** A save cannot stop half-way: cancel only marks it, and the VM is resumed when it ends. */
  cancel(): void {
    if (this.active) this.cancelled = true;
  }

  async run(): Promise<void> {
    this.hooks.status('setup');
    const wasPaused = this.vm.paused;
    try {
      this.status = 'active';
      this.hooks.status('active');
      await this.vm.pause();
      await this.save();
      this.tEnd = this.now();
      if (this.cancelled) throw new Cancelled('cancelled');
      this.status = 'completed';
    } catch (e) {
      this.tEnd = this.now();
      if (!wasPaused) this.vm.resume();
      this.status = this.cancelled ? 'cancelled' : 'failed';
      if (!this.cancelled) this.errorDesc = (e as Error).message;
    }
    this.hooks.status(this.status);
  }

  info(): Record<string, unknown> {
    const totalMs = Math.round((this.tEnd ?? this.now()) - this.t0);
    const out: Record<string, unknown> = { status: this.status, 'total-time': totalMs, 'setup-time': 0 };
    if (this.status === 'completed') out.downtime = totalMs;
    if (this.errorDesc !== undefined) out['error-desc'] = this.errorDesc;
    return out;
  }
}
