// The QMP migration commands (QEMU's qapi/migration.json, the subset in docs/qmp.md): migrate,
// migrate_cancel, query-migrate, migrate-set-parameters and query-migrate-parameters, over a
// narrow view of the host's migration controller (MigrationTarget). Portable.

import { QmpError, type QmpCommand, type QmpObject } from './qmp-protocol.js';

/** What the migration commands act on. */
export interface MigrationTarget {
  /** Start migrating to `uri` (QmpError when it cannot start: a bad URI, one in progress). */
  migrate(uri: string): void;
  /** Cancel the migration in progress, if any. */
  migrateCancel(): void;
  /** QEMU's MigrationInfo of the current or last migration ({} before any). */
  migrationInfo(): QmpObject;
  /** downtime-limit (ms) and max-bandwidth (bytes/s). */
  migrationParameters(): { downtimeLimitMs: number; maxBandwidthBytesPerS: number };
  setMigrationParameters(p: { downtimeLimitMs?: number; maxBandwidthBytesPerS?: number }): void;
}

/** QEMU's bound on downtime-limit: 2000 seconds, in ms. */
const MAX_DOWNTIME_LIMIT_MS = 2_000_000;

/** The commands over `t`. */
export function migrationCommands(t: MigrationTarget): QmpCommand[] {
  return [
    {
      name: 'migrate',
      params: { '?uri': 'str', '?detach': 'bool', '?resume': 'bool' },
      run: (a) => {
        if (a.resume === true) throw new QmpError('GenericError', 'Cannot resume: postcopy is not supported');
        if (typeof a.uri !== 'string')
          throw new QmpError('GenericError', "need either 'uri' or 'channels' argument");
        t.migrate(a.uri);
        return {};
      },
    },
    { name: 'migrate_cancel', params: {}, run: () => (t.migrateCancel(), {}) },
    { name: 'query-migrate', params: {}, run: () => t.migrationInfo() },
    {
      name: 'query-migrate-parameters',
      params: {},
      run: () => {
        const p = t.migrationParameters();
        return { 'downtime-limit': p.downtimeLimitMs, 'max-bandwidth': p.maxBandwidthBytesPerS };
      },
    },
    {
      name: 'migrate-set-parameters',
      params: { '?downtime-limit': 'int', '?max-bandwidth': 'int' },
      run: (a) => {
        const d = a['downtime-limit'] as number | undefined;
        const b = a['max-bandwidth'] as number | undefined;
        if (d !== undefined && (d < 0 || d > MAX_DOWNTIME_LIMIT_MS))
          throw new QmpError(
            'GenericError',
            "Parameter 'downtime_limit' expects an integer in the range of 0 to 2000 seconds",
          );
        if (b !== undefined && b < 0)
          throw new QmpError(
            'GenericError',
            "Parameter 'max_bandwidth' expects a size of 0 or more bytes/second",
          );
        t.setMigrationParameters({ downtimeLimitMs: d, maxBandwidthBytesPerS: b });
        return {};
      },
    },
  ];
}
