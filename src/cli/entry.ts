// The program that `bin/tsvirt` runs (bundled with everything it imports into dist/tsvirt.mjs).

import { setFlagsFromString } from 'node:v8';
import { main } from './main.js';

// V8 runs a translated block as Liftoff compiled it until the block has run about this many
// bytes of its code, then recompiles it with TurboFan on a worker thread. Blocks are translated
// only once hot (jit/wasm/engine.ts), so V8's default (1.8 M) left them in slower code for
// longer than needed: at 200 k a Debian boot took 0.97x-0.98x the emulation thread's time, and
// 0.99x in wall time (4 alternating boots, each faster). Set before any module is compiled; a
// V8 without the flag reports it and goes on.
setFlagsFromString('--wasm-tiering-budget=200000');

main(process.argv.slice(2)).then(
  (status) => process.exit(status),
  (err: unknown) => {
    process.stderr.write(
      `tsvirt: internal error: ${err instanceof Error && err.stack ? err.stack : String(err)}\n`,
    );
    process.exit(125);
  },
);
