// RV64A: load-reserved/store-conditional and atomic memory operations (unprivileged ISA, "A"
// chapter). The aq/rl bits (26:25) are free in the mask; every access here is sequentially
// consistent. The hart carries out the operation (amo.ts) because it needs the MMU and reservation.

import type { InsnSpec } from './types.js';

export const RV64A: InsnSpec[] = [
  { name: 'lr.w', match: 0x1000202f, mask: 0xf9f0707f, ext: 'A', format: 'AMO', exec: (h, i) => h.amo(i) },
  { name: 'sc.w', match: 0x1800202f, mask: 0xf800707f, ext: 'A', format: 'AMO', exec: (h, i) => h.amo(i) },
  { name: 'amoadd.w', match: 0x0000202f, mask: 0xf800707f, ext: 'A', format: 'AMO', exec: (h, i) => h.amo(i) },
  { name: 'amoswap.w', match: 0x0800202f, mask: 0xf800707f, ext: 'A', format: 'AMO', exec: (h, i) => h.amo(i) },
  { name: 'amoxor.w', match: 0x2000202f, mask: 0xf800707f, ext: 'A', format: 'AMO', exec: (h, i) => h.amo(i) },
  { name: 'amoor.w', match: 0x4000202f, mask: 0xf800707f, ext: 'A', format: 'AMO', exec: (h, i) => h.amo(i) },
  { name: 'amoand.w', match: 0x6000202f, mask: 0xf800707f, ext: 'A', format: 'AMO', exec: (h, i) => h.amo(i) },
  { name: 'amomin.w', match: 0x8000202f, mask: 0xf800707f, ext: 'A', format: 'AMO', exec: (h, i) => h.amo(i) },
  { name: 'amomax.w', match: 0xa000202f, mask: 0xf800707f, ext: 'A', format: 'AMO', exec: (h, i) => h.amo(i) },
  { name: 'amominu.w', match: 0xc000202f, mask: 0xf800707f, ext: 'A', format: 'AMO', exec: (h, i) => h.amo(i) },
  { name: 'amomaxu.w', match: 0xe000202f, mask: 0xf800707f, ext: 'A', format: 'AMO', exec: (h, i) => h.amo(i) },
  { name: 'lr.d', match: 0x1000302f, mask: 0xf9f0707f, ext: 'A', format: 'AMO', exec: (h, i) => h.amo(i) },
  { name: 'sc.d', match: 0x1800302f, mask: 0xf800707f, ext: 'A', format: 'AMO', exec: (h, i) => h.amo(i) },
  { name: 'amoadd.d', match: 0x0000302f, mask: 0xf800707f, ext: 'A', format: 'AMO', exec: (h, i) => h.amo(i) },
  { name: 'amoswap.d', match: 0x0800302f, mask: 0xf800707f, ext: 'A', format: 'AMO', exec: (h, i) => h.amo(i) },
  { name: 'amoxor.d', match: 0x2000302f, mask: 0xf800707f, ext: 'A', format: 'AMO', exec: (h, i) => h.amo(i) },
  { name: 'amoor.d', match: 0x4000302f, mask: 0xf800707f, ext: 'A', format: 'AMO', exec: (h, i) => h.amo(i) },
  { name: 'amoand.d', match: 0x6000302f, mask: 0xf800707f, ext: 'A', format: 'AMO', exec: (h, i) => h.amo(i) },
  { name: 'amomin.d', match: 0x8000302f, mask: 0xf800707f, ext: 'A', format: 'AMO', exec: (h, i) => h.amo(i) },
  { name: 'amomax.d', match: 0xa000302f, mask: 0xf800707f, ext: 'A', format: 'AMO', exec: (h, i) => h.amo(i) },
  { name: 'amominu.d', match: 0xc000302f, mask: 0xf800707f, ext: 'A', format: 'AMO', exec: (h, i) => h.amo(i) },
  { name: 'amomaxu.d', match: 0xe000302f, mask: 0xf800707f, ext: 'A', format: 'AMO', exec: (h, i) => h.amo(i) },
];
