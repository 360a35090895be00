/**
 * Whether a log's column names say its run is a regression, so that an `accuracy` column beside them
 * is not a classifier's. Keras resolves the metric string `accuracy` by the loss and the output's
 * shape: with an MSE loss and one output unit it is `binary_accuracy`, the share of predictions that
 * round to the target, which on continuous targets measures nothing (log 83 of bench/logs: 0.18 on
 * a regression whose MAE fell from 0.28 to 0.16). Read as a classifier's accuracy it sits near some
 * 1/C and reads as a run stuck at chance.
 */

import { normalizedKey } from './log-keys.js';

/**
 * Metrics (Keras' names, short and long, scikit-learn's `r2`) and loss names that only a regression
 * logs; cross-entropy, NLL or BCE columns say nothing either way.
 */
const REGRESSION_NAMES: ReadonlySet<string> = new Set([
  'mae',
  'mse',
  'rmse',
  'msle',
  'mape',
  'r2',
  'r2_score',
  'mean_absolute_error',
  'mean_squared_error',
  'root_mean_squared_error',
  'mean_squared_logarithmic_error',
  'mean_absolute_percentage_error',
  'mse_loss',
  'mae_loss',
  'l1_loss',
  'huber_loss',
  'smooth_l1_loss',
]);
/** Split and granularity affixes of the alias table (log-keys.ts) that a metric's name may carry. */
const AFFIXES =
  /^(?:(?:train|training|val|valid|validation|eval|test)_)?(?:(?:epoch|batch)_)?(.*?)(?:_(?:step|epoch))?$/;

/** The first name among `names` that only a regression logs (`mae`, `val_mse`, `epoch_r2`); undefined when none. */
export function regressionColumn(names: readonly string[]): string | undefined {
  return names.find((name) => {
    const plain = normalizedKey(name);
    return REGRESSION_NAMES.has(AFFIXES.exec(plain)?.[1] ?? plain);
  });
}
