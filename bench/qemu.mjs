// The peers the benchmarks compare with: qemu-system-riscv64 with TCG, in three columns: QEMU 10
// (bookworm-backports) with its default CPU, QEMU 10 with tsvirt's ISA, and bookworm's QEMU 7.2
// (the figures of earlier sessions). The `virt` machine is set up as tsvirt's default board, so
// that all boot the same guest the same way.

import { missingQemu, qemu10, qemu72, qemuCpu, tsvirtExtensions } from '../tools/qemu.mjs';

/** tsvirt's default profile's extensions: the QEMU 10 column with the same ISA runs exactly these. */
const TSVIRT_EXTENSIONS = await tsvirtExtensions();

/**
 * A QEMU column: `id` selects it (`--qemu 10,10-tsvirt,7.2`), `name` labels it, `cmd` runs it and
 * `cpuArgs` go after the machine (empty for the machine's default CPU).
 * @typedef {{ id: string, name: string, cmd: string, cpuArgs: string[] }} QemuPeer
 */

/** The column ids, in the order the benchmarks print them (the first present is the reference). */
export const QEMU_PEER_IDS = ['10', '10-tsvirt', '7.2'];

/**
 * The QEMU columns that are installed, restricted to `ids` (all by default); for each build that
 * is missing, one line on `log` names the command that installs it.
 * @returns {QemuPeer[]}
 */
export function qemuPeers(ids = QEMU_PEER_IDS, log = console.log) {
  const unknown = ids.filter((id) => !QEMU_PEER_IDS.includes(id));
  if (unknown.length > 0) {
    throw new Error(`--qemu: unknown column '${unknown[0]}' (expected ${QEMU_PEER_IDS.join(', ')})`);
  }
  const peers = [];
  if (ids.includes('10') || ids.includes('10-tsvirt')) {
    const cmd = qemu10();
    if (cmd === undefined) log(missingQemu('10'));
    else {
      if (ids.includes('10')) peers.push({ id: '10', name: 'qemu 10', cmd, cpuArgs: [] });
      if (ids.includes('10-tsvirt')) {
        peers.push({
          id: '10-tsvirt',
          name: 'qemu 10 tsvirt ISA',
          cmd,
          cpuArgs: ['-cpu', qemuCpu(TSVIRT_EXTENSIONS)],
        });
      }
    }
  }
  if (ids.includes('7.2')) {
    const cmd = qemu72();
    if (cmd === undefined) log(missingQemu('7.2'));
    else peers.push({ id: '7.2', name: 'qemu 7.2', cmd, cpuArgs: [] });
  }
  return peers;
}

/**
 * The peers a benchmark's command line asks for: none with `--no-qemu`, those of `--qemu LIST`
 * (comma-separated ids), else all that are installed. A bad list ends the process with status 2
 * and a message (the benchmarks call this at top level, before any work).
 * @returns {QemuPeer[]}
 */
export function qemuPeersFromArgs(args, log = console.log) {
  if (args.includes('--no-qemu')) return [];
  const i = args.indexOf('--qemu');
  if (i < 0) return qemuPeers(QEMU_PEER_IDS, log);
  try {
    const list = args[i + 1];
    if (list === undefined || list.startsWith('--'))
      throw new Error('--qemu: expected a list such as 10,7.2');
    return qemuPeers(list.split(','), log);
  } catch (err) {
    console.error(err.message);
    process.exit(2);
  }
}

/** QEMU arguments for Debian's kernel and an initrd on `-M virt` (serial console, no display). */
export function qemuVirtArgs({
  kernel,
  initrd,
  memory = '512M',
  smp = '1',
  append = 'console=ttyS0',
  cpuArgs = [],
}) {
  return [
    '-M',
    'virt',
    ...cpuArgs,
    '-m',
    memory,
    '-smp',
    smp,
    '-nographic',
    '-kernel',
    kernel,
    '-initrd',
    initrd,
    '-append',
    append,
  ];
}
