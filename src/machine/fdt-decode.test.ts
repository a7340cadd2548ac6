// DTB decoder: round trips through encodeFdt and through dtc's own output, and malformed blobs
// (hand-made faults, truncations, random corruption) that must end in an FdtError, never a RangeError.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { FdtError, FdtNode, empty, encodeFdt, str, strList, u32, u64 } from './fdt.js';
import { type FdtDecodedNode, decodeFdt, findNode, readStrings, readU32s, readU64s } from './fdt-decode.js';

function sample(): FdtNode {
  const root = new FdtNode('');
  root.prop('#address-cells', u32(2)).prop('#size-cells', u32(2)).prop('compatible', str('tsvirt,virt'));
  root.addNode('chosen').prop('bootargs', str('console=ttyS0')).prop('linux,initrd-start', u64(0x8800_0000));
  root
    .addNode('memory@80000000')
    .prop('device_type', str('memory'))
    .prop('reg', u64(0x8000_0000, 1 << 27));
  const cpus = root.addNode('cpus').prop('#address-cells', u32(1)).prop('#size-cells', u32(0));
  const cpu = cpus.addNode('cpu@0').prop('device_type', str('cpu')).prop('reg', u32(0));
  cpu.prop('riscv,isa-extensions', strList('i', 'm', 'a', 'zicsr'));
  const intc = cpu.addNode('interrupt-controller');
  intc.prop('#interrupt-cells', u32(1)).prop('interrupt-controller', empty());
  root.addNode('soc').addNode('plic@c000000').prop('interrupts-extended', u32(intc.phandle(), 11));
  return root;
}

/** The builder's tree as the decoder's plain objects. */
function plain(node: FdtNode): FdtDecodedNode {
  return { name: node.name, props: new Map(node.props), children: node.children.map(plain) };
}

const dtc = (args: string[], input: Uint8Array | string) => spawnSync('dtc', args, { input });

test('encode → decode gives back the tree, boot CPU and reservations', () => {
  const root = sample();
  const memReserve = [
    { addr: 0x8000_0000n, size: 0x20_0000n },
    { addr: (1n << 64n) - 0x1000n, size: 0x1000n },
  ];
  const decoded = decodeFdt(encodeFdt(root, { bootCpuId: 3, memReserve }));
  assert.deepEqual(decoded.root, plain(root));
  assert.equal(decoded.bootCpuId, 3);
  assert.deepEqual(decoded.memReserve, memReserve);
  assert.equal(decoded.version, 17);
});

test('bytes past totalsize are ignored, and a view into a larger buffer works', () => {
  const blob = encodeFdt(sample());
  const host = new Uint8Array(blob.length + 64).fill(0xaa);
  host.set(blob, 16);
  const decoded = decodeFdt(host.subarray(16));
  assert.deepEqual(decoded.root, plain(sample()));
});

test('findNode and the value readers', () => {
  const { root } = decodeFdt(encodeFdt(sample()));
  assert.equal(findNode(root, '/'), root);
  const cpu = findNode(root, '/cpus/cpu@0');
  assert.ok(cpu !== undefined);
  assert.equal(findNode(root, '/cpus/cpu@1'), undefined);
  assert.throws(() => findNode(root, 'cpus'), /not absolute/);
  assert.deepEqual(readStrings(cpu.props.get('riscv,isa-extensions') as Uint8Array), [
    'i',
    'm',
    'a',
    'zicsr',
  ]);
  assert.deepEqual(readU32s(cpu.props.get('reg') as Uint8Array), [0]);
  const mem = findNode(root, '/memory@80000000') as FdtDecodedNode;
  assert.deepEqual(readU64s(mem.props.get('reg') as Uint8Array), [0x8000_0000n, 1n << 27n]);
  const plic = findNode(root, '/soc/plic@c000000') as FdtDecodedNode;
  assert.deepEqual(readU32s(plic.props.get('interrupts-extended') as Uint8Array), [1, 11]);
  assert.throws(() => readU32s(new Uint8Array(3)), FdtError);
  assert.throws(() => readU64s(new Uint8Array(4)), FdtError);
  assert.throws(() => readStrings(Uint8Array.of(0x61)), /NUL/);
  assert.throws(() => readStrings(empty()), /NUL/);
});

test('blobs written by dtc decode to the same tree', (t) => {
  const ours = encodeFdt(sample(), { bootCpuId: 2, memReserve: [{ addr: 0x1000, size: 0x2000 }] });
  const rewritten = dtc(['-I', 'dtb', '-O', 'dtb', '-o', '-', '-'], ours);
  if (rewritten.error !== undefined) {
    t.skip(`dtc is not installed (package device-tree-compiler): ${rewritten.error.message}`);
    return;
  }
  assert.equal(rewritten.status, 0, String(rewritten.stderr));
  const theirs = decodeFdt(new Uint8Array(rewritten.stdout));
  assert.deepEqual(theirs, decodeFdt(ours));

  // From source, with a label reference and padding (-p) after the strings block.
  const source = `/dts-v1/;
/memreserve/ 0x80000000 0x200000;
/ {
  #address-cells = <2>; #size-cells = <2>;
  intc: ic { #interrupt-cells = <1>; interrupt-controller; };
  dev { interrupts-extended = <&intc 5>; names = "a", "bc"; big = /bits/ 64 <0x123456789>; };
};
`;
  const compiled = dtc(['-I', 'dts', '-O', 'dtb', '-p', '256', '-o', '-', '-'], source);
  assert.equal(compiled.status, 0, String(compiled.stderr));
  const { root, memReserve } = decodeFdt(new Uint8Array(compiled.stdout));
  assert.deepEqual(memReserve, [{ addr: 0x8000_0000n, size: 0x20_0000n }]);
  const ic = findNode(root, '/ic') as FdtDecodedNode;
  const dev = findNode(root, '/dev') as FdtDecodedNode;
  const phandle = readU32s(ic.props.get('phandle') as Uint8Array)[0];
  assert.deepEqual(readU32s(dev.props.get('interrupts-extended') as Uint8Array), [phandle, 5]);
  assert.deepEqual(readStrings(dev.props.get('names') as Uint8Array), ['a', 'bc']);
  assert.deepEqual(readU64s(dev.props.get('big') as Uint8Array), [0x1_2345_6789n]);
  assert.deepEqual(ic.props.get('interrupt-controller'), empty());
});

// ---- Hand-made blobs, one fault each. ----

interface Craft {
  struct: number[];
  /** Bytes appended to the structure block after the words (a name and its padding, say). */
  strings?: string;
  reserve?: bigint[];
  header?: Partial<Record<'magic' | 'version' | 'last' | 'total' | 'rsv' | 'structSize', number>>;
}

/** A blob laid out like encodeFdt's, from raw structure words; names are packed as words by `name`. */
function craft({ struct, strings = '', reserve = [0n, 0n], header = {} }: Craft): Uint8Array {
  const rsvBytes = reserve.length * 8;
  const offStruct = 40 + rsvBytes;
  const offStrings = offStruct + struct.length * 4;
  const total = offStrings + strings.length;
  const blob = new Uint8Array(total);
  const dv = new DataView(blob.buffer);
  const fields = [
    header.magic ?? 0xd00dfeed,
    header.total ?? total,
    offStruct,
    offStrings,
    header.rsv ?? 40,
    header.version ?? 17,
    header.last ?? 16,
    0,
    strings.length,
    header.structSize ?? struct.length * 4,
  ];
  fields.forEach((v, i) => dv.setUint32(i * 4, v, false));
  reserve.forEach((v, i) => dv.setBigUint64(40 + i * 8, v, false));
  struct.forEach((w, i) => dv.setUint32(offStruct + i * 4, w, false));
  blob.set(Buffer.from(strings, 'latin1'), offStrings);
  return blob;
}

/** A node name as big-endian words, NUL-terminated and padded to 4 bytes. */
function name(s: string): number[] {
  const b = Buffer.alloc(Math.ceil((s.length + 1) / 4) * 4);
  b.write(s, 'latin1');
  return Array.from({ length: b.length / 4 }, (_, i) => b.readUInt32BE(i * 4));
}

const [BEGIN, END_NODE, PROP, NOP, END] = [1, 2, 3, 4, 9];
const ROOT = [BEGIN, ...name('')];

test('a minimal hand-made blob decodes, NOPs included', () => {
  const blob = craft({
    struct: [NOP, ...ROOT, PROP, 4, 0, 7, NOP, BEGIN, ...name('a'), END_NODE, END_NODE, NOP, END],
    strings: 'x\0',
  });
  const { root } = decodeFdt(blob);
  assert.deepEqual(root, {
    name: '',
    props: new Map([['x', Uint8Array.of(0, 0, 0, 7)]]),
    children: [{ name: 'a', props: new Map(), children: [] }],
  });
  // Version 16 has no size_dt_struct; the structure block may run to totalsize.
  assert.equal(decodeFdt(craft({ struct: [...ROOT, END_NODE, END], header: { version: 16 } })).version, 16);
});

test('hand-made faults throw a clear FdtError', () => {
  const ok = [...ROOT, END_NODE, END];
  const cases: [string, Uint8Array, RegExp][] = [
    ['short', new Uint8Array(39), /shorter than the 40-byte header/],
    ['magic', craft({ struct: ok, header: { magic: 0xfeedd00d } }), /bad magic/],
    ['old version', craft({ struct: ok, header: { version: 15 } }), /version 15 is older/],
    ['new last_comp', craft({ struct: ok, header: { version: 18, last: 18 } }), /last_comp_version 18/],
    ['totalsize big', craft({ struct: ok, header: { total: 1 << 20 } }), /exceeds/],
    ['totalsize small', craft({ struct: ok, header: { total: 20 } }), /smaller than the header/],
    ['rsvmap align', craft({ struct: ok, header: { rsv: 44 } }), /off_mem_rsvmap 44/],
    ['struct size', craft({ struct: ok, header: { structSize: 4096 } }), /past totalsize/],
    ['rsvmap unterminated', craft({ struct: [], reserve: [1n, 1n] }), /no terminating entry/],
    ['no END', craft({ struct: [...ROOT, END_NODE] }), /inside a token/],
    ['END early', craft({ struct: [...ROOT, END] }), /before the root node is closed/],
    ['END first', craft({ struct: [END] }), /before the root node is closed/],
    ['two roots', craft({ struct: [...ROOT, END_NODE, ...ROOT, END_NODE, END] }), /follows the root/],
    ['stray END_NODE', craft({ struct: [END_NODE, END] }), /outside any node/],
    ['stray PROP', craft({ struct: [PROP, 0, 0, END], strings: 'x\0' }), /outside any node/],
    ['unknown token', craft({ struct: [...ROOT, 7, END_NODE, END] }), /unknown token 0x7/],
    ['name unterminated', craft({ struct: [BEGIN, 0x61616161] }), /without a NUL/],
    ['name bytes', craft({ struct: [...ROOT, BEGIN, 0x61010000, END_NODE, END_NODE, END] }), /byte 0x1/],
    ['empty child', craft({ struct: [...ROOT, ...ROOT, END_NODE, END_NODE, END] }), /node name ''/],
    ['slash child', craft({ struct: [...ROOT, BEGIN, ...name('a/b'), END_NODE, END_NODE, END] }), /'a\/b'/],
    [
      'duplicate child',
      craft({
        struct: [...ROOT, BEGIN, ...name('a'), END_NODE, BEGIN, ...name('a'), END_NODE, END_NODE, END],
      }),
      /two children named 'a'/,
    ],
    ['nameoff', craft({ struct: [...ROOT, PROP, 0, 2, END_NODE, END], strings: 'x\0' }), /nameoff 2/],
    [
      'name past strings',
      craft({ struct: [...ROOT, PROP, 0, 0, END_NODE, END], strings: 'xy' }),
      /without a NUL/,
    ],
    ['prop len', craft({ struct: [...ROOT, PROP, 64, 0, END_NODE, END], strings: 'x\0' }), /runs past/],
    ['prop len huge', craft({ struct: [...ROOT, PROP, 0xffff_fff0, 0, END], strings: 'x\0' }), /runs past/],
    [
      'duplicate prop',
      craft({ struct: [...ROOT, PROP, 0, 0, PROP, 0, 0, END_NODE, END], strings: 'x\0' }),
      /two properties 'x'/,
    ],
    [
      'prop after child',
      craft({ struct: [...ROOT, BEGIN, ...name('a'), END_NODE, PROP, 0, 0, END_NODE, END], strings: 'x\0' }),
      /follows a subnode/,
    ],
  ];
  for (const [what, blob, message] of cases) {
    assert.throws(
      () => decodeFdt(blob),
      (e: unknown) => e instanceof FdtError && message.test(e.message),
      what,
    );
  }
});

/** Decodes or throws FdtError; anything else (RangeError, TypeError) fails the test. */
function decodeOrFdtError(blob: Uint8Array, what: string): void {
  try {
    decodeFdt(blob);
  } catch (e) {
    if (!(e instanceof FdtError)) assert.fail(`${what}: ${String(e)}`);
  }
}

test('every truncation throws, also with totalsize patched to fit', () => {
  const blob = encodeFdt(sample(), { memReserve: [{ addr: 1, size: 2 }] });
  for (let len = 0; len < blob.length; len++) {
    const cut = blob.slice(0, len);
    assert.throws(() => decodeFdt(cut), FdtError, `truncated to ${len}`);
    if (len >= 8) {
      new DataView(cut.buffer).setUint32(4, len, false);
      decodeOrFdtError(cut, `truncated to ${len} with totalsize patched`);
    }
  }
});

test('random corruption ends in a decoded tree or an FdtError', () => {
  const blob = encodeFdt(sample(), { memReserve: [{ addr: 1, size: 2 }] });
  let seed = 0x1234_5678;
  const rand = (n: number): number => {
    seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0;
    return (seed >>> 8) % n;
  };
  for (let i = 0; i < 5000; i++) {
    const bad = blob.slice();
    for (let flips = 1 + rand(3); flips > 0; flips--) {
      // Half the time hit the header, where one byte moves whole blocks.
      const at = rand(2) === 0 ? rand(40) : rand(bad.length);
      bad[at] = rand(4) === 0 ? 0xff : rand(256);
    }
    decodeOrFdtError(bad, `corruption #${i}`);
  }
});
