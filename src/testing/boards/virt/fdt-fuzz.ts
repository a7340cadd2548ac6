// Fuzzing of the device trees tsvirt writes (Devicetree Specification v0.4 chapter 5): the virt
// board's buildVirtFdt fed with hostile boot arguments (any UTF-16, NUL, huge), hart counts, RAM
// sizes and initrd ranges, and the generic encoder (machine/fdt.ts) fed with random trees, names
// and values. The properties: the builder either throws an FdtError or returns a blob that
// machine/fdt-decode.ts decodes to exactly the inputs (bootargs byte for byte, memory, initrd,
// harts, every node and property in order) and that encodes back to the same bytes; valid inputs
// are never refused; and, when a checker is given (tools/fuzz-fdt.mjs runs dtc), it accepts the
// blob. Used by the unit test (a fixed slice) and tools/fuzz-fdt.mjs (long campaigns).

import { Prng } from '../../../core/prng.js';
import { FdtError, FdtNode, encodeFdt, FDT_HEADER } from '../../../machine/fdt.js';
import { decodeFdt, findNode, readU32s, readU64s, type FdtDecodedNode } from '../../../machine/fdt-decode.js';
import { buildVirtFdt } from '../../../boards/virt/fdt.js';
import { VIRT_MAP } from '../../../boards/virt/memory-map.js';
import { isaProfile } from '../../../cpu/riscv/isa/profile.js';

export interface FdtFuzzReport {
  cases: number;
  /** buildVirtFdt cases that produced a blob, and that threw an FdtError. */
  virtBuilt: number;
  virtRefused: number;
  /** Random trees through encodeFdt that produced a blob, and that threw an FdtError. */
  treesBuilt: number;
  treesRefused: number;
  /** Virt blobs handed to the external checker (which may look at only some of them). */
  offeredToChecker: number;
  failures: { seed: number; message: string }[];
}

export function emptyFdtReport(): FdtFuzzReport {
  return {
    cases: 0,
    virtBuilt: 0,
    virtRefused: 0,
    treesBuilt: 0,
    treesRefused: 0,
    offeredToChecker: 0,
    failures: [],
  };
}

const utf8 = new TextEncoder();

/** Hostile text: quotes, escapes, controls, non-ASCII, lone surrogates, sometimes NUL, sometimes long. */
function text(r: Prng, maxChars: number): string {
  const pieces = [
    'console=ttyS0',
    ' ',
    '"',
    "'",
    '\\',
    '\n',
    '\x7f',
    '\x01',
    'é',
    '日本',
    '\u{1f600}',
    '\ud800', // lone high surrogate (TextEncoder writes U+FFFD)
    '\udc00',
    '\ufeff',
    'root=/dev/vda',
    '=',
    ';',
    '%s%n',
  ];
  let s = '';
  const n = r.below(maxChars + 1);
  while (s.length < n) s += r.chance(0.5) ? r.pick(pieces) : String.fromCharCode(32 + r.below(95));
  if (r.chance(0.03)) s += '\0';
  return s;
}

/** A number that is a valid u64 for the encoder (a safe integer >= 0), or a hostile one. */
function u64ish(r: Prng, valid: () => number): number {
  if (r.chance(0.9)) return valid();
  return r.pick([-1, -4096, 0.5, 2 ** 53, 2 ** 53 + 2, Number.MAX_VALUE, Infinity, NaN]);
}

const safeU64 = (v: number): boolean => Number.isSafeInteger(v) && v >= 0;

function checkVirt(
  r: Prng,
  check: ((blob: Uint8Array) => string | undefined) | undefined,
  report: FdtFuzzReport,
  fail: (m: string) => void,
): void {
  const harts = r.chance(0.9) ? 1 + r.below(32) : r.pick([0, -1, 33, 64, 100]);
  const ramBytes = u64ish(r, () => (1 + r.below(1 << 20)) * 4096);
  const bootargs = text(r, r.chance(0.05) ? 100_000 : 300);
  const initrd = r.chance(0.5)
    ? { start: u64ish(r, () => VIRT_MAP.ram.base + r.below(1 << 30)), end: 0 }
    : undefined;
  if (initrd !== undefined) initrd.end = u64ish(r, () => initrd.start + r.below(1 << 26));
  const valid =
    harts >= 1 &&
    safeU64(ramBytes) &&
    !bootargs.includes('\0') &&
    (initrd === undefined || (safeU64(initrd.start) && safeU64(initrd.end)));
  let blob: Uint8Array;
  try {
    blob = buildVirtFdt({
      harts,
      ramBytes,
      bootargs,
      initrd,
      isa: isaProfile(),
      mmuType: 'riscv,sv48',
    });
  } catch (e) {
    if (!(e instanceof FdtError)) return fail(`buildVirtFdt threw ${String(e)}`);
    if (valid)
      return fail(`buildVirtFdt refused valid input (harts ${harts}, RAM ${ramBytes}): ${e.message}`);
    report.virtRefused++;
    return;
  }
  report.virtBuilt++;
  if (!valid)
    return fail(
      `buildVirtFdt accepted invalid input (harts ${harts}, RAM ${ramBytes}, initrd ${JSON.stringify(initrd)})`,
    );
  const d = roundTrip(blob, fail);
  if (d === undefined) return;
  const chosen = findNode(d, '/chosen');
  const want = Uint8Array.from([...utf8.encode(bootargs), 0]);
  if (!equalBytes(chosen?.props.get('bootargs'), want)) return fail('bootargs did not survive byte for byte');
  const reg = findNode(d, `/memory@${VIRT_MAP.ram.base.toString(16)}`)?.props.get('reg');
  if (reg === undefined || readU64s(reg).join() !== [BigInt(VIRT_MAP.ram.base), BigInt(ramBytes)].join())
    return fail(`memory reg is not [base, ${ramBytes}]`);
  const start = chosen?.props.get('linux,initrd-start');
  const end = chosen?.props.get('linux,initrd-end');
  if (
    initrd === undefined ? start !== undefined || end !== undefined : start === undefined || end === undefined
  )
    return fail('initrd properties do not match the input');
  if (
    initrd !== undefined &&
    (readU64s(start!)[0] !== BigInt(initrd.start) || readU64s(end!)[0] !== BigInt(initrd.end))
  )
    return fail('initrd range did not survive');
  const cpus = findNode(d, '/cpus')?.children.filter((c) => c.name.startsWith('cpu@')) ?? [];
  if (cpus.length !== harts) return fail(`${cpus.length} cpu nodes for ${harts} harts`);
  if (cpus.some((c, h) => c.name !== `cpu@${h}` || readU32s(c.props.get('reg')!)[0] !== h))
    return fail('cpu nodes are not cpu@0..n-1 with reg = hart id');
  if (check !== undefined) {
    report.offeredToChecker++;
    const complaint = check(blob);
    if (complaint !== undefined) fail(`the checker refused the blob: ${complaint}`);
  }
}

/** Decodes `blob`, encodes the decoded tree again, and compares: the blob must come back unchanged. */
function roundTrip(blob: Uint8Array, fail: (m: string) => void): FdtDecodedNode | undefined {
  let d;
  try {
    d = decodeFdt(blob);
  } catch (e) {
    fail(`the blob does not decode: ${String(e)}`);
    return undefined;
  }
  const dv = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  const used =
    dv.getUint32(FDT_HEADER.off_dt_strings, false) + dv.getUint32(FDT_HEADER.size_dt_strings, false);
  const again = encodeFdt(toNode(d.root), {
    bootCpuId: d.bootCpuId,
    memReserve: d.memReserve,
    padBytes: dv.getUint32(FDT_HEADER.totalsize, false) - used,
  });
  if (!equalBytes(again, blob)) {
    fail('decoding and encoding again changed the blob');
    return undefined;
  }
  return d.root;
}

function toNode(d: FdtDecodedNode, into = new FdtNode('')): FdtNode {
  for (const [name, value] of d.props) into.prop(name, value);
  for (const c of d.children) toNode(c, into.addNode(c.name));
  return into;
}

function equalBytes(a: Uint8Array | undefined, b: Uint8Array): boolean {
  return a !== undefined && a.length === b.length && a.every((x, i) => x === b[i]);
}

const NODE_NAMES = ['cpu@0', 'memory@80000000', 'soc', 'a', 'x,y-z_1.2+3', 'N@1,2', 'chosen'];
const BAD_NODE_NAMES = ['', '0abc', 'a b', 'a/b', 'a@', 'x'.repeat(32), 'é', 'a@b@c', 'a\0b'];
const PROP_NAMES = ['reg', 'compatible', '#address-cells', 'linux,initrd-start', 'a?', 'status', 'x_y.z+w'];
const BAD_PROP_NAMES = ['', 'a b', 'é', 'p'.repeat(32), 'a/b', 'a\0', 'a@b'];

interface TreeSpec {
  name: string;
  props: [string, Uint8Array][];
  children: TreeSpec[];
}

function randomTree(r: Prng, depth: number, name: string): TreeSpec {
  const props: [string, Uint8Array][] = [];
  const seen = new Set<string>();
  for (let k = r.below(5); k > 0; k--) {
    const p = r.chance(0.98) ? r.pick(PROP_NAMES) + (r.chance(0.5) ? String(k) : '') : r.pick(BAD_PROP_NAMES);
    if (seen.has(p) && r.chance(0.98)) continue;
    seen.add(p);
    const value = r.chance(0.5)
      ? utf8.encode(text(r, 40) + '\0')
      : Uint8Array.from({ length: r.below(40) }, () => r.below(256));
    props.push([p, value]);
  }
  const children: TreeSpec[] = [];
  const names = new Set<string>();
  for (let k = depth > 0 ? r.below(4) : 0; k > 0; k--) {
    const n = r.chance(0.98) ? r.pick(NODE_NAMES) + (r.chance(0.7) ? String(k) : '') : r.pick(BAD_NODE_NAMES);
    if (names.has(n) && r.chance(0.98)) continue;
    names.add(n);
    children.push(randomTree(r, depth - 1, n));
  }
  return { name, props, children };
}

function checkTree(r: Prng, report: FdtFuzzReport, fail: (m: string) => void): void {
  const spec = randomTree(r, 4, '');
  const memReserve = Array.from({ length: r.below(3) }, () => ({
    addr: r.chance(0.9) ? BigInt(r.below(2 ** 31)) * 4096n : r.pick([-1n, 1n << 64n, (1n << 64n) - 1n]),
    size: r.chance(0.9) ? BigInt(1 + r.below(1 << 20)) : r.pick([0n, 1n << 64n]),
  }));
  let blob: Uint8Array;
  try {
    const build = (s: TreeSpec, node: FdtNode): void => {
      for (const [n, v] of s.props) node.prop(n, v);
      for (const c of s.children) build(c, node.addNode(c.name));
    };
    const root = new FdtNode('');
    build(spec, root);
    blob = encodeFdt(root, { bootCpuId: r.below(4), memReserve, padBytes: r.below(3) * 64 });
  } catch (e) {
    if (!(e instanceof FdtError)) return fail(`the encoder threw ${String(e)}`);
    report.treesRefused++;
    return;
  }
  report.treesBuilt++;
  const d = roundTrip(blob, fail);
  if (d === undefined) return;
  const same = (s: TreeSpec, n: FdtDecodedNode): boolean =>
    s.name === n.name &&
    s.props.length === n.props.size &&
    s.props.every(([k, v], i) => [...n.props.keys()][i] === k && equalBytes(n.props.get(k), v)) &&
    s.children.length === n.children.length &&
    s.children.every((c, i) => same(c, n.children[i]));
  if (!same(spec, d)) fail('the decoded tree differs from the tree encoded');
}

/**
 * Runs cases seed, seed+1, ...; `check` (optional) returns a complaint about a virt blob, or
 * undefined when it accepts it.
 */
export function runFdtFuzz(
  seed: number,
  cases: number,
  check?: (blob: Uint8Array) => string | undefined,
  report = emptyFdtReport(),
): FdtFuzzReport {
  for (let c = 0; c < cases; c++) {
    const caseSeed = seed + c;
    const r = new Prng(caseSeed);
    const fail = (message: string): void => {
      if (report.failures.length < 100) report.failures.push({ seed: caseSeed, message });
    };
    report.cases++;
    try {
      if (r.chance(0.5)) checkVirt(r, check, report, fail);
      else checkTree(r, report, fail);
    } catch (e) {
      fail(`the checks threw ${String(e)}`);
    }
  }
  return report;
}
