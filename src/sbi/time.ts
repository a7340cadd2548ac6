// SBI Timer extension (EID 0x54494D45 "TIME", SBI v2.0 chapter 6): program the next supervisor
// timer event. tsvirt keeps the deadline in the hart's stimecmp comparator, so STIP follows
// time >= deadline exactly as with Sstc.

import { err, ok, SBI_ERR_NOT_SUPPORTED, type SbiExtension } from './sbi.js';

export const EID_TIME = 0x54494d45;

export const timeExtension: SbiExtension = {
  eid: EID_TIME,
  name: 'time',
  probe: () => 1,
  call(c) {
    if (c.fid !== 0) return err(SBI_ERR_NOT_SUPPORTED);
    c.hart.setSupervisorTimer(c.argLo(0), c.argHi(0));
    return ok();
  },
};
