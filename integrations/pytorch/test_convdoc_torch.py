"""Tests of the recorder: /usr/bin/python3 -m unittest discover -s integrations/pytorch (npm test runs them)."""

import json
import os
import socket
import tempfile
import unittest

import torch
import torch.distributed as dist
import torch.multiprocessing as mp
from torch import nn

import convdoc_torch


def read(path):
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


class Net(nn.Module):
    def __init__(self, activation=None):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(4, 8), activation or nn.ReLU(), nn.Linear(8, 1))

    def forward(self, x):
        return self.net(x)


def train(model, optimizer, steps, recorder=None, loss_scale=1.0):
    torch.manual_seed(0)
    for _ in range(steps):
        x = torch.randn(16, 4)
        loss = model(x).pow(2).mean() * loss_scale
        optimizer.zero_grad()
        loss.backward()
        if recorder:
            recorder.after_backward(loss)
        optimizer.step()
        if recorder:
            recorder.after_step()


class RecorderTest(unittest.TestCase):
    def setUp(self):
        self.folder = tempfile.TemporaryDirectory()
        self.path = os.path.join(self.folder.name, "convdoc.jsonl")
        torch.manual_seed(1)

    def tearDown(self):
        self.folder.cleanup()

    def record(self, model, steps=25, every=10, rate=0.1, loss_scale=1.0):
        optimizer = torch.optim.SGD(model.parameters(), lr=rate)
        with convdoc_torch.Recorder(model, optimizer, self.path, every=every) as recorder:
            train(model, optimizer, steps, recorder, loss_scale)
        return read(self.path)

    def test_header_names_layers_by_module_path(self):
        header = self.record(Net())[0]
        self.assertEqual(header["convdoc_recording"], convdoc_torch.FORMAT_VERSION)
        self.assertEqual(header["framework"], "pytorch")
        layers = {layer["name"]: layer for layer in header["layers"]}
        self.assertEqual(layers["net.0"]["type"], "dense")
        self.assertEqual(layers["net.0"]["outputShape"], [None, 8])
        self.assertEqual(layers["net.1"]["activation"], "relu")

    def test_records_every_nth_step_with_per_parameter_norms(self):
        lines = self.record(Net(), steps=25, every=10)[1:]
        self.assertEqual([line["step"] for line in lines], [0, 10, 20])
        line = lines[0]
        self.assertEqual(line["lr"], 0.1)
        for name in ("net.0.weight", "net.0.bias", "net.2.weight", "net.2.bias"):
            self.assertIn("grad_norm/" + name, line)
            self.assertIn("update_ratio/" + name, line)
        per_parameter = [value for key, value in line.items() if key.startswith("grad_norm/")]
        self.assertAlmostEqual(line["grad_norm"], sum(v * v for v in per_parameter) ** 0.5, places=5)
        self.assertEqual(line["activations"]["net.1"]["activation"], "relu")

    def test_update_ratio_is_the_applied_step_over_the_weight(self):
        model = Net()
        optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
        recorder = convdoc_torch.Recorder(model, optimizer, self.path, every=1)
        loss = model(torch.randn(16, 4)).pow(2).mean()
        loss.backward()
        recorder.after_backward(loss)
        weight = model.net[0].weight
        expected = (0.1 * weight.grad.norm() / weight.detach().norm()).item()
        optimizer.step()
        recorder.after_step()
        recorder.close()
        self.assertAlmostEqual(read(self.path)[1]["update_ratio/net.0.weight"], expected, places=5)

    def test_never_changes_training(self):
        def weights(recorded):
            torch.manual_seed(3)
            model = Net(nn.Sigmoid())
            optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
            recorder = convdoc_torch.Recorder(model, optimizer, self.path, every=1) if recorded else None
            train(model, optimizer, 12, recorder)
            if recorder:
                recorder.close()
            return [p.detach().clone() for p in model.parameters()]

        for plain, recorded in zip(weights(False), weights(True)):
            self.assertTrue(torch.equal(plain, recorded))

    def test_close_removes_every_hook(self):
        model = Net(nn.Tanh())
        optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
        recorder = convdoc_torch.Recorder(model, optimizer, self.path)
        self.assertEqual(len(model.net[1]._forward_hooks), 1)
        recorder.close()
        self.assertEqual(len(model.net[1]._forward_hooks), 0)

    def test_dead_units_are_those_never_positive(self):
        model = Net()
        with torch.no_grad():
            model.net[0].bias[:6] = -1e3  # six of eight units can never be active
        stats = self.record(model, steps=1, rate=0.0)[1]["activations"]["net.1"]
        self.assertAlmostEqual(stats["dead_fraction"], 6 / 8)

    def test_saturation_reads_the_pre_activation(self):
        model = Net(nn.Sigmoid())
        with torch.no_grad():
            model.net[0].bias.fill_(30.0)  # beyond sigmoid's float32 bound of 17
        stats = self.record(model, steps=1, rate=0.0)[1]["activations"]["net.1"]
        self.assertEqual(stats["saturated_fraction"], 1.0)
        self.assertEqual(stats["near_saturated_fraction"], 1.0)

    def test_evaluation_passes_are_not_recorded_as_training(self):
        model = Net()
        optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
        with convdoc_torch.Recorder(model, optimizer, self.path, every=1) as recorder:
            with torch.no_grad():
                model(torch.full((4, 4), -1e3))
            train(model, optimizer, 1, recorder)
        self.assertLess(read(self.path)[1]["activations"]["net.1"]["dead_fraction"], 1.0)

    def test_non_finite_values_are_written_as_strings(self):
        lines = self.record(Net(), steps=1, loss_scale=float("nan"))
        self.assertEqual(lines[1]["loss"], "nan")
        self.assertEqual(lines[1]["grad_norm"], "nan")

    def test_validation_lines_carry_the_last_step(self):
        model = Net()
        optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
        with convdoc_torch.Recorder(model, optimizer, self.path) as recorder:
            train(model, optimizer, 5, recorder)
            recorder.log_validation(torch.tensor(0.5), val_accuracy=0.75)
        self.assertEqual(read(self.path)[-1], {"step": 4, "val_loss": 0.5, "val_accuracy": 0.75})

    def test_every_must_be_a_positive_whole_number(self):
        model = Net()
        with self.assertRaises(ValueError):
            convdoc_torch.Recorder(model, torch.optim.SGD(model.parameters(), lr=0.1), self.path, every=0)


def distributed_worker(rank, port, path):
    dist.init_process_group("gloo", init_method=f"tcp://127.0.0.1:{port}", rank=rank, world_size=2)
    torch.manual_seed(0)
    model = nn.parallel.DistributedDataParallel(Net())
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    # Each rank names its own file: only rank 0's may exist afterwards.
    with convdoc_torch.Recorder(model, optimizer, f"{path}.rank{rank}", every=2) as recorder:
        train(model, optimizer, 4, recorder)
    dist.destroy_process_group()


class DistributedTest(unittest.TestCase):
    def test_two_gloo_processes_write_one_file(self):
        with tempfile.TemporaryDirectory() as folder, socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
            probe.close()
            path = os.path.join(folder, "convdoc.jsonl")
            mp.spawn(distributed_worker, args=(port, path), nprocs=2, join=True)
            self.assertEqual(sorted(os.listdir(folder)), ["convdoc.jsonl.rank0"])
            lines = read(path + ".rank0")
            self.assertEqual([line.get("step") for line in lines[1:]], [0, 2])
            self.assertIn("grad_norm/net.0.weight", lines[1])


if __name__ == "__main__":
    unittest.main()
