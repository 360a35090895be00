"""The one way the bench cases' data scripts write a CSV: header then rows, `\n` endings, so that a
rerun of any of them gives byte-identical files (make-heldout7-data.py, make-heldout8-data.py,
encode-deeplocalize.py), and the rows of scikit-learn arrays (make-heldout9-data.py, make-heldout11-data.py)."""

import csv
import os

CASES = os.path.dirname(os.path.abspath(__file__))


def write_csv(relative_path, header, rows):
    """Writes `bench/cases/<relative_path>`."""
    with open(os.path.join(CASES, relative_path), "w", newline="") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def rows_of(x, y):
    """CSV rows of features `x` (2-D) and targets `y` (1-D, or 2-D for one-hot), floats as repr: the rows of
    the scikit-learn arrays make-heldout9-data.py and make-heldout11-data.py write."""
    rows = []
    for features, target in zip(x, y):
        targets = list(target) if hasattr(target, "__len__") else [target]
        rows.append([repr(float(v)) for v in features] + [number(v) for v in targets])
    return rows


def number(value):
    """An integer label as an integer, anything else as the float's repr."""
    value = float(value)
    return int(value) if value.is_integer() else repr(value)


def named(prefix, count):
    """Column names prefix0, prefix1, ... as the scripts name the columns of an array."""
    return [f"{prefix}{k}" for k in range(count)]
