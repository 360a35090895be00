"""Records a PyTorch training loop for `convdoc analyze`.

    rec = convdoc_torch.Recorder(model, optimizer, "run/convdoc.jsonl", every=10)
    for x, y in batches:
        loss = loss_fn(model(x), y)
        optimizer.zero_grad(); loss.backward(); rec.after_backward(loss)
        optimizer.step(); rec.after_step()
    rec.log_validation(val_loss)
    rec.close()

Every `every` steps it writes one JSON line with the loss, the learning rate, the global and
per-parameter gradient norms (before any clipping), the per-parameter update ratios |dw|/|w| and
activation statistics of ReLU-like, sigmoid and tanh modules. The format is documented in the
repository's docs/recording.md. The recorder only reads: no gradient or weight is changed, and its
forward hooks are removed by close() or at the end of a `with` block. Only the standard library
and torch are needed, so the file can also be copied into a project on its own.
"""

import json
import math
import time

import torch

__all__ = ["Recorder", "FORMAT_VERSION"]
__version__ = "0.1.0"

# The first line's "convdoc_recording" value; convdoc refuses versions it does not know.
FORMAT_VERSION = 1

# Module class -> convdoc's layer type (tfjs-layers names, as in a convdoc config).
LAYER_TYPES = {
    "Linear": "dense",
    "Bilinear": "dense",
    "Conv1d": "conv1d",
    "Conv2d": "conv2d",
    "Conv3d": "conv3d",
    "ConvTranspose2d": "conv2dTranspose",
    "RNN": "simpleRNN",
    "LSTM": "lstm",
    "GRU": "gru",
    "Embedding": "embedding",
    "BatchNorm1d": "batchNormalization",
    "BatchNorm2d": "batchNormalization",
    "BatchNorm3d": "batchNormalization",
    "LayerNorm": "layerNormalization",
    "Dropout": "dropout",
    "Flatten": "flatten",
    "MaxPool1d": "maxPooling1d",
    "MaxPool2d": "maxPooling2d",
    "AvgPool2d": "averagePooling2d",
}

# Activation modules -> convdoc's activation names; the recorder hooks these.
ACTIVATIONS = {
    "ReLU": "relu",
    "ReLU6": "relu6",
    "LeakyReLU": "leakyRelu",
    "PReLU": "prelu",
    "ELU": "elu",
    "SELU": "selu",
    "GELU": "gelu",
    "SiLU": "swish",
    "Sigmoid": "sigmoid",
    "Tanh": "tanh",
    "Softmax": "softmax",
}

# Units whose input is never positive on the batch are dead (ReLU) or nearly so (the others).
DEAD_KINDS = {"relu", "relu6", "leakyRelu", "prelu", "elu", "selu", "gelu", "swish"}

# SageMaker Debugger's saturation bounds on the pre-activation (zero gradient in float32), and the
# softer bounds where the gradient is below 1% of its peak: the same bounds convdoc's probe uses.
SATURATION = {
    "sigmoid": {"hard": lambda x: (x < -23) | (x > 17), "near": lambda x: x.abs() > 6},
    "tanh": {"hard": lambda x: x.abs() > 9.5, "near": lambda x: x.abs() > 3},
}


def _number(value):
    """JSON has no NaN or Infinity: they are written as "nan", "inf" and "-inf"."""
    if math.isnan(value):
        return "nan"
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    return value


def _ratio(change, weight):
    """|dw|/|w|; a weight of norm 0 (a zero-initialized bias) that moved has moved infinitely far."""
    if weight > 0 or math.isnan(weight):
        return change / weight
    return 0.0 if change == 0 else math.inf


def _unwrap(model):
    """DistributedDataParallel and DataParallel hold the user's model as .module: name by its paths."""
    wrappers = (torch.nn.parallel.DistributedDataParallel, torch.nn.DataParallel)
    return model.module if isinstance(model, wrappers) else model


def _is_writer():
    """Under torch.distributed only rank 0 writes; the gradients it sees are already all-reduced."""
    distributed = torch.distributed.is_available() and torch.distributed.is_initialized()
    return not distributed or torch.distributed.get_rank() == 0


def _units(module):
    for attribute in ("out_features", "out_channels", "hidden_size", "num_features", "embedding_dim"):
        if hasattr(module, attribute):
            return getattr(module, attribute)
    return None


def _layer_summary(name, module):
    kind = type(module).__name__
    activation = ACTIVATIONS.get(kind)
    if activation is None and kind in ("RNN",):
        activation = module.nonlinearity
    elif activation is None:
        activation = "tanh" if kind in ("LSTM", "GRU") else "linear"
    units = _units(module)
    return {
        "name": name,
        "type": "activation" if kind in ACTIVATIONS else LAYER_TYPES.get(kind, kind[:1].lower() + kind[1:]),
        "module": kind,
        "activation": activation,
        "outputShape": [None, units] if units is not None else [],
        "params": sum(p.numel() for p in module.parameters(recurse=False)),
    }


def _unit_dim(x):
    """Images keep their channels at dim 1 (N, C, H, W); otherwise the units are the last dim."""
    return 1 if x.dim() in (4, 5) else x.dim() - 1


def _activation_stats(kind, x, y):
    """mean/std of the output and the dead or saturated fraction of the input, in one transfer."""
    values = [y.float().mean(), y.float().std() if y.numel() > 1 else torch.zeros(())]
    keys = ["mean", "std"]
    if kind in DEAD_KINDS and x.dim() >= 2:
        unit = _unit_dim(x)
        # A unit is alive when its largest input over the batch (and positions) is positive: one pass, no copy.
        largest = x.amax(dim=tuple(d for d in range(x.dim()) if d != unit))
        values.append((largest <= 0).float().mean())
        keys.append("dead_fraction")
    if kind in SATURATION:
        bounds = SATURATION[kind]
        values += [bounds["hard"](x).float().mean(), bounds["near"](x).float().mean()]
        keys += ["saturated_fraction", "near_saturated_fraction"]
    numbers = torch.stack([v.detach().to("cpu", torch.float32) for v in values]).tolist()
    return {key: _number(value) for key, value in zip(keys, numbers)}


class Recorder:
    """Records every `every`-th step of a training loop to a JSON Lines file (see the module doc)."""

    def __init__(self, model, optimizer, path, every=10):
        if not isinstance(every, int) or every < 1:
            raise ValueError(f"every must be a whole number of at least 1, not {every!r}")
        self.model = _unwrap(model)
        self.optimizer = optimizer
        self.every = every
        self.step = 0
        self.enabled = _is_writer()
        self._line = None
        self._before = None
        self._weight_norms = []
        self._activations = {}
        self._hooks = []
        self._file = None
        if not self.enabled:
            return
        self._parameters = [(n, p) for n, p in self.model.named_parameters() if p.requires_grad]
        modules = [(n, m) for n, m in self.model.named_modules() if n and not list(m.children())]
        self._file = open(path, "w", encoding="utf-8")
        self._write(
            {
                "convdoc_recording": FORMAT_VERSION,
                "framework": "pytorch",
                "torch": torch.__version__,
                "recorder": __version__,
                "every": every,
                "optimizer": type(optimizer).__name__,
                "layers": [_layer_summary(n, m) for n, m in modules],
            }
        )
        for name, module in modules:
            kind = ACTIVATIONS.get(type(module).__name__)
            if kind is not None and kind != "softmax":
                self._hooks.append(module.register_forward_hook(self._hook(name, kind)))

    def _recording(self):
        return self.enabled and self.step % self.every == 0

    def _hook(self, name, kind):
        def hook(module, inputs, output):
            # Evaluation passes (eval mode or no_grad) are not the training step being recorded.
            if not self._recording() or not module.training or not torch.is_grad_enabled():
                return
            if name not in self._activations and inputs and torch.is_tensor(inputs[0]):
                with torch.no_grad():
                    stats = _activation_stats(kind, inputs[0].detach(), output.detach())
                self._activations[name] = {"activation": kind, **stats}

        return hook

    def after_backward(self, loss):
        """Call after loss.backward() and before clipping: the raw gradient norms."""
        if not self._recording():
            return
        with torch.no_grad():
            grads = [(n, p.grad.detach()) for n, p in self._parameters if p.grad is not None]
            weights = [p.detach() for _, p in self._parameters]
            # One transfer for the loss, every gradient norm and every weight norm (for the update ratios).
            norms = [loss.detach().float().reshape(())] + [g.norm() for _, g in grads] + [w.norm() for w in weights]
            values = torch.stack([v.float() for v in norms]).cpu().tolist()
            self._before = [w.clone() for w in weights]
        self._weight_norms = values[1 + len(grads) :]
        line = {"step": self.step, "loss": _number(values[0]), "time": round(time.time(), 3)}
        line.update(self._rates())
        if grads:
            grad_norms = values[1 : 1 + len(grads)]
            line["grad_norm"] = _number(math.sqrt(sum(v * v for v in grad_norms)))
            for (name, _), value in zip(grads, grad_norms):
                line["grad_norm/" + name] = _number(value)
        self._line = line

    def _rates(self):
        rates = [group["lr"] for group in self.optimizer.param_groups]
        extra = {f"lr/group{index}": _number(float(rate)) for index, rate in enumerate(rates) if index > 0}
        return {"lr": _number(float(rates[0])), **extra} if rates else {}

    def after_step(self):
        """Call after optimizer.step(): the update ratios |dw|/|w| of the step just applied."""
        if self._line is not None and self._before is not None:
            with torch.no_grad():
                # In place in the snapshot: a fresh difference per parameter would allocate the model again.
                changes = [before.sub_(p.detach()).norm() for (_, p), before in zip(self._parameters, self._before)]
                values = torch.stack([c.float() for c in changes]).cpu().tolist() if changes else []
            for (name, _), change, weight in zip(self._parameters, values, self._weight_norms):
                self._line["update_ratio/" + name] = _number(_ratio(change, weight))
        self._flush_step()
        self.step += 1

    def _flush_step(self):
        if self._line is not None:
            if self._activations:
                self._line["activations"] = self._activations
            self._write(self._line)
        self._line, self._before, self._activations = None, None, {}

    def log_validation(self, val_loss, **metrics):
        """The validation loss (and e.g. val_accuracy=0.9) at the current step, whenever you evaluate."""
        if not self.enabled:
            return
        line = {"step": max(self.step - 1, 0), "val_loss": _number(float(val_loss))}
        line.update({key: _number(float(value)) for key, value in metrics.items()})
        self._write(line)

    def _write(self, line):
        # One flushed line at a time, so `convdoc analyze --follow` reads a live run.
        self._file.write(json.dumps(line, separators=(",", ":")) + "\n")
        self._file.flush()

    def close(self):
        """Writes a step still pending (a loop that stopped after backward), removes the hooks."""
        for hook in self._hooks:
            hook.remove()
        self._hooks = []
        if self._file is not None and not self._file.closed:
            self._flush_step()
            self._file.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False
