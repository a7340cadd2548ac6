// The target description GDB reads with qXfer:features:read (GDB manual, "Target Descriptions",
// "RISC-V Features"): riscv:rv64 with the cpu, fpu, csr and virtual features, each register
// numbered as GDB numbers RISC-V registers, so that p/P and the description agree.

import { REG_CSR0, REG_F0, REG_PC, REG_PRIV } from './target.js';

const ABI = [
  'zero',
  'ra',
  'sp',
  'gp',
  'tp',
  't0',
  't1',
  't2',
  'fp',
  's1',
  'a0',
  'a1',
  'a2',
  'a3',
  'a4',
  'a5',
  'a6',
  'a7',
  's2',
  's3',
  's4',
  's5',
  's6',
  's7',
  's8',
  's9',
  's10',
  's11',
  't3',
  't4',
  't5',
  't6',
];

/** GDB's float register type for FLEN 64 (what its own riscv-64bit-fpu.xml describes). */
const FPU_UNION =
  '<union id="riscv_double"><field name="float" type="ieee_single"/>' +
  '<field name="double" type="ieee_double"/></union>';

/**
 * The description of an RV64 hart with F/D and the CSRs numbered `csrs` (named by `names`; those
 * without a name are left out). Register numbers: x0-x31 0-31, pc 32, f0-f31 33-64, CSR n at
 * 65 + n, priv at 65 + 4096.
 */
export function targetXml(csrs: readonly number[], names: ReadonlyMap<number, string>): string {
  const reg = (name: string, bits: number, num: number, type: string, group?: string): string =>
    `<reg name="${name}" bitsize="${bits}" regnum="${num}" type="${type}"${group === undefined ? '' : ` group="${group}"`}/>`;
  let x = '<?xml version="1.0"?>\n<!DOCTYPE target SYSTEM "gdb-target.dtd">\n<target version="1.0">\n';
  x += '<architecture>riscv:rv64</architecture>\n';
  x += '<feature name="org.gnu.gdb.riscv.cpu">\n';
  for (let k = 0; k < 32; k++) {
    const type = k === 1 ? 'code_ptr' : k === 2 || k === 8 ? 'data_ptr' : 'int';
    x += reg(ABI[k], 64, k, type) + '\n';
  }
  x += reg('pc', 64, REG_PC, 'code_ptr') + '\n</feature>\n';
  x += `<feature name="org.gnu.gdb.riscv.fpu">\n${FPU_UNION}\n`;
  for (let k = 0; k < 32; k++) x += reg(`f${k}`, 64, REG_F0 + k, 'riscv_double') + '\n';
  x += reg('fflags', 32, REG_CSR0 + 1, 'int', 'float') + '\n';
  x += reg('frm', 32, REG_CSR0 + 2, 'int', 'float') + '\n';
  x += reg('fcsr', 32, REG_CSR0 + 3, 'int', 'float') + '\n</feature>\n';
  x += '<feature name="org.gnu.gdb.riscv.csr">\n';
  for (const n of csrs) {
    const name = names.get(n);
    if (name !== undefined) x += reg(name, 64, REG_CSR0 + n, 'int', 'csr') + '\n';
  }
  x += '</feature>\n<feature name="org.gnu.gdb.riscv.virtual">\n';
  x += reg('priv', 64, REG_PRIV, 'int', 'general') + '\n</feature>\n</target>\n';
  return x;
}
