// NS16550A register behaviour checked against the PC16550D datasheet: reset values (Table II),
// DLAB, FIFO control and trigger levels, interrupt priorities and resets (Table IV), loopback.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryCharBackend } from '../../backends/memory-char.js';
import type { IrqLine } from '../irq.js';
import { UART_HOST_INPUT_MAX_BYTES, Uart16550 } from './uart.js';

const RBR = 0;
const THR = 0;
const DLL = 0;
const IER = 1;
const DLM = 1;
const IIR = 2;
const FCR = 2;
const LCR = 3;
const MCR = 4;
const LSR = 5;
const MSR = 6;
const SCR = 7;
/** MCR as Linux's 8250 driver leaves it on an open port: DTR, RTS, OUT2. */
const MCR_OPEN = 0x0b;

class Line implements IrqLine {
  level = false;
  changes = 0;
  set(level: boolean): void {
    this.level = level;
    this.changes++;
  }
}

/**
 * A UART and its host side. With `open`, the driver has opened the port as Linux does (DTR, RTS
 * and OUT2 raised), so host input flows; without it, the UART is as reset left it.
 */
function setup(open = true): { uart: Uart16550; host: MemoryCharBackend; irq: Line } {
  const host = new MemoryCharBackend();
  const irq = new Line();
  const uart = new Uart16550(host, irq);
  if (open) uart.write(MCR, 1, MCR_OPEN);
  return { uart, host, irq };
}

const rd = (u: Uart16550, off: number): number => u.read(off, 1);
const wr = (u: Uart16550, off: number, v: number): void => u.write(off, 1, v);

/** Read RBR while LSR.DR is set, as the 8250 driver's receive loop does. */
function drain(u: Uart16550, limit = 10_000): string {
  let s = '';
  while (rd(u, LSR) & 0x01 && s.length < limit) s += String.fromCharCode(rd(u, RBR));
  return s;
}

test('reset values follow the datasheet', () => {
  const { uart, irq } = setup(false);
  assert.equal(rd(uart, IER), 0);
  assert.equal(rd(uart, IIR), 0x01, 'no interrupt pending, FIFOs disabled');
  assert.equal(rd(uart, LCR), 0);
  assert.equal(rd(uart, MCR), 0);
  assert.equal(rd(uart, LSR), 0x60, 'THRE and TEMT');
  assert.equal(rd(uart, MSR), 0xb0, 'CTS, DSR and DCD asserted, no deltas');
  assert.equal(irq.level, false);
  wr(uart, SCR, 0xa5);
  assert.equal(rd(uart, SCR), 0xa5);
});

test('THR bytes reach the backend at once and the transmitter stays empty', () => {
  const { uart, host } = setup();
  for (const c of 'hi\n') wr(uart, THR, c.charCodeAt(0));
  assert.equal(host.text(), 'hi\n');
  assert.equal(rd(uart, LSR) & 0x60, 0x60);
  wr(uart, FCR, 0x07);
  wr(uart, THR, 0x41);
  assert.equal(host.text(), 'hi\nA');
  assert.equal(rd(uart, LSR) & 0x60, 0x60);
});

test('DLAB switches offsets 0 and 1 to the divisor latch', () => {
  const { uart, host } = setup();
  wr(uart, IER, 0x05);
  wr(uart, LCR, 0x83);
  wr(uart, DLL, 0x0c);
  wr(uart, DLM, 0x01);
  assert.equal(rd(uart, DLL), 0x0c);
  assert.equal(rd(uart, DLM), 0x01);
  assert.equal(host.output.length, 0, 'a DLL write is not a transmission');
  wr(uart, LCR, 0x03);
  assert.equal(rd(uart, IER), 0x05, 'IER untouched by the DLM write');
  assert.equal(rd(uart, LCR), 0x03);
  wr(uart, LCR, 0x80);
  assert.equal(rd(uart, DLL), 0x0c);
  assert.equal(rd(uart, DLM), 0x01);
});

test('IER keeps only bits 3:0 and MCR only bits 4:0', () => {
  const { uart } = setup();
  wr(uart, IER, 0xf0);
  assert.equal(rd(uart, IER), 0);
  wr(uart, MCR, 0xe3);
  assert.equal(rd(uart, MCR), 0x03);
});

test('THRE interrupt: raised on enable, cleared by reading IIR, re-raised on re-enable (Linux THRE test)', () => {
  const { uart, irq } = setup();
  wr(uart, IER, 0x02);
  assert.equal(irq.level, true);
  assert.equal(rd(uart, IIR), 0x02, 'iir1: THRE reported');
  assert.equal(irq.level, false, 'reading IIR cleared it');
  assert.equal(rd(uart, IIR), 0x01);
  wr(uart, IER, 0x00);
  wr(uart, IER, 0x02);
  assert.equal(irq.level, true, 'newly enabling ETBEI while THR is empty raises THRE');
  assert.equal(rd(uart, IIR), 0x02);
});

test('THRE interrupt: a THR write clears it and the emptied THR raises it again', () => {
  const { uart, irq, host } = setup();
  wr(uart, IER, 0x02);
  rd(uart, IIR);
  assert.equal(irq.level, false);
  wr(uart, THR, 0x78);
  assert.equal(host.text(), 'x');
  assert.equal(irq.level, true);
  assert.equal(rd(uart, IIR), 0x02);
  wr(uart, THR, 0x79);
  wr(uart, IER, 0x00);
  assert.equal(irq.level, false, 'disabling ETBEI drops the interrupt');
  assert.equal(rd(uart, IIR), 0x01);
});

test('receiver in 16450 mode: DR, RDA interrupt, bytes in order, none dropped', () => {
  const { uart, host, irq } = setup();
  host.type('abc');
  assert.equal(rd(uart, LSR) & 0x01, 0x01);
  assert.equal(irq.level, false, 'ERBFI clear: no interrupt');
  wr(uart, IER, 0x01);
  assert.equal(irq.level, true);
  assert.equal(rd(uart, IIR), 0x04);
  assert.equal(rd(uart, RBR), 0x61);
  assert.equal(irq.level, true, 'the next byte moved into RBR');
  assert.equal(drain(uart), 'bc');
  assert.equal(irq.level, false);
  assert.equal(rd(uart, IIR), 0x01);
  assert.equal(rd(uart, LSR), 0x60, 'no overrun although RBR holds one byte');
  assert.equal(rd(uart, RBR), 0, 'empty RBR reads 0');
});

test('FIFO mode: trigger level selects RDA, data below it gives a character timeout', () => {
  const { uart, host, irq } = setup();
  wr(uart, FCR, 0x81); // enable, trigger 8
  wr(uart, IER, 0x01);
  assert.equal(rd(uart, IIR), 0xc1, 'FIFOs enabled, nothing pending');
  host.type('abc');
  assert.equal(irq.level, true);
  assert.equal(rd(uart, IIR), 0xcc, 'timeout: 3 bytes below a trigger of 8');
  host.type('defgh');
  assert.equal(rd(uart, IIR), 0xc4, '8 bytes reach the trigger');
  rd(uart, RBR);
  assert.equal(rd(uart, IIR), 0xcc, 'below the trigger again');
  assert.equal(drain(uart), 'bcdefgh');
  assert.equal(rd(uart, IIR), 0xc1);
  assert.equal(irq.level, false);
});

test('FIFO mode: each trigger level', () => {
  for (const [bits, level] of [
    [0x00, 1],
    [0x40, 4],
    [0x80, 8],
    [0xc0, 14],
  ]) {
    const { uart, host } = setup();
    wr(uart, FCR, bits | 0x01);
    wr(uart, IER, 0x01);
    host.type('x'.repeat(level - 1));
    if (level > 1) assert.equal(rd(uart, IIR), 0xcc, `trigger ${level}: ${level - 1} bytes time out`);
    host.type('x');
    assert.equal(rd(uart, IIR), 0xc4, `trigger ${level}: ${level} bytes are RDA`);
  }
});

test('host input beyond 16 bytes waits for the guest and is never dropped', () => {
  const { uart, host } = setup();
  wr(uart, FCR, 0xc1);
  const text = Array.from({ length: 300 }, (_, i) => String.fromCharCode(0x20 + (i % 90))).join('');
  host.type(text.slice(0, 100));
  host.type(text.slice(100));
  assert.equal(drain(uart), text);
  assert.equal(rd(uart, LSR) & 0x02, 0, 'no overrun');
});

test('FCR: RX reset clears the FIFO, mode changes clear it, waiting host input refills it', () => {
  const { uart, host } = setup();
  wr(uart, FCR, 0x01);
  host.type('0123456789abcdefXYZ');
  wr(uart, FCR, 0x03);
  assert.equal(drain(uart), 'XYZ', 'the 16 FIFO bytes were discarded, the 3 waiting ones arrived');
  host.type('ab');
  wr(uart, FCR, 0x00);
  assert.equal(rd(uart, LSR) & 0x01, 0, 'leaving FIFO mode empties the FIFO');
  assert.equal(rd(uart, IIR) & 0xc0, 0);
});

test('FCR bits other than FCR0 are not programmed while FCR0 is 0', () => {
  const { uart, host } = setup();
  wr(uart, IER, 0x01);
  wr(uart, FCR, 0xc0);
  assert.equal(rd(uart, IIR), 0x01, 'still 16450 mode');
  host.type('a');
  assert.equal(rd(uart, IIR), 0x04, 'RDA at one byte, no trigger level applies');
});

test('loopback: THR data returns through RBR, nothing leaves, modem outputs feed MSR', () => {
  const { uart, host } = setup();
  wr(uart, FCR, 0x01);
  wr(uart, MCR, 0x10 | 0x0a); // LOOP | RTS | OUT2: what Linux's autoconfig probes
  assert.equal(rd(uart, MSR) & 0xf0, 0x90, 'CTS from RTS and DCD from OUT2');
  wr(uart, MCR, 0x10 | 0x0f);
  assert.equal(rd(uart, MSR) & 0xf0, 0xf0);
  wr(uart, THR, 0x55);
  assert.equal(host.output.length, 0);
  assert.equal(rd(uart, LSR) & 0x01, 0x01);
  assert.equal(rd(uart, RBR), 0x55);
  host.type('q');
  assert.equal(rd(uart, LSR) & 0x01, 0, 'serial input is disconnected in loopback');
  wr(uart, MCR, MCR_OPEN);
  assert.equal(rd(uart, RBR), 0x71, 'held host input arrives after loopback ends');
  wr(uart, THR, 0x21);
  assert.equal(host.text(), '!');
});

test('loopback overrun sets OE, reading LSR clears it; RLS outranks RDA', () => {
  const { uart, irq } = setup();
  wr(uart, FCR, 0x01);
  wr(uart, MCR, 0x10);
  wr(uart, IER, 0x05);
  for (let i = 0; i < 17; i++) wr(uart, THR, 0x30 + i);
  assert.equal(irq.level, true);
  assert.equal(rd(uart, IIR), 0xc6);
  const lsr = rd(uart, LSR);
  assert.equal(lsr & 0x03, 0x03, 'DR and OE');
  assert.equal(rd(uart, LSR) & 0x02, 0, 'OE cleared by the read');
  assert.equal(rd(uart, IIR), 0xc4);
  let s = '';
  while (rd(uart, LSR) & 0x01) s += String.fromCharCode(rd(uart, RBR));
  assert.equal(s, '0123456789:;<=>?', 'the 17th byte was lost in FIFO mode');
});

test('loopback overrun in 16450 mode overwrites RBR', () => {
  const { uart } = setup();
  wr(uart, MCR, 0x10);
  wr(uart, THR, 0x31);
  wr(uart, THR, 0x32);
  assert.equal(rd(uart, LSR) & 0x03, 0x03);
  assert.equal(rd(uart, RBR), 0x32);
});

test('interrupt priorities: line status, receive, THRE, modem status', () => {
  const { uart, irq } = setup();
  wr(uart, FCR, 0x01);
  wr(uart, MCR, 0x10);
  assert.equal(rd(uart, MSR), 0x0b, 'entering loopback with outputs off dropped CTS, DSR and DCD');
  wr(uart, IER, 0x0f);
  for (let i = 0; i < 17; i++) wr(uart, THR, 0x41);
  wr(uart, MCR, 0x11); // DTR in loopback: DSR changes, DDSR set
  assert.equal(rd(uart, IIR), 0xc6);
  rd(uart, LSR);
  assert.equal(rd(uart, IIR), 0xc4);
  while (rd(uart, LSR) & 0x01) rd(uart, RBR);
  assert.equal(rd(uart, IIR), 0xc2, 'THRE next');
  assert.equal(rd(uart, IIR), 0xc0, 'THRE cleared by that read, modem status remains');
  assert.equal(rd(uart, MSR) & 0x0f, 0x02, 'DDSR');
  assert.equal(rd(uart, IIR), 0xc1);
  assert.equal(irq.level, false);
});

test('modem status deltas: set on input changes, TERI on the trailing edge of RI, cleared by reading', () => {
  const { uart, irq } = setup();
  wr(uart, IER, 0x08);
  wr(uart, MCR, 0x10 | 0x0f); // loopback with all outputs: CTS, DSR, RI, DCD all 1; RI rose
  assert.equal(
    rd(uart, MSR),
    0xf0 | 0x00,
    'CTS/DSR/DCD unchanged from the connected state; RI rising is no TERI',
  );
  assert.equal(irq.level, false);
  wr(uart, MCR, 0x10 | 0x0b); // OUT1 off: RI falls
  assert.equal(irq.level, true);
  assert.equal(rd(uart, MSR), 0xb0 | 0x04);
  assert.equal(irq.level, false);
  wr(uart, MCR, 0x10); // all off
  assert.equal(rd(uart, MSR), 0x0b);
  wr(uart, MCR, 0x00); // leave loopback: connected peer again
  assert.equal(rd(uart, MSR), 0xb0 | 0x0b);
  assert.equal(rd(uart, MSR), 0xb0);
});

test('wrong sizes and offsets read 0, are ignored and have no side effects', () => {
  const { uart, host } = setup();
  host.type('z');
  for (const size of [2, 4, 8, 0]) {
    assert.equal(uart.read(RBR, size), 0);
    uart.write(THR, size, 0x41);
  }
  for (const off of [8, 9, 0xff, 0x100, -1, 1.5, NaN]) {
    assert.equal(uart.read(off, 1), 0);
    uart.write(off, 1, 0x41);
  }
  assert.equal(host.output.length, 0);
  assert.equal(rd(uart, RBR), 0x7a, 'the byte was not consumed by a wrong-size read');
  assert.equal(rd(uart, LCR), 0);
});

test('save and restore carry registers, FIFO contents, waiting input and the interrupt level', () => {
  const a = setup();
  wr(a.uart, FCR, 0x81);
  wr(a.uart, LCR, 0x83);
  wr(a.uart, DLL, 0x01);
  wr(a.uart, LCR, 0x03);
  wr(a.uart, IER, 0x03);
  wr(a.uart, SCR, 0x5a);
  a.host.type('hello, world! this is longer than sixteen');
  rd(a.uart, RBR);
  const state = JSON.parse(JSON.stringify(a.uart.save())) as ReturnType<Uart16550['save']>;
  const b = setup();
  b.uart.restore(state);
  assert.equal(b.irq.level, true);
  assert.equal(rd(b.uart, IER), 0x03);
  assert.equal(rd(b.uart, LCR), 0x03);
  assert.equal(rd(b.uart, SCR), 0x5a);
  assert.equal(rd(b.uart, IIR), 0xc4);
  wr(b.uart, LCR, 0x80);
  assert.equal(rd(b.uart, DLL), 0x01);
  wr(b.uart, LCR, 0x03);
  assert.equal(drain(b.uart), 'ello, world! this is longer than sixteen');
  assert.equal(drain(a.uart), 'ello, world! this is longer than sixteen', 'the source is unchanged');
  assert.throws(() => b.uart.restore({ ...state, version: 2 as 1 }));
});

test('restore drives the interrupt line even when the restored level is low', () => {
  const quiet = setup().uart.save();
  const c = setup();
  c.irq.level = true; // e.g. the interrupt controller was restored first with a stale level
  c.uart.restore(quiet);
  assert.equal(c.irq.level, false);
});

test('host input the guest leaves unread is bounded: the backend is paused, then resumed as it drains', () => {
  const { uart, host } = setup();
  wr(uart, FCR, 0x01);
  const chunk = new Uint8Array(4096).fill(0x61);
  // Far more than the bound arrives while the guest reads nothing (`yes | tsvirt run` at boot).
  for (let k = 0; k < (4 * UART_HOST_INPUT_MAX_BYTES) / chunk.length; k++) host.type(chunk);
  assert.equal(host.inputPaused, true, 'the backend was asked to stop');
  const held = uart.save().hostInput.length + uart.save().rxFifo.length;
  assert.ok(held <= UART_HOST_INPUT_MAX_BYTES + 16, `${held} bytes held`);
  assert.equal(uart.droppedInputBytes, 4 * UART_HOST_INPUT_MAX_BYTES - held);
  // The guest reads: once most of it is consumed, input flows again.
  let read = 0;
  while (rd(uart, LSR) & 1) {
    rd(uart, RBR);
    read++;
    if (!host.inputPaused) break;
  }
  assert.equal(host.inputPaused, false);
  assert.ok(read >= UART_HOST_INPUT_MAX_BYTES / 4, `resumed after ${read} bytes`);
});

test('host input waits until the driver raises RTS, so the FIFO reset of its start-up loses none', () => {
  const { uart, host } = setup(false);
  host.type('uname -a\npoweroff\n');
  assert.equal(rd(uart, LSR) & 1, 0, 'nothing received before RTS');
  // What Linux's serial8250_do_startup does: enable and clear the FIFOs, read RBR once.
  wr(uart, FCR, 0x07);
  rd(uart, RBR);
  wr(uart, MCR, MCR_OPEN);
  assert.equal(drain(uart), 'uname -a\npoweroff\n');
  // Dropping RTS (the port closed) holds input back again.
  wr(uart, MCR, 0x08);
  host.type('later');
  assert.equal(rd(uart, LSR) & 1, 0);
  wr(uart, MCR, MCR_OPEN);
  assert.equal(drain(uart), 'later');
});
