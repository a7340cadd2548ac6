// Parsing and validation of one virtio-blk request (virtio 1.2 section 5.2.6): a descriptor chain
// becomes either an I/O operation for the backend or an immediate status. The driver controls
// every byte here, so nothing is trusted and nothing throws.

import type { GuestMemory } from '../../../memory/guest-memory.js';
import { chainLength, readChain } from '../chain.js';
import type { DescriptorChain } from '../types.js';
import {
  MAX_DISCARD_SECTORS,
  MAX_DISCARD_SEG,
  MAX_REQUEST_BYTES,
  MAX_WRITE_ZEROES_SECTORS,
  MAX_WRITE_ZEROES_SEG,
  REQ_HEADER_BYTES,
  REQ_SECTOR,
  REQ_STATUS_BYTES,
  REQ_TYPE,
  SEGMENT_BYTES,
  SEGMENT_FLAGS,
  SEGMENT_NUM_SECTORS,
  SEGMENT_SECTOR,
  VIRTIO_BLK_ID_BYTES,
  VIRTIO_BLK_S_IOERR,
  VIRTIO_BLK_SECTOR_BYTES,
  VIRTIO_BLK_S_UNSUPP,
  VIRTIO_BLK_T_DISCARD,
  VIRTIO_BLK_T_FLUSH,
  VIRTIO_BLK_T_GET_ID,
  VIRTIO_BLK_T_IN,
  VIRTIO_BLK_T_OUT,
  VIRTIO_BLK_T_WRITE_ZEROES,
  VIRTIO_BLK_WRITE_ZEROES_FLAG_UNMAP,
} from './defs.js';

/** A byte range of the disk. */
export interface DiskRange {
  readonly offset: number;
  readonly lenBytes: number;
}

/** What a valid request asks of the backend. */
export type BlkOperation =
  | { readonly kind: 'in'; readonly offset: number; readonly lenBytes: number }
  /** `data` is a copy of the guest's buffers, taken when the request was parsed. */
  | { readonly kind: 'out'; readonly offset: number; readonly data: Uint8Array }
  | { readonly kind: 'flush' }
  | { readonly kind: 'get-id' }
  | { readonly kind: 'discard' | 'write-zeroes'; readonly ranges: readonly DiskRange[] };

/**
 * A parsed request. `writableBytes` is the device-writable length of the chain: the status byte
 * is its last byte, and the bytes before it are the data of IN and GET_ID. A chain with no
 * writable byte cannot carry a status at all (`op` and `status` are then both undefined).
 */
export interface ParsedRequest {
  readonly writableBytes: number;
  readonly op?: BlkOperation;
  /** Set when the request completes without backend I/O: VIRTIO_BLK_S_IOERR or _UNSUPP. */
  readonly status?: number;
  /** Why the request was refused (for metrics and debugging). */
  readonly problem?: string;
}

/** What the parser needs to know about the device. */
export interface RequestLimits {
  readonly capacitySectors: number;
  readonly readOnly: boolean;
  readonly discard: boolean;
  readonly writeZeroes: boolean;
}

/**
 * The host bytes parsing and serving `chain` may hold, computed from its buffer lengths alone so
 * that it is known before anything is copied: the data of an OUT is copied and the data area of
 * an IN allocated, and neither exceeds the chain's length nor {@link MAX_REQUEST_BYTES} (larger
 * transfers are refused before any copy or allocation). Other requests hold less. Never more
 * than MAX_REQUEST_BYTES, so a device whose limit is at least that can always take one request.
 */
export function requestCostBytes(chain: DescriptorChain): number {
  return Math.min(chainLength(chain.readable) + chainLength(chain.writable), MAX_REQUEST_BYTES);
}

/** The host bytes a parsed operation holds until it completes (at most its cost). */
export function heldBytes(op: BlkOperation): number {
  if (op.kind === 'in') return op.lenBytes;
  if (op.kind === 'out') return op.data.length;
  if (op.kind === 'discard' || op.kind === 'write-zeroes') return op.ranges.length * SEGMENT_BYTES;
  return 0;
}

/** Parse and validate `chain`; see {@link ParsedRequest}. */
export function parseRequest(mem: GuestMemory, chain: DescriptorChain, limits: RequestLimits): ParsedRequest {
  const writableBytes = chainLength(chain.writable);
  if (writableBytes < REQ_STATUS_BYTES) return { writableBytes, problem: 'no status byte' };
  const fail = (status: number, problem: string): ParsedRequest => ({ writableBytes, status, problem });
  const ioerr = (problem: string): ParsedRequest => fail(VIRTIO_BLK_S_IOERR, problem);

  const readableBytes = chainLength(chain.readable);
  const header = readChain(mem, chain.readable, 0, REQ_HEADER_BYTES);
  if (readableBytes < REQ_HEADER_BYTES || header.length < REQ_HEADER_BYTES) return ioerr('short header');
  const hv = new DataView(header.buffer, header.byteOffset, header.byteLength);
  const type = hv.getUint32(REQ_TYPE, true);
  const sector = hv.getBigUint64(REQ_SECTOR, true);
  /** Data bytes the driver gives (after the header) and wants back (before the status). */
  const dataIn = readableBytes - REQ_HEADER_BYTES;
  const dataOut = writableBytes - REQ_STATUS_BYTES;
  const ok = (op: BlkOperation): ParsedRequest => ({ writableBytes, op });

  switch (type) {
    case VIRTIO_BLK_T_IN: {
      if (dataIn !== 0) return ioerr('IN with device-readable data');
      const range = checkTransfer(sector, dataOut, limits);
      return typeof range === 'string' ? ioerr(range) : ok({ kind: 'in', ...range });
    }
    case VIRTIO_BLK_T_OUT: {
      // Section 5.2.6.2: with VIRTIO_BLK_F_RO offered, writes fail and write nothing.
      if (limits.readOnly) return ioerr('write to a read-only disk');
      if (dataOut !== 0) return ioerr('OUT with device-writable data');
      const range = checkTransfer(sector, dataIn, limits);
      if (typeof range === 'string') return ioerr(range);
      const data = readChain(mem, chain.readable, REQ_HEADER_BYTES, dataIn);
      if (data.length !== dataIn) return ioerr('data outside guest RAM');
      return ok({ kind: 'out', offset: range.offset, data });
    }
    case VIRTIO_BLK_T_FLUSH:
      // sector must be 0 and data SHOULD be absent (section 5.2.6.1); neither matters to a flush.
      return ok({ kind: 'flush' });
    case VIRTIO_BLK_T_GET_ID:
      if (dataIn !== 0 || dataOut !== VIRTIO_BLK_ID_BYTES)
        return ioerr('GET_ID data is not 20 writable bytes');
      return ok({ kind: 'get-id' });
    case VIRTIO_BLK_T_DISCARD:
    case VIRTIO_BLK_T_WRITE_ZEROES: {
      const discard = type === VIRTIO_BLK_T_DISCARD;
      if (limits.readOnly) return ioerr('discard or write-zeroes on a read-only disk');
      if (!(discard ? limits.discard : limits.writeZeroes))
        return fail(VIRTIO_BLK_S_UNSUPP, 'feature not negotiated');
      if (dataOut !== 0) return ioerr('segments with device-writable data');
      // The list is checked for shape before it is copied: its length is the guest's to choose.
      const count = dataIn / SEGMENT_BYTES;
      if (count === 0 || !Number.isInteger(count)) return ioerr('segment list is not whole segments');
      if (count > (discard ? MAX_DISCARD_SEG : MAX_WRITE_ZEROES_SEG)) return ioerr('too many segments');
      const segs = readChain(mem, chain.readable, REQ_HEADER_BYTES, dataIn);
      if (segs.length !== dataIn) return ioerr('segments outside guest RAM');
      const parsed = parseSegments(segs, discard, limits.capacitySectors);
      if (typeof parsed === 'number') return fail(parsed, 'bad segment');
      return ok({ kind: discard ? 'discard' : 'write-zeroes', ranges: parsed });
    }
    default:
      return fail(VIRTIO_BLK_S_UNSUPP, `unsupported request type ${type}`);
  }
}

/** Check an IN/OUT transfer of `lenBytes` at `sector`; the byte range, or why it is refused. */
function checkTransfer(sector: bigint, lenBytes: number, limits: RequestLimits): DiskRange | string {
  if (lenBytes % VIRTIO_BLK_SECTOR_BYTES !== 0) return `data length ${lenBytes} is not a multiple of 512`;
  if (lenBytes > MAX_REQUEST_BYTES) return `data length ${lenBytes} exceeds seg_max * size_max`;
  if (sector + BigInt(lenBytes / VIRTIO_BLK_SECTOR_BYTES) > BigInt(limits.capacitySectors)) {
    return `sectors ${sector}+${lenBytes / VIRTIO_BLK_SECTOR_BYTES} are beyond the capacity`;
  }
  return { offset: Number(sector) * VIRTIO_BLK_SECTOR_BYTES, lenBytes };
}

/**
 * Decode a list of whole struct virtio_blk_discard_write_zeroes segments, at most max_*_seg of
 * them (checked by the caller). Returns the ranges, or the status to complete with: UNSUPP for
 * unknown flags or unmap on a discard (section 5.2.6.2), checked over all segments first; IOERR
 * for a segment too long or beyond the capacity.
 */
function parseSegments(bytes: Uint8Array, discard: boolean, capacitySectors: number): DiskRange[] | number {
  const maxSectors = discard ? MAX_DISCARD_SECTORS : MAX_WRITE_ZEROES_SECTORS;
  const count = bytes.length / SEGMENT_BYTES;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const known = discard ? 0 : VIRTIO_BLK_WRITE_ZEROES_FLAG_UNMAP;
  for (let k = 0; k < count; k++) {
    if ((view.getUint32(k * SEGMENT_BYTES + SEGMENT_FLAGS, true) & ~known) !== 0) return VIRTIO_BLK_S_UNSUPP;
  }
  const ranges: DiskRange[] = [];
  for (let k = 0; k < count; k++) {
    const sector = view.getBigUint64(k * SEGMENT_BYTES + SEGMENT_SECTOR, true);
    const numSectors = view.getUint32(k * SEGMENT_BYTES + SEGMENT_NUM_SECTORS, true);
    if (numSectors > maxSectors || sector + BigInt(numSectors) > BigInt(capacitySectors)) {
      return VIRTIO_BLK_S_IOERR;
    }
    ranges.push({
      offset: Number(sector) * VIRTIO_BLK_SECTOR_BYTES,
      lenBytes: numSectors * VIRTIO_BLK_SECTOR_BYTES,
    });
  }
  return ranges;
}
