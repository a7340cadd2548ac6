// tsvirt's library API (`import { build } from 'tsvirt'`): the VM builder, its configuration, and
// the backend interfaces through which a VM's devices reach the host, with in-memory backends.
// The package's only barrel file; Node host backends are in 'tsvirt/node' (api/node.ts).

export { build } from '../vm/build.js';
export {
  checkConfig,
  DEFAULT_JIT_CACHE_BLOCKS,
  MACHINES,
  MAX_HARTS,
  MAX_JIT_CACHE_BLOCKS,
  MAX_MEMORY_BYTES,
  MIN_JIT_CACHE_BLOCKS,
  MIN_MEMORY_BYTES,
  VmConfigError,
  type Closable,
  type CommonConfig,
  type DiskConfig,
  type MachineName,
  type NicConfig,
  type SpikeConfig,
  type VirtConfig,
  type VmConfig,
} from '../vm/config.js';
export { StopRequests, type StopReason } from '../vm/stop.js';
export { Vm, VmCloseError, type GuestStop, type VmEnd } from '../vm/vm.js';
export type { JitMode } from '../engine/tcg/loop.js';

export type { CharBackend, CharOutputFlow } from '../backends/char.js';
export { MemoryCharBackend } from '../backends/memory-char.js';
export { MemoryBlockBackend, SECTOR_BYTES, type BlockBackend } from '../backends/block/backend.js';
export type { NetBackend } from '../backends/net/backend.js';
export { MemoryNetBackend } from '../backends/net/memory.js';
export { deriveMac } from '../backends/net/spec.js';
export type { EntropySource } from '../backends/entropy.js';
export type { KernelFile } from '../loaders/linux.js';

export { BootError } from '../boards/placement.js';
export { ElfError } from '../loaders/elf.js';
export { KernelError } from '../loaders/linux.js';
