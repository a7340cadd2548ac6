// GDB Remote Serial Protocol framing (GDB manual, "Remote Protocol", "Overview"): `$data#cs`
// packets with a modulo-256 checksum, `+`/`-` acknowledgments (until QStartNoAckMode), `}`
// escapes for binary data, and the 0x03 interrupt byte. Bytes in, events out; no I/O here.

/** Longest packet accepted from the client (the PacketSize we announce), in bytes of data. */
export const MAX_PACKET_BYTES = 16384;

/** What the reader found in the byte stream. */
export type RspEvent =
  | { kind: 'packet'; data: Uint8Array }
  /** A packet whose checksum was wrong (answered with `-` while acks are on). */
  | { kind: 'bad' }
  /** The client's Ctrl-C (0x03 outside a packet). */
  | { kind: 'interrupt' };

const DOLLAR = 0x24;
const HASH = 0x23;
const ESCAPE = 0x7d;

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  return -1;
}

/**
 * Splits the client's bytes into packets. The client is untrusted: a packet longer than
 * MAX_PACKET_BYTES is dropped as bad, so a reader holds at most that many bytes.
 */
export class PacketReader {
  private state: 'idle' | 'data' | 'cs1' | 'cs2' = 'idle';
  private buf = new Uint8Array(MAX_PACKET_BYTES);
  private len = 0;
  private sum = 0;
  private overflow = false;
  private cs = 0;

  /** Feed bytes; returns the events they complete, in order. Acks (`+`, `-`) are ignored. */
  feed(bytes: Uint8Array): RspEvent[] {
    const out: RspEvent[] = [];
    for (const b of bytes) {
      switch (this.state) {
        case 'idle':
          if (b === DOLLAR) {
            this.state = 'data';
            this.len = 0;
            this.sum = 0;
            this.overflow = false;
          } else if (b === 0x03) out.push({ kind: 'interrupt' });
          break;
        case 'data':
          if (b === HASH) this.state = 'cs1';
          else if (b === DOLLAR) {
            // A new start inside a packet: the old one was cut short.
            this.len = 0;
            this.sum = 0;
            this.overflow = false;
          } else {
            this.sum = (this.sum + b) & 0xff;
            if (this.len < MAX_PACKET_BYTES) this.buf[this.len++] = b;
            else this.overflow = true;
          }
          break;
        case 'cs1':
          this.cs = hexValue(b);
          this.state = 'cs2';
          break;
        case 'cs2': {
          const lo = hexValue(b);
          this.state = 'idle';
          if (this.cs < 0 || lo < 0 || ((this.cs << 4) | lo) !== this.sum || this.overflow) {
            out.push({ kind: 'bad' });
          } else out.push({ kind: 'packet', data: this.buf.slice(0, this.len) });
          break;
        }
      }
    }
    return out;
  }
}

/**
 * A packet's bytes on the wire: `$`, the data, `#`, the checksum. Binary data must have been
 * escaped (`escapeBinary`); replies in text never hold `$`, `#`, `}` or `*`.
 */
export function framePacket(data: Uint8Array): Uint8Array {
  let sum = 0;
  for (const b of data) sum = (sum + b) & 0xff;
  const hex = sum.toString(16).padStart(2, '0');
  const out = new Uint8Array(data.length + 4);
  out[0] = DOLLAR;
  out.set(data, 1);
  out[data.length + 1] = HASH;
  out[data.length + 2] = hex.charCodeAt(0);
  out[data.length + 3] = hex.charCodeAt(1);
  return out;
}

/** Escape `#$}*` as `}` and the byte xor 0x20 (binary replies: qXfer data). */
export function escapeBinary(data: Uint8Array): Uint8Array {
  const out: number[] = [];
  for (const b of data) {
    if (b === DOLLAR || b === HASH || b === ESCAPE || b === 0x2a) out.push(ESCAPE, b ^ 0x20);
    else out.push(b);
  }
  return Uint8Array.from(out);
}

/** Undo `}` escapes (binary data of X and vFile-like packets). */
export function unescapeBinary(data: Uint8Array): Uint8Array {
  const out: number[] = [];
  for (let k = 0; k < data.length; k++) {
    if (data[k] === ESCAPE && k + 1 < data.length) out.push(data[++k] ^ 0x20);
    else out.push(data[k]);
  }
  return Uint8Array.from(out);
}

/** Text as packet bytes (the protocol's text is ASCII). */
export function ascii(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let k = 0; k < text.length; k++) out[k] = text.charCodeAt(k) & 0xff;
  return out;
}

/** Packet bytes as text (binary parts keep their byte values as char codes). */
export function text(data: Uint8Array): string {
  let s = '';
  for (const b of data) s += String.fromCharCode(b);
  return s;
}

/** Bytes as lowercase hex. */
export function toHex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}

/** Hex text as bytes, or undefined when it is not an even number of hex digits. */
export function fromHex(hex: string): Uint8Array | undefined {
  if (hex.length % 2 !== 0) return undefined;
  const out = new Uint8Array(hex.length / 2);
  for (let k = 0; k < out.length; k++) {
    const hi = hexValue(hex.charCodeAt(2 * k));
    const lo = hexValue(hex.charCodeAt(2 * k + 1));
    if (hi < 0 || lo < 0) return undefined;
    out[k] = (hi << 4) | lo;
  }
  return out;
}
