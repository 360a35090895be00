/**
 * Logs whose step counts within the epoch: a step column that starts again each time the epoch
 * column advances (bench log 305 writes `epoch,step` as 1,299 / 1,599 / 2,299 / 2,599 ...) numbers
 * the steps of one epoch, not of the run. Read as they stand, each epoch would start a segment
 * (log-segments.ts) and analyze would judge the last epoch alone. When every step that goes back
 * comes with an epoch that went forward, the steps are numbered across epochs: each epoch starts one
 * step after the highest step logged in the epoch before. A step that goes back while the epoch does
 * not go forward (a resumed or appended run) leaves the steps as they are, for the segments to split.
 */
import type { LogRow } from './log-row.js';

export interface StepsAcrossEpochs {
  rows: LogRow[];
  notes: string[];
}

/** `epochs[k]`: the epoch logged on `rows[k]`'s line, undefined where the line has none. */
export function stepsAcrossEpochs(
  rows: LogRow[],
  epochs: readonly (number | undefined)[],
  stepColumn: string,
  epochColumn: string,
): StepsAcrossEpochs {
  if (!countsWithinEpochs(rows, epochs)) return { rows, notes: [] };
  let offset = 0;
  let highest = Number.NEGATIVE_INFINITY;
  const renumbered = rows.map((row, index) => {
    if (index > 0 && row.step < rows[index - 1]!.step) {
      offset += highest + 1;
      highest = Number.NEGATIVE_INFINITY;
    }
    highest = Math.max(highest, row.step);
    return { ...row, step: row.step + offset };
  });
  return {
    rows: renumbered,
    notes: [
      `"${stepColumn}" starts again at each "${epochColumn}": the steps are counted within epochs and read as steps of the run, epoch after epoch`,
    ],
  };
}

/** Some step goes back, and each that does comes with an epoch that went forward. */
function countsWithinEpochs(rows: readonly LogRow[], epochs: readonly (number | undefined)[]): boolean {
  let wentBack = false;
  for (let index = 1; index < rows.length; index++) {
    if (!(rows[index]!.step < rows[index - 1]!.step)) continue;
    const [before, now] = [epochs[index - 1], epochs[index]];
    if (before === undefined || now === undefined || !(now > before)) return false;
    wentBack = true;
  }
  return wentBack;
}
