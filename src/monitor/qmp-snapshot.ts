// QEMU's internal snapshot commands as background jobs (qapi/migration.json snapshot-save,
// snapshot-load, snapshot-delete; qapi/job.json query-jobs, job-dismiss, JOB_STATUS_CHANGE) and
// the human monitor's savevm, loadvm, delvm and `info snapshots`. Portable: the host implements
// SnapshotTarget over its VM and qcow2 disks.

import { QmpError, type QmpCommand, type QmpObject, type QmpValue } from './qmp-protocol.js';

/** One snapshot as `info snapshots` lists it. */
export interface SnapshotListing {
  readonly id: string;
  readonly tag: string;
  readonly vmStateBytes: number;
  readonly dateSec: number;
  readonly vmClockNs: bigint;
}

/**
 * What the snapshot commands act on. Each method rejects with a QmpError (QEMU's class and
 * message) or another Error (its message becomes the job's error).
 */
export interface SnapshotTarget {
  /** Snapshot `devices` (query-block's names) as `tag`, with the VM state stored in `vmstate`. */
  snapshotSave(tag: string, vmstate: string, devices: readonly string[], overwrite: boolean): Promise<void>;
  /** Revert `devices` to `tag` and the VM to the state stored in `vmstate`. */
  snapshotLoad(
    tag: string,
    vmstate: string | undefined,
    devices: readonly string[] | undefined,
  ): Promise<void>;
  /** Delete `tag` from each of `devices` that has it. */
  snapshotDelete(tag: string, devices: readonly string[] | undefined): Promise<void>;
  /** The snapshots every snapshot-capable disk has (HMP `info snapshots`). */
  snapshotList(): SnapshotListing[];
  /** The devices HMP savevm uses by default, vmstate first (QMP needs them named). */
  snapshotDevices(): string[];
  /** Send an event (JOB_STATUS_CHANGE) to every client. */
  jobEvent(name: string, data: QmpObject): void;
}

/** QEMU's JobStatus values that these jobs go through. */
export type JobStatus = 'created' | 'running' | 'waiting' | 'pending' | 'aborting' | 'concluded' | 'null';

interface Job {
  readonly id: string;
  readonly type: string;
  status: JobStatus;
  error?: string;
}

/**
 * The jobs of one monitor. A job runs once started; it concludes (with `error` when it failed)
 * and stays listed until job-dismiss. Jobs run one after another, in the order started.
 */
export class JobManager {
  private readonly jobs = new Map<string, Job>();
  private tail: Promise<void> = Promise.resolve();

  constructor(private readonly emit: (event: string, data: QmpObject) => void) {}

  /**
   * Create job `id` of `type` and run `work` in the background. Throws QmpError for an ID that
   * is malformed (QEMU's rule: a letter, then letters, digits, '-', '.', '_') or in use.
   */
  start(id: string, type: string, work: () => Promise<void>): void {
    if (!/^[A-Za-z][A-Za-z0-9._-]*$/.test(id)) throw new QmpError('GenericError', `Invalid job ID '${id}'`);
    if (this.jobs.has(id)) throw new QmpError('GenericError', `Job ID '${id}' already in use`);
    const job: Job = { id, type, status: 'created' };
    this.jobs.set(id, job);
    this.set(job, 'created');
    this.set(job, 'running');
    const run = this.tail.then(async () => {
      try {
        await work();
        this.set(job, 'waiting');
        this.set(job, 'pending');
      } catch (e) {
        job.error = (e as Error).message;
        this.set(job, 'aborting');
      }
      this.set(job, 'concluded');
    });
    this.tail = run;
  }

  /** query-jobs: QEMU's JobInfo of each job. */
  list(): QmpObject[] {
    return [...this.jobs.values()].map((j) => {
      const done = j.status === 'concluded' ? 1 : 0;
      const info: QmpObject = {
        id: j.id,
        type: j.type,
        status: j.status,
        'current-progress': done,
        'total-progress': 1,
      };
      if (j.error !== undefined) info.error = j.error;
      return info;
    });
  }

  /** job-dismiss: forget a concluded job (its status becomes null). */
  dismiss(id: string): void {
    const job = this.jobs.get(id);
    if (job === undefined) throw new QmpError('GenericError', `Job not found`);
    if (job.status !== 'concluded')
      throw new QmpError(
        'GenericError',
        `Job '${id}' in state '${job.status}' cannot accept command verb 'dismiss'`,
      );
    this.jobs.delete(id);
    this.set(job, 'null');
  }

  /** Run `work` after every job started so far, and before any started later (HMP's savevm...). */
  serial<T>(work: () => Promise<T>): Promise<T> {
    const result = this.tail.then(work);
    this.tail = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }

  private set(job: Job, status: JobStatus): void {
    job.status = status;
    this.emit('JOB_STATUS_CHANGE', { status, id: job.id });
  }
}

const hmpText = (s: string): string => s.replace(/\r?\n/g, '\r\n');

/** A byte count as QEMU's size_to_str prints it ("293 KiB", "1.5 MiB"). */
export function sizeText(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = bytes;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${Number(v.toPrecision(3))} ${units[u]}`;
}

/** `info snapshots` as QEMU prints it (the snapshots common to every disk, their ID shown as --). */
export function snapshotsText(list: readonly SnapshotListing[]): string {
  if (list.length === 0) return 'There is no suitable snapshot available\n';
  const pad2 = (n: number): string => String(n).padStart(2, '0');
  const lines = [
    'List of snapshots present on all disks:',
    'ID        TAG               VM SIZE                DATE     VM CLOCK     ICOUNT',
  ];
  for (const s of list) {
    const d = new Date(s.dateSec * 1000);
    const date = `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())} ${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}`;
    const ms = Number(s.vmClockNs / 1_000_000n);
    const clock = `${pad2(Math.floor(ms / 3_600_000))}:${pad2(Math.floor(ms / 60_000) % 60)}:${pad2(Math.floor(ms / 1000) % 60)}.${String(ms % 1000).padStart(3, '0')}`;
    lines.push(`--        ${s.tag.padEnd(17)} ${sizeText(s.vmStateBytes).padStart(7)} ${date} ${clock}`);
  }
  return lines.join('\n') + '\n';
}

/**
 * HMP's savevm, loadvm, delvm and `info snapshots` (QEMU's hmp-commands.hx), over `t`: the
 * command line's words, or undefined when the line is none of these.
 */
async function humanSnapshotCommand(
  t: SnapshotTarget,
  words: readonly string[],
): Promise<string | undefined> {
  const [cmd, arg, extra] = words;
  if (cmd === 'info' && arg === 'snapshots' && extra === undefined) return snapshotsText(t.snapshotList());
  if (cmd !== 'savevm' && cmd !== 'loadvm' && cmd !== 'delvm') return undefined;
  if (extra !== undefined) return `${cmd}: extraneous characters at the end of line\n`;
  try {
    if (cmd === 'savevm') {
      const devices = t.snapshotDevices();
      if (devices.length === 0) return 'Error: No block device can accept snapshots\n';
      // QEMU names an untagged snapshot after the time.
      const tag = arg ?? `vm-${new Date().toISOString().replace(/[-:]/g, '').replace('T', '').slice(0, 14)}`;
      await t.snapshotSave(tag, devices[0], devices, true);
    } else if (arg === undefined) {
      return `${cmd}: missing argument: name\n`;
    } else if (cmd === 'loadvm') {
      await t.snapshotLoad(arg, undefined, undefined);
    } else {
      await t.snapshotDelete(arg, undefined);
    }
  } catch (e) {
    return `Error: ${(e as Error).message}\n`;
  }
  return '';
}

/**
 * The snapshot and job commands over `t`, and a human-monitor-command that runs savevm, loadvm,
 * delvm and `info snapshots` itself and hands any other line to `commands`' own (which it
 * replaces when added after it).
 */
export function snapshotCommands(t: SnapshotTarget, commands: readonly QmpCommand[]): QmpCommand[] {
  const jobs = new JobManager((name, data) => t.jobEvent(name, data));
  const strings = (v: QmpValue | undefined): string[] | undefined =>
    v === undefined ? undefined : (v as string[]);
  const human = commands.find((c) => c.name === 'human-monitor-command');
  const list: QmpCommand[] = [
    {
      name: 'snapshot-save',
      params: { 'job-id': 'str', tag: 'str', vmstate: 'str', devices: ['str'] },
      run: (a) => {
        const devices = strings(a.devices) ?? [];
        jobs.start(a['job-id'] as string, 'snapshot-save', () =>
          t.snapshotSave(a.tag as string, a.vmstate as string, devices, false),
        );
        return {};
      },
    },
    {
      name: 'snapshot-load',
      params: { 'job-id': 'str', tag: 'str', vmstate: 'str', devices: ['str'] },
      run: (a) => {
        const devices = strings(a.devices) ?? [];
        jobs.start(a['job-id'] as string, 'snapshot-load', () =>
          t.snapshotLoad(a.tag as string, a.vmstate as string, devices),
        );
        return {};
      },
    },
    {
      name: 'snapshot-delete',
      params: { 'job-id': 'str', tag: 'str', devices: ['str'] },
      run: (a) => {
        const devices = strings(a.devices) ?? [];
        jobs.start(a['job-id'] as string, 'snapshot-delete', () =>
          t.snapshotDelete(a.tag as string, devices),
        );
        return {};
      },
    },
    { name: 'query-jobs', params: {}, run: () => jobs.list() },
    { name: 'job-dismiss', params: { id: 'str' }, run: (a) => (jobs.dismiss(a.id as string), {}) },
  ];
  if (human !== undefined) {
    list.push({
      name: human.name,
      params: human.params,
      run: async (a) => {
        const words = (a['command-line'] as string).trim().split(/\s+/);
        // savevm and the others wait for the snapshot jobs, and jobs started meanwhile for them.
        const out = await jobs.serial(() => humanSnapshotCommand(t, words));
        return out === undefined ? human.run(a) : hmpText(out);
      },
    });
  }
  return list;
}
