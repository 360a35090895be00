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
import { eachEventScalar } from './tensorboard-event.js';
import { keyMeaning } from './log-keys.js';
import { mergeByWallTime, ScalarColumns } from './scalar-columns.js';
import { chooseTags, judgedRows, runOfTags, tagName } from './tfevents-tags.js';
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
  const byRun = new Map<string, ScalarColumns>();
  const rawTags = new Map<string, Set<string>>();
  let record = 0;
  for (const { file, run } of files) {
    const fileShown = displayPath(file);
    const scalars = byRun.get(run) ?? new ScalarColumns();
    byRun.set(run, scalars);
    const raw = rawTags.get(run) ?? new Set<string>();
    rawTags.set(run, raw);
    const named = tagNamer(run, options.tag, raw);
    const visit = (tag: string, step: number, wallTime: number, value: number) => {
      const { name, kept } = named(tag);
      if (kept) scalars.push(name, record, step, wallTime, value);
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
  const tags = new Set<string>();
  for (const [run, scalars] of byRun) renameRun(run, scalars, rawTags.get(run)!, tags);
  const choice = chooseTags([...tags], shown, options.tag);
  const judged = judgedRows(mergeByWallTime([...byRun.values()]), choice);
  const lossTag = [...choice.fields].find(([, field]) => field === 'loss')?.[0];
  return {
    rows: judged.rows,
    byEpoch: judged.byEpoch,
    epochMeans: judged.epochMeans,
    notes: [...notes, ...judged.notes],
    ...(lossTag === undefined ? {} : { lossColumn: lossTag }),
  };
}

/**
 * Names a run's scalars by the run its tags say they were written to (tfevents-tags.ts' runOfTags:
 * Keras' validation writer read outside its folder), and adds the names to `tags`.
 */
function renameRun(run: string, scalars: ScalarColumns, raw: ReadonlySet<string>, tags: Set<string>): void {
  const writtenTo = runOfTags(run, raw);
  const names = new Map([...raw].map((tag) => [tagName(run, tag), tagName(writtenTo, tag)]));
  for (const name of names.values()) tags.add(name);
  if (writtenTo === run) return;
  for (let index = 0; index < scalars.length; index++) scalars.names[index] = names.get(scalars.names[index]!)!;
}

/**
 * A run logs a handful of tags a million times: each is named once, and added to `raw` then. Only
 * a tag the alias table reads (or --tag names) can be chosen: other tags' values are not kept.
 */
function tagNamer(
  run: string,
  chosen: string | undefined,
  raw: Set<string>,
): (tag: string) => { name: string; kept: boolean } {
  const known = new Map<string, { name: string; kept: boolean }>();
  return (tag) => {
    let named = known.get(tag);
    if (named === undefined) {
      const name = tagName(run, tag);
      raw.add(tag);
      known.set(tag, (named = { name, kept: name === chosen || keyMeaning(name) !== null }));
    }
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
