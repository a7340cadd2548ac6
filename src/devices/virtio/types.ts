// The contract between a virtio transport (virtio-mmio today, virtio-pci later) and a virtio
// device (virtio 1.2, chapters 2 and 4). Devices see queues of validated descriptor chains and
// never touch transport registers; transports never know what a device does.

import type { GuestMemory } from '../../memory/guest-memory.js';

/** Device IDs (virtio 1.2 section 5). */
export const VIRTIO_ID_NET = 1;
export const VIRTIO_ID_BLOCK = 2;
export const VIRTIO_ID_CONSOLE = 3;
export const VIRTIO_ID_RNG = 4;

/** Reserved feature bits the transport and queue implement (virtio 1.2 section 6). */
export const VIRTIO_F_INDIRECT_DESC = 28n;
export const VIRTIO_F_EVENT_IDX = 29n;
export const VIRTIO_F_VERSION_1 = 32n;

/** A guest-physical buffer of one descriptor; `addr`/`len` are already checked to lie in RAM. */
export interface GuestBuffer {
  readonly addr: number;
  readonly len: number;
}

/**
 * A descriptor chain taken from the available ring (virtio 1.2 section 2.7.5), flattened through
 * indirect tables and validated: every buffer lies in guest RAM, the chain has no loop, is no
 * longer than the queue allows, and all device-readable buffers come before the writable ones.
 */
export interface DescriptorChain {
  /** Head descriptor index: the id reported in the used ring. */
  readonly head: number;
  /** Device-readable buffers (driver to device), in order. */
  readonly readable: readonly GuestBuffer[];
  /** Device-writable buffers (device to driver), in order. */
  readonly writable: readonly GuestBuffer[];
}

/** One split virtqueue as a device sees it. */
export interface Virtqueue {
  readonly index: number;
  readonly size: number;
  /**
   * The next available chain, or undefined when the ring is empty. A malformed chain puts the
   * device in DEVICE_NEEDS_RESET (through the transport) and also returns undefined.
   */
  pop(): DescriptorChain | undefined;
  /**
   * Back-pressure: give back `chain`, which the latest {@link pop} returned, without consuming
   * it. Its available ring entry becomes the next one again and stays the driver's: the next
   * pop() walks it afresh from guest memory (the driver may have changed it meanwhile, so a
   * device must recompute anything it derived from the chain). Only valid for the chain of the
   * latest pop(), before any other pop() or push() on this queue: anything else is a device bug
   * and throws. After a queue reset it does nothing (the entry is gone with the ring).
   */
  undoPop(chain: DescriptorChain): void;
  /** Return a chain to the driver through the used ring with `writtenBytes` written. */
  push(chain: DescriptorChain, writtenBytes: number): void;
  /** Interrupt the driver if it wants to know about the used entries pushed so far (EVENT_IDX). */
  notify(): void;
}

/** What the transport gives a device when the driver sets DRIVER_OK. */
export interface VirtioContext {
  readonly mem: GuestMemory;
  readonly queues: readonly Virtqueue[];
  /** Features both sides agreed on. */
  readonly features: bigint;
  /** The device's configuration space changed: bump config generation, raise a config interrupt. */
  configChanged(): void;
  /** Something went wrong that the driver must see: set DEVICE_NEEDS_RESET. */
  needsReset(reason: string): void;
}

/** A virtio device, independent of its transport. */
export interface VirtioDevice {
  readonly deviceId: number;
  /** Maximum size of each of the device's queues (its length is the number of queues). */
  readonly queueMaxSizes: readonly number[];
  /** Device feature bits offered (the transport adds VERSION_1, INDIRECT_DESC and EVENT_IDX). */
  readonly features: bigint;
  /** Device-specific configuration space (virtio 1.2 section 4.2.2: offset 0x100 on MMIO). */
  readConfig(offset: number, size: number): number;
  /** Returns false for a write the device refuses (read-only or out of range field). */
  writeConfig(offset: number, size: number, value: number): boolean;
  /** DRIVER_OK: queues are live. */
  activate(ctx: VirtioContext): void;
  /** The driver notified queue `index`. */
  queueNotify(index: number): void;
  /** Device reset by the driver (status written 0): drop in-flight state. */
  reset(): void;
}
