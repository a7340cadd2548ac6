// Flattened devicetree (DTB) encoder: a tree of nodes and properties serialized per the Devicetree
// Specification v0.4 chapter 5 (header §5.2, memory reservation block §5.3, structure block §5.4,
// strings block §5.5), with node and property names checked against §2.2.1 and §2.2.4.
//
// Hand-written on purpose: the format takes about 150 lines, and no well-kept npm package writes
// DTBs (the registry offers DTS source parsers, not blob writers), so a dependency would cost more
// than it saves. Written from the specification alone; no code comes from dtc, libfdt or QEMU.

/** A tree or a blob that breaks the Devicetree Specification; the message names the rule. */
export class FdtError extends Error {}

/** Header magic, stored big-endian (§5.2). */
export const FDT_MAGIC = 0xd00dfeed;
/** Version that encodeFdt writes (§5.2 `version`). */
export const FDT_VERSION = 17;
/** Oldest version that a blob of FDT_VERSION stays compatible with (§5.2 `last_comp_version`). */
export const FDT_LAST_COMP_VERSION = 16;

/** Structure-block tokens, each a big-endian u32 on a 4-byte boundary (§5.4.1). */
export const FDT_BEGIN_NODE = 0x1;
export const FDT_END_NODE = 0x2;
export const FDT_PROP = 0x3;
export const FDT_NOP = 0x4;
export const FDT_END = 0x9;

/** Byte offsets of the header fields, each a big-endian u32 (§5.2, `struct fdt_header`). */
export const FDT_HEADER = {
  magic: 0,
  totalsize: 4,
  off_dt_struct: 8,
  off_dt_strings: 12,
  off_mem_rsvmap: 16,
  version: 20,
  last_comp_version: 24,
  boot_cpuid_phys: 28,
  size_dt_strings: 32,
  size_dt_struct: 36,
} as const;
/** Size of the version-17 header in bytes (ten u32 fields). */
export const FDT_HEADER_SIZE_BYTES = 40;
/** One memory reservation entry: big-endian u64 address, then u64 size (§5.3.2). */
export const FDT_RESERVE_ENTRY_SIZE_BYTES = 16;
/** Alignment of the memory reservation block (§5.3.1) and of structure-block tokens (§5.4.2). */
export const FDT_RSVMAP_ALIGN_BYTES = 8;
export const FDT_TOKEN_ALIGN_BYTES = 4;
/** Longest node-name (before any `@unit-address`, §2.2.1) and property name (§2.2.4). */
export const FDT_MAX_NAME_CHARS = 31;

/** One memory reservation entry (§5.3.2): `size` bytes of physical memory from `addr`. */
export interface FdtReserveEntry {
  addr: bigint;
  size: bigint;
}

const U32_MAX = 0xffff_ffff;
const U64_MAX = (1n << 64n) - 1n;

// §2.2.1 Table 2.1 (node names and unit addresses) and §2.2.4 Table 2.2 (property names).
const NODE_NAME_CHARS = /^[0-9a-zA-Z,._+-]+$/;
const PROPERTY_NAME_CHARS = /^[0-9a-zA-Z,._+?#-]+$/;

const align = (n: number, to: number): number => Math.ceil(n / to) * to;
const viewOf = (b: Uint8Array): DataView => new DataView(b.buffer, b.byteOffset, b.byteLength);
const utf8 = new TextEncoder();

function checkU32(v: number, what: string): number {
  if (!Number.isInteger(v) || v < 0 || v > U32_MAX) throw new FdtError(`${what} ${v} is not a u32`);
  return v;
}

function toU64(v: number | bigint, what: string): bigint {
  if (typeof v === 'number' && !Number.isSafeInteger(v))
    throw new FdtError(`${what} ${v} is not an exact integer; pass a bigint`);
  const b = BigInt(v);
  if (b < 0n || b > U64_MAX) throw new FdtError(`${what} ${v} is not a u64`);
  return b;
}

/** Throws unless `name` is a valid `node-name[@unit-address]` (§2.2.1). The root's '' is not. */
export function checkNodeName(name: string): void {
  const at = name.indexOf('@');
  const base = at < 0 ? name : name.slice(0, at);
  const unit = at < 0 ? undefined : name.slice(at + 1);
  const bad = (why: string): FdtError => new FdtError(`invalid node name '${name}': ${why} (DT spec §2.2.1)`);
  if (base.length === 0) throw bad('the node-name is empty');
  if (base.length > FDT_MAX_NAME_CHARS) throw bad(`the node-name is longer than ${FDT_MAX_NAME_CHARS}`);
  if (!/^[a-zA-Z]/.test(base)) throw bad('the node-name must start with a letter');
  if (!NODE_NAME_CHARS.test(base)) throw bad('the node-name may use only 0-9 a-z A-Z , . _ + -');
  if (unit !== undefined && !NODE_NAME_CHARS.test(unit))
    throw bad('the unit-address must be non-empty and use only 0-9 a-z A-Z , . _ + -');
}

/** Throws unless `name` is a valid property name (§2.2.4). */
export function checkPropertyName(name: string): void {
  const bad = (why: string): FdtError =>
    new FdtError(`invalid property name '${name}': ${why} (DT spec §2.2.4)`);
  if (name.length === 0) throw bad('it is empty');
  if (name.length > FDT_MAX_NAME_CHARS) throw bad(`it is longer than ${FDT_MAX_NAME_CHARS}`);
  if (!PROPERTY_NAME_CHARS.test(name)) throw bad('it may use only 0-9 a-z A-Z , . _ + ? # -');
}

// Property values (§2.2.4.2). Each helper returns fresh bytes, exactly what follows FDT_PROP.

/** `<u32>` cells, big-endian: `u32(node.phandle(), 11)` for a phandle and specifier. */
export function u32(...cells: number[]): Uint8Array {
  if (cells.length === 0) throw new FdtError('u32() needs at least one cell; use empty() for no value');
  const out = new Uint8Array(cells.length * 4);
  const dv = viewOf(out);
  cells.forEach((c, i) => dv.setUint32(i * 4, checkU32(c, 'cell'), false));
  return out;
}

/** `<u64>` values, each as two big-endian cells, high first (for `reg` when #address-cells = 2). */
export function u64(...values: (number | bigint)[]): Uint8Array {
  if (values.length === 0) throw new FdtError('u64() needs at least one value; use empty() for no value');
  const out = new Uint8Array(values.length * 8);
  const dv = viewOf(out);
  values.forEach((v, i) => dv.setBigUint64(i * 8, toU64(v, 'value'), false));
  return out;
}

function cString(s: string): Uint8Array {
  if (s.includes('\0')) throw new FdtError(`string ${JSON.stringify(s)} contains a NUL character`);
  const enc = utf8.encode(s);
  const out = new Uint8Array(enc.length + 1);
  out.set(enc);
  return out;
}

/** `<string>`: UTF-8 bytes and a terminating NUL. Throws if `s` itself contains NUL. */
export function str(s: string): Uint8Array {
  return cString(s);
}

/** `<stringlist>`: the strings one after another, each NUL-terminated (`compatible`). */
export function strList(...strings: string[]): Uint8Array {
  if (strings.length === 0) throw new FdtError('strList() needs at least one string');
  return concat(...strings.map(cString));
}

/** `<prop-encoded-array>` of arbitrary bytes, copied. */
export function bytes(data: Uint8Array): Uint8Array {
  return data.slice();
}

/** `<empty>`: a property whose presence is its meaning (`interrupt-controller`, `ranges`). */
export function empty(): Uint8Array {
  return new Uint8Array(0);
}

/** Values one after another, for mixed encodings such as PCI `ranges` (u32 flags, then u64s). */
export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Phandles of one tree: unique, never 0 nor 0xffffffff (§2.3.3). */
class PhandleAllocator {
  private next = 1;
  private readonly used = new Set<number>();

  claim(p: number): void {
    if (p === 0 || p === U32_MAX) throw new FdtError(`phandle ${p} is reserved (DT spec §2.3.3)`);
    if (this.used.has(p)) throw new FdtError(`phandle ${p} is used by two nodes`);
    this.used.add(p);
  }

  allocate(): number {
    while (this.used.has(this.next)) this.next++;
    if (this.next >= U32_MAX) throw new FdtError('no phandle left');
    this.claim(this.next);
    return this.next;
  }
}

/**
 * A devicetree node under construction. Create the root with `new FdtNode('')` and every other
 * node with `addNode`, so that all nodes of a tree share one phandle allocator. Names are checked
 * when given; properties keep their insertion order and come before child nodes in the blob.
 */
export class FdtNode {
  #name: string;
  #allocator: PhandleAllocator;
  #phandle: number | undefined;
  readonly #props = new Map<string, Uint8Array>();
  readonly #children = new Map<string, FdtNode>();

  /** The root node of a new tree; its name is empty (§2.2.1: the root has no node-name). */
  constructor(name: '' = '') {
    if (name !== '') throw new FdtError(`only the root node is created with new FdtNode(''); use addNode`);
    this.#name = name;
    this.#allocator = new PhandleAllocator();
  }

  /** Full name, `node-name[@unit-address]`; '' for the root. */
  get name(): string {
    return this.#name;
  }

  /** Properties in insertion order. The values are the stored bytes; do not modify them. */
  get props(): ReadonlyMap<string, Uint8Array> {
    return this.#props;
  }

  /** Child nodes in insertion order. */
  get children(): readonly FdtNode[] {
    return [...this.#children.values()];
  }

  /** The child called exactly `name`, if any. */
  child(name: string): FdtNode | undefined {
    return this.#children.get(name);
  }

  /** Appends a child; throws on an invalid name (§2.2.1) or a sibling of the same name. */
  addNode(name: string): FdtNode {
    checkNodeName(name);
    if (this.#children.has(name)) throw new FdtError(`node '${this.#name}' already has a child '${name}'`);
    const node = new FdtNode();
    node.#name = name;
    node.#allocator = this.#allocator;
    this.#children.set(name, node);
    return node;
  }

  /**
   * Appends a property (a copy of `value`); returns this node for chaining. Throws on an invalid
   * name (§2.2.4) or a second property of the same name. An explicit `phandle` must be one u32 not
   * yet used in the tree.
   */
  prop(name: string, value: Uint8Array): this {
    checkPropertyName(name);
    if (this.#props.has(name)) throw new FdtError(`node '${this.#name}' already has a property '${name}'`);
    if (name === 'phandle') {
      if (value.length !== 4) throw new FdtError(`property 'phandle' must be one u32 cell`);
      const p = viewOf(value).getUint32(0, false);
      this.#allocator.claim(p);
      this.#phandle = p;
    }
    this.#props.set(name, value.slice());
    return this;
  }

  /**
   * This node's phandle (§2.3.3). The first call allocates one unique in the tree and adds the
   * `phandle` property; later calls return the same number.
   */
  phandle(): number {
    if (this.#phandle === undefined) {
      const p = this.#allocator.allocate();
      this.#phandle = p;
      this.#props.set('phandle', u32(p));
    }
    return this.#phandle;
  }
}

/** Header inputs of encodeFdt besides the tree. */
export interface EncodeFdtOptions {
  /** `boot_cpuid_phys`: the `reg` of the boot CPU's node (§5.2). Default 0. */
  bootCpuId?: number;
  /** Memory reservation entries (§5.3), in order; each size must be non-zero. Default none. */
  memReserve?: readonly { addr: number | bigint; size: number | bigint }[];
  /** Zero bytes appended after the strings block and counted in totalsize, room for firmware to
   *  edit the blob in place. Default 0. */
  padBytes?: number;
}

/**
 * Serializes the tree under `root` into a version-17 DTB (last compatible version 16). Layout:
 * header, memory reservation block at offset 40 (8-aligned), structure block, strings block
 * (property names, each stored once), then `padBytes` zeros.
 */
export function encodeFdt(root: FdtNode, options: EncodeFdtOptions = {}): Uint8Array {
  if (root.name !== '') throw new FdtError(`encodeFdt needs the root node, not '${root.name}'`);
  const bootCpuId = checkU32(options.bootCpuId ?? 0, 'bootCpuId');
  const padBytes = options.padBytes ?? 0;
  if (!Number.isSafeInteger(padBytes) || padBytes < 0) throw new FdtError(`padBytes ${padBytes} is invalid`);
  const reserve = (options.memReserve ?? []).map(({ addr, size }, i) => {
    const entry = { addr: toU64(addr, `memReserve[${i}].addr`), size: toU64(size, `memReserve[${i}].size`) };
    // A zero size would read as the block's terminator (§5.3.2) and hide later entries.
    if (entry.size === 0n) throw new FdtError(`memReserve[${i}] has size 0`);
    if (entry.addr + entry.size - 1n > U64_MAX) throw new FdtError(`memReserve[${i}] wraps past 2^64`);
    return entry;
  });

  // Strings block (§5.5): each distinct property name once, NUL-terminated, in first-use order.
  const nameOffsets = new Map<string, number>();
  let stringsSize = 0;
  let structSize = 4; // FDT_END
  const measure = (node: FdtNode): void => {
    structSize += 4 + align(node.name.length + 1, FDT_TOKEN_ALIGN_BYTES) + 4; // BEGIN_NODE name END_NODE
    for (const [name, value] of node.props) {
      if (!nameOffsets.has(name)) {
        nameOffsets.set(name, stringsSize);
        stringsSize += name.length + 1;
      }
      structSize += 12 + align(value.length, FDT_TOKEN_ALIGN_BYTES); // FDT_PROP len nameoff value
    }
    node.children.forEach(measure);
  };
  measure(root);

  const offRsvmap = FDT_HEADER_SIZE_BYTES;
  const offStruct = offRsvmap + (reserve.length + 1) * FDT_RESERVE_ENTRY_SIZE_BYTES;
  const offStrings = offStruct + structSize;
  const totalSize = offStrings + stringsSize + padBytes;
  if (totalSize > U32_MAX) throw new FdtError(`the blob would be ${totalSize} bytes, over totalsize's u32`);

  const blob = new Uint8Array(totalSize);
  const dv = viewOf(blob);
  const header: Record<keyof typeof FDT_HEADER, number> = {
    magic: FDT_MAGIC,
    totalsize: totalSize,
    off_dt_struct: offStruct,
    off_dt_strings: offStrings,
    off_mem_rsvmap: offRsvmap,
    version: FDT_VERSION,
    last_comp_version: FDT_LAST_COMP_VERSION,
    boot_cpuid_phys: bootCpuId,
    size_dt_strings: stringsSize,
    size_dt_struct: structSize,
  };
  for (const field of Object.keys(FDT_HEADER) as (keyof typeof FDT_HEADER)[])
    dv.setUint32(FDT_HEADER[field], header[field], false);

  // The zero terminator entry is already there: the array starts zeroed.
  reserve.forEach(({ addr, size }, i) => {
    dv.setBigUint64(offRsvmap + i * FDT_RESERVE_ENTRY_SIZE_BYTES, addr, false);
    dv.setBigUint64(offRsvmap + i * FDT_RESERVE_ENTRY_SIZE_BYTES + 8, size, false);
  });

  for (const [name, off] of nameOffsets) blob.set(utf8.encode(name), offStrings + off);

  // Structure block (§5.4): padding bytes stay zero, as §5.4.1 requires.
  let at = offStruct;
  const token = (t: number): void => {
    dv.setUint32(at, t, false);
    at += 4;
  };
  const emit = (node: FdtNode): void => {
    token(FDT_BEGIN_NODE);
    blob.set(utf8.encode(node.name), at);
    at += align(node.name.length + 1, FDT_TOKEN_ALIGN_BYTES);
    for (const [name, value] of node.props) {
      token(FDT_PROP);
      token(value.length);
      token(nameOffsets.get(name) ?? 0);
      blob.set(value, at);
      at += align(value.length, FDT_TOKEN_ALIGN_BYTES);
    }
    node.children.forEach(emit);
    token(FDT_END_NODE);
  };
  emit(root);
  token(FDT_END);
  return blob;
}
