/**
 * Writes the generated datasets of the accuracy benchmark (bench/cases/): the programs whose
 * original data was synthetic (numpy/scikit-learn calls) or MNIST, rebuilt with the project's seeded
 * generator to the original's shape and statistics. Deterministic: running it again gives
 * byte-identical files, which are committed next to the cases. The data copied from the benchmarks'
 * repositories is not written here (see bench/cases/README.md).
 *
 * Usage: npm run bench:cases-data
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createRandom, randomInt, randomNormal, shuffleInPlace, type Random } from '../../src/util/random.js';

const CASES_DIR = fileURLToPath(new URL('./', import.meta.url));

type Row = (number | string)[];

function writeCsv(relativePath: string, header: string[], rows: Row[]): void {
  const lines = [header.join(','), ...rows.map((row) => row.join(','))];
  writeFileSync(`${CASES_DIR}${relativePath}`, `${lines.join('\n')}\n`);
}

/** Six significant digits, like the fixtures, so files stay small and byte-stable. */
function round(value: number): number {
  return Number(value.toPrecision(6));
}

function oneHot(label: number, classes: number): number[] {
  return Array.from({ length: classes }, (_, k) => (k === label ? 1 : 0));
}

function columns(prefix: string, count: number): string[] {
  return Array.from({ length: count }, (_, k) => `${prefix}${k}`);
}

// ---- MNIST stand-in: 28x28 grey digits, ink 0..255 on a constant 0 border, like MNIST's pixels.

const SIDE = 28;
const DIGIT_ROWS = 500;
const DIGIT_CLASSES = 10;

/** One prototype per class: three random thick strokes inside the central 20x20 box (MNIST's box). */
function digitPrototype(random: Random): Float64Array {
  const image = new Float64Array(SIDE * SIDE);
  for (let stroke = 0; stroke < 3; stroke++) {
    const [x0, y0, x1, y1] = [0, 0, 0, 0].map(() => 6 + random() * 16) as [number, number, number, number];
    for (let t = 0; t <= 1; t += 0.02) {
      const cx = x0 + (x1 - x0) * t;
      const cy = y0 + (y1 - y0) * t;
      for (let y = Math.floor(cy) - 1; y <= Math.ceil(cy) + 1; y++) {
        for (let x = Math.floor(cx) - 1; x <= Math.ceil(cx) + 1; x++) {
          const ink = Math.max(0, 1 - Math.hypot(x - cx, y - cy) / 1.8);
          image[y * SIDE + x] = Math.max(image[y * SIDE + x]!, ink);
        }
      }
    }
  }
  return image;
}

/** A sample: the prototype shifted by up to 2 pixels, ink strength and noise varied, 0..255 integers. */
function digitSample(prototype: Float64Array, random: Random): number[] {
  const dx = randomInt(random, 5) - 2;
  const dy = randomInt(random, 5) - 2;
  const strength = 0.7 + 0.3 * random();
  const pixels: number[] = [];
  for (let y = 0; y < SIDE; y++) {
    for (let x = 0; x < SIDE; x++) {
      const sx = x - dx;
      const sy = y - dy;
      const ink = sx >= 0 && sx < SIDE && sy >= 0 && sy < SIDE ? prototype[sy * SIDE + sx]! : 0;
      const value = ink > 0 ? ink * strength + 0.08 * randomNormal(random) : 0;
      pixels.push(Math.round(255 * Math.min(1, Math.max(0, value))));
    }
  }
  return pixels;
}

function digits(seed: number): { pixels: number[][]; labels: number[] } {
  const random = createRandom(seed);
  const prototypes = Array.from({ length: DIGIT_CLASSES }, () => digitPrototype(random));
  const labels = Array.from({ length: DIGIT_ROWS }, (_, row) => row % DIGIT_CLASSES);
  return { pixels: labels.map((label) => digitSample(prototypes[label]!, random)), labels };
}

function writeDigits(): void {
  const { pixels, labels } = digits(1101);
  const pixelColumns = columns('p', SIDE * SIDE);
  const classColumns = columns('y', DIGIT_CLASSES);
  const scaled = (row: number[]): number[] => row.map((value) => round(value / 255));
  writeCsv(
    'data/digits-raw-onehot.csv',
    [...pixelColumns, ...classColumns],
    pixels.map((row, i) => [...row, ...oneHot(labels[i]!, DIGIT_CLASSES)]),
  );
  writeCsv(
    'data/digits-scaled-onehot.csv',
    [...pixelColumns, ...classColumns],
    pixels.map((row, i) => [...scaled(row), ...oneHot(labels[i]!, DIGIT_CLASSES)]),
  );
  // SO 59325381's bug: `y_train = y_train/255` turns the class ids 0..9 into 0..0.035.
  writeCsv(
    'data/digits-scaled-label255.csv',
    [...pixelColumns, 'label'],
    pixels.map((row, i) => [...scaled(row), round(labels[i]! / 255)]),
  );
}

// ---- The StackOverflow programs' own synthetic data, as their code builds it.

/** SO 31556268: XOR on four rows, in the order the question lists them. */
function writeXor4(): void {
  const rows: Row[] = [
    [1, 1, 0],
    [1, 0, 1],
    [0, 0, 0],
    [0, 1, 1],
  ];
  writeCsv('so-31556268-xor-mae/xor.csv', ['a', 'b', 'label'], rows);
  writeCsv('so-31556268-fixed/xor.csv', ['a', 'b', 'label'], rows);
}

/** SO 34311586: the six XOR rows of the question. */
function writeXor6(): void {
  const rows: Row[] = [
    [1, 1, 0],
    [0, 0, 0],
    [1, 0, 1],
    [0, 1, 1],
    [1, 1, 0],
    [0, 0, 0],
  ];
  writeCsv('so-34311586-xor-softmax-one-unit/xor.csv', ['a', 'b', 'label'], rows);
}

/** SO 50306988: 200 points, class 1 uniform in [0.2, 0.4)^2, class 2 uniform in [0.5, 0.7)^2, one-hot. */
function writeTwoSquares(): void {
  const random = createRandom(5030);
  const rows: Row[] = [];
  for (let i = 0; i < 100; i++) {
    rows.push([round(0.2 + 0.2 * random()), round(0.2 + 0.2 * random()), 1, 0]);
    rows.push([round(0.5 + 0.2 * random()), round(0.5 + 0.2 * random()), 0, 1]);
  }
  writeCsv('so-50306988-two-squares-five-epochs/squares.csv', ['x', 'y', 'class1', 'class2'], rows);
}

/** Poisson sample by inversion (small means only). */
function poisson(random: Random, mean: number): number {
  let k = 0;
  let p = Math.exp(-mean);
  let cumulative = p;
  const u = random();
  while (u > cumulative && k < 10 * mean + 20) {
    k++;
    p *= mean / k;
    cumulative += p;
  }
  return k;
}

/**
 * SO 38648195: scikit-learn's make_multilabel_classification(n_features=20, n_classes=3): documents of
 * Poisson(50) words over 20 features, each class a random word distribution, labels drawn per row.
 * 3000 rows instead of the question's 60000 (same statistics, a probe in seconds).
 */
function writeMultilabel(): void {
  const random = createRandom(3864);
  const classWords = Array.from({ length: 3 }, () => {
    const weights = Array.from({ length: 20 }, () => random());
    const total = weights.reduce((a, b) => a + b, 0);
    return weights.map((w) => w / total);
  });
  const rows: Row[] = [];
  for (let i = 0; i < 3000; i++) {
    let labels: number[] = [0, 1, 2].map(() => (random() < 0.5 ? 1 : 0));
    if (labels.every((l) => l === 0)) labels = oneHot(randomInt(random, 3), 3);
    const active = labels.flatMap((l, k) => (l ? [k] : []));
    const counts = new Array<number>(20).fill(0);
    const length = poisson(random, 50);
    for (let w = 0; w < length; w++) {
      const words = classWords[active[randomInt(random, active.length)]!]!;
      let u = random();
      let word = 0;
      while (word < 19 && u > words[word]!) u -= words[word++]!;
      counts[word]!++;
    }
    rows.push([...counts, ...labels]);
  }
  const header = [...columns('f', 20), 'l0', 'l1', 'l2'];
  writeCsv('so-38648195-multilabel-softmax-mse/multilabel.csv', header, rows);
  writeCsv('so-38648195-fixed/multilabel.csv', header, rows);
}

/** SO 33969059: x uniform in [0, 10000)^3, y = x . [2, 1, 0.5] + 2.2; 2000 rows instead of 100000. */
function writeLinear3(): void {
  const random = createRandom(3396);
  const rows: Row[] = [];
  for (let i = 0; i < 2000; i++) {
    const x = [0, 1, 2].map(() => 10000 * random());
    rows.push([...x.map(round), round(2 * x[0]! + x[1]! + 0.5 * x[2]! + 2.2)]);
  }
  writeCsv('so-33969059-softmax-one-unit-regression/linear.csv', ['x0', 'x1', 'x2', 'y'], rows);
}

/** SO 31880720: rows of 128 ones labelled 1 and rows of 128 zeros labelled 0; 2000 instead of 20000. */
function writeOnesZeros(): void {
  const rows: Row[] = [];
  for (let i = 0; i < 1000; i++) rows.push([...new Array<number>(128).fill(1), 1]);
  for (let i = 0; i < 1000; i++) rows.push([...new Array<number>(128).fill(0), 0]);
  const header = [...columns('x', 128), 'label'];
  writeCsv('so-31880720-softmax-one-unit-bce/ones-zeros.csv', header, rows);
  writeCsv('so-31880720-fixed/ones-zeros.csv', header, rows);
}

/** SO 39217567: the 256 8-bit vectors, each mapped to a (seeded) shuffled copy of the list. */
function writeBitPermutation(): void {
  const inputs = Array.from({ length: 256 }, (_, i) => Array.from({ length: 8 }, (_, b) => (i >> (7 - b)) & 1));
  const targets = shuffleInPlace([...inputs], createRandom(3921));
  const rows = inputs.map((x, i) => [...x, ...targets[i]!]);
  writeCsv('so-39217567-sigmoid-permutation/bits.csv', [...columns('x', 8), ...columns('y', 8)], rows);
}

/** SO 48934338: X = 0, 0.1, ..., 4.9 and y = 5 X^2 + (standard normal)^3. */
function writeQuadratic(): void {
  const random = createRandom(4893);
  const rows = Array.from({ length: 50 }, (_, i) => {
    const x = i / 10;
    return [x, round(5 * x * x + randomNormal(random) ** 3)];
  });
  writeCsv('so-48934338-sgd-lr-0-1/quadratic.csv', ['x', 'y'], rows);
  writeCsv('so-48934338-fixed/quadratic.csv', ['x', 'y'], rows);
}

/** SO 52800582: x = -100, -99.5, ..., 99.5 and y = x^4; the fix standardizes both (StandardScaler). */
function writeQuartic(): void {
  const xs = Array.from({ length: 400 }, (_, i) => -100 + i / 2);
  const ys = xs.map((x) => x ** 4);
  writeCsv(
    'so-52800582-quartic-unscaled/quartic.csv',
    ['x', 'y'],
    xs.map((x, i) => [x, ys[i]!]),
  );
  const standardize = (values: number[]): number[] => {
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const std = Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / values.length);
    return values.map((v) => round((v - mean) / std));
  };
  const sx = standardize(xs);
  const sy = standardize(ys);
  writeCsv(
    'so-52800582-fixed/quartic-scaled.csv',
    ['x', 'y'],
    sx.map((x, i) => [x, sy[i]!]),
  );
}

// ---- AUTOTRAINER's demo data (AutoTrainer/data/simplednn.py): scikit-learn's make_circles and make_blobs.

/** make_circles(n_samples=1000, noise=0.1): outer radius 1 (label 0), inner 0.8 (label 1), shuffled. */
function writeCircles(): void {
  const random = createRandom(1001);
  const rows: Row[] = [];
  for (let i = 0; i < 1000; i++) {
    const label = i % 2;
    const angle = 2 * Math.PI * random();
    const radius = label === 0 ? 1 : 0.8;
    const x = radius * Math.cos(angle) + 0.1 * randomNormal(random);
    const y = radius * Math.sin(angle) + 0.1 * randomNormal(random);
    rows.push([round(x), round(y), label]);
  }
  writeCsv('data/circles-1000.csv', ['x', 'y', 'label'], rows);
}

/** make_blobs(n_samples=1000, centers=3, n_features=2, cluster_std=2): centres uniform in [-10, 10)^2. */
function writeBlobs(): void {
  const random = createRandom(1002);
  const centres = [0, 1, 2].map(() => [-10 + 20 * random(), -10 + 20 * random()] as const);
  const rows: Row[] = [];
  for (let i = 0; i < 1000; i++) {
    const label = i % 3;
    const [cx, cy] = centres[label]!;
    rows.push([round(cx + 2 * randomNormal(random)), round(cy + 2 * randomNormal(random)), ...oneHot(label, 3)]);
  }
  writeCsv('data/blobs-1000.csv', ['x', 'y', 'c0', 'c1', 'c2'], rows);
}

/**
 * SO 50481178: make_multilabel_classification(n_samples=1000, n_features=4, n_classes=1). One class, so
 * a row has at most one label: Poisson(2) labels resampled while above 1 (so 1 with probability 2/3).
 * A labelled row draws its Poisson(50) words from the class's word distribution, an unlabelled one
 * uniformly, as scikit-learn does; the question's LabelEncoder leaves the 0/1 label as it is.
 */
function writeOneClassCounts(): void {
  const random = createRandom(5048);
  const weights = Array.from({ length: 4 }, () => random());
  const total = weights.reduce((a, b) => a + b, 0);
  const classWords = weights.map((w) => w / total);
  const rows: Row[] = [];
  for (let i = 0; i < 1000; i++) {
    let labelCount = poisson(random, 2);
    while (labelCount > 1) labelCount = poisson(random, 2);
    let length = 0;
    while (length === 0) length = poisson(random, 50);
    const counts = new Array<number>(4).fill(0);
    for (let w = 0; w < length; w++) {
      let word = 0;
      if (labelCount === 0) word = randomInt(random, 4);
      else {
        let u = random();
        while (word < 3 && u > classWords[word]!) u -= classWords[word++]!;
      }
      counts[word]!++;
    }
    rows.push([...counts, labelCount]);
  }
  writeCsv('data/one-class-counts-1000.csv', [...columns('f', 4), 'label'], rows);
}

/**
 * Cross Validated 418955: x = 0..99 standardized by the program (numpy's population std), y = x^2 + 3
 * raw; its fix (the question's update: the target was not scaled) standardizes y as well.
 */
function writeSquarePlusThree(): void {
  const xs = Array.from({ length: 100 }, (_, i) => i);
  const standardize = (values: number[]): number[] => {
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const std = Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / values.length);
    return values.map((v) => round((v - mean) / std));
  };
  const xNormed = standardize(xs);
  const ys = xs.map((x) => x * x + 3);
  const yScaled = standardize(ys);
  writeCsv(
    'cv-418955-unscaled-target/square.csv',
    ['x', 'y'],
    xNormed.map((x, i) => [x, ys[i]!]),
  );
  writeCsv(
    'cv-418955-fixed/square-scaled.csv',
    ['x', 'y'],
    xNormed.map((x, i) => [x, yScaled[i]!]),
  );
}

writeDigits();
writeXor4();
writeXor6();
writeTwoSquares();
writeMultilabel();
writeLinear3();
writeOnesZeros();
writeBitPermutation();
writeQuadratic();
writeQuartic();
writeCircles();
writeBlobs();
writeOneClassCounts();
writeSquarePlusThree();
