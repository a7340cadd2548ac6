// The QMP commands tsvirt implements (a subset of QEMU's qapi schema, listed in docs/qmp.md), over
// a narrow view of the VM (MonitorTarget), and the human monitor's `info` commands that
// human-monitor-command runs. Portable: the CLI adapts its VM to MonitorTarget.

import { migrationCommands, type MigrationTarget } from './qmp-migration.js';
import { snapshotCommands, type SnapshotTarget } from './qmp-snapshot.js';
import { QmpError, type QmpCommand, type QmpObject, type QmpValue, type QmpVersion } from './qmp-protocol.js';

/** QEMU's RunState names that tsvirt's VM can be in. */
export type RunState = 'running' | 'paused' | 'shutdown' | 'prelaunch' | 'postmigrate' | 'inmigrate';

/** One hart's registers, as `info registers` prints them. */
export interface HartRegisters {
  readonly hartId: number;
  readonly pc: bigint;
  /** x0..x31, unsigned. */
  readonly x: readonly bigint[];
  /** The privilege mode: 0 U, 1 S, 3 M. */
  readonly priv: number;
  /** Whether the hart runs a guest of the hypervisor extension (V = 1). */
  readonly virt: boolean;
  /** CSRs to print, in order: name and value. */
  readonly csrs: readonly (readonly [string, bigint])[];
}

/** One disk, for query-block (QEMU's BlockInfo, abridged). */
export interface BlockView {
  /** The device name (virtio0, virtio1, ...). */
  readonly device: string;
  readonly file: string;
  readonly format: string;
  readonly readOnly: boolean;
  readonly sizeBytes: number;
  /** The image changes go to instead of `file`, when there is one. */
  readonly overlay?: string;
}

/** What the commands act on: the VM, across resets. */
export interface MonitorTarget {
  readonly version: QmpVersion;
  status(): RunState;
  /** Pause every hart; resolves once they stopped (the target emits STOP). */
  stop(): Promise<void>;
  /** Resume (the target emits RESUME). */
  cont(): void;
  /** Press the power button (the target emits POWERDOWN). */
  powerdown(): void;
  /** Reset the board and boot again (the target emits RESET). */
  reset(): void;
  /** End tsvirt (the target emits SHUTDOWN as it stops). */
  quit(): void;
  /** The harts' registers; empty between a reset and the next boot. */
  harts(): HartRegisters[];
  /** The host thread that runs the harts (all of them: one event loop). */
  readonly threadId: number;
  blocks(): BlockView[];
}

const hex16 = (v: bigint): string => v.toString(16).padStart(16, '0');

/** RISC-V's ABI names of x0..x31 (psABI, "Integer Register Convention"). */
const ABI = [
  'zero', 'ra', 'sp', 'gp', 'tp', 't0', 't1', 't2', 's0', 's1', 'a0', 'a1', 'a2', 'a3', 'a4', 'a5',
  'a6', 'a7', 's2', 's3', 's4', 's5', 's6', 's7', 's8', 's9', 's10', 's11', 't3', 't4', 't5', 't6',
]; // prettier-ignore

const PRIV = ['U', 'S', 'H', 'M'];

/**
 * A hart's registers laid out as QEMU's RISC-V `info registers`: name column of 8, values in
 * 16 hex digits, the integer registers four to a line as `xN/abi`. tsvirt adds a `priv` line.
 */
export function registersText(h: HartRegisters): string {
  const lines = [
    ` V      =   ${h.virt ? 1 : 0}`,
    ` pc       ${hex16(h.pc)}`,
    ` priv     ${PRIV[h.priv] ?? h.priv}`,
  ];
  for (const [name, v] of h.csrs) lines.push(` ${name.padEnd(8)} ${hex16(v)}`);
  for (let i = 0; i < 32; i += 4) {
    let line = '';
    for (let j = i; j < i + 4; j++) line += ` ${`x${j}/${ABI[j]}`.padEnd(8)} ${hex16(h.x[j] ?? 0n)}`;
    lines.push(line);
  }
  return lines.join('\n') + '\n';
}

/** The human monitor's output, with QEMU's line ends (CR LF). */
const hmpText = (s: string): string => s.replace(/\r?\n/g, '\r\n');

function humanCommand(t: MonitorTarget, line: string, cpuIndex: number | undefined): string {
  const words = line.trim().split(/\s+/);
  if (words[0] === 'info' && words[1] === 'status' && words.length === 2) {
    return hmpText(`VM status: ${t.status()}\n`);
  }
  if (words[0] === 'info' && words[1] === 'registers') {
    const all = words[2] === '-a';
    if (words.length > (all ? 3 : 2))
      return hmpText(`info registers: unexpected '${words.slice(2).join(' ')}'\n`);
    const harts = t.harts();
    if (all) return hmpText(harts.map((h) => `\nCPU#${h.hartId}\n${registersText(h)}`).join(''));
    const h = harts[cpuIndex ?? 0];
    if (h === undefined) return hmpText('No CPU available\n');
    return hmpText(registersText(h));
  }
  if (words[0] === 'info') return hmpText(`info: supported: status, registers [-a]\n`);
  return hmpText(`unknown command: '${words[0] ?? ''}'\n`);
}

/**
 * The commands over `t`, keyed by name, with the migration commands over `migration` and the
 * snapshot commands over `snapshot` when given.
 * qmp_capabilities is the session's own.
 */
export function qmpCommands(
  t: MonitorTarget,
  migration?: MigrationTarget,
  snapshot?: SnapshotTarget,
): Map<string, QmpCommand> {
  const list: QmpCommand[] = [
    {
      name: 'query-status',
      params: {},
      run: () => {
        const status = t.status();
        return { running: status === 'running', status };
      },
    },
    {
      name: 'stop',
      params: {},
      run: async () => {
        await t.stop();
        return {};
      },
    },
    {
      name: 'cont',
      params: {},
      run: () => {
        if (t.status() === 'shutdown') throw new QmpError('GenericError', 'The VM has shut down');
        t.cont();
        return {};
      },
    },
    { name: 'system_powerdown', params: {}, run: () => (t.powerdown(), {}) },
    { name: 'system_reset', params: {}, run: () => (t.reset(), {}) },
    { name: 'quit', params: {}, run: () => (t.quit(), {}) },
    {
      name: 'query-cpus-fast',
      params: {},
      run: () =>
        t.harts().map((h): QmpObject => ({
          'cpu-index': h.hartId,
          'qom-path': `/machine/soc0/harts[${h.hartId}]`,
          'thread-id': t.threadId,
          props: { 'socket-id': 0, 'core-id': h.hartId, 'thread-id': 0 },
          target: 'riscv64',
        })),
    },
    {
      name: 'query-block',
      params: {},
      run: () =>
        t.blocks().map((b): QmpObject => ({
          device: b.device,
          locked: false,
          removable: false,
          type: 'unknown',
          inserted: {
            file: b.overlay ?? b.file,
            ro: b.readOnly,
            drv: b.overlay === undefined ? b.format : 'qcow2',
            ...(b.overlay === undefined ? {} : { backing_file: b.file }),
            encrypted: false,
            image: {
              filename: b.overlay ?? b.file,
              format: b.overlay === undefined ? b.format : 'qcow2',
              'virtual-size': b.sizeBytes,
            },
          },
        })),
    },
    {
      name: 'query-version',
      params: {},
      run: () => ({ qemu: { ...t.version.qemu }, package: t.version.package }),
    },
    {
      name: 'human-monitor-command',
      params: { 'command-line': 'str', '?cpu-index': 'int' },
      run: (a) => {
        const cpu = a['cpu-index'] as number | undefined;
        if (cpu !== undefined && (cpu < 0 || cpu >= t.harts().length)) {
          throw new QmpError('GenericError', "Parameter 'cpu-index' expects a valid CPU index");
        }
        return humanCommand(t, a['command-line'] as string, cpu);
      },
    },
  ];
  if (migration !== undefined) list.push(...migrationCommands(migration));
  if (snapshot !== undefined) list.push(...snapshotCommands(snapshot, list));
  const map = new Map(list.map((c) => [c.name, c]));
  const names = ['qmp_capabilities', 'query-commands', ...map.keys()];
  map.set('query-commands', {
    name: 'query-commands',
    params: {},
    run: (): QmpValue => names.map((name) => ({ name })),
  });
  return map;
}
