/**
 * Every fix as the code change of the framework the run came from (`--code pytorch|keras|tfjs`):
 * a PyTorch recording gets PyTorch, a convdoc config Keras and TensorFlow.js.
 */
import type { Config } from '../../config/schema.js';
import type { Finding } from '../../symptoms/finding.js';
import type { FixId, SymptomId } from '../../symptoms/ids.js';
import type { LayerSummary, ProbeTrace } from '../../trace/trace.js';
import type { FixTable } from '../fix-table.js';
import { FIXES } from '../registry.js';
import type { FixContext } from '../transform.js';
import { codeNumber, type CodeContext, type FixCode, type Framework } from './code-context.js';

/** The fix's code in each framework asked, from its registry entry. */
export function fixCode(
  fix: FixId,
  frameworks: readonly Framework[],
  context: CodeContext,
  table: FixTable = FIXES,
): FixCode[] {
  const { code } = table.definition(fix);
  return frameworks.map((framework) => ({ framework, code: code[framework](context) }));
}

/**
 * The context of a convdoc config: the numbers its clip and lr-schedule transforms choose (so the
 * code says what `change` says), the probe's layers and the planned run's steps.
 */
export function configCodeContext(
  config: Config,
  context: FixContext,
  layers: readonly LayerSummary[],
  steps: number | undefined,
  table: FixTable = FIXES,
): CodeContext {
  const chosen = (fix: FixId, key: string): number | undefined => {
    const { transform } = table.definition(fix);
    if (transform === 'none') return undefined;
    const change = transform.apply(config, context).changes.find((candidate) => candidate.path.join('.') === key);
    return typeof change?.to === 'number' ? change.to : undefined;
  };
  const learningRate = chosen('lr-schedule', 'training.learningRate') ?? config.training.learningRate;
  const clipNorm = chosen('clip', 'training.clipNorm');
  return {
    layers,
    ...(learningRate === undefined ? {} : { learningRate }),
    ...(clipNorm === undefined ? {} : { clipNorm }),
    ...(steps === undefined ? {} : { steps }),
  };
}

/** Symptoms of a rate too high, and of one too low: a log's rate moves a decade away from them. */
const RATE_TOO_HIGH: ReadonlySet<SymptomId> = new Set([
  'lr-too-high',
  'nan-loss',
  'exploding-gradients',
  'oscillating-loss',
]);
const RATE_TOO_LOW: ReadonlySet<SymptomId> = new Set(['lr-too-low', 'plateau']);
const DECADE = 10;

/**
 * The context of a log or recording: its layers and steps, and the rate it ran at moved a decade
 * away from what its findings show (down for a divergence, up for a crawl), as lr-schedule does
 * for a config without a range test.
 */
export function logCodeContext(trace: ProbeTrace, findings: readonly Finding[]): CodeContext {
  const rate = trace.learningRate.find(Number.isFinite);
  const lastStep = trace.step.at(-1);
  const symptoms = findings.map((finding) => finding.symptom);
  const high = symptoms.some((symptom) => RATE_TOO_HIGH.has(symptom));
  const low = !high && symptoms.some((symptom) => RATE_TOO_LOW.has(symptom));
  const moved =
    rate === undefined || (!high && !low)
      ? {}
      : {
          learningRate: high ? rate / DECADE : rate * DECADE,
          rateWhy: `a decade ${high ? 'below' : 'above'} the run's ${codeNumber(rate)}; convdoc lr-find on a config measures it`,
        };
  return {
    layers: trace.layers,
    ...(rate === undefined ? {} : { learningRate: rate }),
    ...moved,
    ...(lastStep === undefined ? {} : { steps: lastStep + 1 }),
  };
}
