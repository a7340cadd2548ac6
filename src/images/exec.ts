// Running the host tools the image builder relies on (apt-get, apt-cache, dpkg-deb, xz), with their
// progress on our stderr and errors that name the tool.

import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

export class ToolError extends Error {}

/** Find an executable on $PATH (like `command -v`); undefined when absent. */
export function which(name: string, path = process.env.PATH ?? ''): string | undefined {
  for (const dir of path.split(delimiter)) {
    if (dir === '') continue;
    const p = join(dir, name);
    try {
      accessSync(p, constants.X_OK);
      return p;
    } catch {
      // not here
    }
  }
  return undefined;
}

export interface RunOptions {
  /** Collect stdout and return it; otherwise the tool's stdout goes to our stderr (progress). */
  captureStdout?: boolean;
  /** Bytes to write on the tool's stdin. */
  stdin?: Uint8Array;
  cwd?: string;
  /** Silence stderr (for probes whose failure is handled by the caller). */
  quiet?: boolean;
}

/**
 * Run `cmd args…` and wait. Stdout is captured or sent to our stderr, so that stdout stays free for
 * `--print-paths`; stderr is inherited. Throws a ToolError naming the command when it cannot be
 * started or exits non-zero.
 */
export function run(cmd: string, args: readonly string[], opts: RunOptions = {}): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      cwd: opts.cwd,
      stdio: [
        opts.stdin === undefined ? 'ignore' : 'pipe',
        opts.captureStdout === true ? 'pipe' : 2,
        opts.quiet === true ? 'ignore' : 'inherit',
      ],
    });
    const chunks: Buffer[] = [];
    child.stdout?.on('data', (b: Buffer) => chunks.push(b));
    if (opts.stdin !== undefined) child.stdin?.end(opts.stdin);
    child.on('error', (e: NodeJS.ErrnoException) => {
      reject(new ToolError(`cannot run ${cmd}: ${e.code === 'ENOENT' ? 'not installed' : e.message}`));
    });
    child.on('close', (code, signal) => {
      if (code === 0) resolve(Buffer.concat(chunks));
      else {
        const how = signal !== null ? `was killed by ${signal}` : `exited with status ${code}`;
        reject(new ToolError(`${cmd} ${how} (command: ${[cmd, ...args].join(' ')})`));
      }
    });
  });
}
