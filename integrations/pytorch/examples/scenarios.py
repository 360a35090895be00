"""Real PyTorch training loops that go wrong the way convdoc's examples/ do, recorded by convdoc_torch.

    /usr/bin/python3 integrations/pytorch/examples/scenarios.py <scenario> <out.jsonl> [--steps N] [--every N]

Each scenario mirrors an example config on the same fixture data (fixtures/), so `convdoc analyze`
of its recording can be held against `convdoc diagnose` of the config: the deep sigmoid MLP
(examples/deep-sigmoid), the ReLU RNN over 20 steps (examples/exploding-rnn), the Boston MLP at a
learning rate 50x too high (examples/boston-standardized trains it well at 0.01), the iris MLP with
SGD at 1e-6 (examples/lr-too-low) and with Adam at 0.01 (examples/iris-healthy).
"""

import argparse
import csv
import os
import sys
import time

import torch
from torch import nn

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import convdoc_torch  # noqa: E402

FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "fixtures")


class Net(nn.Module):
    """A Sequential under the name `net`, so parameters read as in most code: net.0.weight."""

    def __init__(self, *layers):
        super().__init__()
        self.net = nn.Sequential(*layers)

    def forward(self, x):
        return self.net(x)


def load(relative, target):
    """Features and target of a fixture CSV, rows in a seeded order (iris.csv is sorted by species)."""
    with open(os.path.join(FIXTURES, relative), newline="") as handle:
        rows = list(csv.DictReader(handle))
    features = [name for name in rows[0] if name != target]
    labels = sorted({row[target] for row in rows})
    value = (lambda text: float(text)) if _numeric(labels) else labels.index
    x = torch.tensor([[float(row[name]) for name in features] for row in rows])
    y = torch.tensor([[value(row[target])] for row in rows])
    order = torch.randperm(len(rows), generator=torch.Generator().manual_seed(7))
    return x[order], y[order]


def _numeric(labels):
    try:
        [float(label) for label in labels]
        return True
    except ValueError:
        return False


def standardize(x):
    return (x - x.mean(0)) / x.std(0).clamp_min(1e-12)


def boston(rate):
    x, y = load("boston/housing.csv", "medv")
    net = Net(nn.Linear(13, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 1))
    return standardize(x), y, net, torch.optim.SGD(net.parameters(), lr=rate), nn.MSELoss()


def iris(optimizer, rate):
    x, y = load("iris/iris.csv", "species")
    net = Net(nn.Linear(4, 16), nn.ReLU(), nn.Linear(16, 3))
    loss = nn.CrossEntropyLoss()
    return standardize(x), y, net, optimizer(net.parameters(), lr=rate), lambda out, target: loss(out, target[:, 0].long())


def deep_sigmoid():
    x, y = load("circles/circles.csv", "label")
    layers, width = [], 2
    for _ in range(8):
        layers += [nn.Linear(width, 32), nn.Sigmoid()]
        width = 32
    net = Net(*layers, nn.Linear(32, 1))
    return standardize(x), y, net, torch.optim.SGD(net.parameters(), lr=0.1), nn.BCEWithLogitsLoss()


class SumRnn(nn.Module):
    """The adding problem: a ReLU RNN reads 20 numbers and predicts their sum from its last state."""

    def __init__(self):
        super().__init__()
        self.rnn = nn.RNN(1, 32, nonlinearity="relu", batch_first=True)
        self.head = nn.Linear(32, 1)

    def forward(self, x):
        out, _ = self.rnn(x.unsqueeze(-1))
        return self.head(out[:, -1])


def exploding_rnn():
    """At 0.003 the gradient grows for ten steps before the loss turns NaN (at examples/' 0.01 PyTorch's
    initialization blows up on the first update, with nothing to see growing)."""
    x, y = load("sequences/adding.csv", "sum")
    net = SumRnn()
    return x, y, net, torch.optim.SGD(net.parameters(), lr=0.003), nn.MSELoss()


SCENARIOS = {
    "deep-sigmoid": deep_sigmoid,
    "exploding-rnn": exploding_rnn,
    "lr-too-high": lambda: boston(0.5),
    "lr-too-low": lambda: iris(torch.optim.SGD, 1e-6),
    "healthy": lambda: iris(torch.optim.Adam, 0.01),
}


def train(scenario, path, steps, every, batch=32, validate_every=50):
    """Trains `steps` SGD steps with the recorder (or without it when path is None); returns seconds."""
    torch.manual_seed(42)
    x, y, net, optimizer, loss_fn = SCENARIOS[scenario]()
    split = len(x) * 4 // 5
    (x_train, y_train), (x_val, y_val) = (x[:split], y[:split]), (x[split:], y[split:])
    generator = torch.Generator().manual_seed(42)
    recorder = convdoc_torch.Recorder(net, optimizer, path, every=every) if path else None
    start = time.perf_counter()
    order = torch.randperm(split, generator=generator)
    for step in range(steps):
        position = (step * batch) % split
        if position + batch > split:
            order = torch.randperm(split, generator=generator)
        index = order[position : position + batch]
        loss = loss_fn(net(x_train[index]), y_train[index])
        optimizer.zero_grad()
        loss.backward()
        if recorder:
            recorder.after_backward(loss)
        optimizer.step()
        if recorder:
            recorder.after_step()
        # The loop evaluates with or without the recorder, so a timing compares the recorder alone.
        if (step + 1) % validate_every == 0:
            with torch.no_grad():
                val_loss = loss_fn(net(x_val), y_val).item()
            if recorder:
                recorder.log_validation(val_loss)
    seconds = time.perf_counter() - start
    if recorder:
        recorder.close()
    return seconds


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("scenario", choices=sorted(SCENARIOS))
    parser.add_argument("out", nargs="?", help="the recording to write")
    parser.add_argument("--steps", type=int, default=600)
    parser.add_argument("--every", type=int, default=10)
    args = parser.parse_args()
    torch.set_num_threads(1)
    seconds = train(args.scenario, args.out, args.steps, args.every)
    print(f"{args.scenario}: {args.steps} steps in {seconds:.3f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
