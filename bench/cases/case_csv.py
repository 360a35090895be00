"""The one way the bench cases' data scripts write a CSV: header then rows, `\n` endings, so that a
rerun of any of them gives byte-identical files (make-heldout7-data.py, make-heldout8-data.py,
encode-deeplocalize.py)."""

import csv
import os

CASES = os.path.dirname(os.path.abspath(__file__))


def write_csv(relative_path, header, rows):
    """Writes `bench/cases/<relative_path>`."""
    with open(os.path.join(CASES, relative_path), "w", newline="") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
