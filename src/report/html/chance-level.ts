/**
 * The chance-level loss (what a constant prediction scores) as a line on loss plots: "verified"
 * and "learned" are defined against it, so a reader sees at once whether a curve got clearly below.
 */
import { formatFinite } from '../../util/format.js';
import type { Report } from '../report.js';
import type { PlotLevel } from './plot-overlays.js';

/**
 * In the probe's own units, or in the target's original units that trial curves are in (a run
 * that scales its target reports scaled losses; the trials convert them to compare).
 */
export function chanceLevel(report: Report, units: 'probe' | 'original'): PlotLevel[] {
  const loss = report.probe?.loss;
  if (typeof loss?.chance !== 'number' || !Number.isFinite(loss.chance)) return [];
  const y = units === 'probe' ? loss.chance : loss.chance * (loss.originalUnitsFactor ?? 1);
  return [{ y, label: `chance level ${formatFinite(y)}` }];
}

/** The caption's sentence for the chance line, when one is drawn: a caption names what the plot draws. */
export function chanceSentence(levels: readonly PlotLevel[]): string {
  return levels.length === 0 ? '' : ' The dash-dotted line is the chance level.';
}
