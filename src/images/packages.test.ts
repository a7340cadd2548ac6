// Resolving `--packages` with a fake apt: the arguments apt gets, reading its plan (apt-get(8) -s
// output), the closure check over Depends/Pre-Depends, the resolution cache and the download step.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AptError, parseControl, type AptSession } from './apt.js';
import { ToolError, type RunOptions } from './exec.js';
import { cacheLayout, TRIXIE_RISCV64 } from './layout.js';
import {
  downloadPackageSet,
  listsDigest,
  packageSetComplete,
  packageSetPath,
  parsePackageList,
  parseSimulatedInstall,
  readPackageSet,
  resolvePackageSet,
  unmetDependencies,
  type PackageSet,
} from './packages.js';

/** A small archive: qemu needs libc6 (which needs libgcc-s1) and a libjpeg alternative. */
const ARCHIVE = parseControl(`Package: qemu-system-riscv
Version: 1:10.0.13+ds-0+deb13u1
Architecture: riscv64
Depends: libc6 (>= 2.38), libjpeg62-turbo (>= 1.3.1) | libjpeg8, qemu-system-data (>> 1:10.0.13+ds~)
Recommends: qemu-utils
Size: 7704964
SHA256: 62d786a1fbc6f8ca0d59ec5a929987fb0c769e2341d421d76785fdc3d240461e

Package: libc6
Version: 2.41-12+deb13u5
Architecture: riscv64
Depends: libgcc-s1
Size: 2000000
SHA256: 1111111111111111111111111111111111111111111111111111111111111111

Package: libgcc-s1
Version: 14.2.0-19
Architecture: riscv64
Pre-Depends: libc6:any (>= 2.38)
Size: 50000
SHA256: 2222222222222222222222222222222222222222222222222222222222222222

Package: libjpeg62-turbo
Version: 1:2.1.5-4
Architecture: riscv64
Provides: libjpeg8-compat
Depends: libc6 (>= 2.38)
Size: 150000
SHA256: 3333333333333333333333333333333333333333333333333333333333333333

Package: qemu-system-data
Version: 1:10.0.13+ds-0+deb13u1
Architecture: all
Size: 1000
SHA256: 4444444444444444444444444444444444444444444444444444444444444444
`);

/** Real apt-get -s lines (trixie riscv64), in apt's unpack order. */
const SIMULATION = `NOTE: This is only a simulation!
      apt-get needs root privileges for real execution.
Reading package lists...
The following NEW packages will be installed:
  libc6 libgcc-s1 libjpeg62-turbo qemu-system-data qemu-system-riscv
Inst libgcc-s1 (14.2.0-19 Debian:13.8/stable [riscv64]) []
Inst libc6 (2.41-12+deb13u5 Debian:13.8/stable [riscv64])
Inst libjpeg62-turbo (1:2.1.5-4 Debian:13.8/stable [riscv64])
Inst qemu-system-data (1:10.0.13+ds-0+deb13u1 Debian:13.8/stable, Debian-Security:13/stable-security [all])
Inst qemu-system-riscv (1:10.0.13+ds-0+deb13u1 Debian:13.8/stable [riscv64])
Conf libgcc-s1 (14.2.0-19 Debian:13.8/stable [riscv64])
Conf libc6 (2.41-12+deb13u5 Debian:13.8/stable [riscv64])
`;

interface Call {
  cmd: string;
  args: readonly string[];
  opts: RunOptions;
}

/**
 * A fake apt: `apt-get -s install` answers `simulation`; `apt-cache show NAME=VERSION...` prints
 * the matching stanzas of `archive` (or, with `showVersion`, another version); `apt-get download`
 * writes each file of the requested size into cwd. Every call is recorded.
 */
function fakeApt(simulation = SIMULATION, archive = ARCHIVE) {
  const calls: Call[] = [];
  const runTool = async (cmd: string, args: readonly string[], opts: RunOptions = {}): Promise<Buffer> => {
    calls.push({ cmd, args, opts });
    if (cmd === 'apt-get' && args.includes('-s')) return Buffer.from(simulation);
    if (cmd === 'apt-cache' && args.includes('show')) {
      const wanted = args.slice(args.indexOf('show') + 1).filter((a) => !a.startsWith('--'));
      const text = wanted
        .map((w) => {
          const [name, version] = w.split('=');
          const st = archive.find((s) => s.get('Package') === name && s.get('Version') === version);
          return st === undefined ? '' : [...st].map(([k, v]) => `${k}: ${v}`).join('\n');
        })
        .filter((t) => t !== '')
        .join('\n\n');
      return Buffer.from(`${text}\n`);
    }
    if (cmd === 'apt-get' && args.includes('download')) {
      for (const w of args.slice(args.indexOf('download') + 1)) {
        const [name, version] = w.split('=');
        const st = archive.find((s) => s.get('Package') === name && s.get('Version') === version);
        assert.ok(st !== undefined, `download of unknown ${w}`);
        const file = `${name}_${version.replace(/:/g, '%3a')}_${st.get('Architecture')}.deb`;
        writeFileSync(join(opts.cwd ?? '.', file), Buffer.alloc(Number(st.get('Size'))));
      }
      return Buffer.alloc(0);
    }
    throw new Error(`fake apt: unexpected ${cmd} ${args.join(' ')}`);
  };
  return { calls, runTool };
}

function session(root = mkdtempSync(join(tmpdir(), 'tsvirt-pkgs-'))): AptSession & { lines: string[] } {
  const lines: string[] = [];
  return {
    layout: cacheLayout(root),
    target: TRIXIE_RISCV64,
    isRoot: false,
    log: (l) => lines.push(l),
    lines,
  };
}

test('apt-get -s Inst lines give name, version and architecture in unpack order; Conf lines are not packages', () => {
  assert.deepEqual(
    parseSimulatedInstall(SIMULATION).map((p) => `${p.pkg}=${p.version}:${p.arch}`),
    [
      'libgcc-s1=14.2.0-19:riscv64',
      'libc6=2.41-12+deb13u5:riscv64',
      'libjpeg62-turbo=1:2.1.5-4:riscv64',
      'qemu-system-data=1:10.0.13+ds-0+deb13u1:all',
      'qemu-system-riscv=1:10.0.13+ds-0+deb13u1:riscv64',
    ],
  );
  // An upgrade names the installed version in brackets first.
  assert.deepEqual(parseSimulatedInstall('Inst zlib1g [1:1.2] (1:1.3.1-1 Debian:13.8/stable [riscv64])\n'), [
    { pkg: 'zlib1g', version: '1:1.3.1-1', arch: 'riscv64' },
  ]);
  assert.throws(() => parseSimulatedInstall('Inst broken line\n'), /cannot read 'Inst broken line'/);
});

test('the request is resolved by apt on the private state, without Recommends or Suggests', async () => {
  const apt = fakeApt();
  const s = session();
  const set = await resolvePackageSet(s, ['qemu-system-riscv'], 'L', apt.runTool);
  const sim = apt.calls[0];
  assert.equal(sim.cmd, 'apt-get');
  const opts = sim.args.filter((_, i) => sim.args[i - 1] === '-o');
  for (const want of [
    `Dir::State::status=${s.layout.aptStatus}`,
    `Dir::Etc::SourceList=${s.layout.sourcesList}`,
    'APT::Install-Recommends=false',
    'APT::Install-Suggests=false',
    'APT::Architecture=riscv64',
  ]) {
    assert.ok(opts.includes(want), want);
  }
  assert.deepEqual(sim.args.slice(-4), ['-s', '-q', 'install', 'qemu-system-riscv']);
  // Then one apt-cache show with every planned NAME=VERSION.
  assert.equal(apt.calls[1].cmd, 'apt-cache');
  assert.ok(apt.calls[1].args.includes('libc6=2.41-12+deb13u5'));
  assert.deepEqual(
    set.debs.map((d) => d.file),
    [
      'libgcc-s1_14.2.0-19_riscv64.deb',
      'libc6_2.41-12+deb13u5_riscv64.deb',
      'libjpeg62-turbo_1%3a2.1.5-4_riscv64.deb',
      'qemu-system-data_1%3a10.0.13+ds-0+deb13u1_all.deb',
      'qemu-system-riscv_1%3a10.0.13+ds-0+deb13u1_riscv64.deb',
    ],
  );
  assert.equal(set.debs[1].sha256, '1'.repeat(64));
  assert.equal(set.debs[1].sizeBytes, 2000000);
  assert.deepEqual([set.request, set.lists], [['qemu-system-riscv'], 'L']);
});

test('a plan that lacks a dependency is refused, naming the package and the clause', async () => {
  const withoutLibgcc = SIMULATION.replace(/^Inst libgcc-s1 .*\n/m, '');
  const apt = fakeApt(withoutLibgcc);
  await assert.rejects(
    resolvePackageSet(session(), ['qemu-system-riscv'], 'L', apt.runTool),
    /not closed:\n {2}libc6: Depends libgcc-s1/,
  );
});

test('closure: an alternative or a Provides satisfies a clause; versions and :any are apt business', () => {
  const base = ARCHIVE.filter((s) => s.get('Package') !== 'libjpeg62-turbo');
  assert.deepEqual(unmetDependencies(base), [
    'qemu-system-riscv: Depends libjpeg62-turbo (>= 1.3.1) | libjpeg8',
  ]);
  const provider = parseControl('Package: libjpeg-other\nVersion: 1\nProvides: libjpeg8 (= 8d)\n');
  assert.deepEqual(unmetDependencies([...base, ...provider]), []);
  assert.deepEqual(unmetDependencies(ARCHIVE), []);
  // libgcc-s1 Pre-Depends on libc6:any: without libc6, that clause is unmet too.
  assert.deepEqual(
    unmetDependencies(ARCHIVE.filter((s) => s.get('Package') !== 'libc6')).filter((u) =>
      u.startsWith('libgcc'),
    ),
    ['libgcc-s1: Pre-Depends libc6:any (>= 2.38)'],
  );
});

test('apt answering another version than it planned, or failing, is an AptError', async () => {
  const planOther = SIMULATION.replace('Inst libc6 (2.41-12+deb13u5', 'Inst libc6 (2.41-13');
  const apt = fakeApt(planOther);
  // This apt-cache answers the stanza it has for the name, whatever version was asked.
  const byName = async (cmd: string, args: readonly string[], opts?: RunOptions): Promise<Buffer> =>
    apt.runTool(
      cmd,
      cmd === 'apt-cache' ? args.map((a) => (a === 'libc6=2.41-13' ? 'libc6=2.41-12+deb13u5' : a)) : args,
      opts,
    );
  await assert.rejects(
    resolvePackageSet(session(), ['qemu-system-riscv'], 'L', byName),
    /apt-cache show libc6=2.41-13 answered version 2.41-12\+deb13u5/,
  );
  const failing = async (): Promise<Buffer> => {
    throw new ToolError('apt-get exited with status 100');
  };
  await assert.rejects(
    resolvePackageSet(session(), ['no-such-package'], 'L', failing),
    (e: Error) =>
      e instanceof AptError && /--packages no-such-package: apt could not resolve/.test(e.message),
  );
});

test('the download fetches only missing .debs, records the set and drops superseded versions', async () => {
  const s = session();
  const set = await resolvePackageSet(s, ['qemu-system-riscv'], 'L', fakeApt().runTool);
  const dir = s.layout.pkgDebsDir;
  mkdirSync(dir, { recursive: true });
  // One package already there, and an older libc6 with its extracted tree.
  writeFileSync(join(dir, set.debs[0].file), Buffer.alloc(set.debs[0].sizeBytes));
  writeFileSync(join(dir, 'libc6_2.40-1_riscv64.deb'), 'old');
  writeFileSync(join(dir, 'unrelated_1_riscv64.deb'), 'other set');
  mkdirSync(join(s.layout.pkgExtractDir, 'libc6_2.40-1_riscv64'), { recursive: true });
  const apt = fakeApt();
  await downloadPackageSet(s, set, apt.runTool);
  const dl = apt.calls.find((c) => c.args.includes('download'));
  assert.equal(dl?.opts.cwd, dir);
  assert.ok(
    !dl?.args.includes(`${set.debs[0].pkg}=${set.debs[0].version}`),
    'present file not fetched again',
  );
  assert.equal(dl?.args.filter((a) => a.includes('=') && !a.includes('::')).length, set.debs.length - 1);
  assert.ok(packageSetComplete(dir, set));
  const files = readdirSync(dir);
  assert.ok(!files.includes('libc6_2.40-1_riscv64.deb'), 'superseded version removed');
  assert.ok(!existsSync(join(s.layout.pkgExtractDir, 'libc6_2.40-1_riscv64')));
  assert.ok(files.includes('unrelated_1_riscv64.deb'), 'packages of other sets are kept');
  assert.deepEqual(readPackageSet(dir, ['qemu-system-riscv']), set);
  // A second download has nothing to fetch.
  const again = fakeApt();
  await downloadPackageSet(s, set, again.runTool);
  assert.equal(again.calls.length, 0);
});

test('the cached resolution is found only for the same request, and is complete only with every file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tsvirt-set-'));
  const set: PackageSet = {
    request: ['a-pkg', 'b-pkg'],
    lists: 'L',
    debs: [{ pkg: 'a-pkg', version: '1', sha256: '0'.repeat(64), sizeBytes: 3, file: 'a-pkg_1_all.deb' }],
  };
  writeFileSync(packageSetPath(dir, set.request), JSON.stringify(set));
  assert.notEqual(packageSetPath(dir, ['a-pkg']), packageSetPath(dir, set.request));
  assert.equal(readPackageSet(dir, ['a-pkg']), undefined);
  assert.deepEqual(readPackageSet(dir, ['a-pkg', 'b-pkg']), set);
  assert.equal(packageSetComplete(dir, set), false);
  writeFileSync(join(dir, 'a-pkg_1_all.deb'), 'xy');
  assert.equal(packageSetComplete(dir, set), false, 'wrong size');
  writeFileSync(join(dir, 'a-pkg_1_all.deb'), 'xyz');
  assert.equal(packageSetComplete(dir, set), true);
});

test('the lists digest follows the (In)Release files, and is undefined with no lists', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tsvirt-lists-'));
  assert.equal(listsDigest(dir), undefined);
  assert.equal(listsDigest(join(dir, 'absent')), undefined);
  writeFileSync(join(dir, 'deb.debian.org_debian_dists_trixie_InRelease'), 'Date: Sat, 01 Nov 2026\n');
  writeFileSync(join(dir, 'deb.debian.org_debian_dists_trixie_main_binary-riscv64_Packages.lz4'), 'x');
  const d1 = listsDigest(dir);
  assert.match(d1 ?? '', /^[0-9a-f]{64}$/);
  writeFileSync(join(dir, 'deb.debian.org_debian_dists_trixie_main_binary-riscv64_Packages.lz4'), 'y');
  assert.equal(listsDigest(dir), d1, 'the Release file alone names the indexes');
  writeFileSync(join(dir, 'deb.debian.org_debian_dists_trixie_InRelease'), 'Date: Sat, 08 Nov 2026\n');
  assert.notEqual(listsDigest(dir), d1);
});

test('package lists parse as Debian names, sorted and deduplicated', () => {
  assert.deepEqual(parsePackageList('zlib1g libc6,libc6  g++-14'), ['g++-14', 'libc6', 'zlib1g']);
  assert.throws(() => parsePackageList('Foo'), /'Foo' is not a Debian package name/);
});
