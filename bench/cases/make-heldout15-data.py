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

Floats are written as Python's repr. Usage: python3 bench/cases/make-heldout15-data.py
"""

import csv
import os

from case_csv import CASES, number, write_csv


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


if __name__ == "__main__":
    get_started("data/h15-getstarted-4.csv")
    cars("data/h15-cars-hp-mpg-minmax.csv")
    pair_sums("data/h15-pair-sums.csv")
