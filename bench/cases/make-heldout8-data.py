"""Writes the data of the session-8 held-out cases (bench/cases/README.md, "Held-out set (session 8)").

The programs come from the KUnit benchmark (https://github.com/anon3173/KUnit at
28e8dcd84e633aae930c6dd6fb938350a91b893e, folder Benchmark_Empirical_Evaluation/), as the session-7 set.
Most build their data in the program itself (numpy calls on fixed grids); those are redone here with the
standard library. Two read a CSV shipped with the benchmark (66840108/dataset.csv, 58055105/fixed.csv), and
one loads scikit-learn's iris, taken from fixtures/iris/iris.csv (the same 150 rows). Where the original
draws unseeded random numbers (58055105's SMOTE), Python's `random` is seeded with 42, so the files are
byte-identical on every run; each case's `deviations` says so.

Usage: python3 bench/cases/make-heldout8-data.py <KUnit checkout>/Benchmark_Empirical_Evaluation
"""

import csv
import os
import random
import sys

from case_csv import write_csv

HERE = os.path.dirname(os.path.abspath(__file__))
IRIS = os.path.join(HERE, "..", "..", "fixtures", "iris", "iris.csv")
SEED = 42
# imblearn's SMOTE default: each synthetic row lies between a minority row and one of its 5 nearest
# minority neighbours.
SMOTE_NEIGHBOURS = 5


def number(value, digits=10):
    """Text of a float rounded to `digits` decimals, an integer when whole, so the files stay small."""
    value = round(float(value), digits)
    return int(value) if value.is_integer() else value


def square():
    """SO 59078187: x_train = linspace(0, 10, 1000), y_train = x_train ** 2."""
    xs = [10 * k / 999 for k in range(1000)]
    write_csv("data/h8-square.csv", ["x", "y"], [[number(x), number(x * x)] for x in xs])


def count_ratio():
    """SO 46642627: X = count / 10000, Y = (count + 1) / 100 for count = 1..10000; the fix feeds
    (X - max(X)) / max(X) (column x_scaled; max(X) is 1)."""
    rows = []
    for count in range(1, 10001):
        x = count / 10000
        rows.append([number(x), number((x - 1) / 1), number((count + 1) / 100)])
    write_csv("data/h8-count-ratio.csv", ["x", "x_scaled", "y"], rows)


def grid_identity():
    """SO 60831731: the 100 pairs (i, j), i and j in 1..10 in that order, min-max scaled per column; the
    program fits these scaled labels to themselves (model.fit(scaled_train_labels, scaled_train_labels))."""
    rows = []
    for i in range(1, 11):
        for j in range(1, 11):
            a, b = number((i - 1) / 9), number((j - 1) / 9)
            rows.append([a, b, a, b])
    write_csv("data/h8-grid-identity.csv", ["a", "b", "a_out", "b_out"], rows)


def multiples(source):
    """SO 66840108: dataset.csv (44 rows x, 2x, 3x, 4x, no header). The program reads it with pandas'
    default header=0, so its first row is the header and 43 rows remain; they are kept, named c0..c3."""
    with open(os.path.join(source, "66840108", "dataset.csv")) as f:
        rows = [line.strip().split(",") for line in f if line.strip()]
    write_csv("data/h8-multiples.csv", ["c0", "c1", "c2", "c3"], rows[1:])


def min_max_columns(rows):
    """scikit-learn's MinMaxScaler fitted on all rows, per column, as the program does before any split."""
    columns = list(zip(*rows))
    scaled = []
    for column in columns:
        low, high = min(column), max(column)
        scaled.append([(v - low) / (high - low) for v in column])
    return [list(row) for row in zip(*scaled)]


def nearest(rows, index, count):
    """Indices of the `count` rows nearest to rows[index] (Euclidean), itself left out; ties by index."""
    def distance(other):
        return sum((a - b) ** 2 for a, b in zip(rows[index], rows[other]))
    others = sorted((k for k in range(len(rows)) if k != index), key=lambda k: (distance(k), k))
    return others[:count]


def smote(minority, needed, rng):
    """imblearn's SMOTE sampling: a random (row, neighbour) pair, a uniform step along the segment."""
    neighbours = [nearest(minority, k, SMOTE_NEIGHBOURS) for k in range(len(minority))]
    synthetic = []
    for _ in range(needed):
        pick = rng.randrange(len(minority) * SMOTE_NEIGHBOURS)
        row, other = minority[pick // SMOTE_NEIGHBOURS], minority[neighbours[pick // SMOTE_NEIGHBOURS][pick % SMOTE_NEIGHBOURS]]
        step = rng.random()
        synthetic.append([a + step * (b - a) for a, b in zip(row, other)])
    return synthetic


def parkinsons(source, rng):
    """SO 58055105: fixed.csv (UCI Parkinsons, 195 rows), `name` dropped, the 22 features min-max scaled
    over all rows, target `status`. The fix balances the classes with SMOTE, appended after the originals
    as imblearn does (h8-parkinsons-balanced.csv)."""
    with open(os.path.join(source, "58055105", "fixed.csv")) as f:
        table = list(csv.DictReader(f))
    features = [name for name in table[0] if name not in ("name", "status")]
    scaled = min_max_columns([[float(row[name]) for name in features] for row in table])
    labels = [int(row["status"]) for row in table]
    rows = [[number(v) for v in x] + [y] for x, y in zip(scaled, labels)]
    header = features + ["status"]
    write_csv("data/h8-parkinsons.csv", header, rows)
    minority_label = min(set(labels), key=labels.count)
    minority = [x for x, y in zip(scaled, labels) if y == minority_label]
    needed = labels.count(1 - minority_label) - len(minority)
    extra = [[number(v) for v in x] + [minority_label] for x in smote(minority, needed, rng)]
    write_csv("data/h8-parkinsons-balanced.csv", header, rows + extra)


def iris_one_hot():
    """SO 61234347: scikit-learn's iris, target to_categorical(species): three 0/1 columns."""
    with open(IRIS) as f:
        table = list(csv.DictReader(f))
    species = ["setosa", "versicolor", "virginica"]
    features = [name for name in table[0] if name != "species"]
    rows = [[row[name] for name in features] + [int(row["species"] == s) for s in species] for row in table]
    write_csv("data/h8-iris-one-hot.csv", features + species, rows)


def and_gate():
    """SO 64395424: data = [[1, 1], [1, 0], [0, 1], [0, 0]], results = [[1], [0], [0], [0]]."""
    write_csv("data/h8-and.csv", ["x1", "x2", "y"], [[1, 1, 1], [1, 0, 0], [0, 1, 0], [0, 0, 0]])


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: python3 bench/cases/make-heldout8-data.py <KUnit>/Benchmark_Empirical_Evaluation")
    rng = random.Random(SEED)
    square()
    count_ratio()
    grid_identity()
    multiples(sys.argv[1])
    parkinsons(sys.argv[1], rng)
    iris_one_hot()
    and_gate()


if __name__ == "__main__":
    main()
