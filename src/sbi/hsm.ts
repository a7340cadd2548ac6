// SBI Hart State Management extension (EID 0x48534D "HSM", SBI v2.0 chapter 9): start, stop,
// status and retentive suspend of harts.

import {
  err,
  ok,
  SBI_ERR_ALREADY_AVAILABLE,
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
          p.startHart(id, c.arg(1), c.argLo(2), c.argHi(2));
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
        case 3:
          if (c.argHi(0) !== 0 || c.argLo(0) !== SUSPEND_RETENTIVE) return err(SBI_ERR_NOT_SUPPORTED);
          c.hart.wfi();
          return ok();
        default:
          return err(SBI_ERR_NOT_SUPPORTED);
      }
    },
  };
}
