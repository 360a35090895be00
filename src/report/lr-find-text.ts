/**
 * `convdoc lr-find` as text: what was swept, the smoothed loss against the learning rate drawn in
 * the terminal with the steepest-descent (S) and valley (V) points marked, both suggestions and
 * whether they agree, and the config keys to change. Colour only through `paint`.
 */
import type { ChalkInstance } from 'chalk';
import type { LrFindEdit, LrFindResult } from '../trials/lr-find.js';
import { roundRate } from '../fixes/lr-schedule.js';
import { AGREEMENT_FACTOR } from '../trials/lr-range.js';
import { formatFlowValue, formatNumber, formatRate } from '../util/format.js';
import { displayPath } from '../util/paths.js';
import type { ResultRenderer } from './reporter.js';
import { needsLogScale } from './log-scale.js';

/** Plot size in characters: fits an 80-column terminal with the axis labels. */
const PLOT_WIDTH = 60;
const PLOT_HEIGHT = 12;

export const renderLrFindText: ResultRenderer<LrFindResult> = (result, { paint }) => {
  const lines = [...sweepLines(result, paint), ''];
  if (result.steepest !== null && result.valley !== null) {
    const agreement = result.agree
      ? paint.green(`agree (within ${AGREEMENT_FACTOR}×)`)
      : paint.yellow(`disagree (more than ${AGREEMENT_FACTOR}× apart)`);
    const steepest = `${paint.bold('S')} steepest descent ${formatRate(result.steepest)}`;
    lines.push(`${steepest}   ${paint.bold('V')} valley ${formatRate(result.valley)}   ${agreement}`);
  }
  if (result.suggested === null) lines.push(`${paint.yellow.bold('no suggestion')}: ${result.reason}`);
  else lines.push(...suggestionLines(result, result.suggested, paint), '', ...changeLines(result, paint));
  return `${lines.join('\n')}\n`;
};

/** Why a sweep stopped before its last step. */
const STOP_REASONS: Record<NonNullable<LrFindResult['sweep']['stoppedEarly']>, string> = {
  'non-finite': 'the loss turned non-finite',
  diverged: 'the smoothed loss passed 4× its best',
  'time-budget': 'the time budget (probe.maxSeconds) ran out',
};

/** What was swept, and the curve when the analysed window holds one. */
function sweepLines(result: LrFindResult, paint: ChalkInstance): string[] {
  const { sweep, window } = result;
  const lastRate = result.learningRate.at(-1) ?? sweep.minLr;
  const stopped =
    sweep.stoppedEarly === null ? '' : `; stopped at ${formatRate(lastRate)}: ${STOP_REASONS[sweep.stoppedEarly]}`;
  return [
    paint.bold(`convdoc lr-find  ${displayPath(result.config)}`),
    `sweep: ${result.optimizer}, ${result.lossName}; ${sweep.stepsRun} of ${sweep.stepsPlanned} steps ` +
      `from ${formatRate(sweep.minLr)} to ${formatRate(lastRate)} on ${result.backend} ` +
      `in ${sweep.seconds.toFixed(1)} s${stopped}`,
    ...(window.cut - window.burnIn >= 2
      ? [
          '',
          paint.dim(
            `smoothed loss against learning rate (the first ${window.burnIn} steps, ` +
              `up to ${formatRate(result.learningRate[window.burnIn - 1] ?? sweep.minLr)}, ` +
              'are burn-in and left out)',
          ),
          ...plotLrCurve(result, paint),
        ]
      : []),
  ];
}

/** The suggested rate against the configured one, and the schedule for the run. */
function suggestionLines(result: LrFindResult, suggested: number, paint: ChalkInstance): string[] {
  const keep = result.current.withinBand ? ', between the valley and the steepest descent: keep it' : '';
  const configured = `configured: ${formatRate(result.current.learningRate)}${keep}`;
  // The rate shown is the one the edit writes: rounded to one digit, as the sweep resolves rates to ~20%.
  const written = roundRate(suggested);
  const rounded = formatRate(written) === formatRate(suggested) ? '' : `${formatRate(suggested)} rounded; `;
  const lines = [
    `${paint.bold('suggested initial learning rate')}: ${paint.green.bold(formatRate(written))} (${rounded}${configured})`,
    paint.dim(`  ${result.reason}`),
  ];
  const { schedule, run } = result;
  if (schedule !== null) {
    const warmup =
      schedule.warmupSteps === 0
        ? ''
        : `, after ${schedule.warmupSteps} warmup steps (the loss spiked at step ${result.spike}, ` +
          `rate ${formatRate(result.learningRate[result.spike!]!)}, before the suggested rate)`;
    lines.push(
      `${paint.bold('schedule')}: cosine decay to 0 over the run, ` +
        `${runSteps(run)} = ${schedule.decaySteps} steps${warmup}`,
    );
  }
  return lines;
}

/** How the run's length was counted: epochs × steps per epoch, unless the config set its steps. */
function runSteps(run: LrFindResult['run']): string {
  return run.steps === run.epochs * run.stepsPerEpoch
    ? `${run.epochs} epochs × ${run.stepsPerEpoch} steps`
    : 'training.steps';
}

function changeLines(result: LrFindResult, paint: ChalkInstance): string[] {
  if (result.edits.length === 0) return [paint.green('The config already has these settings.')];
  return [
    paint.bold('Change'),
    ...result.edits.map((edit) => `  ${paint.dim(`${edit.file}:${edit.line}:${edit.column}`)}  ${editText(edit)}`),
  ];
}

function editText(edit: LrFindEdit): string {
  return `${edit.key}: ${formatFlowValue(edit.from)} → ${formatFlowValue(edit.to)}`;
}

type PlotInput = Pick<LrFindResult, 'learningRate' | 'smoothed' | 'window' | 'indices'>;

/**
 * The smoothed loss of the analysed window (burn-in to cut) against log10(rate), PLOT_WIDTH ×
 * PLOT_HEIGHT characters plus axes: `•` the curve, `S` the steepest descent, `V` the valley, `*` the
 * suggestion when it is neither (capped below the divergence).
 */
function plotLrCurve(input: PlotInput, paint: ChalkInstance, width = PLOT_WIDTH, height = PLOT_HEIGHT): string[] {
  const { learningRate, smoothed, window } = input;
  const points: Point[] = [];
  for (let index = window.burnIn; index < window.cut; index++)
    points.push({ x: Math.log10(learningRate[index]!), y: smoothed[index]! });
  if (points.length < 2) return [];
  const frame = plotFrame(points, width, height);
  const grid: string[][] = Array.from({ length: height }, () => new Array<string>(width).fill(' '));
  drawCurve(grid, points, frame);
  const painted = placeMarks(grid, input, frame, paint);
  const { lines, labelWidth } = lossAxis(grid, painted, frame);
  const indent = `  ${' '.repeat(labelWidth)}`;
  const { ticks, labels } = rateAxis(frame);
  return [
    ...lines,
    `${indent} └${ticks}`,
    `${indent}  ${labels}`,
    paint.dim(`${indent}  learning rate (log scale)${frame.logScale ? '; loss on a log scale' : ''}`),
  ];
}

interface Point {
  /** log10 of the learning rate. */
  x: number;
  y: number;
}

/** Where values land on the character grid. */
interface PlotFrame {
  width: number;
  height: number;
  xLow: number;
  xHigh: number;
  yLow: number;
  yHigh: number;
  logScale: boolean;
  column: (x: number) => number;
  row: (y: number) => number;
}

function plotFrame(points: readonly Point[], width: number, height: number): PlotFrame {
  const xLow = points[0]!.x;
  const xHigh = points.at(-1)!.x;
  const ys = points.map((point) => point.y);
  let yLow = Math.min(...ys);
  let yHigh = Math.max(...ys);
  if (yHigh === yLow) [yLow, yHigh] = [yLow - 0.5, yHigh + 0.5];
  const logScale = needsLogScale(yLow, yHigh);
  const scale = (y: number) => (logScale ? Math.log10(y) : y);
  return {
    width,
    height,
    xLow,
    xHigh,
    yLow,
    yHigh,
    logScale,
    column: (x) => Math.round(((x - xLow) / (xHigh - xLow)) * (width - 1)),
    row: (y) => Math.round(((scale(yHigh) - scale(y)) / (scale(yHigh) - scale(yLow))) * (height - 1)),
  };
}

/** Consecutive points joined by straight segments, so steep stretches stay connected. */
function drawCurve(grid: string[][], points: readonly Point[], { column, row }: PlotFrame): void {
  for (let i = 1; i < points.length; i++) {
    const [c0, r0, c1, r1] = [column(points[i - 1]!.x), row(points[i - 1]!.y), column(points[i]!.x), row(points[i]!.y)];
    const length = Math.max(Math.abs(c1 - c0), Math.abs(r1 - r0), 1);
    for (let t = 0; t <= length; t++)
      grid[Math.round(r0 + ((r1 - r0) * t) / length)]![Math.round(c0 + ((c1 - c0) * t) / length)] = '•';
  }
}

/** S, V and * on the grid; returns each marked cell (`row,column`) as painted text. */
function placeMarks(
  grid: string[][],
  { learningRate, smoothed, window, indices }: PlotInput,
  { column, row, width }: PlotFrame,
  paint: ChalkInstance,
): Map<string, string> {
  const marks: [number | null, string, ChalkInstance][] = [
    [indices.steepest, 'S', paint.yellow.bold],
    [indices.valley, 'V', paint.cyan.bold],
    [
      indices.suggested === indices.valley || indices.suggested === indices.steepest ? null : indices.suggested,
      '*',
      paint.green.bold,
    ],
  ];
  const painted = new Map<string, string>();
  for (const [index, mark, color] of marks) {
    if (index === null || index < window.burnIn || index >= window.cut) continue;
    let c = column(Math.log10(learningRate[index]!));
    const r = row(smoothed[index]!);
    // Two marks on one cell: the later one moves a column right, so both stay visible.
    while (painted.has(`${r},${c}`) && c < width - 1) c++;
    painted.set(`${r},${c}`, color(mark));
    grid[r]![c] = mark;
  }
  return painted;
}

/** The grid's rows behind the loss axis, labelled at the top, middle and bottom. */
function lossAxis(
  grid: readonly string[][],
  painted: ReadonlyMap<string, string>,
  { yLow, yHigh, logScale, height }: PlotFrame,
): { lines: string[]; labelWidth: number } {
  const scale = (y: number) => (logScale ? Math.log10(y) : y);
  const labels = [
    formatNumber(logScale ? 10 ** scale(yHigh) : yHigh),
    formatNumber(logScale ? 10 ** ((scale(yHigh) + scale(yLow)) / 2) : (yHigh + yLow) / 2),
    formatNumber(yLow),
  ];
  const labelWidth = Math.max(...labels.map((label) => label.length));
  const middle = Math.floor((height - 1) / 2);
  const lines = grid.map((cells, r) => {
    const label = r === 0 ? labels[0]! : r === middle ? labels[1]! : r === height - 1 ? labels[2]! : '';
    const body = cells.map((cell, c) => painted.get(`${r},${c}`) ?? cell).join('');
    return `  ${label.padStart(labelWidth)} ${label === '' ? '│' : '┤'}${body}`;
  });
  return { lines, labelWidth };
}

/** The rate axis: a tick at each power of ten in range, its label centred under it where it fits. */
function rateAxis({ xLow, xHigh, column, width }: PlotFrame): { ticks: string; labels: string } {
  const axis = new Array<string>(width).fill('─');
  const under = new Array<string>(width + 8).fill(' ');
  let free = 0;
  for (let decade = Math.ceil(xLow - 1e-9); decade <= Math.floor(xHigh + 1e-9); decade++) {
    const c = column(decade);
    axis[c] = '┬';
    const label = formatRate(10 ** decade);
    const at = Math.max(0, c - Math.floor(label.length / 2));
    if (at < free) continue;
    for (let k = 0; k < label.length; k++) under[at + k] = label[k]!;
    free = at + label.length + 1;
  }
  return { ticks: axis.join(''), labels: under.join('').trimEnd() };
}
