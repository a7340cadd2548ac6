// The private apt configuration and the parsing of apt-cache output (no network here).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  aptArgs,
  debFileName,
  kernelPackageFromDepends,
  kernelReleaseOf,
  parseControl,
  PRIVATE_APT_CONF,
  sourcesListLine,
} from './apt.js';
import { cacheLayout, TRIXIE_RISCV64 } from './layout.js';

test('the private sources.list line names the architecture, keyring, suite and component', () => {
  assert.equal(
    sourcesListLine('http://mirror.example.org/debian', TRIXIE_RISCV64),
    'deb [arch=riscv64 signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] ' +
      'http://mirror.example.org/debian trixie main',
  );
});

test('apt is pointed at private state only', () => {
  const layout = cacheLayout('/c');
  const args = aptArgs(layout, TRIXIE_RISCV64, false);
  const opts = args.filter((_, i) => args[i - 1] === '-o');
  for (const want of [
    'Dir::Etc::SourceList=/c/apt/sources.list',
    'Dir::Etc::SourceParts=/dev/null',
    'Dir::State::Lists=/c/apt/lists',
    'Dir::State::status=/c/apt/status',
    'Dir::Cache=/c/apt/cache',
    'APT::Architecture=riscv64',
    'APT::Architectures::=riscv64',
    'Debug::NoLocking=1',
  ]) {
    assert.ok(opts.includes(want), want);
  }
  assert.deepEqual(args.slice(0, 2), ['-c', '/c/apt/apt.conf']);
  assert.ok(!opts.some((o) => o.startsWith('APT::Sandbox::User')));
  assert.ok(aptArgs(layout, TRIXIE_RISCV64, true).includes('APT::Sandbox::User=root'));
  assert.match(PRIVATE_APT_CONF, /^#clear APT::Update::Post-Invoke-Success;$/m);
});

const SHOW = `Package: linux-image-riscv64
Source: linux
Version: 6.12.117-1
Architecture: riscv64
Provides: linux-image-generic, wireguard-modules (= 1.0.0)
Depends: linux-image-6.12.117+deb13-riscv64 (= 6.12.117-1)
Description: Linux for 64-bit RISC-V platforms (meta-package)
 This package depends on the latest Linux kernel.
SHA256: c1685361464fce280b85273c0914696c4167ab4d94a335c22401b52a1f7f9959

Package: busybox-static
Version: 1:1.37.0-6+b9
Architecture: riscv64
Size: 941532
`;

test('apt-cache show output splits into stanzas with continuation lines kept', () => {
  const s = parseControl(SHOW);
  assert.equal(s.length, 2);
  assert.equal(s[0].get('Depends'), 'linux-image-6.12.117+deb13-riscv64 (= 6.12.117-1)');
  assert.match(s[0].get('Description') ?? '', /\n This package/);
  assert.equal(s[1].get('Version'), '1:1.37.0-6+b9');
});

test('the versioned kernel package is read from the meta-package Depends', () => {
  assert.equal(
    kernelPackageFromDepends('linux-image-6.12.117+deb13-riscv64 (= 6.12.117-1)', 'riscv64'),
    'linux-image-6.12.117+deb13-riscv64',
  );
  assert.equal(
    kernelPackageFromDepends(
      'initramfs-tools | linux-initramfs-tool, linux-image-6.1.0-9-riscv64',
      'riscv64',
    ),
    'linux-image-6.1.0-9-riscv64',
  );
  assert.equal(kernelPackageFromDepends('linux-image-6.12.1-amd64', 'riscv64'), undefined);
  assert.equal(kernelReleaseOf('linux-image-6.12.117+deb13-riscv64'), '6.12.117+deb13-riscv64');
});

test('download file names quote the epoch colon as apt does', () => {
  assert.equal(
    debFileName('busybox-static', '1:1.37.0-6+b9', 'riscv64'),
    'busybox-static_1%3a1.37.0-6+b9_riscv64.deb',
  );
  assert.equal(debFileName('opensbi', '1.6-1', 'all'), 'opensbi_1.6-1_all.deb');
});
