/**
 * The whole-run judgments made on logs only (thresholds for logs): overfitting at GL5 sustained, a
 * frozen loss, accuracy stuck at 1/C, loss spikes that recover. Each table holds runs that must and
 * must not trigger; none of these fires on a probe's trace.
 */
import { describe, expect, it } from 'vitest';
import { frozenRun, FROZEN_MIN_POINTS } from '../../src/symptoms/frozen-run.js';
import { lossSpikes } from '../../src/symptoms/loss-spikes.js';
import { lrTooHigh } from '../../src/symptoms/lr-too-high.js';
import { overfitting } from '../../src/symptoms/overfitting.js';
import { notLearning } from '../../src/symptoms/not-learning.js';
import { stuckAtChance } from '../../src/symptoms/stuck-at-chance.js';
import type { ProbeTrace } from '../../src/trace/trace.js';
import type { DynamicsInput } from '../../src/symptoms/dynamics-input.js';
import type { Detector } from '../../src/symptoms/finding.js';
import type { Severity } from '../../src/symptoms/ids.js';
import { buildTrace, jitter } from './trace-builder.js';

/** A per-epoch log: one training loss and one validation loss per epoch. */
function epochLog(loss: readonly number[], valLoss?: readonly number[], accuracy?: readonly number[]): ProbeTrace {
  const trace = buildTrace({
    loss: [...loss],
    ...(valLoss === undefined ? {} : { valLoss: [...valLoss, Number.NaN] }),
    evalEvery: 1,
  });
  return accuracy === undefined
    ? trace
    : { ...trace, valMetric: { name: 'accuracy', values: [...accuracy, Number.NaN] } };
}

/** A per-epoch log whose validation loss ends the log, as a logger writes it (no evaluation after the last epoch). */
function evaluatedLog(loss: readonly number[], valLoss: readonly number[]): ProbeTrace {
  return { ...buildTrace({ loss: [...loss] }), evalStep: valLoss.map((_, epoch) => epoch), valLoss: [...valLoss] };
}

/** 400 per-step losses around 0.15, each batch off by up to a factor of exp(±`noise`) (log space). */
const perStepLoss = (noise: number) => Array.from({ length: 400 }, (_, step) => 0.15 * Math.exp(noise * jitter(step)));
/** Ten calm losses (±2%) from `at`, then one batch at 2.7x them: a 10-point spread alone calls it a spike. */
const calmThenBatch = (losses: readonly number[], at: number) =>
  losses.map((loss, step) =>
    step >= at && step < at + 10 ? 0.15 * (1 + 0.02 * jitter(step)) : step === at + 10 ? 0.4 : loss,
  );
/**
 * `losses` with a burst at each of `at`: the loss climbs to 9x over three steps, then decays back to
 * its level over about 30 steps (log 256's shape: a burst slower to come back than one bad batch).
 */
const withBursts = (losses: readonly number[], at: readonly number[]) =>
  losses.map((loss, step) => {
    const since = Math.min(...at.map((start) => (step >= start ? step - start : Number.POSITIVE_INFINITY)));
    if (since > 40) return loss;
    return loss * (since < 3 ? 3 ** (since + 1) / 3 : 1 + 8 * Math.exp(-(since - 2) / 8));
  });
/** `losses` raised `factor` times for `length` steps from each of `at` (bursts, or bumps of one or two points). */
const raisedFor = (losses: readonly number[], at: readonly number[], length: number, factor = 3) =>
  losses.map((loss, step) => (at.some((start) => step >= start && step < start + length) ? loss * factor : loss));
/** A per-step log of training losses only. */
const stepLog = (loss: readonly number[]): ProbeTrace => buildTrace({ loss: [...loss] });
/** Losses drifting linearly from `from` to `to` over 39 epochs with noise of 1%. */
const nearLn2 = (from: number, to: number) =>
  Array.from({ length: 39 }, (_, e) => (from + ((to - from) * e) / 38) * (1 + 0.01 * jitter(e)));
/** Mini-batch losses scattered 7% around a level. */
const noisyAround = (level: number, length: number) =>
  Array.from({ length }, (_, step) => level * (1 + 0.07 * jitter(step + 3)));
/** Mini-batch losses scattered ±45% around a level, with no trend (a run that learns nothing). */
const wideScatter = (level: number, length: number) =>
  Array.from({ length }, (_, step) => level * (1 + 0.45 * jitter(step + 11)));
/** Losses falling linearly by `fall` of their start over the run, scattered by ±`noise` (relative). */
const slowlyFalling = (length: number, fall: number, noise: number) =>
  Array.from({ length }, (_, step) => (1 - (fall * step) / (length - 1)) * (1 + noise * jitter(step + 5)));
/** A logged learning rate cycling through 0, 1e-8, ..., 1e-7. */
const tinyRates = (length: number) => Array.from({ length }, (_, step) => (step % 11) * 1e-8);

/** A per-step log of training loss and training batch accuracy, no validation. */
function batchLog(loss: readonly number[], accuracy: readonly number[]): ProbeTrace {
  return { ...buildTrace({ loss: [...loss] }), trainMetric: { name: 'accuracy', values: [...accuracy] } };
}

/** Accuracy of 32-row batches guessed among ten classes: 0 to 0.375 around 0.1. */
const guessedBatches = Array.from({ length: 28 }, (_, step) =>
  Math.max(0, Math.round(32 * (0.1 + 0.09 * jitter(step))) / 32),
);

const falling = Array.from({ length: 30 }, (_, epoch) => 2 * Math.exp(-epoch / 10) + 0.1);
/**
 * 51 epochs of log 269's shape: 5.4 at its first epoch, rising 1.7x to 9.13 at epoch 22, then falling
 * after a rate cut to 7.0 at the last (30% above its first), 1% noise.
 */
const roseThenPartlyBack = Array.from(
  { length: 51 },
  (_, e) => (e <= 22 ? 5.4 + (3.73 * e) / 22 : 9.13 - (2.13 * (e - 22)) / 28) * (1 + 0.01 * jitter(e)),
);
/**
 * 400 batch losses of two populations (log 255's shape): most batches near 0.001, and every third
 * (the first 150 steps), then every tenth, at about 0.7 (a batch holding a hard example).
 */
const twoPopulations = Array.from({ length: 400 }, (_, step) =>
  step % (step < 150 ? 3 : 10) === 1 ? 0.7 * (1 + 0.1 * jitter(step)) : 0.001 * (1 + 0.3 * jitter(step + 1)),
);
/** 400 calm batch losses near 0.001 with a batch at 0.7 at each of `at`: rare jumps. */
const calmWithJumps = (at: readonly number[]) =>
  Array.from({ length: 400 }, (_, step) => (at.includes(step) ? 0.7 : 0.001 * (1 + 0.3 * jitter(step + 1))));
/** Log 248's last run: the validation loss lower at every epoch, its accuracy 1/3 then 1/2 (six rows). */
const valLoss248 = [1.34, 1.326, 1.302, 1.236, 1.177, 1.153, 1.148, 1.118, 1.015, 0.995];
const valAccuracy248 = [1 / 3, ...Array.from({ length: 9 }, () => 0.5)];
/** Validation loss that bottoms out at epoch 15 and climbs `rise` above it by the end. */
const bottomedOut = (rise: number) =>
  Array.from({ length: 30 }, (_, epoch) => (epoch <= 15 ? 2 - epoch * 0.1 : 0.5 * (1 + (rise * (epoch - 15)) / 14)));
/**
 * A loss falling to 0.022 over 100 epochs (log 44's shape), blowing up to `spike` times that level at
 * epoch 100, then settling at `endsAt` times it for the last 50 epochs.
 */
const blownUp = (endsAt: number, spike = 750) =>
  Array.from({ length: 150 }, (_, epoch) =>
    epoch < 100
      ? 0.022 + 0.5 * Math.exp(-epoch / 10)
      : epoch === 100
        ? 0.022 * spike
        : 0.022 * (endsAt + Math.max(0, spike / 10 - endsAt) * Math.exp(-(epoch - 101) / 3)),
  );
/**
 * 51 logged steps of a run whose rate warms up too high and decays (log 208's shape): the loss falls
 * from 9.3 to 4.7, climbs to `height` (20-100 around it) for steps 3-27, then falls to 2.8 as the
 * rate decays.
 */
const divergedStretch = (height: number) =>
  Array.from({ length: 51 }, (_, step) =>
    step < 3
      ? [9.26, 4.66, 6.32][step]!
      : step < 28
        ? height * (1 + 0.6 * jitter(step))
        : 2.8 + 5 * Math.exp(-(step - 28) / 6) * (1 + 0.1 * jitter(step)),
  );
/** 30 epochs of a healthy run whose validation set is small: a falling validation loss with ±15% noise per evaluation. */
const noisyHealthyValidation = Array.from(
  { length: 30 },
  (_, epoch) => (0.3 + 0.7 * Math.exp(-epoch / 8)) * (1 + 0.15 * jitter(epoch + 11)),
);
/** Seven batch losses of one epoch, as a frozen model scores the same unshuffled batches. */
const epochOfBatches = [0.0712345, 0.0398761, 0.1203344, 0.0233917, 0.0645012, 0.0301128, 0.0887765];
/** `length` losses printed as 0, from the first: a placeholder or a frozen run, by what else moves. */
const zeros = (length: number) => Array.from({ length }, () => 0);
const noisyFlat = Array.from({ length: 30 }, (_, epoch) => 1 + 0.04 * jitter(epoch));
/** 30 losses held at `level` within 1%: a run that never left it. */
const heldAt = (level: number) => Array.from({ length: 30 }, (_, epoch) => level * (1 + 0.01 * jitter(epoch)));
/** Log 543 (post hoc): a 256-way pretext task's training loss every 50 steps and its batches' top-1 accuracy (batches of 256). */
const loss543 = [5.542547, 5.541024, 5.541528, 5.541259, 5.541204, 5.541703, 5.541286];
const accuracy543 = [0.0078125, 0.0078125, 0.00390625, 0.0078125, 0.0078125, 0.01171875, 0];
/** Log 559 (post hoc): a classifier converged at its first epoch, its losses at the floor for 16 epochs. */
const training559 = [
  0.04851, 0.00026, 0.02588, 0.01266, 0.01005, 0.00248, 5e-5, 0.01111, 0.07398, 0.02242, 0.01829, 0.00356, 0.00075,
  0.00237, 0.00051, 0.0039,
];
const validation559 = [
  0.00015, 0.00383, 0.00719, 0.00222, 6e-5, 0.00339, 0.00136, 0.01785, 0.01355, 0.00839, 0.0065, 0.00649, 0.00069,
  0.00467, 0.01475, 0.00457,
];
const accuracy559 = [
  1.0, 0.99887, 0.99962, 0.99962, 1.0, 0.99925, 0.99925, 0.99962, 0.99925, 0.99887, 0.99849, 0.99925, 0.99962, 0.99925,
  0.99925, 0.99962,
];
/**
 * A classifier of 1% positives (review of session 20, constructed): its losses near the class shares'
 * entropy (0.056 nats, a chance level far under ln 2), three validation jumps to 0.12-0.13 that recover,
 * the validation accuracy falling 0.992 -> 0.975 at each and the training loss rising with them.
 */
const trainingRare = [
  0.08, 0.068, 0.06, 0.05429, 0.05, 0.04667, 0.044, 0.04182, 0.04, 0.03846, 0.03714, 0.036, 0.056, 0.05459, 0.03333,
  0.03263, 0.032, 0.03143, 0.03091, 0.03043, 0.048, 0.04736, 0.02923, 0.02889, 0.02857, 0.02828, 0.028, 0.02774, 0.044,
  0.04364, 0.02706, 0.02686, 0.02667, 0.02649, 0.02632, 0.02615,
];
const validationRare = [
  0.095, 0.081, 0.07167, 0.065, 0.06, 0.05611, 0.053, 0.05045, 0.04833, 0.04654, 0.045, 0.04367, 0.125, 0.04147,
  0.04056, 0.03974, 0.039, 0.03833, 0.03773, 0.03717, 0.13, 0.0362, 0.03577, 0.03537, 0.035, 0.03466, 0.03433, 0.03403,
  0.12, 0.03348, 0.03324, 0.033, 0.03278, 0.03257, 0.03237, 0.03218,
];
const accuracyRare = validationRare.map((loss, epoch) => (loss > 0.1 ? 0.975 : Math.min(0.99 + 0.0002 * epoch, 0.992)));
/**
 * A loss at its floor printed to 4 decimals as the HuggingFace Trainer logs it (log 88's tail): mostly
 * 0.0001, with 0.0002 now and then, each of which reads as a 2x jump that recovers.
 */
const roundedFloor = Array.from({ length: 60 }, (_, step) => ([20, 31, 44, 52].includes(step) ? 0.0002 : 0.0001));
/**
 * 60 epochs of a loss that fell a hundredfold (36 to 0.35, log 409's validation loss), the validation
 * loss jumping 3x at epochs 41, 45 and 54 and back the epoch after, beside a noisy training loss
 * `trainingOver` times the validation level (below the jumps at 1.8, above them at 4).
 */
function jumpsAtTheFloor(trainingOver: number): ProbeTrace {
  const level = (epoch: number) => 0.35 + 36 * Math.exp(-epoch / 4);
  const validation = Array.from({ length: 60 }, (_, epoch) => ([41, 45, 54].includes(epoch) ? 3 : 1) * level(epoch));
  const training = Array.from({ length: 60 }, (_, epoch) => trainingOver * level(epoch) * (1 + 0.05 * jitter(epoch)));
  return epochLog(training, validation);
}

/** Log 174's first 20 epochs: the validation loss jumps 150x and 115x for one epoch while the training loss falls at every epoch. */
const steadyTraining = [
  0.14627, 0.06667, 0.02889, 0.01316, 0.00753, 0.02415, 0.01324, 0.00894, 0.00694, 0.00568, 0.00557, 0.00516, 0.00434,
  0.00404, 0.00401, 0.00359, 0.00323, 0.0032, 0.00304, 0.0027,
];
const evaluationJumps = [
  0.31541, 0.29037, 0.29561, 0.29982, 0.26691, 0.01581, 0.01993, 0.00862, 0.0412, 1.17634, 0.00611, 0.83537, 0.00729,
  0.02477, 0.00353, 0.00286, 0.00427, 0.00229, 0.00211, 0.01148,
];
/** Log 149's HuggingFace losses (4 decimals) from step 440: at its floor, 0.0104 and 0.0424 on two logged steps. */
const floorBatches = [
  0.0019, 0.0017, 0.0015, 0.0014, 0.0014, 0.0014, 0.0014, 0.0014, 0.0013, 0.0014, 0.0104, 0.0012, 0.0012, 0.0013,
  0.0013, 0.0013, 0.0011, 0.0424, 0.0013, 0.0033,
];
/** Log 176's per-step losses: at float32's floor from the first logged step, then exactly 0 but for one 2^-23. */
const pinnedAtZero = [
  1.1682578588079195e-5,
  3.218656047465629e-6,
  1.9073504518019035e-6,
  3.933914285880746e-6,
  2.3841860752327193e-7,
  7.033372639853042e-6,
  2.3841860752327193e-7,
  5.960466182841628e-7,
  ...Array.from({ length: 10 }, () => 0),
  1.1920928955078125e-7,
  ...Array.from({ length: 10 }, () => 0),
];

interface JudgmentTable {
  name: string;
  detector: Detector<DynamicsInput>;
  /** A row may say its log is per step; the default is per epoch. */
  mustTrigger: Row[];
  mustNotTrigger: Row[];
}

type StepUnit = DynamicsInput['stepUnit'];
type Row = [string, ProbeTrace, StepUnit?];
const judge = (
  detector: Detector<DynamicsInput>,
  trace: ProbeTrace,
  stepUnit: StepUnit = 'epoch',
  origin: 'log' | 'probe' = 'log',
) => detector.detect({ trace, origin, stepUnit });

describe.each([
  {
    name: 'overfitting on a log (GL5 over the last three evaluations, UP3, the worst last, GL5 on their mean, or a significant trend)',
    detector: overfitting,
    mustTrigger: [
      ['validation 10% above its best at the end, training falling', epochLog(falling, bottomedOut(0.1))],
      ['validation 60% above its best', epochLog(falling, bottomedOut(0.6))],
      [
        '7 epochs: best at epoch 3, then rising at each of three epochs (UP3)',
        epochLog(falling.slice(0, 7), [0.563, 0.523, 0.495, 0.457, 0.469, 0.498, 0.534]),
      ],
      [
        '4 evaluations, each above the one before, +6.5% (UP3)',
        epochLog(falling.slice(0, 4), [0.32, 0.3285, 0.333, 0.341]),
      ],
      [
        "3 epochs of a fine-tune: the last validation loss the run's highest, +38%, training halving",
        epochLog([0.44, 0.25, 0.13], [0.29, 0.268, 0.369]),
      ],
      [
        '5 evaluations: flat, then the last two above every earlier one, +8%, training falling',
        evaluatedLog(
          noisyAround(0.2, 50).map((loss, step) => loss * (1 - step / 200)),
          [0.2346, 0.2351, 0.2339, 0.2414, 0.2522],
        ),
        'step',
      ],
      [
        '17 epochs (log 28): the last three average 6% above the median-of-three best, one only 3%, training falling 5%',
        epochLog(
          [
            1.716, 1.526, 1.437, 1.345, 1.287, 1.231, 1.154, 1.1, 1.073, 1.073, 1.034, 1.019, 0.993, 0.987, 0.958,
            0.951, 0.964,
          ],
          [
            1.444, 7.417, 1.286, 1.544, 1.62, 1.148, 1.171, 1.064, 1.071, 1.048, 1.024, 1.073, 1.045, 1.052, 1.114,
            1.129, 1.075,
          ],
        ),
      ],
      [
        '11 epochs: flat at its best for four, then the last three average 5% above it (one back at +0.4%), training halving',
        epochLog(
          [1.49, 0.614, 0.352, 0.255, 0.212, 0.161, 0.124, 0.102, 0.082, 0.064, 0.053],
          [0.851, 0.38, 0.276, 0.235, 0.231, 0.2309, 0.2328, 0.234, 0.2318, 0.2539, 0.2427],
        ),
      ],
      [
        'best at the first evaluation, then a noisy climb to twice it (Mann-Kendall), training falling',
        epochLog(falling.slice(0, 11), [58, 73, 89, 113, 71, 123, 103, 114, 86, 168, 122]),
      ],
      // Under GL5, mild (validation-mild-rise.ts): above the best for 3 evaluations or more, a Mann-Kendall rise, training falling 5%.
      [
        'mild: validation drifting to 3% above its best over 14 epochs, training falling',
        epochLog(falling, bottomedOut(0.03)),
      ],
      [
        'mild: best at the first of 4 evaluations, each above the one before, +1% in all, training falling',
        epochLog(falling.slice(0, 4), [0.32, 0.321, 0.322, 0.3232]),
      ],
      [
        "mild: the last validation loss the run's highest, 4% above the best 3 evaluations before, training falling",
        epochLog(falling.slice(0, 5), [0.5, 0.49, 0.495, 0.5, 0.51]),
      ],
    ],
    mustNotTrigger: [
      [
        'validation drifting to 3% above its best while the training loss has flattened (down 1.4% since): converged',
        epochLog(
          falling.map((loss, epoch) => (epoch <= 15 ? loss : falling[15]! * (1 - 0.001 * (epoch - 15)))),
          bottomedOut(0.03),
        ),
      ],
      [
        'validation falling with the training loss',
        epochLog(
          falling,
          falling.map((loss) => loss + 0.1),
        ),
      ],
      ['a noisy flat validation loss (one lucky evaluation is not the best)', epochLog(falling, noisyFlat)],
      [
        'a noisy healthy validation loss: falling, ±15% from evaluation to evaluation',
        epochLog(falling, noisyHealthyValidation),
      ],
      [
        '200 epochs of a validation loss moving ±25% epoch to epoch whose 20-epoch means still fall',
        epochLog(
          Array.from({ length: 200 }, (_, epoch) => 0.6 * Math.exp(-epoch / 40) + 0.1),
          Array.from({ length: 200 }, (_, epoch) => (0.3 * Math.exp(-epoch / 100) + 0.2) * (1 + 0.25 * jitter(epoch))),
        ),
      ],
      [
        '10 epochs ending 6% above a dip, inside an epoch-to-epoch wobble of 10%',
        epochLog(falling.slice(0, 10), [0.5, 0.55, 0.5, 0.45, 0.5, 0.55, 0.43, 0.5, 0.46, 0.456]),
      ],
      ['both losses rising (divergence, not overfitting)', epochLog([...falling].reverse(), bottomedOut(0.6))],
      [
        "the last validation loss the run's highest, +13%, while the training loss stays flat",
        epochLog([0.3, 0.3, 0.3], [0.3, 0.29, 0.33]),
      ],
      ['2 evaluations, the second 40% higher (one rise is no best and rise)', epochLog([0.4, 0.2], [0.3, 0.42])],
      [
        'a noisy band after a lucky dip: the evaluations after it 20% above the dip, no trend',
        epochLog(
          falling.slice(0, 20),
          [
            0.122, 0.027, 0.043, 0.016, 0.0116, 0.0145, 0.0121, 0.0138, 0.0095, 0.0181, 0.0067, 0.0103, 0.0114, 0.0109,
            0.0135, 0.0107, 0.0183, 0.0155, 0.0115, 0.0153,
          ],
        ),
      ],
      [
        'a noisy band: the last three average 9% above the best, inside twice the ±5% evaluation noise (log 134)',
        epochLog(
          falling.slice(0, 15),
          [
            0.2718, 0.26, 0.2386, 0.2415, 0.2389, 0.253, 0.2273, 0.2433, 0.2225, 0.2621, 0.2194, 0.2088, 0.2155, 0.2494,
            0.2393,
          ],
        ),
      ],
      [
        'the last three average 6% above the best on a smooth curve, but the training loss stays flat',
        epochLog(
          Array.from({ length: 11 }, () => 0.2),
          [0.851, 0.38, 0.276, 0.235, 0.231, 0.2309, 0.2328, 0.234, 0.2318, 0.2539, 0.2427],
        ),
      ],
      [
        'the noisy climb to twice the first evaluation while the training loss stays flat (not the textbook picture)',
        epochLog(
          Array.from({ length: 11 }, () => 40),
          [58, 73, 89, 113, 71, 123, 103, 114, 86, 168, 122],
        ),
      ],
    ],
  },
  {
    name: 'frozen run',
    detector: frozenRun,
    mustTrigger: [
      ['a loss identical to 7 digits every epoch', epochLog(Array.from({ length: 10 }, () => 0.6931472))],
      ['a run that froze for its last points', epochLog([...falling.slice(0, 10), 0.5, 0.5, 0.5, 0.5])],
      [
        'a validation loss identical to 16 digits for 7 evaluations after it fell, mini-batch losses still varying',
        evaluatedLog(noisyFlat.slice(0, 12), [
          0.164,
          0.0947,
          0.0901,
          0.0899,
          ...Array.from({ length: 8 }, () => 0.08987312763929367),
        ]),
      ],
      [
        'per-batch losses of an unshuffled epoch of 7 batches, repeated to the last digit for 3 epochs',
        epochLog([...falling.slice(0, 10), ...epochOfBatches, ...epochOfBatches, ...epochOfBatches]),
      ],
      [
        'a loss logged to 4 decimals, stuck at 0.6931 (the rounding resolves 1.4e-4 of it)',
        epochLog([0.7013, 0.6952, ...Array.from({ length: 8 }, () => 0.6931)]),
      ],
      ['a loss printed in full, exactly 0 after starting at float32 floor (nothing to learn)', stepLog(pinnedAtZero)],
      [
        'a loss printed as 0.000000 at each of its 9 logged epochs, from the first (no fall to it in the log: log 487)',
        epochLog(Array.from({ length: 9 }, () => 0)),
      ],
      [
        'a training loss 0 from the first with a single validation loss: nothing else moves (log 296)',
        evaluatedLog(zeros(10), [2.8e-10]),
      ],
      [
        'a training loss frozen to 1e-6 with a validation loss that repeats too (fixed weights)',
        epochLog([...falling.slice(0, 10), 0.5, 0.5000001, 0.5], [...falling.slice(0, 10), 0.61, 0.61, 0.61]),
      ],
    ],
    mustNotTrigger: [
      ['a falling loss', epochLog(falling)],
      [
        'a validation loss printed as 0 at every evaluation from the first while the training loss falls (never computed: log 603)',
        evaluatedLog(falling.slice(0, 15), zeros(15)),
      ],
      [
        'a training loss 0 at every logged point from the first while the validation accuracy rises (a placeholder)',
        epochLog(zeros(10), undefined, [0.2, 0.35, 0.5, 0.61, 0.7, 0.74, 0.79, 0.81, 0.83, 0.84]),
      ],
      [
        'a training loss within 1e-6 over its last 3 epochs while the validation loss still moves by 3e-6 (an annealed rate)',
        epochLog(
          [...falling.slice(0, 10), 0.12516922607, 0.1251691237, 0.12516910278],
          [...falling.slice(0, 10), 0.16971985, 0.16971997, 0.16971949],
        ),
      ],
      [`only ${FROZEN_MIN_POINTS - 1} equal points`, epochLog([...falling.slice(0, 10), 0.5, 0.5])],
      ['a loss that moves by 1e-4 per epoch', epochLog(Array.from({ length: 10 }, (_, epoch) => 0.7 - 1e-4 * epoch))],
      [
        'a loss that fell to 0 at 4 decimals (HuggingFace rounds it): converged',
        epochLog([0.8496, 0.2712, 0.045, 0.0098, 0.0039, 0.0013, ...Array.from({ length: 50 }, () => 0)]),
      ],
      [
        'a loss at 0.0121, then 0 at 4 decimals for 19 records: a rounded loss, its fall in the log (log 437)',
        epochLog([0.0121, ...Array.from({ length: 19 }, () => 0)]),
      ],
      [
        'a loss at 0.0001, the last digit of 4 decimals: the log cannot show a change',
        epochLog([0.8496, 0.2712, 0.045, 0.0098, 0.0013, ...Array.from({ length: 20 }, () => 0.0001)]),
      ],
      [
        'a loss printed in full that fell from 0.68 to exactly 0: converged',
        stepLog([
          0.6847812533378601,
          0.673398494720459,
          0.31,
          0.052,
          2.577498214861862e-8,
          ...Array.from({ length: 30 }, () => 0),
        ]),
      ],
      [
        'exactly 0 from a start 1000x above float32 floor (2e-4): converged',
        stepLog([2.1e-4, 1.9e-4, 2e-4, 3.1e-5, 1.2e-6, ...Array.from({ length: 5 }, () => 0)]),
      ],
      [
        'a loss at float32 floor after a 1e7 fall: converged',
        epochLog([...falling.slice(0, 10), ...Array.from({ length: 10 }, () => 1.1920928955078125e-7)]),
      ],
      [
        'a validation loss that keeps changing in the 4th digit while training losses vary',
        evaluatedLog(
          noisyFlat.slice(0, 12),
          Array.from({ length: 12 }, (_, epoch) => 0.09 + 1e-4 * jitter(epoch)),
        ),
      ],
      [
        'an epoch of batch losses repeated only twice',
        epochLog([...falling.slice(0, 10), ...epochOfBatches, ...epochOfBatches]),
      ],
      [
        'batch losses alternating 0 and 0.0001 at 4 decimals (converged, below the printing)',
        epochLog([0.8496, 0.2712, 0.045, ...Array.from({ length: 20 }, (_, step) => (step % 2) * 0.0001)]),
      ],
      [
        'noisy batch losses of a learning run',
        epochLog(
          Array.from({ length: 60 }, (_, step) => (0.5 + 0.3 * Math.exp(-step / 20)) * (1 + 0.2 * jitter(step))),
        ),
      ],
      [
        'a validation loss equal only twice',
        evaluatedLog(noisyFlat.slice(0, 6), [0.3, 0.2, 0.15, 0.12, 0.1123456, 0.1123456]),
      ],
    ],
  },
  {
    name: 'stuck at chance',
    detector: stuckAtChance,
    mustTrigger: [
      [
        'ten classes, accuracy at 0.1',
        epochLog(
          noisyFlat,
          noisyFlat,
          Array.from({ length: 30 }, (_, e) => 0.1 + 0.005 * jitter(e)),
        ),
      ],
      [
        'two classes, accuracy at 0.5',
        epochLog(
          noisyFlat,
          noisyFlat,
          Array.from({ length: 30 }, (_, e) => 0.5 + 0.01 * jitter(e)),
        ),
      ],
      [
        "accuracy 0.5 while the validation loss falls, but its best 4 evaluations before the end (log 248's fall, then flat)",
        epochLog(falling.slice(0, 14), [...valLoss248, 1.02, 1.01, 1.03, 1.0], [...valAccuracy248, 0.5, 0.5, 0.5, 0.5]),
      ],
      [
        'no validation: training batches of 32 guessed among ten classes',
        batchLog(noisyFlat.slice(0, 28), guessedBatches),
      ],
      [
        'a 256-way task: the training loss held at ln 256, batch top-1 accuracies of 0-3/256 (log 543)',
        batchLog(loss543, accuracy543),
      ],
      [
        'the loss held at ln 2, the validation accuracy at 0.4 (one class predicted; no 1/C within 10% of 0.4)',
        epochLog(heldAt(Math.log(2)), heldAt(Math.log(2)), heldAt(0.4)),
      ],
      [
        'the loss held at ln 256, the training accuracy 0 at most batches (no 1/C at 0)',
        batchLog(loss543, [0, 0, 0.0039, 0, 0, 0.0039, 0]),
      ],
    ],
    mustNotTrigger: [
      [
        "accuracy 0.5 over ten evaluations while the validation loss is lower at every one (log 248's last run)",
        epochLog(falling.slice(0, 10), valLoss248, valAccuracy248),
      ],
      [
        'accuracy rising to 0.9',
        epochLog(
          falling,
          falling,
          Array.from({ length: 30 }, (_, e) => 0.1 + (0.8 * e) / 29),
        ),
      ],
      [
        'a majority-class accuracy of 0.7 (no 1/C near it)',
        epochLog(
          noisyFlat,
          noisyFlat,
          Array.from({ length: 30 }, () => 0.7),
        ),
      ],
      ['no accuracy logged', epochLog(noisyFlat, noisyFlat)],
      [
        'the loss held at ln 10 but the validation accuracy at 0.6 (far above 1/10: the accuracy says it learned)',
        epochLog(heldAt(Math.log(10)), heldAt(Math.log(10)), heldAt(0.6)),
      ],
      [
        'the validation accuracy at 0.4 while the loss fell from 0.66 to 0.07 (not held at ln 2)',
        epochLog(
          falling.map((loss) => loss / 3.2),
          falling.map((loss) => loss / 3.2),
          heldAt(0.4),
        ),
      ],
      [
        'training batch accuracy leaves chance in the second half',
        batchLog(
          noisyFlat.slice(0, 28),
          guessedBatches.map((accuracy, step) => (step < 14 ? accuracy : 0.6 + accuracy)),
        ),
      ],
      [
        'validation accuracy learned while training batches look noisy (validation decides)',
        {
          ...epochLog(
            falling,
            falling,
            Array.from({ length: 30 }, (_, e) => 0.1 + (0.8 * e) / 29),
          ),
          trainMetric: { name: 'accuracy', values: guessedBatches },
        },
      ],
    ],
  },
  {
    name: 'loss spikes with recovery',
    detector: lossSpikes,
    mustTrigger: [
      [
        'three 5x spikes that recover',
        epochLog(falling.map((loss, epoch) => ([12, 18, 24].includes(epoch) ? loss * 5 : loss))),
      ],
      [
        'a validation loss that jumps 2.8x for one evaluation and comes back, the training loss bumping after it (log 48)',
        epochLog(
          [0.5955, 0.2746, 0.2479, 0.2306, 0.2042, 0.2802, 0.2198, 0.1545, 0.1571, 0.1653],
          [0.61, 0.96, 0.39, 0.33, 0.92, 0.25, 0.43, 0.16, 0.17, 0.29],
        ),
      ],
      [
        'a validation loss that jumps 3700x while the training loss jumps 10x, both recovering (log 166)',
        epochLog(
          [1.595, 0.1328, 1.416, 1.082, 0.4412, 0.1141, 0.0606, 0.039, 0.0368, 0.0372, 0.0391, 0.0476, 0.0397],
          [0.33, 0.092, 789.1, 0.995, 0.146, 0.084, 0.087, 0.024, 0.025, 0.047, 0.0446, 0.0997, 0.0695],
        ),
      ],
      [
        'a validation jump with one training loss logged around it (the log cannot tell: the jump counts)',
        { ...evaluatedLog([0.9, 0.5], [0.61, 0.52, 0.45, 1.3, 0.4, 0.38]), step: [0, 100] },
        'step',
      ],
      [
        'two 20x training spikes of a loss that is still well above its floor',
        stepLog(noisyAround(0.5, 40).map((loss, step) => ([15, 30].includes(step) ? 10 : loss))),
        'step',
      ],
      [
        'a stretch of half the run diverged to 10x its start, then recovering as the rate decays (log 208)',
        stepLog(divergedStretch(50)),
        'step',
      ],
      [
        'a smooth stretch at 2.5x the start, every loss of it twice the running minimum',
        stepLog(divergedStretch(50).map((loss, step) => (step >= 3 && step < 28 ? 23 : loss))),
        'step',
      ],
      [
        'two 3x spikes of a 400-step loss whose batches vary by 5% (the wider noise window keeps real spikes)',
        stepLog(perStepLoss(0.05).map((loss, step) => ([150, 300].includes(step) ? 0.45 : loss))),
        'step',
      ],
      [
        'two 9x bursts of a 400-step loss, each back within 1.5x of its level after about 20 steps (log 256)',
        stepLog(withBursts(perStepLoss(0.05), [100, 250])),
        'step',
      ],
      [
        'two 5-step bursts at 3x of a loss whose batches vary by a factor of 1.35 (none alone clears the one-point test; log 306)',
        stepLog(raisedFor(perStepLoss(0.3), [100, 250], 5)),
        'step',
      ],
      [
        'five 700x batches over 400 calm steps (rarer than one in twenty: spikes)',
        stepLog(calmWithJumps([120, 190, 260, 330, 380])),
        'step',
      ],
      [
        'validation jumps of 3x at a hundredth of its start, above every training loss logged around them (log 409)',
        jumpsAtTheFloor(1.8),
      ],
      [
        'validation jumps of 3.6x and 13x at 1e-3 to 2e-2 of a log without an accuracy (log 559 without its accuracy: the floor is drawn from its first evaluation)',
        epochLog(training559, validation559),
      ],
      [
        "three validation jumps to 0.12-0.13 of a classifier of rare classes, its accuracy falling 0.992 -> 0.975 at each (under a fifth of ln 2: its chance level is the class shares' entropy, 0.056)",
        epochLog(trainingRare, validationRare, accuracyRare),
      ],
      [
        'a loss printed to 4 decimals that spikes 0.0012 -> 0.0040 twice (many digits above the rounding)',
        epochLog(roundedFloor.map((loss, step) => ([20, 44].includes(step) ? 0.004 : loss * 12))),
      ],
    ],
    mustNotTrigger: [
      [
        "validation jumps of 3.6x and 13x at 1e-3 to 2e-2 beside a classifier's accuracy of 0.9985-1.0 that did not fall at any of them (log 559: the answers held, only their confidence moved)",
        epochLog(training559, validation559, accuracy559),
      ],
      [
        'a validation loss that jumps 3x and stays up (overfitting or divergence, not a spike)',
        epochLog(falling.slice(0, 10), [0.6, 0.4, 0.3, 0.25, 0.2, 0.6, 0.62, 0.65, 0.7, 0.72]),
      ],
      [
        'a validation loss wobbling 40% around a falling trend',
        epochLog(falling.slice(0, 10), [0.6, 0.8, 0.5, 0.65, 0.42, 0.55, 0.36, 0.47, 0.3, 0.4]),
      ],
      ['one spike (a bad batch)', epochLog(falling.map((loss, epoch) => (epoch === 18 ? loss * 5 : loss)))],
      [
        'one 9x burst that comes back slowly (one is no pattern)',
        stepLog(withBursts(perStepLoss(0.05), [150])),
        'step',
      ],
      [
        'two 9x bursts that never come back within a tenth of the run (a stretch: recovered-divergence.ts)',
        stepLog(withBursts(perStepLoss(0.05), [100, 250]).map((loss, step) => (step > 100 ? loss * 9 : loss))),
        'step',
      ],
      [
        'a healthy per-step loss whose batches vary by a factor of 1.8 (noise, no spike)',
        stepLog(perStepLoss(0.6)),
        'step',
      ],
      [
        'two 2-step bumps at 4x of a loss whose batches vary by a factor of 1.35 (a bad batch and the step after it; log 34)',
        stepLog(raisedFor(perStepLoss(0.3), [100, 250], 2, 4)),
        'step',
      ],
      [
        'one 5-step burst at 3x of that loss (one is no pattern)',
        stepLog(raisedFor(perStepLoss(0.3), [100], 5)),
        'step',
      ],
      [
        'validation jumps of 150x for one epoch while the training loss falls at every epoch (log 174: the evaluation, not the weights)',
        epochLog(steadyTraining, evaluationJumps),
      ],
      [
        'two one-step jumps of a loss at its floor, a hundredth of its start (log 149: one hard batch in a mean)',
        stepLog([0.2579, 0.1457, 0.0975, 0.0565, 0.0579, 0.0302, 0.0039, 0.0441, 0.0414, 0.0443, ...floorBatches]),
        'step',
      ],
      [
        'per-step batch noise of a factor of 1.8, two 2.7x batches after 10 calm steps each (log 292: within the noise of the run)',
        stepLog(calmThenBatch(calmThenBatch(perStepLoss(0.6), 200), 300)),
        'step',
      ],
      [
        'batches of two populations, a tenth of them 700x the rest (log 255: jumps the run makes routinely are its noise)',
        stepLog(twoPopulations),
        'step',
      ],
      ['a loss at 0.0001 printed to 4 decimals, stepping to 0.0002 four times (rounding)', epochLog(roundedFloor)],
      [
        'validation jumps of 2.4x at 1/150 of its start, the training loss bumping with them (logs 314 and 324: noise at the floor)',
        epochLog(
          falling.map((loss, epoch) => loss * (epoch % 2 === 0 ? 1 : 1.15)),
          falling.map((_, epoch) => ([22, 26].includes(epoch) ? 0.0024 : Math.max(0.001, 0.36 * Math.exp(-epoch / 3)))),
        ),
      ],
      [
        'the same 3x jumps at a hundredth of its start, the training loss above them (noise at the floor)',
        jumpsAtTheFloor(4),
      ],
      [
        'a validation loss at 0.001 printed to 3 decimals, once 0.002 (rounding, not a jump)',
        epochLog(falling.slice(0, 10), [0.004, 0.002, 0.001, 0.001, 0.002, 0.001, 0.001, 0.001, 0.001, 0.001]),
      ],
      [
        'mini-batch noise spanning a factor of 10',
        epochLog(Array.from({ length: 60 }, (_, step) => 0.05 * 10 ** (jitter(step) - 0.5))),
      ],
      [
        'a noisy healthy validation loss: falling, ±15% from evaluation to evaluation',
        epochLog(falling, noisyHealthyValidation),
      ],
      [
        'a stretch of doubled loss near the floor that stays under the starting loss (mini-batch noise, not divergence)',
        stepLog(Array.from({ length: 60 }, (_, step) => (step < 20 ? 1 - step * 0.049 : step < 40 ? 0.06 : 0.02))),
        'step',
      ],
      [
        'batch losses spanning 0.002-0.57 whose short windows once reach the start (log 14): one window is no stretch',
        stepLog([
          1.25, 0.247, 0.273, 0.576, 0.131, 0.261, 0.498, 0.195, 0.287, 0.034, 0.112, 0.045, 0.066, 0.132, 0.342, 0.227,
          0.009, 0.037, 0.282, 0.571, 0.003, 0.062, 0.08, 0.156, 0.002, 0.029, 0.015, 0.319,
        ]),
        'step',
      ],
      [
        'a loss that rises and stays up (divergence, judged by lr-too-high)',
        epochLog([...falling.slice(0, 15), ...Array.from({ length: 15 }, () => 20)]),
      ],
    ],
  },
  {
    name: 'a blow-up that never recovers (lr-too-high on a log)',
    detector: lrTooHigh,
    mustTrigger: [
      ['a 750x blow-up, then the loss ends 6x its level before', epochLog(blownUp(6))],
      ['a 20x blow-up that settles at 3x', epochLog(blownUp(3, 20))],
    ],
    mustNotTrigger: [
      ['a 750x blow-up the run recovers from (back to its level)', epochLog(blownUp(1))],
      ['a 750x blow-up that ends 1.5x its level before', epochLog(blownUp(1.5))],
      ['a 5x spike that stays 3x up (under 10x: not a blow-up)', epochLog(blownUp(3, 5))],
      [
        'mini-batch noise spanning a factor of 100 (two 10x neighbours are no blow-up)',
        epochLog(Array.from({ length: 60 }, (_, step) => 0.05 * 10 ** (jitter(step) - 0.5))),
      ],
    ],
  },
  {
    name: 'a training loss rising as a trend, with no validation loss (lr-too-high on a log)',
    detector: lrTooHigh,
    mustTrigger: [
      [
        '10 epochs: best at the second, then higher at 7 of the last 8, +22% over the first (under 2x)',
        epochLog([0.265, 0.238, 0.242, 0.245, 0.249, 0.284, 0.285, 0.279, 0.307, 0.323]),
      ],
    ],
    mustNotTrigger: [
      ['a falling loss', epochLog(falling)],
      [
        'a noisy loss with no trend',
        epochLog(Array.from({ length: 40 }, (_, epoch) => 0.5 * (1 + 0.1 * jitter(epoch)))),
      ],
      [
        'a loss rising by a trend to only 3% above its start',
        epochLog(Array.from({ length: 20 }, (_, epoch) => 0.5 * (1 + 0.0015 * epoch))),
      ],
      [
        'the same rise with a validation loss logged beside it (read by the validation rules)',
        epochLog(
          [0.265, 0.238, 0.242, 0.245, 0.249, 0.284, 0.285, 0.279, 0.307, 0.323],
          [0.3, 0.28, 0.27, 0.27, 0.26, 0.26, 0.25, 0.25, 0.25, 0.25],
        ),
      ],
    ],
  },
  {
    name: 'not learning, without a chance level',
    detector: notLearning,
    mustTrigger: [
      [
        'a binary classifier within 5% of ln 2 for 39 epochs, accuracy about 0.55',
        epochLog(
          nearLn2(0.69, 0.665),
          nearLn2(0.688, 0.667),
          Array.from({ length: 39 }, (_, e) => 0.55 + 0.02 * jitter(e)),
        ),
      ],
      [
        '40 noisy step losses around 4.1 with a logged rate of 1e-8..1e-7',
        { ...stepLog(noisyAround(4.1, 40)), learningRate: tinyRates(40) },
        'step',
      ],
      ['30 epochs, both losses flat from the start', epochLog(noisyFlat, noisyFlat)],
      [
        '10 evaluations within ±4% while the training loss falls 40% (nothing carries to validation)',
        evaluatedLog(
          Array.from({ length: 100 }, (_, step) => 0.34 - 0.0014 * step),
          Array.from({ length: 10 }, (_, e) => 0.33 * (1 + 0.02 * jitter(e))),
        ),
        'step',
      ],
      [
        '21 evaluations in a ±10% band with no trend after the first, training falling 10% (noise lifts a tenth, no rise)',
        epochLog(
          Array.from({ length: 21 }, (_, e) => 58 - 0.28 * e),
          [
            61.2, 57.1, 57.8, 57.1, 68.9, 58, 63.3, 59.3, 59.6, 69.4, 54.7, 60.5, 63.1, 57.4, 62.4, 59.8, 60.6, 62.2,
            54.9, 63.8, 58,
          ],
        ),
      ],
      [
        '10 flat evaluations beside a single logged training loss (judged on the validation loss)',
        {
          ...buildTrace({ loss: [1.25] }),
          evalStep: Array.from({ length: 10 }, (_, e) => 4 + 5 * e),
          valLoss: [1.054, 1.054, 1.059, 1.057, 1.052, 1.05, 1.051, 1.054, 1.052, 1.049],
        },
        'step',
      ],
      [
        '7 epochs, validation loss within 2% of ln 2 throughout, accuracy 0.41-0.60 (a short run at chance)',
        epochLog(
          [0.693, 0.69, 0.683, 0.664, 0.657, 0.641, 0.622],
          [0.6957, 0.693, 0.6909, 0.6907, 0.6902, 0.6909, 0.6845],
          [0.41, 0.49, 0.58, 0.55, 0.57, 0.51, 0.6],
        ),
      ],
      [
        '3 evaluations from 0.668 (ln 2 within 4%) that fall 4.8%, accuracy at a 61% class prior',
        epochLog([0.708, 0.66, 0.61], [0.6676, 0.6601, 0.6355], [0.6056, 0.6056, 0.6197]),
      ],
      [
        '6 epochs: training falls 58% and then stops for 4 (none below its best), validation within 3% of its first',
        epochLog([80, 38, 34.7, 34.72, 34.9, 34.71], [36.8, 35.7, 36.3, 36.2, 36.2, 35.9]),
      ],
      [
        '75 step losses scattered ±45% with no trend beside 4 flat evaluations (log 45: the step losses decide)',
        evaluatedLog(wideScatter(0.55, 75), [0.5105, 0.5101, 0.5128, 0.5171]),
        'step',
      ],
      ['80 step losses scattered ±45% with no trend, no validation', stepLog(wideScatter(1, 80)), 'step'],
      [
        '330 step losses exactly 0 from the first (log 296: a loss that gives no signal, no trend)',
        stepLog(Array.from({ length: 330 }, () => 0)),
        'step',
      ],
      [
        '51 steps of a negative surrogate loss with no trend at a logged rate of 1e-8..1e-7',
        { ...stepLog(wideScatter(-0.022, 51)), learningRate: tinyRates(51) },
        'step',
      ],
      [
        '4 epochs of a training loss at ln 10 with --classes 10 (chance level given, too short for plateau.ts)',
        { ...epochLog([2.31, 2.3, 2.29, 2.3]), chanceLoss: Math.log(10) },
      ],
      [
        '6 epochs flat at ln 2 with no accuracy logged (C = 2 read from where the loss began, not-learning.ts)',
        epochLog(nearLn2(0.693, 0.69).slice(0, 6)),
      ],
    ],
    mustNotTrigger: [
      [
        '5 epochs falling 18% from ln 2, accuracy 0.5 -> 0.72 (a slow start that learns)',
        epochLog([0.7, 0.68, 0.66, 0.62, 0.6], [0.693, 0.68, 0.65, 0.6, 0.57], [0.5, 0.55, 0.6, 0.68, 0.72]),
      ],
      [
        '7 epochs flat at 1.5x ln 2 (not the loss of guessing: another bug)',
        epochLog(
          noisyFlat.slice(0, 7),
          noisyFlat.slice(0, 7).map((loss) => 1.04 * loss),
          noisyFlat.slice(0, 7).map(() => 0.5),
        ),
      ],
      ['2 evaluations at ln 2 (too few), training loss falling', epochLog([0.69, 0.5], [0.693, 0.69], [0.5, 0.52])],
      [
        '4 epochs falling 10% from ln 10 with --classes 10',
        { ...epochLog([2.31, 2.2, 2.15, 2.08]), chanceLoss: Math.log(10) },
      ],
      ['a run that fell, then converged flat', epochLog(falling, falling)],
      [
        '4 flat validation losses under 75 noisy step losses that fell 15% (a trend): too few to judge',
        evaluatedLog(slowlyFalling(75, 0.15, 0.07), [0.5105, 0.5101, 0.5128, 0.5171]),
        'step',
      ],
      [
        '6 epochs: validation within 3% of its first while the training loss still falls every epoch (not stopped)',
        epochLog([80, 38, 34, 31, 29, 27], [36.8, 35.7, 36.3, 36.2, 36.2, 35.9]),
      ],
      [
        '6 epochs: training stops after falling 58%, validation fell 10% below its first (learned, then converged)',
        epochLog([80, 38, 34.7, 34.72, 34.9, 34.71], [36.8, 34, 33.2, 33.3, 33.1, 33.2]),
      ],
      [
        '6 flat evaluations beside 60 falling step losses (a step loss is no epoch: not read for the stop)',
        evaluatedLog(slowlyFalling(60, 0.4, 0.3), [0.5, 0.49, 0.5, 0.51, 0.5, 0.49]),
        'step',
      ],
      [
        'a healthy slow-converging run: 200 step losses falling 15% under a ±30% scatter',
        stepLog(slowlyFalling(200, 0.15, 0.3)),
        'step',
      ],
      ['40 epochs falling 8% in all, 1% noise (slow, not a plateau)', epochLog(slowlyFalling(40, 0.08, 0.01))],
      [
        'the first logged loss above the whole second half (fell before the second log point), then scatter',
        stepLog([2, ...wideScatter(0.5, 40)]),
        'step',
      ],
      ['9 scattered step losses: too few for the trend test', stepLog(wideScatter(0.5, 9)), 'step'],
      [
        '51 epochs rising 1.7x, then partly back after a rate cut, ending 30% above the first (log 269: a divergence)',
        epochLog(roseThenPartlyBack),
      ],
      [
        '60 scattered step losses that rise 60% (a divergence: lr-too-high judges it)',
        stepLog(wideScatter(0.5, 60).map((loss, step) => loss * (1 + step / 100))),
        'step',
      ],
      [
        '75 scattered step losses beside 4 evaluations that fell 25% (the validation loss learned)',
        evaluatedLog(wideScatter(0.5, 75), [0.6, 0.55, 0.5, 0.45]),
        'step',
      ],
      [
        '75 scattered step losses while the batch accuracy climbs 0.5 -> 0.9',
        batchLog(
          wideScatter(0.5, 75),
          Array.from({ length: 75 }, (_, step) => 0.5 + (0.4 * step) / 74),
        ),
        'step',
      ],
      ['8 flat epochs: too few to judge', epochLog(noisyFlat.slice(0, 8), noisyFlat.slice(0, 8))],
      [
        '8 flat evaluations while the training loss falls: too few to judge',
        evaluatedLog(falling, noisyFlat.slice(0, 8)),
      ],
      [
        'a validation loss that climbs 20% from its first evaluation while training falls (overfitting, not a plateau)',
        epochLog(
          falling,
          Array.from({ length: 30 }, (_, e) => 1 + (0.2 * e) / 29),
        ),
      ],
      [
        'a classifier whose accuracy rose to 0.9 (no 1/C near its median)',
        epochLog(
          falling,
          falling,
          Array.from({ length: 30 }, (_, e) => 0.5 + (0.4 * e) / 29),
        ),
      ],
      [
        'a binary classifier that left ln 2 (ends at 0.3)',
        epochLog(
          Array.from({ length: 30 }, (_, e) => 0.3 + 0.39 * Math.exp(-e / 3)),
          Array.from({ length: 30 }, (_, e) => 0.3 + 0.39 * Math.exp(-e / 3)),
          Array.from({ length: 30 }, () => 0.5),
        ),
      ],
      [
        "200 evaluations that fell 10% below the first in the first tenth, then flat, training falling 28% (log 155's, converged)",
        epochLog(
          Array.from({ length: 200 }, (_, e) => 0.44 - 0.125 * (e / 199) + 0.003 * jitter(e)),
          Array.from({ length: 200 }, (_, e) => 0.615 + 0.065 * Math.exp(-e / 4) + 0.004 * jitter(e + 7)),
        ),
      ],
      ['a tiny logged rate while the loss falls', { ...stepLog(falling), learningRate: tinyRates(30) }],
      ['a chance level given: plateau.ts judges', { ...epochLog(noisyFlat, noisyFlat), chanceLoss: 1 }],
    ],
  },
] satisfies JudgmentTable[])('$name', ({ detector, mustTrigger, mustNotTrigger }) => {
  it.each(mustTrigger)('mustTrigger: %s', (...[, trace, stepUnit]: Row) => {
    expect(judge(detector, trace, stepUnit)).toHaveLength(1);
  });
  it.each(mustNotTrigger)('mustNotTrigger: %s', (...[, trace, stepUnit]: Row) => {
    expect(judge(detector, trace, stepUnit)).toEqual([]);
  });
  it.each(mustTrigger)('does not judge a probe: %s', (...[, trace, stepUnit]: Row) => {
    // Both judge probes too, by rules of their own (GL5 at 50%, the end level).
    if (detector === overfitting || detector === lrTooHigh) return;
    expect(judge(detector, trace, stepUnit, 'probe')).toEqual([]);
  });
});

/** 40 epochs of a smooth run falling to a floor (log 227's shape), its validation loss jumping `jump`x at epoch 23. */
function smoothWithJump(jump: number, options: { after?: number; trainingBump?: number } = {}): ProbeTrace {
  return smoothWithJumps(jump, [23], options);
}

/** The same smooth run, its validation loss jumping `jump`x at each epoch of `at` (the training loss bumping with each). */
function smoothWithJumps(jump: number, at: readonly number[], { after = 0.95, trainingBump = 1.17 } = {}): ProbeTrace {
  const level = (epoch: number) => 0.01 + 0.06 * Math.exp(-epoch / 6);
  const validation = Array.from({ length: 40 }, (_, epoch) =>
    at.includes(epoch) ? jump * level(epoch - 1) : at.includes(epoch - 1) ? after * level(epoch - 2) : level(epoch),
  );
  const training = Array.from(
    { length: 40 },
    (_, epoch) => 1.05 * level(epoch) * (at.includes(epoch) ? trainingBump : 1),
  );
  return epochLog(training, validation);
}

/** `trace` with its training loss 5% above the epoch before at each of `epochs`: its routine noise. */
const withTrainingUpticks = (trace: ProbeTrace, epochs: readonly number[]): ProbeTrace => ({
  ...trace,
  loss: trace.loss.map((loss, k) => (epochs.includes(k) ? 1.05 * trace.loss[k - 1]! : loss)),
});

/** `trace` with its training loss spiking `factor`x at `epoch`. */
const withTrainingSpike = (trace: ProbeTrace, epoch: number, factor: number): ProbeTrace => ({
  ...trace,
  loss: trace.loss.map((loss, k) => (k === epoch ? factor * loss : loss)),
});

/** `trace` with its training loss at `epoch` 1% above the epoch before: an uptick that stays below the loss two epochs back. */
const withTrainingUptick = (trace: ProbeTrace, epoch: number): ProbeTrace => ({
  ...trace,
  loss: trace.loss.map((loss, k) => (k === epoch ? 1.01 * trace.loss[epoch - 1]! : loss)),
});

describe('a lone validation jump (lr-too-high on a log): info when nothing else says unstable, else a warning', () => {
  it.each([
    [
      'one 16x jump of a smooth run, back below its level next, training bumping 17% (log 227)',
      smoothWithJump(16),
      'info',
    ],
    ['the same jump while the training loss spikes 3x with it', smoothWithJump(16, { trainingBump: 3 }), 'warning'],
    [
      'the same jump, back only to 1.4x the level before it, the training loss bumping 17% above its level',
      smoothWithJump(16, { after: 1.4 }),
      'warning',
    ],
    [
      'the same jump, back to 1.4x the level before it, the training loss ticking up 1% but below its level before the jump (log 403)',
      withTrainingUptick(smoothWithJump(16, { after: 1.4, trainingBump: 1 }), 24),
      'info',
    ],
    [
      'three 16x jumps, each back below its level next, the training loss bumping 3% with each and up to 5% at other epochs (log 495)',
      withTrainingUpticks(smoothWithJumps(16, [23, 30, 36], { trainingBump: 1.03 }), [5, 15, 27]),
      'info',
    ],
    [
      'the same three jumps, the training loss bumping 17% with each: more than it rises anywhere else',
      withTrainingUpticks(smoothWithJumps(16, [23, 30, 36]), [5, 15, 27]),
      'warning',
    ],
    [
      'the same three jumps, the training loss bumping 17% with each, and one 3x training spike far from them: one spike is no yardstick of routine noise',
      withTrainingSpike(withTrainingUpticks(smoothWithJumps(16, [23, 30, 36]), [5, 15, 27]), 8, 3),
      'warning',
    ],
    [
      'the same three jumps while the training loss spikes 3x with one of them',
      withTrainingSpike(smoothWithJumps(16, [12, 23, 33]), 33, 3 / 1.17),
      'warning',
    ],
    [
      'the same three jumps, each back only to 1.4x the level before it, the training loss bumping 17% above its level',
      smoothWithJumps(16, [12, 23, 33], { after: 1.4 }),
      'warning',
    ],
    [
      'one counted jump of a validation loss that also jumps 1.6-1.7x elsewhere (log 48)',
      epochLog(
        [0.5955, 0.2746, 0.2479, 0.2306, 0.2042, 0.2802, 0.2198, 0.1545, 0.1571, 0.1653],
        [0.61, 0.96, 0.39, 0.33, 0.92, 0.25, 0.43, 0.16, 0.17, 0.29],
      ),
      'warning',
    ],
    [
      'a 3700x jump while the training loss jumps 10x (log 166)',
      epochLog(
        [1.595, 0.1328, 1.416, 1.082, 0.4412, 0.1141, 0.0606, 0.039, 0.0368, 0.0372, 0.0391, 0.0476, 0.0397],
        [0.33, 0.092, 789.1, 0.995, 0.146, 0.084, 0.087, 0.024, 0.025, 0.047, 0.0446, 0.0997, 0.0695],
      ),
      'warning',
    ],
  ] satisfies [string, ProbeTrace, Severity][])('%s: %s', (_, trace, severity) => {
    const findings = judge(lossSpikes, trace);
    expect(findings).toHaveLength(1);
    expect(findings[0]!.severity).toBe(severity);
  });
});

/** 75 scattered step losses with no trend, logged every 50 steps from `first`. */
const stepLogFrom = (first: number): ProbeTrace => ({
  ...stepLog(wideScatter(0.55, 75)),
  step: Array.from({ length: 75 }, (_, k) => first + 50 * k),
});

describe('not learning: how sure a flat log is', () => {
  const severity = (trace: ProbeTrace) => judge(notLearning, trace)[0]?.severity;
  it.each([
    ['flat from epoch 0: the log began with its run', epochLog(noisyFlat, noisyFlat), 'critical'],
    [
      'flat from epoch 40: a resumed run may have begun converged',
      {
        ...epochLog(noisyFlat, noisyFlat),
        step: noisyFlat.map((_, e) => 40 + e),
        evalStep: noisyFlat.map((_, e) => 40 + e),
      },
      'warning',
    ],
    ['scattered step losses with no trend from step 49 (logged every 50)', stepLogFrom(49), 'critical'],
    [
      'scattered step losses with no trend from step 4049: resumed, may have begun converged',
      stepLogFrom(4049),
      'warning',
    ],
  ] as const)('%s', (_, trace, expected) => {
    expect(severity(trace)).toBe(expected);
  });
});

/**
 * 100 epochs of log 252's shape: both losses falling, the validation loss jumping 3x for one epoch
 * at each of `jumps` (the training loss bumping 10% with it), the logged rate halved at `cuts`. It
 * levels off at 0.3, a seventh of its start, so that its late jumps stand above the floor (loss-spikes.ts).
 */
function spikesAndRateCuts(jumps: readonly number[], cuts: readonly number[], { endsAt = 1 } = {}): ProbeTrace {
  const level = (epoch: number) => 0.3 + 2 * Math.exp(-epoch / 15);
  const training = Array.from({ length: 100 }, (_, epoch) => 0.8 * level(epoch) * (jumps.includes(epoch) ? 1.1 : 1));
  const validation = Array.from({ length: 100 }, (_, epoch) =>
    jumps.includes(epoch) ? 3 * level(epoch) : epoch >= 95 ? endsAt * level(epoch) : level(epoch),
  );
  const rate = (epoch: number) => 1e-3 / 2 ** cuts.filter((cut) => cut <= epoch).length;
  return { ...epochLog(training, validation), learningRate: Array.from({ length: 100 }, (_, epoch) => rate(epoch)) };
}

describe("loss spikes the run's own rate cut ended (lr-too-high on a log): info, else a warning", () => {
  it.each([
    [
      'validation jumps every 5-14 epochs, then none for the 24 after the rate is halved, ending at its best (log 252)',
      spikesAndRateCuts([39, 42, 56, 61, 66, 71, 74], [46, 63, 76, 90]),
      'info',
    ],
    [
      'the same jumps going on after the last cut',
      spikesAndRateCuts([39, 42, 56, 61, 66, 71, 74, 85, 93], [46, 63, 76]),
      'warning',
    ],
    ['the same jumps, the rate never lowered', spikesAndRateCuts([39, 42, 56, 61, 66, 71, 74], []), 'warning'],
    [
      'the same jumps, the calm after the cut shorter than a pause between them',
      spikesAndRateCuts([39, 42, 56, 61, 66, 71, 74], [46, 63, 88]),
      'warning',
    ],
    [
      'the same jumps and cut, the validation loss ending 2x its best',
      spikesAndRateCuts([39, 42, 56, 61, 66, 71, 74], [46, 63, 76, 90], { endsAt: 2 }),
      'warning',
    ],
  ] satisfies [string, ProbeTrace, Severity][])('%s', (_, trace, severity) => {
    const findings = judge(lossSpikes, trace);
    expect(findings).toHaveLength(1);
    expect(findings[0]!.severity).toBe(severity);
  });
});

describe('a logged rise never undone (lr-too-high on a log): critical under twice the minimum', () => {
  /** 51 epochs from 5.4, rising `peak`x by epoch 22, then back down to `end`x the start by the last, 1% noise. */
  const rose = (peak: number, end: number) =>
    Array.from(
      { length: 51 },
      (_, e) =>
        5.4 * (e <= 22 ? 1 + ((peak - 1) * e) / 22 : peak - ((peak - end) * (e - 22)) / 28) * (1 + 0.01 * jitter(e)),
    );
  const mustTrigger: Row[] = [
    [
      'rising 1.7x, then partly back after a rate cut, ending 30% above the first (log 269)',
      epochLog(roseThenPartlyBack),
    ],
    ['rising 1.7x and ending 1.2x the start, per step', stepLog(rose(1.7, 1.2)), 'step'],
    [
      'rising 1.7x while the validation loss rises too and stays above its start',
      epochLog(rose(1.7, 1.3), rose(1.5, 1.2)),
    ],
  ];
  const mustNotTrigger: Row[] = [
    ['rising 1.3x and ending 1.1x the start (not well above it)', epochLog(rose(1.3, 1.1))],
    ['rising 1.7x and back below the start by the end (recovered)', epochLog(rose(1.7, 0.9))],
    [
      'rising 1.7x while the validation loss falls below its start (the model learned)',
      epochLog(rose(1.7, 1.3), rose(0.6, 0.5)),
    ],
    ['9 epochs rising 1.7x (too few for tenths)', epochLog(rose(1.7, 1.3).slice(0, 9))],
  ];
  it.each(mustTrigger)('mustTrigger: %s', (...[, trace, stepUnit]: Row) => {
    const findings = judge(lrTooHigh, trace, stepUnit);
    expect(findings).toHaveLength(1);
    expect(findings[0]!.severity).toBe('critical');
  });
  it.each(mustNotTrigger)('mustNotTrigger: %s', (...[, trace, stepUnit]: Row) => {
    expect(judge(lrTooHigh, trace, stepUnit)).toEqual([]);
  });
  it.each(mustTrigger)('does not judge a probe by it: %s', (...[, trace, stepUnit]: Row) => {
    expect(judge(lrTooHigh, trace, stepUnit, 'probe')).toEqual([]);
  });
});

describe('stuck at chance (plateau on a log): C is the one the loss and the accuracy agree on', () => {
  it('reads C from the loss held at ln 256 (exp 5.5413 = 255), where batch accuracies of 0-3/256 sit nearest 1/128 (log 543)', () => {
    const findings = judge(stuckAtChance, batchLog(loss543, accuracy543));
    expect(findings).toHaveLength(1);
    expect(findings[0]!.evidence.what).toContain('C = 255');
    expect(findings[0]!.message).toContain('the loss held within 5% of ln C');
  });
});
