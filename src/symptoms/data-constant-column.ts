import { agree, formatNumber, plural } from '../util/format.js';
import type { DataCheckInput } from './data-input.js';
import { defineDetector, type Detection } from './finding.js';

/**
 * A column whose finite values are all equal (std exactly 0) carries no information. Exact zero,
 * not a small tolerance: a nearly constant column is a scaling question for unscaled-inputs. A
 * constant feature never stops training: convdoc's normalization, scikit-learn's StandardScaler
 * (`_handle_zeros_in_scale`) and Keras' Normalization layer (a floor on the variance) all leave a
 * zero spread unscaled instead of dividing by it, so it is a warning; only a hand-written
 * `(x - mean) / std` turns it into NaN.
 */
export const CONSTANT_STD = 0;

type Column = DataCheckInput['data']['featureStats'][number];
const isConstant = (column: Column) => column.count > 1 && column.std === CONSTANT_STD;
const describe = (columns: readonly Column[]) =>
  columns.map((column) => `${column.name} (always ${formatNumber(column.min)})`).join(', ');

export const dataConstantColumn = defineDetector({
  id: 'data-constant-column',
  description:
    'A feature or target with the same value in every row: no information (and a division by zero in a hand-written standardization).',
  fixes: [],
  needs: ['data'],
  remedy: 'Leave constant features out with data.features; point data.target at a column that varies.',
  detect({ data }: DataCheckInput) {
    return [...constantFeatures(data), ...constantTarget(data)];
  },
});

function constantFeatures(data: DataCheckInput['data']): Detection[] {
  const constant = data.featureStats.filter(isConstant);
  if (constant.length === 0) return [];
  const scaled = data.normalize !== 'none';
  const division = scaled
    ? ` data.normalize: ${data.normalize} leaves ${agree(constant.length, 'it', 'them')} unscaled; a hand-written (x - mean) / std would divide by zero.`
    : '';
  return [
    {
      severity: 'warning',
      confidence: 0.99,
      columns: constant.map((column) => column.name),
      evidence: {
        measured: constant.length,
        threshold: CONSTANT_STD,
        what: 'feature columns with zero standard deviation',
      },
      message:
        `${plural(constant.length, 'feature')} never ${agree(constant.length, 'changes', 'change')}: ` +
        `${describe(constant)}.${division}`,
      advice: 'Leave constant features out with data.features; they cannot help the model.',
    },
  ];
}

/**
 * The whole target constant means nothing to learn. In a target of several columns, one constant
 * column is a class (or output) that never varies: worth a warning, not a verdict on the run.
 */
function constantTarget(data: DataCheckInput['data']): Detection[] {
  const singleLabel = data.textLabels && data.classes?.length === 1;
  const constant = data.targetStats.filter(isConstant);
  if (!singleLabel && constant.length === 0) return [];
  const whole = singleLabel || constant.length === data.targetStats.length;
  const described = singleLabel
    ? `${data.targetStats[0]!.name} (always ${data.classes![0]!.label})`
    : describe(constant);
  return [
    {
      severity: whole ? 'critical' : 'warning',
      confidence: 0.99,
      columns: singleLabel ? [data.targetStats[0]!.name] : constant.map((column) => column.name),
      evidence: {
        measured: singleLabel ? 1 : constant.length,
        threshold: CONSTANT_STD,
        what: 'target columns that never change',
      },
      message: whole
        ? `The target never changes: ${described}. There is nothing to learn.`
        : `${plural(constant.length, 'target column')} of ${data.targetStats.length} never ` +
          `${agree(constant.length, 'changes', 'change')}: ${described}. ` +
          'That class or output is never seen varying.',
      advice: whole
        ? 'Check data.target names the column you mean to predict, and that the file holds more than one outcome.'
        : 'Drop the constant target column, or add rows where it varies.',
    },
  ];
}
