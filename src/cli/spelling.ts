// Options a user brings from other tools: QEMU's single-dash spellings (`-smp 2`, `-drive`,
// `-nographic`, `-s -S`) and plain typos get an error that names the tsvirt option to use, before
// the option parser would report a bare "unknown option" (or read `-smp` as `-s -m -p`).

/** What to write in tsvirt instead of each QEMU option (QEMU's names, without the dash). */
const QEMU_EQUIVALENTS: Record<string, string> = {
  M: 'use --machine virt (or spike)',
  machine: 'use --machine virt (or spike)',
  smp: 'use --smp N',
  cpu: 'use --cpu NAME (--cpu help lists the choices)',
  kernel: 'use --kernel FILE',
  initrd: 'use --initrd FILE',
  append: 'use --append "ARGS"',
  bios: 'use --bios FILE',
  memory: 'use -m SIZE or --memory SIZE',
  drive: 'use --disk file=IMG[,format=raw|qcow2][,readonly][,snapshot]',
  hda: 'use --disk file=IMG',
  hdb: 'use --disk file=IMG',
  blockdev: 'use --disk file=IMG[,format=raw|qcow2]',
  snapshot: 'use --disk file=IMG,snapshot',
  netdev:
    'use --net socket,listen=PATH | socket,connect=PATH | udp,local=[HOST:]PORT,remote=[HOST:]PORT | user[,hostfwd=tcp::HOSTPORT-:GUESTPORT]',
  nic: 'use --net socket,listen=PATH | socket,connect=PATH | udp,local=[HOST:]PORT,remote=[HOST:]PORT | user[,hostfwd=tcp::HOSTPORT-:GUESTPORT]',
  net: 'use --net socket,listen=PATH | socket,connect=PATH | udp,local=[HOST:]PORT,remote=[HOST:]PORT | user[,hostfwd=tcp::HOSTPORT-:GUESTPORT]',
  device:
    'tsvirt has no -device: --disk adds virtio-blk, --net virtio-net, --rng virtio-rng, ' +
    '--console virtio virtio-console',
  nographic: 'not needed: the console is always on stdin/stdout (Ctrl-A x quits)',
  serial: 'not needed: the serial console is on stdin/stdout (--console virtio for hvc0)',
  display: 'not needed: tsvirt has no display, the console is on stdin/stdout',
  monitor: 'tsvirt has no monitor: Ctrl-A x quits, Ctrl-A h lists the console keys',
  gdb: 'use --gdb tcp::PORT (or -s for tcp::1234)',
  'enable-kvm': 'tsvirt emulates in software: --jit on|js|off chooses how',
  accel: 'tsvirt emulates in software: --jit on|js|off chooses how',
  'no-reboot': 'not needed: tsvirt stops when the guest reboots (--reboot restarts it instead)',
};

/** What the scanner needs to know about an option of the table. */
export interface SpelledOption {
  readonly name: string;
  readonly short?: string;
  /** Whether the option takes a value (then the next argument is its value, not an option). */
  readonly takesValue: boolean;
}

/**
 * Check `argv` for options spelled as in QEMU or misspelled; returns an error message naming the
 * tsvirt equivalent or the nearest option, or undefined when every option is one of `options`.
 * Values of options that take one are skipped, so `--append -x` is not read as an option.
 * `--` ends the options.
 */
export function spellingProblem(
  argv: readonly string[],
  options: readonly SpelledOption[],
): string | undefined {
  const byName = new Map(options.map((o) => [o.name, o]));
  const byShort = new Map(options.filter((o) => o.short !== undefined).map((o) => [o.short, o]));
  for (let k = 0; k < argv.length; k++) {
    const arg = argv[k];
    if (arg === '--') return undefined;
    if (arg.startsWith('--')) {
      const name = arg.slice(2).split('=')[0];
      const o = byName.get(name);
      if (o !== undefined) {
        if (o.takesValue && !arg.includes('=')) k++;
        continue;
      }
      const qemu = QEMU_EQUIVALENTS[name];
      if (qemu !== undefined) return `unknown option '--${name}': ${qemu}`;
      return `unknown option '--${name}'${suggestion(name, [...byName.keys()], '--')}`;
    }
    if (arg.startsWith('-') && arg.length > 1) {
      const name = arg.slice(1).split('=')[0];
      const short = byShort.get(name);
      if (short !== undefined) {
        if (short.takesValue && !arg.includes('=')) k++;
        continue;
      }
      const qemu = QEMU_EQUIVALENTS[name];
      if (qemu !== undefined) return `'-${name}' is QEMU's spelling: ${qemu}`;
      if (byName.has(name)) return `unknown option '-${name}': tsvirt's options take two dashes (--${name})`;
      return `unknown option '-${name}'${suggestion(name, [...byName.keys()], '--')}`;
    }
    return `unexpected argument '${arg}' (options start with --; see tsvirt --help)`;
  }
  return undefined;
}

/** " (did you mean --memory?)" for the candidate nearest to `word`, or '' when none is near. */
export function suggestion(word: string, candidates: readonly string[], prefix = ''): string {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [c, d];
  }
  // A third of the word may be wrong (at least one letter): "memroy" -> memory, not "x" -> smp.
  const near = best !== undefined && bestDistance <= Math.max(1, Math.floor(word.length / 3));
  return near ? ` (did you mean ${prefix}${best}?)` : '';
}

/**
 * Optimal string alignment distance: insertions, deletions, substitutions and swaps of two
 * neighbouring letters each count 1 (a swap is the commonest typo).
 */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.length][b.length];
}
