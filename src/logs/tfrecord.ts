/**
 * TFRecord framing, the container of TensorBoard's event files (tensorflow/core/lib/io/record_writer.h):
 * each record is a little-endian uint64 length, the masked CRC-32C of those 8 bytes, the data, and
 * the masked CRC-32C of the data. Both checksums are verified: a file that fails one is damaged, and
 * judging the values around the damage would judge noise.
 */
import { crc32c } from '@aws-crypto/crc32c';
import { DataError } from '../errors.js';

const LENGTH_BYTES = 8;
const CRC_BYTES = 4;
const HEADER_BYTES = LENGTH_BYTES + CRC_BYTES;
/** TFRecord's mask (tensorflow/core/lib/hash/crc32c.h, Mask): CRCs of data holding CRCs are weak, so the stored one is rotated and offset. */
const MASK_DELTA = 0xa282ead8;

interface TfRecord {
  /** Byte offset of the record's length field, for messages. */
  offset: number;
  data: Buffer;
}

export interface TfRecords {
  records: TfRecord[];
  /** Where an incomplete last record starts (a writer still writing it), or null when the file ends on a record. */
  truncatedAt: number | null;
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
 * The records of `file`'s bytes. A last record cut short is not an error: a live run's writer may be
 * in the middle of it (`--follow` reads the file again when it grows). A checksum that does not
 * hold is, at the record's offset.
 */
export function readTfRecords(bytes: Buffer, shown: string): TfRecords {
  const records: TfRecord[] = [];
  let offset = 0;
  while (offset < bytes.length) {
    if (bytes.length - offset < HEADER_BYTES) return { records, truncatedAt: offset };
    const lengthBytes = bytes.subarray(offset, offset + LENGTH_BYTES);
    if (bytes.readUInt32LE(offset + LENGTH_BYTES) !== maskedCrc(lengthBytes))
      throw new DataError(
        `${shown}: at byte ${offset}, the record's length checksum (masked CRC-32C) does not match: the file is damaged or not a TensorBoard event file.`,
      );
    const length = Number(bytes.readBigUInt64LE(offset));
    const end = offset + HEADER_BYTES + length;
    if (end + CRC_BYTES > bytes.length) return { records, truncatedAt: offset };
    const data = bytes.subarray(offset + HEADER_BYTES, end);
    if (bytes.readUInt32LE(end) !== maskedCrc(data))
      throw new DataError(
        `${shown}: at byte ${offset}, the record's data checksum (masked CRC-32C) does not match: the event file is damaged here.`,
      );
    records.push({ offset, data });
    offset = end + CRC_BYTES;
  }
  return { records, truncatedAt: null };
}
