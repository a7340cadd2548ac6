// SiFive test finisher: command in bits 15:0 of offset 0 (0x5555 pass/poweroff, 0x7777 reset,
// 0x3333 fail with the code in bits 31:16), as Linux's syscon-poweroff/-reboot and OpenSBI use it.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SifiveTestDevice, type TestDeviceStop } from './test-device.js';

function setup(): { dev: SifiveTestDevice; stops: [TestDeviceStop, number][] } {
  const stops: [TestDeviceStop, number][] = [];
  return { dev: new SifiveTestDevice((kind, code) => stops.push([kind, code])), stops };
}

test('32-bit commands: poweroff, reboot, fail with a code', () => {
  const { dev, stops } = setup();
  dev.write(0, 4, 0x5555);
  dev.write(0, 4, 0x7777);
  dev.write(0, 4, (42 << 16) | 0x3333);
  dev.write(0, 4, 0xffff3333 | 0);
  assert.deepEqual(stops, [
    ['poweroff', 0],
    ['reboot', 0],
    ['fail', 42],
    ['fail', 0xffff],
  ]);
});

test('16-bit stores (OpenSBI writew) carry the command with code 0', () => {
  const { dev, stops } = setup();
  dev.write(0, 2, 0x5555);
  dev.write(0, 2, 0x7777);
  dev.write(0, 2, 0x3333);
  dev.write(0, 2, 0x00053333); // bits above the halfword are not part of a 16-bit store
  assert.deepEqual(stops, [
    ['poweroff', 0],
    ['reboot', 0],
    ['fail', 0],
    ['fail', 0],
  ]);
});

test('a split 64-bit store of 0x5555 stops once', () => {
  const { dev, stops } = setup();
  dev.write(0, 4, 0x5555);
  dev.write(4, 4, 0);
  assert.deepEqual(stops, [['poweroff', 0]]);
});

test('other values, sizes and offsets are ignored; reads return 0', () => {
  const { dev, stops } = setup();
  dev.write(0, 4, 0);
  dev.write(0, 4, 0x1234);
  dev.write(0, 4, 0x55550000);
  dev.write(0, 1, 0x55);
  dev.write(0, 1, 0x5555);
  dev.write(1, 1, 0x55);
  dev.write(2, 2, 0x5555);
  dev.write(4, 4, 0x5555);
  dev.write(0xffc, 4, 0x7777);
  dev.write(-4, 4, 0x5555);
  dev.write(NaN, 4, 0x5555);
  assert.deepEqual(stops, []);
  for (const [off, size] of [
    [0, 4],
    [0, 2],
    [0, 1],
    [4, 4],
    [0xfff, 1],
  ])
    assert.equal(dev.read(off, size), 0);
});
