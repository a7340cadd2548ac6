// CRC-32 with the IEEE 802.3 polynomial, reflected, as gzip (RFC 1952 section 8), zlib and PNG
// compute it: the overlay header's checksum and the check of a gzip member's contents.

let crcTable: Uint32Array | undefined;

/** CRC-32 of `bytes` (0 for no bytes). */
export function crc32(bytes: Uint8Array): number {
  if (crcTable === undefined) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  const table = crcTable;
  let crc = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) crc = table[(crc ^ bytes[i]) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}
