import { RECURRENT_LAYERS } from '../model/catalog.js';
import type { ActivationTrace, ProbeTrace } from '../trace/trace.js';
import { formatNumber, formatPercent } from '../util/format.js';
import type { DynamicsInput } from './dynamics-input.js';
import { defineDetector, type Detection } from './finding.js';
import type { FixId } from './ids.js';
import { activationSteps, kernelNames, layerOf, SUSTAINED_EVALUATIONS, sustainedLevel } from './signals.js';

/**
 * A layer is dying when more than half of its units are dead: SageMaker Debugger's dead-ReLU rule
 * flags a layer when > 50% of its units are dead. SageMaker calls a unit dead when it is active
 * < 1% of the time over many training steps; a short probe measures each unit on one fixed probe
 * batch instead (a convdoc_torch recording on the training batch of each recorded step), and calls
 * it dead when its input is never positive on any example there: stricter per unit, so the 50%
 * layer threshold is kept as is.
 */
export const DEAD_FRACTION_LIMIT = 0.5;
/**
 * From 90% dead units on, almost no gradient flows through the layer to anything before it
 * (AUTOTRAINER calls ReLUs dying when >= 70% of gradients are exactly zero; a layer 90% dead is past
 * that on every example): critical.
 */
export const DEAD_FRACTION_CRITICAL = 0.9;
/** A layer must stay dead through the last evaluations: its lowest fraction over these counts. */
export const LAST_EVALUATIONS = SUSTAINED_EVALUATIONS;

/**
 * An update that moves a kernel by a tenth of its norm or more is large: CS231n puts a healthy
 * ‖Δw‖/‖w‖ near 1e-3, and the healthy examples' hidden layers stay under 0.08 even on their first
 * Adam step. Units alive at the start that die after such updates were killed by the learning
 * rate (Karpathy, "Yes you should understand backprop": a large update knocks a ReLU's weights
 * into a region where it never activates), so the rate is fixed first.
 */
export const LARGE_UPDATE_RATIO = 0.1;

/** Leaky kinds pass a small gradient below zero: their "dead" units still learn, slowly. */
const LEAKY: ReadonlySet<string> = new Set(['leakyRelu', 'prelu', 'elu', 'selu']);

interface DeadLayer {
  layer: string;
  activation: string;
  fraction: number;
  /** Index of the evaluation from which the layer stayed dead. */
  since: number;
  evaluations: number;
  /** A recurrent layer, whose dead units are read at the last time step only. */
  recurrent: boolean;
}

export const deadRelu = defineDetector({
  id: 'dead-relu',
  description:
    'Most units of a ReLU layer output 0 on every example: their gradient is exactly 0, so they never recover, and a fully dead layer passes no gradient back and a constant forward.',
  fixes: ['activation', 'lr-schedule'],
  needs: ['activations'],
  detect({ trace }: DynamicsInput) {
    const dead = trace.activations.flatMap((activations) => {
      const measured = deadLayer(activations, trace);
      return measured !== null && measured.fraction > DEAD_FRACTION_LIMIT ? [measured] : [];
    });
    const cause = dead[0];
    if (cause === undefined) return [];
    const downstream = dead.slice(1);
    const worst = Math.max(...dead.map((layer) => layer.fraction));
    const leaky = LEAKY.has(cause.activation);
    const critical = worst >= DEAD_FRACTION_CRITICAL && !leaky;
    const step = activationSteps(trace)[cause.since] ?? cause.since;
    const lastStep = activationSteps(trace).at(-1) ?? step;
    const units = unitsOf(trace, cause.layer);
    const measuredOn = sampling(trace);
    const { confidence, caveats } = certainty(cause, leaky, measuredOn);
    const killer = killedByUpdates(trace, cause);
    // Leaky units still learn: only the rate is left to fix. Units killed by large updates: the rate first.
    const fixes: FixId[] = leaky
      ? ['lr-schedule']
      : killer !== null
        ? ['lr-schedule', 'activation']
        : ['activation', 'lr-schedule'];
    const finding: Detection = {
      severity: critical ? 'critical' : 'warning',
      confidence,
      layer: cause.layer,
      step,
      evidence: {
        measured: cause.fraction,
        threshold: DEAD_FRACTION_LIMIT,
        what: `fraction of ${cause.layer}'s units whose input is never positive on ${measuredOn.batch}, lowest of the last ${LAST_EVALUATIONS} ${measuredOn.samples}`,
      },
      message:
        `${formatPercent(cause.fraction)} of the ${units === null ? '' : `${units} `}units of ${cause.layer} (${cause.activation}) are dead ` +
        `(input never positive on ${measuredOn.batch}) from step ${step} to step ${lastStep}, past the ${formatPercent(DEAD_FRACTION_LIMIT)} limit` +
        `${cause.fraction >= DEAD_FRACTION_CRITICAL ? `; at ${formatPercent(DEAD_FRACTION_CRITICAL)} or more almost no gradient flows back through it` : ''}.` +
        downstreamNote(trace, cause, downstream) +
        (caveats.length > 0 ? ` Less certain: ${caveats.join('; ')}.` : '') +
        ` Dead units get no gradient and never recover${leaky ? '' : ': LeakyReLU keeps a small gradient for them'}` +
        causeNote(trace, cause, killer),
      fixes,
    };
    return [finding];
  },
});

interface Sampling {
  batch: string;
  /** The samples in plural, and counted: "evaluations", "evaluation(s)". */
  samples: string;
  counted: string;
}

/**
 * What the dead fractions were measured on: a probe's fixed batch at each evaluation, or, in a
 * recording (its samples carry their own steps), the training batch of each recorded step.
 */
function sampling(trace: ProbeTrace): Sampling {
  return trace.activations.some((activations) => activations.step !== undefined)
    ? { batch: "each recorded step's training batch", samples: 'recorded steps', counted: 'recorded step(s)' }
    : { batch: 'the probe batch', samples: 'evaluations', counted: 'evaluation(s)' };
}

/** How sure the finding is, and why less: few samples, a leaky activation, a recurrent layer's last step only. */
function certainty(cause: DeadLayer, leaky: boolean, measuredOn: Sampling): { confidence: number; caveats: string[] } {
  const few = cause.evaluations < LAST_EVALUATIONS;
  const caveats = [
    ...(few ? [`measured at only ${cause.evaluations} ${measuredOn.counted}, so it may not last`] : []),
    ...(leaky
      ? [`${cause.activation} still passes a small gradient below zero, so these units learn slowly rather than never`]
      : []),
    ...(cause.recurrent ? ['for a recurrent layer the probe sees the output of the last time step only'] : []),
  ];
  const confidence =
    (0.6 + (0.39 * (cause.fraction - DEAD_FRACTION_LIMIT)) / (1 - DEAD_FRACTION_LIMIT)) *
    (few ? 0.8 : 1) *
    (leaky ? 0.8 : 1) *
    (cause.recurrent ? 0.9 : 1);
  return { confidence: Math.round(Math.min(0.99, confidence) * 100) / 100, caveats };
}

/** The layer's dead fraction at the end of the probe, or null for layers that cannot die. */
function deadLayer(activations: ActivationTrace, trace: ProbeTrace): DeadLayer | null {
  const fractions = activations.deadFraction;
  if (fractions === null) return null;
  // An evaluation whose output is not finite says nothing about dying units (nan-loss reports it).
  const usable = fractions.map((fraction, index) =>
    Number.isFinite(activations.mean[index]) && Number.isFinite(activations.std[index]) ? fraction : Number.NaN,
  );
  const { level, since, evaluations } = sustainedLevel(usable, DEAD_FRACTION_LIMIT, LAST_EVALUATIONS);
  if (!Number.isFinite(level)) return null;
  const type = trace.layers.find((layer) => layer.name === activations.layer)?.type ?? '';
  return {
    layer: activations.layer,
    activation: activations.activation,
    fraction: level,
    since,
    evaluations,
    // The probe sees a recurrent layer's output at the last time step only.
    recurrent: RECURRENT_LAYERS.has(type),
  };
}

/**
 * Alive at the first evaluation (under the limit), or short of critical there and critical at the
 * end: either way training, not the initialization, killed most of what is dead.
 */
function diedDuringTraining(initial: number, final: number): boolean {
  return initial <= DEAD_FRACTION_LIMIT || (initial < DEAD_FRACTION_CRITICAL && final >= DEAD_FRACTION_CRITICAL);
}

/**
 * The largest update ratio of the layer's kernel before it died, when training killed the units
 * (diedDuringTraining) and that update was LARGE_UPDATE_RATIO or more; null otherwise.
 */
function killedByUpdates(trace: ProbeTrace, cause: DeadLayer): { ratio: number; step: number } | null {
  const fractions = trace.activations.find((activations) => activations.layer === cause.layer)?.deadFraction;
  const initial = fractions?.[0];
  if (initial === undefined || initial === null || !diedDuringTraining(initial, cause.fraction)) return null;
  // Where the layer died: it crossed the limit, or (past it from the start) the critical level.
  const crossed = initial <= DEAD_FRACTION_LIMIT ? DEAD_FRACTION_LIMIT : DEAD_FRACTION_CRITICAL;
  const diedIndex = fractions!.findIndex((fraction) => fraction !== null && fraction >= crossed && fraction > initial);
  const diedAt = activationSteps(trace)[diedIndex] ?? activationSteps(trace)[cause.since] ?? cause.since;
  let largest: { ratio: number; step: number } | null = null;
  for (const variable of kernelNames(trace).filter((name) => layerOf(name) === cause.layer)) {
    (trace.updateRatio[variable] ?? []).forEach((ratio, index) => {
      const step = trace.step[index] ?? index;
      if (step < diedAt && ratio >= LARGE_UPDATE_RATIO && (largest === null || ratio > largest.ratio))
        largest = { ratio, step };
    });
  }
  return largest;
}

/** Who killed the units: large updates (the rate), or nothing yet (dead from the start: init or activation). */
function causeNote(trace: ProbeTrace, cause: DeadLayer, killer: { ratio: number; step: number } | null): string {
  const initial = trace.activations.find((activations) => activations.layer === cause.layer)?.deadFraction?.[0];
  if (killer !== null)
    return (
      `. ${formatPercent(initial ?? 0)} were dead at step ${activationSteps(trace)[0] ?? 0}; the rest died after an update of ` +
      `${formatNumber(killer.ratio)}x ${cause.layer}'s weights at step ${killer.step} ` +
      `(‖Δw‖/‖w‖, large from ${formatNumber(LARGE_UPDATE_RATIO)}): large updates killed them; lower the learning rate first (or clip, where the gradients exploded).`
    );
  if (typeof initial === 'number' && initial > DEAD_FRACTION_LIMIT)
    return `. ${formatPercent(initial)} were dead at step ${activationSteps(trace)[0] ?? 0}, before training could kill them: the initialization or the activation is the cause.`;
  return ', and a learning rate that is too high is the usual killer.';
}

function downstreamNote(trace: ProbeTrace, cause: DeadLayer, downstream: readonly DeadLayer[]): string {
  const after = trace.activations
    .slice(trace.activations.findIndex((activations) => activations.layer === cause.layer) + 1)
    .map((activations) => activations.layer);
  const notes: string[] = [];
  if (cause.fraction === 1 && after.length > 0)
    notes.push(
      `every later layer (${after.join(', ')}) receives a constant input from it, so it is the cause of what they show`,
    );
  if (downstream.length > 0)
    notes.push(
      `also dead after it: ${downstream.map((layer) => `${layer.layer} (${formatPercent(layer.fraction)})`).join(', ')}`,
    );
  return notes.length > 0 ? ` ${capitalize(notes.join('; '))}.` : '';
}

function unitsOf(trace: ProbeTrace, layer: string): number | null {
  const units = trace.layers.find((summary) => summary.name === layer)?.outputShape.at(-1);
  return typeof units === 'number' ? units : null;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
