// The virtio-mmio transport, version 2 only (virtio 1.2 §4.2): the register file of §4.2.2, feature
// negotiation and the device status state machine (§2.1, §2.2, §3.1), queue configuration
// (§4.2.3.2), notifications both ways (§4.2.3.3, §4.2.3.4) and the config space at 0x100.

import type { MmioDevice } from '../../memory/bus.js';
import type { GuestMemory } from '../../memory/guest-memory.js';
import type { IrqLine } from '../irq.js';
import { SplitVirtqueue, type QueueHost, type VirtqueueState } from './queue.js';
import {
  VIRTIO_F_EVENT_IDX,
  VIRTIO_F_INDIRECT_DESC,
  VIRTIO_F_VERSION_1,
  type VirtioContext,
  type VirtioDevice,
} from './types.js';

/** Register offsets (§4.2.2, table "MMIO Device Register Layout"). */
export const VIRTIO_MMIO_MAGIC_VALUE = 0x000;
export const VIRTIO_MMIO_VERSION = 0x004;
export const VIRTIO_MMIO_DEVICE_ID = 0x008;
export const VIRTIO_MMIO_VENDOR_ID = 0x00c;
export const VIRTIO_MMIO_DEVICE_FEATURES = 0x010;
export const VIRTIO_MMIO_DEVICE_FEATURES_SEL = 0x014;
export const VIRTIO_MMIO_DRIVER_FEATURES = 0x020;
export const VIRTIO_MMIO_DRIVER_FEATURES_SEL = 0x024;
export const VIRTIO_MMIO_QUEUE_SEL = 0x030;
export const VIRTIO_MMIO_QUEUE_NUM_MAX = 0x034;
export const VIRTIO_MMIO_QUEUE_NUM = 0x038;
export const VIRTIO_MMIO_QUEUE_READY = 0x044;
export const VIRTIO_MMIO_QUEUE_NOTIFY = 0x050;
export const VIRTIO_MMIO_INTERRUPT_STATUS = 0x060;
export const VIRTIO_MMIO_INTERRUPT_ACK = 0x064;
export const VIRTIO_MMIO_STATUS = 0x070;
export const VIRTIO_MMIO_QUEUE_DESC_LOW = 0x080;
export const VIRTIO_MMIO_QUEUE_DESC_HIGH = 0x084;
export const VIRTIO_MMIO_QUEUE_DRIVER_LOW = 0x090;
export const VIRTIO_MMIO_QUEUE_DRIVER_HIGH = 0x094;
export const VIRTIO_MMIO_QUEUE_DEVICE_LOW = 0x0a0;
export const VIRTIO_MMIO_QUEUE_DEVICE_HIGH = 0x0a4;
export const VIRTIO_MMIO_SHM_SEL = 0x0ac;
export const VIRTIO_MMIO_SHM_LEN_LOW = 0x0b0;
export const VIRTIO_MMIO_SHM_LEN_HIGH = 0x0b4;
export const VIRTIO_MMIO_SHM_BASE_LOW = 0x0b8;
export const VIRTIO_MMIO_SHM_BASE_HIGH = 0x0bc;
export const VIRTIO_MMIO_QUEUE_RESET = 0x0c0;
export const VIRTIO_MMIO_CONFIG_GENERATION = 0x0fc;
/** Device-specific configuration space starts here. */
export const VIRTIO_MMIO_CONFIG = 0x100;
/** Size of the register window a board should map (registers plus 256 bytes of config space). */
export const VIRTIO_MMIO_SIZE = 0x200;

/** "virt" in little-endian. */
export const VIRTIO_MMIO_MAGIC = 0x74726976;
/** The modern (non-legacy) register layout; legacy devices report 1. */
export const VIRTIO_MMIO_VERSION_2 = 2;
/** tsvirt's virtio subsystem vendor ID: "tsvr" in little-endian (our own choice, not QEMU's). */
export const TSVIRT_VIRTIO_VENDOR_ID = 0x72767374;

/** Device status bits (§2.1). */
export const VIRTIO_STATUS_ACKNOWLEDGE = 1;
export const VIRTIO_STATUS_DRIVER = 2;
export const VIRTIO_STATUS_DRIVER_OK = 4;
export const VIRTIO_STATUS_FEATURES_OK = 8;
export const VIRTIO_STATUS_DEVICE_NEEDS_RESET = 64;
export const VIRTIO_STATUS_FAILED = 128;

/** InterruptStatus bits (§4.2.2). */
export const VIRTIO_MMIO_INT_USED_BUFFER = 1;
export const VIRTIO_MMIO_INT_CONFIG = 2;
const VIRTIO_MMIO_INT_MASK = VIRTIO_MMIO_INT_USED_BUFFER | VIRTIO_MMIO_INT_CONFIG;

/** Masks of the reserved feature bits the transport implements (types.ts holds bit numbers). */
const F_VERSION_1 = 1n << VIRTIO_F_VERSION_1;
const F_INDIRECT_DESC = 1n << VIRTIO_F_INDIRECT_DESC;
const F_EVENT_IDX = 1n << VIRTIO_F_EVENT_IDX;

/** Feature words a driver can select: 128 feature bits are defined (§2.2). */
const FEATURE_WORDS = 4;

/** One 32-bit register: reads of write-only registers return 0, writes to read-only ones are dropped. */
interface MmioRegister {
  readonly offset: number;
  readonly name: string;
  read?(): number;
  write?(value: number): void;
}

/** The driver-written halves of one queue's three area addresses. */
interface QueueAddressRegs {
  descLow: number;
  descHigh: number;
  driverLow: number;
  driverHigh: number;
  deviceLow: number;
  deviceHigh: number;
}

/** Snapshot of a {@link VirtioMmio} (the device's own state is saved separately). */
export interface VirtioMmioState {
  version: 1;
  /** The DeviceID the state belongs to, checked on restore. */
  deviceId: number;
  status: number;
  deviceFeaturesSel: number;
  driverFeaturesSel: number;
  /** Driver-accepted feature bits as a hex string (bigint is not JSON-safe). */
  driverFeatures: string;
  /** The driver set a feature bit beyond the 128 defined ones. */
  driverFeaturesInvalid: boolean;
  queueSel: number;
  interruptStatus: number;
  configGeneration: number;
  queues: VirtqueueState[];
}

/** Options of a {@link VirtioMmio}. */
export interface VirtioMmioOptions {
  /** VendorID register value; defaults to {@link TSVIRT_VIRTIO_VENDOR_ID}. */
  vendorId?: number;
  /** Called once each time the device enters DEVICE_NEEDS_RESET, with the reason (for logs). */
  onNeedsReset?: (reason: string) => void;
}

function splitAddress(addr: number): [low: number, high: number] {
  return [(addr % 2 ** 32) >>> 0, Math.floor(addr / 2 ** 32) >>> 0];
}

/**
 * A virtio-mmio register window around one {@link VirtioDevice}. Map it on the bus at a slot
 * of at least {@link VIRTIO_MMIO_SIZE} bytes; its interrupt line is high exactly while
 * InterruptStatus is non-zero.
 *
 * Control registers answer only 32-bit aligned accesses (§4.2.2.2); other accesses read 0 and
 * are ignored on write. The config space (0x100 onwards) takes 1, 2 and 4-byte accesses and
 * hands them to the device.
 */
export class VirtioMmio implements MmioDevice {
  readonly queues: readonly SplitVirtqueue[];
  private readonly vendorId: number;
  private readonly onNeedsReset: ((reason: string) => void) | undefined;

  private status = 0;
  private deviceFeaturesSel = 0;
  private driverFeaturesSel = 0;
  private driverFeatures = 0n;
  private driverFeaturesInvalid = false;
  private queueSel = 0;
  private interruptStatus = 0;
  private configGeneration = 0;
  private queueRegs: QueueAddressRegs[];
  private irqLevel = false;
  /** Bumped on each activation and reset; a stale context's callbacks become no-ops. */
  private activation = 0;
  /** Why the device last entered DEVICE_NEEDS_RESET. */
  lastError: string | undefined;

  /** The register file by offset / 4. */
  private readonly regs: readonly (MmioRegister | undefined)[];

  /**
   * @param device the device model behind this transport
   * @param mem guest RAM, where the driver places the queues
   * @param irq the line to the interrupt controller (a PLIC source on `virt`)
   */
  constructor(
    readonly device: VirtioDevice,
    readonly mem: GuestMemory,
    private readonly irq: IrqLine,
    options: VirtioMmioOptions = {},
  ) {
    this.vendorId = options.vendorId ?? TSVIRT_VIRTIO_VENDOR_ID;
    this.onNeedsReset = options.onNeedsReset;
    const host: QueueHost = {
      mem,
      usedBufferNotification: () => this.raise(VIRTIO_MMIO_INT_USED_BUFFER),
      needsReset: (reason) => this.needsReset(reason),
    };
    this.queues = device.queueMaxSizes.map((max, i) => new SplitVirtqueue(i, max, host));
    this.queueRegs = this.queues.map(() => emptyQueueRegs());
    this.regs = this.registerTable();
  }

  /** Every feature bit offered: the device's, plus those the transport and queues implement. */
  get offeredFeatures(): bigint {
    return this.device.features | F_VERSION_1 | F_INDIRECT_DESC | F_EVENT_IDX;
  }

  private registerTable(): (MmioRegister | undefined)[] {
    const queueAddr = (field: keyof QueueAddressRegs) => (v: number) => this.writeQueueAddress(field, v);
    const table: MmioRegister[] = [
      { offset: VIRTIO_MMIO_MAGIC_VALUE, name: 'MagicValue', read: () => VIRTIO_MMIO_MAGIC },
      { offset: VIRTIO_MMIO_VERSION, name: 'Version', read: () => VIRTIO_MMIO_VERSION_2 },
      { offset: VIRTIO_MMIO_DEVICE_ID, name: 'DeviceID', read: () => this.device.deviceId },
      { offset: VIRTIO_MMIO_VENDOR_ID, name: 'VendorID', read: () => this.vendorId },
      { offset: VIRTIO_MMIO_DEVICE_FEATURES, name: 'DeviceFeatures', read: () => this.readDeviceFeatures() },
      {
        offset: VIRTIO_MMIO_DEVICE_FEATURES_SEL,
        name: 'DeviceFeaturesSel',
        write: (v) => (this.deviceFeaturesSel = v),
      },
      {
        offset: VIRTIO_MMIO_DRIVER_FEATURES,
        name: 'DriverFeatures',
        write: (v) => this.writeDriverFeatures(v),
      },
      {
        offset: VIRTIO_MMIO_DRIVER_FEATURES_SEL,
        name: 'DriverFeaturesSel',
        write: (v) => (this.driverFeaturesSel = v),
      },
      { offset: VIRTIO_MMIO_QUEUE_SEL, name: 'QueueSel', write: (v) => (this.queueSel = v) },
      {
        offset: VIRTIO_MMIO_QUEUE_NUM_MAX,
        name: 'QueueNumMax',
        read: () => this.selectedQueue()?.maxSize ?? 0,
      },
      { offset: VIRTIO_MMIO_QUEUE_NUM, name: 'QueueNum', write: (v) => this.writeQueueNum(v) },
      {
        offset: VIRTIO_MMIO_QUEUE_READY,
        name: 'QueueReady',
        read: () => (this.selectedQueue()?.ready ? 1 : 0),
        write: (v) => this.writeQueueReady(v),
      },
      { offset: VIRTIO_MMIO_QUEUE_NOTIFY, name: 'QueueNotify', write: (v) => this.queueNotify(v) },
      { offset: VIRTIO_MMIO_INTERRUPT_STATUS, name: 'InterruptStatus', read: () => this.interruptStatus },
      { offset: VIRTIO_MMIO_INTERRUPT_ACK, name: 'InterruptACK', write: (v) => this.interruptAck(v) },
      {
        offset: VIRTIO_MMIO_STATUS,
        name: 'Status',
        read: () => this.status,
        write: (v) => this.writeStatus(v),
      },
      { offset: VIRTIO_MMIO_QUEUE_DESC_LOW, name: 'QueueDescLow', write: queueAddr('descLow') },
      { offset: VIRTIO_MMIO_QUEUE_DESC_HIGH, name: 'QueueDescHigh', write: queueAddr('descHigh') },
      { offset: VIRTIO_MMIO_QUEUE_DRIVER_LOW, name: 'QueueDriverLow', write: queueAddr('driverLow') },
      { offset: VIRTIO_MMIO_QUEUE_DRIVER_HIGH, name: 'QueueDriverHigh', write: queueAddr('driverHigh') },
      { offset: VIRTIO_MMIO_QUEUE_DEVICE_LOW, name: 'QueueDeviceLow', write: queueAddr('deviceLow') },
      { offset: VIRTIO_MMIO_QUEUE_DEVICE_HIGH, name: 'QueueDeviceHigh', write: queueAddr('deviceHigh') },
      // No shared memory regions: every selected region reads as absent, length and base -1.
      { offset: VIRTIO_MMIO_SHM_SEL, name: 'SHMSel', write: () => {} },
      { offset: VIRTIO_MMIO_SHM_LEN_LOW, name: 'SHMLenLow', read: () => 0xffffffff },
      { offset: VIRTIO_MMIO_SHM_LEN_HIGH, name: 'SHMLenHigh', read: () => 0xffffffff },
      { offset: VIRTIO_MMIO_SHM_BASE_LOW, name: 'SHMBaseLow', read: () => 0xffffffff },
      { offset: VIRTIO_MMIO_SHM_BASE_HIGH, name: 'SHMBaseHigh', read: () => 0xffffffff },
      // VIRTIO_F_RING_RESET is not offered: QueueReset reads 0 and ignores writes.
      { offset: VIRTIO_MMIO_QUEUE_RESET, name: 'QueueReset', read: () => 0, write: () => {} },
      { offset: VIRTIO_MMIO_CONFIG_GENERATION, name: 'ConfigGeneration', read: () => this.configGeneration },
    ];
    const byIndex: (MmioRegister | undefined)[] = [];
    for (const r of table) byIndex[r.offset >>> 2] = r;
    return byIndex;
  }

  // --- MmioDevice ---

  read(offset: number, size: number): number {
    if (offset >= VIRTIO_MMIO_CONFIG) return this.device.readConfig(offset - VIRTIO_MMIO_CONFIG, size) >>> 0;
    const reg = this.register(offset, size);
    return reg?.read === undefined ? 0 : reg.read() >>> 0;
  }

  write(offset: number, size: number, value: number): void {
    if (offset >= VIRTIO_MMIO_CONFIG) {
      // A refused write (read-only or out of range field) is simply dropped.
      this.device.writeConfig(offset - VIRTIO_MMIO_CONFIG, size, value);
      return;
    }
    this.register(offset, size)?.write?.(value >>> 0);
  }

  private register(offset: number, size: number): MmioRegister | undefined {
    if (size !== 4 || !Number.isInteger(offset) || offset < 0 || offset % 4 !== 0) return undefined;
    return this.regs[offset >>> 2];
  }

  // --- Features (§2.2) ---

  private readDeviceFeatures(): number {
    if (this.deviceFeaturesSel >= FEATURE_WORDS) return 0;
    return Number((this.offeredFeatures >> BigInt(32 * this.deviceFeaturesSel)) & 0xffffffffn);
  }

  private writeDriverFeatures(value: number): void {
    // The driver MUST NOT accept new features after FEATURES_OK (§3.1.1): such writes are dropped.
    if (this.status & VIRTIO_STATUS_FEATURES_OK) return;
    const sel = this.driverFeaturesSel;
    if (sel >= FEATURE_WORDS) {
      if (value !== 0) this.driverFeaturesInvalid = true;
      return;
    }
    const shift = BigInt(32 * sel);
    this.driverFeatures = (this.driverFeatures & ~(0xffffffffn << shift)) | (BigInt(value >>> 0) << shift);
  }

  /** FEATURES_OK is granted only for a subset of the offer that includes VIRTIO_F_VERSION_1. */
  private featuresAcceptable(): boolean {
    if (this.driverFeaturesInvalid) return false;
    if ((this.driverFeatures & ~this.offeredFeatures) !== 0n) return false;
    return (this.driverFeatures & F_VERSION_1) !== 0n;
  }

  // --- Device status (§2.1, §3.1.1) ---

  private writeStatus(value: number): void {
    const v = value & 0xff;
    if (v === 0) {
      this.reset();
      return;
    }
    // The driver only ever sets bits (it MUST NOT clear one); each step needs the one before it.
    // DEVICE_NEEDS_RESET belongs to the device and is not writable.
    const add = v & ~this.status;
    let s = this.status;
    if (add & VIRTIO_STATUS_ACKNOWLEDGE) s |= VIRTIO_STATUS_ACKNOWLEDGE;
    if (add & VIRTIO_STATUS_DRIVER && s & VIRTIO_STATUS_ACKNOWLEDGE) s |= VIRTIO_STATUS_DRIVER;
    if (add & VIRTIO_STATUS_FEATURES_OK && s & VIRTIO_STATUS_DRIVER && this.featuresAcceptable())
      s |= VIRTIO_STATUS_FEATURES_OK;
    const driverOk = (add & VIRTIO_STATUS_DRIVER_OK) !== 0 && (s & VIRTIO_STATUS_FEATURES_OK) !== 0;
    if (driverOk) s |= VIRTIO_STATUS_DRIVER_OK;
    if (add & VIRTIO_STATUS_FAILED) s |= VIRTIO_STATUS_FAILED;
    this.status = s;
    if (driverOk) {
      this.activate();
      // An error found during setup must still reach the driver once it listens (§2.1.2).
      if (s & VIRTIO_STATUS_DEVICE_NEEDS_RESET) this.raise(VIRTIO_MMIO_INT_CONFIG);
    }
  }

  private activate(): void {
    const epoch = ++this.activation;
    const features = this.driverFeatures;
    const eventIdx = (features & F_EVENT_IDX) !== 0n;
    const indirect = (features & F_INDIRECT_DESC) !== 0n;
    for (const q of this.queues) {
      q.activate(eventIdx, indirect);
      if (this.status & VIRTIO_STATUS_DEVICE_NEEDS_RESET) q.halt();
    }
    const ctx: VirtioContext = {
      mem: this.mem,
      queues: this.queues,
      features,
      configChanged: () => {
        if (epoch === this.activation) this.configChanged();
      },
      needsReset: (reason) => {
        if (epoch === this.activation) this.needsReset(reason);
      },
    };
    this.device.activate(ctx);
  }

  /** Writing 0 to Status (§4.2.2): device, queues, features and interrupts back to power-on. */
  private reset(): void {
    this.activation++;
    this.device.reset();
    this.status = 0;
    this.deviceFeaturesSel = 0;
    this.driverFeaturesSel = 0;
    this.driverFeatures = 0n;
    this.driverFeaturesInvalid = false;
    this.queueSel = 0;
    for (const q of this.queues) q.reset();
    this.queueRegs = this.queues.map(() => emptyQueueRegs());
    this.interruptStatus = 0;
    this.updateIrq();
  }

  /**
   * Enter DEVICE_NEEDS_RESET: all queues stop, and a driver past DRIVER_OK gets a configuration
   * change notification (§2.1.2). Idempotent until the next reset.
   */
  needsReset(reason: string): void {
    if (this.status & VIRTIO_STATUS_DEVICE_NEEDS_RESET) return;
    this.status |= VIRTIO_STATUS_DEVICE_NEEDS_RESET;
    this.lastError = reason;
    for (const q of this.queues) q.halt();
    this.onNeedsReset?.(reason);
    if (this.status & VIRTIO_STATUS_DRIVER_OK) this.raise(VIRTIO_MMIO_INT_CONFIG);
  }

  /** The device's configuration changed: new generation, and a notification once DRIVER_OK. */
  private configChanged(): void {
    this.configGeneration = (this.configGeneration + 1) >>> 0;
    if (this.status & VIRTIO_STATUS_DRIVER_OK) this.raise(VIRTIO_MMIO_INT_CONFIG);
  }

  // --- Queues (§4.2.3.2) ---

  private selectedQueue(): SplitVirtqueue | undefined {
    return this.queues[this.queueSel];
  }

  private writeQueueNum(value: number): void {
    const q = this.selectedQueue();
    // The driver MUST NOT touch QueueNum while the queue is ready; the size is checked on enable.
    if (q === undefined || q.ready) return;
    q.num = value;
  }

  private writeQueueAddress(field: keyof QueueAddressRegs, value: number): void {
    const q = this.selectedQueue();
    if (q === undefined || q.ready) return;
    const r = this.queueRegs[this.queueSel];
    r[field] = value >>> 0;
    q.descAddr = r.descHigh * 2 ** 32 + r.descLow;
    q.driverAddr = r.driverHigh * 2 ** 32 + r.driverLow;
    q.deviceAddr = r.deviceHigh * 2 ** 32 + r.deviceLow;
  }

  private writeQueueReady(value: number): void {
    const q = this.selectedQueue();
    if (q === undefined) return;
    if ((value & 1) === 0) {
      q.disable();
      return;
    }
    if (q.ready) return;
    const problem = q.enable();
    if (problem !== undefined) {
      // A size that is not a power of two or exceeds QueueNumMax (§2.7, §4.2.2.2), or rings that
      // are misaligned or outside RAM: the queue stays not ready and the driver must reset.
      this.needsReset(problem);
      return;
    }
    if (this.status & VIRTIO_STATUS_DRIVER_OK) {
      const f = this.driverFeatures;
      q.activate((f & F_EVENT_IDX) !== 0n, (f & F_INDIRECT_DESC) !== 0n);
    }
  }

  private queueNotify(value: number): void {
    // Without VIRTIO_F_NOTIFICATION_DATA the value is the queue index. Notifications before
    // DRIVER_OK, after an error or for an absent or disabled queue are ignored.
    const ok = VIRTIO_STATUS_DRIVER_OK;
    const stop = VIRTIO_STATUS_DEVICE_NEEDS_RESET | VIRTIO_STATUS_FAILED;
    if ((this.status & (ok | stop)) !== ok) return;
    const index = value & 0xffff;
    if (!this.queues[index]?.ready) return;
    this.device.queueNotify(index);
  }

  // --- Interrupts (§4.2.3.4) ---

  private raise(bits: number): void {
    this.interruptStatus |= bits;
    this.updateIrq();
  }

  private interruptAck(value: number): void {
    this.interruptStatus &= ~value & VIRTIO_MMIO_INT_MASK;
    this.updateIrq();
  }

  private updateIrq(force = false): void {
    const level = this.interruptStatus !== 0;
    if (level !== this.irqLevel || force) {
      this.irqLevel = level;
      this.irq.set(level);
    }
  }

  // --- Snapshot ---

  save(): VirtioMmioState {
    return {
      version: 1,
      deviceId: this.device.deviceId,
      status: this.status,
      deviceFeaturesSel: this.deviceFeaturesSel,
      driverFeaturesSel: this.driverFeaturesSel,
      driverFeatures: this.driverFeatures.toString(16),
      driverFeaturesInvalid: this.driverFeaturesInvalid,
      queueSel: this.queueSel,
      interruptStatus: this.interruptStatus,
      configGeneration: this.configGeneration,
      queues: this.queues.map((q) => q.save()),
    };
  }

  /**
   * Load a snapshot taken by {@link save}. The device is reset and, when the saved status has
   * DRIVER_OK, activated again with the restored queues; restore the device's own state after
   * this call. Drives the interrupt line to the restored level. Throws on a snapshot that does
   * not fit this transport (version, device ID, queue count, an unusable ready queue).
   */
  restore(s: VirtioMmioState): void {
    if (s.version !== 1) throw new Error(`virtio-mmio state version ${String(s.version)} is not supported`);
    if (s.deviceId !== this.device.deviceId)
      throw new Error(`virtio-mmio state is for device ID ${s.deviceId}, not ${this.device.deviceId}`);
    if (s.queues.length !== this.queues.length)
      throw new Error(
        `virtio-mmio state has ${s.queues.length} queues, the device has ${this.queues.length}`,
      );
    if (!/^[0-9a-f]+$/.test(s.driverFeatures)) throw new Error(`virtio-mmio state: bad feature bits`);
    this.reset();
    this.status = s.status & 0xff;
    this.deviceFeaturesSel = s.deviceFeaturesSel >>> 0;
    this.driverFeaturesSel = s.driverFeaturesSel >>> 0;
    this.driverFeatures = BigInt(`0x${s.driverFeatures}`);
    this.driverFeaturesInvalid = s.driverFeaturesInvalid;
    this.queueSel = s.queueSel >>> 0;
    this.configGeneration = s.configGeneration >>> 0;
    s.queues.forEach((qs, i) => {
      this.queues[i].restore(qs);
      const [descLow, descHigh] = splitAddress(qs.descAddr);
      const [driverLow, driverHigh] = splitAddress(qs.driverAddr);
      const [deviceLow, deviceHigh] = splitAddress(qs.deviceAddr);
      this.queueRegs[i] = { descLow, descHigh, driverLow, driverHigh, deviceLow, deviceHigh };
    });
    // Interrupts the device raises while it is activated again add to the saved ones.
    this.interruptStatus = s.interruptStatus & VIRTIO_MMIO_INT_MASK;
    if (this.status & VIRTIO_STATUS_DRIVER_OK) this.activate();
    if (this.status & VIRTIO_STATUS_DEVICE_NEEDS_RESET) for (const q of this.queues) q.halt();
    this.updateIrq(true);
  }
}

function emptyQueueRegs(): QueueAddressRegs {
  return { descLow: 0, descHigh: 0, driverLow: 0, driverHigh: 0, deviceLow: 0, deviceHigh: 0 };
}
