// SBI Debug Console extension (EID 0x4442434E "DBCN", SBI v2.0 chapter 12): console output from
// guest-physical memory, and single bytes. Input is owned by the UART, so console_read returns 0.

import {
  err,
  ok,
  SBI_ERR_INVALID_PARAM,
  SBI_ERR_NOT_SUPPORTED,
  type SbiExtension,
  type SbiPlatform,
} from './sbi.js';

export const EID_DBCN = 0x4442434e;

/** Longest single console_write honoured at once; longer requests write a prefix (allowed). */
const MAX_WRITE_BYTES = 4096;

export function dbcnExtension(p: SbiPlatform): SbiExtension {
  return {
    eid: EID_DBCN,
    name: 'dbcn',
    probe: () => 1,
    call(c) {
      switch (c.fid) {
        case 0: {
          const n = Math.min(c.arg(0), MAX_WRITE_BYTES);
          const data = c.arg(2) === 0 ? p.physSlice(c.arg(1), n) : undefined;
          if (data === undefined) return err(SBI_ERR_INVALID_PARAM);
          p.consoleWrite(data.slice());
          return ok(n);
        }
        case 1: {
          // base_addr_hi (a2) holds address bits above XLEN: it must be 0 on RV64. The buffer is
          // checked as console_write checks its own, though nothing is ever read into it.
          if (c.arg(2) !== 0 || p.physSlice(c.arg(1), Math.min(c.arg(0), MAX_WRITE_BYTES)) === undefined) {
            return err(SBI_ERR_INVALID_PARAM);
          }
          return ok(0);
        }
        case 2:
          p.consoleWrite(Uint8Array.of(c.argLo(0) & 0xff));
          return ok();
        default:
          return err(SBI_ERR_NOT_SUPPORTED);
      }
    },
  };
}
