"""Writes the data of the session-11 held-out cases (bench/cases/README.md, "Held-out set (session 11)").

The programs are the worked examples of three Machine Learning Mastery tutorials by Jason Brownlee (the
vanishing-gradients, data-scaling and learning-rate tutorials; each case.json names its page). Each draws
its data from one scikit-learn call with a fixed random_state and splits it into the first 500 rows for
training and the last 500 as the test set (also the tutorial's validation_data), so this script repeats the
same calls and needs scikit-learn (the Debian package python3-sklearn, 1.2.1, and numpy), as
make-heldout9-data.py does. Every call is seeded by the tutorial itself, so the files are byte-identical on
every run with the same library versions (written with python3-sklearn 1.2.1, numpy 1.24.2, scipy 1.10.1);
other versions of scikit-learn or numpy may draw other points from the same distributions. Floats are
written as Python's repr.

Usage: /usr/bin/python3 bench/cases/make-heldout11-data.py   (the system Python of `apt-get install python3-sklearn`)
"""

from sklearn.datasets import make_blobs, make_circles, make_regression
from sklearn.preprocessing import MinMaxScaler, StandardScaler

from case_csv import named, rows_of, write_csv

# Every tutorial trains on the first 500 of its 1000 rows and validates on the other 500 (`n_train = 500`).
N_TRAIN = 500


def write_split(name, header, x, y):
    write_csv(f"data/{name}-train.csv", header, rows_of(x[:N_TRAIN], y[:N_TRAIN]))
    write_csv(f"data/{name}-test.csv", header, rows_of(x[N_TRAIN:], y[N_TRAIN:]))


def circles():
    """Vanishing-gradients tutorial: make_circles(n_samples=1000, noise=0.1, random_state=1), the inputs
    scaled to [-1, 1] by MinMaxScaler fitted on all 1000 rows (the tutorial scales before it splits)."""
    x, y = make_circles(n_samples=1000, noise=0.1, random_state=1)
    x = MinMaxScaler(feature_range=(-1, 1)).fit_transform(x)
    write_split("h11-circles", named("x", 2) + ["y"], x, y)


def blobs():
    """Learning-rate tutorial: make_blobs(n_samples=1000, centers=3, n_features=2, cluster_std=2,
    random_state=2), the class one-hot as to_categorical does (columns c0..c2), inputs raw."""
    x, y = make_blobs(n_samples=1000, centers=3, n_features=2, cluster_std=2, random_state=2)
    one_hot = [[1 if label == k else 0 for k in range(3)] for label in y]
    write_split("h11-blobs", named("x", 2) + named("c", 3), x, one_hot)


def regression():
    """Data-scaling tutorial: make_regression(n_samples=1000, n_features=20, noise=0.1, random_state=1),
    raw (the unscaled program), and with the target standardized by a StandardScaler fitted on the 500
    training targets and applied to both splits (the program "with scaled outputs"); inputs raw in both."""
    x, y = make_regression(n_samples=1000, n_features=20, noise=0.1, random_state=1)
    header = named("x", 20) + ["y"]
    write_split("h11-regression", header, x, y)
    scaler = StandardScaler().fit(y[:N_TRAIN].reshape(-1, 1))
    write_split("h11-regression-scaled-y", header, x, scaler.transform(y.reshape(-1, 1))[:, 0])


if __name__ == "__main__":
    circles()
    blobs()
    regression()
