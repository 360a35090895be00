/**
 * The layers of `model.layers` checked before tfjs sees them: tfjs-layers ignores keys it does not
 * know (`activaton: relu` silently gives a linear layer) and answers an unknown initializer with
 * several lines of Python advice. Each problem is one line at its key, with a did-you-mean among
 * that layer type's keys or the names tfjs knows.
 */
import tf from '../util/tfjs.cjs';
import { locateKey, type LoadedConfig } from '../config/load.js';
import { ConfigError } from '../errors.js';
import { isPlainObject } from '../util/plain-object.js';
import { didYouMean } from '../util/suggest.js';
import { LAYER_TYPES, WRAPPER_LAYERS } from './catalog.js';
import { TFJS_ACTIVATIONS } from './keras-layer.js';
import { BASE_LAYER_KEYS, OWN_LAYER_KEYS } from './layer-keys.js';
import './orthogonal-initializer.js';

type KeyPath = (string | number)[];

/** The string identifiers of tfjs-layers' getInitializer (INITIALIZER_IDENTIFIER_REGISTRY_SYMBOL_MAP in initializers.js). */
const INITIALIZER_IDENTIFIERS = [
  'constant',
  'glorotNormal',
  'glorotUniform',
  'heNormal',
  'heUniform',
  'identity',
  'leCunNormal',
  'leCunUniform',
  'ones',
  'orthogonal',
  'randomNormal',
  'randomUniform',
  'truncatedNormal',
  'varianceScaling',
  'zeros',
];

/** Initializer class names tfjs can deserialize (`{className: RandomNormal, config: {...}}`, or `HeNormal` as a string). */
// tfjs does not export its Initializer base class: it is the parent of Zeros.
const INITIALIZER_BASE = Object.getPrototypeOf(tf.initializers.zeros().constructor) as new () => unknown;
const INITIALIZER_CLASSES = Object.entries(tf.serialization.SerializationMap.getMap().classNameMap)
  .filter(([, [constructor]]) => constructor.prototype instanceof INITIALIZER_BASE)
  .map(([name]) => name)
  .sort();

const ACTIVATION_KEYS: ReadonlySet<string> = new Set(['activation', 'recurrentActivation']);
const BASE_KEYS = BASE_LAYER_KEYS.split(' ');

/** Throws one ConfigError with a line per problem in the config's layers; nothing for a model file. */
export function checkConfigLayers(loaded: LoadedConfig): void {
  const layers = loaded.config.model.layers ?? [];
  const problems = layers.flatMap((layer, index) => layerProblems(layer, ['model', 'layers', index]));
  if (problems.length > 0)
    throw new ConfigError(problems.map(({ keyPath, atKey, text }) => `${locateKey(loaded, keyPath, atKey)}: ${text}`));
}

interface Problem {
  keyPath: KeyPath;
  /** Point at the key itself (an unknown key) rather than its value. */
  atKey: boolean;
  text: string;
}

function layerProblems(layer: Record<string, unknown>, keyPath: KeyPath): Problem[] {
  const type = layer['type'];
  // An unknown type is refused by the model builder, with its own did-you-mean among the types.
  if (typeof type !== 'string' || !(LAYER_TYPES as readonly string[]).includes(type)) return [];
  const own = OWN_LAYER_KEYS[type]!.split(' ').filter((key) => key !== '');
  const allowed = new Set(['type', ...own, ...BASE_KEYS]);
  return Object.entries(layer).flatMap(([key, value]): Problem[] => {
    const at = [...keyPath, key];
    if (!allowed.has(key)) return [{ keyPath: at, atKey: true, text: unknownKey(key, type, own) }];
    if (key === 'layer' && WRAPPER_LAYERS.has(type)) return wrappedProblems(value, at);
    const text = ACTIVATION_KEYS.has(key)
      ? activationProblem(value)
      : key.endsWith('Initializer')
        ? initializerProblem(value)
        : undefined;
    return text === undefined ? [] : [{ keyPath: at, atKey: false, text }];
  });
}

function unknownKey(key: string, type: string, own: readonly string[]): string {
  const hint = didYouMean(key, [...own, ...BASE_KEYS]);
  const listed = own.length === 0 ? '' : ` A ${type} layer takes ${own.join(', ')},`;
  return `unknown key ${JSON.stringify(key)} in this ${type} layer.${hint}${listed}${own.length === 0 ? ' Every layer takes' : ' and'} ${BASE_KEYS.join(', ')}.`;
}

function wrappedProblems(value: unknown, keyPath: KeyPath): Problem[] {
  if (isPlainObject(value) && typeof value['type'] === 'string') return layerProblems(value, keyPath);
  return [
    { keyPath, atKey: false, text: 'expected the wrapped layer, a mapping with a type (e.g. {type: lstm, units: 8})' },
  ];
}

function activationProblem(value: unknown): string | undefined {
  if (typeof value === 'string' && TFJS_ACTIVATIONS.includes(value)) return undefined;
  const hint =
    typeof value === 'string'
      ? `unknown activation ${JSON.stringify(value)}.${didYouMean(value, TFJS_ACTIVATIONS)}`
      : 'expected an activation name.';
  return `${hint} Use one of: ${TFJS_ACTIVATIONS.join(', ')}.`;
}

/** A tfjs identifier or class name, or the serialized form {className, config}. */
function initializerProblem(value: unknown): string | undefined {
  // A class name is suggested for the serialized form, an identifier for a string.
  const names = isPlainObject(value)
    ? [...INITIALIZER_CLASSES, ...INITIALIZER_IDENTIFIERS]
    : [...INITIALIZER_IDENTIFIERS, ...INITIALIZER_CLASSES];
  const name = isPlainObject(value) ? value['className'] : value;
  if (
    typeof name === 'string' &&
    names.includes(name) &&
    (isPlainObject(value) ? isPlainObject(value['config'] ?? {}) : true)
  )
    return undefined;
  const hint =
    typeof name === 'string'
      ? `unknown initializer ${JSON.stringify(name)}.${didYouMean(name, names)}`
      : 'expected an initializer.';
  return `${hint} Use one of: ${INITIALIZER_IDENTIFIERS.join(', ')}, or {className: RandomNormal, config: {stddev: 0.05}}.`;
}
