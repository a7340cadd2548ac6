// CRC-32 against the catalogue's check value for this CRC (CRC-32/ISO-HDLC: "123456789" gives
// 0xCBF43926) and the values gzip (RFC 1952) stores for short contents.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { crc32 } from './crc32.js';

const ascii = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));

test('crc32: the check value of "123456789" is 0xcbf43926', () => {
  assert.equal(crc32(ascii('123456789')), 0xcbf43926);
});

test('crc32: no bytes give 0, one byte "a" gives 0xe8b7be43, and a view is read from its offset', () => {
  assert.equal(crc32(new Uint8Array(0)), 0);
  assert.equal(crc32(ascii('a')), 0xe8b7be43);
  assert.equal(crc32(ascii('xx123456789').subarray(2)), 0xcbf43926);
});
