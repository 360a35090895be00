/**
 * A validation file must have the training file's columns. They are read by name, so their order
 * may differ; a column only one file has would be read as something else or silently left out.
 */
import { displayPath } from '../util/paths.js';

/** How many column names a message lists before "...". */
const SHOWN_COLUMNS = 8;

/** A sentence naming the columns missing from and extra in the validation file, or undefined when both have the same. */
export function columnMismatch(
  trainFile: string,
  validationFile: string,
  trainHeader: readonly string[],
  validationHeader: readonly string[],
): string | undefined {
  const trainColumns = new Set(trainHeader);
  const validationColumns = new Set(validationHeader);
  const missing = trainHeader.filter((name) => !validationColumns.has(name));
  const extra = validationHeader.filter((name) => !trainColumns.has(name));
  if (missing.length === 0 && extra.length === 0) return undefined;
  const parts = [
    ...(missing.length === 0 ? [] : [`lacks ${listed(missing)} of ${displayPath(trainFile)}`]),
    ...(extra.length === 0 ? [] : [`has ${listed(extra)} that ${displayPath(trainFile)} does not`]),
  ];
  return (
    `the validation file ${displayPath(validationFile)} ${parts.join(' and ')}. ` +
    "Give it the training file's columns (their order may differ)."
  );
}

function listed(names: readonly string[]): string {
  const shown = names.slice(0, SHOWN_COLUMNS).map((name) => JSON.stringify(name));
  const more = names.length > SHOWN_COLUMNS ? `, ... (${names.length} in all)` : '';
  return `${names.length === 1 ? 'column' : 'columns'} ${shown.join(', ')}${more}`;
}
