// Flattened devicetree (DTB) decoder for blobs we did not write (a user's --dtb, tests of boards):
// Devicetree Specification v0.4 chapter 5. Every offset and length is checked before it is read, so
// a malformed blob ends in an FdtError naming the fault, never in an out-of-bounds read.

import {
  FDT_BEGIN_NODE,
  FDT_END,
  FDT_END_NODE,
  FDT_HEADER,
  FDT_HEADER_SIZE_BYTES,
  FDT_MAGIC,
  FDT_NOP,
  FDT_PROP,
  FDT_RESERVE_ENTRY_SIZE_BYTES,
  FDT_RSVMAP_ALIGN_BYTES,
  FDT_TOKEN_ALIGN_BYTES,
  FDT_VERSION,
  FdtError,
  type FdtReserveEntry,
} from './fdt.js';

/** A decoded node. Names are as stored ('' for the root); property values are copies. */
export interface FdtDecodedNode {
  name: string;
  props: Map<string, Uint8Array>;
  children: FdtDecodedNode[];
}

/** A decoded blob: the tree plus the header and memory reservation block it travelled with. */
export interface FdtDecoded {
  root: FdtDecodedNode;
  /** Header `boot_cpuid_phys` (§5.2). */
  bootCpuId: number;
  /** Memory reservation entries without the terminator (§5.3). */
  memReserve: FdtReserveEntry[];
  /** Header `version` (16 or later). */
  version: number;
}

/** Oldest `version` whose layout this decoder knows; v16 lacks only `size_dt_struct` (§5.2). */
const OLDEST_VERSION = 16;
/** Size of the version-16 header: the v17 header less `size_dt_struct`. */
const V16_HEADER_SIZE_BYTES = 36;

const align = (n: number, to: number): number => Math.ceil(n / to) * to;

/**
 * Decodes a DTB of version 16 or later whose `last_comp_version` is at most 17. `bytes` may extend
 * past the header's totalsize; nothing beyond it is read. Checks the structure (§5.4.2: properties
 * before subnodes, balanced nodes, FDT_END last) and that sibling and property names are unique and
 * printable ASCII, but not the §2.2 naming rules, which real blobs sometimes bend.
 */
export function decodeFdt(bytes: Uint8Array): FdtDecoded {
  const fail = (why: string): FdtError => new FdtError(`malformed DTB: ${why}`);
  if (bytes.length < FDT_HEADER_SIZE_BYTES)
    throw fail(`${bytes.length} bytes is shorter than the ${FDT_HEADER_SIZE_BYTES}-byte header`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const header = (field: keyof typeof FDT_HEADER): number => dv.getUint32(FDT_HEADER[field], false);

  const magic = header('magic');
  if (magic !== FDT_MAGIC) throw fail(`bad magic 0x${magic.toString(16)} (expected 0xd00dfeed)`);
  const version = header('version');
  const lastComp = header('last_comp_version');
  if (version < OLDEST_VERSION) throw fail(`version ${version} is older than ${OLDEST_VERSION}`);
  if (lastComp > FDT_VERSION) throw fail(`last_comp_version ${lastComp} is newer than ${FDT_VERSION}`);
  const headerSize = version >= 17 ? FDT_HEADER_SIZE_BYTES : V16_HEADER_SIZE_BYTES;

  const totalSize = header('totalsize');
  if (totalSize > bytes.length) throw fail(`totalsize ${totalSize} exceeds the ${bytes.length} bytes given`);
  if (totalSize < headerSize) throw fail(`totalsize ${totalSize} is smaller than the header`);

  // Block bounds; u32 sums stay exact in a double, so these checks cannot overflow.
  const offRsvmap = header('off_mem_rsvmap');
  const offStruct = header('off_dt_struct');
  const offStrings = header('off_dt_strings');
  const sizeStrings = header('size_dt_strings');
  const structEnd = version >= 17 ? offStruct + header('size_dt_struct') : totalSize;
  const stringsEnd = offStrings + sizeStrings;
  if (offRsvmap < headerSize || offRsvmap % FDT_RSVMAP_ALIGN_BYTES !== 0)
    throw fail(`off_mem_rsvmap ${offRsvmap} is inside the header or not 8-byte aligned`);
  if (offStruct < headerSize || offStruct % FDT_TOKEN_ALIGN_BYTES !== 0)
    throw fail(`off_dt_struct ${offStruct} is inside the header or not 4-byte aligned`);
  if (structEnd > totalSize) throw fail(`the structure block ends at ${structEnd}, past totalsize`);
  if (offStrings < headerSize || stringsEnd > totalSize)
    throw fail(`the strings block [${offStrings}, ${stringsEnd}) lies outside [header, totalsize)`);

  // Memory reservation block (§5.3.2): entries until one with address and size both zero.
  const memReserve: FdtReserveEntry[] = [];
  for (let at = offRsvmap; ; at += FDT_RESERVE_ENTRY_SIZE_BYTES) {
    if (at + FDT_RESERVE_ENTRY_SIZE_BYTES > totalSize)
      throw fail('the memory reservation block has no terminating entry before totalsize');
    const addr = dv.getBigUint64(at, false);
    const size = dv.getBigUint64(at + 8, false);
    if (addr === 0n && size === 0n) break;
    memReserve.push({ addr, size });
  }

  // A NUL-terminated printable-ASCII string in [from, end); returns it and the offset past the NUL.
  const cString = (from: number, end: number, what: string): [string, number] => {
    let s = '';
    for (let i = from; i < end; i++) {
      const c = bytes[i] as number;
      if (c === 0) return [s, i + 1];
      if (c < 0x20 || c > 0x7e) throw fail(`${what} at offset ${from} has byte 0x${c.toString(16)}`);
      s += String.fromCharCode(c);
    }
    throw fail(`${what} at offset ${from} runs past its block without a NUL`);
  };

  // Structure block (§5.4), walked with an explicit stack so that depth cannot overflow ours.
  const stack: { node: FdtDecodedNode; names: Set<string> }[] = [];
  let root: FdtDecodedNode | undefined;
  let at = offStruct;
  const word = (): number => {
    if (at + 4 > structEnd) throw fail(`the structure block ends at ${structEnd} inside a token`);
    const w = dv.getUint32(at, false);
    at += 4;
    return w;
  };
  for (;;) {
    const tokenAt = at;
    const token = word();
    const top = stack[stack.length - 1];
    if (token === FDT_NOP) continue;
    if (token === FDT_END) {
      if (root === undefined || top !== undefined)
        throw fail(`FDT_END at offset ${tokenAt} before the root node is closed`);
      break;
    }
    if (root !== undefined && top === undefined)
      throw fail(`token 0x${token.toString(16)} at offset ${tokenAt} follows the root node`);
    if (token === FDT_BEGIN_NODE) {
      const [name, next] = cString(at, structEnd, 'node name');
      at = align(next, FDT_TOKEN_ALIGN_BYTES);
      const node: FdtDecodedNode = { name, props: new Map(), children: [] };
      if (top === undefined) {
        root = node;
      } else {
        if (name === '' || name.includes('/')) throw fail(`node name '${name}' at offset ${tokenAt}`);
        if (top.names.has(name)) throw fail(`node '${top.node.name}' has two children named '${name}'`);
        top.names.add(name);
        top.node.children.push(node);
      }
      stack.push({ node, names: new Set() });
    } else if (token === FDT_END_NODE) {
      if (top === undefined) throw fail(`FDT_END_NODE at offset ${tokenAt} outside any node`);
      stack.pop();
    } else if (token === FDT_PROP) {
      if (top === undefined) throw fail(`FDT_PROP at offset ${tokenAt} outside any node`);
      const len = word();
      const nameOff = word();
      if (nameOff >= sizeStrings) throw fail(`property nameoff ${nameOff} is outside the strings block`);
      const [name] = cString(offStrings + nameOff, stringsEnd, 'property name');
      if (at + len > structEnd) throw fail(`property '${name}' (${len} bytes) runs past the structure block`);
      if (top.node.children.length > 0)
        throw fail(`property '${name}' of node '${top.node.name}' follows a subnode (§5.4.2)`);
      if (top.node.props.has(name)) throw fail(`node '${top.node.name}' has two properties '${name}'`);
      top.node.props.set(name, bytes.slice(at, at + len));
      at = align(at + len, FDT_TOKEN_ALIGN_BYTES);
    } else {
      throw fail(`unknown token 0x${token.toString(16)} at offset ${tokenAt}`);
    }
  }
  return { root: root as FdtDecodedNode, bootCpuId: header('boot_cpuid_phys'), memReserve, version };
}

/** The node at an absolute path such as '/cpus/cpu@0' ('/' is the root), or undefined. */
export function findNode(root: FdtDecodedNode, path: string): FdtDecodedNode | undefined {
  if (!path.startsWith('/')) throw new FdtError(`path '${path}' is not absolute`);
  let node: FdtDecodedNode | undefined = root;
  for (const part of path.split('/').filter((p) => p !== '')) {
    node = node.children.find((c) => c.name === part);
    if (node === undefined) return undefined;
  }
  return node;
}

const viewOf = (b: Uint8Array): DataView => new DataView(b.buffer, b.byteOffset, b.byteLength);

/** A property value read as big-endian u32 cells; throws unless its length is a multiple of 4. */
export function readU32s(value: Uint8Array): number[] {
  if (value.length % 4 !== 0) throw new FdtError(`a ${value.length}-byte value is not a list of u32`);
  const dv = viewOf(value);
  return Array.from({ length: value.length / 4 }, (_, i) => dv.getUint32(i * 4, false));
}

/** A property value read as big-endian u64s (cell pairs); throws unless its length is a multiple of 8. */
export function readU64s(value: Uint8Array): bigint[] {
  if (value.length % 8 !== 0) throw new FdtError(`a ${value.length}-byte value is not a list of u64`);
  const dv = viewOf(value);
  return Array.from({ length: value.length / 8 }, (_, i) => dv.getBigUint64(i * 8, false));
}

/** A `<stringlist>` (or one `<string>`) value as UTF-8 strings; throws unless it ends with NUL. */
export function readStrings(value: Uint8Array): string[] {
  if (value.length === 0 || value[value.length - 1] !== 0)
    throw new FdtError('a string value must end with a NUL byte');
  return new TextDecoder().decode(value.subarray(0, value.length - 1)).split('\0');
}
