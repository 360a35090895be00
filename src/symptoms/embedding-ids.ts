/**
 * config-shape-mismatch where the model's input meets the data (config-shape-mismatch.ts judges the
 * output side): the features feed an Embedding layer, so they are token ids, and the layer's
 * inputDim and the ids the data holds disagree.
 */
import { formatNumber, plural } from '../util/format.js';
import type { EmbeddingIds } from './config-input.js';
import type { Detection } from './finding.js';
import type { ColumnStats } from '../data/column-stats.js';

/**
 * Features that feed an Embedding layer are token ids: the layer casts each to an integer and looks
 * it up as a row of its [inputDim, outputDim] table (tf.gather in tfjs-layers' Embedding.call;
 * keras.layers.Embedding). A fractional id is truncated to another token; an id below 0 or at or
 * past inputDim has no row: Keras raises "indices[...] is not in [0, inputDim)" on CPU, and
 * tfjs's gather reads outside the table. These are exact rules of the layer, so any such value counts.
 */
const INVALID_ID_LIMIT = 0;
/** How many columns a message names. */
const NAMED_COLUMNS = 4;

/** The findings on the ids an Embedding reads: fractional ids, ids outside [0, inputDim). */
export function embeddingIdFindings(embedding: EmbeddingIds | undefined): Detection[] {
  if (embedding === undefined) return [];
  const columns = embedding.columns.filter((column) => column.count > 0);
  return [fractionalIds(columns), outOfRangeIds(columns, embedding)]
    .filter((problem) => problem !== undefined)
    .map((problem) => ({ severity: 'critical', confidence: 0.99, ...problem }));
}

type Problem = Pick<Detection, 'evidence' | 'message' | 'advice' | 'columns' | 'edit'>;

const names = (columns: readonly ColumnStats[]) =>
  `${columns
    .slice(0, NAMED_COLUMNS)
    .map((column) => column.name)
    .join(', ')}${columns.length > NAMED_COLUMNS ? ', ...' : ''}`;

function fractionalIds(columns: readonly ColumnStats[]): Problem | undefined {
  const fractional = columns.filter((column) => !column.integer);
  if (fractional.length <= INVALID_ID_LIMIT) return undefined;
  return {
    columns: fractional.map((column) => column.name),
    evidence: {
      measured: fractional.length,
      threshold: INVALID_ID_LIMIT,
      what: 'Embedding input columns with fractional values',
    },
    message: `The features feed an Embedding layer, so they must be integer token ids, but ${plural(fractional.length, 'column')} of ${columns.length} ${fractional.length === 1 ? 'holds' : 'hold'} fractional values (${names(fractional)}): the layer truncates each to an integer and looks up a different token. Scaled or normalized ids show this.`,
    advice: 'Feed the raw integer token ids (do not scale them), or put a Dense layer first if these are measurements.',
  };
}

function outOfRangeIds(columns: readonly ColumnStats[], { inputDim, inputDimKey }: EmbeddingIds): Problem | undefined {
  const low = Math.min(...columns.map((column) => column.min));
  const high = Math.max(...columns.map((column) => column.max));
  if (low >= 0 && high < inputDim) return undefined;
  const outside = columns.filter((column) => column.min < 0 || column.max >= inputDim);
  const needed = Math.floor(high) + 1;
  const edit = high >= inputDim && low >= 0 ? { key: inputDimKey, from: inputDim, to: needed } : undefined;
  return {
    columns: outside.map((column) => column.name),
    evidence:
      low < 0
        ? { measured: low, threshold: 0, what: 'smallest token id vs the smallest Embedding row' }
        : {
            measured: high,
            threshold: inputDim - 1,
            what: 'largest token id vs the last Embedding row (inputDim - 1)',
          },
    message: `The features feed an Embedding layer of inputDim ${inputDim} (ids 0 to ${inputDim - 1}), but ${plural(outside.length, 'column')} (${names(outside)}) ${low < 0 ? `hold ids down to ${formatNumber(low)}` : `hold ids up to ${formatNumber(high)}`}: those ids have no row in its table.`,
    advice:
      edit === undefined
        ? 'Map the vocabulary to ids 0..V-1 (reserve 0 for padding if you pad), then set inputDim to V.'
        : `Set ${inputDimKey} to ${needed} (the vocabulary size, largest id + 1), or map the ids into 0..${inputDim - 1}.`,
    ...(edit === undefined ? {} : { edit }),
  };
}
