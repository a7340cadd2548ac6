// The part of the WebAssembly JavaScript API (https://webassembly.github.io/spec/js-api/) that
// tsvirt uses. Node has it built in, but @types/node does not declare it and the DOM library
// would bring in browser globals that do not exist in Node.

declare namespace WebAssembly {
  interface MemoryDescriptor {
    initial: number;
    maximum?: number;
    shared?: boolean;
  }
  class Memory {
    constructor(d: MemoryDescriptor);
    readonly buffer: ArrayBuffer;
  }
  interface TableDescriptor {
    element: 'anyfunc';
    initial: number;
    maximum?: number;
  }
  class Table {
    constructor(d: TableDescriptor);
    readonly length: number;
    get(i: number): unknown;
    set(i: number, v: unknown): void;
    grow(n: number): number;
  }
  class Module {
    constructor(bytes: Uint8Array);
  }
  type ImportValue = Memory | Table | ((...args: never[]) => unknown);
  type Imports = Record<string, Record<string, ImportValue>>;
  class Instance {
    constructor(m: Module, imports?: Imports);
    readonly exports: Record<string, unknown>;
  }
  function validate(bytes: Uint8Array): boolean;
}
