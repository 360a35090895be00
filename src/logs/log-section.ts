/**
 * What the report says about the log analyze judged (the report's `log`, docs/report.md). Fields after
 * `format` came with the second wave: optional, so that reports written before them stay valid.
 */
import type { LogFormat } from './log-reader.js';
import type { LogSegment } from './log-segments.js';

export interface LogSection {
  file: string;
  format: LogFormat;
  /** Whether the log's steps are epochs (Keras, pandas histories) or optimizer steps. */
  axis?: 'epoch' | 'step';
  /** How the reader took the file where it had to choose (a `test_loss` read as validation, a TensorBoard tag). */
  notes?: string[];
  /** The column, key or tag read as the training loss (keysByRank of log-keys.ts, or `--tag`), when the format names it. */
  lossColumn?: string;
  /** The runs the log holds, in file order: more than one when steps go back (a resumed or appended run). */
  segments?: LogSegment[];
  /** The segment judged: its number, or `all` of them end to end. */
  judged?: number | 'all';
  /**
   * The curve `probe.trace.loss` holds: `validation` when the log holds only a validation loss, which
   * then stands in for the training loss (log-trace.ts). Absent for the training loss.
   */
  lossCurve?: 'validation';
}
