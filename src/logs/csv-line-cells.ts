/**
 * A CSV log's lines as cells: split on the delimiter its header shows (csv-line.ts), decimal commas
 * of a `;` log read as points (decimal-commas.ts).
 */
import { csvCells, csvDelimiter, type CsvDelimiter } from './csv-line.js';
import { DecimalCommas } from './decimal-commas.js';

export class CsvLineCells {
  private delimiter: CsvDelimiter = ',';
  private readonly decimalCommas = new DecimalCommas();

  /** The header's cells; its delimiter is the file's. */
  header(text: string): string[] {
    this.delimiter = csvDelimiter(text);
    return csvCells(text, this.delimiter);
  }

  /** A row's cells (`where`: its file and line, for the error on mixed decimal marks). */
  row(text: string, where: string): string[] {
    const cells = csvCells(text, this.delimiter);
    return this.delimiter === ';' ? this.decimalCommas.read(cells, where) : cells;
  }

  /** The notes on how the cells were read, once the file is read. */
  notes(): string[] {
    return this.decimalCommas.notes();
  }
}
