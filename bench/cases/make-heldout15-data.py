"""Writes the data of the session-15 held-out cases (bench/cases/README.md, "Held-out set (session 15)").

- The TensorFlow.js Layers getting-started snippet (tensorflow/tfjs-layers README; pull request #69 changes its
  epochs): xs = [1, 2, 3, 4], ys = [1, 3, 5, 7] (y = 2x - 1), written as they are.
- The TensorFlow.js codelab "Making Predictions from 2D Data" (tensorflow/tfjs issues #2644, #4458): horsepower ->
  miles per gallon of the cars in carsData.json, the cars without a missing value, each column min-max scaled over
  all rows as the codelab's convertToTensor does ((x - min) / (max - min)). Read from the session-10 copy of the same
  cars (`data/h10-auto-mpg.csv`, UCI Auto MPG, the 392 cars with a horsepower), in its row order; the codelab
  shuffles once with tf.util.shuffle (unseeded) and fits with shuffle: true, so the order does not carry over.
- paiml/aprender pull request #2459 (the book's chapter-10 example): x = [[1, 2], [3, 4], [5, 6], [7, 8]],
  y = [3, 7, 11, 15] (y = x1 + x2), written as they are.
- tensorflow/playground issue #3: the playground's regression plane (dataset.ts regressPlane at commit 520e56c, the
  day of the thread) with the URL's noise=50 (0.5) and percTrainData=50: 1200 points x, y ~ U(-6, 6), label
  (x + nx + y + ny) / 10 with nx, ny ~ U(-6, 6) * 0.5, shuffled by the playground's Fisher-Yates loop, the first 600
  for training and the other 600 as the test set. The playground draws from seedrandom seeded by the URL's
  seed=0.42182; here random.Random(42) in the same order of draws (the same distribution, other numbers).

Floats are written as Python's repr. Usage: python3 bench/cases/make-heldout15-data.py
"""

import csv
import os
import random

from case_csv import CASES, number, write_csv

# The playground's data is drawn from seedrandom seeded by its URL; any fixed seed is a stand-in.
PLANE_SEED = 42


def get_started(path):
    """The getting-started snippet's four rows, y = 2x - 1."""
    write_csv(path, ["x", "y"], [[x, 2 * x - 1] for x in (1, 2, 3, 4)])


def min_max(values):
    """(v - min) / (max - min) for each value, as the codelab normalizes inputs and labels."""
    low, high = min(values), max(values)
    return [(v - low) / (high - low) for v in values]


def cars(path):
    """Horsepower and MPG of the 392 complete cars, both min-max scaled to [0, 1]."""
    with open(os.path.join(CASES, "data/h10-auto-mpg.csv"), newline="") as source:
        rows = list(csv.DictReader(source))
    horsepower = min_max([float(r["Horsepower"]) for r in rows])
    mpg = min_max([float(r["MPG"]) for r in rows])
    write_csv(path, ["horsepower", "mpg"], [[repr(h), repr(m)] for h, m in zip(horsepower, mpg)])


def pair_sums(path):
    """The chapter-10 example's four rows: y = x1 + x2."""
    pairs = [(1.0, 2.0), (3.0, 4.0), (5.0, 6.0), (7.0, 8.0)]
    write_csv(path, ["x1", "x2", "y"], [[number(a), number(b), number(a + b)] for a, b in pairs])


def regress_plane(train_path, test_path):
    """regressPlane(1200, 0.5), then shuffle(data) and the 50% split, as playground.ts generates its data."""
    rng = random.Random(PLANE_SEED)
    radius, noise, points = 6, 0.5, []
    for _ in range(1200):
        x = rng.random() * 2 * radius - radius
        y = rng.random() * 2 * radius - radius
        noise_x = (rng.random() * 2 * radius - radius) * noise
        noise_y = (rng.random() * 2 * radius - radius) * noise
        points.append([x, y, (x + noise_x + y + noise_y) / 10])
    counter = len(points)
    while counter > 0:
        index = int(rng.random() * counter)
        counter -= 1
        points[counter], points[index] = points[index], points[counter]
    rows = [[repr(v) for v in point] for point in points]
    write_csv(train_path, ["x", "y", "label"], rows[:600])
    write_csv(test_path, ["x", "y", "label"], rows[600:])


if __name__ == "__main__":
    get_started("data/h15-getstarted-4.csv")
    cars("data/h15-cars-hp-mpg-minmax.csv")
    pair_sums("data/h15-pair-sums.csv")
    regress_plane("data/h15-plane-train.csv", "data/h15-plane-test.csv")
