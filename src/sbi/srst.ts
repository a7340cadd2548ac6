// SBI System Reset extension (EID 0x53525354 "SRST", SBI v2.0 chapter 10).

import {
  err,
  ok,
  SBI_ERR_INVALID_PARAM,
  SBI_ERR_NOT_SUPPORTED,
  type SbiExtension,
  type SbiPlatform,
} from './sbi.js';

export const EID_SRST = 0x53525354;

export function srstExtension(p: SbiPlatform): SbiExtension {
  return {
    eid: EID_SRST,
    name: 'srst',
    probe: () => 1,
    call(c) {
      if (c.fid !== 0) return err(SBI_ERR_NOT_SUPPORTED);
      const type = c.argHi(0) === 0 ? c.argLo(0) >>> 0 : -1;
      const reason = c.argHi(1) === 0 ? c.argLo(1) >>> 0 : -1;
      if (type > 2 || type < 0) return err(SBI_ERR_INVALID_PARAM);
      if (reason < 0 || reason > 1) return err(SBI_ERR_INVALID_PARAM);
      p.reset(type, reason);
      return ok();
    },
  };
}
