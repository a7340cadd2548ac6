// The QMP migration commands over a fake migration controller, against QEMU's qapi/migration.json:
// migrate needs a uri and refuses postcopy's resume, migrate-set-parameters takes downtime-limit
// (ms, at most 2000 s) and max-bandwidth (bytes/s), and query-migrate-parameters reports them.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { migrationCommands, type MigrationTarget } from './qmp-migration.js';
import { QmpError, type QmpObject } from './qmp-protocol.js';

function fake() {
  const calls: string[] = [];
  const p = { downtimeLimitMs: 300, maxBandwidthBytesPerS: 134217728 };
  const t: MigrationTarget = {
    migrate: (uri) => void calls.push(`migrate ${uri}`),
    migrateCancel: () => void calls.push('cancel'),
    migrationInfo: () => ({ status: 'active' }),
    migrationParameters: () => ({ ...p }),
    setMigrationParameters: (q) => {
      if (q.downtimeLimitMs !== undefined) p.downtimeLimitMs = q.downtimeLimitMs;
      if (q.maxBandwidthBytesPerS !== undefined) p.maxBandwidthBytesPerS = q.maxBandwidthBytesPerS;
    },
  };
  const cmds = new Map(migrationCommands(t).map((c) => [c.name, c]));
  const run = (name: string, args: QmpObject = {}) => {
    const c = cmds.get(name);
    assert.ok(c, name);
    return c.run(args);
  };
  return { calls, run };
}

const generic = (re: RegExp) => (e: unknown) =>
  e instanceof QmpError && e.errorClass === 'GenericError' && re.test(e.message);

test('migrate passes its uri on; without one, or with resume, it is a GenericError', () => {
  const f = fake();
  assert.deepEqual(f.run('migrate', { uri: 'tcp:127.0.0.1:4444' }), {});
  assert.deepEqual(f.calls, ['migrate tcp:127.0.0.1:4444']);
  assert.throws(() => f.run('migrate'), generic(/need either 'uri' or 'channels'/));
  assert.throws(() => f.run('migrate', { uri: 'tcp:h:1', resume: true }), generic(/postcopy/));
  f.run('migrate_cancel');
  assert.deepEqual(f.calls.at(-1), 'cancel');
  assert.deepEqual(f.run('query-migrate'), { status: 'active' });
});

test('migrate-set-parameters sets what query-migrate-parameters reports; out of range is refused', () => {
  const f = fake();
  assert.deepEqual(f.run('query-migrate-parameters'), { 'downtime-limit': 300, 'max-bandwidth': 134217728 });
  f.run('migrate-set-parameters', { 'downtime-limit': 50 });
  f.run('migrate-set-parameters', { 'max-bandwidth': 1000 });
  assert.deepEqual(f.run('query-migrate-parameters'), { 'downtime-limit': 50, 'max-bandwidth': 1000 });
  assert.throws(
    () => f.run('migrate-set-parameters', { 'downtime-limit': 2_000_001 }),
    generic(/0 to 2000 seconds/),
  );
  assert.throws(() => f.run('migrate-set-parameters', { 'downtime-limit': -1 }), generic(/downtime_limit/));
  assert.throws(() => f.run('migrate-set-parameters', { 'max-bandwidth': -5 }), generic(/max_bandwidth/));
  assert.deepEqual(f.run('query-migrate-parameters'), { 'downtime-limit': 50, 'max-bandwidth': 1000 });
});
