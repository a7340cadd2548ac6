// SBI IPI extension (EID 0x735049 "sPI", SBI v2.0 chapter 7): a supervisor software interrupt
// (SSIP) on each hart of the mask.

import { MIP_SSIP } from '../cpu/riscv/csr-defs.js';
import {
  err,
  maskedHarts,
  ok,
  SBI_ERR_INVALID_PARAM,
  SBI_ERR_NOT_SUPPORTED,
  type SbiExtension,
  type SbiPlatform,
} from './sbi.js';

export const EID_IPI = 0x735049;

export function ipiExtension(p: SbiPlatform): SbiExtension {
  return {
    eid: EID_IPI,
    name: 'ipi',
    probe: () => 1,
    call(c) {
      if (c.fid !== 0) return err(SBI_ERR_NOT_SUPPORTED);
      const harts = maskedHarts(p, c, 0, 1);
      if (harts === undefined) return err(SBI_ERR_INVALID_PARAM);
      for (const h of harts) h.mip |= MIP_SSIP;
      return ok();
    },
  };
}
