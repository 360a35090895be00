/**
 * Logs whose only counter is a fractional epoch: HuggingFace's Trainer logs `epoch` as the step
 * over the steps per epoch (`0.0168`, `0.04`), and a `log_history` saved as CSV (bench log 255) or
 * printed to stdout (bench log 272) keeps no `step`. Such rows are read as steps in file order; an
 * epoch that goes back (a resumed run) restarts the count, so that it starts a segment as any
 * resume does.
 */
import type { LogRow } from './log-row.js';

export interface StepsOfEpochs {
  rows: LogRow[];
  /** The epochs held fractions: the rows are now numbered as steps. */
  renumbered: boolean;
  notes: string[];
}

export function stepsOfFractionalEpochs(rows: LogRow[], epochColumn: string | undefined): StepsOfEpochs {
  if (!rows.some((row) => !Number.isInteger(row.step))) return { rows, renumbered: false, notes: [] };
  let count = 0;
  let lastEpoch = Number.NEGATIVE_INFINITY;
  const renumbered = rows.map((row) => {
    count = row.step < lastEpoch ? 1 : count + 1;
    lastEpoch = row.step;
    return { ...row, step: count };
  });
  const name = epochColumn ?? 'epoch';
  return {
    rows: renumbered,
    renumbered: true,
    notes: [
      `"${name}" holds fractions of an epoch (as HuggingFace logs it): the rows are read as steps, in file order`,
    ],
  };
}
