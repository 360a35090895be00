/**
 * Property tests: the loaders never crash on malformed input. Every generated config text and data
 * file must end in a result or a ConvdocError with a short message (no stack trace); anything else
 * (TypeError, RangeError, a raw CsvError or YAMLParseError, an unhandled rejection) is a bug in
 * convdoc. The seed is fixed so that CI is deterministic; the runs add up to RUNS.total (>= 10,000).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { scanTable } from '../../src/data/scan.js';
import {
  configMutationArbitrary,
  configSerializationArbitrary,
  configTextArbitrary,
  delimitedCaseArbitrary,
  describeThrown,
  expectUserError,
  jsonLinesCaseArbitrary,
  oddFileCaseArbitrary,
  VALID_CONFIGS,
  type DataCase,
} from './malformed-inputs.js';

const SEED = 42;
const CONFIG_FILE = 'gen.yaml';

/** Runs per property; parseConfig is synchronous and cheap, a data run is a file round trip. */
const RUNS = {
  configText: 2_000,
  configSerialized: 2_500,
  configMutated: 1_500,
  delimited: 3_500,
  jsonLines: 1_500,
  oddFiles: 500,
};
/** Thousands of runs take ~10 s alone, several times that on a loaded two-core machine. */
const PROPERTY_TIMEOUT_MS = 180_000;
const TOTAL_RUNS = Object.values(RUNS).reduce((sum, runs) => sum + runs, 0);

/** Parses the text as a config: a loaded config or a ConfigError, nothing else. */
function checkConfig(text: string): void {
  let loaded;
  try {
    loaded = parseConfig(text, CONFIG_FILE);
  } catch (error) {
    expectUserError(error, CONFIG_FILE);
    return;
  }
  // A config that loads is one the schema accepted.
  if (loaded.config.version !== 1) throw new Error(`loaded a config with version ${String(loaded.config.version)}`);
}

describe('parseConfig on malformed text', { timeout: PROPERTY_TIMEOUT_MS }, () => {
  it('accepts the valid configs the mutations start from', () => {
    for (const text of VALID_CONFIGS) expect(parseConfig(text, CONFIG_FILE).config.version).toBe(1);
  });

  it('arbitrary text (unicode, YAML syntax characters, token soup) gives a config or a ConfigError', () => {
    fc.assert(fc.property(configTextArbitrary, checkConfig), { seed: SEED, numRuns: RUNS.configText });
  });

  it('JSON and YAML serializations of config-shaped objects with wrong, missing and extra keys give a config or a ConfigError', () => {
    fc.assert(fc.property(configSerializationArbitrary, checkConfig), { seed: SEED, numRuns: RUNS.configSerialized });
  });

  it('mutated valid configs (deletions, insertions, indentation, tabs, duplicate keys) give a config or a ConfigError', () => {
    fc.assert(fc.property(configMutationArbitrary, checkConfig), { seed: SEED, numRuns: RUNS.configMutated });
  });
});

describe('scanTable on malformed data files', { timeout: PROPERTY_TIMEOUT_MS }, () => {
  let directory: string;
  let run = 0;
  const rejections: unknown[] = [];
  const onRejection = (reason: unknown) => rejections.push(reason);

  beforeAll(async () => {
    directory = await mkdtemp(path.join(os.tmpdir(), 'convdoc-property-'));
    process.on('unhandledRejection', onRejection);
  });

  afterAll(async () => {
    process.off('unhandledRejection', onRejection);
    await rm(directory, { recursive: true, force: true });
  });

  /** Writes the case to one of a few reused paths and scans it: a scan or a ConvdocError, and no unhandled rejection. */
  async function checkData({ extension, content, target }: DataCase): Promise<void> {
    // A handful of paths in rotation, so a stream a failed scan left open never reads the next case.
    const file = path.join(directory, `case${run++ % 4}${extension}`);
    await writeFile(file, content);
    try {
      const scan = await scanTable(file, { target, sampleRows: 50, seed: 1 });
      if (scan.rows < 1 || scan.sample.length > 50)
        throw new Error(`scan of ${scan.rows} rows kept ${scan.sample.length} sampled rows`);
    } catch (error) {
      expectUserError(error);
    }
    // Let rejections that nobody handled surface before the next case.
    await new Promise((resolve) => setImmediate(resolve));
    if (rejections.length > 0) {
      const reasons = rejections.splice(0).map(describeThrown);
      throw new Error(`unhandled rejection(s) while scanning: ${reasons.join('; ')}`);
    }
  }

  it('CSV/TSV with odd headers, ragged rows, broken quotes, CRLF/LF mixes, BOM, blank lines and odd cells', async () => {
    await fc.assert(fc.asyncProperty(delimitedCaseArbitrary, checkData), { seed: SEED, numRuns: RUNS.delimited });
  });

  it('JSON Lines with arrays, numbers, nested objects, broken JSON, blank lines and missing targets', async () => {
    await fc.assert(fc.asyncProperty(jsonLinesCaseArbitrary, checkData), { seed: SEED, numRuns: RUNS.jsonLines });
  });

  it('empty, header-only, binary and unsupported files', async () => {
    await fc.assert(fc.asyncProperty(oddFileCaseArbitrary, checkData), { seed: SEED, numRuns: RUNS.oddFiles });
  });
});

it(`runs at least 10,000 generated inputs in all (${TOTAL_RUNS})`, () => {
  expect(RUNS.configText + RUNS.configSerialized + RUNS.configMutated).toBeGreaterThanOrEqual(5_000);
  expect(RUNS.delimited + RUNS.jsonLines + RUNS.oddFiles).toBeGreaterThanOrEqual(5_000);
  expect(TOTAL_RUNS).toBeGreaterThanOrEqual(10_000);
});
