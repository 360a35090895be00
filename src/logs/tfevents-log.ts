/**
 * TensorBoard event files (`events.out.tfevents.*`), as tf.summary, Keras' TensorBoard callback,
 * PyTorch's SummaryWriter and Lightning's TensorBoardLogger write them: TFRecords (tfrecord.ts) of
 * `Event` protobufs (tensorboard-event.ts). A run folder holds one file per writer: Keras writes
 * `train/` and `validation/` subfolders, and a resumed run adds a file next to the first. Files of
 * one folder are read in name order (the name starts with the time the writer opened it), one
 * after another; folders are merged by wall time, so each epoch's training and validation values
 * meet in one row.
 */
import { readFile } from 'node:fs/promises';
import { DataError } from '../errors.js';
import { errorCode } from '../util/error-code.js';
import { displayPath } from '../util/paths.js';
import { eachEventScalar, type EventScalar } from './tensorboard-event.js';
import { keyMeaning } from './log-keys.js';
import { chooseTags, scalarRows, tagName, type NamedScalar } from './tfevents-tags.js';
import { eachTfRecord, startsWithTfRecord } from './tfrecord.js';
import type { LogReader, ReadLogResult, ReadOptions, RunFile } from './log-reader.js';

const EVENT_FILE = /^events\.out\.tfevents\./;

export const tfEventsReader: LogReader = {
  format: 'tensorboard-events',
  findIn: EVENT_FILE,
  // By content; a file named as an event file is read too, so that damage is reported at its byte.
  sniff: ({ name, head }) => startsWithTfRecord(head) || EVENT_FILE.test(name),
  takesTag: true,
  read: (file, shown, options) => readRun([{ file, run: '' }], shown, options),
  readRun,
};

async function readRun(files: readonly RunFile[], shown: string, options: ReadOptions): Promise<ReadLogResult> {
  const notes: string[] = [];
  const byRun = new Map<string, NamedScalar[]>();
  // Only a tag the alias table reads (or --tag names) can be chosen: other tags' values are not kept.
  const names = memoized((run, tag) => {
    const name = tagName(run, tag);
    return { name, kept: name === options.tag || keyMeaning(name) !== null };
  });
  const tags = new Set<string>();
  let record = 0;
  for (const { file, run } of files) {
    const fileShown = displayPath(file);
    const scalars = byRun.get(run) ?? [];
    byRun.set(run, scalars);
    const visit = ({ tag, step, wallTime, value }: EventScalar) => {
      const { name, kept } = names(run, tag);
      tags.add(name);
      if (kept) scalars.push({ name, record, step, wallTime, value });
    };
    const truncatedAt = eachTfRecord(await bytesOf(file, fileShown), fileShown, (data, offset) => {
      record += 1;
      eachEventScalar(data, fileShown, offset, visit);
    });
    if (truncatedAt !== null)
      notes.push(
        `${fileShown}: the last record, at byte ${truncatedAt}, is incomplete (still being written): read up to it`,
      );
  }
  if (files.length > 1)
    notes.unshift(`read ${files.length} event files: ${files.map(({ file }) => displayPath(file)).join(', ')}`);
  const choice = chooseTags([...tags], shown, options.tag);
  const rows = scalarRows(mergeByWallTime([...byRun.values()]), choice.fields);
  return { rows, byEpoch: choice.byEpoch, notes: [...notes, ...choice.notes] };
}

/** A run logs a handful of tags a million times: each is named once. */
function memoized<T>(name: (run: string, tag: string) => T): (run: string, tag: string) => T {
  const known = new Map<string, T>();
  return (run, tag) => {
    const key = `${run}\u0000${tag}`;
    let named = known.get(key);
    if (named === undefined) known.set(key, (named = name(run, tag)));
    return named;
  };
}

async function bytesOf(file: string, shown: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (error) {
    throw new DataError(`${shown}: cannot read the event file (${errorCode(error)}). Check the path.`);
  }
}

/** The runs' scalars in wall-time order, each run's own order kept (a stable merge). */
function mergeByWallTime(runs: readonly NamedScalar[][]): NamedScalar[] {
  if (runs.length === 1) return runs[0]!;
  const merged: NamedScalar[] = [];
  const next = runs.map(() => 0);
  for (;;) {
    let best = -1;
    for (const [index, run] of runs.entries()) {
      const candidate = run[next[index]!];
      if (candidate !== undefined && (best < 0 || candidate.wallTime < runs[best]![next[best]!]!.wallTime))
        best = index;
    }
    if (best < 0) return merged;
    merged.push(runs[best]![next[best]!]!);
    next[best]! += 1;
  }
}
