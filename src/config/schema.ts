/**
 * The config file contract of docs/config.md, version 1, as a zod schema. Objects are strict
 * (unknown keys are errors that name the key); defaults follow Keras where docs/config.md is silent.
 * Nested objects use `.prefault({})` because zod 4's `.default({})` would skip their inner defaults.
 */
import { z } from 'zod';
import { didYouMean } from '../util/suggest.js';
import { canonicalLossName, LOSSES, type LossName } from './losses.js';

export const TASKS = ['regression', 'binary', 'multiclass', 'multilabel'] as const;
export const NORMALIZATIONS = ['none', 'standardize', 'minmax'] as const;
export const OPTIMIZERS = ['sgd', 'momentum', 'adam', 'rmsprop', 'adagrad', 'adadelta', 'adamax'] as const;

/** Keras' default learning rate for each optimizer (keras.optimizers, Keras 2 and 3). */
export const DEFAULT_LEARNING_RATE: Record<(typeof OPTIMIZERS)[number], number> = {
  sgd: 0.01,
  momentum: 0.01,
  adam: 0.001,
  rmsprop: 0.001,
  adagrad: 0.001,
  adadelta: 0.001,
  adamax: 0.001,
};

const positiveInt = z.int().positive();
const fraction = z.number().min(0).lt(1);

/** The names of the arrays read from a `.npz` archive, as Keras' datasets (mnist.npz) name them. */
const npzArraysSchema = z.strictObject({
  xTrain: z.string().min(1).default('x_train'),
  yTrain: z.string().min(1).default('y_train'),
  /** When the archive holds both test arrays, they are the validation set (unless data.validation names one). */
  xTest: z.string().min(1).default('x_test'),
  yTest: z.string().min(1).default('y_test'),
});

export const NPZ_ARRAY_DEFAULTS = npzArraysSchema.parse({});

const columns = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]);
const featureColumns = z.array(z.string().min(1)).min(1);
const shape = z.array(positiveInt).min(1);

const dataSchema = z
  .strictObject({
    train: z.string().min(1),
    validation: z.string().min(1).optional(),
    validationSplit: fraction.default(0.2),
    /** Column name(s) of a table; for a `.npy` train file, the `.npy` file of the targets; unused with `.npz`. */
    target: z
      .union([columns, z.record(z.string().min(1), columns)], {
        error:
          'expected a column name, a list of column names, or for a model with several outputs a map from each output layer name to its column(s)',
      })
      .optional(),
    features: z
      .union([featureColumns, z.record(z.string().min(1), featureColumns)], {
        error:
          'expected a list of column names, or for a model with several inputs a map from each input layer name to its columns',
      })
      .optional(),
    task: z.enum(TASKS).optional(),
    inputShape: z
      .union([shape, z.record(z.string().min(1), shape)], {
        error:
          'expected a shape such as [28, 28, 1], or for a model with several inputs a map from input name to shape',
      })
      .optional(),
    normalize: z.enum(NORMALIZATIONS).default('none'),
    /** Regression only: scale the target columns too, with training-set statistics (losses are then in scaled units). */
    normalizeTarget: z.enum(NORMALIZATIONS).default('none'),
    /** Absent for most configs; NPZ_ARRAY_DEFAULTS then apply. */
    arrays: npzArraysSchema.optional(),
  })
  .superRefine((data, context) => {
    if (data.target !== undefined || isNpzFile(data.train)) return;
    context.issues.push({
      code: 'custom',
      input: data,
      path: ['target'],
      message: isNpyFile(data.train)
        ? 'missing required key: the .npy file of the targets (e.g. target: y.npy)'
        : 'missing required key: expected a column name, or a list of column names for several target columns',
    });
  })
  .transform(splitModelMaps);

/**
 * The maps of a model with several inputs or outputs, kept aside: `target` and `features` become
 * the flat column lists the data is read with (each column once, in the order written), and the
 * maps say which columns go to which output or input (src/probe/model-io.ts checks their names).
 */
function splitModelMaps<
  T extends {
    target?: Columns | Record<string, Columns>;
    features?: string[] | Record<string, string[]>;
    inputShape?: number[] | Record<string, number[]>;
  },
>(data: T) {
  const { target, features, inputShape, ...rest } = data;
  const targetMap = isMap(target) ? mapToLists(target) : undefined;
  const featureMap = isMap(features) ? features : undefined;
  const shapeMap = isMap(inputShape) ? inputShape : undefined;
  return {
    ...rest,
    ...(target === undefined ? {} : { target: targetMap === undefined ? (target as Columns) : flatColumns(targetMap) }),
    ...(features === undefined
      ? {}
      : { features: featureMap === undefined ? (features as string[]) : flatColumns(featureMap) }),
    ...(inputShape === undefined || shapeMap !== undefined ? {} : { inputShape: inputShape as number[] }),
    ...(targetMap === undefined ? {} : { targetsByOutput: targetMap }),
    ...(featureMap === undefined ? {} : { featuresByInput: featureMap }),
    ...(shapeMap === undefined ? {} : { inputShapeByInput: shapeMap }),
  };
}

type Columns = string | string[];

function isMap<T>(value: T | Record<string, T> | undefined): value is Record<string, T> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function mapToLists(map: Record<string, Columns>): Record<string, string[]> {
  return Object.fromEntries(
    Object.entries(map).map(([key, value]) => [key, typeof value === 'string' ? [value] : value]),
  );
}

/** Every column of a map's lists, each once, in the order written. */
function flatColumns(map: Record<string, string[]>): string[] {
  return [...new Set(Object.values(map).flat())];
}

export const isNpyFile = (file: string) => file.toLowerCase().endsWith('.npy');
export const isNpzFile = (file: string) => file.toLowerCase().endsWith('.npz');

/**
 * A layer is a tfjs-layers class name in camelCase plus that layer's tfjs config. Only `type` is
 * checked here; the model builder checks the rest against tfjs, which knows each layer's keys.
 */
const layerSchema = z.looseObject({ type: z.string().min(1) });

const modelSchema = z
  .strictObject({
    layers: z.array(layerSchema).min(1).optional(),
    file: z.string().min(1).optional(),
  })
  .refine((model) => (model.layers === undefined) !== (model.file === undefined), {
    message: 'expected exactly one of `layers` (a list of layers) or `file` (a model JSON file)',
  });

const warmup = { warmupSteps: z.int().nonnegative().default(0) };

/** Learning-rate schedules, named after the Keras (and, for `step`, PyTorch StepLR) originals. */
export const scheduleSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('constant'), ...warmup }),
  z.strictObject({
    type: z.literal('exponential'),
    decaySteps: positiveInt,
    decayRate: z.number().positive().max(1),
    ...warmup,
  }),
  z.strictObject({ type: z.literal('step'), stepSize: positiveInt, gamma: z.number().positive().max(1), ...warmup }),
  z.strictObject({
    type: z.literal('cosine'),
    decaySteps: positiveInt,
    alpha: z.number().min(0).max(1).default(0),
    ...warmup,
  }),
  z.strictObject({
    type: z.literal('plateau'),
    factor: z.number().positive().lt(1).default(0.1),
    patience: z.int().nonnegative().default(10),
    minDelta: z.number().nonnegative().default(1e-4),
    minLearningRate: z.number().nonnegative().default(0),
    ...warmup,
  }),
]);

const lossSchema = z.string().transform((name, context) => {
  const canonical = canonicalLossName(name);
  if (canonical === undefined) {
    context.issues.push({
      code: 'custom',
      input: name,
      message:
        `unknown loss ${JSON.stringify(name)}.${didYouMean(name, LOSSES)} Expected a Keras/tfjs loss ` +
        'name such as meanSquaredError, ' +
        'binaryCrossentropy or categoricalCrossentropy (snake_case and mse/mae also work)',
    });
    return z.NEVER;
  }
  return canonical;
});

const trainingSchema = z
  .strictObject({
    optimizer: z.enum(OPTIMIZERS).default('rmsprop'),
    learningRate: z.number().positive().optional(),
    momentum: fraction.optional(),
    batchSize: positiveInt.default(32),
    epochs: positiveInt.default(100),
    /** The whole run in optimizer steps, for loops counted in steps; replaces epochs x ceil(rows / batchSize). */
    steps: positiveInt.optional(),
    /** One loss, or per output layer name (Keras' `loss` dict) for a model with several outputs. */
    loss: z.union([lossSchema, z.record(z.string().min(1), lossSchema)]).optional(),
    /** Per output layer name, the weight of its loss in the sum the model trains on (Keras' `loss_weights`); default 1. */
    lossWeights: z.record(z.string().min(1), z.number().nonnegative()).optional(),
    metrics: z.array(z.string().min(1)).default([]),
    clipNorm: z.number().positive().nullable().default(null),
    clipValue: z.number().positive().nullable().default(null),
    schedule: scheduleSchema.nullable().default(null),
    /**
     * The model outputs logits and the cross-entropy loss applies sigmoid/softmax itself (Keras'
     * from_logits=True). Unset: the model file's training config says, else false.
     */
    fromLogits: z.boolean().optional(),
  })
  .transform(({ loss, ...training }) => ({
    ...training,
    // A loss map is kept aside, as the data's maps are: `loss` stays the one loss of a one-output model.
    ...lossEntries(loss),
    learningRate: training.learningRate ?? DEFAULT_LEARNING_RATE[training.optimizer],
  }));

function lossEntries(loss: LossName | Record<string, LossName> | undefined): {
  loss?: LossName;
  lossByOutput?: Record<string, LossName>;
} {
  if (loss === undefined) return {};
  return typeof loss === 'string' ? { loss } : { lossByOutput: loss };
}

/** The seed of every random choice when a config or `inspect --seed` names none. */
export const DEFAULT_SEED = 42;
/** Rows kept for the probe by seeded reservoir sampling, so probe cost does not grow with the file. */
export const DEFAULT_SAMPLE_ROWS = 10_000;

const probeSchema = z.strictObject({
  steps: positiveInt.default(300),
  evalEvery: positiveInt.default(10),
  /** Seeds per probe: diagnose uses the first; --apply-fix repeats each trial with this many (default 3 there). */
  seeds: positiveInt.optional(),
  sampleRows: positiveInt.default(DEFAULT_SAMPLE_ROWS),
  /** The probe's batch size when training.batchSize does not fit in memory (a big model); default training.batchSize. */
  batchSize: positiveInt.optional(),
  /** Wall-time budget of one probe run; it stops early (and says so) when the budget is spent. */
  maxSeconds: z.number().positive().default(60),
});

export const configSchema = z.strictObject({
  version: z.literal(1),
  name: z.string().optional(),
  seed: z.int().nonnegative().default(DEFAULT_SEED),
  data: dataSchema,
  model: modelSchema,
  training: trainingSchema.prefault({}),
  probe: probeSchema.prefault({}),
});

/** A validated config with every default filled. */
export type Config = z.output<typeof configSchema>;
export type Task = (typeof TASKS)[number];
export type Normalization = (typeof NORMALIZATIONS)[number];
