// SBI RFENCE extension (EID 0x52464E43 "RFNC", SBI v2.0 chapter 8): remote FENCE.I and
// SFENCE.VMA. The hypervisor variants (FID 3-6) need the H extension and are not offered.

import {
  err,
  maskedHarts,
  ok,
  SBI_ERR_INVALID_PARAM,
  SBI_ERR_NOT_SUPPORTED,
  type SbiExtension,
  type SbiPlatform,
} from './sbi.js';

export const EID_RFENCE = 0x52464e43;

export function rfenceExtension(p: SbiPlatform): SbiExtension {
  return {
    eid: EID_RFENCE,
    name: 'rfence',
    probe: () => 1,
    call(c) {
      if (c.fid > 2) return err(SBI_ERR_NOT_SUPPORTED);
      const harts = maskedHarts(p, c, 0, 1);
      if (harts === undefined) return err(SBI_ERR_INVALID_PARAM);
      for (const h of harts) {
        if (c.fid === 0) h.fenceI();
        else h.remoteSfence();
      }
      return ok();
    },
  };
}
