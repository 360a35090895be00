/**
 * The config lint of a model with several outputs: each output is checked as a model of its own
 * (its output layer, its loss, the task of its own target columns), and its findings name it; what
 * concerns the model as a whole (a declared input shape, the batch size, Embedding ids) is checked
 * once. A model with one output is linted as before.
 */
import type { LossName } from '../config/losses.js';
import type { DataSummary } from '../data/summary.js';
import type { ProbeSubject } from '../probe/index.js';
import type { OutputTrace, ProbeTrace } from '../trace/trace.js';
import type { ConfigLintInput } from '../symptoms/config-input.js';
import { configLintInput, type ConfigLintParts } from '../symptoms/config-lint-input.js';
import { findSymptoms } from '../symptoms/engine.js';
import type { Finding } from '../symptoms/finding.js';
import type { SymptomId } from '../symptoms/ids.js';
import type { Task } from '../config/schema.js';
import { shapeSize } from '../util/shape.js';

/** The symptoms judged per output; the model-wide part of config-shape-mismatch is judged once. */
const PER_OUTPUT: ReadonlySet<SymptomId> = new Set(['config-output-activation', 'config-loss-mismatch']);

/** The lint input the engine runs with the data and dynamics checks: for several outputs, without an output layer. */
export function modelLintInput(parts: ConfigLintParts, trace: ProbeTrace): ConfigLintInput {
  const lint = configLintInput(parts);
  return trace.outputs === undefined ? lint : { ...lint, output: null };
}

/** The engine's findings with, for several outputs, the per-output lint in place of the model-wide one. */
export function withOutputLint(
  findings: readonly Finding[],
  parts: ConfigLintParts,
  subject: ProbeSubject,
  trace: ProbeTrace,
): Finding[] {
  const outputs = trace.outputs;
  const heads = subject.io?.outputs;
  if (outputs === undefined || heads === undefined) return [...findings];
  const perOutput = outputs.flatMap((output, index) => {
    const head = heads[index]!;
    const input = outputLintInput(parts, subject, output, head.columns, head.loss !== undefined);
    const findings = input === undefined ? [] : findSymptoms({ config: input });
    return findings
      .filter((finding) => !(finding.symptom === 'config-shape-mismatch' && fitsEveryValue(output, head.columns)))
      .map((finding) => namedForOutput(finding, output.name));
  });
  return [...findings.filter((finding) => !PER_OUTPUT.has(finding.symptom)), ...perOutput];
}

/**
 * One target column per output value (a YOLO grid, a per-step tagger): the probe compared them one
 * for one, so the output's shape fits its targets even where the lint, reading only the last axis, counts units.
 */
function fitsEveryValue(output: OutputTrace, columns: readonly number[]): boolean {
  return output.shape.length > 1 && shapeSize(output.shape) === columns.length;
}

function outputLintInput(
  parts: ConfigLintParts,
  { dataset, model }: ProbeSubject,
  output: OutputTrace,
  columns: readonly number[],
  declared: boolean,
): ConfigLintInput | undefined {
  const at = model.layers.findIndex((layer) => layer['name'] === output.name);
  if (at < 0) return undefined;
  const names = columns.map((column) => dataset.targetNames[column]!);
  const { declaredInput: _declared, batch: _batch, ...shared } = parts;
  const { embedding: _embedding, ...input } = configLintInput({
    ...shared,
    task: output.task as Task,
    taskSource: declared ? 'loss' : 'data',
    loss: output.lossName as LossName,
    lossFromConfig: declared,
    layers: parts.layers.slice(0, at + 1),
    data: outputSummary(
      parts.data,
      names,
      output.task as Task,
      columnValues(dataset.train.y, dataset.targetWidth, columns),
    ),
  });
  return input;
}

/** The data summary as one output sees it: its target columns and, for classes, its labels. */
function outputSummary(data: DataSummary, names: readonly string[], task: Task, values: Float32Array): DataSummary {
  const counts = new Map<number, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  const classes = [...counts].sort(([a], [b]) => a - b).map(([label, count]) => ({ label: String(label), count }));
  const { classes: _all, ...rest } = data;
  return {
    ...rest,
    task,
    targetStats: data.targetStats.filter((column) => names.includes(column.name)),
    textLabels: false,
    ...(task === 'regression' || names.length > 1 ? {} : { classes }),
  };
}

function columnValues(y: Float32Array, width: number, columns: readonly number[]): Float32Array {
  if (columns.length !== 1) return new Float32Array(0);
  const column = columns[0]!;
  return Float32Array.from({ length: y.length / width }, (_, row) => y[row * width + column]!);
}

/** A finding about one output says which: in its message, its evidence and its `output`. */
function namedForOutput(finding: Finding, output: string): Finding {
  return {
    ...finding,
    output,
    message: `Output ${output}: ${finding.message}`,
    evidence: { ...finding.evidence, what: `output ${output}: ${finding.evidence.what}` },
  };
}
