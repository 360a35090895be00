#!/usr/bin/python3
"""Ground truth for convdoc's judgment of a whole planned run, independent of convdoc.

What it is for: convdoc probes 300 steps and projects the loss to the end of the run the config plans
(src/symptoms/projection.ts). Whether a healthy control's false alarm is convdoc being wrong or the
run really ending at chance can only be settled by training the whole plan. This script rebuilds a
bench case (its convdoc.yaml and its data file in bench/cases) in PyTorch with Keras semantics and
trains the full plan for several seeds:

- Dense kernels glorot-uniform (or the case's RandomNormal/RandomUniform), biases zero; Keras
  optimizers (Adam and RMSprop eps 1e-7, RMSprop rho 0.9); dropout active in training only.
- Keras' validation_split: the last fraction of the rows, unshuffled; the training rows are shuffled
  every epoch. Feature scaling (`normalize`) is fitted over all rows before the split, as the rebuilt
  programs do (e.g. MinMaxScaler().fit_transform(x) before model.fit).
- Keras losses: binary cross-entropy clips the sigmoid's output to [1e-7, 1 - 1e-7] and takes its
  logit (Keras 2.2 and tfjs; the clip has no gradient past it). `--bce logits` uses the pre-activation
  directly instead, as tf.keras >= 2.4 does for a Sigmoid output op.

For each seed it records the validation (else training) loss at the probe horizon (step 300), the
convdoc-style projection from that slice (power law fitted on steps 150..300, anchored at the last
level, projection.ts), and the real loss at the plan's end, each against two chance levels:
convdoc's (ln 2 for binary cross-entropy, ln C for categorical, the target variance for MSE) and the
constant prediction of the training rows' class prior / mean. Accuracy (argmax for one-hot targets,
0.5 threshold for one sigmoid unit) or R^2 for regression.

Usage: /usr/bin/python3 bench/cases/full-plan-torch.py [--case ID ...] [--seeds N] [--bce clip|logits]
       [--standardize inputs|target] [--json FILE]
`--standardize` is a counterfactual: the same run with its inputs (or target) standardized, to show
what the run would reach were the scale not the problem.
Results are written up in docs/full-plan-check.md. Needs torch (Debian python3-torch 1.13), numpy, yaml.
"""
import argparse
import csv
import json
import math
import os
import sys

import numpy as np
import torch
import yaml

CASES_DIR = os.path.dirname(os.path.abspath(__file__))
PROBE_STEPS = 300  # convdoc's default probe budget
EVAL_EVERY = 10  # convdoc's probe evaluates validation every 10 steps
TAIL_FROM = 0.5  # projection.ts: the tail fitted starts at half the probe
KERAS_EPSILON = 1e-7
DEFAULT_CASES = [
    'so-31627380-fixed',
    'so-48976413-fixed',
    'gh-learning-dl-fixed',
    'at-gradient-vanish-fixed',
    'so-38648195-fixed',
    'so-49583466-fixed',
]


def load_case(case_id, standardize=()):
    path = os.path.join(CASES_DIR, case_id, 'convdoc.yaml')
    with open(path) as handle:
        config = yaml.safe_load(handle)
    data = config['data']
    with open(os.path.join(CASES_DIR, case_id, data['train'])) as handle:
        rows = list(csv.reader(handle))
    header, body = rows[0], rows[1:]
    targets = data['target'] if isinstance(data['target'], list) else [data['target']]
    features = [name for name in header if name not in targets]
    table = np.array([[float(value) for value in row] for row in body], dtype=np.float64)
    x = table[:, [header.index(name) for name in features]]
    y = table[:, [header.index(name) for name in targets]]
    normalize = 'standardize' if 'inputs' in standardize else data.get('normalize', 'none')
    if 'target' in standardize:  # every ratio to chance is unchanged by an affine map of the target
        y = (y - y.mean(0)) / y.std(0)
    if normalize == 'minmax':
        span = x.max(0) - x.min(0)
        x = (x - x.min(0)) / np.where(span > 0, span, 1)
    elif normalize == 'standardize':
        std = x.std(0)
        x = (x - x.mean(0)) / np.where(std > 0, std, 1)
    split = int(len(x) * (1 - data.get('validationSplit', 0)))  # Keras: the last rows, unshuffled
    return config, (x[:split], y[:split]), (x[split:], y[split:])


def initialize(layer, spec):
    init = spec.get('kernelInitializer')
    if init is None or init == 'glorotUniform':
        torch.nn.init.xavier_uniform_(layer.weight)
    elif init['className'] == 'RandomNormal':
        torch.nn.init.normal_(layer.weight, 0.0, init['config'].get('stddev', 0.05))
    elif init['className'] == 'RandomUniform':
        torch.nn.init.uniform_(layer.weight, init['config']['minval'], init['config']['maxval'])
    else:
        raise ValueError(f'initializer {init} not supported')
    torch.nn.init.zeros_(layer.bias)


ACTIVATIONS = {
    'relu': torch.nn.ReLU,
    'sigmoid': torch.nn.Sigmoid,
    'selu': torch.nn.SELU,
    'tanh': torch.nn.Tanh,
    'elu': torch.nn.ELU,
}


def build(config, inputs):
    """The model without its output activation: the loss applies it, as Keras' loss does."""
    modules, width, specs = [], inputs, config['model']['layers']
    for index, spec in enumerate(specs):
        if spec['type'] == 'dropout':
            modules.append(torch.nn.Dropout(spec['rate']))
            continue
        if spec['type'] != 'dense':
            raise ValueError(f"layer {spec['type']} not supported")
        layer = torch.nn.Linear(width, spec['units'])
        initialize(layer, spec)
        modules.append(layer)
        width = spec['units']
        activation = spec.get('activation', 'linear')
        if index < len(specs) - 1 and activation != 'linear':
            modules.append(ACTIVATIONS[activation]())
    return torch.nn.Sequential(*modules), specs[-1].get('activation', 'linear')


def optimizer_for(training, parameters):
    name, rate = training['optimizer'], training['learningRate']
    if name == 'adam':
        return torch.optim.Adam(parameters, lr=rate, eps=KERAS_EPSILON)
    if name == 'rmsprop':
        return torch.optim.RMSprop(parameters, lr=rate, alpha=0.9, eps=KERAS_EPSILON)
    if name == 'sgd':
        return torch.optim.SGD(parameters, lr=rate)
    if name == 'momentum':
        return torch.optim.SGD(parameters, lr=rate, momentum=training['momentum'])
    raise ValueError(f'optimizer {name} not supported')


def loss_function(name, output_activation, bce_mode):
    """Per-example losses from the pre-activation z and target y, as Keras computes them."""

    def binary(z, y):
        if bce_mode == 'logits':
            return torch.nn.functional.binary_cross_entropy_with_logits(z, y, reduction='none').mean(1)
        p = torch.clamp(torch.sigmoid(z), KERAS_EPSILON, 1 - KERAS_EPSILON)
        logits = torch.log(p / (1 - p))
        return torch.nn.functional.binary_cross_entropy_with_logits(logits, y, reduction='none').mean(1)

    def categorical(z, y):
        p = torch.clamp(torch.softmax(z, 1), KERAS_EPSILON, 1 - KERAS_EPSILON)
        return -(y * torch.log(p)).sum(1)

    def sparse(z, y):
        return categorical(z, torch.nn.functional.one_hot(y[:, 0].long(), z.shape[1]).float())

    def squared(z, y):
        out = torch.sigmoid(z) if output_activation == 'sigmoid' else z
        return ((out - y) ** 2).mean(1)

    table = {
        'binaryCrossentropy': binary,
        'categoricalCrossentropy': categorical,
        'sparseCategoricalCrossentropy': sparse,
        'meanSquaredError': squared,
    }
    return table[name]


def chance_levels(loss_name, y_train, y_eval, outputs):
    """convdoc's chance level (src/probe/chance-loss.ts) and the loss of the training prior / mean."""
    if loss_name == 'meanSquaredError':
        convdoc = float(((y_train - y_train.mean(0)) ** 2).mean())
        return convdoc, float(((y_eval - y_train.mean(0)) ** 2).mean())
    if loss_name == 'binaryCrossentropy':
        prior = np.clip(y_train.mean(0), KERAS_EPSILON, 1 - KERAS_EPSILON)
        cross = -(y_eval * np.log(prior) + (1 - y_eval) * np.log(1 - prior))
        return math.log(2), float(cross.mean())
    if loss_name == 'sparseCategoricalCrossentropy':
        y_train = np.eye(outputs)[y_train[:, 0].astype(int)]
        y_eval = np.eye(outputs)[y_eval[:, 0].astype(int)]
    prior = np.clip(y_train.mean(0), KERAS_EPSILON, 1)
    return math.log(outputs), float(-(y_eval * np.log(prior)).sum(1).mean())


def quality(loss_name, z, y):
    """Accuracy for classification (argmax over one-hot targets), R^2 for regression."""
    if loss_name == 'meanSquaredError':
        return 'r2', float(1 - ((z - y) ** 2).mean() / max(y.var(), 1e-30))
    if loss_name == 'sparseCategoricalCrossentropy':
        return 'accuracy', float((z.argmax(1) == y[:, 0]).float().mean())
    if y.shape[1] == 1:
        return 'accuracy', float(((z[:, 0] > 0).float() == y[:, 0]).float().mean())
    if loss_name == 'binaryCrossentropy' and y.sum(1).max() > 1:  # multilabel: per-label accuracy
        return 'accuracy', float(((z > 0).float() == y).float().mean())
    return 'accuracy', float((z.argmax(1) == y.argmax(1)).float().mean())


def project(points, plan_steps):
    """projection.ts' planEnd: log L = a + b log(step+1) on the tail, anchored at the last level."""
    tail = [(step, loss) for step, loss in points if step >= TAIL_FROM * PROBE_STEPS and loss > 0]
    if len(tail) < 3:
        return None
    slope = np.polyfit([math.log(s + 1) for s, _ in tail], [math.log(v) for _, v in tail], 1)[0]
    last_step, last = tail[-1]
    return last * math.exp(min(0.0, slope) * (math.log(plan_steps) - math.log(last_step + 1)))


def run(case_id, seed, bce_mode, standardize):
    config, (x_train, y_train), (x_val, y_val) = load_case(case_id, standardize)
    training = config['training']
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    model, output_activation = build(config, x_train.shape[1])
    optimizer = optimizer_for(training, model.parameters())
    loss_name = training['loss']
    per_example = loss_function(loss_name, output_activation, bce_mode)
    tensors = [torch.tensor(a, dtype=torch.float32) for a in (x_train, y_train, x_val, y_val)]
    x_t, y_t, x_v, y_v = tensors
    judged = (x_v, y_v) if len(x_val) > 0 else (x_t, y_t)  # convdoc's series: validation, else training

    def evaluate(x, y):
        model.eval()
        with torch.no_grad():
            z = model(x)
            loss = float(per_example(z, y).mean())
        model.train()
        return loss, z

    batch = training['batchSize']
    steps_per_epoch = math.ceil(len(x_train) / batch)
    plan_steps = training['epochs'] * steps_per_epoch
    probe, step = [(0, evaluate(*judged)[0])], 0
    for _ in range(training['epochs']):
        order = rng.permutation(len(x_train))
        for start in range(0, len(x_train), batch):
            index = torch.tensor(order[start : start + batch])
            optimizer.zero_grad()
            per_example(model(x_t[index]), y_t[index]).mean().backward()
            optimizer.step()
            step += 1
            if step <= PROBE_STEPS and step % EVAL_EVERY == 0:
                probe.append((step, evaluate(*judged)[0]))
    result = {'planSteps': plan_steps, 'series': 'validation' if len(x_val) > 0 else 'training'}
    outputs = y_train.shape[1] if loss_name != 'sparseCategoricalCrossentropy' else model[-1].out_features
    for name, (x, y, y_np) in {'train': (x_t, y_t, y_train), 'val': (x_v, y_v, y_val)}.items():
        if len(y_np) == 0:
            continue
        loss, z = evaluate(x, y)
        convdoc_chance, prior_chance = chance_levels(loss_name, y_train, y_np, outputs)
        metric, value = quality(loss_name, z, y)
        result[name] = {'loss': loss, 'convdocChance': convdoc_chance, 'priorChance': prior_chance, metric: value}
    at_probe = [loss for s, loss in probe if s == min(PROBE_STEPS, step)]
    result['probeLoss'] = at_probe[0] if at_probe else probe[-1][1]
    result['projected'] = project(probe, plan_steps) if plan_steps > PROBE_STEPS else None
    result['probe'] = probe
    return result


def summarize(case_id, runs):
    judged = 'val' if 'val' in runs[0] else 'train'
    chance = runs[0][judged]['convdocChance']
    metric = 'r2' if 'r2' in runs[0][judged] else 'accuracy'
    cell = lambda key: [r[judged][key] for r in runs]  # noqa: E731
    ratio = lambda values: ' '.join(f'{v / chance:.3g}' for v in values)  # noqa: E731
    print(f"\n{case_id}: plan {runs[0]['planSteps']} steps, judged on {judged}, convdoc chance {chance:.4g}")
    print(f"  {judged} loss at step {PROBE_STEPS} / chance: {ratio([r['probeLoss'] for r in runs])}")
    projected = [r['projected'] for r in runs if r['projected'] is not None]
    if projected:
        print(f'  projected end (power law on steps 150..300) / chance: {ratio(projected)}')
    print(f"  real end {judged} loss / chance: {ratio(cell('loss'))}")
    of_prior = lambda part: ' '.join(f'{r[part]["loss"] / r[part]["priorChance"]:.3g}' for r in runs)  # noqa: E731
    print(f'  real end {judged} loss / prior chance: {of_prior(judged)}')
    print(f"  train loss / prior chance: {of_prior('train')}")
    print(f"  {judged} {metric}: {' '.join(f'{v:.3f}' for v in cell(metric))}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--case', action='append', help='case id (repeatable); default: the controls checked')
    parser.add_argument('--seeds', type=int, default=5)
    parser.add_argument('--bce', choices=['clip', 'logits'], default='clip')
    parser.add_argument(
        '--standardize',
        action='append',
        choices=['inputs', 'target'],
        default=[],
        help='a counterfactual: the same run with its inputs (or regression target) standardized',
    )
    parser.add_argument('--json', help='write every run as JSON to this file')
    args = parser.parse_args()
    torch.set_num_threads(1)
    results = {}
    for case_id in args.case or DEFAULT_CASES:
        runs = [run(case_id, seed, args.bce, args.standardize) for seed in range(args.seeds)]
        results[case_id] = runs
        summarize(case_id, runs)
        sys.stdout.flush()
    if args.json:
        with open(args.json, 'w') as handle:
            summary = {'bce': args.bce, 'seeds': args.seeds, 'standardize': args.standardize}
            json.dump({**summary, 'cases': results}, handle, indent=1)


if __name__ == '__main__':
    main()
