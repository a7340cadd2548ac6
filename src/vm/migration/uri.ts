// Migration URIs in QEMU's spelling (`migrate` and `-incoming`): tcp:HOST:PORT, exec:COMMAND and
// file:PATH, parsed in one place for QMP and the command line.

/** Where a migration stream goes or comes from. */
export type MigrationUri =
  | { kind: 'tcp'; host: string; port: number }
  | { kind: 'exec'; command: string }
  | { kind: 'file'; path: string };

/** A URI that cannot be used; the message says why (without the option or command name). */
export class MigrationUriError extends Error {}

/**
 * Parse `tcp:[HOST]:PORT` (HOST may be bracketed IPv6; empty means every interface for a listener
 * and localhost for a client, as QEMU), `exec:COMMAND` (run by /bin/sh; its stdin gets the stream)
 * or `file:PATH`.
 */
export function parseMigrationUri(text: string): MigrationUri {
  if (text.startsWith('tcp:')) {
    const rest = text.slice(4);
    const colon = rest.lastIndexOf(':');
    const host = colon < 0 ? '' : rest.slice(0, colon).replace(/^\[(.*)\]$/, '$1');
    const portText = colon < 0 ? rest : rest.slice(colon + 1);
    if (!/^\d+$/.test(portText) || Number(portText) > 65535)
      throw new MigrationUriError(`'${text}': '${portText}' is not a TCP port (0..65535)`);
    return { kind: 'tcp', host, port: Number(portText) };
  }
  if (text.startsWith('exec:')) {
    const command = text.slice(5);
    if (command.trim() === '') throw new MigrationUriError(`'${text}': no command after exec:`);
    return { kind: 'exec', command };
  }
  if (text.startsWith('file:')) {
    const path = text.slice(5);
    if (path === '') throw new MigrationUriError(`'${text}': no path after file:`);
    return { kind: 'file', path };
  }
  throw new MigrationUriError(`'${text}' is not tcp:HOST:PORT, exec:COMMAND or file:PATH`);
}
