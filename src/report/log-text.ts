/**
 * The text report's evidence for a judged log: the training and the validation loss as sparklines
 * on the log's own axis (epochs or steps), the best validation point, which run of a resumed log
 * was judged, and how the reader took the file. A reader sees why the verdict is what it is.
 */
import type { ChalkInstance } from 'chalk';
import { formatNumber } from '../util/format.js';
import type { Report } from './report.js';
import { sparkline } from './sparkline.js';

/** Which column the training curve is, when the reader names it. */
function column(name: string | undefined): string {
  return name === undefined ? '' : `; ${name}`;
}

export function logEvidenceLines(report: Report, paint: ChalkInstance): string[] {
  const { log, probe } = report;
  if (log === undefined || probe === undefined) return [];
  const unit = log.axis ?? 'step';
  const { step, loss, evalStep, valLoss } = probe.trace;
  const span = (steps: readonly number[]) => `${unit}s ${steps[0]}-${steps.at(-1)}`;
  // A validation-only log's loss curve is its validation loss (log.lossCurve): labelled as what it is.
  const judgedAs = log.lossCurve === 'validation' ? 'val:  ' : 'train:';
  const only = log.lossCurve === 'validation' ? '; no training loss logged' : column(log.lossColumn);
  const lines = [
    `${judgedAs} ${sparkline(loss)}  ${formatNumber(loss[0]!)} → ${formatNumber(loss.at(-1)!)} (${span(step)}${only})`,
  ];
  const validated = evalStep.flatMap((at, index) =>
    Number.isFinite(valLoss[index]) ? [{ at, value: valLoss[index]! }] : [],
  );
  if (validated.length > 0) {
    const best = validated.reduce((a, b) => (b.value < a.value ? b : a));
    lines.push(
      `val:   ${sparkline(validated.map((point) => point.value))}  ${formatNumber(validated[0]!.value)} → ${formatNumber(validated.at(-1)!.value)} (best ${formatNumber(best.value)} at ${unit} ${best.at}; ${span(validated.map((point) => point.at))})`,
    );
  }
  const segments = log.segments ?? [];
  if (segments.length > 1)
    lines.push(
      paint.dim(
        `segments: the steps go back ${segments.length - 1} time${segments.length === 2 ? '' : 's'} (a resumed or appended run); judged: ${log.judged === 'all' ? 'all, end to end' : `segment ${log.judged} of ${segments.length}`} (--segment all|last|N)`,
      ),
    );
  lines.push(...(log.notes ?? []).map((note) => paint.dim(`note: ${note}`)));
  return lines;
}
