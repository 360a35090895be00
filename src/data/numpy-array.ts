/**
 * A NumPy array read row by row (a row is everything below the first axis: one example): from a
 * `.npy` file through a file handle, so a large file is streamed in chunks rather than loaded, or
 * from the bytes of a `.npz` entry. Values of any numeric dtype come out as numbers.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { DataError } from '../errors.js';
import { errorCode } from '../util/error-code.js';
import { NPY_PREAMBLE_BYTES, npyHeaderEnd, parseNpyHeader, type NpyHeader, type NumericDtype } from './npy-header.js';
import { shapeSize } from '../util/shape.js';

export interface NumpyArray {
  /** The array as messages name it: `x.npy`, or `data.npz:x_train`. */
  shown: string;
  header: NpyHeader;
  /** Length of the first axis. */
  rows: number;
  /** Values per row: the product of the other axes (1 for a 1-D array). */
  rowValues: number;
  /** Rows `start` to `start + count` as numbers, row-major. */
  readRows(start: number, count: number): Promise<Float64Array>;
  close(): Promise<void>;
}

/** Opens a .npy file and reads its header; the values are read on demand. */
export async function openNpyFile(file: string, shown: string): Promise<NumpyArray> {
  let handle: FileHandle;
  try {
    handle = await open(file, 'r');
  } catch (error) {
    throw new DataError(`${shown}: cannot read the array file (${errorCode(error)}). Check the path.`);
  }
  try {
    // Read without insisting on all 12 bytes: a short file is then told as "not a .npy" by its missing magic.
    const preamble = new Uint8Array(NPY_PREAMBLE_BYTES);
    const { bytesRead } = await handle.read(preamble, 0, NPY_PREAMBLE_BYTES, 0);
    npyHeaderEnd(preamble.subarray(0, bytesRead), shown);
    const header = parseNpyHeader(await readExactly(handle, 0, npyHeaderEnd(preamble, shown), shown), shown);
    const { size } = await handle.stat();
    return arrayOver(header, shown, size - header.dataOffset, (offset, length) =>
      readExactly(handle, header.dataOffset + offset, length, shown),
    ).withClose(() => handle.close());
  } catch (error) {
    await handle.close();
    throw error;
  }
}

/** An array held in memory: the bytes of a .npy entry of a .npz archive. */
export function npyFromBytes(bytes: Uint8Array, shown: string): NumpyArray {
  const header = parseNpyHeader(bytes, shown);
  return arrayOver(header, shown, bytes.length - header.dataOffset, (offset, length) =>
    Promise.resolve(bytes.subarray(header.dataOffset + offset, header.dataOffset + offset + length)),
  ).withClose(() => Promise.resolve());
}

function arrayOver(
  header: NpyHeader,
  shown: string,
  dataBytes: number,
  read: (offset: number, length: number) => Promise<Uint8Array>,
) {
  const [rows = 1, ...rest] = header.shape;
  const rowValues = shapeSize(rest);
  const rowBytes = rowValues * header.dtype.bytes;
  if (dataBytes < rows * rowBytes) {
    throw new DataError(
      `${shown}: the header says shape (${header.shape.join(', ')}) of ${header.dtype.descr}, ${rows * rowBytes} bytes, but the file holds ${dataBytes}. The file is truncated.`,
    );
  }
  const decode = valueReader(header.dtype);
  return {
    withClose: (close: () => Promise<void>): NumpyArray => ({
      shown,
      header,
      rows,
      rowValues,
      async readRows(start, count) {
        const bytes = await read(start * rowBytes, count * rowBytes);
        const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
        const values = new Float64Array(count * rowValues);
        for (let i = 0; i < values.length; i++) values[i] = decode(view, i * header.dtype.bytes);
        return values;
      },
      close,
    }),
  };
}

async function readExactly(handle: FileHandle, position: number, length: number, shown: string): Promise<Uint8Array> {
  const buffer = new Uint8Array(length);
  const { bytesRead } = await handle.read(buffer, 0, length, position);
  if (bytesRead < length)
    throw new DataError(`${shown}: the file ends after ${position + bytesRead} bytes; it is truncated.`);
  return buffer;
}

type ValueReader = (view: DataView, offset: number) => number;

/** How to read one value of `dtype` at a byte offset. 64-bit integers past 2^53 lose precision, as in float64. */
function valueReader({ kind, bytes, littleEndian: le }: NumericDtype): ValueReader {
  const readers: Record<string, ValueReader> = {
    f2: (view, offset) => halfToNumber(view.getUint16(offset, le)),
    f4: (view, offset) => view.getFloat32(offset, le),
    f8: (view, offset) => view.getFloat64(offset, le),
    i1: (view, offset) => view.getInt8(offset),
    i2: (view, offset) => view.getInt16(offset, le),
    i4: (view, offset) => view.getInt32(offset, le),
    i8: (view, offset) => Number(view.getBigInt64(offset, le)),
    u1: (view, offset) => view.getUint8(offset),
    u2: (view, offset) => view.getUint16(offset, le),
    u4: (view, offset) => view.getUint32(offset, le),
    u8: (view, offset) => Number(view.getBigUint64(offset, le)),
    b1: (view, offset) => (view.getUint8(offset) === 0 ? 0 : 1),
  };
  return readers[`${kind}${bytes}`]!;
}

/** IEEE 754 half precision (numpy float16) to a number; Node 20's DataView has no getFloat16. */
function halfToNumber(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 0x1f) return fraction === 0 ? sign * Number.POSITIVE_INFINITY : Number.NaN;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}
