/**
 * tfjs-layers 4.22's CenterCrop.computeOutputShape writes the cropped height and width into the
 * shape it is given, which is the input layer's own shape: the model then expects inputs of the
 * cropped size and rejects the real ones ("the tensor should have 216 values but has 600"). The
 * method is wrapped to work on a copy, so the layer computes what Keras' CenterCrop does.
 */
import tf from '../util/tfjs.cjs';

type ComputeOutputShape = (this: tf.layers.Layer, inputShape: tf.Shape | tf.Shape[]) => tf.Shape | tf.Shape[];

const centerCrop = tf.serialization.SerializationMap.getMap().classNameMap['CenterCrop']![0].prototype as {
  computeOutputShape: ComputeOutputShape;
};
const inPlace = centerCrop.computeOutputShape;
centerCrop.computeOutputShape = function (this: tf.layers.Layer, inputShape) {
  const copy = Array.isArray(inputShape[0]) ? (inputShape as tf.Shape[]).map((shape) => [...shape]) : [...inputShape];
  return inPlace.call(this, copy as tf.Shape | tf.Shape[]);
};
