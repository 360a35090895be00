/**
 * The two layers that let a model with several inputs or outputs train on the probe's rows as they
 * are, one flat row of feature columns and one of target columns: `SelectColumns` takes an input's
 * columns out of the flat feature row and shapes them as that input; `JoinOutputs` flattens each
 * output and puts them side by side, so the probe's loss reads each head from its own span. Neither
 * has weights or changes a value, so the model trains as the user's own.
 */
import tf from '../util/tfjs.cjs';
import { shapeSize } from '../util/shape.js';

interface SelectColumnsArgs {
  name: string;
  columns: number[];
  shape: number[];
}

class SelectColumns extends tf.layers.Layer {
  static readonly className = 'ConvdocSelectColumns';
  private readonly columns: number[];
  private readonly shape: number[];

  constructor({ columns, shape, ...config }: SelectColumnsArgs) {
    super(config);
    this.columns = columns;
    this.shape = shape;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    return [(inputShape as tf.Shape)[0] ?? null, ...this.shape];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const rows = Array.isArray(inputs) ? inputs[0]! : inputs;
      const picked = tf.gather(rows, tf.tensor1d(this.columns, 'int32'), 1);
      return tf.reshape(picked, [rows.shape[0], ...this.shape]);
    });
  }
}

class JoinOutputs extends tf.layers.Layer {
  static readonly className = 'ConvdocJoinOutputs';

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const shapes = inputShape as tf.Shape[];
    return [shapes[0]![0] ?? null, shapes.reduce((sum, shape) => sum + shapeSize(shape.slice(1)), 0)];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const outputs = Array.isArray(inputs) ? inputs : [inputs];
      const flat = outputs.map((output) => tf.reshape(output, [output.shape[0], -1]));
      return flat.length === 1 ? flat[0]! : tf.concat(flat, 1);
    });
  }
}

/** The layer that reads one input's `columns` from the flat feature row and gives it `shape`. */
export function selectColumns(args: SelectColumnsArgs): tf.layers.Layer {
  return new SelectColumns(args);
}

/** The layer that joins the model's outputs into one row per example. */
export function joinOutputs(name: string): tf.layers.Layer {
  return new JoinOutputs({ name });
}
