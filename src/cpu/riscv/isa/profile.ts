// The one list of ISA extensions tsvirt implements, and the profiles that select among them. The
// decoder, misa, the device tree (riscv,isa-base and riscv,isa-extensions, hence Linux's
// /proc/cpuinfo) and the firmware's view are all made from an IsaProfile; nothing else lists
// extensions. Names and profiles follow the RISC-V ISA manual and the RVA profiles specification.

import { RV64A } from './a.js';
import { C_INSNS } from './c.js';
import { D_INSNS } from './d.js';
import { F_INSNS } from './f.js';
import { H_INSNS } from './h.js';
import { RV64M } from './m.js';
import { RV64I } from './rv64i.js';
import { PRIV, SVINVAL, ZICSR } from './system.js';
import { ZAWRS } from './zawrs.js';
import { ZB_INSNS } from './zb.js';
import { ZFA_INSNS } from './zfa.js';
import { ZFH_INSNS } from './zfh.js';
import { ZICBOM, ZICBOZ } from './zicbo.js';
import { ZICOND } from './zicond.js';
import { ZIMOP } from './zimop.js';
import { Decoder } from '../decode.js';
import type { CInsnSpec, InsnSpec } from './types.js';

/** One extension: its name as the device tree spells it, and what it brings. */
export interface Extension {
  /** Lower case, as in riscv,isa-extensions (`i`, `zba`, `sstc`). */
  readonly name: string;
  /** One line for `--cpu help` and docs/cpu.md. */
  readonly summary: string;
  /** Extensions it needs: enabling it enables them, disabling one of them disables it. */
  readonly requires?: readonly string[];
  /** Cannot be turned off (the base ISA, and what the boards and firmware depend on). */
  readonly fixed?: boolean;
}

/**
 * Every extension implemented, in the canonical order of ISA strings (unprivileged ISA, chapter
 * "ISA Extension Naming Conventions", as Linux's Documentation/arch/riscv/uabi.rst reads it):
 * single letters in the order IMAFDQLCBKJTPVH; then the Z extensions grouped by the letter after
 * the Z in that same order (zi* before zb*), alphabetically within a group; then the S extensions,
 * alphabetically.
 */
export const EXTENSIONS: readonly Extension[] = [
  { name: 'i', summary: 'RV64I base integer ISA', fixed: true },
  { name: 'm', summary: 'integer multiplication and division' },
  { name: 'a', summary: 'atomic instructions (LR/SC, AMOs)' },
  { name: 'f', summary: 'single-precision floating point', requires: ['zicsr'] },
  { name: 'd', summary: 'double-precision floating point', requires: ['f'] },
  // Fixed: instruction alignment is 16 bits throughout (the fetch path and the translators).
  // Linux derives zca (and zcd with d) from c itself.
  { name: 'c', summary: 'compressed instructions', fixed: true },
  {
    name: 'h',
    summary: 'hypervisor: VS and VU modes, two-stage translation (off by default: in progress)',
    requires: ['zicsr'],
  },
  { name: 'zicbom', summary: 'cache-block management (cbo.clean, cbo.flush, cbo.inval)' },
  { name: 'zicbop', summary: 'cache-block prefetch hints (prefetch.i, prefetch.r, prefetch.w)' },
  { name: 'zicboz', summary: 'cache-block zero (cbo.zero)' },
  // Properties of main memory rather than instructions (the profiles specification names them):
  // every hart here has them whatever the profile says, and they only tell software so.
  { name: 'ziccamoa', summary: 'main memory supports every AMO (a property)' },
  { name: 'ziccif', summary: 'instruction fetches of main memory are atomic (a property)' },
  { name: 'zicclsm', summary: 'misaligned loads and stores to main memory work (a property)' },
  { name: 'ziccrse', summary: 'LR/SC to main memory eventually succeed (a property)' },
  { name: 'zicntr', summary: 'base counters (cycle, time, instret)', requires: ['zicsr'] },
  { name: 'zicond', summary: 'integer conditional operations (czero.eqz, czero.nez)' },
  { name: 'zicsr', summary: 'control and status register instructions', fixed: true },
  { name: 'zifencei', summary: 'instruction-fetch fence (FENCE.I)' },
  { name: 'zihintntl', summary: 'non-temporal locality hints (ntl.p1, ntl.all, c.ntl.*)' },
  { name: 'zihintpause', summary: 'pause hint (pause)' },
  {
    name: 'zihpm',
    summary: 'hardware performance counters (hpmcounter3..31; events 1, cycles, and 2, instructions)',
    requires: ['zicsr'],
  },
  { name: 'zimop', summary: 'may-be-operations (mop.r.n, mop.rr.n: write 0 to rd)' },
  { name: 'za64rs', summary: 'reservation sets of at most 64 bytes (a property)', requires: ['a'] },
  { name: 'zawrs', summary: 'wait on reservation set (wrs.nto, wrs.sto)', requires: ['a'] },
  {
    name: 'zfa',
    summary: 'additional floating point (fli, fminm, fround, fcvtmod.w.d, fleq, ...)',
    requires: ['f'],
  },
  { name: 'zfh', summary: 'half-precision floating point', requires: ['zfhmin'] },
  {
    name: 'zfhmin',
    summary: 'minimal half precision (flh, fsh, fmv.x.h, fmv.h.x, fcvt to and from h)',
    requires: ['f'],
  },
  {
    name: 'zcb',
    summary: 'more compressed instructions (c.lbu, c.sh, c.zext.b, c.mul, ...)',
    requires: ['c'],
  },
  { name: 'zcmop', summary: 'compressed may-be-operations (c.mop.n, no-ops)', requires: ['c'] },
  { name: 'zba', summary: 'address generation (sh1add, add.uw, ...)' },
  { name: 'zbb', summary: 'basic bit manipulation (clz, cpop, min, rev8, ...)' },
  { name: 'zbc', summary: 'carry-less multiplication (clmul, clmulh, clmulr)' },
  { name: 'zbkb', summary: 'bit manipulation for cryptography (pack, brev8, rotations, ...)' },
  { name: 'zbkx', summary: 'crossbar permutations (xperm4, xperm8)' },
  { name: 'zbs', summary: 'single-bit instructions (bset, bclr, binv, bext)' },
  // The integer instructions' timing does not depend on their operands' values here: the
  // translators emit the same code whatever the data (no data-dependent fast paths).
  { name: 'zkt', summary: 'data-independent execution latency of the listed instructions' },
  {
    name: 'sscofpmf',
    summary: 'counter overflow and mode filtering (mhpmevent.OF, scountovf, LCOFI)',
    requires: ['zihpm'],
  },
  { name: 'sstc', summary: 'supervisor timer compare (stimecmp)', requires: ['zicsr'] },
  { name: 'svade', summary: 'A/D bits kept by software: an access needing them page-faults' },
  { name: 'svadu', summary: 'hardware A/D bit updates, enabled by menvcfg.ADUE (else page faults)' },
  { name: 'svinval', summary: 'fine-grained address-translation cache invalidation (SINVAL.VMA)' },
  { name: 'svnapot', summary: 'NAPOT translation contiguity (64 KiB pages)' },
  { name: 'svpbmt', summary: 'page-based memory types (PBMT bits, menvcfg.PBMTE)' },
];

const BY_NAME = new Map(EXTENSIONS.map((e) => [e.name, e]));

/** The instructions of each extension (lower-case name); `priv` ones are always present. */
const INSNS: readonly InsnSpec[] = [
  ...RV64I,
  ...RV64M,
  ...RV64A,
  ...F_INSNS,
  ...D_INSNS,
  ...ZICSR,
  ...ZICBOM,
  ...ZICBOZ,
  ...ZICOND,
  ...ZFA_INSNS,
  ...ZFH_INSNS,
  ...ZIMOP,
  ...ZAWRS,
  ...ZB_INSNS,
  ...PRIV,
  ...SVINVAL,
  ...H_INSNS,
];

/** The named profiles: `--cpu NAME`. */
export const PROFILES: Readonly<
  Record<string, { readonly summary: string; readonly extensions: readonly string[] }>
> = {
  rv64gc: {
    summary: 'RV64GC with the counters and Sstc: the set of tsvirt 0.1',
    extensions: ['i', 'm', 'a', 'f', 'd', 'c', 'zicntr', 'zicsr', 'zifencei', 'sstc'],
  },
  // RVA22S64's mandatory extensions (RVA profiles specification 1.0): RVA22U64's, then the
  // supervisor ones that have names here. Ss1p12, Svbare, Sv39, Ssccptr, Sstvecd, Sstvala and
  // Sscounterenw hold on every tsvirt hart (docs/cpu.md) and are not listed in device trees.
  rva22s64: {
    summary: 'the RVA22S64 profile (RVA22U64 plus its supervisor extensions)',
    extensions: [
      'i',
      'm',
      'a',
      'f',
      'd',
      'c',
      'zicsr',
      'zicntr',
      'zihpm',
      'ziccif',
      'ziccrse',
      'ziccamoa',
      'zicclsm',
      'za64rs',
      'zihintpause',
      'zba',
      'zbb',
      'zbs',
      'zicbom',
      'zicbop',
      'zicboz',
      'zfhmin',
      'zkt',
      'zifencei',
      'svade',
      'svpbmt',
      'svinval',
    ],
  },
  // Svade is left out: with Svadu too, Linux takes Svade as the default and the hardware's
  // updates as something to ask firmware for; max wants the updates on from the start.
  max: {
    summary: 'everything tsvirt implements (the default)',
    extensions: EXTENSIONS.map((e) => e.name).filter((e) => e !== 'svade'),
  },
};

export const DEFAULT_CPU = 'max';

/** A bad --cpu value: the message says what is wrong and what is accepted. */
export class CpuSpecError extends Error {}

/** misa's Extensions field letters (privileged spec 3.1.1), and S and U, which every profile has. */
const MISA_LETTERS = 'imafdch';

/** A set of extensions, closed under `requires`. */
export class IsaProfile {
  private decoded: readonly InsnSpec[] | undefined;
  private decodedC: readonly CInsnSpec[] | undefined;
  private dec: Decoder | undefined;

  private constructor(
    /** The name it was selected by, with its changes (`max,zba=off`). */
    readonly name: string,
    readonly extensions: ReadonlySet<string>,
  ) {}

  /** The profile `name`'s extensions. */
  static named(name: string): IsaProfile {
    const p = PROFILES[name];
    if (p === undefined)
      throw new CpuSpecError(
        `--cpu: unknown CPU model '${name}' (choose from ${Object.keys(PROFILES).join(', ')})`,
      );
    return new IsaProfile(name, new Set(p.extensions));
  }

  /**
   * `NAME[,EXT=on|off]...`, in the style of QEMU's `-cpu rv64,zba=false` (true/false are
   * accepted too). Turning an extension on turns on what it requires; turning one off turns off
   * what requires it.
   */
  static parse(spec: string): IsaProfile {
    const [name, ...changes] = spec.split(',');
    const set = new Set(IsaProfile.named(name.trim()).extensions);
    for (const change of changes) {
      const m = /^\s*([a-z0-9]+)\s*=\s*(on|off|true|false)\s*$/i.exec(change);
      if (m === null) throw new CpuSpecError(`--cpu: '${change}' is not EXT=on or EXT=off`);
      const ext = m[1].toLowerCase();
      const on = /^(on|true)$/i.test(m[2]);
      const def = BY_NAME.get(ext);
      if (def === undefined)
        throw new CpuSpecError(
          `--cpu: unknown extension '${ext}' (known: ${EXTENSIONS.map((e) => e.name).join(', ')})`,
        );
      if (!on && def.fixed === true) throw new CpuSpecError(`--cpu: '${ext}' cannot be turned off`);
      if (on) {
        const add = (e: string): void => {
          set.add(e);
          for (const r of BY_NAME.get(e)?.requires ?? []) if (!set.has(r)) add(r);
        };
        add(ext);
      } else {
        const drop = (e: string): void => {
          set.delete(e);
          for (const d of EXTENSIONS) if (set.has(d.name) && d.requires?.includes(e) === true) drop(d.name);
        };
        drop(ext);
      }
    }
    return new IsaProfile(spec.replace(/\s+/g, ''), set);
  }

  has(ext: string): boolean {
    return this.extensions.has(ext);
  }

  /** The extensions in canonical order (as riscv,isa-extensions lists them). */
  get list(): string[] {
    return EXTENSIONS.filter((e) => this.extensions.has(e.name)).map((e) => e.name);
  }

  /** `rv64imafdc_zicntr_...`: the ISA string of the deprecated riscv,isa property. */
  get isaString(): string {
    const letters = this.list.filter((e) => e.length === 1).join('');
    const multi = this.list.filter((e) => e.length > 1);
    return ['rv64' + letters, ...multi].join('_');
  }

  /** misa's low word: the Extensions field (S and U always; MXL = 2 is in the high word). */
  get misaLo(): number {
    let v = (1 << ('s'.charCodeAt(0) - 97)) | (1 << ('u'.charCodeAt(0) - 97));
    for (const l of MISA_LETTERS) if (this.has(l)) v |= 1 << (l.charCodeAt(0) - 97);
    return v;
  }

  /** The instructions this profile decodes, in table order. */
  get insns(): readonly InsnSpec[] {
    this.decoded ??= INSNS.filter((s) => this.decodes(s));
    return this.decoded;
  }

  /** Whether `s` is in this profile: one of its extensions is on (ext, alsoIn), and all it needs. */
  decodes(s: InsnSpec): boolean {
    const on = (e: string): boolean => e === 'priv' || this.has(e.toLowerCase());
    return (on(s.ext) || s.alsoIn?.some(on) === true) && (s.needs?.every(on) ?? true);
  }

  /** The compressed instructions this profile decodes (isa/c.ts), in table order. */
  get cinsns(): readonly CInsnSpec[] {
    this.decodedC ??= C_INSNS.filter((s) => this.has(s.ext.toLowerCase()));
    return this.decodedC;
  }

  /**
   * The decoder of `insns` and `cinsns`, shared by every hart of this profile (its cache is per
   * profile).
   */
  get decoder(): Decoder {
    this.dec ??= new Decoder(this.insns, this.cinsns);
    return this.dec;
  }
}

/** `--cpu help`: the profiles with their extensions, then every extension with what it is. */
export function cpuHelp(): string {
  const lines = ['CPU models (--cpu NAME[,EXT=on|off]...):'];
  for (const [name, p] of Object.entries(PROFILES)) {
    lines.push(`  ${name.padEnd(10)} ${p.summary}`);
    lines.push(`  ${''.padEnd(10)} ${IsaProfile.named(name).isaString}`);
  }
  lines.push('', 'Extensions:');
  for (const e of EXTENSIONS) {
    const needs = e.requires === undefined ? '' : ` (needs ${e.requires.join(', ')})`;
    lines.push(`  ${e.name.padEnd(10)} ${e.summary}${needs}${e.fixed === true ? ' [always on]' : ''}`);
  }
  return lines.join('\n') + '\n';
}

const byName = new Map<string, IsaProfile>();
/** The profile `spec` (IsaProfile.parse), one object per spelling, so that machines share decoders. */
export function isaProfile(spec: string = DEFAULT_CPU): IsaProfile {
  let p = byName.get(spec);
  if (p === undefined) {
    p = IsaProfile.parse(spec);
    byName.set(spec, p);
  }
  return p;
}
