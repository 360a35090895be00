/**
 * The `activation` fix (docs/ids.md): hidden sigmoid/tanh → ReLU with He initialization, and ReLU
 * layers whose units died → LeakyReLU(0.01); the output layer stays as it is.
 *
 * Recurrent layers keep their activation, and neither this fix nor `batchnorm` touches it: it is
 * applied inside the cell at every time step, so no layer can be inserted between a cell and its
 * activation (and tfjs has no 'leakyRelu' activation identifier), and the recurrence is what the
 * activation shapes. An unbounded ReLU in a recurrence is what makes a ReLU RNN explode unless its
 * recurrent matrix is (near) identity (Le, Jaitly & Hinton 2015), and LSTM/GRU cells rely on their
 * bounded tanh state. The design's "sigmoid/tanh → ReLU" is about feed-forward hidden layers; a
 * recurrent layer's explosion or dead units are for `clip` and `lr-schedule`.
 *
 * Also home of the layer-list helpers the `batchnorm` fix shares: Keras-style layer names, where
 * the output part of a model starts, and how a changed layer list becomes config changes.
 */
import type { Config } from '../config/schema.js';
import { RECURRENT_LAYERS } from '../model/catalog.js';
import type { LayerSpec } from '../model/layer-spec.js';
import type { Finding } from '../symptoms/finding.js';
import { formatNumber, formatPercent } from '../util/format.js';
import { displayPath } from '../util/paths.js';
import type { ConfigChange } from '../config/writer/config-change.js';
import type { FixContext, FixResult, FixTransform } from './transform.js';
import { activationGraphFix } from './activation-graph.js';
import { hiddenLayerFindings } from './graph-fix.js';
import {
  activationOf,
  isReluLayer,
  kernelInitializerKeys,
  LEAKY_ALPHA,
  RELU_INITIALIZER,
  SQUASHING,
  TRANSPARENT_LAYERS,
  WEIGHTED_LAYERS,
  without,
} from './layer-kinds.js';
import { nameList, squashingLayers, type FixCodeWriters } from './code/code-context.js';

/** Layers that hold weights producing new units; the last of them is the output layer. */
const PRODUCING_LAYERS: ReadonlySet<string> = new Set([...WEIGHTED_LAYERS, ...RECURRENT_LAYERS, 'embedding']);

/** `maxPooling2d` → `max_pooling2d`, `simpleRNN` → `simple_rnn`: as src/model/build.ts names layers. */
function snakeCase(type: string): string {
  return type.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}

/**
 * Each layer's name as the model builder gives it (src/model/build.ts): the spec's own `name`, else
 * `<type>_<n>` for the n-th layer of that type, counting named layers too. Findings use these names.
 */
export function layerNames(layers: readonly LayerSpec[]): string[] {
  const counts = new Map<string, number>();
  return layers.map((layer) => {
    const count = (counts.get(layer.type) ?? 0) + 1;
    counts.set(layer.type, count);
    return typeof layer['name'] === 'string' ? layer['name'] : `${snakeCase(layer.type)}_${count}`;
  });
}

/**
 * Where the output part of the model starts: the last layer with units or filters (or any
 * weight-producing layer), and everything after it (a softmax or activation layer). The fixes
 * never change it. A model without such a layer is all output: nothing is hidden.
 */
export function outputStart(layers: readonly LayerSpec[]): number {
  for (let index = layers.length - 1; index >= 0; index--) {
    const layer = layers[index]!;
    if (PRODUCING_LAYERS.has(layer.type) || 'units' in layer || 'filters' in layer) return index;
  }
  return 0;
}

function sameLayers(a: readonly LayerSpec[], b: readonly LayerSpec[]): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * The result of a fix that rewrote the layer list: the config with `model.layers` (and no
 * `model.file`), and its changes. When the layers came from a file, a ['model'] change says they
 * now live in the config. An inline list of the same length whose edits are listed key by key
 * (`keyChanges`) is reported by those keys; otherwise the whole list is one ['model', 'layers'] change.
 */
export function layerResult(
  config: Config,
  before: readonly LayerSpec[],
  after: LayerSpec[],
  why: string,
  keyChanges?: ConfigChange[],
): FixResult {
  if (sameLayers(before, after)) return { config, changes: [] };
  const fixed: Config = { ...config, model: { layers: after } };
  const changes: ConfigChange[] = [];
  const file = config.model.file;
  if (file !== undefined) {
    changes.push({
      path: ['model'],
      from: { file },
      to: { layers: after },
      why:
        `The fix changes the model's layers, ` +
        `so they now live in the config as model.layers and ${displayPath(file)} is no longer read.`,
    });
  }
  if (file === undefined && keyChanges !== undefined && before.length === after.length) changes.push(...keyChanges);
  else changes.push({ path: ['model', 'layers'], from: before, to: after, why });
  return { config: fixed, changes };
}

/**
 * Whether a finding is about the hidden part of the model: it names no layer, or a layer before the
 * output part. A saturated output layer, say, is no evidence for changing the hidden layers.
 */
export function aboutHiddenLayers(finding: Finding, names: readonly string[], hiddenEnd: number): boolean {
  if (finding.layer === undefined) return true;
  const index = names.indexOf(finding.layer);
  return index >= 0 && index < hiddenEnd;
}

/**
 * A finding's measurement, for a `why`: "median gradient norm of dense_1/kernel over dense_9/kernel
 * 2.83e-6, limit 0.001".
 */
export function measuredText(finding: Finding): string {
  return (
    `${finding.evidence.what} ${formatNumber(finding.evidence.measured)}, ` +
    `limit ${formatNumber(finding.evidence.threshold)}`
  );
}

/**
 * The weighted layer whose output an activation layer at `index` applies to: the nearest weighted
 * layer before it with only transparent layers (batch normalization, dropout, reshapes) between.
 */
function feedingLayer(layers: readonly LayerSpec[], index: number): number | null {
  for (let k = index - 1; k >= 0; k--) {
    const layer = layers[k]!;
    if (WEIGHTED_LAYERS.has(layer.type)) return activationOf(layer) === 'linear' ? k : null;
    if (!TRANSPARENT_LAYERS.has(layer.type)) return null;
  }
  return null;
}

/**
 * Where a dead layer's ReLU is: the layer itself (a dense/conv layer with activation relu, a reLU
 * layer, an activation layer with relu), or, for a linear dense/conv layer, the activation layer
 * after it (the form the batchnorm fix writes). Null when there is no plain ReLU to replace.
 */
function reluOf(layers: readonly LayerSpec[], index: number): { index: number; inLayer: boolean } | null {
  const layer = layers[index]!;
  if (WEIGHTED_LAYERS.has(layer.type)) {
    if (activationOf(layer) === 'relu') return { index, inLayer: true };
    if (activationOf(layer) !== 'linear') return null;
    for (let k = index + 1; k < layers.length; k++) {
      const next = layers[k]!;
      if (isReluLayer(next)) return { index: k, inLayer: false };
      if (!TRANSPARENT_LAYERS.has(next.type)) return null;
    }
    return null;
  }
  return isReluLayer(layer) ? { index, inLayer: false } : null;
}

export const activationFix: FixTransform = {
  apply(config: Config, context: FixContext): FixResult {
    if (context.graph !== undefined) {
      const hiddenFindings = hiddenLayerFindings(context.graph, context.findings);
      return activationGraphFix(config, context.graph, context.findings, (squashed, dead) =>
        explain(squashed, dead, hiddenFindings),
      );
    }
    const before = context.layers;
    const names = layerNames(before);
    const hiddenEnd = outputStart(before);
    const layers: LayerSpec[] = before.map((layer) => ({ ...layer }));
    const hiddenFindings = context.findings.filter((finding) => aboutHiddenLayers(finding, names, hiddenEnd));
    const { squashed, keyChanges } = replaceSquashing(layers, names, hiddenEnd, hiddenFindings);
    const dead = replaceDeadRelu(layers, names, hiddenEnd, context.findings);
    const why = explain(squashed, dead, hiddenFindings);
    // Key-by-key changes describe the edit only when no layer was inserted or replaced by another type.
    return layerResult(config, before, layers, why, dead.length === 0 ? keyChanges : undefined);
  },
};

/** The fix's reason: which layers changed, and the measurements that say why. */
function explain(
  squashed: readonly string[],
  dead: readonly { name: string; finding: Finding }[],
  hiddenFindings: readonly Finding[],
): string {
  const parts: string[] = [];
  if (squashed.length > 0)
    parts.push(
      `${squashed.length === 1 ? 'Hidden layer' : 'Hidden layers'} ${squashed.join(', ')} → relu with He initialization, because ${squashingReason(hiddenFindings)}`,
    );
  if (dead.length > 0) parts.push(dead.map(({ name, finding }) => deadReason(name, finding)).join('; '));
  return `${capitalize(parts.join('; and '))}.`;
}

/** Step 1, in `layers`: hidden sigmoid/tanh → relu, and He initialization for the kernel that feeds it. */
function replaceSquashing(
  layers: LayerSpec[],
  names: readonly string[],
  hiddenEnd: number,
  hiddenFindings: readonly Finding[],
): { squashed: string[]; keyChanges: ConfigChange[] } {
  const squashed: string[] = [];
  const keyChanges: ConfigChange[] = [];
  for (let index = 0; index < hiddenEnd; index++) {
    const layer = layers[index]!;
    const weighted = WEIGHTED_LAYERS.has(layer.type);
    if (!(weighted || layer.type === 'activation') || !SQUASHING.has(activationOf(layer))) continue;
    squashed.push(`${names[index]} (${activationOf(layer)})`);
    const why = `Layer ${names[index]}: ${activationOf(layer)} → relu, because ${squashingReason(hiddenFindings)}.`;
    keyChanges.push({ path: ['model', 'layers', index, 'activation'], from: activationOf(layer), to: 'relu', why });
    layer['activation'] = 'relu';
    const kernel = weighted ? index : feedingLayer(layers, index);
    if (kernel === null) continue;
    const kernelLayer = layers[kernel]!;
    for (const key of kernelInitializerKeys(kernelLayer.type)) {
      if (kernelLayer[key] === RELU_INITIALIZER) continue;
      keyChanges.push({
        path: ['model', 'layers', kernel, key],
        from: kernelLayer[key] ?? null,
        to: RELU_INITIALIZER,
        why:
          'He initialization (Var(w) = 2/fan_in, He et al. 2015) ' +
          `keeps the signal's variance through the ReLU of ${names[index]}.`,
      });
      kernelLayer[key] = RELU_INITIALIZER;
    }
  }
  return { squashed, keyChanges };
}

/**
 * Step 2, in `layers`: hidden ReLU layers reported dead → LeakyReLU(0.01). Insertions are
 * collected and made from the back, so earlier indices stay valid.
 */
function replaceDeadRelu(
  layers: LayerSpec[],
  names: readonly string[],
  hiddenEnd: number,
  findings: readonly Finding[],
): { name: string; finding: Finding }[] {
  const dead: { name: string; finding: Finding }[] = [];
  const insertions: { after: number; layer: LayerSpec }[] = [];
  for (const finding of findings) {
    if (finding.symptom !== 'dead-relu' || finding.layer === undefined) continue;
    const index = names.indexOf(finding.layer);
    // Recurrent layers keep their activation (see the file comment), and the output layer stays.
    if (index < 0 || index >= hiddenEnd || RECURRENT_LAYERS.has(layers[index]!.type)) continue;
    const relu = reluOf(layers, index);
    if (relu === null || relu.index >= hiddenEnd) continue;
    if (dead.some((entry) => entry.name === finding.layer)) continue;
    dead.push({ name: finding.layer, finding });
    const leaky: LayerSpec = { type: 'leakyReLU', alpha: LEAKY_ALPHA };
    if (relu.inLayer) {
      // tfjs has no 'leakyRelu' activation identifier: the layer becomes linear (tfjs' default
      // for dense/conv) and a leakyReLU layer follows it.
      layers[relu.index] = without(layers[relu.index]!, 'activation');
      insertions.push({ after: relu.index, layer: leaky });
    } else {
      layers[relu.index] = leaky;
    }
  }
  insertions.sort((a, b) => b.after - a.after);
  for (const { after, layer } of insertions) layers.splice(after + 1, 0, layer);
  return dead;
}

/** Why sigmoid/tanh go, with the measurement that shows it when the diagnosis has one. */
function squashingReason(findings: readonly Finding[]): string {
  const evidence = findings.find(
    (finding) => finding.symptom === 'vanishing-gradients' || finding.symptom === 'saturated-activations',
  );
  return (
    'sigmoid passes back at most 1/4 of the gradient per layer and sigmoid/tanh saturate, ' +
    'while ReLU passes it unchanged where active (Glorot, Bordes & Bengio 2011)' +
    (evidence === undefined ? '' : ` (measured: ${measuredText(evidence)})`)
  );
}

function deadReason(name: string, finding: Finding): string {
  return (
    `${formatPercent(finding.evidence.measured)} of ${name}'s units never activate on the probe batch ` +
    `(limit ${formatPercent(finding.evidence.threshold)}), ` +
    `so its ReLU becomes LeakyReLU(alpha ${LEAKY_ALPHA}), ` +
    'whose slope below zero lets dead units get a gradient and recover (Maas, Hannun & Ng 2013)'
  );
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** PyTorch's module for each squashing activation, for the code's comment. */
const TORCH_MODULE_NAMES: Record<string, string> = { sigmoid: 'nn.Sigmoid', tanh: 'nn.Tanh' };

/** activation as the change a user makes in a PyTorch, Keras or TensorFlow.js training script (`recommendedFixes[].code`). */
export const activationCode: FixCodeWriters = {
  pytorch: (context) => {
    const layers = squashingLayers(context);
    if (layers.length === 0) return 'nn.LeakyReLU(0.01)  # in place of nn.ReLU where units die';
    const kinds = [...new Set(layers.map((layer) => layer.activation.toLowerCase()))];
    return kinds
      .map((kind) => {
        const at = layers.filter((layer) => layer.activation.toLowerCase() === kind);
        return `nn.LeakyReLU(0.01)  # in place of ${TORCH_MODULE_NAMES[kind] ?? kind} at ${nameList(at)}`;
      })
      .join('\n');
  },
  // Keras and tfjs are the code of a config (diagnose's default), whose trials measure apply():
  // ReLU with He initialization in place of sigmoid/tanh. The code says the change that was measured.
  keras: (context) => {
    const layers = squashingLayers(context);
    return layers.length === 0
      ? 'keras.layers.LeakyReLU(0.01)  # after each hidden layer whose ReLU units die'
      : `activation='relu', kernel_initializer='he_normal'  # in ${nameList(layers)}, in place of their sigmoid/tanh`;
  },
  tfjs: (context) => {
    const layers = squashingLayers(context);
    return layers.length === 0
      ? 'tf.layers.leakyReLU({ alpha: 0.01 })  // after each hidden layer whose ReLU units die'
      : `activation: 'relu', kernelInitializer: '${RELU_INITIALIZER}'  // in ${nameList(layers)}, in place of their sigmoid/tanh`;
  },
};
