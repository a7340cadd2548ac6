// The GDB stub of `tsvirt run --gdb`: a TCP listener (host/node) whose client talks to a
// GdbSession over the VM's GdbTarget. One client at a time; another may attach after it leaves.

import { GdbSession } from '../gdb/session.js';
import { GdbTarget } from '../gdb/target.js';
import { listenTcp } from '../host/node/tcp-listen.js';
import type { Vm } from '../vm/vm.js';

/** A running GDB stub. */
export interface GdbStub {
  /** The port it listens on. */
  readonly port: number;
  /** Tell a client waiting for a stop that the VM exited with `status`. */
  end(status: number): void;
  close(): Promise<void>;
}

/** Listen for GDB on `host`:`port` for `vm` (before `vm.run`). Throws a ListenError. */
export async function startGdb(vm: Vm, host: string, port: number): Promise<GdbStub> {
  const target = new GdbTarget(vm);
  vm.setDebug(target);
  let session: GdbSession | undefined;
  const listener = await listenTcp(host, port, (peer) => {
    const s = new GdbSession(
      target,
      (b) => peer.write(b),
      () => peer.close(),
    );
    session = s;
    return {
      data: (b) => s.receive(b),
      closed: () => {
        s.disconnected();
        if (session === s) session = undefined;
      },
    };
  });
  return {
    port: listener.port,
    end: (status) => session?.end(status),
    close: () => listener.close(),
  };
}
