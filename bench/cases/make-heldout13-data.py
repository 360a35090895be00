"""Writes the data of the session-13 held-out cases (bench/cases/README.md, "Held-out set (session 13)").

The programs are the worked examples of the Machine Learning Mastery tutorial "Visualizing the vanishing
gradient problem" (Adrian Tam; each case.json names its page). Every program trains on, and evaluates on, one
two-circles set: the tutorial's complete code seeds numpy (`np.random.seed(42)`) right before
`make_circles(n_samples=1000, factor=0.5, noise=0.1)`, whose unset random_state draws from that global
generator, the same stream as `random_state=42`. All 1000 rows are the training set (the programs' `fit(X, y)`
passes no validation data and `evaluate(X, y)` scores the training rows). Written with Debian's python3-sklearn
1.2.1, numpy 1.24.2, scipy 1.10.1: a rerun writes the same bytes; other versions may draw other points from the
same distribution. Floats are written as Python's repr.

Usage: /usr/bin/python3 bench/cases/make-heldout13-data.py   (the system Python of `apt-get install python3-sklearn`)
"""

from sklearn.datasets import make_circles

from case_csv import named, rows_of, write_csv

# The tutorial's `np.random.seed(42)`, which seeds the generator make_circles draws from.
TUTORIAL_SEED = 42


def circles():
    """make_circles(n_samples=1000, factor=0.5, noise=0.1) after np.random.seed(42), inputs raw."""
    x, y = make_circles(n_samples=1000, factor=0.5, noise=0.1, random_state=TUTORIAL_SEED)
    write_csv("data/h13-circles-half.csv", named("x", 2) + ["y"], rows_of(x, y))


if __name__ == "__main__":
    circles()
