/**
 * What the layer fixes (`activation`, `batchnorm`) share when the model is a graph (a functional
 * model file with merges, several outputs or shared layers): where its output part is, how to walk
 * from a layer to the one feeding it or fed by it, and how an edited graph becomes a fix result.
 * A graph cannot be written into the config's `model.layers`, so the fixed model goes to a model
 * file beside the original (`resnet.fixed.json`), which `convdoc fix` writes and the config points to.
 */
import path from 'node:path';
import type { Config } from '../config/schema.js';
import type { ConfigChange } from '../config/writer/config-change.js';
import { RECURRENT_LAYERS } from '../model/catalog.js';
import { consumersOf, layerName, type GraphLayer, type ModelGraph } from '../model/model-graph.js';
import type { Finding } from '../symptoms/finding.js';
import { WEIGHTED_LAYERS } from './layer-kinds.js';
import type { FixResult } from './transform.js';

/** Layers that hold weights producing new units: the output part of a graph ends at the last of them on each path. */
const PRODUCING_LAYERS: ReadonlySet<string> = new Set([
  ...WEIGHTED_LAYERS,
  'embedding',
  'timeDistributed',
  'bidirectional',
  ...RECURRENT_LAYERS,
]);

/**
 * The layers of the output part: walking back from each output through layers that produce no new
 * units (an activation, a softmax), up to and including the first that does. Fixes leave them alone.
 */
export function outputPart(graph: ModelGraph): Set<string> {
  const part = new Set<string>();
  const byName = new Map(graph.layers.map((layer) => [layerName(layer), layer]));
  const visit = (name: string) => {
    const layer = byName.get(name);
    if (layer === undefined || part.has(name)) return;
    part.add(name);
    if (PRODUCING_LAYERS.has(layer.spec.type)) return;
    for (const ref of layer.calls.flat()) visit(ref.layer);
  };
  for (const output of graph.outputs) visit(output.layer);
  return part;
}

/** The one layer a layer's single call reads, when it reads one tensor of a layer called once. */
export function soleInput(graph: ModelGraph, layer: GraphLayer): GraphLayer | undefined {
  if (layer.calls.length !== 1 || layer.calls[0]!.length !== 1) return undefined;
  const source = graph.layers.find((candidate) => layerName(candidate) === layer.calls[0]![0]!.layer);
  return source?.calls.length === 1 ? source : undefined;
}

/** The one layer that reads a layer's output, when exactly one does and the layer is no model output. */
export function soleConsumer(graph: ModelGraph, layer: GraphLayer): GraphLayer | undefined {
  const name = layerName(layer);
  if (graph.outputs.some((output) => output.layer === name)) return undefined;
  const consumers = consumersOf(graph, name);
  return consumers.length === 1 && consumers[0]!.calls.length === 1 ? consumers[0] : undefined;
}

/** `models/resnet.json` → `models/resnet.fixed.json`: where a fixed graph is written. */
function fixedModelFile(file: string): string {
  const extension = path.extname(file);
  const base = file.slice(0, file.length - extension.length);
  return base.endsWith('.fixed') ? file : `${base}.fixed${extension || '.json'}`;
}

/**
 * The result of a fix that edited a graph: the graph, and the config pointing at the model file it
 * is written to, with one change that says what changed in it.
 */
export function graphResult(config: Config, before: ModelGraph, after: ModelGraph, why: string): FixResult {
  if (JSON.stringify(before) === JSON.stringify(after)) return { config, changes: [] };
  const file = config.model.file!;
  const fixed = fixedModelFile(file);
  const change: ConfigChange = {
    path: ['model', 'file'],
    from: file,
    to: fixed,
    why: `${why} The model is a graph, so the fixed model is written to ${path.basename(fixed)} (as Keras' model.to_json() writes it).`,
  };
  return { config: { ...config, model: { file: fixed } }, changes: [change], graph: after };
}

/** The findings about the graph's hidden layers: those a layer fix explains its change by. */
export function hiddenLayerFindings(graph: ModelGraph, findings: readonly Finding[]): Finding[] {
  const output = outputPart(graph);
  return findings.filter((finding) => !output.has(finding.layer ?? ''));
}
