/**
 * Logs a training script printed: one line per epoch or step with `name: value` (or `name=value`)
 * pairs, such as `Epoch:3/80  Learning Rate: 0.001  Train Loss: 2.371  Val Loss: 2.194` or
 * `epoch 3 | train_loss=0.52 | val_loss=0.61`, nanoGPT's `step 250: train loss 1.91, val loss 2.03`,
 * and Keras' `fit` output saved from stdout (an `Epoch 3/10` line, then `... - loss: 0.52 -
 * val_loss: 0.61`). Names go through the same alias table as every other format (`Train Loss` is
 * `train_loss`). The step is the line's epoch or its step (`Epoch 3/80`, `step=120`), else the last
 * one printed on a line of its own; with neither, or with both (PyTorch's tutorial prints `Epoch
 * [1/5], Step [100/600]`, a step that restarts each epoch), the count of lines that print a loss.
 * Keras' progress-bar updates (`ETA:`) are not the epoch's values and are passed over, and so are
 * per-batch lines (a loss with no epoch or step, or with both) in a log that prints each epoch's
 * summary (bench log 187: `train --- Current batch:200/1600 loss:[0.59]` lines, then `Epoch [0]/[199]
 * Training Phase Loss: 0.0699`; bench log 316: `Epoch [1/5], Step [10/99], Loss: 0.40` lines, then
 * `Epoch [1/5], Train Loss: 0.43, ..., Val Loss: 0.41`). A phase word before bare names (`val --- ... loss:`) is their split.
 * A tqdm bar's refreshes with an epoch (Lightning's `Epoch 3:  45%|...| 257/571 [..., train_loss=0.127]`)
 * are one record per epoch, its per-step training loss averaged over the batches (progress-bar.ts).
 */
import { DataError } from '../errors.js';
import { bareSplitLosses } from './bare-split-losses.js';
import { LastEpoch } from './held-out-line.js';
import { ObjectRows } from './jsonl-log.js';
import { keyMeaning, namesSplit, normalizedKey, phaseSplit } from './log-keys.js';
import { logLines, type LogLine } from './log-lines.js';
import { barBatch, EpochBar } from './progress-bar.js';
import type { LogReader, ReadLogResult } from './log-reader.js';
import { SUMMARY_KEY } from './trainer-state.js';
import { printedNumber, writerLine, type WriterLine } from './writer-lines.js';

/**
 * A name (one to four words of letters, digits, `_`, `/`, `.`, one space between: bounded, so a
 * long line of prose costs no more than its length) then `:`, `=` or a space, and
 * a number: `Train Loss: 2.37`, `val_loss=0.61`, `Epoch 3/80`, `Epoch [1/10]`, `iter 120`, and a
 * quoted name as a printed Python dict has it (HuggingFace's Trainer prints `{'loss': 0.69, 'epoch':
 * 0.04}`, bench log 272), and its value quoted as TRL's SFTTrainer prints it (`{'loss': '2.897', 'epoch':
 * '0.0358'}`, bench log 310). A number
 * that runs into a unit (`20ms`, `12%`) or a version (`1.2.3`) is not a value; one that ends a
 * sentence is (`Training Epoch: 2, Loss: 0.192.`, a logging message written as prose, sweep s17);
 * names outside the alias table are dropped. A name may be Chinese, run together with no spaces and
 * followed by a full-width colon (`损失：0.6965`, held-out log 573; chinese-key-words.ts).
 */
const PAIR =
  /([A-Za-z\p{sc=Han}][\w/.\p{sc=Han}]*(?: [A-Za-z\p{sc=Han}][\w/.\p{sc=Han}]*){0,3})['"]?(?:\s*[:=：＝]\s*|\s+)[#['"]?\s*([-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?|nan|[-+]?inf(?:inity)?)(?![\w%]|\.\S)/giu;
/**
 * A word naming the phase a line's values are of, printed apart from their names (`val --- Current
 * batch:200/400 loss:[0.52]`, `[eval] loss 0.3`). Not a script's file name (`train.py:45`, `eval.py`).
 */
const PHASE_WORD = /\b(?:train|training|val|valid|validation|eval|test)\b(?!\.\w)/gi;
/**
 * Keras' progress bar between two updates of an epoch (`12/100 [==>...] - ETA: 3s - loss: 0.71`):
 * its ETA follows the bar. Not an ETA that is one more pair of a line, as YOLOX ends each of its
 * iteration lines (`total_loss: 10.7, ..., lr: 7.073e-06, size: 640, ETA: 1:54:27`, bench log 429).
 */
const PROGRESS_UPDATE = /\] - ETA:/;
/** HuggingFace's closing summary (`{'train_runtime': ..., 'train_loss': 0.69}`): the run's mean loss, not a step's (as trainer-state.ts). */
const TRAINER_SUMMARY = new RegExp(`['"]${SUMMARY_KEY}['"]`);
/**
 * Lines of the head (read-log.ts' sample, all of its lines) that must print a loss for the file to
 * be read as a printed log (one, in a file of one line): a single "loss: ..." in prose is not a log.
 * The whole head, not its first lines: Python `logging` files open with the run's settings, its
 * dataset and its model, 80 lines before the first epoch in bench log 231, and mmcv prints its
 * whole config first.
 */
const SNIFF_LOSS_LINES = 2;
const EXAMPLE = 'Epoch 3/80  Train Loss: 2.371  Val Loss: 2.194';

export const printedLogReader: LogReader = {
  format: 'printed',
  sniff: ({ text }) => !isJsonDocument(text) && printsLossLines(text.split(/\r\n|\r|\n/)),
  read: (file, shown) => readPrintedLines(logLines(file), shown),
};

/** Whether enough of the lines (a sample's) print a loss for them to be read as a printed log. */
export function printsLossLines(lines: readonly string[]): boolean {
  const withLoss = lines.filter((line) => !PROGRESS_UPDATE.test(line) && printsLoss(printedPairs(line).pairs)).length;
  const printed = lines.filter((line) => line.trim() !== '').length;
  return withLoss > 0 && withLoss >= Math.min(SNIFF_LOSS_LINES, printed);
}

/**
 * Whether the text is one JSON object or array: a JSON reader reads it, or nothing does. Its one key
 * per line is no printed line of a log (sweep s18: a run's closing metrics, `{"training_metrics":
 * {"train_loss_mel": 0.56, ...}, "step": 100}`, pretty-printed).
 */
function isJsonDocument(text: string): boolean {
  if (!/^\s*[[{]/.test(text)) return false;
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/**
 * A loss line as read: its pairs with the step they are at; `perBatch`: it prints no epoch or step
 * and none was printed before it, or it prints both (a step within the epoch).
 */
interface PrintedRecord {
  record: Record<string, number>;
  line: number;
  perBatch: boolean;
}

/** What printedRecords read; `carriedOver`: the validation values a bar stopped short left out (progress-bar.ts). */
interface PrintedRecords {
  records: PrintedRecord[];
  epochSummaries: boolean;
  writerNotes: Set<string>;
  carriedOver: Set<string>;
}

/** The rows of printed lines; `readAs`: how they were taken from the file, for the notes (logging-records.ts). */
export async function readPrintedLines(
  lines: AsyncIterable<LogLine[]>,
  shown: string,
  readAs?: string,
): Promise<ReadLogResult> {
  const { records, epochSummaries, writerNotes, carriedOver } = await printedRecords(lines);
  const objects = new ObjectRows();
  let perBatch = 0;
  for (const { record, line, perBatch: batchLine } of records) {
    // The epoch's summary is its record: the batch lines' losses are noise around it, and their own counters restart each epoch.
    if (batchLine && epochSummaries) {
      perBatch++;
      continue;
    }
    objects.row(record, `${shown}:${line}`, line);
  }
  if (objects.rows.length === 0 && carriedOver.size > 0)
    throw new DataError(
      `${shown}: no line prints a loss of its own epoch: its progress bar stops short of its total and shows only ${[...carriedOver].join(', ')} unchanged since its first refresh, the epoch before's values, which the bar keeps until the epoch's validation logs them again.`,
    );
  if (objects.rows.length === 0)
    throw new DataError(`${shown}: no line prints a loss. Expected lines such as "${EXAMPLE}".`);
  const result = objects.result();
  const notes = [
    ...(readAs === undefined ? [] : [readAs]),
    ...writerNotes,
    ...(perBatch === 0
      ? []
      : [
          `${perBatch} per-batch loss lines (no epoch or step of their own, or a step within the epoch) not read: each epoch's summary line is`,
        ]),
  ];
  return notes.length === 0 ? result : { ...result, notes: [...notes, ...result.notes] };
}

/**
 * The loss lines, whether any of them is an epoch's summary (prints its epoch and a loss), and the
 * notes of the known writers' lines among them (writer-lines.ts).
 */
async function printedRecords(lines: AsyncIterable<LogLine[]>): Promise<PrintedRecords> {
  const records: PrintedRecord[] = [];
  const writerNotes = new Set<string>();
  const carriedOver = new Set<string>();
  let counter: Record<string, number> | undefined;
  let epochSummaries = false;
  const lastEpoch = new LastEpoch();
  const read = new Map<string, Record<string, number>>();
  let bar: EpochBar | undefined;
  // A line of the bar's own epoch (a refresh, or a checkpoint message between refreshes) leaves it open.
  const endBarUnlessOf = (own: Record<string, number> | undefined) => {
    if (bar === undefined || (own !== undefined && sameCounter(bar.counter, own))) return;
    records.push({ record: bar.record(), line: bar.lastLine, perBatch: false });
    for (const name of bar.carriedOver()) carriedOver.add(name);
    for (const name of bar.averaged())
      writerNotes.add(
        `"${name}" as a progress bar shows it (the last batch's) read as each epoch's mean over its batches`,
      );
    bar = undefined;
  };
  for await (const batch of lines)
    for (const { line, text } of batch) {
      if (PROGRESS_UPDATE.test(text) || TRAINER_SUMMARY.test(text)) continue;
      const { pairs, note } = printedPairs(text);
      const { values, own, both } = counterApart(pairs);
      if (!printsLoss(values) && !(own !== undefined && printsHeldOutScore(values))) {
        if (own !== undefined) counter = own;
        continue;
      }
      const batchCount = own === undefined ? undefined : barBatch(text);
      if (batchCount !== undefined) {
        endBarUnlessOf(own);
        bar ??= new EpochBar(own!);
        bar.see(batchCount, values, line);
        epochSummaries = true;
        continue;
      }
      endBarUnlessOf(own);
      if (restates(read, own, values)) continue;
      if (note !== undefined) writerNotes.add(note);
      if (own !== undefined && Object.keys(own).some((name) => keyMeaning(name)?.quantity === 'epoch'))
        lastEpoch.summary(own);
      epochSummaries ||= lastEpoch.counter !== undefined;
      const evaluation = both && lastEpoch.counter !== undefined ? evaluationEpoch(pairs, values) : undefined;
      const step = own ?? evaluation ?? (both ? undefined : counter) ?? epochInProgress(values, lastEpoch, text);
      const perBatch = step === undefined || (both && evaluation === undefined);
      records.push({ record: { ...(step ?? { step: records.length + 1 }), ...values }, line, perBatch });
    }
  endBarUnlessOf(undefined);
  return { records, epochSummaries, writerNotes, carriedOver };
}

function sameCounter(a: Record<string, number>, b: Record<string, number>): boolean {
  const [[name, count]] = Object.entries(a) as [[string, number]];
  return b[name] === count;
}

/**
 * Whether the line restates an epoch (or step) already read, with the losses it had: a checkpoint
 * saved or loaded (`Loaded best_model.pth (epoch=20, val_loss=1.0521)`, bench log 231, printed when
 * a run resumes and when it ends), not a new record. Read as one, it is a step back, a segment of
 * its own, and the last segment judged. A resumed run that trains that epoch again prints other
 * losses, and is read. Names are compared as normalized (`ValLoss` is `val_loss`). `read` keeps
 * each counter's losses, and this line's when it is new.
 */
function restates(
  read: Map<string, Record<string, number>>,
  own: Record<string, number> | undefined,
  values: Record<string, number>,
): boolean {
  if (own === undefined) return false;
  const [[name, count]] = Object.entries(own) as [[string, number]];
  const at = `${keyMeaning(name)?.quantity} ${count}`;
  const losses = Object.entries(values).filter(([key]) => keyMeaning(key)?.quantity === 'loss');
  const earlier = read.get(at);
  if (
    earlier !== undefined &&
    losses.length > 0 &&
    losses.every(([key, value]) => earlier[normalizedKey(key)] === value)
  )
    return true;
  read.set(at, { ...earlier, ...Object.fromEntries(losses.map(([key, value]) => [normalizedKey(key), value])) });
  return false;
}

/**
 * The epoch of a line that prints its epoch and its step and only held-out losses, in a log of epoch
 * summaries: an evaluation run at that point of the epoch, not a batch's loss. Joey NMT validates
 * every `validation_freq` steps, mid-epoch, and prints `Validation result (greedy) at epoch  26, step
 * 4000: ..., loss: 38782.66, ppl: 22.96` between its `Epoch  26 Step: 4000 Batch Loss: ...` batch
 * lines and its `Epoch  26: total training loss 27.28` summary (bench log 633). Read at its epoch, as
 * the summaries are; a line with any training loss stays a batch's.
 */
function evaluationEpoch(pairs: Record<string, number>, values: Record<string, number>) {
  const losses = Object.keys(values).filter((name) => keyMeaning(name)?.quantity === 'loss');
  if (losses.some((name) => keyMeaning(name)!.split === 'train')) return undefined;
  const epoch = Object.keys(pairs).find((name) => keyMeaning(name)?.quantity === 'epoch');
  return epoch === undefined ? undefined : { [keyMeaning(epoch)!.split === 'train' ? epoch : 'epoch']: pairs[epoch]! };
}

/** The epoch a line with no counter of its own is at after an epoch's summary: a diverged batch's, or an evaluation's. */
function epochInProgress(values: Record<string, number>, lastEpoch: LastEpoch, text: string) {
  return divergedBatch(values, lastEpoch.counter) ?? lastEpoch.heldOut(values, text);
}

/**
 * A batch line whose loss is nan or inf is the run diverging, not noise around the epoch's mean: it
 * is read, at the epoch in progress (the one after the last summary), so that a run that stopped
 * mid-epoch is judged on it; a summary of that epoch printed later replaces it.
 */
function divergedBatch(values: Record<string, number>, lastEpoch: Record<string, number> | undefined) {
  const diverged = Object.entries(values).some(
    ([name, value]) => !Number.isFinite(value) && keyMeaning(name)?.quantity === 'loss',
  );
  if (!diverged || lastEpoch === undefined) return undefined;
  return Object.fromEntries(Object.entries(lastEpoch).map(([name, epoch]) => [name, epoch + 1]));
}

/**
 * The line's `name: number` pairs. A phase word printed before bare names (`val --- loss: 0.52`,
 * `Test set: Average loss: 0.21`, `train: loss 0.5 | val: loss 0.6`) is their split: a loss or an
 * accuracy after `val`, `valid`, `validation`, `eval` or `test` is a held-out value, never a
 * training one. Names that say their split (`train_loss`, `Val Loss`) keep it.
 */
function printedPairs(line: string): WriterLine {
  const written = writerLine(line);
  if (written !== null) return written;
  const pairs: Record<string, number> = {};
  let phase: string | undefined;
  let end = 0;
  for (const match of line.matchAll(PAIR)) {
    phase = lastPhaseWord(line.slice(end, match.index)) ?? phase;
    end = match.index + match[0].length;
    pairs[phased(counterAt(match[1]!), phase)] = printedNumber(match[2]!);
    // A split named inside a name (`Valid acc: 0.84 | loss: 9.4`) holds for the bare names after it.
    phase = lastPhaseWord(match[1]!) ?? phase;
  }
  return { pairs: bareSplitLosses(pairs) };
}

/**
 * A counter named after `at`, the point a line's values are of (`Validation result (greedy) at epoch
 * 26, step 4000`, Joey NMT; `Evaluation at step 500`), is that counter: `epoch`, `step`.
 */
function counterAt(name: string): string {
  const counter = /(?:^|\s)at\s+(\S+)$/i.exec(name)?.[1];
  const quantity = counter === undefined ? undefined : keyMeaning(counter)?.quantity;
  return quantity === 'epoch' || quantity === 'step' ? counter! : name;
}

function lastPhaseWord(text: string): string | undefined {
  return [...text.matchAll(PHASE_WORD)].at(-1)?.[0];
}

function phased(name: string, phase: string | undefined): string {
  if (phase === undefined || phaseSplit(phase) === 'train' || namesSplit(name)) return name;
  const quantity = keyMeaning(name)?.quantity;
  return quantity === 'loss' || quantity === 'accuracy' || quantity === 'score' ? `${phase} ${name}` : name;
}

function printsLoss(pairs: Record<string, number>): boolean {
  return Object.keys(pairs).some((name) => keyMeaning(name)?.quantity === 'loss');
}

/**
 * A held-out score (log-keys.ts HELD_OUT_SCORES) on a line of its own: the validation line of a
 * run that evaluates a score and no loss (`VAL step 4000: PSNR 27.52  SSIM 0.743`, bench log 568).
 * Read only on a line that prints its step or epoch, which places it.
 */
function printsHeldOutScore(pairs: Record<string, number>): boolean {
  return Object.keys(pairs).some((name) => {
    const meaning = keyMeaning(name);
    return meaning?.quantity === 'score' && meaning.split !== 'train';
  });
}

interface CounterApart {
  /** The pairs without their epoch and step. */
  values: Record<string, number>;
  /** The epoch or the step the line prints, when it prints one of them. */
  own?: Record<string, number>;
  /** It prints both: neither is the step. */
  both: boolean;
}

/**
 * A counter printed with a phase word (`**** EVAL EPOCH 000 START****`, charlesq34/pointnet's
 * `log_train.txt`) counts the same epochs as the training's (`**** EPOCH 001 ****`): it is kept under
 * its quantity's name, so the evaluation's losses are at that epoch, not at a counter of their own
 * that no step column reads (sweep s18).
 */
function counterApart(pairs: Record<string, number>): CounterApart {
  const counts = (name: string) => ['epoch', 'step'].includes(keyMeaning(name)?.quantity ?? '');
  const counters = Object.keys(pairs).filter(counts);
  const values = Object.fromEntries(Object.entries(pairs).filter(([name]) => !counts(name)));
  if (counters.length !== 1) return { values, both: counters.length > 1 };
  const [name] = counters as [string];
  const meaning = keyMeaning(name)!;
  return { values, own: { [meaning.split === 'train' ? name : meaning.quantity]: pairs[name]! }, both: false };
}
