"""Writes the data of the session-14 held-out cases (bench/cases/README.md, "Held-out set (session 14)").

Each program generates its own data in a line or two of numpy, quoted in its case.json; this script redoes those
lines with Python's standard library (no numpy on the system Python), so a rerun writes the same bytes:

- TensorFlow's getting-started demo as tensorflow/tensorflow issue #3148 changed it: x = np.arange(100), and the
  maintainer's fix x = np.arange(100) / 100; y = x * 0.1 + 0.3 in both.
- nlintz/TensorFlow-Tutorials 01_linear_regression: trX = np.linspace(-1, 1, 101) (the tutorial) or
  np.linspace(-1, 20, 101) (issue #67), trY = 2 * trX + np.random.randn(101) * 0.33. The tutorial draws the noise
  unseeded; here it is random.Random(42).gauss(0, 1), the same distribution, not numpy's draws.
- keras-team/keras issue #3040: x = 1.0 * np.array(range(200)), y = 2.0 * x.
- keras-team/keras issues #1295 and #112: the four rows of XOR.
- codeplea/genann issue #13: x = rand() % 10, y = x * x, drawn 10,000 times; here the ten distinct rows once each
  (the config's 1000 epochs of single-row steps draw them 10,000 times, each epoch a shuffle of the ten).

Floats are written as Python's repr. Usage: python3 bench/cases/make-heldout14-data.py
"""

import random

from case_csv import number, write_csv

# The noise of the linear-regression tutorial: its np.random.randn is unseeded, so any fixed seed is a stand-in.
NOISE_SEED = 42
NOISE_SCALE = 0.33


def get_started(path, divisor):
    """The getting-started demo's line y = 0.1 x + 0.3 on x = 0, 1, ..., 99 (divided by `divisor`)."""
    xs = [i / divisor for i in range(100)]
    write_csv(path, ["x", "y"], [[number(x), repr(x * 0.1 + 0.3)] for x in xs])


def linspace(start, stop, count):
    """np.linspace(start, stop, count): start + i * step, the last point exactly `stop`."""
    step = (stop - start) / (count - 1)
    return [start + i * step for i in range(count - 1)] + [float(stop)]


def noisy_line(path, stop):
    """trX = np.linspace(-1, stop, 101), trY = 2 * trX + N(0, 1) * 0.33 (one draw per row, in row order)."""
    noise = random.Random(NOISE_SEED)
    rows = [[repr(x), repr(2 * x + noise.gauss(0, 1) * NOISE_SCALE)] for x in linspace(-1, stop, 101)]
    write_csv(path, ["x", "y"], rows)


def doubled_range(path):
    """x = 0, 1, ..., 199 as floats, y = 2x."""
    write_csv(path, ["x", "y"], [[number(x), number(2.0 * x)] for x in range(200)])


def squares(path):
    """x = 0..9, y = x * x: the values rand() % 10 and its square take."""
    write_csv(path, ["x", "y"], [[x, x * x] for x in range(10)])


def xor(path):
    """The four XOR rows in the programs' order: [0, 0], [0, 1], [1, 0], [1, 1] -> 0, 1, 1, 0."""
    write_csv(path, ["a", "b", "y"], [[0, 0, 0], [0, 1, 1], [1, 0, 1], [1, 1, 0]])


if __name__ == "__main__":
    get_started("data/h14-getstarted-arange.csv", 1)
    get_started("data/h14-getstarted-arange-div100.csv", 100)
    noisy_line("data/h14-noisy-line-1.csv", 1)
    noisy_line("data/h14-noisy-line-20.csv", 20)
    doubled_range("data/h14-doubled-range-200.csv")
    xor("data/h14-xor.csv")
    squares("data/h14-squares-0-9.csv")
