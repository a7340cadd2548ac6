// One GDB connection: the commands of the Remote Serial Protocol that an all-stop RISC-V
// debugger uses (GDB manual, "Packets", "General Query Packets", "Stop Reply Packets"), each
// hart a thread (ids 1..N). Bytes in from the client, bytes out through `send`; no I/O here.

import type { RiscvHart } from '../cpu/riscv/hart.js';
import {
  ascii,
  escapeBinary,
  framePacket,
  fromHex,
  MAX_PACKET_BYTES,
  PacketReader,
  text,
  toHex,
  unescapeBinary,
} from './packet.js';
import { targetXml } from './target-xml.js';
import { type GdbTarget, REG_PC, SIGINT, SIGTRAP, type StopEvent, type WatchKind } from './target.js';

/** Most bytes one m packet returns: its hex must fit our PacketSize. */
const MAX_READ_BYTES = (MAX_PACKET_BYTES - 16) >> 1;

/** Most breakpoints and watchpoints at once (a client cannot make the stub grow without bound). */
const MAX_POINTS = 4096;

const WATCH_KINDS: Record<string, WatchKind> = { '2': 'write', '3': 'read', '4': 'access' };
const WATCH_REPLY: Record<WatchKind, string> = { write: 'watch', read: 'rwatch', access: 'awatch' };

/** A hex number of the protocol (addresses: up to 64 bits), or undefined. */
function hexNum(s: string): bigint | undefined {
  return /^[0-9a-fA-F]{1,16}$/.test(s) ? BigInt(`0x${s}`) : undefined;
}

/**
 * A debugger's conversation with the target. The machine is halted when the client connects and
 * whenever it is not told to run. `end` reports the VM's exit to a waiting client.
 */
export class GdbSession {
  private readonly reader = new PacketReader();
  private acks = true;
  /** Thread of g/G/p/P/m/M (Hg) and of s/c without vCont (Hc): a hart index. */
  private gHart = 0;
  private cHart = 0;
  /** Whether the client waits for a stop reply. */
  private running = false;
  private lastStop: StopEvent = { hart: 0, signal: SIGTRAP };
  /** Packets are handled one after another, after the halt that the connection starts with. */
  private queue: Promise<void>;
  private xml: string | undefined;
  private closed = false;

  constructor(
    private readonly target: GdbTarget,
    private readonly send: (bytes: Uint8Array) => void,
    private readonly close: () => void,
  ) {
    target.onStop = (e) => this.stopped(e);
    this.queue = target.halt();
  }

  /** Bytes from the client. */
  receive(bytes: Uint8Array): void {
    for (const e of this.reader.feed(bytes)) {
      if (e.kind === 'interrupt') {
        if (this.running)
          void this.target.halt().then(() => this.stopped({ hart: this.cHart, signal: SIGINT }));
      } else if (e.kind === 'bad') {
        if (this.acks) this.send(ascii('-'));
      } else {
        if (this.acks) this.send(ascii('+'));
        const data = e.data;
        this.queue = this.queue.then(() => this.handle(data));
      }
    }
  }

  /** The client went away: let the machine run on without the debugger. */
  disconnected(): void {
    if (this.closed) return;
    this.closed = true;
    this.target.onStop = () => {};
    this.target.detach();
  }

  /** The VM ended with `status`: a client waiting for a stop is told the process exited. */
  end(status: number): void {
    if (this.closed) return;
    if (this.running) this.reply(`W${(status & 0xff).toString(16).padStart(2, '0')}`);
    this.closed = true;
  }

  private reply(s: string): void {
    this.replyBytes(ascii(s));
  }

  private replyBytes(b: Uint8Array): void {
    if (!this.closed) this.send(framePacket(b));
  }

  private stopped(e: StopEvent): void {
    this.lastStop = e;
    this.gHart = this.cHart = e.hart;
    if (!this.running) return;
    this.running = false;
    this.reply(this.stopReply(e));
  }

  private stopReply(e: StopEvent): string {
    let s = `T${e.signal.toString(16).padStart(2, '0')}thread:${(e.hart + 1).toString(16)};`;
    if (e.watch !== undefined) s += `${WATCH_REPLY[e.watch.kind]}:${e.watch.addr.toString(16)};`;
    return s;
  }

  private hart(k: number): RiscvHart {
    return this.target.harts[k];
  }

  /** A thread id of H, T, vCont: the hart index, 'all' (-1), 'any' (0), or undefined. */
  private threadOf(id: string): number | 'all' | 'any' | undefined {
    if (id === '-1') return 'all';
    const v = hexNum(id);
    if (v === undefined) return undefined;
    if (v === 0n) return 'any';
    const k = Number(v) - 1;
    return k < this.target.harts.length ? k : undefined;
  }

  private async handle(data: Uint8Array): Promise<void> {
    if (this.closed) return;
    const p = text(data);
    let r: string | undefined;
    try {
      r = this.command(p, data);
    } catch {
      // A packet the checks above missed gets an error, never a stuck or crashed stub.
      r = 'E01';
    }
    if (r !== undefined) this.reply(r);
    return Promise.resolve();
  }

  /** The reply to packet `p` (`data`: its bytes), or undefined when it has none now. */
  private command(p: string, data: Uint8Array): string | undefined {
    const t = this.target;
    switch (p[0]) {
      case '?':
        return this.stopReply(this.lastStop);
      case 'g': {
        const h = this.hart(this.gHart);
        let s = '';
        for (let n = 0; n <= REG_PC; n++) s += toHex(t.readRegister(h, n) as Uint8Array);
        return s;
      }
      case 'G': {
        const bytes = fromHex(p.slice(1));
        if (bytes === undefined || bytes.length < 8 * (REG_PC + 1)) return 'E01';
        const h = this.hart(this.gHart);
        for (let n = 0; n <= REG_PC; n++) t.writeRegister(h, n, bytes.slice(8 * n, 8 * n + 8));
        return 'OK';
      }
      case 'p': {
        const n = hexNum(p.slice(1));
        const v = n === undefined ? undefined : t.readRegister(this.hart(this.gHart), Number(n));
        return v === undefined ? 'E01' : toHex(v);
      }
      case 'P': {
        const m = /^P([0-9a-fA-F]+)=([0-9a-fA-F]*)$/.exec(p);
        const n = m === null ? undefined : hexNum(m[1]);
        const bytes = m === null ? undefined : fromHex(m[2]);
        if (n === undefined || bytes === undefined || bytes.length > 8) return 'E01';
        return t.writeRegister(this.hart(this.gHart), Number(n), bytes) ? 'OK' : 'E01';
      }
      case 'm': {
        const m = /^m([0-9a-fA-F]+),([0-9a-fA-F]+)$/.exec(p);
        const addr = m === null ? undefined : hexNum(m[1]);
        const len = m === null ? undefined : hexNum(m[2]);
        if (addr === undefined || len === undefined) return 'E01';
        const bytes = t.readMemory(this.hart(this.gHart), addr, Math.min(Number(len), MAX_READ_BYTES));
        return bytes.length === 0 && len > 0n ? 'E14' : toHex(bytes);
      }
      case 'M': {
        const m = /^M([0-9a-fA-F]+),([0-9a-fA-F]+):([0-9a-fA-F]*)$/.exec(p);
        const addr = m === null ? undefined : hexNum(m[1]);
        const bytes = m === null ? undefined : fromHex(m[3]);
        if (addr === undefined || bytes === undefined || m === null || BigInt(bytes.length) !== hexNum(m[2]))
          return 'E01';
        return t.writeMemory(this.hart(this.gHart), addr, bytes) ? 'OK' : 'E14';
      }
      case 'X': {
        const colon = p.indexOf(':');
        const m = /^X([0-9a-fA-F]+),([0-9a-fA-F]+)$/.exec(p.slice(0, colon));
        const addr = m === null ? undefined : hexNum(m[1]);
        const len = m === null ? undefined : hexNum(m[2]);
        if (colon < 0 || addr === undefined || len === undefined) return 'E01';
        const bytes = unescapeBinary(data.slice(colon + 1));
        if (BigInt(bytes.length) !== len) return 'E01';
        return t.writeMemory(this.hart(this.gHart), addr, bytes) ? 'OK' : 'E14';
      }
      case 'Z':
      case 'z':
        return this.point(p);
      case 'c':
      case 'C':
      case 's':
      case 'S':
        return this.resume(p);
      case 'H': {
        const k = this.threadOf(p.slice(2));
        if (k === undefined) return 'E01';
        const idx = typeof k === 'number' ? k : this.lastStop.hart;
        if (p[1] === 'g') this.gHart = idx;
        else if (p[1] === 'c') this.cHart = idx;
        else return 'E01';
        return 'OK';
      }
      case 'T':
        return typeof this.threadOf(p.slice(1)) === 'number' ? 'OK' : 'E01';
      case 'D':
        this.reply('OK');
        this.closed = true;
        this.target.onStop = () => {};
        this.target.detach();
        this.close();
        return undefined;
      case 'k':
        this.closed = true;
        this.target.kill();
        this.close();
        return undefined;
      case 'q':
      case 'Q':
        return this.query(p);
      case 'v':
        return this.vPacket(p);
      default:
        return '';
    }
  }

  /** Z/z: breakpoints (0 software, 1 hardware: the same mechanism) and watchpoints (2, 3, 4). */
  private point(p: string): string {
    const m = /^([Zz])([0-4]),([0-9a-fA-F]+),([0-9a-fA-F]+)/.exec(p);
    const addr = m === null ? undefined : hexNum(m[3]);
    const kind = m === null ? undefined : hexNum(m[4]);
    if (m === null || addr === undefined || kind === undefined) return 'E01';
    const insert = m[1] === 'Z';
    const t = this.target;
    if (insert && t.points >= MAX_POINTS) return 'E01';
    if (m[2] === '0' || m[2] === '1') {
      if (insert) t.addBreakpoint(addr);
      else t.removeBreakpoint(addr);
      return 'OK';
    }
    const len = Number(kind);
    if (len < 1 || len > 1 << 20) return 'E01';
    const w = WATCH_KINDS[m[2]];
    if (insert) t.addWatchpoint(w, addr, len);
    else t.removeWatchpoint(w, addr, len);
    return 'OK';
  }

  /** c, C, s, S [addr]: run (or step the Hc thread) from pc or `addr`; the reply comes at the stop. */
  private resume(p: string): string | undefined {
    const arg = p[0] === 'c' || p[0] === 's' ? p.slice(1) : (p.slice(1).split(';')[1] ?? '');
    const h = this.hart(this.cHart);
    if (arg !== '') {
      const a = hexNum(arg);
      if (a === undefined) return 'E01';
      this.target.writeRegister(h, REG_PC, bigintBytes(a));
    }
    this.running = true;
    if (p[0] === 's' || p[0] === 'S') this.target.step(h);
    else this.target.resume();
    return undefined;
  }

  private vPacket(p: string): string | undefined {
    if (p === 'vCont?') return 'vCont;c;C;s;S';
    if (p.startsWith('vCont;')) {
      // Actions apply to the threads they name, the first match counting. All-stop: a step of one
      // thread runs that thread alone (the others' continue takes no time). A continue of named
      // threads only (GDB's software single step of RISC-V, `vCont;c:1`) runs those alone;
      // one without a thread (`vCont;c`, `vCont;s:1;c`) runs all.
      let stepHart: number | undefined;
      const named = new Set<number>();
      let all = false;
      for (const action of p.slice(6).split(';')) {
        const [a, id] = action.split(':');
        const k = id === undefined ? 'all' : this.threadOf(id);
        if (k === undefined || a === undefined || a === '') return 'E01';
        if (a[0] === 's' || a[0] === 'S') stepHart ??= typeof k === 'number' ? k : this.cHart;
        else if (a[0] === 'c' || a[0] === 'C') {
          if (typeof k === 'number') named.add(k);
          else all = true;
        } else return 'E01';
      }
      this.running = true;
      if (stepHart !== undefined) this.target.step(this.hart(stepHart));
      else this.target.resume(all ? undefined : [...named].map((k) => this.hart(k)));
      return undefined;
    }
    if (p.startsWith('vKill')) {
      this.reply('OK');
      this.closed = true;
      this.target.kill();
      this.close();
      return undefined;
    }
    if (p === 'vMustReplyEmpty') return '';
    return '';
  }

  /** The reply to a query, or undefined when it was sent already. */
  private query(p: string): string | undefined {
    const t = this.target;
    if (p.startsWith('qSupported')) {
      return `PacketSize=${MAX_PACKET_BYTES.toString(16)};qXfer:features:read+;QStartNoAckMode+;vContSupported+`;
    }
    if (p === 'QStartNoAckMode') {
      this.acks = false;
      return 'OK';
    }
    if (p === 'qAttached' || p.startsWith('qAttached:')) return '1';
    if (p === 'qC') return `QC${(this.lastStop.hart + 1).toString(16)}`;
    if (p === 'qfThreadInfo') return `m${t.harts.map((_, k) => (k + 1).toString(16)).join(',')}`;
    if (p === 'qsThreadInfo') return 'l';
    if (p.startsWith('qThreadExtraInfo,')) {
      const k = this.threadOf(p.slice(17));
      if (typeof k !== 'number') return 'E01';
      const h = this.hart(k);
      const state = !h.running ? 'stopped (HSM)' : h.waiting ? 'waiting (WFI)' : 'halted';
      return toHex(ascii(`hart ${h.hartId}, ${state}, ${['U', 'S', '?', 'M'][h.priv]}-mode`));
    }
    if (p.startsWith('qRcmd,')) return this.monitor(p.slice(6));
    const xfer = /^qXfer:features:read:([^:]+):([0-9a-fA-F]+),([0-9a-fA-F]+)$/.exec(p);
    if (xfer !== null) {
      if (xfer[1] !== 'target.xml') return 'E00';
      this.xml ??= targetXml(t.csrs, t.csrNames);
      const off = Number(BigInt(`0x${xfer[2]}`));
      const len = Math.min(Number(BigInt(`0x${xfer[3]}`)), MAX_READ_BYTES);
      const chunk = this.xml.slice(off, off + len);
      const more = off + len < this.xml.length;
      this.replyBytes(Uint8Array.from([...ascii(more ? 'm' : 'l'), ...escapeBinary(ascii(chunk))]));
      return undefined;
    }
    return '';
  }

  /**
   * qRcmd (GDB's `monitor`): `info jit` says how many instructions ran while breakpoints,
   * watchpoints or steps were active, and how many of those translated code ran (QEMU's HMP has
   * an `info jit` too). Output goes in O packets before the final OK; unknown commands get the
   * empty reply (GDB: "Target does not support this command").
   */
  private monitor(hex: string): string {
    const bytes = fromHex(hex);
    if (bytes === undefined || text(bytes).trim() !== 'info jit') return '';
    const { executed, translated } = this.target.stats;
    const pct = executed > 0 ? ((100 * translated) / executed).toFixed(1) : '0.0';
    this.reply(
      `O${toHex(ascii(`instructions run while debugging: ${executed}, by translated code: ${translated} (${pct}%)\n`))}`,
    );
    return 'OK';
  }
}

function bigintBytes(v: bigint): Uint8Array {
  const out = new Uint8Array(8);
  for (let k = 0; k < 8; k++) out[k] = Number((v >> BigInt(8 * k)) & 0xffn);
  return out;
}
