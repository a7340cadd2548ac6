// DTB encoder against the Devicetree Specification v0.4 chapter 5: the blob is walked by a small
// decoder written here from the spec (independent of fdt-decode.ts), decompiled by the real dtc
// when it is installed, and fed invalid names and values.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { FdtError, FdtNode, bytes, concat, empty, encodeFdt, str, strList, u32, u64 } from './fdt.js';

/** A tree shaped like a two-hart RISC-V `virt` board. */
function sampleVirt(): FdtNode {
  const root = new FdtNode('');
  root
    .prop('#address-cells', u32(2))
    .prop('#size-cells', u32(2))
    .prop('compatible', strList('tsvirt,virt', 'riscv-virtio'))
    .prop('model', str('tsvirt virt'));
  root
    .addNode('chosen')
    .prop('bootargs', str('console=ttyS0 earlycon'))
    .prop('stdout-path', str('/soc/serial@10000000'))
    .prop('linux,initrd-start', u64(0x8800_0000))
    .prop('linux,initrd-end', u64(0x8820_0000n));
  root
    .addNode('memory@80000000')
    .prop('device_type', str('memory'))
    .prop('reg', u64(0x8000_0000, 0x800_0000));
  const cpus = root
    .addNode('cpus')
    .prop('#address-cells', u32(1))
    .prop('#size-cells', u32(0))
    .prop('timebase-frequency', u32(10_000_000));
  const intcs = [0, 1].map((hart) => {
    const cpu = cpus
      .addNode(`cpu@${hart}`)
      .prop('device_type', str('cpu'))
      .prop('reg', u32(hart))
      .prop('status', str('okay'))
      .prop('compatible', str('riscv'))
      .prop('riscv,isa-base', str('rv64i'))
      .prop('riscv,isa-extensions', strList('i', 'm', 'a', 'f', 'd', 'c', 'zicsr', 'zifencei'))
      .prop('mmu-type', str('riscv,sv39'));
    return cpu
      .addNode('interrupt-controller')
      .prop('#address-cells', u32(0))
      .prop('#interrupt-cells', u32(1))
      .prop('interrupt-controller', empty())
      .prop('compatible', str('riscv,cpu-intc'))
      .phandle();
  });
  const soc = root
    .addNode('soc')
    .prop('#address-cells', u32(2))
    .prop('#size-cells', u32(2))
    .prop('compatible', str('simple-bus'))
    .prop('ranges', empty());
  soc
    .addNode('clint@2000000')
    .prop('compatible', strList('sifive,clint0', 'riscv,clint0'))
    .prop('reg', u64(0x200_0000, 0x1_0000))
    .prop('interrupts-extended', u32(...intcs.flatMap((p) => [p, 3, p, 7])));
  const plic = soc
    .addNode('plic@c000000')
    .prop('compatible', strList('sifive,plic-1.0.0', 'riscv,plic0'))
    .prop('reg', u64(0xc00_0000, 0x60_0000))
    .prop('#address-cells', u32(0))
    .prop('#interrupt-cells', u32(1))
    .prop('interrupt-controller', empty())
    .prop('interrupts-extended', u32(...intcs.flatMap((p) => [p, 11, p, 9])))
    .prop('riscv,ndev', u32(31));
  soc
    .addNode('serial@10000000')
    .prop('compatible', str('ns16550a'))
    .prop('reg', u64(0x1000_0000, 0x100))
    .prop('clock-frequency', u32(1_843_200))
    .prop('interrupt-parent', u32(plic.phandle()))
    .prop('interrupts', u32(10));
  return root;
}

const MEM_RESERVE = [{ addr: 0x8000_0000, size: 0x20_0000 }];
const encodeSample = (): Uint8Array => encodeFdt(sampleVirt(), { bootCpuId: 1, memReserve: MEM_RESERVE });

// ---- A minimal decoder written from §5.2–§5.5 for this test alone: every number is the spec's. ----

interface Walked {
  header: Record<string, number>;
  reserve: [bigint, bigint][];
  /** One line per token: `begin NAME`, `prop NAME HEX`, `end`. */
  tokens: string[];
  strings: string[];
}

function walk(blob: Uint8Array): Walked {
  const dv = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  const names = [
    'magic',
    'totalsize',
    'off_dt_struct',
    'off_dt_strings',
    'off_mem_rsvmap',
    'version',
    'last_comp_version',
    'boot_cpuid_phys',
    'size_dt_strings',
    'size_dt_struct',
  ];
  const header = Object.fromEntries(names.map((n, i) => [n, dv.getUint32(i * 4, false)]));
  const reserve: [bigint, bigint][] = [];
  for (let at = header.off_mem_rsvmap; ; at += 16) {
    const entry: [bigint, bigint] = [dv.getBigUint64(at, false), dv.getBigUint64(at + 8, false)];
    if (entry[0] === 0n && entry[1] === 0n) break;
    reserve.push(entry);
  }
  const strOff = header.off_dt_strings;
  const cstr = (from: number): string => {
    let end = from;
    while (blob[end] !== 0) end++;
    return Buffer.from(blob.subarray(from, end)).toString('latin1');
  };
  const pad = (at: number): number => {
    const next = (at + 3) & ~3;
    for (let i = at; i < next; i++) assert.equal(blob[i], 0, `padding byte at ${i} is not zero`);
    return next;
  };
  const tokens: string[] = [];
  let at = header.off_dt_struct;
  for (;;) {
    assert.equal(at % 4, 0, 'tokens are 4-byte aligned');
    const token = dv.getUint32(at, false);
    at += 4;
    if (token === 0x9) break;
    if (token === 0x1) {
      const name = cstr(at);
      tokens.push(`begin ${name}`);
      at = pad(at + name.length + 1);
    } else if (token === 0x2) {
      tokens.push('end');
    } else if (token === 0x3) {
      const len = dv.getUint32(at, false);
      const nameoff = dv.getUint32(at + 4, false);
      at += 8;
      const value = Buffer.from(blob.subarray(at, at + len)).toString('hex');
      tokens.push(`prop ${cstr(strOff + nameoff)} ${value}`);
      at = pad(at + len);
    } else {
      assert.fail(`unexpected token ${token} at ${at - 4}`);
    }
  }
  assert.equal(at, header.off_dt_struct + header.size_dt_struct, 'size_dt_struct');
  const stringsBlock = blob.subarray(strOff, strOff + header.size_dt_strings);
  if (stringsBlock.length > 0) assert.equal(stringsBlock[stringsBlock.length - 1], 0, 'ends with NUL');
  const strings =
    stringsBlock.length === 0 ? [] : Buffer.from(stringsBlock.subarray(0, -1)).toString('latin1').split('\0');
  return { header, reserve, tokens, strings };
}

test('header fields and block layout follow §5.2–§5.5', () => {
  const blob = encodeSample();
  const { header, reserve, strings } = walk(blob);
  assert.equal(header.magic, 0xd00dfeed);
  assert.equal(header.totalsize, blob.length);
  assert.equal(header.version, 17);
  assert.equal(header.last_comp_version, 16);
  assert.equal(header.boot_cpuid_phys, 1);
  // Header (40 bytes), then the reservation block (one entry and the terminator), aligned to 8.
  assert.equal(header.off_mem_rsvmap, 40);
  assert.equal(header.off_dt_struct, 40 + 2 * 16);
  assert.equal(header.off_dt_strings, header.off_dt_struct + header.size_dt_struct);
  assert.equal(header.totalsize, header.off_dt_strings + header.size_dt_strings);
  assert.deepEqual(reserve, [[0x8000_0000n, 0x20_0000n]]);
  // Every property name is stored once.
  assert.equal(new Set(strings).size, strings.length);
  assert.ok(strings.includes('riscv,isa-extensions') && strings.includes('phandle'));
});

test('the structure block holds the tree: properties, then children, in insertion order', () => {
  const root = new FdtNode('');
  root.prop('#address-cells', u32(2)).prop('model', str('ab'));
  const cpus = root.addNode('cpus');
  cpus.prop('x', empty());
  cpus.addNode('cpu@0').prop('reg', u64(0x1_0000_0002n, 3)).prop('model', strList('p', 'qr'));
  root
    .addNode('soc')
    .prop('blob', bytes(Uint8Array.of(1, 2, 3, 4, 5)))
    .prop('pair', concat(u32(7), u64(8)));
  const { tokens, strings } = walk(encodeFdt(root));
  assert.deepEqual(tokens, [
    'begin ',
    'prop #address-cells 00000002',
    'prop model 616200',
    'begin cpus',
    'prop x ',
    'begin cpu@0',
    'prop reg 00000001000000020000000000000003',
    'prop model 7000717200',
    'end',
    'end',
    'begin soc',
    'prop blob 0102030405',
    'prop pair 000000070000000000000008',
    'end',
    'end',
  ]);
  assert.deepEqual(strings, ['#address-cells', 'model', 'x', 'reg', 'blob', 'pair']);
});

test('empty tree, no reservations: smallest valid blob', () => {
  const blob = encodeFdt(new FdtNode(''));
  const { header, reserve, tokens, strings } = walk(blob);
  assert.deepEqual(reserve, []);
  assert.deepEqual(tokens, ['begin ', 'end']);
  // BEGIN_NODE + empty name padded to 4 + END_NODE + END.
  assert.equal(header.size_dt_struct, 16);
  assert.equal(header.size_dt_strings, 0);
  assert.deepEqual(strings, []);
  assert.equal(blob.length, 40 + 16 + 16);
});

test('padBytes adds zeros counted in totalsize', () => {
  const plain = encodeFdt(new FdtNode(''));
  const padded = encodeFdt(new FdtNode(''), { padBytes: 1024 });
  assert.equal(padded.length, plain.length + 1024);
  assert.equal(new DataView(padded.buffer).getUint32(4, false), padded.length);
  assert.ok(padded.subarray(plain.length).every((b) => b === 0));
});

test('phandles: allocated lazily, unique per tree, stable, and explicit ones are respected', () => {
  const root = new FdtNode('');
  const a = root.addNode('a');
  const b = root.addNode('b');
  const c = root.addNode('c');
  assert.equal(a.props.has('phandle'), false);
  b.prop('phandle', u32(1));
  assert.equal(b.phandle(), 1);
  const pa = a.phandle();
  assert.equal(pa, 2);
  assert.equal(a.phandle(), pa);
  assert.deepEqual(a.props.get('phandle'), u32(2));
  assert.throws(() => c.prop('phandle', u32(2)), /phandle 2 is used by two nodes/);
  assert.throws(() => c.prop('phandle', u32(0)), /reserved/);
  assert.throws(() => c.prop('phandle', u32(0xffff_ffff)), /reserved/);
  assert.throws(() => c.prop('phandle', u64(3)), /one u32/);
  assert.equal(c.phandle(), 3);
  // Another tree allocates on its own.
  assert.equal(new FdtNode('').addNode('x').phandle(), 1);
});

test('dtc decompiles the blob to the expected source without warnings', (t) => {
  const blob = encodeSample();
  const run = spawnSync('dtc', ['-I', 'dtb', '-O', 'dts', '-o', '-', '-'], { input: blob, encoding: 'utf8' });
  if (run.error !== undefined) {
    t.skip(`dtc is not installed (package device-tree-compiler): ${run.error.message}`);
    return;
  }
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.stderr, '', 'dtc reports no warnings');
  assert.equal(run.stdout, EXPECTED_DTS);
});

test('invalid node names throw (§2.2.1)', () => {
  const root = new FdtNode('');
  for (const name of [
    '',
    '@0',
    '0cpu',
    '-x',
    'cpu@',
    'cpu@0@1',
    'a b',
    'a/b',
    'cpu#0',
    'x'.repeat(32),
    'é',
    'cpu@0/1',
  ])
    assert.throws(() => root.addNode(name), FdtError, `node name ${JSON.stringify(name)}`);
  for (const name of ['x'.repeat(31), 'x'.repeat(31) + '@' + 'f'.repeat(40), 'A,b.c_d+e-f@1,2', 'cpu@0'])
    root.addNode(name);
  // Only the root is made by the constructor.
  assert.throws(() => new FdtNode('cpus' as ''), /addNode/);
});

test('invalid property names throw (§2.2.4)', () => {
  const node = new FdtNode('');
  for (const name of ['', 'a b', 'a/b', 'a@b', 'x'.repeat(32), 'a=b', 'ä', 'a\0'])
    assert.throws(() => node.prop(name, empty()), FdtError, `property name ${JSON.stringify(name)}`);
  for (const name of ['#address-cells', 'linux,initrd-start', 'a?', '_', 'x'.repeat(31), '0'])
    node.prop(name, empty());
});

test('duplicate property and child names throw', () => {
  const root = new FdtNode('');
  root.prop('model', str('a'));
  assert.throws(() => root.prop('model', str('b')), /already has a property 'model'/);
  root.addNode('cpu@0');
  root.addNode('cpu@1');
  assert.throws(() => root.addNode('cpu@0'), /already has a child 'cpu@0'/);
});

test('value helpers encode big-endian and reject values that do not fit', () => {
  assert.deepEqual(u32(1, 0xffff_ffff), Uint8Array.of(0, 0, 0, 1, 0xff, 0xff, 0xff, 0xff));
  assert.deepEqual(u64(0x1_2345_6789n), Uint8Array.of(0, 0, 0, 1, 0x23, 0x45, 0x67, 0x89));
  assert.deepEqual(u64(2 ** 53 - 1), Uint8Array.of(0, 0x1f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff));
  assert.deepEqual(str('ab'), Uint8Array.of(0x61, 0x62, 0));
  assert.deepEqual(strList('a', '', 'b'), Uint8Array.of(0x61, 0, 0, 0x62, 0));
  assert.deepEqual(empty(), new Uint8Array(0));
  for (const bad of [-1, 2 ** 32, 1.5, NaN]) assert.throws(() => u32(bad), FdtError);
  for (const bad of [-1, 2 ** 53, -1n, 1n << 64n]) assert.throws(() => u64(bad), FdtError);
  assert.throws(() => u32(), /empty\(\)/);
  assert.throws(() => u64(), /empty\(\)/);
  assert.throws(() => strList(), FdtError);
  assert.throws(() => str('a\0b'), /NUL/);
  const src = Uint8Array.of(1);
  const copy = bytes(src);
  src[0] = 2;
  assert.equal(copy[0], 1);
});

test('encodeFdt validates its options', () => {
  const root = new FdtNode('');
  assert.throws(() => encodeFdt(root.addNode('a')), /root node/);
  assert.throws(() => encodeFdt(root, { bootCpuId: -1 }), FdtError);
  assert.throws(() => encodeFdt(root, { memReserve: [{ addr: 0, size: 0 }] }), /size 0/);
  assert.throws(() => encodeFdt(root, { memReserve: [{ addr: (1n << 64n) - 1n, size: 2 }] }), /wraps/);
  assert.throws(() => encodeFdt(root, { padBytes: -1 }), FdtError);
  const big = encodeFdt(root, { memReserve: [{ addr: (1n << 64n) - 0x1000n, size: 0x1000 }] });
  assert.deepEqual(walk(big).reserve, [[(1n << 64n) - 0x1000n, 0x1000n]]);
});

// dtc 1.6 prints cells in hex and every NUL-separated printable value as a string.
const EXPECTED_DTS = `/dts-v1/;

/memreserve/	0x0000000080000000 0x0000000000200000;
/ {
	#address-cells = <0x02>;
	#size-cells = <0x02>;
	compatible = "tsvirt,virt\\0riscv-virtio";
	model = "tsvirt virt";

	chosen {
		bootargs = "console=ttyS0 earlycon";
		stdout-path = "/soc/serial@10000000";
		linux,initrd-start = <0x00 0x88000000>;
		linux,initrd-end = <0x00 0x88200000>;
	};

	memory@80000000 {
		device_type = "memory";
		reg = <0x00 0x80000000 0x00 0x8000000>;
	};

	cpus {
		#address-cells = <0x01>;
		#size-cells = <0x00>;
		timebase-frequency = <0x989680>;

		cpu@0 {
			device_type = "cpu";
			reg = <0x00>;
			status = "okay";
			compatible = "riscv";
			riscv,isa-base = "rv64i";
			riscv,isa-extensions = "i\\0m\\0a\\0f\\0d\\0c\\0zicsr\\0zifencei";
			mmu-type = "riscv,sv39";

			interrupt-controller {
				#address-cells = <0x00>;
				#interrupt-cells = <0x01>;
				interrupt-controller;
				compatible = "riscv,cpu-intc";
				phandle = <0x01>;
			};
		};

		cpu@1 {
			device_type = "cpu";
			reg = <0x01>;
			status = "okay";
			compatible = "riscv";
			riscv,isa-base = "rv64i";
			riscv,isa-extensions = "i\\0m\\0a\\0f\\0d\\0c\\0zicsr\\0zifencei";
			mmu-type = "riscv,sv39";

			interrupt-controller {
				#address-cells = <0x00>;
				#interrupt-cells = <0x01>;
				interrupt-controller;
				compatible = "riscv,cpu-intc";
				phandle = <0x02>;
			};
		};
	};

	soc {
		#address-cells = <0x02>;
		#size-cells = <0x02>;
		compatible = "simple-bus";
		ranges;

		clint@2000000 {
			compatible = "sifive,clint0\\0riscv,clint0";
			reg = <0x00 0x2000000 0x00 0x10000>;
			interrupts-extended = <0x01 0x03 0x01 0x07 0x02 0x03 0x02 0x07>;
		};

		plic@c000000 {
			compatible = "sifive,plic-1.0.0\\0riscv,plic0";
			reg = <0x00 0xc000000 0x00 0x600000>;
			#address-cells = <0x00>;
			#interrupt-cells = <0x01>;
			interrupt-controller;
			interrupts-extended = <0x01 0x0b 0x01 0x09 0x02 0x0b 0x02 0x09>;
			riscv,ndev = <0x1f>;
			phandle = <0x03>;
		};

		serial@10000000 {
			compatible = "ns16550a";
			reg = <0x00 0x10000000 0x00 0x100>;
			clock-frequency = <0x1c2000>;
			interrupt-parent = <0x03>;
			interrupts = <0x0a>;
		};
	};
};
`;
