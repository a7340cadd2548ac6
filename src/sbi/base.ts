// SBI Base extension (EID 0x10, SBI v2.0 chapter 4).

import { err, ok, SBI_ERR_NOT_SUPPORTED, type Sbi, type SbiExtension } from './sbi.js';

export const EID_BASE = 0x10;
/** SBI specification version 2.0: major in bits 30:24, minor in 23:0. */
export const SBI_SPEC_VERSION = 2 << 24;
/** Implementation ID: not in the SBI spec's registry; chosen outside the assigned range. */
export const SBI_IMPL_ID_TSVIRT = 0x74737672; // "tsvr"
export const SBI_IMPL_VERSION = 1;

export function baseExtension(
  sbi: () => Sbi,
  ids: { mvendorid: number; marchid: number; mimpid: number },
): SbiExtension {
  return {
    eid: EID_BASE,
    name: 'base',
    probe: () => 1,
    call(c) {
      switch (c.fid) {
        case 0:
          return ok(SBI_SPEC_VERSION);
        case 1:
          return ok(SBI_IMPL_ID_TSVIRT);
        case 2:
          return ok(SBI_IMPL_VERSION);
        case 3:
          return ok(c.argHi(0) === 0 ? sbi().probe(c.argLo(0) >>> 0) : 0);
        case 4:
          return ok(ids.mvendorid);
        case 5:
          return ok(ids.marchid);
        case 6:
          return ok(ids.mimpid);
        default:
          return err(SBI_ERR_NOT_SUPPORTED);
      }
    },
  };
}
