// SBI RFENCE extension (EID 0x52464E43 "RFNC", SBI v2.0 chapter 8): remote FENCE.I and
// SFENCE.VMA, and with the H extension remote HFENCE.GVMA and HFENCE.VVMA (FID 3-6).

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
      if (c.fid > 6) return err(SBI_ERR_NOT_SUPPORTED);
      const harts = maskedHarts(p, c, 0, 1);
      if (harts === undefined) return err(SBI_ERR_INVALID_PARAM);
      // The hypervisor fences are "not supported" when a target hart lacks H.
      if (c.fid >= 3 && harts.some((h) => !h.hasH)) return err(SBI_ERR_NOT_SUPPORTED);
      for (const h of harts) {
        if (c.fid === 0) h.fenceI();
        else if (c.fid <= 2) h.remoteSfence();
        // GVMA (3, 4) and VVMA (5, 6), for an address range, a VMID or an ASID: every V = 1
        // translation the hart caches goes, which is more than asked and never less.
        else h.remoteHfence();
      }
      return ok();
    },
  };
}
