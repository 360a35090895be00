/**
 * TFRecord framing, the container of TensorBoard's event files (tensorflow/core/lib/io/record_writer.h):
 * each record is a little-endian uint64 length, the masked CRC-32C of those 8 bytes, the data, and
 * the masked CRC-32C of the data. Both checksums are verified: a file that fails one is damaged, and
 * judging the values around the damage would judge noise.
 */
import { crc32c as nativeCrc32c } from '@node-rs/crc32';
import sheetJsCrc32c from 'crc-32/crc32c.js';
import { DataError } from '../errors.js';

const LENGTH_BYTES = 8;
const CRC_BYTES = 4;
const HEADER_BYTES = LENGTH_BYTES + CRC_BYTES;
/** TFRecord's mask (tensorflow/core/lib/hash/crc32c.h, Mask): CRCs of data holding CRCs are weak, so the stored one is rotated and offset. */
const MASK_DELTA = 0xa282ead8;

/**
 * Below this many bytes SheetJS' table-driven CRC-32C beats a call into napi-rs' SIMD one, whose
 * call costs ~300 ns whatever the length (measured on Node 20, x64: 90 vs 440 ns at 64 bytes,
 * 370 vs 350 at 256, 850 vs 500 at 512). Scalar events are 30-100 bytes; images and graphs are
 * large. (@aws-crypto/crc32c, also pure JS, was slower than both.)
 */
const NATIVE_CRC_FROM_BYTES = 256;

function crc32c(bytes: Uint8Array): number {
  return bytes.length < NATIVE_CRC_FROM_BYTES ? sheetJsCrc32c.buf(bytes, 0) >>> 0 : nativeCrc32c(bytes);
}

function maskedCrc(bytes: Uint8Array): number {
  const crc = crc32c(bytes);
  return ((((crc >>> 15) | (crc << 17)) >>> 0) + MASK_DELTA) >>> 0;
}

/** Whether `head` starts with a record header whose length checksum holds: a content test for the format. */
export function startsWithTfRecord(head: Buffer): boolean {
  return head.length >= HEADER_BYTES && head.readUInt32LE(LENGTH_BYTES) === maskedCrc(head.subarray(0, LENGTH_BYTES));
}

/**
 * Hands each record's data and offset to `visit`, in order, without keeping them: a million records
 * held at once cost more in garbage collection than their decoding. A last record cut short is not
 * an error: a live run's writer may be in the middle of it (`--follow` reads the file again when it
 * grows); its offset is returned, or null when the file ends on a record. A checksum that does not
 * hold is an error at the record's offset.
 */
export function eachTfRecord(
  bytes: Buffer,
  shown: string,
  visit: (data: Uint8Array, offset: number) => void,
): number | null {
  const lengthCrc = lengthChecksums();
  let offset = 0;
  while (offset < bytes.length) {
    if (bytes.length - offset < HEADER_BYTES) return offset;
    // Two 32-bit halves: readBigUInt64LE took a tenth of the time of a million-record file.
    const length = bytes.readUInt32LE(offset) + bytes.readUInt32LE(offset + 4) * 2 ** 32;
    if (bytes.readUInt32LE(offset + LENGTH_BYTES) !== lengthCrc(bytes, offset, length))
      throw new DataError(
        `${shown}: at byte ${offset}, the record's length checksum (masked CRC-32C) does not match: the file is damaged or not a TensorBoard event file.`,
      );
    const end = offset + HEADER_BYTES + length;
    if (end + CRC_BYTES > bytes.length) return offset;
    // A plain view: Buffer#subarray cost as much as the checksum of a 50-byte record.
    const data = new Uint8Array(bytes.buffer, bytes.byteOffset + offset + HEADER_BYTES, length);
    if (bytes.readUInt32LE(end) !== maskedCrc(data))
      throw new DataError(
        `${shown}: at byte ${offset}, the record's data checksum (masked CRC-32C) does not match: the event file is damaged here.`,
      );
    visit(data, offset);
    offset = end + CRC_BYTES;
  }
  return null;
}

/**
 * The masked CRC-32C of a length header, computed once per distinct length: a run's records have a
 * handful of lengths, so a million native calls become a few. Only lengths under 4 GiB are kept:
 * their 8 bytes are the length's low 4 and zeros, so the length names the bytes exactly.
 */
function lengthChecksums(): (bytes: Buffer, offset: number, length: number) => number {
  const known = new Map<number, number>();
  return (bytes, offset, length) => {
    let crc = known.get(length);
    if (crc === undefined) {
      crc = maskedCrc(bytes.subarray(offset, offset + LENGTH_BYTES));
      if (length < 2 ** 32) known.set(length, crc);
    }
    return crc;
  };
}
