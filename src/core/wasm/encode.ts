// A WebAssembly binary writer, just large enough for translated blocks and the dispatcher
// (WebAssembly Core Specification 2.0, chapter 5 "Binary Format"). Written by hand because the
// translator emits thousands of tiny modules at run time: a general toolkit (binaryen, wabt)
// would cost more to call per block than the whole encoding does here.

export const I32 = 0x7f;
export const I64 = 0x7e;
export const F64 = 0x7c;
export type ValType = typeof I32 | typeof I64 | typeof F64;

/** Opcodes used by the translator, named as in the specification's text format. */
export const enum Op {
  unreachable = 0x00,
  block = 0x02,
  loop = 0x03,
  if = 0x04,
  else = 0x05,
  end = 0x0b,
  br = 0x0c,
  br_if = 0x0d,
  br_table = 0x0e,
  return = 0x0f,
  call = 0x10,
  return_call = 0x12,
  call_indirect = 0x11,
  return_call_indirect = 0x13,
  drop = 0x1a,
  select = 0x1b,
  local_get = 0x20,
  local_set = 0x21,
  local_tee = 0x22,
  i32_load = 0x28,
  i64_load = 0x29,
  f32_load = 0x2a,
  f64_load = 0x2b,
  i32_load8_u = 0x2d,
  i32_load16_u = 0x2f,
  i64_load8_s = 0x30,
  i64_load8_u = 0x31,
  i64_load16_s = 0x32,
  i64_load16_u = 0x33,
  i64_load32_s = 0x34,
  i64_load32_u = 0x35,
  i32_store = 0x36,
  i64_store = 0x37,
  f32_store = 0x38,
  f64_store = 0x39,
  i32_store16 = 0x3b,
  i64_store8 = 0x3c,
  i64_store16 = 0x3d,
  i64_store32 = 0x3e,
  i32_const = 0x41,
  i64_const = 0x42,
  f64_const = 0x44,
  i32_eqz = 0x45,
  i32_eq = 0x46,
  i32_ne = 0x47,
  i32_lt_s = 0x48,
  i32_lt_u = 0x49,
  i32_gt_s = 0x4a,
  i32_gt_u = 0x4b,
  i32_le_u = 0x4d,
  i32_ge_s = 0x4e,
  i32_ge_u = 0x4f,
  i64_eqz = 0x50,
  i64_eq = 0x51,
  i64_ne = 0x52,
  i64_lt_s = 0x53,
  i64_lt_u = 0x54,
  i64_gt_s = 0x55,
  i64_gt_u = 0x56,
  i64_le_s = 0x57,
  i64_le_u = 0x58,
  i64_ge_s = 0x59,
  i64_ge_u = 0x5a,
  f64_eq = 0x61,
  f64_ne = 0x62,
  f64_lt = 0x63,
  f64_gt = 0x64,
  f64_le = 0x65,
  f64_ge = 0x66,
  i32_clz = 0x67,
  i32_ctz = 0x68,
  i32_popcnt = 0x69,
  i32_add = 0x6a,
  i32_sub = 0x6b,
  i32_mul = 0x6c,
  i32_div_s = 0x6d,
  i32_div_u = 0x6e,
  i32_rem_s = 0x6f,
  i32_rem_u = 0x70,
  i32_and = 0x71,
  i32_or = 0x72,
  i32_xor = 0x73,
  i32_shl = 0x74,
  i32_shr_s = 0x75,
  i32_shr_u = 0x76,
  i32_rotl = 0x77,
  i32_rotr = 0x78,
  i64_clz = 0x79,
  i64_ctz = 0x7a,
  i64_popcnt = 0x7b,
  i64_add = 0x7c,
  i64_sub = 0x7d,
  i64_mul = 0x7e,
  i64_div_s = 0x7f,
  i64_div_u = 0x80,
  i64_rem_s = 0x81,
  i64_rem_u = 0x82,
  i64_and = 0x83,
  i64_or = 0x84,
  i64_xor = 0x85,
  i64_shl = 0x86,
  i64_shr_s = 0x87,
  i64_shr_u = 0x88,
  i64_rotl = 0x89,
  i64_rotr = 0x8a,
  f64_abs = 0x99,
  f64_neg = 0x9a,
  f64_ceil = 0x9b,
  f64_floor = 0x9c,
  f64_trunc = 0x9d,
  f64_nearest = 0x9e,
  f64_sqrt = 0x9f,
  f64_add = 0xa0,
  f64_sub = 0xa1,
  f64_mul = 0xa2,
  f64_div = 0xa3,
  i32_wrap_i64 = 0xa7,
  i32_trunc_f64_s = 0xaa,
  i32_trunc_f64_u = 0xab,
  i64_extend_i32_s = 0xac,
  i64_extend_i32_u = 0xad,
  i64_trunc_f64_s = 0xb0,
  i64_trunc_f64_u = 0xb1,
  f32_demote_f64 = 0xb6,
  f64_convert_i32_s = 0xb7,
  f64_convert_i32_u = 0xb8,
  f64_convert_i64_s = 0xb9,
  f64_convert_i64_u = 0xba,
  f64_promote_f32 = 0xbb,
  i64_reinterpret_f64 = 0xbd,
  f64_reinterpret_i64 = 0xbf,
  i32_extend8_s = 0xc0,
  i32_extend16_s = 0xc1,
  i64_extend8_s = 0xc2,
  i64_extend16_s = 0xc3,
  i64_extend32_s = 0xc4,
}

/** Empty block type (blocks and ifs that leave nothing on the stack). */
export const VOID = 0x40;

/** Where encoders append bytes: a number[] for a module's small sections, or Bytes. */
interface ByteSink {
  push(b: number): unknown;
}

/**
 * A growable byte buffer for function bodies, most of a module's bytes. Kept as number[], they
 * were most of what the translator allocated: ~0.5 s of V8's young-generation collections per
 * Debian boot. Buffers are recycled once their module is encoded (`release`); the pool holds a
 * whole batch's (up to 256 blocks, engine.ts), so that a batch does not allocate them afresh.
 */
export class Bytes {
  private buf: Uint8Array = FREE.pop() ?? new Uint8Array(4096);
  length = 0;

  /** The buffer, with room for `n` more bytes at `length`. */
  room(n: number): Uint8Array {
    if (this.length + n > this.buf.length) {
      const grown = new Uint8Array(Math.max(this.buf.length * 2, this.length + n));
      grown.set(this.buf.subarray(0, this.length));
      this.buf = grown;
    }
    return this.buf;
  }

  push(b: number): void {
    this.room(1)[this.length++] = b;
  }

  /** Opcode `o` and its unsigned LEB128 immediate `v` (a local, label or function index). */
  opU(o: number, v: number): void {
    const buf = this.room(6);
    let n = this.length;
    buf[n++] = o;
    v >>>= 0;
    while (v >= 0x80) {
      buf[n++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    buf[n++] = v;
    this.length = n;
  }

  /** The bytes so far (a view: later pushes may not show in it). */
  view(): Uint8Array {
    return this.buf.subarray(0, this.length);
  }

  /** Hand the buffer on to a later body: the bytes are gone. */
  release(): void {
    if (FREE.length < 512 && this.buf.length <= 1 << 16) FREE.push(this.buf);
    this.buf = EMPTY;
    this.length = 0;
  }
}
const FREE: Uint8Array[] = [];
const EMPTY = new Uint8Array(0);

/** Bytes of one function body's instructions. */
export class Code {
  readonly b = new Bytes();
  /** Constructs (block, loop, if) open here: a `br` to one opened at depth d uses depth - d. */
  depth = 0;

  op(o: Op): this {
    this.b.room(1)[this.b.length++] = o;
    if (o === Op.end) this.depth--;
    return this;
  }
  u32(v: number): this {
    uleb(this.b, v);
    return this;
  }
  i32(v: number): this {
    v |= 0;
    if (v >= -64 && v < 64) {
      const buf = this.b.room(2);
      buf[this.b.length++] = Op.i32_const;
      buf[this.b.length++] = v & 0x7f;
      return this;
    }
    this.b.push(Op.i32_const);
    slebNum(this.b, v);
    return this;
  }
  /** An i64 constant: a safe integer number, or any bigint (taken modulo 2^64). */
  i64(v: number | bigint): this {
    this.b.push(Op.i64_const);
    if (typeof v === 'number') slebNum(this.b, v);
    else sleb(this.b, BigInt.asIntN(64, v));
    return this;
  }
  f64(v: number): this {
    this.b.push(Op.f64_const);
    F64_SCRATCH[0] = v;
    for (let k = 0; k < 8; k++) this.b.push(F64_BYTES[k]);
    return this;
  }
  get(l: number): this {
    this.b.opU(Op.local_get, l);
    return this;
  }
  set(l: number): this {
    this.b.opU(Op.local_set, l);
    return this;
  }
  tee(l: number): this {
    this.b.opU(Op.local_tee, l);
    return this;
  }
  /** A load or store with an immediate offset (alignment hint 0: guest accesses may be misaligned). */
  mem(o: Op, offset = 0): this {
    this.b.room(1)[this.b.length++] = o;
    this.b.opU(0, offset);
    return this;
  }
  /** block/loop/if with a result type or VOID. */
  begin(o: Op.block | Op.loop | Op.if, type: number = VOID): this {
    const buf = this.b.room(2);
    buf[this.b.length++] = o;
    buf[this.b.length++] = type;
    this.depth++;
    return this;
  }
  br(o: Op.br | Op.br_if, depth: number): this {
    this.b.opU(o, depth);
    return this;
  }
  /** br_table: the depth for each value of the operand, and for any other value. */
  brTable(depths: readonly number[], otherwise: number): this {
    this.b.push(Op.br_table);
    uleb(this.b, depths.length);
    for (const d of depths) uleb(this.b, d);
    uleb(this.b, otherwise);
    return this;
  }
  call(fn: number, tail = false): this {
    this.b.push(tail ? Op.return_call : Op.call);
    uleb(this.b, fn);
    return this;
  }
  callIndirect(type: number, table = 0, tail = false): this {
    this.b.push(tail ? Op.return_call_indirect : Op.call_indirect);
    uleb(this.b, type);
    uleb(this.b, table);
    return this;
  }
}

export interface FuncType {
  params: ValType[];
  results: ValType[];
}

export interface ModuleSpec {
  types: FuncType[];
  /** Imported functions (module "e"), by type index; they take the first function indices. */
  importFuncs: { name: string; type: number }[];
  importMemory: boolean;
  importTable: boolean;
  funcs: { type: number; locals: ValType[]; code: Code; export?: string }[];
}

/**
 * Encode a module: imports come from the module named "e". The bytes are written into `out` (a
 * Bytes that is emptied first) when given, and are then a view of it, valid until it is written
 * again: the translator encodes a module for every batch of blocks, and V8 copies the bytes it is
 * given, so one buffer serves every batch instead of ~18 MB of fresh buffers per Debian boot.
 */
export function encodeModule(m: ModuleSpec, out: Bytes = new Bytes()): Uint8Array {
  out.length = 0;
  const push = (bytes: ArrayLike<number>): void => {
    const buf = out.room(bytes.length);
    if (bytes instanceof Uint8Array) buf.set(bytes, out.length);
    else for (let k = 0; k < bytes.length; k++) buf[out.length + k] = bytes[k];
    out.length += bytes.length;
  };
  /** A section: its id, then its content's size, then the content that `fill` writes. */
  const section = (id: number, fill: () => void): void => {
    out.push(id);
    // The size goes before the content: leave 5 bytes (a padded LEB128 may use them all).
    const at = out.length;
    out.room(5);
    out.length += 5;
    fill();
    const size = out.length - at - 5;
    const buf = out.room(0);
    let v = size;
    for (let k = 0; k < 5; k++) {
      buf[at + k] = (v & 0x7f) | (k < 4 ? 0x80 : 0);
      v >>>= 7;
    }
  };
  push([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
  section(1, () => {
    uleb(out, m.types.length);
    for (const t of m.types) {
      out.push(0x60);
      vec(out, t.params);
      vec(out, t.results);
    }
  });
  const nImports = m.importFuncs.length + (m.importMemory ? 1 : 0) + (m.importTable ? 1 : 0);
  if (nImports > 0)
    section(2, () => {
      uleb(out, nImports);
      if (m.importMemory) {
        name(out, 'e');
        name(out, 'mem');
        push([0x02, 0x00, 0x00]); // memory, limits {min 0}
      }
      if (m.importTable) {
        name(out, 'e');
        name(out, 'tab');
        push([0x01, 0x70, 0x00, 0x00]); // funcref table, limits {min 0}
      }
      for (const f of m.importFuncs) {
        name(out, 'e');
        name(out, f.name);
        out.push(0x00);
        uleb(out, f.type);
      }
    });
  section(3, () => {
    uleb(out, m.funcs.length);
    for (const f of m.funcs) uleb(out, f.type);
  });
  section(7, () => {
    let n = 0;
    for (const f of m.funcs) if (f.export !== undefined) n++;
    uleb(out, n);
    m.funcs.forEach((f, k) => {
      if (f.export === undefined) return;
      name(out, f.export);
      out.push(0x00);
      uleb(out, m.importFuncs.length + k);
    });
  });
  section(10, () => {
    uleb(out, m.funcs.length);
    for (const f of m.funcs) {
      // Locals, run-length grouped by type.
      const groups: number[] = [];
      for (const t of f.locals) {
        const g = groups.length - 2;
        if (g >= 0 && groups[g + 1] === t) groups[g]++;
        else groups.push(1, t);
      }
      let localsSize = ulebSize(groups.length / 2);
      for (let g = 0; g < groups.length; g += 2) localsSize += ulebSize(groups[g]) + 1;
      uleb(out, localsSize + f.code.b.length + 1);
      uleb(out, groups.length / 2);
      for (let g = 0; g < groups.length; g += 2) {
        uleb(out, groups[g]);
        out.push(groups[g + 1]);
      }
      push(f.code.b.view());
      out.push(Op.end);
    }
  });
  return out.view();
}

function vec(s: ByteSink, types: ValType[]): void {
  uleb(s, types.length);
  for (const t of types) s.push(t);
}

function name(s: ByteSink, n: string): void {
  uleb(s, n.length);
  for (let k = 0; k < n.length; k++) s.push(n.charCodeAt(k));
}

export function uleb(out: ByteSink, v: number): void {
  v >>>= 0;
  do {
    let b = v & 0x7f;
    v >>>= 7;
    if (v !== 0) b |= 0x80;
    out.push(b);
  } while (v !== 0);
}
/** Bytes in the unsigned LEB128 of `v`. */
function ulebSize(v: number): number {
  let n = 1;
  for (v >>>= 0; v >= 0x80; v >>>= 7) n++;
  return n;
}

const F64_SCRATCH = new Float64Array(1);
const F64_BYTES = new Uint8Array(F64_SCRATCH.buffer);

/** Signed LEB128 of a safe integer (|v| < 2^53), without BigInt. */
export function slebNum(out: ByteSink, v: number): void {
  for (;;) {
    const b = v - Math.floor(v / 128) * 128; // v mod 128, for negative v too
    v = Math.floor(v / 128);
    const done = (v === 0 && (b & 0x40) === 0) || (v === -1 && (b & 0x40) !== 0);
    out.push(done ? b : b | 0x80);
    if (done) return;
  }
}

export function sleb(out: ByteSink, v: bigint): void {
  for (;;) {
    const b = Number(v & 0x7fn);
    v >>= 7n;
    const done = (v === 0n && (b & 0x40) === 0) || (v === -1n && (b & 0x40) !== 0);
    out.push(done ? b : b | 0x80);
    if (done) return;
  }
}
