// Network backends: the host side of a virtual NIC (a socket to another VM, a user-mode NAT, a hub,
// a test). Devices exchange whole Ethernet frames (no FCS, no virtio header) through this interface.

/**
 * Largest Ethernet frame a backend or device carries, in bytes: the largest MTU Linux accepts
 * (ETH_MAX_MTU, 65535) plus the 14-byte Ethernet header and one 4-byte 802.1Q tag.
 */
export const MAX_FRAME_BYTES = 65535 + 14 + 4;

/** A backend's own state (NetBackend.saveState): its format version and bytes. */
export interface NetBackendState {
  version: number;
  bytes: Uint8Array;
}

/** Counters every backend keeps; they only grow. */
export interface NetBackendMetrics {
  /** Frames handed to the host side (guest to host). */
  txFrames: number;
  txBytes: number;
  /** Frames `send` could not pass on: no peer, peer too slow, frame too big for the transport. */
  txDropped: number;
  /** Frames delivered to the receiver (host to guest). */
  rxFrames: number;
  rxBytes: number;
  /** Frames from the host side that were discarded: no receiver, malformed, extra peer. */
  rxDropped: number;
}

/** Fresh zeroed counters. */
export function newNetBackendMetrics(): NetBackendMetrics {
  return { txFrames: 0, txBytes: 0, txDropped: 0, rxFrames: 0, rxBytes: 0, rxDropped: 0 };
}

/**
 * A frame link between a virtual NIC and the host. Single-threaded: every call and callback runs
 * on the thread that owns the device.
 *
 * Ownership: `send` takes ownership of `frame` (the caller must not modify it afterwards, as the
 * backend may keep it for an asynchronous write); the receiver of `onReceive` owns every frame it
 * is given (the backend never reuses that memory), so a device may queue frames without copying.
 */
export interface NetBackend {
  /**
   * Guest to host. Never blocks and never throws: a frame that cannot be passed on right now is
   * dropped and counted in `metrics.txDropped`. Frames are 14..MAX_FRAME_BYTES bytes.
   */
  send(frame: Uint8Array): void;
  /**
   * Register the host-to-guest receiver (replacing any previous one). Frames arriving while no
   * receiver is registered are dropped. The backend calls the receiver from its event loop, or
   * from inside `resume` (held frames), never from inside `send`, `pause` or `close`.
   */
  onReceive(receiver: (frame: Uint8Array) => void): void;
  /**
   * Optional flow control, advisory: the receiver is full, stop delivering until `resume`. A
   * backend over a stream leaves data in the host socket so that the peer sees backpressure; a
   * backend that cannot hold frames back (datagrams) omits both methods and keeps delivering,
   * and the device drops what it cannot queue.
   */
  pause?(): void;
  /** Undo `pause`; frames held back are delivered from here or later from the event loop. */
  resume?(): void;
  /** Release host resources. Afterwards `send` drops and the receiver is never called. */
  close(): void | Promise<void>;
  /**
   * Optional: host-side state that moves with the guest in snapshots and migration (the user
   * network's NAT: its DHCP leases), as opaque bytes of a format `version` the backend defines.
   */
  saveState?(): Promise<NetBackendState>;
  /** Load what `saveState` of the same kind of backend returned; rejects when it cannot. */
  loadState?(state: NetBackendState): Promise<void>;
  readonly metrics: NetBackendMetrics;
}
