"""Writes the data of the session-7 held-out cases (bench/cases/README.md, "Held-out set (session 7)").

The programs come from the KUnit benchmark (https://github.com/anon3173/KUnit at
28e8dcd84e633aae930c6dd6fb938350a91b893e, folder Benchmark_Empirical_Evaluation/). Most build their
data in the program itself (numpy/random calls); those are redone here with the standard library. Where
the original draws unseeded random numbers, Python's `random` is seeded with 42, so the files are
byte-identical on every run; each case's `deviations` says so. One program reads a CSV shipped with the
benchmark (cars.csv); it is copied with a header row added.

Usage: python3 bench/cases/make-heldout7-data.py <KUnit checkout>/Benchmark_Empirical_Evaluation
"""

import math
import os
import random
import sys

from case_csv import write_csv

SEED = 42


def number(value):
    """Shortest round-trip text of a float, an integer when whole, so the files stay small and exact."""
    return int(value) if float(value).is_integer() else float(repr(value))


def min_max(values):
    """scikit-learn's MinMaxScaler fitted on all the values, as the programs do before any split."""
    low, high = min(values), max(values)
    return [(v - low) / (high - low) for v in values]


def linear_5x():
    """SO 51181393: data = linspace(1, 2, 100); y = data * 5."""
    xs = [1 + k / 99 for k in range(100)]
    write_csv("data/h7-linear-5x.csv", ["x", "y"], [[number(x), number(x * 5)] for x in xs])


def test_scores():
    """DeepLearningZeroToAll klab-04-1: the five rows of x_data and y_data written in the program."""
    rows = [[73, 80, 75, 152], [93, 88, 93, 185], [89, 91, 90, 180], [96, 98, 100, 196], [73, 66, 70, 142]]
    write_csv("data/h7-test-scores.csv", ["x1", "x2", "x3", "y"], rows)


def ages(rng):
    """learning-deeplearning super_basic_1: 50 x (young 1, old 0) then 1000 x (young 0, old 1), ages from
    randint(13, 64) and randint(65, 100), appended in that order; the feature is min-max scaled."""
    samples, labels = [], []
    for young_label, count in ((1, 50), (0, 1000)):
        for _ in range(count):
            samples.append(rng.randint(13, 64))
            labels.append(young_label)
            samples.append(rng.randint(65, 100))
            labels.append(1 - young_label)
    scaled = min_max(samples)
    write_csv("data/h7-ages.csv", ["age", "label"], [[number(a), y] for a, y in zip(scaled, labels)])


def sine_5000(rng):
    """SO 49583466: 5000 x from uniform(-10, 10), sorted, y = sin(x); both min-max scaled."""
    xs = sorted(rng.uniform(-10, 10) for _ in range(5000))
    ys = [math.sin(x) for x in xs]
    rows = [[number(round(x, 9)), number(round(y, 9))] for x, y in zip(min_max(xs), min_max(ys))]
    write_csv("data/h7-sine-5000.csv", ["x", "y"], rows)


def sine_index():
    """SO 46995209: X = range(1000), Y = sin(3.5 pi X / 1000); the fix feeds (X - max(X)) / max(X)."""
    xs = list(range(1000))
    ys = [number(round(math.sin(3.5 * math.pi * x / 1000), 9)) for x in xs]
    write_csv("data/h7-sine-index.csv", ["x", "y"], [[x, y] for x, y in zip(xs, ys)])
    top = max(xs)
    write_csv("data/h7-sine-index-scaled.csv", ["x", "y"], [[number(round((x - top) / top, 9)), y] for x, y in zip(xs, ys)])


def cars(source):
    """SO 48976413: cars.csv as shipped (963 rows, no header): five features, then the target."""
    with open(os.path.join(source, "48976413", "cars.csv")) as f:
        rows = [line.strip().split(",") for line in f if line.strip()]
    write_csv("data/h7-cars.csv", ["f0", "f1", "f2", "f3", "f4", "y"], rows)


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: python3 bench/cases/make-heldout7-data.py <KUnit>/Benchmark_Empirical_Evaluation")
    rng = random.Random(SEED)
    linear_5x()
    test_scores()
    ages(rng)
    sine_5000(rng)
    sine_index()
    cars(sys.argv[1])


if __name__ == "__main__":
    main()
