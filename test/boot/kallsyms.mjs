// Symbol addresses of a Linux kernel Image from its own kallsyms tables, for tests that need a
// kernel symbol when the distribution ships no System.map (Debian's riscv64 System.map is a stub
// that points at the -dbg package). The tables' layout is that scripts/kallsyms.c writes
// (Linux 6.x, base-relative offsets, 64-bit): kallsyms_num_syms, _names, _markers, _token_table,
// _token_index, _offsets, _relative_base, each label 8-byte aligned.

const align8 = (n) => (n + 7) & ~7;

/**
 * The token table: 256 NUL-terminated strings. The single-character tokens for '0'..'9' sit at
 * indexes 0x30..0x39 (a character stands for itself), so the table starts 48 strings before "0";
 * the candidate whose u16 token index (after the table) gives each string's offset is the one.
 */
function findTokenTable(img) {
  const digits = Buffer.from(
    '0\u00001\u00002\u00003\u00004\u00005\u00006\u00007\u00008\u00009\u0000',
    'latin1',
  );
  for (let at = img.indexOf(digits); at >= 0; at = img.indexOf(digits, at + 1)) {
    let start = at;
    let ok = true;
    for (let k = 0; k < 48 && ok; k++) {
      if (img[start - 1] !== 0) ok = false;
      let p = start - 2;
      while (p >= 0 && img[p] !== 0) p--;
      start = p + 1;
    }
    if (!ok) continue;
    const tokens = [];
    const offsets = [];
    let p = start;
    for (let k = 0; k < 256; k++) {
      const end = img.indexOf(0, p);
      offsets.push(p - start);
      tokens.push(img.toString('latin1', p, end));
      p = end + 1;
    }
    const index = align8(p);
    if (offsets.every((o, k) => img.readUInt16LE(index + 2 * k) === o)) return { start, tokens, index };
  }
  throw new Error('no kallsyms token table found in the kernel image');
}

/** Each symbol's address by name (the text and data symbols the kernel lists in /proc/kallsyms). */
export function kallsyms(img) {
  const { start, tokens, index } = findTokenTable(img);
  // kallsyms_offsets: nondecreasing u32s up to the padding before kallsyms_relative_base.
  const offsetsAt = align8(index + 512);
  let count = 0;
  for (let prev = 0; ; count++) {
    const v = img.readUInt32LE(offsetsAt + 4 * count);
    if (v < prev) break;
    prev = v;
  }
  // The count may include the base's low word when no padding came first: the base is the u64
  // at the first 8-aligned place after the offsets whose top bits are set (a kernel address).
  let num = count;
  let base = 0n;
  for (; num > 0; num--) {
    base = img.readBigUInt64LE(align8(offsetsAt + 4 * num));
    if (base >> 63n === 1n) break;
  }
  if (num === 0) throw new Error('no kallsyms_relative_base found after the offsets');
  // kallsyms_markers (u32, one per 256 symbols) end where the token table begins; the names
  // begin 8 bytes after kallsyms_num_syms.
  const markersAt = start - align8(4 * Math.ceil(num / 256));
  if (img.readUInt32LE(markersAt) !== 0) throw new Error('kallsyms_markers not where expected');
  const secondMarker = img.readUInt32LE(markersAt + 4);
  const entry = (p) => {
    let len = img[p];
    let at = p + 1;
    if (len & 0x80) {
      len = (len & 0x7f) | (img[p + 1] << 7);
      at++;
    }
    return { at, len };
  };
  let namesAt = -1;
  for (let p = markersAt - 8; p > markersAt - (1 << 23); p -= 8) {
    if (img.readUInt32LE(p - 8) !== num) continue;
    let q = p;
    for (let k = 0; k < 256; k++) {
      const e = entry(q);
      q = e.at + e.len;
    }
    if (q - p === secondMarker) {
      namesAt = p;
      break;
    }
  }
  if (namesAt < 0) throw new Error('kallsyms_names not found');
  const out = new Map();
  let p = namesAt;
  for (let k = 0; k < num; k++) {
    const e = entry(p);
    let name = '';
    for (let t = 0; t < e.len; t++) name += tokens[img[e.at + t]];
    p = e.at + e.len;
    // The first character is the symbol's type (T, t, D, ...).
    out.set(name.slice(1), base + BigInt(img.readUInt32LE(offsetsAt + 4 * k)));
  }
  return out;
}
