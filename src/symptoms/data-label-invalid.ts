import { LABEL_CAP, type ColumnStats } from '../data/column-stats.js';
import type { DataSummary } from '../data/summary.js';
import { agree, formatNumber, plural } from '../util/format.js';
import type { DataCheckInput } from './data-input.js';
import { defineDetector, type Detection } from './finding.js';

/**
 * Labels that the task's loss cannot read: binary targets outside {0, 1} (binaryCrossentropy
 * assumes probabilities of class 1), class ids that are negative, fractional or not below the
 * number of output units (sparseCategoricalCrossentropy indexes the output with them), one-hot rows
 * that do not sum to 1 and multi-hot cells other than 0/1. These are exact rules of the Keras/tfjs
 * losses, so any violating row counts.
 */
export const INVALID_ROWS_LIMIT = 0;
/** How many labels a message lists. */
const SHOWN_LABELS = 6;

type Problem = Pick<Detection, 'severity' | 'evidence' | 'message'> & { advice: string };

export const dataLabelInvalid = defineDetector({
  id: 'data-label-invalid',
  description:
    'Target labels the loss cannot read: binary labels outside {0, 1}, class ids out of range, ' +
    'one-hot rows not summing to 1, text in a regression target.',
  fixes: [],
  needs: ['data'],
  remedy: 'Re-encode the labels as the loss expects: 0/1 for binary, class ids 0..C-1, one-hot rows summing to 1.',
  detect(input: DataCheckInput) {
    const { data } = input;
    const problems =
      data.task === 'regression'
        ? textInRegression(data)
        : data.targetStats.length > 1
          ? multiColumnProblems(input)
          : labelColumnProblems(input);
    return problems.map((problem) => ({
      confidence: 0.99,
      columns: data.targetStats.map((column) => column.name),
      // Here, not after the message: the JSON report has always listed this finding's fixes before it.
      fixes: [],
      ...problem,
    }));
  },
});

/**
 * Text in a regression target (a single column; several target columns must be numeric, which the
 * scan enforces). Each such row trains on NaN: the loss is NaN from the first batch.
 */
function textInRegression(data: DataSummary): Problem[] {
  const column = data.targetStats[0];
  if (!data.textLabels || column === undefined) return [];
  // The scan counts numbers and missing values per column; the rest of the rows hold text.
  const textRows = data.rows - column.count - column.nonFinite;
  return [
    {
      severity: 'critical',
      evidence: { measured: textRows, threshold: INVALID_ROWS_LIMIT, what: 'rows whose regression target is text' },
      message:
        `${plural(textRows, 'row')} of ${data.rows} hold text in the regression target ${column.name}, ` +
        'which has no numeric value: those rows train on NaN.',
      advice: `Make every ${column.name} value a number (or empty for missing), or set data.task for a classification target.`,
    },
  ];
}

function multiColumnProblems({ data }: DataCheckInput): Problem[] {
  if (data.task === 'multiclass' && data.oneHotRows < data.rows) {
    const bad = data.rows - data.oneHotRows;
    return [
      {
        severity: 'critical',
        evidence: { measured: bad, threshold: INVALID_ROWS_LIMIT, what: 'rows whose target columns are not one-hot' },
        message:
          `${plural(bad, 'row')} of ${data.rows} are not one-hot: a multiclass target over ` +
          `${data.targetStats.length} columns needs exactly one 1 and 0 elsewhere in every row.`,
        advice: 'Fix those rows, or set data.task: multilabel if a row may carry several classes.',
      },
    ];
  }
  if (data.binaryTargetRows < data.rows) {
    const bad = data.rows - data.binaryTargetRows;
    return [
      {
        severity: 'critical',
        evidence: { measured: bad, threshold: INVALID_ROWS_LIMIT, what: 'rows with target values other than 0 and 1' },
        message:
          `${plural(bad, 'row')} of ${data.rows} have target values other than 0 and 1, ` +
          `but a ${data.task} target over several columns is 0/1 per column.`,
        advice: 'Make every target cell 0 or 1, or set data.task: regression for a multi-output regression.',
      },
    ];
  }
  return [];
}

/** One label column: the first check that finds a problem answers (each assumes the ones before it passed). */
function labelColumnProblems({ data, outputUnits }: DataCheckInput): Problem[] {
  const classes = data.classes ?? [];
  const column = data.targetStats[0]!;
  const labels = classes.map((entry) => entry.label);
  let problem: Problem | undefined;
  if (classes.length === 0 && column.count > 0) problem = tooManyValues(data, column);
  else if (data.task === 'binary' || data.task === 'multilabel') problem = binaryLabelProblem(data, column, labels);
  else if (data.textLabels) problem = textLabelProblem(column, labels, outputUnits);
  else problem = classIdProblem(column, labels, outputUnits);
  return problem === undefined ? [] : [problem];
}

/** The first labels of a list, for a message. */
function shown(labels: readonly string[]): string {
  return labels.slice(0, SHOWN_LABELS).join(', ') + (labels.length > SHOWN_LABELS ? ', ...' : '');
}

function tooManyValues(data: DataSummary, column: ColumnStats): Problem {
  return {
    severity: 'critical',
    // The scan stops counting labels past LABEL_CAP: "more than the cap" is all that is known.
    evidence: {
      measured: LABEL_CAP + 1,
      threshold: LABEL_CAP,
      what: 'distinct target values (counted up to the cap)',
    },
    message: `Target ${column.name} has more than ${LABEL_CAP} distinct values, which is not a ${data.task} label.`,
    advice: 'Set data.task: regression, or point data.target at the label column.',
  };
}

/** Binary and multilabel targets: two text labels, or the numbers 0 and 1. */
function binaryLabelProblem(data: DataSummary, column: ColumnStats, labels: readonly string[]): Problem | undefined {
  if (data.textLabels && labels.length !== 2) {
    return {
      severity: 'critical',
      evidence: { measured: labels.length, threshold: 2, what: 'distinct labels in a binary target' },
      message: `A binary target needs two labels; ${column.name} has ${labels.length}: ${shown(labels)}.`,
      advice: 'Set data.task: multiclass, or keep only two labels.',
    };
  }
  const outside = data.textLabels ? [] : labels.filter((label) => label !== '0' && label !== '1');
  if (outside.length === 0) return undefined;
  const mapping = labels.length === 2 ? ` (${labels[0]} → 0, ${labels[1]} → 1)` : '';
  return {
    severity: 'critical',
    evidence: {
      measured: outside.length,
      threshold: INVALID_ROWS_LIMIT,
      what: 'binary label values other than 0 and 1',
    },
    message:
      'Binary labels must be 0 and 1 (binaryCrossentropy reads them as probabilities); ' +
      `${column.name} holds ${shown(labels)}.`,
    advice: `Map the labels to 0/1 in the data${mapping}, or set data.task: multiclass.`,
  };
}

/** Multiclass text labels: convdoc numbers them 0..C-1, so they fit when there are at most as many as units. */
function textLabelProblem(
  column: ColumnStats,
  labels: readonly string[],
  outputUnits: number | undefined,
): Problem | undefined {
  if (outputUnits === undefined || labels.length <= outputUnits) return undefined;
  const outOfRange =
    labels.length - outputUnits === 1
      ? `class id ${outputUnits} is`
      : `class ids ${outputUnits} to ${labels.length - 1} are`;
  return {
    severity: 'critical',
    evidence: {
      measured: labels.length - 1,
      threshold: outputUnits - 1,
      what: 'largest class id (text labels are numbered 0..C-1)',
    },
    message:
      `${column.name} has ${labels.length} labels (${shown(labels)}), ` +
      `but the output layer has ${outputUnits} units: ${outOfRange} out of range.`,
    advice: `Give the output layer ${labels.length} units.`,
  };
}

/** Multiclass numeric labels: whole numbers from 0, below the output units, without gaps. */
function classIdProblem(
  column: ColumnStats,
  labels: readonly string[],
  outputUnits: number | undefined,
): Problem | undefined {
  const ids = labels.map(Number);
  if (!column.integer || column.min < 0) {
    const bad = ids.filter((id) => !Number.isInteger(id) || id < 0).map(formatNumber);
    return {
      severity: 'critical',
      evidence: {
        measured: bad.length,
        threshold: INVALID_ROWS_LIMIT,
        what: 'class ids that are negative or not whole numbers',
      },
      message: `Class ids must be whole numbers from 0; ${column.name} holds ${shown(bad)}.`,
      advice: 'Encode the classes as 0, 1, 2, ... (or as text labels, which convdoc numbers itself).',
    };
  }
  if (outputUnits !== undefined && column.max >= outputUnits) return classIdOutOfRange(column, outputUnits);
  return missingClassIds(column.max, ids);
}

function classIdOutOfRange(column: ColumnStats, outputUnits: number): Problem {
  const largest = column.max;
  return {
    severity: 'critical',
    evidence: {
      measured: largest,
      threshold: outputUnits - 1,
      what: 'largest class id (ids must be below the output units)',
    },
    message:
      `Class id ${largest} is out of range: the output layer has ${outputUnits} units, ` +
      `so ids must be 0 to ${outputUnits - 1}.`,
    advice:
      largest === outputUnits && column.min >= 1
        ? 'The labels look 1-based: subtract 1 from them.'
        : `Give the output layer ${largest + 1} units, or re-number the classes.`,
  };
}

/**
 * Ids below the largest that never occur: counted from the ids present, never by listing
 * 0..largest (ids can be huge).
 */
function missingClassIds(largest: number, ids: readonly number[]): Problem | undefined {
  const missing = largest + 1 - ids.length;
  if (missing === 0) return undefined;
  const present = new Set(ids);
  const absent: number[] = [];
  for (let id = 0; id <= largest && absent.length < SHOWN_LABELS + 1; id++) if (!present.has(id)) absent.push(id);
  const oneBased = missing === 1 && absent[0] === 0;
  const which = missing === 1 ? 'Class id' : `${missing} class ids`;
  return {
    severity: 'warning',
    evidence: {
      measured: missing,
      threshold: INVALID_ROWS_LIMIT,
      what: 'class ids below the largest that never occur',
    },
    message:
      `${which} ${shown(absent.map(String))} never ${agree(missing, 'occurs', 'occur')} below the largest id ` +
      `${largest}${oneBased ? ': the labels look 1-based' : ''}. ` +
      'Each missing id still costs an output unit that is never right.',
    advice: oneBased
      ? 'Subtract 1 from the labels so they start at 0.'
      : 'Re-number the classes as 0, 1, 2, ... without gaps.',
  };
}
