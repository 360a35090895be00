/**
 * The `batchnorm` fix (docs/ids.md): insert batchNormalization after each hidden dense/conv layer,
 * before its activation. A hidden `{type: dense, units: 64, activation: relu}` becomes
 *
 *   {type: dense, units: 64, useBias: false}
 *   {type: batchNormalization, momentum: 0.9}
 *   {type: activation, activation: relu}
 *
 * Decisions, with their sources:
 * - Before the activation: Ioffe & Szegedy 2015 (§3.2) normalize x = Wu + b, the pre-activation.
 * - `useBias: false`: "the bias b can be ignored since its effect will be canceled by the
 *   subsequent mean subtraction (the role of the bias is subsumed by β)" (Ioffe & Szegedy 2015,
 *   §3.2); Keras Applications (Xception, EfficientNet) build their conv + BN blocks the same way.
 *   The layer's bias initializer, regularizer and constraint go with it.
 * - `momentum: 0.9` for the moving mean and variance (Keras' and tfjs' default is 0.99; PyTorch's
 *   momentum=0.1 is this 0.9). Validation runs in inference mode on the moving statistics, and with
 *   0.99 they average ~100 steps of weights that change fast during a probe of a few hundred steps,
 *   so the fixed run is judged on stale statistics. Measured (2 seeds, cpu, best val loss):
 *   deep-sigmoid 0.693, 0.690 with 0.99 → 0.082, 0.172 with 0.9; boston-standardized 20.7, 20.7 →
 *   16.7, 15.8. For a full run 0.9 is PyTorch's default, so nothing is lost.
 * - The learning rate stays. BN *allows* a higher rate (Ioffe & Szegedy 2015, §4.2: BN-x5 and
 *   BN-x30 trained with 5x and 30x the rate), but it does not require one, and raising it blind
 *   hurt in the probe (momentum 0.99, last val loss, 2 seeds): with 3x, lr-too-high (SGD 0.05,
 *   which BN alone repairs: 43.8 / 59.1 against NaN) diverged to NaN on both seeds, and
 *   boston-standardized ended worse (35.5 / 29.9 against 24.5 / 30.5). The `lr-schedule` fix,
 *   which measures the rate with an LR range test, is the one to raise it.
 * - Only feed-forward dense/conv layers get it (not recurrent ones, whose activation is inside
 *   the cell), and a layer already followed by batch or layer normalization before the next
 *   weighted layer is left as it is, so the fix is idempotent.
 * - Conv layers with `dataFormat: channelsFirst` normalize axis 1 (the channels); tfjs' default
 *   axis -1 fits channelsLast and dense layers.
 */
import type { Config } from '../config/schema.js';
import type { LayerSpec } from '../model/layer-spec.js';
import type { Finding } from '../symptoms/finding.js';
import { aboutHiddenLayers, layerNames, layerResult, measuredText, outputStart } from './activation.js';
import { activationOf, WEIGHTED_LAYERS, without } from './layer-kinds.js';
import { graphResult, hiddenLayerFindings, outputPart, soleConsumer } from './graph-fix.js';
import { layerName, insertAfter, replaceSpec, type GraphLayer, type ModelGraph } from '../model/model-graph.js';
import { RECURRENT_LAYERS } from '../model/catalog.js';
import type { FixContext, FixResult, FixTransform } from './transform.js';
import { hiddenWeightedLayers, nameList, type FixCodeWriters } from './code/code-context.js';

/** The moving-statistics momentum of the inserted layers (see above). */
const BATCHNORM_MOMENTUM = 0.9;
const NORMALIZATION_LAYERS: ReadonlySet<string> = new Set(['batchNormalization', 'layerNormalization']);
/** The keys of a layer's bias, which go when BN's beta replaces it. */
const BIAS_KEYS = ['biasInitializer', 'biasRegularizer', 'biasConstraint'];
/**
 * Findings whose measurement says why normalizing pre-activations helps, best first (only those
 * about hidden layers are cited).
 */
const EVIDENCE_SYMPTOMS = [
  'vanishing-gradients',
  'unstable-activations',
  'saturated-activations',
  'exploding-gradients',
  'dead-relu',
];

/** Whether a normalization layer already follows the weighted layer at `index`, before the next weighted one. */
function alreadyNormalized(layers: readonly LayerSpec[], index: number): boolean {
  for (let k = index + 1; k < layers.length; k++) {
    const layer = layers[k]!;
    if (NORMALIZATION_LAYERS.has(layer.type)) return true;
    if (WEIGHTED_LAYERS.has(layer.type) || RECURRENT_LAYERS.has(layer.type)) return false;
  }
  return false;
}

function batchNormalizationFor(layer: LayerSpec): LayerSpec {
  const normalization: LayerSpec = { type: 'batchNormalization', momentum: BATCHNORM_MOMENTUM };
  if (layer.type !== 'dense' && layer['dataFormat'] === 'channelsFirst') normalization['axis'] = 1;
  return normalization;
}

export const batchnormFix: FixTransform = {
  apply(config: Config, context: FixContext): FixResult {
    if (context.graph !== undefined) {
      const hiddenFindings = hiddenLayerFindings(context.graph, context.findings);
      return batchnormGraphFix(config, context.graph, (normalized) => why(normalized, hiddenFindings));
    }
    const before = context.layers;
    const names = layerNames(before);
    const hiddenEnd = outputStart(before);
    const after: LayerSpec[] = [];
    const normalized: string[] = [];
    before.forEach((layer, index) => {
      if (index >= hiddenEnd || !WEIGHTED_LAYERS.has(layer.type) || alreadyNormalized(before, index)) {
        after.push(layer);
        return;
      }
      normalized.push(names[index]!);
      const activation = activationOf(layer);
      after.push({ ...without(layer, 'activation', ...BIAS_KEYS), useBias: false });
      after.push(batchNormalizationFor(layer));
      if (activation !== 'linear') after.push({ type: 'activation', activation });
    });
    return layerResult(
      config,
      before,
      after,
      why(
        normalized,
        context.findings.filter((finding) => aboutHiddenLayers(finding, names, hiddenEnd)),
      ),
    );
  },
};

/**
 * On a graph: the same insertion after each hidden dense/conv layer called once, with the layers
 * that read it rewired to the inserted activation (or batch normalization).
 */
function batchnormGraphFix(config: Config, graph: ModelGraph, explain: (normalized: string[]) => string): FixResult {
  const output = outputPart(graph);
  let result = graph;
  const normalized: string[] = [];
  for (const layer of graph.layers) {
    const name = layerName(layer);
    if (output.has(name) || !WEIGHTED_LAYERS.has(layer.spec.type) || layer.calls.length !== 1) continue;
    if (normalizedInGraph(result, layer)) continue;
    normalized.push(name);
    const activation = activationOf(layer.spec);
    result = replaceSpec(result, name, { ...without(layer.spec, 'activation', ...BIAS_KEYS), useBias: false });
    const added: LayerSpec[] = [{ ...batchNormalizationFor(layer.spec), name: `${name}_bn` }];
    if (activation !== 'linear') added.push({ type: 'activation', activation, name: `${name}_${activation}` });
    result = insertAfter(result, name, added);
  }
  return graphResult(config, graph, result, explain(normalized));
}

/** Whether a normalization layer follows a graph layer, through single consumers, before the next weighted one. */
function normalizedInGraph(graph: ModelGraph, layer: GraphLayer): boolean {
  for (let next = soleConsumer(graph, layer); next !== undefined; next = soleConsumer(graph, next)) {
    if (NORMALIZATION_LAYERS.has(next.spec.type)) return true;
    if (WEIGHTED_LAYERS.has(next.spec.type) || RECURRENT_LAYERS.has(next.spec.type)) return false;
  }
  return false;
}

function why(normalized: readonly string[], findings: readonly Finding[]): string {
  const evidence = EVIDENCE_SYMPTOMS.map((symptom) => findings.find((finding) => finding.symptom === symptom)).find(
    (finding) => finding !== undefined,
  );
  return (
    `Batch normalization after ${normalized.join(', ')}, ` +
    `before ${normalized.length === 1 ? 'its activation' : 'their activations'}, ` +
    'keeps each pre-activation at zero mean and unit variance per batch, ' +
    'so gradients keep their scale through depth (Ioffe & Szegedy 2015)' +
    (evidence === undefined ? '' : ` (measured: ${measuredText(evidence)})`) +
    `; the biases go since BN's beta replaces them, and the learning rate stays for lr-schedule to raise.`
  );
}

/** A code snippet names a few layers; the pattern is clear from them. */
const MAX_CODE_LINES = 4;

/** batchnorm as the change a user makes in a PyTorch, Keras or TensorFlow.js training script (`recommendedFixes[].code`). */
export const batchnormCode: FixCodeWriters = {
  pytorch: (context) => {
    const layers = hiddenWeightedLayers(context);
    if (layers.length === 0) return 'nn.BatchNorm1d(units)  # after each hidden nn.Linear, before its activation';
    const lines = layers
      .slice(0, MAX_CODE_LINES)
      .map(
        ({ layer, units }) =>
          `nn.BatchNorm${layer.type === 'dense' ? '1' : layer.type.slice(4, 5)}d(${units ?? 'units'})  # after ${layer.name}, before its activation`,
      );
    return [...lines, ...(layers.length > MAX_CODE_LINES ? ['# ... and after each further hidden layer'] : [])].join(
      '\n',
    );
  },
  keras: (context) => {
    const layers = hiddenWeightedLayers(context).map(({ layer }) => layer);
    return `keras.layers.BatchNormalization()  # after ${layers.length === 0 ? 'each hidden Dense/Conv' : nameList(layers)}, before its activation`;
  },
  tfjs: (context) => {
    const layers = hiddenWeightedLayers(context).map(({ layer }) => layer);
    return `tf.layers.batchNormalization()  // after ${layers.length === 0 ? 'each hidden dense/conv layer' : nameList(layers)}, before its activation`;
  },
};
