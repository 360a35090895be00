/**
 * A model graph as a model file, the way Keras' `model.to_json()` writes one: the graph is built
 * with tfjs-layers and serialized with its `toJSON`, which writes Keras' own format (class names,
 * snake_case configs, `inbound_nodes` as nested lists, `keras_version` "tfjs-layers ..."), so
 * convdoc, tensorflowjs and Keras' `model_from_json` read it back.
 */
import { buildModel } from './build.js';
import type { ModelGraph } from './model-graph.js';

export function kerasModelJson(graph: ModelGraph, inputShape: readonly number[]): string {
  const built = buildModel(
    graph.layers.map(({ spec }) => spec),
    inputShape,
    (index) => `layer ${index}`,
    graph,
  );
  try {
    return `${JSON.stringify(built.model.toJSON(null, false))}\n`;
  } finally {
    built.model.dispose();
  }
}
