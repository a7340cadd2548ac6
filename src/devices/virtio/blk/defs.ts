// Constants of the virtio block device (virtio 1.2 section 5.2): feature bits, request types and
// status values, the request header and discard/write-zeroes segment layouts, and the limits this
// device advertises in its configuration space.

/** Feature bits (section 5.2.3). */
export const VIRTIO_BLK_F_SIZE_MAX = 1n;
export const VIRTIO_BLK_F_SEG_MAX = 2n;
export const VIRTIO_BLK_F_GEOMETRY = 4n;
export const VIRTIO_BLK_F_RO = 5n;
export const VIRTIO_BLK_F_BLK_SIZE = 6n;
export const VIRTIO_BLK_F_FLUSH = 9n;
export const VIRTIO_BLK_F_TOPOLOGY = 10n;
export const VIRTIO_BLK_F_CONFIG_WCE = 11n;
export const VIRTIO_BLK_F_MQ = 12n;
export const VIRTIO_BLK_F_DISCARD = 13n;
export const VIRTIO_BLK_F_WRITE_ZEROES = 14n;

/** Request types (section 5.2.6). */
export const VIRTIO_BLK_T_IN = 0;
export const VIRTIO_BLK_T_OUT = 1;
export const VIRTIO_BLK_T_FLUSH = 4;
export const VIRTIO_BLK_T_GET_ID = 8;
export const VIRTIO_BLK_T_GET_LIFETIME = 10;
export const VIRTIO_BLK_T_DISCARD = 11;
export const VIRTIO_BLK_T_WRITE_ZEROES = 13;
export const VIRTIO_BLK_T_SECURE_ERASE = 14;

/** Request status values (section 5.2.6). */
export const VIRTIO_BLK_S_OK = 0;
export const VIRTIO_BLK_S_IOERR = 1;
export const VIRTIO_BLK_S_UNSUPP = 2;

/** Unit of `sector` and `capacity`, in bytes, whatever blk_size says (section 5.2.5). */
export const VIRTIO_BLK_SECTOR_BYTES = 512;

/** struct virtio_blk_req header: le32 type, le32 reserved, le64 sector (section 5.2.6). */
export const REQ_HEADER_BYTES = 16;
export const REQ_TYPE = 0;
export const REQ_SECTOR = 8;
/** The status byte is the last device-writable byte of a request. */
export const REQ_STATUS_BYTES = 1;

/** struct virtio_blk_discard_write_zeroes: le64 sector, le32 num_sectors, le32 flags. */
export const SEGMENT_BYTES = 16;
export const SEGMENT_SECTOR = 0;
export const SEGMENT_NUM_SECTORS = 8;
export const SEGMENT_FLAGS = 12;
/** flags.unmap; bits 31:1 are reserved. */
export const VIRTIO_BLK_WRITE_ZEROES_FLAG_UNMAP = 1;

/** Length of the GET_ID data: a NUL-padded ASCII string (section 5.2.6). */
export const VIRTIO_BLK_ID_BYTES = 20;

/** Descriptors in the request queue (QueueNumMax). */
export const QUEUE_SIZE_MAX = 256;
/** seg_max: data buffers per request; the header and status take the other two descriptors. */
export const SEG_MAX = QUEUE_SIZE_MAX - 2;
/** size_max: largest data buffer, in bytes. */
export const SIZE_MAX_BYTES = 64 * 1024;
/**
 * Largest IN/OUT data length accepted, in bytes: what a driver that honours seg_max and
 * size_max can send. It bounds the host memory one request holds.
 */
export const MAX_REQUEST_BYTES = SEG_MAX * SIZE_MAX_BYTES;
/** blk_size, in bytes. */
export const BLK_SIZE_BYTES = 512;
/** max_discard_sectors (per segment), in 512-byte sectors: 2 GiB. */
export const MAX_DISCARD_SECTORS = 0x40_0000;
export const MAX_DISCARD_SEG = 32;
/** max_write_zeroes_sectors (per segment), in 512-byte sectors: 32 MiB. */
export const MAX_WRITE_ZEROES_SECTORS = 0x1_0000;
export const MAX_WRITE_ZEROES_SEG = 32;
/**
 * Bytes of request data (OUT copies, IN buffers) one device may hold for requests in flight, by
 * default: 32 MiB, room for two maximal requests (MAX_REQUEST_BYTES, about 15.9 MiB) and for some
 * 25 of the largest requests Linux sends by default (max_sectors_kb = 1280 KiB), more than a disk
 * needs to stay busy. Beyond it requests wait in the available ring until completions free room.
 */
export const BLK_INFLIGHT_LIMIT_BYTES = 32 * 1024 * 1024;
