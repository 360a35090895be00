"""Writes the data of the session-10 held-out cases (bench/cases/README.md, "Held-out set (session 10)").

The programs come from TheDeepChecker (https://github.com/thedeepchecker/thedeepchecker at
d0a2b3a5339b50c3f0b147231e295d3db25017fb): the regression subject clean_base_programs/regrNN.py and the
faults injected into it (buggy_synthetic_programs/). All of them read data/auto-mpg.csv (392 rows, copied
unchanged to data/h10-auto-mpg.csv), split it with pandas' `dataset.sample(frac=0.8, random_state=0)`, and
hand the arrays to TheDeepChecker's `DataLoaderFromArrays` (deep_checker/data.py), whose options are where
most faults live. This script redoes both with the standard library, so the files are byte-identical on
every run:

- the split: pandas draws `RandomState(0).choice(392, 314, replace=False)`, which is
  `RandomState(0).permutation(392)[:314]`: numpy's legacy Fisher-Yates shuffle over MT19937 seeded by
  `init_genrand(0)`. Python's `random` is the same generator, so its state is set to that seeding.
- the loaders: each one (train, and test) scales with its own minimum and range, per column
  (`homogeneous=False`): features to (x - min) / range (`normalization=True`), the target MPG to
  `target_range[0] + (y - min) / range * (target_range[1] - target_range[0])` (`target_scaling=True`).

Usage: python3 bench/cases/make-heldout10-data.py
"""

import csv
import os
import random

from case_csv import write_csv

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.join(HERE, "data", "h10-auto-mpg.csv")
TARGET = "MPG"
# pandas' sample(frac=0.8): n = round(0.8 * 392) = 314 training rows.
TRAIN_FRACTION = 0.8
SPLIT_SEED = 0
MT_SIZE = 624


def numpy_random_state(seed):
    """A `random.Random` in the state of `numpy.random.RandomState(seed)` (MT19937, init_genrand)."""
    state = [seed & 0xFFFFFFFF]
    for i in range(1, MT_SIZE):
        previous = state[-1]
        state.append((1812433253 * (previous ^ (previous >> 30)) + i) & 0xFFFFFFFF)
    generator = random.Random()
    generator.setstate((3, tuple(state + [MT_SIZE]), None))
    return generator


def random_interval(generator, upper):
    """numpy's legacy `random_interval`: a uniform integer in [0, upper] by masked rejection of 32-bit draws."""
    mask = upper
    for shift in (1, 2, 4, 8, 16):
        mask |= mask >> shift
    while True:
        value = generator.getrandbits(32) & mask
        if value <= upper:
            return value


def permutation(count, seed):
    """`numpy.random.RandomState(seed).permutation(count)`."""
    generator = numpy_random_state(seed)
    order = list(range(count))
    for i in reversed(range(1, count)):
        j = random_interval(generator, i)
        order[i], order[j] = order[j], order[i]
    return order


def read_rows():
    with open(SOURCE, newline="") as source:
        reader = csv.reader(source)
        header = next(reader)
        return header, [[float(cell) for cell in row] for row in reader if row]


def split(rows):
    """pandas' sample (in sampled order) and drop (in file order)."""
    train_count = round(TRAIN_FRACTION * len(rows))
    chosen = permutation(len(rows), SPLIT_SEED)[:train_count]
    taken = set(chosen)
    return [rows[i] for i in chosen], [row for i, row in enumerate(rows) if i not in taken]


def column_scaler(values, twice=False):
    """The loader's per-column min-max scaling; `twice` divides by the range a second time (the double
    normalization fault's CustomDataLoader). A zero range becomes the loader's EPSILON, which no column has."""
    low = min(values)
    spread = max(values) - low
    return [((v - low) / spread) / (spread if twice else 1) for v in values]


def target_scaler(values, low_end, high_end):
    low = min(values)
    spread = max(values) - low
    return [low_end + (v - low) / spread * (high_end - low_end) for v in values]


def loader(rows, header, features="scaled", target="unit"):
    """The arrays one DataLoaderFromArrays hands to training: features `scaled` (normalization=True),
    `raw` (normalization=False) or `twice` (the double normalization); target `unit` ([0, 1]), `signed`
    (target_range [-1, 1]) or `raw10` (10 x MPG, target_scaling=False)."""
    target_index = header.index(TARGET)
    feature_indexes = [i for i in range(len(header)) if i != target_index]
    columns = []
    for i in feature_indexes:
        values = [row[i] for row in rows]
        if features == "raw":
            columns.append(values)
        else:
            columns.append(column_scaler(values, twice=features == "twice"))
    mpg = [row[target_index] for row in rows]
    if target == "unit":
        y = target_scaler(mpg, 0.0, 1.0)
    elif target == "signed":
        y = target_scaler(mpg, -1.0, 1.0)
    else:
        y = [10 * v for v in mpg]
    out_header = [header[i] for i in feature_indexes] + [TARGET]
    out_rows = [[number(column[r]) for column in columns] + [number(y[r])] for r in range(len(rows))]
    return out_header, out_rows


def number(value):
    """A whole number as an integer, anything else as the float's repr."""
    return int(value) if float(value).is_integer() else repr(value)


# One pair of files per loader setting the programs use: name -> (features, target).
VARIANTS = {
    "mpg": ("scaled", "unit"),  # regrNN.py and the faults that keep its loaders (rates, output activation)
    "mpg-raw-features": ("raw", "unit"),  # missing_normalization
    "mpg-double-norm": ("twice", "unit"),  # double_normalization
    "mpg-target-x10": ("scaled", "raw10"),  # over_scaled_outputs
    "mpg-signed-target": ("scaled", "signed"),  # wrong_activation/regrNN_inapp_act.py
}


def main():
    header, rows = read_rows()
    train, test = split(rows)
    for name, (features, target) in VARIANTS.items():
        for part, part_rows in (("train", train), ("test", test)):
            out_header, out_rows = loader(part_rows, header, features, target)
            write_csv(os.path.join("data", f"h10-{name}-{part}.csv"), out_header, out_rows)


if __name__ == "__main__":
    main()
