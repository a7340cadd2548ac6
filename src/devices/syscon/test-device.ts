// The SiFive test finisher ("test" device; devicetree `sifive,test1`, `sifive,test0`, `syscon`):
// one write-only command register at offset 0. Bits 15:0 are the command, bits 31:16 a code.
// Linux reaches it through `syscon-poweroff` (0x5555) and `syscon-reboot` (0x7777).

import type { MmioDevice } from '../../memory/bus.js';

/** Size of the MMIO window the `virt` board gives the device. */
export const SIFIVE_TEST_SIZE = 0x1000;

const FINISHER_REG = 0x0;
const FINISHER_FAIL = 0x3333;
const FINISHER_PASS = 0x5555;
const FINISHER_RESET = 0x7777;

/** What the guest asked for: power off (pass), reboot, or stop with a failure code. */
export type TestDeviceStop = 'poweroff' | 'reboot' | 'fail';

/** Commands by their bits 15:0. */
const COMMANDS: ReadonlyMap<number, TestDeviceStop> = new Map([
  [FINISHER_PASS, 'poweroff'],
  [FINISHER_RESET, 'reboot'],
  [FINISHER_FAIL, 'fail'],
]);

/**
 * The finisher. A 32-bit write at offset 0 carries a command and, for 'fail', a code in bits
 * 31:16 (the code is reported as 0 for the other commands); a 16-bit write carries a command with
 * code 0 (OpenSBI stores halfwords). Other values, sizes and offsets are ignored; reads return 0.
 * It has no state to snapshot.
 */
export class SifiveTestDevice implements MmioDevice {
  /** @param onStop called once per recognised command; the board decides what stopping means. */
  constructor(private readonly onStop: (kind: TestDeviceStop, code: number) => void) {}

  read(_offset: number, _size: number): number {
    return 0;
  }

  write(offset: number, size: number, value: number): void {
    if (offset !== FINISHER_REG || (size !== 4 && size !== 2)) return;
    const kind = COMMANDS.get(value & 0xffff);
    if (kind === undefined) return;
    this.onStop(kind, kind === 'fail' && size === 4 ? value >>> 16 : 0);
  }
}
