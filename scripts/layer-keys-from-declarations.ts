/**
 * The config keys of each layer type's tfjs-layers factory, from the declaration files: the
 * properties of the factory's first parameter type, inherited ones included. Shared by the writer
 * script and the test that keeps src/model/layer-keys.json in step with the installed tfjs.
 */
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { LAYER_TYPES } from '../src/model/catalog.js';

/** convdoc's own `subtract` (src/model/subtract-layer.ts) takes the base LayerArgs, as `add` does. */
const SAME_ARGS_AS: Readonly<Record<string, string>> = { subtract: 'add' };

export function layerKeysFromDeclarations(): Record<string, string[]> {
  const probe = fileURLToPath(new URL('./layer-keys-probe.ts', import.meta.url));
  const host = ts.createCompilerHost({});
  const source = "import * as tf from '@tensorflow/tfjs-layers'; export const layers = tf.layers;";
  const readFile = host.readFile.bind(host);
  host.readFile = (file) => (file === probe ? source : readFile(file));
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (file) => file === probe || fileExists(file);
  const program = ts.createProgram(
    [probe],
    { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, strict: true },
    host,
  );
  const checker = program.getTypeChecker();
  const file = program.getSourceFile(probe)!;
  const exported = checker.getExportsOfModule(checker.getSymbolAtLocation(file)!)[0]!;
  const namespace = checker.getTypeOfSymbolAtLocation(exported, file);
  const keysOf = (type: string): string[] => {
    const factory = checker.getPropertyOfType(namespace, SAME_ARGS_AS[type] ?? type);
    if (factory === undefined) throw new Error(`tf.layers has no factory ${type}`);
    const [signature] = checker.getTypeOfSymbolAtLocation(factory, file).getCallSignatures();
    const [parameter] = signature?.getParameters() ?? [];
    if (parameter === undefined) return [];
    const argsType = checker.getNonNullableType(checker.getTypeOfSymbolAtLocation(parameter, file));
    return checker
      .getPropertiesOfType(argsType)
      .map((property) => property.getName())
      .sort();
  };
  return Object.fromEntries(LAYER_TYPES.map((type) => [type, keysOf(type)]));
}
