/**
 * The Orthogonal initializer (Saxe et al. 2014), Keras' default for recurrent kernels, computed in
 * plain JavaScript. tfjs-layers' own computes a full QR decomposition with tensor ops: for an
 * LSTM(256)'s 256 x 1024 recurrent kernel that took minutes on the cpu backend. Modified
 * Gram-Schmidt on the columns of a normal matrix gives the same distribution (Q of the QR of a
 * Gaussian matrix, with the signs of R's diagonal folded in, as Keras does) in milliseconds.
 * Registered under tfjs' class name, so every 'orthogonal' identifier and serialized Orthogonal
 * initializer builds this one. Draws from Math.random, which the probe seeds.
 */
import tf from '../util/tfjs.cjs';
import { shapeSize } from '../util/shape.js';

class Orthogonal extends tf.serialization.Serializable {
  static readonly className = 'Orthogonal';
  private readonly gain: number;
  private readonly seed: number | undefined;

  constructor(args: { gain?: number; seed?: number } = {}) {
    super();
    this.gain = args.gain ?? 1;
    this.seed = args.seed;
  }

  /** Called by tfjs-layers as an Initializer: a tensor of `shape`, flattened to 2D over its last axis. */
  apply(shape: number[]): tf.Tensor {
    if (shape.length < 2) throw new Error('Orthogonal initializer: shape must be at least 2D.');
    const rows = shapeSize(shape.slice(0, -1));
    const columns = shape.at(-1)!;
    const q = orthonormalColumns(Math.max(rows, columns), Math.min(rows, columns));
    const values = new Float32Array(rows * columns);
    for (let row = 0; row < rows; row++) {
      for (let column = 0; column < columns; column++) {
        // q is long x short; a wide matrix is its transpose.
        const value = rows >= columns ? q[column]![row]! : q[row]![column]!;
        values[row * columns + column] = this.gain * value;
      }
    }
    return tf.tensor(values, shape);
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { gain: this.gain, seed: this.seed ?? null };
  }
}

/** `count` orthonormal vectors of length `length` (count <= length): Q's columns, R's diagonal positive. */
function orthonormalColumns(length: number, count: number): Float64Array[] {
  const columns: Float64Array[] = [];
  for (let index = 0; index < count; index++) {
    const column = Float64Array.from({ length }, standardNormal);
    for (const done of columns) {
      let dot = 0;
      for (let k = 0; k < length; k++) dot += done[k]! * column[k]!;
      for (let k = 0; k < length; k++) column[k] = column[k]! - dot * done[k]!;
    }
    let norm = 0;
    for (let k = 0; k < length; k++) norm += column[k]! * column[k]!;
    norm = Math.sqrt(norm);
    for (let k = 0; k < length; k++) column[k] = column[k]! / norm;
    columns.push(column);
  }
  return columns;
}

/** Box-Muller: one standard normal draw from two uniform ones. */
function standardNormal(): number {
  const u = 1 - Math.random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * Math.random());
}

tf.serialization.registerClass(Orthogonal);
