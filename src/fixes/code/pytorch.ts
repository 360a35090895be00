/** The six fixes as PyTorch code. */
import {
  codeNumber,
  hiddenWeightedLayers,
  nameList,
  rateNote,
  rateText,
  squashingLayers,
  type CodeWriters,
} from './code-context.js';

/** A snippet names a few layers; the pattern is clear from them. */
const MAX_LINES = 4;
const MODULE_NAMES: Record<string, string> = { sigmoid: 'nn.Sigmoid', tanh: 'nn.Tanh' };

export const PYTORCH_CODE: CodeWriters = {
  normalize: () =>
    [
      'from sklearn.preprocessing import StandardScaler',
      'scaler = StandardScaler().fit(x_train)  # training rows only, reused on validation and test',
      'x_train, x_val = scaler.transform(x_train), scaler.transform(x_val)',
      "# images: transforms.Normalize(mean, std) with the training set's per-channel mean and std",
    ].join('\n'),
  'lr-schedule': (context) =>
    [
      `optimizer = torch.optim.SGD(model.parameters(), lr=${rateText(context, 'lr')})  # your optimizer, this rate${rateNote(context)}`,
      `scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=${context.steps ?? 'total_steps'})`,
      '# in the loop, after optimizer.step(): scheduler.step()',
      '# or OneCycleLR(optimizer, max_lr=..., total_steps=...) for warmup and decay in one',
    ].join('\n'),
  clip: (context) =>
    [
      'loss.backward()',
      `torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm=${codeNumber(context.clipNorm ?? 1)})`,
      'optimizer.step()',
    ].join('\n'),
  activation: (context) => {
    const layers = squashingLayers(context);
    if (layers.length === 0) return 'nn.LeakyReLU(0.01)  # in place of nn.ReLU where units die';
    const kinds = [...new Set(layers.map((layer) => layer.activation.toLowerCase()))];
    return kinds
      .map((kind) => {
        const at = layers.filter((layer) => layer.activation.toLowerCase() === kind);
        return `nn.LeakyReLU(0.01)  # in place of ${MODULE_NAMES[kind] ?? kind} at ${nameList(at)}`;
      })
      .join('\n');
  },
  batchnorm: (context) => {
    const layers = hiddenWeightedLayers(context);
    if (layers.length === 0) return 'nn.BatchNorm1d(units)  # after each hidden nn.Linear, before its activation';
    const lines = layers
      .slice(0, MAX_LINES)
      .map(
        ({ layer, units }) =>
          `nn.BatchNorm${layer.type === 'dense' ? '1' : layer.type.slice(4, 5)}d(${units ?? 'units'})  # after ${layer.name}, before its activation`,
      );
    return [...lines, ...(layers.length > MAX_LINES ? ['# ... and after each further hidden layer'] : [])].join('\n');
  },
  search: () =>
    '# no single edit: search lr (log-uniform 1e-5..1e-1), batch size (8..128) and the optimizer, e.g. with Optuna',
};
