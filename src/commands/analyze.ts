/**
 * `convdoc analyze <log>`: a training log of any framework (Keras CSVLogger, Lightning metrics.csv,
 * HuggingFace trainer_state.json, JSON Lines, pandas histories, TensorBoard scalar exports and event
 * files) through the same engine as diagnose, without re-running anything. Detectors whose signals the log lacks
 * are listed in `notEvaluated` rather than judged on nothing. A resumed run is judged on its last
 * segment unless `segment` says otherwise.
 */
import type { Framework } from '../fixes/code/code-context.js';
import { fixCode, logCodeContext } from '../fixes/code/fix-code.js';
import { downsampleRows } from '../logs/downsample-rows.js';
import type { LogFormat } from '../logs/log-reader.js';
import type { LogSection } from '../logs/log-section.js';
import type { LogRow } from '../logs/log-row.js';
import {
  describeSegments,
  resumedRows,
  selectSegment,
  splitSegments,
  type SegmentChoice,
} from '../logs/log-segments.js';
import { firstScoreOnly, logTrace, onlyValidationLoss } from '../logs/log-trace.js';
import { readLog, type TrainingLog } from '../logs/read-log.js';
import { buildReport, probeSection, type Report } from '../report/report.js';
import { availableSignals, findSymptoms, notEvaluated, type NotEvaluated } from '../symptoms/engine.js';
import type { Signal } from '../symptoms/signal-needs.js';
import { checkOutputs, type PlannedOutput } from '../util/output-check.js';

export interface AnalyzeOptions {
  /** The loss of a model that learned nothing, when the user knows it (ln C for C classes): plateau needs it. */
  chanceLoss?: number;
  /** The number of classes: chance accuracy is 1/C and, unless chanceLoss says otherwise, chance loss ln C (cross-entropy). */
  classes?: number;
  /** The column (CSV, JSON Lines) or TensorBoard tag to read as the training loss, instead of the one the alias table picks. */
  tag?: string;
  /** Which run of a resumed log to judge (default `last`). */
  segment?: SegmentChoice;
  /** The frameworks to give each fix's code for (default: the log's own, when its format says it). */
  code?: readonly Framework[];
  /** The files the caller will write the report to: never the log. */
  outputs?: readonly PlannedOutput[];
}

/** The framework a log format comes from, when its format says so: its fixes are given as that code. */
const FORMAT_FRAMEWORKS: Partial<Record<LogFormat, Framework>> = {
  'convdoc-torch': 'pytorch',
  'lightning-csv': 'pytorch',
  'hf-trainer-state': 'pytorch',
  'keras-csv': 'keras',
};

/** Nothing is random in reading a log; the report's seed is 0. */
const NO_SEED = 0;

export async function analyze(file: string, options: AnalyzeOptions = {}): Promise<Report> {
  const log = await readLog(file, options);
  await checkOutputs(options.outputs ?? [], [{ file: log.file, what: 'the log' }]);
  return judgeLog(log, options);
}

/** The report on a log already read: analyze, and each re-judgment of `--follow`. */
export function judgeLog(log: TrainingLog, options: AnalyzeOptions = {}): Report {
  const segments = splitSegments(log.rows);
  const choice = options.segment ?? 'last';
  const selected = selectSegment(log.file, segments, choice);
  const rows = downsampleRows(firstScoreOnly(selected));
  const chanceLoss = options.chanceLoss ?? (options.classes === undefined ? null : Math.log(options.classes));
  const trace = logTrace(log.file, rows, chanceLoss, log.layers);
  const standIn = onlyValidationLoss(rows);
  const own = FORMAT_FRAMEWORKS[log.format];
  const frameworks = options.code ?? (own === undefined ? [] : [own]);
  const findings = findSymptoms({
    trace,
    origin: 'log',
    stepUnit: log.byEpoch ? 'epoch' : 'step',
    lossUnit: log.byEpoch || log.epochMeans === true ? 'epoch' : 'step',
    lossCurve: standIn ? 'validation' : 'training',
  });
  const codeContext = logCodeContext(trace, findings);
  const report = buildReport({
    command: 'analyze',
    config: null,
    backend: null,
    seed: NO_SEED,
    probe: probeSection(trace, `no probe: the run as its ${log.format} log recorded it`, []),
    findings,
    describeCode: (fix) => fixCode(fix, frameworks, codeContext),
  });
  const section = logSection(log, { rows: rows.length, read: selected.length, standIn }, segments, choice);
  // A symptom a log-only variant found (plateau from not-learning) was judged: not "not evaluated".
  const found = new Set(findings.map((finding) => finding.symptom));
  const unjudged = logFeedable(notEvaluated(availableSignals({ trace }))).filter(({ symptom }) => !found.has(symptom));
  return { ...report, log: section, notEvaluated: standIn ? unjudged.map(withoutTrainingLoss) : unjudged };
}

/** What the report says a validation-only log (log-trace.ts) was judged as, in `log.notes`. */
const VALIDATION_ONLY_NOTE =
  "only a validation loss was logged: it is judged as the run's loss (divergence, a frozen or stuck run, spikes), and overfitting on its rise above its best alone";
/** What overfitting on a validation-only log left out: the comparison with the training curve. */
const VALIDATION_ONLY_REASON =
  'only a validation loss was logged: overfitting was judged on its rise above its best alone, and comparing it with the training loss needs a `loss` or `train_loss` as well';

/** A validation-only log lacks the training loss, not the validation loss: overfitting needs the other curve. */
function withoutTrainingLoss(entry: NotEvaluated): NotEvaluated {
  return entry.symptom === 'overfitting'
    ? { symptom: entry.symptom, needs: ['loss'], reason: VALIDATION_ONLY_REASON }
    : entry;
}

/** The report's `log`: how the log was read, which segment was judged, on how many rows, and which loss. */
function logSection(
  log: TrainingLog,
  judged: { rows: number; read: number; standIn: boolean },
  segments: readonly LogRow[][],
  choice: SegmentChoice,
): LogSection {
  const notes = [
    ...log.notes,
    ...(judged.standIn ? [VALIDATION_ONLY_NOTE] : []),
    ...(judged.rows < judged.read ? [`judged on ${judged.rows} means of consecutive rows (of ${judged.read})`] : []),
    ...resumedNote(segments, choice),
  ];
  return {
    file: log.file,
    format: log.format,
    axis: log.byEpoch ? 'epoch' : 'step',
    notes,
    ...(log.lossColumn === undefined ? {} : { lossColumn: log.lossColumn }),
    segments: describeSegments(segments),
    judged: choice === 'last' ? segments.length : choice,
    ...(judged.standIn ? { lossCurve: 'validation' as const } : {}),
  };
}

/**
 * The last segment judged with the rows of the runs it resumed (selectSegment): the report says how
 * many rows came from earlier segments, so that `judged` naming the last one does not hide them.
 */
function resumedNote(segments: readonly LogRow[][], choice: SegmentChoice): string[] {
  const resumed = choice === 'last' ? resumedRows(segments) : null;
  if (resumed === null) return [];
  const last = segments.length;
  return [
    `segment ${last} resumes an earlier run at step ${resumed.step}: judged with ${resumed.rows} rows of the runs it resumed, logged before step ${resumed.step} (--segment ${last} judges it alone)`,
  ];
}

/** Signals no log format carries: checks that need them are for diagnose, not for a log. */
const NEVER_IN_A_LOG: ReadonlySet<Signal> = new Set(['data', 'config', 'activations']);

/** The checks a log could feed with more columns, once per symptom (a symptom's log-only variants need less). */
function logFeedable(entries: readonly NotEvaluated[]): NotEvaluated[] {
  const feedable = entries.filter(({ needs }) => !needs.some((signal) => NEVER_IN_A_LOG.has(signal)));
  return feedable.filter((entry, index) => feedable.findIndex(({ symptom }) => symptom === entry.symptom) === index);
}
