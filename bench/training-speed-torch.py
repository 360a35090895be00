"""Training-step speed of the training-speed benchmark's models in Debian's PyTorch, and numpy's matmul.

Run by bench/training-speed.ts with /usr/bin/python3 (Debian's python3-torch and python3-numpy):
    /usr/bin/python3 bench/training-speed-torch.py '<models as JSON>'
Prints one line, TORCH_RESULT followed by JSON: per model and thread count, seconds per step (wall
and process CPU), and numpy's float32 2000x784 by 784x5000 product in GFLOP/s (the machine's ceiling).
The models mirror bench/training-speed-worker.ts: same layer sizes, batch, SGD, softmax cross-entropy.
"""

import json
import sys
import time

import numpy as np

MARKER = "TORCH_RESULT "


def build(torch, spec):
    nn = torch.nn
    kind = spec["kind"]
    if kind == "mlp":
        layers, width = [], spec["inputs"]
        for units in spec["units"][:-1]:
            layers += [nn.Linear(width, units), nn.ReLU()]
            width = units
        layers.append(nn.Linear(width, spec["units"][-1]))
        return nn.Sequential(*layers), (spec["batch"], spec["inputs"])
    if kind == "cnn":
        # Channels first, as PyTorch wants; the same 3x3 valid convolutions and 2x2 pool.
        side, filters = spec["side"], spec["filters"]
        out_side = (side - 2 * 2) // 2
        model = nn.Sequential(
            nn.Conv2d(1, filters[0], 3), nn.ReLU(), nn.Conv2d(filters[0], filters[1], 3), nn.ReLU(),
            nn.MaxPool2d(2), nn.Flatten(), nn.Linear(filters[1] * out_side * out_side, spec["classes"]))
        return model, (spec["batch"], 1, side, side)
    if kind == "lstm":
        class LastStep(nn.Module):
            def __init__(self):
                super().__init__()
                self.lstm = nn.LSTM(spec["features"], spec["units"], batch_first=True)
                self.out = nn.Linear(spec["units"], spec["classes"])

            def forward(self, x):
                return self.out(self.lstm(x)[0][:, -1])

        return LastStep(), (spec["batch"], spec["sequence"], spec["features"])
    raise ValueError(f"unknown model kind {kind}")


def time_steps(torch, spec, threads):
    torch.set_num_threads(threads)
    torch.manual_seed(1)
    model, input_shape = build(torch, spec)
    x = torch.rand(*input_shape)
    classes = spec["units"][-1] if spec["kind"] == "mlp" else spec["classes"]
    y = torch.randint(0, classes, (input_shape[0],))
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
    loss_function = torch.nn.CrossEntropyLoss()

    def step():
        optimizer.zero_grad()
        loss = loss_function(model(x), y)
        loss.backward()
        optimizer.step()

    step()  # warm-up: allocations, first-call dispatch
    wall, cpu = time.perf_counter(), time.process_time()
    for _ in range(spec["steps"]):
        step()
    return {
        "wallSecondsPerStep": (time.perf_counter() - wall) / spec["steps"],
        "cpuSecondsPerStep": (time.process_time() - cpu) / spec["steps"],
    }


def numpy_matmul_gflops():
    a = np.random.rand(2000, 784).astype(np.float32)
    b = np.random.rand(784, 5000).astype(np.float32)
    a @ b
    start = time.perf_counter()
    reps = 3
    for _ in range(reps):
        a @ b
    return 2 * 2000 * 784 * 5000 * reps / (time.perf_counter() - start) / 1e9


def main():
    models = json.loads(sys.argv[1])
    result = {"numpyMatmulGflops": numpy_matmul_gflops(), "torch": None}
    try:
        import torch
    except ImportError as error:
        result["torchMissing"] = f"{error}: apt-get install -y python3-torch"
    else:
        result["torch"] = {
            "version": torch.__version__,
            "models": {spec["name"]: {str(t): time_steps(torch, spec, t) for t in (1, 2)} for spec in models},
        }
    print(MARKER + json.dumps(result))


main()
