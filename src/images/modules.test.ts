// Module selection: load order from .modinfo dependencies, built-in detection, soft dependencies
// through aliases, and the modules.dep/modules.alias files written for the guest.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fakeModule, type FakeModinfo } from '../testing/images/fake-module.js';
import {
  ModuleError,
  moduleNameOfPath,
  modulesAliasText,
  modulesDepText,
  parseBuiltinAliases,
  parseKernelConfig,
  parseModulesBuiltin,
  parseModulesOrder,
  planModules,
  type ModuleSource,
} from './modules.js';

const REL = '6.12.1+deb13-riscv64';
const VERMAGIC = `${REL} SMP mod_unload modversions riscv`;

const ORDER = `kernel/drivers/virtio/virtio_mmio.ko
kernel/drivers/block/virtio_blk.ko
kernel/net/core/failover.ko
kernel/drivers/net/net_failover.ko
kernel/drivers/net/virtio_net.ko
kernel/drivers/char/hw_random/virtio-rng.ko
kernel/lib/crc16.ko
kernel/fs/mbcache.ko
kernel/fs/jbd2/jbd2.ko
kernel/crypto/crc32c_generic.ko
kernel/fs/ext4/ext4.ko
`;

const MODINFO: Record<string, Omit<FakeModinfo, 'vermagic'>> = {
  virtio_mmio: { name: 'virtio_mmio', aliases: ['of:N*T*Cvirtio,mmio'] },
  virtio_blk: { name: 'virtio_blk', aliases: ['virtio:d00000002v*'] },
  failover: { name: 'failover' },
  net_failover: { name: 'net_failover', depends: ['failover'] },
  virtio_net: { name: 'virtio_net', depends: ['net_failover'] },
  virtio_rng: { name: 'virtio_rng' },
  crc16: { name: 'crc16' },
  mbcache: { name: 'mbcache' },
  jbd2: { name: 'jbd2', softdep: 'pre: crypto-crc32c' },
  crc32c_generic: { name: 'crc32c_generic', aliases: ['crypto-crc32c', 'crc32c'] },
  ext4: { name: 'ext4', depends: ['jbd2', 'mbcache', 'crc16'], aliases: ['fs-ext4'] },
};

function source(over: Partial<ModuleSource> = {}, modinfo = MODINFO): ModuleSource & { reads: string[] } {
  const reads: string[] = [];
  return {
    kernelRelease: REL,
    order: parseModulesOrder(ORDER),
    builtin: parseModulesBuiltin('kernel/drivers/virtio/virtio.ko\nkernel/drivers/char/virtio_console.ko\n'),
    builtinAliases: new Set(),
    config: parseKernelConfig('CONFIG_VIRTIO_CONSOLE=y\nCONFIG_EXT4_FS=m\n# CONFIG_9P_FS is not set\n'),
    read: (path) => {
      reads.push(path);
      const m = modinfo[moduleNameOfPath(path)];
      return m === undefined
        ? Promise.reject(new Error(`no ${path}`))
        : Promise.resolve(fakeModule({ vermagic: VERMAGIC, ...m }));
    },
    reads,
    ...over,
  };
}

test('module names treat - and _ alike and drop the .ko(.xz) suffix', () => {
  assert.equal(moduleNameOfPath('kernel/drivers/char/hw_random/virtio-rng.ko.xz'), 'virtio_rng');
  assert.equal(moduleNameOfPath('kernel/fs/ext4/ext4.ko'), 'ext4');
});

test('the default request yields every module after its dependencies', async () => {
  const plan = await planModules(['virtio_mmio', 'virtio_blk', 'virtio_net', 'virtio-rng', 'ext4'], source());
  assert.deepEqual(
    plan.load.map((m) => m.name),
    [
      'virtio_mmio',
      'virtio_blk',
      'failover',
      'net_failover',
      'virtio_net',
      'virtio_rng',
      'crc32c_generic',
      'jbd2',
      'mbcache',
      'crc16',
      'ext4',
    ],
  );
  assert.deepEqual(plan.builtin, []);
  assert.deepEqual(plan.notes, []);
  assert.equal(plan.load[5].path, 'kernel/drivers/char/hw_random/virtio-rng.ko');
});

test('each module appears once even when requested twice or needed by several', async () => {
  const plan = await planModules(['ext4', 'jbd2', 'ext4', 'crc16'], source());
  assert.deepEqual(
    plan.load.map((m) => m.name),
    ['crc32c_generic', 'jbd2', 'mbcache', 'crc16', 'ext4'],
  );
});

test('built-in modules are reported, not loaded (modules.builtin or a =y config symbol)', async () => {
  const plan = await planModules(['virtio', 'virtio_console', 'virtio_blk'], source());
  assert.deepEqual(plan.builtin, ['virtio', 'virtio_console']);
  assert.deepEqual(
    plan.load.map((m) => m.name),
    ['virtio_blk'],
  );
  const viaConfig = await planModules(
    ['virtio_pci'],
    source({ config: parseKernelConfig('CONFIG_VIRTIO_PCI=y\n') }),
  );
  assert.deepEqual(viaConfig.builtin, ['virtio_pci']);
});

test('an unknown module is an error that names it and its config symbol', async () => {
  await assert.rejects(planModules(['nosuch'], source()), /module 'nosuch' is neither in modules.order/);
  await assert.rejects(planModules(['9p'], source()), /CONFIG_9P_FS=not set/);
});

test('a dependency missing from modules.order is an error naming the chain', async () => {
  const info = { ...MODINFO, virtio_blk: { name: 'virtio_blk', depends: ['ghost'] } };
  await assert.rejects(planModules(['virtio_blk'], source({}, info)), /virtio_blk needs module ghost/);
});

test('a module built for another kernel is refused', async () => {
  const s = source();
  s.read = () => Promise.resolve(fakeModule({ name: 'crc16', vermagic: '6.1.0-amd64 SMP' }));
  await assert.rejects(planModules(['crc16'], s), ModuleError);
});

test('a dependency cycle is reported', async () => {
  const info = {
    ...MODINFO,
    crc16: { name: 'crc16', depends: ['mbcache'] },
    mbcache: { name: 'mbcache', depends: ['crc16'] },
  };
  await assert.rejects(
    planModules(['crc16'], source({}, info)),
    /dependency cycle: crc16 -> mbcache -> crc16/,
  );
});

test('a soft dependency provided by built-in code or by nothing is skipped', async () => {
  const builtinAliases = parseBuiltinAliases(
    new TextEncoder().encode('crc32c_riscv.alias=crypto-crc32c\0crc32c_riscv.license=GPL\0'),
  );
  const withBuiltin = await planModules(['jbd2'], source({ builtinAliases }));
  assert.deepEqual(
    withBuiltin.load.map((m) => m.name),
    ['jbd2'],
  );
  const info = { ...MODINFO, jbd2: { name: 'jbd2', softdep: 'pre: crypto-nothing' } };
  const none = await planModules(['jbd2'], source({}, info));
  assert.deepEqual(
    none.load.map((m) => m.name),
    ['jbd2'],
  );
  assert.match(none.notes[0], /crypto-nothing/);
});

test('modules.dep lists all needs of each module, the first to insert last', async () => {
  const plan = await planModules(['virtio_net', 'ext4'], source());
  assert.equal(
    modulesDepText(plan),
    [
      'kernel/net/core/failover.ko:',
      'kernel/drivers/net/net_failover.ko: kernel/net/core/failover.ko',
      'kernel/drivers/net/virtio_net.ko: kernel/drivers/net/net_failover.ko kernel/net/core/failover.ko',
      'kernel/crypto/crc32c_generic.ko:',
      'kernel/fs/jbd2/jbd2.ko: kernel/crypto/crc32c_generic.ko',
      'kernel/fs/mbcache.ko:',
      'kernel/lib/crc16.ko:',
      'kernel/fs/ext4/ext4.ko: kernel/lib/crc16.ko kernel/fs/mbcache.ko kernel/fs/jbd2/jbd2.ko kernel/crypto/crc32c_generic.ko',
      '',
    ].join('\n'),
  );
  assert.match(modulesAliasText(plan), /^alias crypto-crc32c crc32c_generic$/m);
  assert.match(modulesAliasText(plan), /^alias fs-ext4 ext4$/m);
});
