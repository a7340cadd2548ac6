// Example of tsvirt's library API (docs/api.md): build a `virt` VM from a tiny program, run it to
// completion and read what it printed. The program is a RISC-V Linux Image in name only: the
// header the loader needs, then 13 instructions that print a line on the UART and power off.

import { build, MemoryCharBackend, type VmEnd } from 'tsvirt';

/** The program, at the Image's offset 64 (RV64I, no compressed instructions). */
const PROGRAM = [
  0x100002b7, //    lui   t0, 0x10000      t0 = the NS16550A UART at 0x1000_0000
  0x00000317, //    auipc t1, 0
  0x03030313, //    addi  t1, t1, 48       t1 = the message, right after these 13 instructions
  0x00034383, // 1: lbu   t2, 0(t1)
  0x00038863, //    beqz  t2, 2f
  0x00728023, //    sb    t2, 0(t0)        the transmit holding register
  0x00130313, //    addi  t1, t1, 1
  0xff1ff06f, //    j     1b
  0x001002b7, // 2: lui   t0, 0x100        t0 = the SiFive test device at 0x10_0000
  0x00005337, //    lui   t1, 0x5
  0x5553031b, //    addiw t1, t1, 0x555    0x5555: power off
  0x0062a023, //    sw    t1, 0(t0)
  0x0000006f, // 3: j     3b
];

/**
 * A RISC-V Linux Image (Linux Documentation/arch/riscv/boot-image-header.rst) holding `program`
 * and then `message` (NUL-terminated): code0 jumps over the 64-byte header.
 */
export function tinyImage(program: readonly number[], message: string): Uint8Array {
  const text = new TextEncoder().encode(`${message}\0`);
  const image = new Uint8Array(4096);
  const v = new DataView(image.buffer);
  v.setUint32(0, 0x0400006f, true); // code0: j 64
  v.setBigUint64(8, 0x200000n, true); // text_offset: 2 MiB above the start of RAM
  v.setBigUint64(16, BigInt(image.length), true); // image_size
  image.set(new TextEncoder().encode('RISCV\0\0\0'), 48); // magic
  image.set(new TextEncoder().encode('RSC\x05'), 56); // magic2
  program.forEach((insn, k) => v.setUint32(64 + 4 * k, insn, true));
  image.set(text, 64 + 4 * program.length);
  return image;
}

/** Boot the program on a 16 MiB virt machine; returns how it ended and what it printed. */
export async function helloVirt(): Promise<{ end: VmEnd; output: string }> {
  const console = new MemoryCharBackend();
  const vm = await build({
    machine: 'virt',
    memoryBytes: 16 * 1024 * 1024,
    kernel: tinyImage(PROGRAM, 'hello from the guest\n'),
    console,
    // A guest that never stops would otherwise run forever.
    maxInstructions: 1_000_000,
  });
  try {
    const end = await vm.run();
    return { end, output: console.text() };
  } finally {
    await vm.close();
  }
}
