/**
 * The header of a NumPy `.npy` array (format versions 1 to 3, numpy/lib/format.py): the magic
 * string, a little-endian header length, then a Python dict literal such as
 * `{'descr': '<f8', 'fortran_order': False, 'shape': (80, 3), }`. Only numeric dtypes in C order
 * are read; anything else is refused with what the header holds.
 */
import { DataError } from '../errors.js';

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // "\x93NUMPY"
/** Magic, two version bytes and the header length (2 bytes in version 1, 4 in versions 2 and 3). */
const PREAMBLE_BYTES = { 1: 10, 2: 12, 3: 12 } as const;
/** Enough bytes to hold the preamble of any version. */
export const NPY_PREAMBLE_BYTES = 12;

export interface NumericDtype {
  /** The descr as numpy writes it, e.g. `<f8`, `|u1`, for messages. */
  descr: string;
  kind: 'f' | 'i' | 'u' | 'b';
  bytes: number;
  littleEndian: boolean;
}

export interface NpyHeader {
  dtype: NumericDtype;
  shape: number[];
  /** Where the values start, from the start of the file (or archive entry). */
  dataOffset: number;
}

/** The header length of a file whose first NPY_PREAMBLE_BYTES are `preamble`: the bytes to read before parseNpyHeader. */
export function npyHeaderEnd(preamble: Uint8Array, shown: string): number {
  if (preamble.length < PREAMBLE_BYTES[1] || MAGIC.some((byte, index) => preamble[index] !== byte)) {
    throw new DataError(
      `${shown}: not a NumPy .npy array: it does not start with the magic "\\x93NUMPY" (found ${JSON.stringify(latin1(preamble.subarray(0, 6)))}). Save the array with numpy.save.`,
    );
  }
  const major = preamble[6]!;
  if (major !== 1 && major !== 2 && major !== 3) {
    throw new DataError(`${shown}: .npy format version ${major}.${preamble[7]} is not supported (1.0 to 3.0 are).`);
  }
  const view = new DataView(preamble.buffer, preamble.byteOffset, preamble.byteLength);
  const length = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  return PREAMBLE_BYTES[major] + length;
}

/** Parses the header from the first `npyHeaderEnd` bytes of a .npy file. */
export function parseNpyHeader(bytes: Uint8Array, shown: string): NpyHeader {
  const dataOffset = npyHeaderEnd(bytes, shown);
  const major = bytes[6] as 1 | 2 | 3;
  const text = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(
    bytes.subarray(PREAMBLE_BYTES[major], dataOffset),
  );
  const descr = /'descr':\s*'([^']*)'/.exec(text)?.[1];
  const fortran = /'fortran_order':\s*(True|False)/.exec(text)?.[1];
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(text)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined) {
    throw new DataError(
      `${shown}: the .npy header is not a numeric array's: expected 'descr', 'fortran_order' and 'shape', found ${JSON.stringify(text.trim())}. Save a plain numeric array with numpy.save (no structured or object dtype).`,
    );
  }
  if (fortran === 'True') {
    throw new DataError(
      `${shown}: the array is stored in Fortran order (column-major); convdoc reads C order. Save numpy.ascontiguousarray(x) instead.`,
    );
  }
  return { dtype: numericDtype(descr, shown), shape: parseShape(shapeText, shown), dataOffset };
}

function parseShape(text: string, shown: string): number[] {
  const parts = text
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');
  const shape = parts.map((part) => (/^\d+L?$/.test(part) ? Number.parseInt(part, 10) : Number.NaN));
  if (shape.some((dimension) => !Number.isSafeInteger(dimension))) {
    throw new DataError(`${shown}: the .npy header has an unreadable shape (${text}).`);
  }
  return shape;
}

function numericDtype(descr: string, shown: string): NumericDtype {
  const match = /^([<>|=])([fiub])(\d+)$/.exec(descr);
  const kind = match?.[2] as NumericDtype['kind'] | undefined;
  const bytes = Number(match?.[3]);
  const sizes: Record<NumericDtype['kind'], readonly number[]> = {
    f: [2, 4, 8],
    i: [1, 2, 4, 8],
    u: [1, 2, 4, 8],
    b: [1],
  };
  if (kind === undefined || !sizes[kind].includes(bytes)) {
    throw new DataError(
      `${shown}: dtype ${JSON.stringify(descr)} is not a numeric type convdoc reads. Use a float, integer or bool array (e.g. x.astype("float32")).`,
    );
  }
  // '=' is native order, which numpy never writes into a file; '|' marks single bytes.
  return { descr, kind, bytes, littleEndian: match![1] !== '>' };
}

function latin1(bytes: Uint8Array): string {
  return String.fromCharCode(...bytes);
}
