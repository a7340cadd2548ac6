// What the kernel loader needs of a gzip decoder (RFC 1952), which the host provides: Node's zlib
// (host/node/gunzip.ts), or whatever a browser host brings. Loaders stay free of host code, and
// no second DEFLATE implementation is kept beside the platform's.

/** A gzip file that breaks RFC 1952 or RFC 1951, or is cut short; the message says where. */
export class GunzipError extends Error {}

/** The decompressed bytes would pass the caller's cap. */
export class GunzipLimitError extends GunzipError {}

/**
 * Decompress every member of the gzip file `data`, checking each member's CRC-32 and ISIZE.
 * Throws GunzipLimitError as soon as the output would pass `maxBytes` (so host memory stays
 * within it), and GunzipError for anything else wrong; nothing else, for any input.
 */
export type Gunzip = (data: Uint8Array, maxBytes: number) => Uint8Array;
