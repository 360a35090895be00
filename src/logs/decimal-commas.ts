/**
 * Decimal commas in a `;`-delimited CSV log: a log saved again by a spreadsheet set to a European
 * locale, or by pandas `to_csv(sep=';', decimal=',')`, writes `0,0001` for 0.0001 (bench log 395).
 * Only a `;` log is read so (with `,` between cells a decimal comma cannot be told from a
 * delimiter), and only when its numbers use one decimal mark: a log that writes `0,5` on one line
 * and `0.5` on another is not one locale's output, and reading either as the other would guess.
 */
import { DataError } from '../errors.js';

/** A number written with a decimal comma: digits, a comma, digits, an optional exponent. */
const DECIMAL_COMMA = /^[-+]?\d+,\d+(?:[eE][-+]?\d+)?$/;
/** A number written with a decimal point. */
const DECIMAL_POINT = /^[-+]?(?:\d+\.\d*|\.\d+)(?:[eE][-+]?\d+)?$/;

export class DecimalCommas {
  /** The line of the first cell seen with each mark, to name both when a log mixes them. */
  private commaLine: string | undefined;
  private pointLine: string | undefined;

  /** A row's cells with decimal commas as points; throws at the first row that mixes the marks with earlier rows. */
  read(cells: string[], where: string): string[] {
    let changed: string[] | undefined;
    cells.forEach((cell, index) => {
      if (DECIMAL_COMMA.test(cell)) {
        this.commaLine ??= where;
        changed ??= [...cells];
        changed[index] = cell.replace(',', '.');
      } else if (DECIMAL_POINT.test(cell)) this.pointLine ??= where;
    });
    if (this.commaLine !== undefined && this.pointLine !== undefined)
      throw new DataError(
        `${where}: numbers written with a decimal comma (${this.commaLine}) and with a decimal point (${this.pointLine}) in one ;-delimited log; expected one decimal mark throughout.`,
      );
    return changed ?? cells;
  }

  /** The note that numbers were read with a decimal comma, once the file is read. */
  notes(): string[] {
    return this.commaLine === undefined
      ? []
      : [`numbers written with a decimal comma (from ${this.commaLine}, cells separated by ";") read as decimals`];
  }
}
