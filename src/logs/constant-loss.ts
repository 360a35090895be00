/**
 * A loss column that holds one value on every line is not read when another loss column varies
 * (keysByRank's last rule, log-keys.ts). A run logs its switched-off terms as they are: bench log 267
 * writes `vicreg_loss` as 0.0 on each of its 200 lines, its VICReg term unused. Read as the loss,
 * such a column is a flawless plateau of a run that learned. Only a part of the objective is
 * passed over (isLossPart): a plain `loss` or a `total_loss` that never moves is the run's own
 * plateau, and the report says so.
 */
import { parseNumber, type Cell } from '../data/cell.js';
import { isLossPart } from './log-keys.js';
import { formatNumber } from '../util/format.js';

/** The finite values seen in each loss column: the first, and whether another differed from it. */
export class LossVariation {
  private readonly first = new Map<string, number>();
  private readonly varying = new Set<string>();

  /** Whether a loss column is worth watching: a part of the objective with another loss column beside it. */
  static watches(loss: string | undefined, alternatives: readonly string[]): boolean {
    return loss !== undefined && alternatives.length > 0 && isLossPart(loss);
  }

  /** A CSV cell or a JSON value; anything that is not a finite number (a list, text, NaN) is passed over. */
  see(name: string, cell: unknown): void {
    if (this.varying.has(name)) return;
    const value = typeof cell === 'object' && cell !== null ? undefined : parseNumber(cell as Cell);
    if (value === undefined || !Number.isFinite(value)) return;
    const first = this.first.get(name);
    if (first === undefined) this.first.set(name, value);
    else if (first !== value) this.varying.add(name);
  }

  /**
   * The column to read instead of `losses` (the loss columns read), when each is constant, and the
   * note that says so; undefined when a loss read varies or no other one does.
   */
  instead(losses: readonly string[], alternatives: readonly string[]): { loss: string; note: string } | undefined {
    const constant = losses.filter((name) => this.first.has(name) && !this.varying.has(name));
    if (losses.length === 0 || constant.length < losses.length) return undefined;
    const loss = alternatives.find((name) => this.varying.has(name));
    if (loss === undefined) return undefined;
    const held = constant.map((name) => `"${name}" holds ${formatNumber(this.first.get(name)!)} on every line`);
    return { loss, note: `${held.join(', ')}: "${loss}", which varies, read as the training loss` };
  }
}
