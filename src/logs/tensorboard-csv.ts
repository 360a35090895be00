/**
 * TensorBoard's "download CSV" of one scalar: `Wall time,Step,Value`. One file holds one scalar, and
 * convdoc reads it as the training loss; the validation loss is another file (another run folder),
 * which analyze does not look for: pass the training loss's export.
 */
import { DataError } from '../errors.js';
import { checkRowLengths, type CsvRecord } from './csv-records.js';
import { logNumber, logStep, type LogRow } from './log-row.js';

const TENSORBOARD_HEADER = ['Wall time', 'Step', 'Value'] as const;

export function isTensorBoardHeader(header: readonly string[]): boolean {
  return (
    header.length === TENSORBOARD_HEADER.length && TENSORBOARD_HEADER.every((name, index) => header[index] === name)
  );
}

export function tensorBoardRows(file: string, header: CsvRecord, records: readonly CsvRecord[]): LogRow[] {
  checkRowLengths(file, header, records);
  return records.map(({ line, cells: [wallTime, step, value] }) => {
    const where = `${file}:${line}`;
    const loss = logNumber(value, where, 'Value');
    if (loss === undefined)
      throw new DataError(
        `${where}: Value is empty. Every row of a TensorBoard export needs a value (nan and inf are allowed).`,
      );
    return {
      line,
      step: logStep(step, where, 'Step'),
      loss,
      wallTime: logNumber(wallTime, where, 'Wall time'),
      variableGradNorms: {},
      updateRatios: {},
    };
  });
}
