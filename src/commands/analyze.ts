/**
 * `convdoc analyze <log>`: a training log of any framework (Keras CSVLogger, TensorBoard scalar
 * export, JSON Lines) through the same engine as diagnose, without re-running anything. Detectors
 * whose signals the log lacks are listed in `notEvaluated` rather than judged on nothing.
 */
import { logTrace } from '../logs/log-trace.js';
import { readLog } from '../logs/read-log.js';
import { buildReport, probeSection, type Report } from '../report/report.js';
import { availableSignals, findSymptoms, notEvaluated } from '../symptoms/engine.js';

export interface AnalyzeOptions {
  /** The loss of a model that learned nothing, when the user knows it (ln C for C classes): plateau needs it. */
  chanceLoss?: number;
}

/** Nothing is random in reading a log; the report's seed is 0. */
const NO_SEED = 0;

export async function analyze(file: string, options: AnalyzeOptions = {}): Promise<Report> {
  const log = await readLog(file);
  const trace = logTrace(log, options.chanceLoss ?? null);
  const report = buildReport({
    command: 'analyze',
    config: null,
    backend: null,
    seed: NO_SEED,
    probe: probeSection(trace, `no probe: the run as its ${log.format} log recorded it`, []),
    findings: findSymptoms({ trace, origin: 'log' }),
  });
  return {
    ...report,
    log: { file: log.file, format: log.format },
    notEvaluated: notEvaluated(availableSignals({ trace })),
  };
}
