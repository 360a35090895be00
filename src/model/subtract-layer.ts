/**
 * Keras' `Subtract` merge layer, which tfjs-layers lacks: the first input minus the second, of the
 * same shape. Registered under Keras' class name, so a built model serializes it as Keras does.
 */
import tf from '../util/tfjs.cjs';

class Subtract extends tf.layers.Layer {
  static readonly className = 'Subtract';

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape | tf.Shape[] {
    return (inputShape as tf.Shape[])[0]!;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const [first, second] = inputs as tf.Tensor[];
      return tf.sub(first!, second!);
    });
  }
}

tf.serialization.registerClass(Subtract);

/** The `subtract` factory, as tf.layers has `add`. */
export function subtract(config: Record<string, unknown>): tf.layers.Layer {
  return new Subtract(config);
}
