/**
 * The JSON report's schema (schemaVersion 1), as a zod schema of the serialized form: numbers that
 * are NaN or infinite in memory (a diverged loss, a ratio over zero weights) are null in JSON.
 * `convdoc schema report` prints it; schema/report.schema.json ships it; tests validate real
 * reports against it.
 */
import { z } from 'zod';
import { NORMALIZATIONS, scheduleSchema, TASKS } from '../config/schema.js';
import { FIX_IDS, SEVERITIES, SYMPTOM_IDS } from '../symptoms/ids.js';
import { SIGNALS } from '../symptoms/signal-needs.js';
import { FRAMEWORKS } from '../fixes/code/code-context.js';
import { LOG_FORMATS } from '../logs/log-reader.js';
import { layerSummarySchema } from '../logs/torch-recording.js';
import { MEASURED_STATUSES } from './measured-ranking.js';
import type { Report } from './report.js';

const number = z.number().nullable();
const series = z.array(number);

const columnStats = z.object({
  name: z.string(),
  count: z.int(),
  nonFinite: z.int(),
  mean: number,
  std: number,
  min: number,
  max: number,
  distinct: z.int(),
  distinctCapped: z.boolean(),
  integer: z.boolean(),
});

const data = z.object({
  file: z.string(),
  rows: z.int(),
  features: z.int(),
  task: z.enum(TASKS),
  taskSource: z.enum(['config', 'loss', 'data']),
  normalize: z.enum(NORMALIZATIONS),
  normalizeTarget: z.enum(NORMALIZATIONS),
  featureStats: z.array(columnStats),
  targetStats: z.array(columnStats),
  classes: z.array(z.object({ label: z.string(), count: z.int() })).optional(),
  textLabels: z.boolean(),
  binaryTargetRows: z.int(),
  oneHotRows: z.int(),
});

/** A config change as a key path and its value before and after: a finding's edit, a trial's edits. */
const configEdit = z.object({
  key: z.string(),
  from: z.union([z.string(), z.number()]).nullable(),
  to: z.union([z.string(), z.number()]),
});

const finding = z.object({
  symptom: z.enum(SYMPTOM_IDS),
  severity: z.enum(SEVERITIES),
  confidence: z.number().min(0).max(1),
  layer: z.string().optional(),
  output: z.string().optional(),
  step: z.int().optional(),
  columns: z.array(z.string()).optional(),
  evidence: z.object({ measured: number, threshold: number, what: z.string() }),
  message: z.string(),
  fixes: z.array(z.enum(FIX_IDS)),
  advice: z.string().optional(),
  edit: configEdit
    .extend({ file: z.string().optional(), line: z.int().optional(), column: z.int().optional() })
    .optional(),
  location: z.object({ file: z.string(), line: z.int().optional(), column: z.int().optional() }).optional(),
});

const activation = z.object({
  layer: z.string(),
  activation: z.string(),
  mean: series,
  std: series,
  deadFraction: series.nullable(),
  saturatedFraction: series.nullable(),
  nearSaturatedFraction: series.nullable(),
  step: z.array(z.int()).optional(),
});

const outputTrace = z.object({
  name: z.string(),
  lossName: z.string(),
  task: z.string(),
  weight: z.number(),
  chanceLoss: number,
  shape: z.array(z.int()),
  loss: series,
  valLoss: series,
});

const outputSummary = z.object({
  name: z.string(),
  lossName: z.string(),
  task: z.string(),
  weight: z.number(),
  loss: z.object({ initial: number, final: number, best: number, chance: number }),
  valLoss: number,
});

const probe = z.object({
  steps: z.int(),
  stepsPlanned: z.int(),
  stoppedEarly: z.enum(['nan-loss', 'time-budget', 'lost-trial']).nullable(),
  nanStep: z.int().nullable(),
  seconds: z.number(),
  tfjsVersion: z.string(),
  backendReason: z.string(),
  lossName: z.string(),
  loss: z.object({ initial: number, final: number, best: number, chance: number, originalUnitsFactor: number }),
  layers: z.array(layerSummarySchema),
  approximations: z.array(z.string()),
  outputs: z.array(outputSummary).optional(),
  plan: z
    .object({
      steps: z.int(),
      source: z.enum(['epochs', 'steps', 'log']),
      epochs: z.int().optional(),
      stepsPerEpoch: z.int().optional(),
      end: z
        .object({
          kind: z.enum(['measured', 'projected']),
          series: z.enum(['validation', 'training']),
          loss: number,
          low: number,
          high: number,
        })
        .nullable(),
    })
    .optional(),
  cutShort: z.object({ reason: z.string(), estimatedFullSeconds: number, advice: z.array(z.string()) }).optional(),
  trace: z.object({
    step: z.array(z.int()),
    targetScale: series.nullable(),
    loss: series,
    learningRate: series,
    globalGradNorm: series,
    globalUpdateNorm: series,
    gradNorm: z.record(z.string(), series),
    updateRatio: z.record(z.string(), series),
    nonFiniteSteps: z.record(z.string(), z.array(z.int())),
    evalStep: z.array(z.int()),
    valLoss: series,
    valMetric: z.object({ name: z.string(), values: series, chance: z.number().optional() }).nullable(),
    trainMetric: z.object({ name: z.string(), values: series }).nullable().optional(),
    valScore: z
      .object({ name: z.string(), step: z.array(z.number()), values: series })
      .nullable()
      .optional(),
    activations: z.array(activation),
    outputs: z.array(outputTrace).optional(),
  }),
});

const logSection = z.object({
  file: z.string(),
  format: z.enum(LOG_FORMATS),
  axis: z.enum(['epoch', 'step']).optional(),
  notes: z.array(z.string()).optional(),
  lossColumn: z.string().optional(),
  segments: z
    .array(
      z.object({
        index: z.int().positive(),
        firstLine: z.int(),
        lastLine: z.int(),
        firstStep: z.number(),
        lastStep: z.number(),
        rows: z.int(),
      }),
    )
    .optional(),
  judged: z.union([z.int().positive(), z.literal('all')]).optional(),
  lossCurve: z.literal('validation').optional(),
});

const trial = z.object({
  fixes: z.array(z.enum(FIX_IDS)),
  finalLoss: number,
  bestLoss: number,
  valLoss: number,
  diverged: z.boolean(),
  lost: z.boolean(),
  stepsToHalf: z.int().nullable(),
  seconds: z.number(),
  seeds: z.int().positive(),
  improvement: number.optional(),
  improvementInterval: z.tuple([number, number]).optional(),
  betterSeeds: z.int().nonnegative().optional(),
  pValue: z.number().optional(),
  testLevel: z.number().optional(),
  firstLookSeeds: z.int().positive().optional(),
  horizonSteps: z.int().positive().optional(),
  verified: z.boolean().optional(),
  accuracy: z.object({ accuracy: z.number(), chance: z.number() }).optional(),
  learnedBy: z.literal('accuracy').optional(),
  curve: z.object({ step: z.array(z.int()), loss: series, evalStep: z.array(z.int()), valLoss: series }).optional(),
  projectedLoss: number.optional(),
  compressedSchedule: z
    .object({ trialSteps: z.int().positive(), plannedSteps: z.int().positive(), measured: scheduleSchema })
    .optional(),
  edits: z.array(configEdit).optional(),
});

const lrRangeTest = z.object({
  learningRate: series,
  loss: series,
  smoothed: series,
  smoothedFrom: z.int(),
  steepest: number,
  valley: number,
  suggested: number,
});

export const reportSchema = z.object({
  schemaVersion: z.literal(1),
  tool: z.object({ name: z.literal('convdoc'), version: z.string() }),
  command: z.string(),
  config: z.string().nullable(),
  backend: z.string().nullable(),
  seed: z.int(),
  verdict: z.enum(['healthy', 'warning', 'unhealthy']),
  data: data.optional(),
  probe: probe.optional(),
  findings: z.array(finding),
  recommendedFixes: z.array(
    z.object({
      fix: z.enum(FIX_IDS),
      rank: z.int().positive(),
      because: z.array(z.enum(SYMPTOM_IDS)),
      change: z.string().optional(),
      code: z.array(z.object({ framework: z.enum(FRAMEWORKS), code: z.string() })).optional(),
      measured: z.enum(MEASURED_STATUSES).optional(),
    }),
  ),
  trials: z.array(trial).optional(),
  lrRangeTest: lrRangeTest.optional(),
  untriedFixes: z.array(z.object({ fix: z.enum(FIX_IDS), why: z.string() })).optional(),
  trialBudget: z
    .object({
      steps: z.number(),
      estimatedSteps: z.number(),
      skipped: z.array(z.object({ fixes: z.array(z.enum(FIX_IDS)), why: z.string() })),
      seeds: z.int().positive().optional(),
      seedsReason: z.string().optional(),
      secondLook: z
        .object({
          seeds: z.int().positive(),
          levels: z.tuple([z.number(), z.number()]),
          extended: z.array(z.array(z.enum(FIX_IDS))),
          steps: z.number(),
          notExtended: z.array(z.array(z.enum(FIX_IDS))).optional(),
        })
        .optional(),
      longerLook: z
        .object({
          horizon: z.int().positive(),
          fixes: z.array(z.enum(FIX_IDS)),
          level: z.number(),
          steps: z.number(),
        })
        .optional(),
    })
    .optional(),
  log: logSection.optional(),
  notEvaluated: z
    .array(z.object({ symptom: z.enum(SYMPTOM_IDS), needs: z.array(z.enum(SIGNALS)), reason: z.string().optional() }))
    .optional(),
});

/**
 * `Report` (report.ts) is the report in memory, where a diverged loss is NaN or Infinity and
 * reporters compute with it as a number; this schema is the report in JSON, where those numbers are
 * null. Inferring `Report` from the schema would type every such number `number | null` in memory,
 * where it never is null, so the two are written apart and the compiler holds them together: with
 * every number read as `number | null`, they must be the same type, field for field and optional
 * for optional, or this line does not compile.
 */
export type ReportJson = Checked<
  Same<Serialized<Report>, Serialized<z.output<typeof reportSchema>>>,
  z.output<typeof reportSchema>
>;

/** A value as JSON gives it back: numbers may be null (NaN and ±Infinity are written as null). */
type Serialized<T> = T extends number ? number | null : T extends object ? { [K in keyof T]: Serialized<T[K]> } : T;

/** True exactly when A and B are the same type (the identity test TypeScript uses itself). */
type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

type Checked<Proof extends true, T> = Proof extends true ? T : never;

export function reportJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(reportSchema),
    $id: 'https://github.com/convdoc/convdoc/schema/report.schema.json',
    title: 'convdoc report (schemaVersion 1)',
  };
}
