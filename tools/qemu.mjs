// Finds the two QEMU builds tsvirt is measured and checked against, and spells tsvirt's ISA as a
// QEMU -cpu: QEMU 10 (bookworm-backports, extracted by `tools/setup.sh --bench` into a private
// prefix, the peer and the ISA reference) and bookworm's QEMU 7.2 (/usr/bin, the benchmarks' history).

import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';

/** The command that installs both QEMU builds. */
export const QEMU_SETUP = 'tools/setup.sh --bench';

/** Debian bookworm's qemu-system-misc. */
const QEMU72_PATH = '/usr/bin/qemu-system-riscv64';

/**
 * Where `tools/setup.sh --bench` puts QEMU 10: `<cache>/tsvirt/qemu-10`, the cache being
 * $XDG_CACHE_HOME when absolute (XDG Base Directory Specification), else ~/.cache, as for the
 * guest images. Must agree with tools/setup.sh.
 */
export function qemu10Prefix(env = process.env) {
  const xdg = env.XDG_CACHE_HOME;
  const cache = xdg !== undefined && isAbsolute(xdg) ? xdg : join(env.HOME ?? homedir(), '.cache');
  return join(cache, 'tsvirt', 'qemu-10');
}

function executable(path) {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

const versions = new Map();

/** `qemu --version`'s "major.minor", or undefined when it does not run; asked once per path. */
export function qemuVersion(path) {
  if (!versions.has(path)) {
    const r = spawnSync(path, ['--version'], { encoding: 'utf8', timeout: 10_000 });
    versions.set(path, /QEMU emulator version (\d+\.\d+)/.exec(r.stdout ?? '')?.[1]);
  }
  return versions.get(path);
}

/**
 * QEMU 10's qemu-system-riscv64: the wrapper in the prefix (it runs the extracted binary with its
 * own firmware directory), or undefined when it is not installed or is not QEMU 10.
 */
export function qemu10(env = process.env) {
  const path = join(qemu10Prefix(env), 'bin', 'qemu-system-riscv64');
  return executable(path) && qemuVersion(path)?.startsWith('10.') ? path : undefined;
}

/** Bookworm's QEMU 7.2 qemu-system-riscv64, or undefined when it is not installed or not 7.2. */
export function qemu72() {
  return executable(QEMU72_PATH) && qemuVersion(QEMU72_PATH) === '7.2' ? QEMU72_PATH : undefined;
}

/** Why `which` ('10' or '7.2') cannot be found, naming the command that installs it. */
export function missingQemu(which, env = process.env) {
  const where =
    which === '10'
      ? `${join(qemu10Prefix(env), 'bin', 'qemu-system-riscv64')} (QEMU 10, Debian bookworm-backports)`
      : `${QEMU72_PATH} (QEMU 7.2, Debian bookworm's qemu-system-misc)`;
  return `no ${where}: run ${QEMU_SETUP} to install it`;
}

/** The path of QEMU `which` ('10' or '7.2'); throws missingQemu's message when absent. */
export function requireQemu(which, env = process.env) {
  const path = which === '10' ? qemu10(env) : qemu72();
  if (path === undefined) throw new Error(missingQemu(which, env));
  return path;
}

/**
 * The extensions of tsvirt's profile `cpu` (default: its default, max), from the build's one list
 * (src/cpu/riscv/isa/profile.ts): what the virt device tree advertises.
 */
export async function tsvirtExtensions(cpu) {
  const { isaProfile } = await import('../dist/cpu/riscv/isa/profile.js');
  return isaProfile(cpu).list;
}

/**
 * A QEMU 10 `-cpu` for exactly `extensions` (names as riscv,isa-extensions spells them, which are
 * QEMU's property names too): the bare rv64i CPU, which starts with no extension, plus what every
 * tsvirt hart has besides: M, S and U modes, PMP, an MMU up to Sv48, the trigger CSRs (QEMU's
 * `debug`, on by default) and mhpmcounter3..31 (QEMU ties them to Zihpm). QEMU's own rv64 would
 * add Zba, Zbb, Zbs, Zicbom, Zfa, H and more. A/D bits are updated by the hardware, as in tsvirt,
 * since neither Svade nor Svadu is on.
 */
export function qemuCpu(extensions) {
  const props = extensions.filter((e) => e !== 'i').map((e) => `${e}=on`);
  return ['rv64i', ...props, 's=on', 'u=on', 'pmp=on', 'mmu=on', 'sv48=on', 'zihpm=on'].join(',');
}
