// What the device thread and the slirp worker tell each other: the worker's start parameters and
// its messages. Frames from the guest go through the shared ring (ring.ts), not through messages.

/** The worker's `workerData`. Addresses are IPv4 dotted quads. */
export interface SlirpWorkerConfig {
  /** The ring of guest-to-host frames and the control words (ring.ts Ctl). */
  readonly ring: SharedArrayBuffer;
  readonly network: string;
  readonly netmask: string;
  readonly host: string;
  readonly dns: string;
  readonly dhcpStart: string;
  readonly restrict: boolean;
  readonly ipv6: boolean;
  /** Interface MTU slirp assumes for the guest (what it segments TCP for), bytes. */
  readonly mtu: number;
  readonly hostfwd: readonly {
    readonly udp: boolean;
    readonly hostAddr: string;
    readonly hostPort: number;
    readonly guestAddr: string;
    readonly guestPort: number;
  }[];
  /** Most bytes of host-to-guest frames posted and not yet delivered before the worker drops. */
  readonly rxMaxInFlightBytes: number;
  /**
   * TCP sockets slirp may have open (connections either way) before new TCP connections from
   * the guest are refused: libslirp itself has no limit.
   */
  readonly maxSockets: number;
  /** The library to load (tests may name another file; default libslirp.so.0). */
  readonly library: string;
}

/**
 * Device thread to worker, read by the worker between poll turns (receiveMessageOnPort; the
 * device thread wakes it): take libslirp's state (slirp_state_save), or load one.
 */
export type SlirpWorkerRequest =
  { readonly type: 'save' } | { readonly type: 'load'; readonly version: number; readonly bytes: Uint8Array };

/** Worker to device thread. */
export type SlirpWorkerMessage =
  /** libslirp's state (answer to 'save'), of its state format `version` (slirp_state_version). */
  | { readonly type: 'state'; readonly version: number; readonly bytes: ArrayBuffer }
  /** Answer to 'load': undefined error when libslirp took the state. */
  | { readonly type: 'loaded'; readonly error?: string }
  /** Started: `wakeFd` is the eventfd to write (8 bytes) to wake the worker's poll. */
  | { readonly type: 'ready'; readonly wakeFd: number; readonly version: string }
  /** Could not start (or died); the message says what to install or which rule failed. */
  | { readonly type: 'error'; readonly message: string }
  /** Host-to-guest frames, in order; their bytes were added to Ctl.RxInFlightBytes. */
  | { readonly type: 'frames'; readonly frames: ArrayBuffer[] };
