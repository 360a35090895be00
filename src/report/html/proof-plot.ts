/**
 * The first screen's proof. After trials: the best trial's loss against the baseline's, on an axis
 * fitted to the fixed run and the chance level, so the repaired curve fills the plot while a
 * diverging baseline leaves through the top with its step marked. Without trials: the plot of the
 * top finding's evidence.
 */
import type { Trial, TrialCurve } from '../../trials/trial-stats.js';
import { formatFinite } from '../../util/format.js';
import type { Report } from '../report.js';
import { bestVerifiedTrial } from '../top-action.js';
import { divergedAt, measuredText, trialName } from '../trial-facts.js';
import { fittedCeiling, isFiniteNumber, leavesTop, lossScale, stepScale } from './axis-scale.js';
import { chanceLevel, chanceSentence } from './chance-level.js';
import type { Figure } from './figure.js';
import { gradNormPlot } from './grad-norm-plot.js';
import { lossPlot } from './loss-plot.js';
import { UPDATE_RATIO_LIMIT } from '../../symptoms/lr-too-low.js';
import { updateRatioPlot } from './update-ratio-plot.js';
import { BASELINE_STYLE, FIXED_STYLE } from './series-style.js';
import type { PlotMarker } from './plot-overlays.js';
import { renderLinePlot } from './svg-plot.js';
import { curveSeries } from './trials-plot.js';

export const PROOF_PLOT_TITLE = 'Proof: training and validation loss of the baseline and of the fix';

/** The proof's size: half the page's width beside the action, tall enough to read a decade apart. */
const PROOF_SIZE = { width: 560, height: 300 };
/** Findings whose evidence is the gradient norms rather than the loss. */
const GRADIENT_SYMPTOMS: ReadonlySet<string> = new Set(['exploding-gradients', 'vanishing-gradients']);

type Drawn = Trial & { curve: TrialCurve };

export function proofFigure(report: Report): Figure | null {
  return trialProof(report) ?? evidenceFigure(report);
}

/** The trial to show: the best verified, else the finished one with the lowest loss. */
function provenTrial(trials: readonly Trial[]): Drawn | undefined {
  const drawn = trials.slice(1).filter((trial): trial is Drawn => trial.curve !== undefined);
  return (
    (bestVerifiedTrial(drawn) as Drawn | undefined) ??
    drawn.filter((trial) => !trial.diverged).sort((a, b) => a.finalLoss - b.finalLoss)[0]
  );
}

function trialProof(report: Report): Figure | null {
  const baseline = report.trials?.[0];
  const trial = provenTrial(report.trials ?? []);
  if (baseline?.curve === undefined || trial === undefined) return null;
  const levels = chanceLevel(report, 'original');
  const fixed = [...trial.curve.loss, ...trial.curve.valLoss, ...levels.map((level) => level.y)];
  const ceiling = fittedCeiling(fixed) ?? Number.POSITIVE_INFINITY;
  const before = [...baseline.curve.loss, ...baseline.curve.valLoss];
  const cut = before.some((loss) => isFiniteNumber(loss) && loss > ceiling);
  const diverged = divergedAt(baseline, report);
  const markers: PlotMarker[] =
    diverged === null ? [] : [{ x: diverged, label: `baseline diverged at step ${diverged}` }];
  const name = trialName(trial);
  const yScale = lossScale([...fixed, ...before], cut ? ceiling : Number.POSITIVE_INFINITY);
  const svg = renderLinePlot({
    title: `${PROOF_PLOT_TITLE} (${name})`,
    xLabel: 'step',
    yLabel: 'loss',
    xScale: stepScale([...baseline.curve.step, ...trial.curve.step]),
    yScale,
    series: [
      ...curveSeries('baseline', baseline.curve, BASELINE_STYLE),
      ...curveSeries(name, trial.curve, FIXED_STYLE),
    ],
    markers,
    levels,
    ...PROOF_SIZE,
  });
  const entry = report.recommendedFixes.find((fix) => trial.fixes.length === 1 && fix.fix === trial.fixes[0]);
  const measured = entry === undefined ? `final loss ${formatFinite(trial.finalLoss)}` : measuredText(entry, report);
  // The axis ends where its ticks do (a log axis on a decade), not at the ceiling it was fitted to.
  const cutNote = leavesTop(yScale, before) ? `; losses above ${formatFinite(yScale.top)} leave through the top` : '';
  return {
    svg,
    caption: `${name} against the baseline, the first seed of each (${measured})${cutNote}.${chanceSentence(levels)}`,
  };
}

/**
 * Without trials: the gradient norms for a gradient finding, the update ratios for lr-too-low's
 * tiny-update rule (its threshold is the update limit; its too-slow-for-the-plan rule reads the
 * loss), else the loss.
 */
function evidenceFigure(report: Report): Figure | null {
  const top = report.findings[0];
  const evidence =
    top === undefined
      ? null
      : GRADIENT_SYMPTOMS.has(top.symptom)
        ? gradNormPlot(report, PROOF_SIZE)
        : top.symptom === 'lr-too-low' && top.evidence.threshold === UPDATE_RATIO_LIMIT
          ? updateRatioPlot(report, PROOF_SIZE)
          : null;
  // A plot replaced by a sentence is no proof to show: the loss is.
  return evidence !== null && 'svg' in evidence ? evidence : lossPlot(report, PROOF_SIZE);
}
