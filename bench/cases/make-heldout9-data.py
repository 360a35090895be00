"""Writes the data of the session-9 held-out cases (bench/cases/README.md, "Held-out set (session 9)").

The programs come from the KUnit benchmark (https://github.com/anon3173/KUnit at
28e8dcd84e633aae930c6dd6fb938350a91b893e, folder Benchmark_Empirical_Evaluation/), as the session-7 and
session-8 sets. Unlike those, these programs draw their data from scikit-learn (make_regression,
make_classification, load_breast_cancer), so this script calls the same functions with the same arguments
and needs scikit-learn (the Debian package python3-sklearn, 1.2.1, and numpy). Where the original passes no
random_state, 42 is used, so the files are byte-identical on every run; each case's `deviations` says so.

Usage: /usr/bin/python3 bench/cases/make-heldout9-data.py   (the system Python of `apt-get install python3-sklearn`)
"""

from sklearn.datasets import load_breast_cancer, make_classification, make_regression
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import MinMaxScaler

from case_csv import named, rows_of, write_csv

# The seed used where the original program leaves make_regression / make_classification unseeded.
UNSEEDED = 42


def regression_75():
    """SO 52566823: make_regression(1000, 5, random_state=75), train_test_split(test_size=0.3,
    random_state=75); the program fits on the 700 training rows only."""
    x, y = make_regression(1000, 5, random_state=75)
    x_train, _, y_train, _ = train_test_split(x, y, test_size=0.3, random_state=75)
    write_csv("data/h9-regression-75-train.csv", named("x", 5) + ["y"], rows_of(x_train, y_train))


def regression_minmax():
    """SO 60801900: make_regression(100, 3) (unseeded), features min-max scaled to the program's range."""
    x, y = make_regression(100, 3, random_state=UNSEEDED)
    scaler = MinMaxScaler(feature_range=(-1.9236537371711413, 1.9242677998256246))
    x = scaler.fit_transform(x, y)
    write_csv("data/h9-regression-minmax.csv", named("x", 3) + ["y"], rows_of(x, y))


def regression_42():
    """SO 66407123: make_regression(1000, 5, random_state=42), train_test_split(test_size=0.1,
    random_state=42); the test rows are the program's validation_data."""
    x, y = make_regression(1000, 5, random_state=42)
    x_train, x_val, y_train, y_val = train_test_split(x, y, test_size=0.1, random_state=42)
    header = named("x", 5) + ["y"]
    write_csv("data/h9-regression-42-train.csv", header, rows_of(x_train, y_train))
    write_csv("data/h9-regression-42-val.csv", header, rows_of(x_val, y_val))


def classification_18():
    """SO 54738769: make_classification(n_samples=100, n_features=18, n_classes=2, random_state=42)."""
    x, y = make_classification(n_samples=100, n_features=18, n_classes=2, random_state=42)
    write_csv("data/h9-classification-18.csv", named("x", 18) + ["y"], rows_of(x, y))


def classification_11():
    """SO 68751439: make_classification(n_samples=100, n_features=14, n_informative=10, n_classes=11,
    n_clusters_per_class=1) (unseeded), labels one-hot as to_categorical does (columns c0..c10)."""
    x, y = make_classification(
        n_samples=100, n_features=14, n_informative=10, n_classes=11, n_clusters_per_class=1,
        random_state=UNSEEDED,
    )
    one_hot = [[1 if label == k else 0 for k in range(11)] for label in y]
    write_csv("data/h9-classification-11.csv", named("x", 14) + named("c", 11), rows_of(x, one_hot))


def breast_cancer():
    """SO 57397440: load_breast_cancer(return_X_y=True), the 569 rows raw; feature names with spaces
    written with underscores; target 0 = malignant, 1 = benign as scikit-learn gives it."""
    data = load_breast_cancer()
    header = [name.replace(" ", "_") for name in data.feature_names] + ["target"]
    write_csv("data/h9-breast-cancer.csv", header, rows_of(data.data, data.target))


if __name__ == "__main__":
    regression_75()
    regression_minmax()
    regression_42()
    classification_18()
    classification_11()
    breast_cancer()
