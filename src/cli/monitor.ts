// `tsvirt run --qmp`: the QMP servers and the VM they control, across the VMs that resets and
// --reboot build one after another. Adapts a Vm to the monitor's MonitorTarget and turns the
// VM's changes (pause, resume, reset, the way it ended) into QMP events.

import { openSync, readSync, closeSync } from 'node:fs';
import * as C from '../cpu/riscv/csr-defs.js';
import { firmwareRead } from '../cpu/riscv/csr.js';
import type { RiscvHart } from '../cpu/riscv/hart.js';
import { QmpServer } from '../host/node/qmp-server.js';
import { saveVmTo } from '../host/node/snapshot-file.js';
import type { QmpAddress } from '../monitor/qmp-address.js';
import {
  qmpCommands,
  type BlockView,
  type HartRegisters,
  type MonitorTarget,
  type RunState,
} from '../monitor/qmp-commands.js';
import type { QmpObject, QmpVersion } from '../monitor/qmp-protocol.js';
import { parseDiskSpec } from '../backends/block/spec.js';
import type { Vm, VmEnd } from '../vm/vm.js';
import { versionText } from './version.js';
import type { MigrationTarget } from '../monitor/qmp-migration.js';
import { QmpError } from '../monitor/qmp-protocol.js';
import {
  DEFAULT_MIGRATION_PARAMETERS,
  LiveMigration,
  SaveMigration,
  type MigrationParameters,
  type MigrationStatus,
  type OutgoingMigration,
} from '../vm/migration/migrate.js';
import { MigrationUriError, parseMigrationUri } from '../vm/migration/uri.js';
import { execSink, tcpSink } from './migration-channel.js';
import { UsageError } from './options.js';
import type { SnapshotListing, SnapshotTarget } from '../monitor/qmp-snapshot.js';
import type { BlockBackend } from '../backends/block/backend.js';
import type { VmConfig } from '../vm/config.js';
import {
  applyLoad,
  defaultSnapshotDevices,
  deleteSnapshot,
  listSnapshots,
  prepareLoad,
  saveSnapshot,
  type PendingLoad,
  type SnapshotDisk,
} from './vm-snapshots.js';

/** The CSRs `info registers` prints after pc, in QEMU's order (those a hart may lack are skipped). */
const CSRS: readonly (readonly [string, number])[] = [
  ['mhartid', C.CSR_MHARTID],
  ['mstatus', C.CSR_MSTATUS],
  ['mip', C.CSR_MIP],
  ['mie', C.CSR_MIE],
  ['mideleg', C.CSR_MIDELEG],
  ['medeleg', C.CSR_MEDELEG],
  ['mtvec', C.CSR_MTVEC],
  ['stvec', C.CSR_STVEC],
  ['mepc', C.CSR_MEPC],
  ['sepc', C.CSR_SEPC],
  ['mcause', C.CSR_MCAUSE],
  ['scause', C.CSR_SCAUSE],
  ['mtval', C.CSR_MTVAL],
  ['stval', C.CSR_STVAL],
  ['mscratch', C.CSR_MSCRATCH],
  ['sscratch', C.CSR_SSCRATCH],
  ['satp', C.CSR_SATP],
];

function registersOf(h: RiscvHart): HartRegisters {
  const x: bigint[] = [];
  for (let i = 0; i < 32; i++) x.push((BigInt(h.x[2 * i + 1] >>> 0) << 32n) | BigInt(h.x[2 * i] >>> 0));
  const csrs: [string, bigint][] = [];
  for (const [name, csr] of CSRS) {
    const v = firmwareRead(h, csr);
    if (v !== undefined) csrs.push([name, v]);
  }
  return { hartId: h.hartId, pc: BigInt.asUintN(64, BigInt(h.pc)), x, priv: h.priv, virt: h.hyp.virt, csrs };
}

/** The image format from its first bytes: qcow2's magic "QFI\xfb", else raw. */
function detectFormat(path: string): string {
  try {
    const fd = openSync(path, 'r');
    try {
      const magic = Buffer.alloc(4);
      readSync(fd, magic, 0, 4, 0);
      return magic.equals(Buffer.from([0x51, 0x46, 0x49, 0xfb])) ? 'qcow2' : 'raw';
    } finally {
      closeSync(fd);
    }
  } catch {
    return 'raw';
  }
}

/** tsvirt's version in QMP's VersionInfo (the `qemu` member holds tsvirt's own numbers). */
function qmpVersion(): QmpVersion {
  const text = versionText();
  const m = /^tsvirt (\d+)\.(\d+)\.(\d+)/.exec(text);
  const [major, minor, micro] = m === null ? [0, 0, 0] : [Number(m[1]), Number(m[2]), Number(m[3])];
  const commit = /^commit (\S+)/m.exec(text)?.[1] ?? 'unknown';
  return { qemu: { major, minor, micro }, package: `tsvirt ${major}.${minor}.${micro} (commit ${commit})` };
}

/** The QMP servers of one `tsvirt run`, and the VM they control now. */
export class VmMonitor implements MonitorTarget, MigrationTarget, SnapshotTarget {
  readonly version = qmpVersion();
  /** All harts run on the event loop's thread, whose id on Linux is the process id. */
  readonly threadId = process.pid;
  private vm: Vm | undefined;
  /** Resolves when the current VM ends (a pause in progress then stops waiting for it). */
  private vmDone: Promise<void> = Promise.resolve();
  private endVm: () => void = () => {};
  private disks: BlockView[] = [];
  private wantPaused = false;
  private ended = false;
  private quitRequested = false;
  private servers: QmpServer[] = [];
  private migration: OutgoingMigration | undefined;
  private readonly migrationParams: MigrationParameters = { ...DEFAULT_MIGRATION_PARAMETERS };
  /** The VM was migrated away (QEMU's postmigrate) and has not run since. */
  private migratedAway = false;
  /** Waiting for an incoming migration (--incoming tcp:), before the VM exists. */
  incoming = false;
  private readonly waits: Promise<void>[] = [];
  /** The disks' backends (snapshot commands), by device name. */
  private snapshotDisks: SnapshotDisk[] = [];
  /** A snapshot-load that stopped the VM to build it again from the stored state. */
  private pendingLoad: PendingLoad | undefined;

  /** Listen on each of `addresses`; rejects (after closing what it opened) when one fails. */
  static async open(addresses: readonly QmpAddress[]): Promise<VmMonitor> {
    const m = new VmMonitor();
    const commands = qmpCommands(m, m, m);
    try {
      for (const a of addresses) {
        const s = await QmpServer.listen(a, m.version, commands);
        m.servers.push(s);
        if (a.wait) m.waits.push(s.waitForClient());
      }
    } catch (e) {
      await m.close();
      throw e;
    }
    return m;
  }

  /** Resolves once each server with wait=on has had its first client. */
  async waitForClients(): Promise<void> {
    await Promise.all(this.waits);
  }

  /** Whether a client asked to quit (between two VMs: no further boot). */
  get quitting(): boolean {
    return this.quitRequested;
  }

  /**
   * `vm` is the VM now (before its `run`); `diskSpecs` are its --disk values, in order, and
   * `sizesBytes` their disks' sizes, `backends` the disks (for snapshots).
   */
  attach(
    vm: Vm,
    diskSpecs: readonly string[],
    sizesBytes: readonly number[],
    backends: readonly BlockBackend[] = [],
  ): void {
    this.vm = vm;
    this.snapshotDisks = backends.map((backend, k) => ({ device: `virtio${k}`, backend }));
    this.vmDone = new Promise((resolve) => (this.endVm = resolve));
    this.disks = diskSpecs.map((text, k) => {
      const spec = parseDiskSpec(text);
      return {
        device: `virtio${k}`,
        file: spec.file,
        format: spec.format ?? detectFormat(spec.file),
        readOnly: spec.readOnly,
        sizeBytes: sizesBytes[k] ?? 0,
        overlay: spec.overlay,
      };
    });
    // A reset keeps a paused VM paused (QEMU's system_reset does not change the run state).
    if (this.wantPaused) void vm.pause();
    vm.onPauseChange((paused) => {
      if (this.vm === vm) this.emit(paused ? 'STOP' : 'RESUME');
    });
    if (this.quitRequested) vm.stop({ kind: 'monitor', action: 'quit' });
    const load = this.pendingLoad;
    this.pendingLoad = undefined;
    if (load !== undefined) {
      // The VM paused for the load (STOP); it runs on if it ran, as QEMU's does.
      if (load.wasRunning && !this.wantPaused) this.emit('RESUME');
      else if (!this.wantPaused) void vm.pause();
      load.done();
    }
  }

  /**
   * Before the VM is built again: a snapshot-load in progress reverts the disks `config` opened
   * and makes it start from the stored state. A failure fails the load and is thrown.
   */
  async beforeBuild(config: VmConfig): Promise<void> {
    const load = this.pendingLoad;
    if (load === undefined) return;
    try {
      await applyLoad(config, load);
    } catch (e) {
      this.pendingLoad = undefined;
      load.done(e);
      throw new UsageError(`snapshot-load '${load.tag}': ${(e as Error).message}; the VM cannot go on`);
    }
  }

  /**
   * The VM ended as `end`: emit RESET when it boots again (`again`), SHUTDOWN otherwise (with
   * QEMU's ShutdownCause).
   */
  vmEnded(end: VmEnd, again: boolean): void {
    this.vm = undefined;
    this.endVm();
    if (end.kind === 'stopped' && end.reason.kind === 'monitor' && end.reason.action !== 'quit') return;
    const guestReset = end.kind === 'guest' && end.stop.kind === 'reboot';
    if (again && guestReset) {
      this.emit('RESET', { guest: true, reason: 'guest-reset' });
      return;
    }
    this.ended = true;
    let guest = false;
    let reason = 'host-error';
    if (end.kind === 'guest') {
      guest = true;
      reason = {
        poweroff: 'guest-shutdown',
        reboot: 'guest-reset',
        fail: 'guest-panic',
        exit: 'guest-shutdown',
      }[end.stop.kind];
    } else if (end.kind === 'stopped') {
      const r = end.reason;
      reason =
        r.kind === 'signal'
          ? 'host-signal'
          : r.kind === 'monitor'
            ? 'host-qmp-quit'
            : r.kind === 'quit'
              ? 'host-ui'
              : 'host-error';
    }
    this.emit('SHUTDOWN', { guest, reason });
  }

  private emit(name: string, data?: QmpObject): void {
    for (const s of this.servers) s.broadcast(name, data);
  }

  status(): RunState {
    if (this.ended) return 'shutdown';
    if (this.vm === undefined) return this.incoming ? 'inmigrate' : this.wantPaused ? 'paused' : 'prelaunch';
    if (this.vm.paused && this.migratedAway) return 'postmigrate';
    return this.vm.paused ? 'paused' : 'running';
  }

  async stop(): Promise<void> {
    if (this.wantPaused) return;
    this.wantPaused = true;
    // The VM may end (a reset, the guest's poweroff) before its harts park: stop waits no more.
    if (this.vm !== undefined) await Promise.race([this.vm.pause(), this.vmDone]);
    else this.emit('STOP');
  }

  cont(): void {
    if (this.migration?.active === true)
      throw new QmpError('GenericError', 'a migration is in progress: migrate_cancel first');
    this.migratedAway = false;
    if (!this.wantPaused) return;
    this.wantPaused = false;
    if (this.vm !== undefined) this.vm.resume();
    else this.emit('RESUME');
  }

  /**
   * The power button. QEMU's RISC-V virt board wires none (no ACPI, no GPIO key): the request
   * is only the POWERDOWN event, and the guest sees nothing. tsvirt's virt board does the same.
   */
  powerdown(): void {
    this.emit('POWERDOWN');
  }

  reset(): void {
    this.emit('RESET', { guest: false, reason: 'host-qmp-system-reset' });
    this.vm?.stop({ kind: 'monitor', action: 'reset' });
  }

  quit(): void {
    this.quitRequested = true;
    this.vm?.stop({ kind: 'monitor', action: 'quit' });
  }

  harts(): HartRegisters[] {
    return this.vm?.harts.map(registersOf) ?? [];
  }

  blocks(): BlockView[] {
    return this.disks;
  }

  migrate(uri: string): void {
    const vm = this.vm;
    if (this.migration?.active === true)
      throw new QmpError('GenericError', "There's a migration process in progress");
    if (vm === undefined || this.ended) throw new QmpError('GenericError', 'There is no VM to migrate');
    if (vm.migration === undefined)
      throw new QmpError('GenericError', 'only the virt machine can be migrated');
    let target;
    try {
      target = parseMigrationUri(uri);
    } catch (e) {
      if (e instanceof MigrationUriError) throw new QmpError('GenericError', e.message);
      throw e;
    }
    const hooks = {
      status: (s: MigrationStatus) => {
        this.emit('MIGRATION', { status: s });
        if (s === 'completed') {
          this.migratedAway = true;
          this.wantPaused = true;
        }
      },
      pass: (n: number) => this.emit('MIGRATION_PASS', { pass: n }),
    };
    if (target.kind === 'file') {
      const path = target.path;
      this.migration = new SaveMigration(vm, () => saveVmTo(vm, path), hooks);
      void this.migration.run();
      return;
    }
    // The sink opens asynchronously; until then the migration is in setup (as QEMU's).
    const params = this.migrationParams;
    let live: LiveMigration | undefined;
    let cancelled = false;
    const pending: OutgoingMigration = {
      get status(): MigrationStatus {
        return live?.status ?? (cancelled ? 'cancelled' : 'setup');
      },
      get active(): boolean {
        return live?.active ?? !cancelled;
      },
      run: async () => {},
      cancel: () => {
        if (live !== undefined) live.cancel();
        else if (!cancelled) {
          cancelled = true;
          hooks.status('cancelled');
        }
      },
      info: () => live?.info() ?? { status: pending.status },
    };
    this.migration = pending;
    hooks.status('setup');
    void (async () => {
      let sink;
      try {
        sink = target.kind === 'tcp' ? await tcpSink(target.host, target.port) : execSink(target.command);
      } catch (e) {
        if (cancelled) return;
        const info = { status: 'failed', 'error-desc': (e as Error).message };
        this.migration = {
          status: 'failed',
          active: false,
          run: async () => {},
          cancel: () => {},
          info: () => info,
        };
        hooks.status('failed');
        return;
      }
      if (cancelled) {
        sink.destroy();
        return;
      }
      live = new LiveMigration(vm, sink, params, {
        status: (s) => {
          if (s !== 'setup') hooks.status(s);
        },
        pass: hooks.pass,
      });
      await live.run();
    })();
  }

  migrateCancel(): void {
    this.migration?.cancel();
  }

  migrationInfo(): QmpObject {
    return (this.migration?.info() ?? {}) as QmpObject;
  }

  migrationParameters(): MigrationParameters {
    return { ...this.migrationParams };
  }

  setMigrationParameters(p: { downtimeLimitMs?: number; maxBandwidthBytesPerS?: number }): void {
    if (p.downtimeLimitMs !== undefined) this.migrationParams.downtimeLimitMs = p.downtimeLimitMs;
    if (p.maxBandwidthBytesPerS !== undefined)
      this.migrationParams.maxBandwidthBytesPerS = p.maxBandwidthBytesPerS;
  }

  async snapshotSave(
    tag: string,
    vmstate: string,
    devices: readonly string[],
    overwrite: boolean,
  ): Promise<void> {
    const vm = this.liveVm();
    await saveSnapshot(vm, this.snapshotDisks, { tag, vmstate, devices, overwrite }, () => !this.wantPaused);
  }

  async snapshotLoad(
    tag: string,
    vmstate: string | undefined,
    devices: readonly string[] | undefined,
  ): Promise<void> {
    const vm = this.liveVm();
    const { diskIndexes, state } = await prepareLoad(vm, this.snapshotDisks, { tag, vmstate, devices });
    if (this.vm !== vm) throw new QmpError('GenericError', 'the VM ended during the load');
    const wasRunning = !vm.paused;
    await Promise.race([vm.pause(), this.vmDone]);
    if (this.vm !== vm) throw new QmpError('GenericError', 'the VM ended during the load');
    await new Promise<void>((resolve, reject) => {
      this.pendingLoad = {
        tag,
        diskIndexes,
        state,
        wasRunning,
        done: (e) => (e === undefined ? resolve() : reject(e as Error)),
      };
      vm.stop({ kind: 'monitor', action: 'loadvm' });
    });
  }

  async snapshotDelete(tag: string, devices: readonly string[] | undefined): Promise<void> {
    this.liveVm();
    await deleteSnapshot(this.snapshotDisks, tag, devices);
  }

  snapshotList(): SnapshotListing[] {
    return listSnapshots(this.snapshotDisks);
  }

  snapshotDevices(): string[] {
    return defaultSnapshotDevices(this.snapshotDisks);
  }

  jobEvent(name: string, data: QmpObject): void {
    this.emit(name, data);
  }

  /** The VM the snapshot commands act on (QmpError when there is none, or a migration runs). */
  private liveVm(): Vm {
    const vm = this.vm;
    if (vm === undefined || this.ended) throw new QmpError('GenericError', 'There is no VM');
    if (this.migration?.active === true)
      throw new QmpError('GenericError', "There's a migration process in progress");
    return vm;
  }

  /** Close the servers, giving clients a moment to read the last replies and events. */
  async close(): Promise<void> {
    await Promise.all(this.servers.map((s) => s.close()));
    this.servers = [];
  }
}
