// Where a QMP server listens, in QEMU's chardev spelling (`-qmp unix:PATH,server,wait=off`,
// `-qmp tcp:HOST:PORT,server`): parsed here so that the CLI and a library caller agree.

/** A QMP listening address; `wait`: accept the first client before the guest starts. */
export type QmpAddress =
  { kind: 'unix'; path: string; wait: boolean } | { kind: 'tcp'; host: string; port: number; wait: boolean };

/** A --qmp value that cannot be used; the message says what is wrong (without the option name). */
export class QmpAddressError extends Error {}

const onOff = (key: string, v: string | undefined): boolean => {
  if (v === undefined || v === 'on') return true;
  if (v === 'off') return false;
  throw new QmpAddressError(`${key}: '${v}' is not on or off`);
};

/**
 * Parse `unix:PATH[,server[=on]][,wait=on|off][,nowait]` or `tcp:[HOST]:PORT[,...]`. tsvirt is
 * always the server (server=off is refused); `wait` defaults to on, as for QEMU's server sockets.
 * An empty HOST is localhost.
 */
export function parseQmpAddress(text: string): QmpAddress {
  const [head, ...opts] = text.split(',');
  let wait = true;
  for (const o of opts) {
    const eq = o.indexOf('=');
    const key = eq < 0 ? o : o.slice(0, eq);
    const v = eq < 0 ? undefined : o.slice(eq + 1);
    if (key === 'server') {
      if (!onOff(key, v))
        throw new QmpAddressError('server=off: tsvirt only listens (it is always the server)');
    } else if (key === 'wait') wait = onOff(key, v);
    else if (key === 'nowait' && v === undefined) wait = false;
    else throw new QmpAddressError(`unknown option '${o}' (known: server, wait=on|off, nowait)`);
  }
  if (head.startsWith('unix:')) {
    const path = head.slice(5);
    if (path === '') throw new QmpAddressError(`'${text}': no socket path after unix:`);
    return { kind: 'unix', path, wait };
  }
  if (head.startsWith('tcp:')) {
    const rest = head.slice(4);
    const colon = rest.lastIndexOf(':');
    const hostText = colon < 0 ? '' : rest.slice(0, colon).replace(/^\[(.*)\]$/, '$1');
    const portText = rest.slice(colon + 1);
    if (!/^\d+$/.test(portText) || Number(portText) > 65535) {
      throw new QmpAddressError(`'${text}': '${portText}' is not a TCP port (0..65535)`);
    }
    return { kind: 'tcp', host: hostText === '' ? 'localhost' : hostText, port: Number(portText), wait };
  }
  throw new QmpAddressError(`'${text}' is not unix:PATH or tcp:HOST:PORT`);
}
