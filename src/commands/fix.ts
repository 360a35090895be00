/**
 * `convdoc fix <config> --apply <ids|suggested>`: diagnoses the run (the fixes size themselves from
 * what the probe measured), applies the fixes as config transforms, and writes the config with
 * the user's comments and key order kept and a comment on each changed key. `suggested` is the
 * best verified trial of a `--report`, else the single top-ranked fix (suggested-fixes.ts).
 */
import path from 'node:path';
import { configInputs, loadConfig } from '../config/load.js';
import { checkOutputs } from '../util/output-check.js';
import type { Config } from '../config/schema.js';
import { FIXES } from '../fixes/registry.js';
import type { ConfigChange } from '../config/writer/config-change.js';
import { writeFixedConfig, type AppliedFix } from '../config/writer/write-config.js';
import { UsageError } from '../errors.js';
import { loadProbeSubject, probeSubject, type ProbeOptions } from '../probe/index.js';
import { fixContext, withLrTest } from '../trials/fix-context.js';
import { learningRateTest } from '../trials/lr-test.js';
import { FIX_IDS, type FixId } from '../symptoms/ids.js';
import type { ModelGraph } from '../model/model-graph.js';
import { kerasModelJson } from '../model/keras-writer.js';
import type { OutputFile } from '../util/safe-write.js';
import { diagnoseSubject } from './diagnose.js';
import { topRankedFix, verifiedFixes } from './suggested-fixes.js';

export interface FixOptions extends ProbeOptions {
  apply: 'suggested' | readonly FixId[];
  /** With `suggested`: the JSON report of `diagnose --apply-fix` on this config, whose verified trial is written. */
  report?: string;
  /** Where the fixed config will be written; relative paths in it are rebased there. Default: beside the input. */
  output?: string;
}

export interface FixOutcome {
  text: string;
  applied: AppliedFix[];
  /** The fixed model file the config now names, when a fix edited a graph model (written beside the config). */
  modelFile?: OutputFile;
}

export async function fixConfig(file: string, options: FixOptions): Promise<FixOutcome> {
  // Refuse before probing: a fix that is not a config transform cannot be written.
  const unsupported =
    options.apply === 'suggested' ? undefined : options.apply.find((fix) => !FIXES.configChanges.includes(fix));
  if (unsupported !== undefined)
    throw new UsageError(
      `${unsupported} is not applied by convdoc fix: ` +
        'it is a search over hyperparameters (convdoc search). Apply: ' +
        `${FIX_IDS.filter((fix) => FIXES.configChanges.includes(fix)).join(', ')}.`,
    );
  if (options.report !== undefined && options.apply !== 'suggested')
    throw new UsageError('--report picks the verified fixes of --apply suggested: drop it, or use --apply suggested');
  const measuredFixes =
    options.apply === 'suggested' && options.report !== undefined
      ? await verifiedFixes(options.report, file)
      : undefined;
  const loaded = await loadConfig(file);
  const inputs = [
    ...configInputs(loaded),
    ...(options.report === undefined ? [] : [{ file: options.report, what: 'the --report' }]),
  ];
  await checkOutputs(options.output === undefined ? [] : [{ file: options.output, flag: '-o' }], inputs);
  const subject = await loadProbeSubject(loaded);
  const { backend, trace } = await probeSubject(subject, options);
  const report = diagnoseSubject(subject, backend, trace, options.seed ?? loaded.config.seed);
  const wanted =
    options.apply !== 'suggested' ? options.apply : (measuredFixes ?? topRankedFix(report.recommendedFixes, FIXES));
  const fixes = FIXES.configChanges.filter((fix) => wanted.includes(fix));
  const context = fixContext(subject, loaded.config, report.findings, trace);
  const measured = fixes.some((fix) => FIXES.definition(fix).measureFirst === 'lr-range-test')
    ? withLrTest(context, learningRateTest(subject, options.seed ?? loaded.config.seed))
    : context;
  const { applied, config: fixed, graph } = FIXES.apply(loaded.config, fixes, measured);
  const modelFile =
    graph === undefined ? undefined : fixedModelFile(fixed, options.output, graph, subject.dataset.inputShape);
  const rebased = rebasePaths(loaded.config, file, options.output, modelFile?.file);
  return {
    text: writeFixedConfig(loaded, [...applied, { fix: 'paths', changes: rebased }]),
    applied,
    ...(modelFile === undefined ? {} : { modelFile }),
  };
}

/** The edited graph as a model file: beside the fixed config when it is written to a file, else beside the original model. */
function fixedModelFile(
  fixed: Config,
  output: string | undefined,
  graph: ModelGraph,
  inputShape: readonly number[],
): OutputFile {
  const name = fixed.model.file!;
  const file = output === undefined ? name : path.join(path.dirname(path.resolve(output)), path.basename(name));
  return { file, content: kerasModelJson(graph, inputShape) };
}

/**
 * Paths in a config are relative to the file; a fixed config written elsewhere needs them relative
 * to its new place. (Absolute in `config`, as loading resolved them.)
 */
function rebasePaths(
  config: Config,
  input: string,
  output: string | undefined,
  fixedModel: string | undefined,
): ConfigChange[] {
  const relative = (target: string) =>
    path
      .relative(path.dirname(path.resolve(output ?? input)), target)
      .split(path.sep)
      .join('/');
  const why = 'relative to where the fixed config is written';
  // A fixed graph's model file is new: the config names it relative to itself, wherever it is written.
  const model =
    fixedModel === undefined ? [] : [{ path: ['model', 'file'], from: fixedModel, to: relative(fixedModel), why }];
  if (output === undefined || path.resolve(path.dirname(output)) === path.resolve(path.dirname(input))) return model;
  return [
    ...model,
    { path: ['data', 'train'], from: config.data.train, to: relative(config.data.train), why },
    ...(config.data.validation === undefined
      ? []
      : [{ path: ['data', 'validation'], from: config.data.validation, to: relative(config.data.validation), why }]),
    ...(config.model.file === undefined || fixedModel !== undefined
      ? []
      : [{ path: ['model', 'file'], from: config.model.file, to: relative(config.model.file), why }]),
  ];
}
