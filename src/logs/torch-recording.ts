/**
 * Recordings of convdoc_torch (integrations/pytorch, format in docs/recording.md): JSON Lines whose
 * first line names the format version and the model's layers by module path, then one line per
 * recorded step (the keys of a JSON Lines log, plus `activations` per activation module and `time`)
 * and validation lines. Read into the same rows as any log, with the layers and activation samples
 * a log lacks, so every training check runs on it.
 */
import { z } from 'zod';
import { DataError } from '../errors.js';
import type { LayerSummary } from '../trace/trace.js';
import { isPlainObject } from '../util/plain-object.js';
import { cellOf, ObjectRows, parseLine } from './jsonl-log.js';
import { logLines } from './log-lines.js';
import type { LogReader, ReadLogResult } from './log-reader.js';
import { logNumber, type ActivationSample } from './log-row.js';

/** The versions of the format this convdoc reads; the recorder writes its own in the first line. */
const FORMAT_VERSION = 1;
const HEADER_KEY = 'convdoc_recording';

/** A layer as trace.ts's LayerSummary: the recorder writes the report's form of it. */
export const layerSummarySchema = z.object({
  name: z.string(),
  type: z.string(),
  activation: z.string(),
  outputShape: z.array(z.int().nullable()),
  params: z.int(),
});
const headerSchema = z.object({ [HEADER_KEY]: z.int().positive(), layers: z.array(layerSummarySchema) });

export const torchRecordingReader: LogReader = {
  format: 'convdoc-torch',
  findIn: /^convdoc\.jsonl$/,
  sniff: ({ text }) => new RegExp(`^\\s*\\{\\s*"${HEADER_KEY}"`).test(text),
  read: readRecording,
};

async function readRecording(file: string, shown: string): Promise<ReadLogResult> {
  const objects = new ObjectRows();
  let layers: LayerSummary[] | undefined;
  for await (const batch of logLines(file))
    for (const { line, text } of batch) {
      const where = `${shown}:${line}`;
      const object = parseLine(text, where);
      if (layers === undefined) {
        layers = recordedLayers(object, where);
        continue;
      }
      const { activations, time, ...scalars } = object;
      const row = objects.row(scalars, where, line);
      if (row === null) continue;
      if (activations !== undefined) row.activations = activationSamples(activations, where);
      const wallTime = logNumber(cellOf(time, where, 'time'), where, 'time');
      if (wallTime !== undefined) row.wallTime = wallTime;
    }
  if (!objects.rows.some((row) => row.loss !== undefined))
    throw new DataError(`${shown}: the recording holds no step: call rec.after_backward(loss) and rec.after_step().`);
  return { ...objects.result(), layers };
}

function recordedLayers(object: Record<string, unknown>, where: string): LayerSummary[] {
  const version = object[HEADER_KEY];
  if (typeof version === 'number' && version > FORMAT_VERSION)
    throw new DataError(
      `${where}: a convdoc_torch recording of format version ${version}; this convdoc reads version ${FORMAT_VERSION}: upgrade convdoc.`,
    );
  const parsed = headerSchema.safeParse(object);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new DataError(
      `${where}: the recording's first line is not convdoc_torch's header: ${issue.path.join('.')}: ${issue.message}. Record the run with integrations/pytorch/convdoc_torch.py.`,
    );
  }
  return parsed.data.layers;
}

const SAMPLE_KEYS: readonly [string, keyof ActivationSample][] = [
  ['mean', 'mean'],
  ['std', 'std'],
  ['dead_fraction', 'deadFraction'],
  ['saturated_fraction', 'saturatedFraction'],
  ['near_saturated_fraction', 'nearSaturatedFraction'],
];

function activationSamples(value: unknown, where: string): Record<string, ActivationSample> {
  const expected = `"activations" must map module paths to {"activation": "relu", "mean": 0.1, "std": 0.2, ...}`;
  if (!isPlainObject(value)) throw new DataError(`${where}: ${expected}.`);
  return Object.fromEntries(
    Object.entries(value).map(([layer, stats]) => {
      if (!isPlainObject(stats) || typeof stats['activation'] !== 'string')
        throw new DataError(`${where}: activations.${layer}: ${expected}.`);
      const sample: ActivationSample = { activation: stats['activation'], mean: Number.NaN, std: Number.NaN };
      for (const [key, field] of SAMPLE_KEYS) {
        const name = `activations.${layer}.${key}`;
        const number = logNumber(cellOf(stats[key], where, name), where, name);
        if (number !== undefined) (sample[field] as number) = number;
      }
      return [layer, sample];
    }),
  );
}
