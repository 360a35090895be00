"""Writes the data of the session-12 held-out cases (bench/cases/README.md, "Held-out set (session 12)").

The programs are the worked examples of three Machine Learning Mastery tutorials by Jason Brownlee (the
batch-size, dropout and noise tutorials; each case.json names its page). The batch-size tutorial draws the
same blobs as the learning-rate tutorial of session 11, make_blobs(n_samples=1000, centers=3, n_features=2,
cluster_std=2, random_state=2) split 500 / 500, so its cases read make-heldout11-data.py's
`data/h11-blobs-{train,test}.csv`. The dropout and noise tutorials share one small two-circles problem,
written here: make_circles(n_samples=100, noise=0.1, random_state=1), inputs raw as the programs pass them,
the first 30 rows for training (`n_train = 30`) and the last 70 as the test set the programs pass as
`validation_data`. The call is seeded by the tutorials themselves, so the files are byte-identical on every
run with the same library versions (written with Debian's python3-sklearn 1.2.1, numpy 1.24.2, scipy
1.10.1); other versions may draw other points from the same distribution. Floats are written as Python's
repr.

Usage: /usr/bin/python3 bench/cases/make-heldout12-data.py   (the system Python of `apt-get install python3-sklearn`)
"""

from sklearn.datasets import make_circles

from case_csv import named, rows_of, write_csv

# The dropout and noise tutorials train on the first 30 of their 100 rows and validate on the other 70.
N_TRAIN = 30


def small_circles():
    """Dropout and noise tutorials: make_circles(n_samples=100, noise=0.1, random_state=1), inputs raw."""
    x, y = make_circles(n_samples=100, noise=0.1, random_state=1)
    header = named("x", 2) + ["y"]
    write_csv("data/h12-circles-100-train.csv", header, rows_of(x[:N_TRAIN], y[:N_TRAIN]))
    write_csv("data/h12-circles-100-test.csv", header, rows_of(x[N_TRAIN:], y[N_TRAIN:]))


if __name__ == "__main__":
    small_circles()
