/**
 * A long ("tidy") CSV log: one row per value, in exactly four columns, a step or epoch, a split, a
 * metric's name and its value (`epoch,split,metric,value` then `3,val,loss,0.79`; bench log 281).
 * Each step's rows are pivoted into one record, `<split>_<metric>` (`val_loss`), read through the
 * alias table as a JSON Lines record is, so the split values must name one (train, val, valid,
 * validation, eval, test).
 */
import { DataError } from '../errors.js';
import { csvCells } from './csv-line.js';
import { headerOf } from './csv-log.js';
import { ObjectRows } from './jsonl-log.js';
import { keyMeaning, normalizedKey, phaseSplit } from './log-keys.js';
import { logLines } from './log-lines.js';
import type { LogReader, ReadLogResult } from './log-reader.js';

const SPLIT_NAMES = new Set(['split', 'phase', 'stage', 'mode', 'subset']);
const METRIC_NAMES = new Set(['metric', 'name', 'key', 'tag']);
const VALUE_NAMES = new Set(['value', 'val', 'score']);

interface LongColumns {
  step: number;
  split: number;
  metric: number;
  value: number;
}

/** The four columns' places, when the header is exactly that shape. */
function longColumns(header: readonly string[]): LongColumns | undefined {
  if (header.length !== 4) return undefined;
  const keys = header.map(normalizedKey);
  const find = (names: ReadonlySet<string>) => keys.findIndex((key) => names.has(key));
  const step = keys.findIndex((key) => ['step', 'epoch'].includes(keyMeaning(key)?.quantity ?? ''));
  const columns = { step, split: find(SPLIT_NAMES), metric: find(METRIC_NAMES), value: find(VALUE_NAMES) };
  return new Set(Object.values(columns)).size === 4 && !Object.values(columns).includes(-1) ? columns : undefined;
}

export const longCsvReader: LogReader = {
  format: 'history-csv',
  sniff: (sample) => longColumns(headerOf(sample)) !== undefined,
  read: readLongCsv,
};

async function readLongCsv(file: string, shown: string): Promise<ReadLogResult> {
  let header: string[] | undefined;
  let columns: LongColumns | undefined;
  const objects = new ObjectRows();
  let record: { line: number; values: Record<string, string> } | undefined;
  const flush = () => {
    if (record !== undefined) objects.row(record.values, `${shown}:${record.line}`, record.line);
  };
  for await (const batch of logLines(file))
    for (const { line, text } of batch) {
      const cells = csvCells(text);
      if (header === undefined) {
        [header, columns] = [cells, longColumns(cells)!];
        continue;
      }
      const [step, name] = [cells[columns!.step] ?? '', longName(cells, columns!, `${shown}:${line}`)];
      if (record?.values[header[columns!.step]!] !== step) {
        flush();
        record = { line, values: { [header[columns!.step]!]: step } };
      }
      record.values[name] = cells[columns!.value] ?? '';
    }
  flush();
  if (objects.rows.length === 0)
    throw new DataError(`${shown}: no row holds a loss (a metric named "loss" or "val_loss").`);
  const result = objects.result();
  return { ...result, notes: ['a long table (one row per value) read as one record per step', ...result.notes] };
}

/** The pivoted name of a row's value: its split and its metric (`val` and `loss` are `val_loss`). */
function longName(cells: readonly string[], columns: LongColumns, where: string): string {
  if (cells.length !== 4) throw new DataError(`${where}: row has ${cells.length} fields but the header has 4.`);
  const split = cells[columns.split]!;
  if (phaseSplit(split) === undefined)
    throw new DataError(
      `${where}: split is ${JSON.stringify(split)}; expected train, val, valid, validation, eval or test.`,
    );
  return `${split}_${cells[columns.metric]}`;
}
