/**
 * Loss spikes with recovery (symptom `lr-too-high`, thresholds for logs): the training loss jumps
 * far above its recent level and comes back, again and again. The run survives, but each spike
 * undoes progress: the learning rate sits at the edge of stability. PaLM (Chowdhery et al. 2022,
 * §5.1) saw about 20 such spikes and traced them to the step size meeting particular batches;
 * Molybog et al. ("A Theory on Adam Instability in Large-Scale Machine Learning", 2023) explain
 * them by Adam's update becoming too large, cured by a lower learning rate or warmup. A validation
 * loss is read too: it is measured on the whole fixed validation set, so no bad batch explains a jump,
 * and one jump that recovers says the weights were thrown off and found their way back, provided the
 * training loss (what the optimizer sees) was disturbed with it: see trainingRoseAround. Jumps that
 * nothing else backs (a smooth curve otherwise, each fully back at the next evaluation, no training
 * spike across any) are reported as info only: see isolatedSpikes. So are spikes that stopped once the run's own
 * schedule lowered its rate (spikes-calmed-by-rate-cut.ts). A spike many
 * points long, a stretch of the run diverged and recovered, is recovered-divergence.ts' reading.
 */
import { formatNumber } from '../util/format.js';
import type { DynamicsInput } from './dynamics-input.js';
import { defineDetector, type Detection } from './finding.js';
import { median } from '../util/stats.js';
import { burstAt, RECOVERED_FACTOR, routineJump, SPIKE_FACTOR, SPIKE_WINDOW, spikeAt } from './spike-test.js';
import { exceedsWhenRounded, seriesResolution } from './printed-resolution.js';
import { FLOOR_FRACTION } from './lr-too-high.js';
import { startAndEnd } from './signals.js';
import { WINDOW_FRACTION } from './divergence-limits.js';
import { recoveredDivergenceFinding } from './recovered-divergence.js';
import { calmedByRateCut } from './spikes-calmed-by-rate-cut.js';
import { accuracyHeldAt } from './accuracy-held.js';

/** For logs: recovered = back within 1.5x of the recent level within this many points at least... */
const RECOVERY_POINTS = 5;
/**
 * ...or within a tenth of the logged losses (WINDOW_FRACTION, lr-too-high's smoothing window), when
 * that is longer. A burst that climbs over a few points and comes down slowly is a spike the run came
 * back from, whatever its length: log 256 (2,500 rows, post hoc) climbs to 34x its level from row 953
 * and is back within RECOVERED_FACTOR of it 67 rows later, past RECOVERY_POINTS, yet far shorter than
 * the two windows of a tenth in a row that recovered-divergence.ts asks of a stretch. A longer excursion is that rule's reading.
 */
const RECOVERY_FRACTION = WINDOW_FRACTION;
/** For logs: one spike may be a bad batch; two or more that recover are a pattern. */
const MIN_SPIKES = 2;
/** For logs: a validation spike is judged against the median of up to this many evaluations before it (at least two). */
const VALIDATION_WINDOW = 3;
/** For logs: recovered = back within RECOVERED_FACTOR within this many evaluations. */
const VALIDATION_RECOVERY = 2;

export const lossSpikes = defineDetector({
  id: 'lr-too-high',
  description:
    'The training loss of a logged run spikes far above its recent level and recovers, repeatedly: the learning rate is at the edge of stability, and each spike undoes progress.',
  fixes: ['lr-schedule', 'clip'],
  needs: ['loss'],
  detect({ trace, origin = 'probe', stepUnit = 'step' }: DynamicsInput) {
    if (origin !== 'log') return [];
    const spikes = recoveredSpikes(trace.loss, trace.chanceLoss);
    if (spikes.length < MIN_SPIKES) {
      const stretch = recoveredDivergenceFinding(trace, stepUnit);
      return stretch === null ? validationSpikeFinding(trace, stepUnit) : [stretch];
    }
    const worst = spikes.reduce((a, b) => (b.factor > a.factor ? b : a));
    const calmed = calmedByRateCut(
      trace,
      { steps: trace.step, losses: trace.loss, spikes: spikes.map(({ index }) => index) },
      stepUnit,
    );
    return [
      {
        severity: calmed === null ? 'warning' : 'info',
        confidence: Math.min(1, spikes.length / (2 * MIN_SPIKES)),
        step: trace.step[spikes[0]!.index]!,
        evidence: { measured: spikes.length, threshold: MIN_SPIKES, what: 'loss spikes that recovered' },
        message:
          `The training loss spiked ${spikes.length} times to ${formatNumber(SPIKE_FACTOR)}x or more its recent level and recovered each time ` +
          `(worst ${formatNumber(worst.factor)}x at ${stepUnit} ${trace.step[worst.index]!}): the learning rate is at the edge of stability. ` +
          'Lower it or add warmup, and clip the gradient norm.' +
          (calmed === null ? '' : ` ${calmed}`),
      },
    ];
  },
});

function validationSpikeFinding(trace: DynamicsInput['trace'], stepUnit: string): Detection[] {
  const kept = trace.evalStep.flatMap((_, index) => (Number.isFinite(trace.valLoss[index]) ? [index] : []));
  const steps = kept.map((index) => trace.evalStep[index]!);
  const losses = kept.map((index) => trace.valLoss[index]!);
  const accuracyHeld = accuracyHeldAt(trace, kept, VALIDATION_WINDOW);
  const spikes = recoveredValidationSpikes(losses, trace.chanceLoss, (index) =>
    aboveTrainingAround(trace, steps, index, losses[index]!),
  ).filter(({ index }) => trainingRoseAround(trace, steps, index) && !accuracyHeld(index));
  if (spikes.length === 0) return [];
  const worst = spikes.reduce((a, b) => (b.factor > a.factor ? b : a));
  const isolated = isolatedSpikes(
    trace,
    steps,
    losses,
    spikes.map(({ index }) => index),
  );
  const calmed = calmedByRateCut(trace, { steps, losses, spikes: spikes.map(({ index }) => index) }, stepUnit);
  return [
    {
      severity: isolated || calmed !== null ? 'info' : 'warning',
      confidence: Math.min(1, spikes.length / MIN_SPIKES),
      step: steps[spikes[0]!.index]!,
      evidence: { measured: spikes.length, threshold: 1, what: 'validation loss spikes that recovered' },
      message:
        `The validation loss jumped ${spikes.length === 1 ? 'once' : `${spikes.length} times`} to ${formatNumber(SPIKE_FACTOR)}x or more the evaluations before it and came back ` +
        `(worst ${formatNumber(worst.factor)}x at ${stepUnit} ${steps[worst.index]!}, ${formatNumber(losses[worst.index]!)}): ` +
        (isolated ? ISOLATED_WORDS : UNSTABLE_WORDS) +
        (calmed === null ? '' : ` ${calmed}`),
    },
  ];
}

const UNSTABLE_WORDS =
  'measured on the same validation set, that is the weights thrown off and recovering, the learning rate at the edge of stability. Lower it or add warmup, and clip the gradient norm.';
const ISOLATED_WORDS =
  'the one departure of an otherwise smooth run, back below its level at the next evaluation, and the training loss did not spike with it. One jump is no pattern: if it recurs, the learning rate is at the edge of stability (lower it or add warmup, and clip the gradient norm).';

/**
 * One jump is no pattern (MIN_SPIKES, as for the training loss) when nothing else says the run is
 * unstable: the next evaluation is back at or below the level before the jump (fully recovered),
 * no other evaluation rose RECOVERED_FACTOR above the median of the ones before it (the curve is
 * otherwise smooth, not a noisy one whose worst jump alone passed 2x), and the training loss did
 * not itself spike across it (no logged point SPIKE_FACTOR above the one before: the optimizer saw
 * no blow-up). It is reported, as info, not as a warning. The next evaluation may also be back only
 * within RECOVERED_FACTOR of the level (the recovery every spike rule accepts), provided the training
 * loss never rose above where it stood at the evaluation before the jump: weights thrown off do worse
 * on the batches that follow, and a training loss still at or below its level across the jump says
 * the weights were not (log 403, post hoc: 5.89 at epoch 55 against 1.47-1.56, then 2.25 and back,
 * while the training loss went 1.433 to 1.413 over those ten epochs, below 1.433 throughout).
 * Several such jumps are no pattern either when each one passes these tests on its own (the curve
 * read with all of them set to their levels) and the training loss rose across none of them by more
 * than it rises between neighbouring points anywhere else in the run (trainingRisesRoutine): the
 * pattern the rule reads is the weights thrown off, which the training loss shows, and a run whose
 * training loss saw nothing out of its ordinary noise at any of them has the evaluation-side cause
 * trainingRoseAround names (inference-mode BatchNormalization statistics lagging the weights), which
 * can recur at any evaluation without the weights being disturbed. Log 495 (post hoc): validation
 * jumps of 3.4x, 5.0x and 59x, each back below its level at the next evaluation, while the per-epoch
 * training loss rose by at most 3.4% between epochs around them and by up to 5.0% elsewhere.
 */
function isolatedSpikes(
  trace: DynamicsInput['trace'],
  evalSteps: readonly number[],
  losses: readonly number[],
  indices: readonly number[],
): boolean {
  const levelBefore = (k: number, series: readonly number[]) =>
    median(series.slice(Math.max(0, k - VALIDATION_WINDOW), k));
  const others = losses.map((loss, k) => (indices.includes(k) ? levelBefore(k, losses) : loss));
  if (others.some((loss, k) => k > 0 && loss > RECOVERED_FACTOR * levelBefore(k, others))) return false;
  const alone = indices.every((index) => {
    const [next, level] = [losses[index + 1]!, levelBefore(index, losses)];
    const stretch = trainingAround(trace, evalSteps, index);
    const trainingStayedDown = stretch.length >= 2 && stretch.slice(1).every((loss) => loss <= stretch[0]!);
    if (!(next <= level || (next <= RECOVERED_FACTOR * level && trainingStayedDown))) return false;
    return stretch.slice(1).every((loss, k) => loss < SPIKE_FACTOR * stretch[k]!);
  });
  return alone && (indices.length === 1 || trainingRisesRoutine(trace, evalSteps, indices));
}

/**
 * Whether the training loss was logged across the jumps at `indices` and no rise of it there (from one
 * logged point to the next, relative) exceeds the largest rise it makes anywhere else in the run: the
 * optimizer saw nothing there that its own batch-to-batch (or epoch-to-epoch) noise does not make
 * elsewhere. A rise elsewhere to SPIKE_FACTOR times the point before is a spike, not that noise (the
 * factor every spike rule of this file reads as one), and is not the yardstick: else one training
 * spike anywhere in the run would make every validation jump routine. With no training loss across
 * them, nothing says so, and the jumps stay a pattern.
 */
function trainingRisesRoutine(
  trace: DynamicsInput['trace'],
  evalSteps: readonly number[],
  indices: readonly number[],
): boolean {
  const loss = trace.loss;
  const rise = (k: number) => loss[k]! / loss[k - 1]! - 1;
  const near = new Set(indices.flatMap((index) => trainingIndicesAround(trace, evalSteps, index)));
  const rises = (keep: (k: number) => boolean) =>
    loss.flatMap((value, k) =>
      k > 0 && keep(k) && Number.isFinite(value) && Number.isFinite(loss[k - 1]) && loss[k - 1]! > 0 ? [rise(k)] : [],
    );
  const elsewhere = rises((k) => !near.has(k) && !near.has(k - 1)).filter((value) => value < SPIKE_FACTOR - 1);
  const across = rises((k) => near.has(k) && near.has(k - 1));
  return elsewhere.length > 0 && across.length > 0 && Math.max(...across) <= Math.max(...elsewhere);
}

/**
 * Evaluations SPIKE_FACTOR above the median of the ones before (whatever their values before the
 * log rounded them) that are back within RECOVERED_FACTOR of it soon after. Near the floor, as for
 * the training loss (recoveredSpikes), a jump must also be SPIKE_FACTOR above the floor: a validation
 * loss that fell to a hundredth of its start is a mean dominated by its few hardest examples, and a
 * weight update that moves those doubles it while it stays far below where the run began. A reader
 * sees a curve at 0.0006-0.0017 after a start of 0.36 as noise at the bottom, not a model thrown off
 * (logs 314 and 324, post hoc: 2-3x jumps at 1/150 and 1/40 of their first validation loss). Without a
 * chance level, the start is the first evaluation: measured on the whole fixed set, it has no batch
 * noise for a median to smooth, and a median of the first tenth of a run that falls within a few
 * evaluations (314: 0.36, then 0.05 by the tenth's end) would already be the fallen level. A jump
 * below the floor still counts when it stands above every training loss logged from the evaluation
 * before it to the one after (`aboveTraining`): the hardest-examples noise at the bottom stays within
 * what the model scores on its own training batches (314's and 324's jumps, 0.0024 and 0.0019, sat
 * under training losses of 0.003-0.006), while weights thrown off do worse than on the batches they
 * were fitted to (log 409, post hoc: 0.97-2.31 against training losses of 0.58-0.87, four times after
 * its validation loss fell from 36.2 to 0.4). A classifier's jump must also come with a fall of its accuracy (accuracy-held.ts).
 */
function recoveredValidationSpikes(
  losses: readonly number[],
  chanceLoss: number | null,
  aboveTraining: (index: number) => boolean,
): Spike[] {
  const resolution = seriesResolution(losses);
  const floor = FLOOR_FRACTION * (chanceLoss !== null && chanceLoss > 0 ? chanceLoss : losses[0]!);
  return losses.flatMap((loss, index) => {
    if (index < 2) return [];
    const level = median(losses.slice(Math.max(0, index - VALIDATION_WINDOW), index));
    const after = losses.slice(index + 1, index + 1 + VALIDATION_RECOVERY);
    const recovered = after.some((later) => later <= RECOVERED_FACTOR * level);
    const spike =
      level > 0 &&
      exceedsWhenRounded(loss, level, SPIKE_FACTOR, resolution) &&
      (loss >= SPIKE_FACTOR * floor || aboveTraining(index));
    return spike && recovered ? [{ index, factor: loss / level }] : [];
  });
}

/**
 * Whether the training loss rose, by at least its last printed digit, from one logged point to the
 * next between the evaluation before the spike at `index` and the one after it (from the last training
 * loss logged at or before the first). Weights thrown off by too large a step do worse on the batches
 * that follow, and the optimizer sees that in the training loss (PaLM's and Adam's spikes, above, are
 * training-loss spikes). A training loss that fell at every logged point across a validation jump says
 * the weights it trains were not disturbed: the jump is on the evaluation side, where the model runs in
 * inference mode (BatchNormalization normalizes with its moving averages there, not the batch's own
 * statistics, keras.io/api/layers/normalization_layers/batch_normalization; dropout is off; PyTorch's
 * `Module.eval()` docs name the same layers), and a moving average that lags a fast-changing layer
 * gives one bad evaluation that the next one does not repeat (keras-team/keras#7265). With fewer than
 * two training losses in that stretch the log cannot tell, and the validation jump counts alone.
 */
function trainingRoseAround(trace: DynamicsInput['trace'], evalSteps: readonly number[], index: number): boolean {
  const stretch = trainingAround(trace, evalSteps, index);
  if (stretch.length < 2) return true;
  const resolution = seriesResolution(trace.loss.filter(Number.isFinite));
  return stretch.slice(1).some((loss, k) => exceedsWhenRounded(loss, stretch[k]!, 1, resolution));
}

/** Whether `validation`, the evaluation at `index`, stands above every training loss logged from the evaluation before it to the one after. */
function aboveTrainingAround(
  trace: DynamicsInput['trace'],
  evalSteps: readonly number[],
  index: number,
  validation: number,
): boolean {
  const stretch = trainingAround(trace, evalSteps, index);
  return stretch.length > 0 && stretch.every((loss) => validation > loss);
}

/** The finite training losses logged from the evaluation before `index` (the last at or before it) to the one after. */
function trainingAround(trace: DynamicsInput['trace'], evalSteps: readonly number[], index: number): number[] {
  return trainingIndicesAround(trace, evalSteps, index)
    .map((k) => trace.loss[k]!)
    .filter(Number.isFinite);
}

/** The indices of the training losses logged from the evaluation before `index` (the last at or before it) to the one after. */
function trainingIndicesAround(trace: DynamicsInput['trace'], evalSteps: readonly number[], index: number): number[] {
  const [before, after] = [evalSteps[index - 1]!, evalSteps[index + 1]!];
  const first = Math.max(
    0,
    trace.step.findLastIndex((step) => step <= before),
  );
  const last = trace.step.findLastIndex((step) => step <= after);
  return Array.from({ length: Math.max(0, last + 1 - first) }, (_, k) => first + k);
}

interface Spike {
  index: number;
  factor: number;
}

/**
 * Training-loss spikes, one point (spike-test.ts' spikeAt) or a burst of several (burstAt), that come
 * back within RECOVERY_POINTS, or a tenth of the run (RECOVERY_FRACTION). Near the loss's floor (below a
 * tenth of the chance-level loss, or of its start when the chance level is unknown: lr-too-high.ts'
 * FLOOR_FRACTION) one hard batch lifts a logged mean many times over (a cross-entropy of 0.0013 reads
 * 0.04 when one batch of ten scores 0.4), so a spike there must also be SPIKE_FACTOR above that floor.
 * A jump the run's losses make routinely at that time (spike-test.ts' routineJump) is their noise, not
 * a spike; a burst is judged where it begins, before its own jumps count as routine.
 */
function recoveredSpikes(losses: readonly number[], chanceLoss: number | null): Spike[] {
  const finite = losses.filter(Number.isFinite);
  const reference = chanceLoss !== null && chanceLoss > 0 ? chanceLoss : startAndEnd(finite).start;
  const floor = FLOOR_FRACTION * reference;
  const spikes: Spike[] = [];
  const recovery = Math.max(RECOVERY_POINTS, Math.round(finite.length * RECOVERY_FRACTION));
  for (let index = SPIKE_WINDOW; index < losses.length; index++) {
    const spike = spikeAt(losses, index) ?? burstAt(losses, index);
    if (spike === null || !(losses[index]! >= SPIKE_FACTOR * floor) || routineJump(losses, index)) continue;
    const { level } = spike;
    const after = losses.slice(index + 1, index + 1 + recovery);
    const back = after.findIndex((later) => later <= RECOVERED_FACTOR * level);
    if (back < 0) continue;
    spikes.push({ index, factor: spike.factor });
    index += back + 1;
  }
  return spikes;
}
