// SBI Hart State Management extension (EID 0x48534D "HSM", SBI v2.0 chapter 9): start, stop,
// status and retentive suspend of harts.

import {
  err,
  ok,
  SBI_ERR_ALREADY_AVAILABLE,
  SBI_ERR_INVALID_ADDRESS,
  SBI_ERR_INVALID_PARAM,
  SBI_ERR_NOT_SUPPORTED,
  type SbiExtension,
  type SbiPlatform,
} from './sbi.js';

export const EID_HSM = 0x48534d;
export const HSM_STARTED = 0;
export const HSM_STOPPED = 1;
/** hart_suspend type 0: default retentive suspend, which behaves as WFI. */
const SUSPEND_RETENTIVE = 0;
/** hart_suspend type 0x8000_0000: default non-retentive suspend (resumes at resume_addr). */
const SUSPEND_NON_RETENTIVE = 0x8000_0000;

export function hsmExtension(p: SbiPlatform): SbiExtension {
  return {
    eid: EID_HSM,
    name: 'hsm',
    probe: () => 1,
    call(c) {
      switch (c.fid) {
        case 0: {
          // hart_start(hartid, start_addr, opaque)
          const id = c.argHi(0) === 0 ? c.argLo(0) >>> 0 : -1;
          const h = p.harts[id];
          if (h === undefined) return err(SBI_ERR_INVALID_PARAM);
          if (h.running) return err(SBI_ERR_ALREADY_AVAILABLE);
          // start_addr must be memory the hart can execute from (9.1: SBI_ERR_INVALID_ADDRESS).
          const startAddr = c.arg(1);
          if (p.physSlice(startAddr, 2) === undefined) return err(SBI_ERR_INVALID_ADDRESS);
          p.startHart(id, startAddr, c.argLo(2), c.argHi(2));
          return ok();
        }
        case 1:
          p.stopHart(c.hart.hartId);
          return ok();
        case 2: {
          const id = c.argHi(0) === 0 ? c.argLo(0) >>> 0 : -1;
          const h = p.harts[id];
          if (h === undefined) return err(SBI_ERR_INVALID_PARAM);
          return ok(h.running ? HSM_STARTED : HSM_STOPPED);
        }
        case 3: {
          // suspend_type is 32 bits (9.4): reserved and unimplemented platform-specific types
          // are SBI_ERR_INVALID_PARAM; default non-retentive suspend is defined but not offered.
          const type = c.argLo(0) >>> 0;
          if (type === SUSPEND_RETENTIVE) {
            c.hart.wfi();
            return ok();
          }
          return err(type === SUSPEND_NON_RETENTIVE ? SBI_ERR_NOT_SUPPORTED : SBI_ERR_INVALID_PARAM);
        }
        default:
          return err(SBI_ERR_NOT_SUPPORTED);
      }
    },
  };
}
