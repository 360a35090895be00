/**
 * The held-out model files of bench/models (sources in bench/models/README.md), with what each is
 * and what a Keras user would expect convdoc to do with it, written down before convdoc was run on
 * them: `load` (diagnosed end to end), `refuse` (exit 2 with one line naming the layer: Python code,
 * a custom class, a graph model, several inputs for now), or `load-or-too-big` (loads, or the probe
 * says with numbers that the model does not fit).
 */
export interface ModelZooCase {
  /** bench/models/<file>.json */
  file: string;
  what: string;
  expect: 'load' | 'refuse' | 'load-or-too-big';
  /** Why the expectation, when it is not `load`. */
  why?: string;
}

export const MODEL_ZOO_CASES: readonly ModelZooCase[] = [
  {
    file: 'tm-pose-a',
    what: 'Teachable Machine pose export (tfjs 1.7.4): Dense-Dropout-Dense on 14739 pose features',
    expect: 'load',
  },
  {
    file: 'tm-pose-b',
    what: 'Teachable Machine pose export (tfjs 1.3.1): the same head, older exporter',
    expect: 'load',
  },
  {
    file: 'tm-image-kpop',
    what: 'Teachable Machine image export (tfjs 1.3.1): Sequential(MobileNetV2 "Model", Sequential(Dense, Dense)), 224x224x3',
    expect: 'load-or-too-big',
    why: 'MobileNet-size',
  },
  {
    file: 'tm-audio-birds',
    what: 'Teachable Machine audio export (speech-commands transfer, tfjs 1.3.1): functional Conv2D stack on 43x232 spectrograms with a nested Sequential head',
    expect: 'load',
  },
  {
    file: 'keras2-imdb-conv-lstm',
    what: 'Keras 2.0.9 Sequential: Embedding, Conv1D, MaxPooling1D, LSTM, Dense (IMDB sentiment)',
    expect: 'load',
  },
  {
    file: 'keras2-driving-elu',
    what: 'Keras 2.2.4 Sequential CNN with ELU layers (behavioural cloning, 64x64x3 -> steering)',
    expect: 'load',
  },
  { file: 'keras2-battery-lstm', what: 'Keras 2.2.4-tf Sequential: LSTM on 1x6, Dense regression', expect: 'load' },
  {
    file: 'keras3-speech-emotion-lstm',
    what: 'Keras 3 to_json() Sequential: InputLayer, LSTM (OrthogonalInitializer), Dropout, Dense',
    expect: 'load',
  },
  {
    file: 'keras2-dec-clustering',
    what: 'Keras 2.0.6 Deep Embedded Clustering: a Sequential encoder and a custom ClusteringLayer',
    expect: 'refuse',
    why: 'ClusteringLayer is a custom Python class',
  },
  {
    file: 'keras2-cnn-activations',
    what: 'Keras 2.0.6 Sequential CNN with separate Activation layers, 150x150x3 -> sigmoid',
    expect: 'load',
  },
  { file: 'keras2-fraud-mlp', what: 'Keras 2.0.5 Sequential MLP on 30 features, sigmoid', expect: 'load' },
  {
    file: 'keras2-emotion-bn-cnn',
    what: 'Keras 2.2.4-tf Sequential CNN with BatchNormalization, 48x48x1 -> 7 classes',
    expect: 'load',
  },
  {
    file: 'keras2-vgg16-head',
    what: 'Keras 2.3.1 Sequential head on VGG16 features: Flatten(4x4x512), Dense, Dropout, Dense',
    expect: 'load',
  },
  {
    file: 'tfjs-converter-vgg16',
    what: 'tensorflowjs_converter layers-model of VGG16 (Keras 2.3.0-tf functional "Model"), 224x224x3, 8 classes',
    expect: 'load-or-too-big',
    why: 'about 134M parameters',
  },
  {
    file: 'keras2-mobilenet-v1',
    what: 'Keras 2.1.4 MobileNet v1 (functional "Model"): DepthwiseConv2D, BatchNormalization, relu6, Reshape head',
    expect: 'load-or-too-big',
    why: 'MobileNet-size',
  },
  { file: 'keras2-emotion-cnn', what: 'Keras 2.10 Sequential CNN, 48x48x1 -> 7 classes', expect: 'load' },
  { file: 'keras2-digits-mlp', what: 'Keras 2.0.5 Sequential MLP on 784 pixels, 10 sigmoid outputs', expect: 'load' },
  {
    file: 'keras2-housing-mlp',
    what: 'Keras 2.1.6-tf Sequential regression MLP with an Adadelta training_config',
    expect: 'load',
  },
  { file: 'keras2-handwriting-cnn', what: 'Keras 2.10 Sequential CNN, 28x28x1 -> 10 classes', expect: 'load' },
  {
    file: 'keras1-driving-lambda',
    what: 'Keras 1.2.1 bare-list Sequential: Cropping2D, Lambda (x / 255 - 0.5 as Python bytecode), Convolution2D',
    expect: 'refuse',
    why: 'a Lambda layer is Python code',
  },
  {
    file: 'tfjs-graph-model-flood',
    what: 'tfjs graph-model (a converted SavedModel)',
    expect: 'refuse',
    why: 'a TensorFlow graph, not layers',
  },
  {
    file: 'tfjs-keras3-voice-conv1d',
    what: 'tensorflowjs_converter layers-model from Keras 3.10: Conv1D, BatchNormalization, MaxPooling1D on 2376x1',
    expect: 'load',
  },
  {
    file: 'tfjs-converter-cnn',
    what: 'tensorflowjs_converter layers-model from Keras 2.9: Conv2D stack on 600x600x1, 2 sigmoid outputs',
    expect: 'load-or-too-big',
    why: '600x600 inputs',
  },
  {
    file: 'tfjs-converter-one-dense',
    what: 'tensorflowjs_converter layers-model from Keras 2.4: one Dense on 136 features',
    expect: 'load',
  },
  {
    file: 'tfjs-keras3-mobilenetv2',
    what: 'tensorflowjs_converter layers-model from Keras 3.5: MobileNetV2 functional with ReLU, ZeroPadding2D, Add, 224x224x3',
    expect: 'load-or-too-big',
    why: 'MobileNet-size',
  },
  {
    file: 'keras2-mask-mobilenetv2',
    what: 'Keras 2.4 MobileNetV2 functional with an AveragePooling2D head, 128x128x3 (mask detection)',
    expect: 'load-or-too-big',
    why: 'MobileNet-size',
  },
  {
    file: 'keras2-small-cnn',
    what: 'Keras 2.4 Sequential CNN with Activation layers, 500x500x1 -> sigmoid',
    expect: 'load-or-too-big',
    why: '500x500 inputs',
  },
  {
    file: 'keras2-efficientnet-attention',
    what: 'Keras 2.13 EfficientNet with Rescaling, Normalization, squeeze-excite Multiply, then MultiHeadAttention and LayerNormalization',
    expect: 'refuse',
    why: 'tfjs-layers has no Normalization nor MultiHeadAttention layer',
  },
  {
    file: 'keras2-sentiment-lstm',
    what: 'Keras 2.10 Sequential: Embedding, two LSTMs, Dense, Dropout, sigmoid',
    expect: 'load',
  },
  {
    file: 'keras2-text-spatialdropout',
    what: 'Keras 2.12 Sequential: Embedding, SpatialDropout1D, LSTM, softmax over 5 classes',
    expect: 'load',
  },
  {
    file: 'keras2-functional-bilstm',
    what: 'Keras 2.15 functional: Embedding, Bidirectional(LSTM), Dense sigmoid',
    expect: 'load',
  },
  {
    file: 'keras2-gru-stack',
    what: 'Keras 2.12 Sequential: three GRUs (reset_after), Dense regression on 12x1',
    expect: 'load',
  },
  {
    file: 'keras2-three-inputs-concat',
    what: 'Keras 2.2.4 functional with three inputs: two Embedding+LSTM branches and a dense input, Concatenate',
    expect: 'refuse',
    why: 'several inputs: one data array cannot feed them (another branch makes multi-input trainable)',
  },
  {
    file: 'keras3-siamese-lambda',
    what: 'Keras 3 functional siamese text model: shared Embedding and Bidirectional LSTM, pooling, Concatenate, Lambda (|a - b|)',
    expect: 'refuse',
    why: 'Lambda layers are Python code; two inputs',
  },
  {
    file: 'tfjs-converter-maternal-mlp',
    what: 'tensorflowjs_converter layers-model from Keras 2.15: Dense, Dropout MLP, "Custom>Adam" optimizer in training_config',
    expect: 'load',
  },
  {
    file: 'keras2-seizure-conv1d',
    what: 'Keras 2.2.4-tf Sequential: Conv1D, MaxPooling1D, GlobalAveragePooling1D on 178x1, 6 classes',
    expect: 'load',
  },
  {
    file: 'tfjs-keras3-nested-mobilenetv2',
    what: 'tensorflowjs_converter layers-model from Keras 3.8: Sequential wrapping a MobileNetV2 Functional, 224x224x3',
    expect: 'load-or-too-big',
    why: 'MobileNet-size',
  },
  {
    file: 'tfjs-keras3-traffic-signs',
    what: 'tensorflowjs_converter layers-model from Keras 3.8: Conv2D, BatchNormalization CNN on 32x32x3, 43 classes',
    expect: 'load',
  },
];
