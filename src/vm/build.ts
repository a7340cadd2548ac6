// The VM builder: one function that makes a machine from a VmConfig, in one readable order (the
// engine's memory needs, the devices over the host backends, the board, the VM that owns them).

import { SpikeBoard } from '../boards/spike.js';
import { VirtBoard } from '../boards/virt/board.js';
import type { CharBackend } from '../backends/char.js';
import { engineHostBytes, type LoopOptions } from '../engine/tcg/loop.js';
import { MemoryBudget } from '../devices/virtio/budget.js';
import { VirtioBlk } from '../devices/virtio/blk/device.js';
import { VirtioConsole } from '../devices/virtio/console/device.js';
import { VirtioNet } from '../devices/virtio/net/device.js';
import { VirtioRng } from '../devices/virtio/rng/device.js';
import { HostEntropySource, type EntropySource } from '../backends/entropy.js';
import type { VirtioDevice } from '../devices/virtio/types.js';
import {
  checkConfig,
  DEFAULT_JIT_CACHE_BLOCKS,
  type Closable,
  type SpikeConfig,
  type VirtConfig,
  type VmConfig,
} from './config.js';
import { StopRequests } from './stop.js';
import { isaProfile } from '../cpu/riscv/isa/profile.js';
import {
  deviceState,
  describeMachine,
  describeSpike,
  loadSnapshot,
  openSnapshot,
  SnapshotError,
  takeSnapshot,
} from './snapshot/snapshot.js';
import { restoreVirtBoard, saveVirtBoard } from '../boards/virt/state.js';
import { restoreSpikeBoard, saveSpikeBoard } from '../boards/spike-state.js';
import { decodeNetStates, encodeNetStates, type NetState, type ParsedSnapshot } from './snapshot/format.js';
import type { VirtioBlkState } from '../devices/virtio/blk/persist.js';
import type { VirtioNetState } from '../devices/virtio/net/device.js';
import { closeInOrder, Vm, VmCloseError, type Closer } from './vm.js';

/**
 * Build the machine `config` describes. The VM owns the backends in `config` from here on: it
 * closes them in `Vm.close`, and `build` closes them itself before it rejects. Rejects with a
 * VmConfigError for a value out of range, ElfError or KernelError for a program that cannot be
 * loaded, BootError for one that does not fit the machine.
 */
export async function build(config: VmConfig): Promise<Vm> {
  const blks: VirtioBlk[] = [];
  const closers = closersOf(config, blks);
  try {
    checkConfig(config);
    if (config.machine === 'spike') return buildSpike(config, closers);
    return await buildVirt(config, closers, blks);
  } catch (e) {
    await closeInOrder(closers).catch(() => {});
    throw e;
  }
}

/** The engine's part of the configuration, with defaults. */
function loopOptions(c: VmConfig): LoopOptions {
  return {
    maxInstructions: c.maxInstructions,
    jit: c.jit ?? 'wasm',
    jitCache: c.jitCacheBlocks ?? DEFAULT_JIT_CACHE_BLOCKS,
    warn: c.warn,
  };
}

/** Bytes Linux credits to its entropy pool at boot: 256 bits make its CRNG ready. */
const RNG_SEED_BYTES = 64;

function rngSeed(source: EntropySource | null = new HostEntropySource()): Uint8Array | undefined {
  if (source === null) return undefined;
  const seed = new Uint8Array(RNG_SEED_BYTES);
  source.fill(seed);
  return seed;
}

/** Host bytes the engine wants after RAM: the board makes its memory with them. */
function hostBytes(c: VmConfig): number {
  return engineHostBytes(c.jit ?? 'wasm', c.harts ?? 1, c.memoryBytes);
}

function buildSpike(c: SpikeConfig, closers: Closer[]): Vm {
  const console = c.console;
  const desc = describeSpike(c, c.cpu ?? isaProfile());
  const snap: ParsedSnapshot | undefined =
    c.incoming === undefined ? undefined : openSnapshot(c.incoming, desc);
  const board = new SpikeBoard({
    elf: c.elf,
    memoryBytes: c.memoryBytes,
    hostBytes: hostBytes(c),
    harts: c.harts ?? 1,
    isa: c.cpu,
    putchar: console === undefined ? () => {} : (b) => console.write(Uint8Array.of(b)),
    warn: c.warn ?? (() => {}),
    clock: c.clock,
    restoring: snap !== undefined,
    memory: snap?.ramMemory,
  });
  if (snap !== undefined) loadSnapshot(board.mem, snap, (state) => restoreSpikeBoard(board, state));
  return new Vm({
    machine: 'spike',
    board,
    guestStop: () => (board.exitCode === undefined ? undefined : { kind: 'exit', code: board.exitCode }),
    snapshot: () => takeSnapshot(board.mem, desc, [], () => saveSpikeBoard(board)),
    migration: {
      desc,
      mem: board.mem,
      harts: board.harts,
      finalState: async () => saveSpikeBoard(board),
      release: () => {},
    },
    stop: c.stop ?? new StopRequests(),
    loop: loopOptions(c),
    closers,
  });
}

/** `blks` receives the disks' devices, in the order of `c.disks`. */
async function buildVirt(c: VirtConfig, closers: Closer[], blks: VirtioBlk[]): Promise<Vm> {
  const desc = describeMachine(c, c.cpu ?? isaProfile());
  const snap: ParsedSnapshot | undefined =
    c.incoming === undefined ? undefined : openSnapshot(c.incoming, desc);
  // Devices whose state is restored by building them (virtio-blk, virtio-net) take it here.
  const fromSnapshot = <T>(k: number, what: string, make: (state: never) => T): T => {
    try {
      return make(deviceState(snap as ParsedSnapshot, k) as never);
    } catch (e) {
      if (e instanceof SnapshotError) throw e;
      throw new SnapshotError(`virtio device ${k} (${what}): ${(e as Error).message}`);
    }
  };
  const devices: VirtioDevice[] = [];
  // Host memory the VM's disks may hold for requests in flight, shared by all of them.
  const ioBudget = new MemoryBudget();
  for (const [k, d] of (c.disks ?? []).entries()) {
    const blk =
      snap === undefined
        ? new VirtioBlk({ backend: d.backend, serial: d.serial ?? `tsvirt-disk${k}`, budget: ioBudget })
        : fromSnapshot(devices.length, 'virtio-blk', (s: VirtioBlkState) =>
            VirtioBlk.restore({ backend: d.backend, budget: ioBudget }, s),
          );
    blks.push(blk);
    devices.push(blk);
  }
  for (const n of c.nics ?? []) {
    devices.push(
      snap === undefined
        ? new VirtioNet({ backend: n.backend, mac: n.mac, mtu: n.mtu })
        : fromSnapshot(devices.length, 'virtio-net', (s: VirtioNetState) =>
            VirtioNet.restore({ backend: n.backend }, s),
          ),
    );
  }
  if (c.rng !== undefined) devices.push(new VirtioRng(c.rng));
  // Restoring: input typed meanwhile would go into the console device's buffers and then be
  // replaced by the saved ones; the device receives it once its state is loaded.
  const held = snap === undefined ? undefined : holdInput(c.console);
  const console = held?.backend ?? c.console;
  let uartSide: CharBackend = console;
  if (c.consoleDevice === 'virtio') {
    devices.push(new VirtioConsole(console, { outputFlow: c.consoleFlow }));
    // The UART stays (early boot messages, firmware) but only prints: input belongs to hvc0.
    uartSide = { write: (bytes) => c.console.write(bytes), onInput: () => {} };
  }
  const board = new VirtBoard({
    memoryBytes: c.memoryBytes,
    hostBytes: hostBytes(c),
    harts: c.harts ?? 1,
    isa: c.cpu,
    kernel: c.kernel,
    initrd: c.initrd,
    append: c.append ?? (c.consoleDevice === 'virtio' ? 'console=hvc0' : 'console=ttyS0'),
    bios: c.bios,
    gunzip: c.gunzip,
    console: uartSide,
    virtio: devices,
    warn: c.warn,
    clock: c.clock,
    rtcNowNs: c.rtcNowNs,
    rngSeed: rngSeed(c.bootEntropy),
    restoring: snap !== undefined,
    memory: snap?.ramMemory,
  });
  if (snap !== undefined) loadSnapshot(board.mem, snap, (state) => restoreVirtBoard(board, state));
  if (snap?.nets !== undefined) await loadNetStates(c, snap.nets);
  held?.release();
  return new Vm({
    machine: 'virt',
    board,
    guestStop: () => board.stop,
    snapshot: async () => {
      const nets = await saveNetStates(c);
      return takeSnapshot(board.mem, desc, blks, () => saveVirtBoard(board), nets);
    },
    migration: {
      desc,
      mem: board.mem,
      harts: board.harts,
      // Disks are shared with the destination: every write the guest had acknowledged must be
      // on the image before the destination opens it (docs/snapshot-format.md).
      finalState: async () => {
        for (const b of blks) await b.quiesce();
        for (const d of c.disks ?? []) await d.backend.flush();
        return saveVirtBoard(board);
      },
      netStates: () => saveNetStates(c),
      release: () => {
        for (const b of blks) b.resume();
      },
    },
    stop: c.stop ?? new StopRequests(),
    loop: loopOptions(c),
    closers,
  });
}

/**
 * What closing the VM releases, in order: the console first (it restores the terminal, and may
 * fail when the terminal is gone: the disks must still be closed), then each disk once the
 * requests in flight on its device (in `blks`, when made) have completed, then each NIC.
 */
function closersOf(c: VmConfig, blks: readonly VirtioBlk[]): Closer[] {
  const closers: Closer[] = [{ close: async () => closeQuietly(c.console) }];
  if (c.machine === 'spike') return closers;
  for (const [k, d] of (c.disks ?? []).entries()) {
    closers.push({
      close: async () => {
        await blks[k]?.quiesce();
        // Flushes: the overlay's table, or fdatasync of a raw image.
        await d.backend.close().catch((e: unknown) => {
          const what = d.name ?? `disk ${k}`;
          throw new VmCloseError(`${what}: closing the disk failed: ${(e as Error).message}`);
        });
      },
    });
  }
  for (const n of c.nics ?? []) closers.push({ close: async () => n.backend.close() });
  return closers;
}

async function closeQuietly(r: Closable | undefined): Promise<void> {
  try {
    await r?.close?.();
  } catch {
    // A console whose terminal is gone (SIGHUP after a hangup) cannot be put back; nothing is lost.
  }
}

/**
 * `backend` with its input held back: devices that ask for it get it only after `release` (what
 * was typed before is then delivered, in order, by the backend).
 */
function holdInput(backend: CharBackend): { backend: CharBackend; release(): void } {
  let receiver: ((bytes: Uint8Array) => void) | undefined;
  const proxy: CharBackend = {
    write: (bytes) => backend.write(bytes),
    onInput: (r) => {
      receiver = r;
    },
    pauseInput: backend.pauseInput === undefined ? undefined : (paused) => backend.pauseInput?.(paused),
  };
  return {
    backend: proxy,
    release: () => {
      if (receiver !== undefined) backend.onInput(receiver);
    },
  };
}

/** The NIC backends' states (NetBackend.saveState) as an SLRP payload; undefined when none keeps any. */
async function saveNetStates(c: VirtConfig): Promise<Uint8Array | undefined> {
  const states: NetState[] = [];
  for (const [nic, n] of (c.nics ?? []).entries()) {
    if (n.backend.saveState === undefined) continue;
    const s = await n.backend.saveState();
    states.push({ nic, version: s.version, bytes: s.bytes });
  }
  return states.length === 0 ? undefined : encodeNetStates(states);
}

/**
 * Give each NIC's backend the state saved with it. A backend that keeps none (a socket backend
 * where a --net user one was saved) goes without, with a warning: the guest's peers are the new
 * process's anyway. A backend that refuses its state is a SnapshotError naming the NIC.
 */
async function loadNetStates(c: VirtConfig, payload: Uint8Array): Promise<void> {
  const nics = c.nics ?? [];
  for (const s of decodeNetStates(payload, nics.length)) {
    const b = nics[s.nic].backend;
    if (b.loadState === undefined) {
      c.warn?.(`NIC ${s.nic}: its backend keeps no state; the saved one (--net user) is not used`);
      continue;
    }
    try {
      await b.loadState({ version: s.version, bytes: s.bytes });
    } catch (e) {
      throw new SnapshotError(`NIC ${s.nic}: ${(e as Error).message}`);
    }
  }
}
