// The device tree of the `virt` board, generated from its memory map (Devicetree spec v0.4;
// Linux bindings: riscv/cpus.yaml and extensions.yaml, sifive,plic-1.0.0, sifive,clint0, ns16550a,
// google,goldfish-rtc, syscon-poweroff/-reboot, virtio,mmio).

import { FdtNode, empty, encodeFdt, str, strList, u32, u64 } from '../../machine/fdt.js';
import { VIRT_MAP, VIRT_PLIC_SOURCES, VIRT_TIMEBASE_HZ, VIRT_UART_CLOCK_HZ } from './memory-map.js';
import { plicSize } from '../../devices/plic/plic.js';
import type { IsaProfile } from '../../cpu/riscv/isa/profile.js';
import { CBO_BLOCK_BYTES } from '../../cpu/riscv/cbo.js';

/** The cpu-node property giving the cache-block size of each CMO extension. */
const CBO_BLOCK_PROPS: readonly [string, string][] = [
  ['zicbom', 'riscv,cbom-block-size'],
  ['zicbop', 'riscv,cbop-block-size'],
  ['zicboz', 'riscv,cboz-block-size'],
];

export interface VirtFdtOptions {
  harts: number;
  ramBytes: number;
  bootargs: string;
  initrd?: { start: number; end: number };
  /** The harts' extensions, advertised in riscv,isa-extensions (and the deprecated riscv,isa). */
  isa: IsaProfile;
  /** Satp modes the MMU supports, the largest for mmu-type. */
  mmuType: 'riscv,sv39' | 'riscv,sv48';
  /** Random bytes for /chosen/rng-seed (none: the property is left out). */
  rngSeed?: Uint8Array;
}

export function buildVirtFdt(o: VirtFdtOptions): Uint8Array {
  const root = new FdtNode('');
  root.prop('#address-cells', u32(2)).prop('#size-cells', u32(2));
  root.prop('compatible', str('riscv-virtio')).prop('model', str('tsvirt,virt'));

  const chosen = root.addNode('chosen');
  chosen.prop('bootargs', str(o.bootargs));
  chosen.prop('stdout-path', str(`/soc/serial@${VIRT_MAP.uart0.base.toString(16)}`));
  if (o.initrd !== undefined) {
    chosen.prop('linux,initrd-start', u64(o.initrd.start)).prop('linux,initrd-end', u64(o.initrd.end));
  }
  // Devicetree spec 3.6 (/chosen rng-seed): Linux credits these bytes to its entropy pool at boot
  // (add_bootloader_randomness), so its CRNG is ready at once. Without a seed (and no RISC-V
  // entropy source: no Zkr) the CRNG stays unready, and every random request (one per system call,
  // for the kernel-stack offset) re-hashes the input pool: a system call cost ~14k instructions.
  if (o.rngSeed !== undefined) chosen.prop('rng-seed', o.rngSeed);

  root
    .addNode(`memory@${VIRT_MAP.ram.base.toString(16)}`)
    .prop('device_type', str('memory'))
    .prop('reg', u64(VIRT_MAP.ram.base, o.ramBytes));

  const cpus = root.addNode('cpus');
  cpus.prop('#address-cells', u32(1)).prop('#size-cells', u32(0));
  cpus.prop('timebase-frequency', u32(VIRT_TIMEBASE_HZ));
  const intcs: number[] = [];
  const cpuPhandles: number[] = [];
  for (let h = 0; h < o.harts; h++) {
    const cpu = cpus.addNode(`cpu@${h}`);
    cpuPhandles.push(cpu.phandle());
    cpu.prop('device_type', str('cpu')).prop('reg', u32(h)).prop('status', str('okay'));
    cpu.prop('compatible', str('riscv'));
    cpu.prop('riscv,isa', str(o.isa.isaString));
    cpu.prop('riscv,isa-base', str('rv64i'));
    cpu.prop('riscv,isa-extensions', strList(...o.isa.list));
    cpu.prop('mmu-type', str(o.mmuType));
    // riscv/cpus.yaml: the block size of each CMO extension present (Linux needs cbom's and
    // cboz's to use them; cbop's is in the binding too).
    for (const [ext, prop] of CBO_BLOCK_PROPS) if (o.isa.has(ext)) cpu.prop(prop, u32(CBO_BLOCK_BYTES));
    const intc = cpu.addNode('interrupt-controller');
    intc
      .prop('#address-cells', u32(0))
      .prop('#interrupt-cells', u32(1))
      .prop('interrupt-controller', empty());
    intc.prop('compatible', str('riscv,cpu-intc'));
    intcs.push(intc.phandle());
  }
  const cluster = cpus.addNode('cpu-map').addNode('cluster0');
  cpuPhandles.forEach((p, h) => cluster.addNode(`core${h}`).prop('cpu', u32(p)));

  const soc = root.addNode('soc');
  soc.prop('#address-cells', u32(2)).prop('#size-cells', u32(2));
  soc.prop('compatible', str('simple-bus')).prop('ranges', empty());

  const M_SOFT = 3,
    M_TIMER = 7,
    M_EXT = 11,
    S_EXT = 9;
  soc
    .addNode(`clint@${VIRT_MAP.clint.base.toString(16)}`)
    .prop('compatible', strList('sifive,clint0', 'riscv,clint0'))
    .prop('reg', u64(VIRT_MAP.clint.base, VIRT_MAP.clint.size))
    .prop('interrupts-extended', u32(...intcs.flatMap((p) => [p, M_SOFT, p, M_TIMER])));

  const plic = soc.addNode(`plic@${VIRT_MAP.plic.base.toString(16)}`);
  const plicPh = plic.phandle();
  plic
    .prop('compatible', strList('sifive,plic-1.0.0', 'riscv,plic0'))
    .prop('reg', u64(VIRT_MAP.plic.base, plicSize(2 * o.harts)))
    .prop('#address-cells', u32(0))
    .prop('#interrupt-cells', u32(1))
    .prop('interrupt-controller', empty())
    .prop('riscv,ndev', u32(VIRT_PLIC_SOURCES - 1))
    // Context 2h is hart h's M-mode external interrupt, 2h+1 its S-mode one.
    .prop('interrupts-extended', u32(...intcs.flatMap((p) => [p, M_EXT, p, S_EXT])));

  const test = soc.addNode(`test@${VIRT_MAP.test.base.toString(16)}`);
  const testPh = test.phandle();
  test
    .prop('compatible', strList('sifive,test1', 'sifive,test0', 'syscon'))
    .prop('reg', u64(VIRT_MAP.test.base, VIRT_MAP.test.size));
  soc
    .addNode('poweroff')
    .prop('compatible', str('syscon-poweroff'))
    .prop('regmap', u32(testPh))
    .prop('offset', u32(0))
    .prop('value', u32(0x5555));
  soc
    .addNode('reboot')
    .prop('compatible', str('syscon-reboot'))
    .prop('regmap', u32(testPh))
    .prop('offset', u32(0))
    .prop('value', u32(0x7777));

  soc
    .addNode(`rtc@${VIRT_MAP.rtc.base.toString(16)}`)
    .prop('compatible', str('google,goldfish-rtc'))
    .prop('reg', u64(VIRT_MAP.rtc.base, VIRT_MAP.rtc.size))
    .prop('interrupt-parent', u32(plicPh))
    .prop('interrupts', u32(VIRT_MAP.rtc.irq));

  soc
    .addNode(`serial@${VIRT_MAP.uart0.base.toString(16)}`)
    .prop('compatible', str('ns16550a'))
    .prop('reg', u64(VIRT_MAP.uart0.base, VIRT_MAP.uart0.size))
    .prop('clock-frequency', u32(VIRT_UART_CLOCK_HZ))
    .prop('interrupt-parent', u32(plicPh))
    .prop('interrupts', u32(VIRT_MAP.uart0.irq));

  // Highest slot first, as on QEMU virt: Linux probes in this order, and board.ts puts the first
  // device in the highest slot, so the first --disk is vda.
  for (let k = VIRT_MAP.virtio.count - 1; k >= 0; k--) {
    const base = VIRT_MAP.virtio.base + k * VIRT_MAP.virtio.size;
    soc
      .addNode(`virtio_mmio@${base.toString(16)}`)
      .prop('compatible', str('virtio,mmio'))
      .prop('reg', u64(base, VIRT_MAP.virtio.size))
      .prop('interrupt-parent', u32(plicPh))
      .prop('interrupts', u32(VIRT_MAP.virtio.firstIrq + k));
  }

  // Room after the blob lets M-mode firmware (OpenSBI) add its nodes in place.
  return encodeFdt(root, { bootCpuId: 0, padBytes: 16384 });
}
