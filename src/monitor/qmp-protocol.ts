// QEMU's machine protocol, QMP (docs/interop/qmp-spec.rst): JSON objects over a byte stream, a
// greeting, capabilities negotiation, then commands answered in order and asynchronous events.
// Portable (no Node): the host layer owns the socket and hands this layer bytes.

/** A JSON value as QMP carries it. */
export type QmpValue = null | boolean | number | string | QmpValue[] | QmpObject;
/** A JSON object. */
export type QmpObject = { [key: string]: QmpValue };

/** The error classes of QMP (qapi/error.json's QapiErrorClass) that tsvirt can return. */
export type QmpErrorClass = 'GenericError' | 'CommandNotFound' | 'DeviceNotActive' | 'DeviceNotFound';

/** A command's failure: the reply is `{"error": {"class": errorClass, "desc": message}}`. */
export class QmpError extends Error {
  constructor(
    readonly errorClass: QmpErrorClass,
    desc: string,
  ) {
    super(desc);
  }
}

/** The largest JSON text accepted from a client (a longer one is answered with an error). */
export const MAX_MESSAGE_BYTES = 1024 * 1024;
/** The deepest nesting of arrays and objects accepted (QEMU's JSON parser has the same limit). */
export const MAX_NESTING = 1024;

/** One message split off the stream: its text, or why it cannot be one. */
export type Framed = { text: string } | { error: string };

const isSpace = (b: number): boolean => b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN = (b: number): boolean => b === 0x7b || b === 0x5b;
const CLOSE = (b: number): boolean => b === 0x7d || b === 0x5d;

/**
 * Splits a byte stream into JSON texts at the end of each top-level value, however the bytes
 * arrive (several messages in one chunk, one message over many). Memory is bounded: a value longer
 * than `maxBytes` or nested deeper than MAX_NESTING is reported once and its remaining bytes are
 * skipped (structure is still followed, so the next message is found), never buffered.
 */
export class JsonFramer {
  private parts: Uint8Array[] = [];
  private size = 0;
  private depth = 0;
  private inString = false;
  private escape = false;
  /** Inside top-level text that is no object (a number, stray words): it ends at a line end or a bracket. */
  private inScalar = false;
  /** Skipping the rest of a value that was too long or too deep. */
  private skipping = false;
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });

  constructor(
    private readonly deliver: (m: Framed) => void,
    private readonly maxBytes = MAX_MESSAGE_BYTES,
  ) {}

  /** Take the next bytes of the stream; `deliver` is called for each message they complete. */
  feed(bytes: Uint8Array): void {
    let start = 0;
    for (let i = 0; i < bytes.length; i++) {
      const b = bytes[i];
      if (this.inScalar) {
        // A line of stray text is one error, not one per word.
        if (b !== 0x0a && b !== 0x0d && !OPEN(b) && !CLOSE(b) && b !== QUOTE) continue;
        start = this.end(bytes, start, i);
      }
      if (this.depth === 0 && !this.inString && !this.inScalar) {
        if (isSpace(b)) continue;
        start = i;
        if (OPEN(b)) this.depth = 1;
        else if (b === QUOTE) this.inString = true;
        else if (CLOSE(b)) {
          this.deliver({ error: `JSON parse error, unexpected '${String.fromCharCode(b)}'` });
          continue;
        } else {
          this.inScalar = true;
          continue;
        }
        continue;
      }
      if (this.inString) {
        if (this.escape) this.escape = false;
        else if (b === BACKSLASH) this.escape = true;
        else if (b === QUOTE) {
          this.inString = false;
          if (this.depth === 0) start = this.end(bytes, start, i + 1);
        }
      } else if (b === QUOTE) {
        this.inString = true;
      } else if (OPEN(b)) {
        if (++this.depth > MAX_NESTING && !this.skipping)
          this.overflow(`JSON nesting too deep (limit ${MAX_NESTING})`);
      } else if (CLOSE(b)) {
        if (--this.depth === 0) start = this.end(bytes, start, i + 1);
      }
    }
    if (this.depth > 0 || this.inString || this.inScalar) this.keep(bytes.subarray(start));
  }

  /** Bytes [start, stop) of `bytes` end the current value: deliver it. Returns `stop`. */
  private end(bytes: Uint8Array, start: number, stop: number): number {
    this.keep(bytes.subarray(start, stop));
    const parts = this.parts;
    const size = this.size;
    const skipped = this.skipping;
    this.parts = [];
    this.size = 0;
    this.inScalar = false;
    this.skipping = false;
    if (skipped) return stop;
    const all = new Uint8Array(size);
    let at = 0;
    for (const p of parts) {
      all.set(p, at);
      at += p.length;
    }
    let text: string;
    try {
      text = this.decoder.decode(all);
    } catch {
      this.deliver({ error: 'JSON parse error, invalid UTF-8 sequence' });
      return stop;
    }
    this.deliver({ text });
    return stop;
  }

  /** Hold `part` of the current value (copied: the caller may reuse its buffer). */
  private keep(part: Uint8Array): void {
    if (this.skipping || part.length === 0) return;
    if (this.size + part.length > this.maxBytes) {
      this.overflow(`JSON message too large (limit ${this.maxBytes} bytes); skipped`);
      return;
    }
    this.parts.push(part.slice());
    this.size += part.length;
  }

  private overflow(why: string): void {
    this.deliver({ error: why });
    this.skipping = true;
    this.parts = [];
    this.size = 0;
  }
}

/** A command's implementation: its arguments, already checked against its parameters. */
export interface QmpCommand {
  readonly name: string;
  /** Its parameters: name -> type ('?' prefix in the name: optional). */
  readonly params: Readonly<Record<string, QmpParamType>>;
  run(args: QmpObject): QmpValue | Promise<QmpValue>;
}

/** The argument types the commands use. */
export type QmpParamType = 'str' | 'int' | 'bool' | 'number' | ['str'];

const TYPE_NAMES: Record<string, string> = {
  str: 'string',
  int: 'integer',
  bool: 'boolean',
  number: 'number',
  array: 'array',
};

function hasType(v: QmpValue, t: QmpParamType): boolean {
  if (Array.isArray(t)) return Array.isArray(v) && v.every((e) => typeof e === 'string');
  if (t === 'str') return typeof v === 'string';
  if (t === 'bool') return typeof v === 'boolean';
  if (t === 'number') return typeof v === 'number';
  return typeof v === 'number' && Number.isSafeInteger(v);
}

/** Check `args` against `params`, in the words of QEMU's argument visitor. */
export function checkArguments(params: Readonly<Record<string, QmpParamType>>, args: QmpObject): void {
  const names = new Map(Object.keys(params).map((p) => [p.replace(/^\?/, ''), p]));
  for (const key of Object.keys(args)) {
    const spec = names.get(key);
    if (spec === undefined) throw new QmpError('GenericError', `Parameter '${key}' is unexpected`);
    const t = params[spec];
    if (!hasType(args[key], t)) {
      const expected = TYPE_NAMES[Array.isArray(t) ? 'array' : t];
      throw new QmpError('GenericError', `Invalid parameter type for '${key}', expected: ${expected}`);
    }
  }
  for (const [name, spec] of names) {
    if (!spec.startsWith('?') && !Object.hasOwn(args, name)) {
      throw new QmpError('GenericError', `Parameter '${name}' is missing`);
    }
  }
}

/** The server's version as the greeting and query-version give it (QEMU's VersionInfo). */
export interface QmpVersion {
  qemu: { major: number; minor: number; micro: number };
  package: string;
}

/** An event's time: seconds and microseconds since the epoch (both -1 when unknown). */
export interface QmpTimestamp {
  seconds: number;
  microseconds: number;
}

/** Now, as an event timestamp (the host's wall clock, as QEMU's). */
export function timestampNow(nowMs: number = Date.now()): QmpTimestamp {
  const us = Math.round(nowMs * 1000);
  return { seconds: Math.floor(us / 1e6), microseconds: us % 1e6 };
}

/** What a session needs of its connection. */
export interface QmpConnection {
  /** Send one message (a JSON text; the session adds the line end). */
  send(text: string): void;
  /**
   * Stop (false) or restart (true) reading input: the session stops reading while it has more
   * commands queued than it will hold, as QEMU's monitor suspends a busy client.
   */
  setReading(on: boolean): void;
  /** Close the connection once what was sent is delivered (the client ended its input). */
  end(): void;
}

/** Commands a session holds queued before it stops reading its client. */
export const MAX_QUEUED_COMMANDS = 8;

interface Request {
  id: QmpValue | undefined;
  execute: string;
  args: QmpObject;
}

const isObject = (v: unknown): v is QmpObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * One client's conversation. It starts in capabilities negotiation mode, where only
 * `qmp_capabilities` is accepted, then enters command mode, where it runs commands one at a time
 * in arrival order and receives events. Never throws: every failure is an error reply.
 */
export class QmpSession {
  private commandMode = false;
  private readonly framer: JsonFramer;
  private readonly queue: (Request | { error: QmpError; id: QmpValue | undefined })[] = [];
  private running = false;
  private reading = true;
  private closed = false;
  private inputEnded = false;

  constructor(
    private readonly conn: QmpConnection,
    private readonly version: QmpVersion,
    private readonly commands: ReadonlyMap<string, QmpCommand>,
  ) {
    this.framer = new JsonFramer((m) => this.onMessage(m));
  }

  /** Send the greeting (QMP's first message). */
  greet(): void {
    // No capability is offered: tsvirt implements no out-of-band execution.
    this.write({ QMP: { version: { ...this.version }, capabilities: [] } });
  }

  /** Bytes from the client. */
  feed(bytes: Uint8Array): void {
    if (!this.closed) this.framer.feed(bytes);
  }

  /** Whether the session left negotiation mode (events go only to such sessions). */
  get negotiated(): boolean {
    return this.commandMode;
  }

  /** Send an event, if the client is in command mode. */
  event(name: string, data: QmpObject | undefined, at: QmpTimestamp = timestampNow()): void {
    if (!this.commandMode || this.closed) return;
    const msg: QmpObject = { event: name };
    if (data !== undefined) msg.data = data;
    msg.timestamp = { ...at };
    this.write(msg);
  }

  /**
   * The client sent its last byte (it may still read): answer what is queued, then end the
   * connection. An unfinished message is dropped.
   */
  endOfInput(): void {
    this.inputEnded = true;
    if (!this.running) this.conn.end();
  }

  /** The connection is gone: drop what is queued. */
  close(): void {
    this.closed = true;
    this.queue.length = 0;
  }

  private write(msg: QmpObject): void {
    if (!this.closed) this.conn.send(JSON.stringify(msg));
  }

  private onMessage(m: Framed): void {
    if ('error' in m) {
      this.enqueue({ error: new QmpError('GenericError', m.error), id: undefined });
      return;
    }
    let v: unknown;
    try {
      v = JSON.parse(m.text);
    } catch (e) {
      this.enqueue({
        error: new QmpError('GenericError', `JSON parse error, ${(e as Error).message}`),
        id: undefined,
      });
      return;
    }
    this.enqueue(parseRequest(v));
  }

  private enqueue(r: Request | { error: QmpError; id: QmpValue | undefined }): void {
    this.queue.push(r);
    if (this.queue.length >= MAX_QUEUED_COMMANDS && this.reading) {
      this.reading = false;
      this.conn.setReading(false);
    }
    if (!this.running) void this.drain();
  }

  private async drain(): Promise<void> {
    this.running = true;
    for (let r = this.queue.shift(); r !== undefined; r = this.queue.shift()) {
      const reply: QmpObject = {};
      try {
        if ('error' in r) throw r.error;
        reply.return = await this.dispatch(r);
      } catch (e) {
        const err =
          e instanceof QmpError
            ? e
            : new QmpError('GenericError', `internal error: ${(e as Error)?.message ?? e}`);
        reply.error = { class: err.errorClass, desc: err.message };
      }
      if (r.id !== undefined) reply.id = r.id;
      this.write(reply);
      if (!this.reading && this.queue.length < MAX_QUEUED_COMMANDS / 2 && !this.closed) {
        this.reading = true;
        this.conn.setReading(true);
      }
    }
    this.running = false;
    if (this.inputEnded && !this.closed) this.conn.end();
  }

  private async dispatch(r: Request): Promise<QmpValue> {
    if (r.execute === 'qmp_capabilities') {
      if (this.commandMode) {
        throw new QmpError(
          'CommandNotFound',
          'Capabilities negotiation is already complete, command ignored',
        );
      }
      checkArguments({ '?enable': ['str'] }, r.args);
      for (const cap of (r.args.enable as string[] | undefined) ?? []) {
        if (cap === 'oob') throw new QmpError('GenericError', "Capability 'oob' not available");
        throw new QmpError('GenericError', `Parameter 'enable' does not accept value '${cap}'`);
      }
      this.commandMode = true;
      return {};
    }
    if (!this.commandMode) {
      throw new QmpError('CommandNotFound', "Expecting capabilities negotiation with 'qmp_capabilities'");
    }
    const cmd = this.commands.get(r.execute);
    if (cmd === undefined)
      throw new QmpError('CommandNotFound', `The command ${r.execute} has not been found`);
    checkArguments(cmd.params, r.args);
    return await cmd.run(r.args);
  }
}

/** A client's message as a request, or the error QEMU's dispatcher gives for it. */
function parseRequest(v: unknown): Request | { error: QmpError; id: QmpValue | undefined } {
  const bad = (desc: string, id?: QmpValue): { error: QmpError; id: QmpValue | undefined } => ({
    error: new QmpError('GenericError', desc),
    id,
  });
  if (!isObject(v)) return bad('QMP input must be a JSON object');
  const id = Object.hasOwn(v, 'id') ? v.id : undefined;
  for (const key of Object.keys(v)) {
    if (key === 'exec-oob') return bad('Out-of-band execution was not negotiated (no capability oob)', id);
    if (key !== 'execute' && key !== 'arguments' && key !== 'id') {
      return bad(`QMP input member '${key}' is unexpected`, id);
    }
  }
  if (!Object.hasOwn(v, 'execute')) return bad("QMP input lacks member 'execute'", id);
  if (typeof v.execute !== 'string') return bad("QMP input member 'execute' must be a string", id);
  const args = Object.hasOwn(v, 'arguments') ? v.arguments : {};
  if (!isObject(args)) return bad("QMP input member 'arguments' must be an object", id);
  return { id, execute: v.execute, args };
}
