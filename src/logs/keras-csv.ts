/**
 * Keras' CSVLogger: a header `epoch,loss,...` with one column per logged key (`val_loss`, `lr` or
 * `learning_rate`, metrics such as `accuracy`), one row per epoch. Epochs become steps; columns
 * convdoc does not judge (metrics) are not read.
 */
import { DataError } from '../errors.js';
import { checkRowLengths, type CsvRecord } from './csv-records.js';
import { LEARNING_RATE_NAMES, logNumber, logStep, STEP_NAMES, type LogRow } from './log-row.js';

/** Whether a CSV header is a Keras-style log: a step or epoch column and a loss column. */
export function isKerasHeader(header: readonly string[]): boolean {
  return header.includes('loss') && STEP_NAMES.some((name) => header.includes(name));
}

export function kerasRows(file: string, headerRecord: CsvRecord, records: readonly CsvRecord[]): LogRow[] {
  checkRowLengths(file, headerRecord, records);
  const header = headerRecord.cells;
  const column = (names: readonly string[]) => header.findIndex((name) => names.includes(name));
  const stepColumn = column(STEP_NAMES);
  const lossColumn = header.indexOf('loss');
  const valLossColumn = header.indexOf('val_loss');
  const rateColumn = column(LEARNING_RATE_NAMES);
  return records.map(({ line, cells }) => {
    const where = `${file}:${line}`;
    const read = (index: number) => (index < 0 ? undefined : logNumber(cells[index], where, header[index]!));
    const loss = read(lossColumn);
    if (loss === undefined)
      throw new DataError(
        `${where}: the loss is empty. Every row of a Keras log needs a loss (nan and inf are allowed).`,
      );
    return {
      line,
      step: logStep(cells[stepColumn], where, header[stepColumn]!),
      loss,
      valLoss: read(valLossColumn),
      learningRate: read(rateColumn),
      variableGradNorms: {},
      updateRatios: {},
    };
  });
}
