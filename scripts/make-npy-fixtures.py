#!/usr/bin/python3
"""Writes the NumPy fixtures under fixtures/numpy/ with real numpy (Debian's python3-numpy).

The tests read these files, so the readers are checked against what numpy itself writes, and the
tests do not need numpy. Deterministic: a fixed seed, and np.savez entries carry no timestamps that
change the arrays. Run: /usr/bin/python3 scripts/make-npy-fixtures.py
"""
import json
import os

import numpy as np

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures", "numpy")
rng = np.random.default_rng(17)


def images(rows):
    """8x8 RGB images (uint8) whose class is the brightest of three quadrant patterns."""
    y = np.arange(rows) % 3
    x = rng.integers(0, 60, size=(rows, 8, 8, 3), dtype=np.uint8)
    for i, label in enumerate(y):
        x[i, :4, :4, label] += 180
    return x, y.astype(np.int64)


def write_images():
    x_train, y_train = images(96)
    x_test, y_test = images(32)
    np.savez(os.path.join(OUT, "images.npz"), x_train=x_train, y_train=y_train, x_test=x_test, y_test=y_test)
    np.savez_compressed(os.path.join(OUT, "images-compressed.npz"), x_train=x_train, y_train=y_train)


def write_tabular():
    """Regression: float64 features on scales 1, 1000 and 0.01, a float32 target (big-endian copy too)."""
    x = rng.normal(size=(80, 3)) * np.array([1.0, 1000.0, 0.01])
    y = (x @ np.array([1.0, 0.001, 100.0]) + rng.normal(scale=0.1, size=80)).astype(np.float32)
    np.save(os.path.join(OUT, "x.npy"), x)
    np.save(os.path.join(OUT, "y.npy"), y)
    np.save(os.path.join(OUT, "x-big-endian.npy"), x.astype(">f8"))
    np.save(os.path.join(OUT, "x-fortran.npy"), np.asfortranarray(x))
    np.save(os.path.join(OUT, "x-int16.npy"), (x * 10).astype(np.int16))
    np.save(os.path.join(OUT, "x-float16.npy"), x.astype(np.float16))
    np.save(os.path.join(OUT, "x-complex.npy"), x.astype(np.complex64))
    # What the readers must find, as numpy computes it (float64 sums; float16 and int16 after the cast).
    expected = {
        "x.npy": {"shape": list(x.shape), "sum": float(x.sum()), "first": x[0].tolist()},
        "y.npy": {"shape": list(y.shape), "sum": float(y.astype(np.float64).sum())},
        "x-float16.npy": {"sum": float(x.astype(np.float16).astype(np.float64).sum())},
        "x-int16.npy": {"sum": float((x * 10).astype(np.int16).astype(np.float64).sum())},
    }
    with open(os.path.join(OUT, "expected.json"), "w") as out:
        json.dump(expected, out, indent=2)
        out.write("\n")


def write_tokens():
    """Token ids (int32 in [0, 50)) of 12-token sequences; the label says whether token 7 occurs."""
    x = rng.integers(0, 50, size=(96, 12), dtype=np.int32)
    y = (x == 7).any(axis=1).astype(np.int64)
    np.save(os.path.join(OUT, "tokens.npy"), x)
    np.save(os.path.join(OUT, "tokens-labels.npy"), y)


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    write_images()
    write_tabular()
    write_tokens()
    print("numpy", np.__version__, "wrote", sorted(os.listdir(OUT)))
