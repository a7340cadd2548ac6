// The program that `bin/tsvirt` runs (bundled with everything it imports into dist/tsvirt.mjs).

import { main } from './main.js';

main(process.argv.slice(2)).then(
  (status) => process.exit(status),
  (err: unknown) => {
    process.stderr.write(
      `tsvirt: internal error: ${err instanceof Error && err.stack ? err.stack : String(err)}\n`,
    );
    process.exit(125);
  },
);
