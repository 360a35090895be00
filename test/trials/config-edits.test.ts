import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { criticalEdits, withEdits } from '../../src/trials/config-edits.js';
import type { ConfigEdit, Finding } from '../../src/symptoms/finding.js';

function bug(edit: ConfigEdit | undefined, severity: Finding['severity'] = 'critical'): Finding {
  return {
    symptom: 'config-loss-mismatch',
    severity,
    confidence: 1,
    evidence: { measured: 1, threshold: 1, what: '' },
    message: '',
    fixes: [],
    ...(edit === undefined ? {} : { edit }),
  };
}

const output = { key: 'model.layers.2.activation', from: null, to: 'sigmoid' };
const loss = { key: 'training.loss', from: 'meanSquaredError', to: 'binaryCrossentropy' };

describe('criticalEdits: the edits the trials make before measuring fixes', () => {
  const cases: { name: string; findings: Finding[]; edits: ConfigEdit[] }[] = [
    { name: 'an output activation and a loss', findings: [bug(output), bug(loss)], edits: [output, loss] },
    { name: 'a warning is not made', findings: [bug(loss, 'warning')], edits: [] },
    {
      name: 'a critical bug without an edit leaves all as written',
      findings: [bug(output), bug(undefined)],
      edits: [],
    },
    {
      name: 'a layer type is not made (it may need keys the edit does not carry)',
      findings: [bug({ key: 'model.layers.2.type', from: 'softmax', to: 'activation' })],
      edits: [],
    },
    {
      name: 'a layer that is not in the config',
      findings: [bug({ ...output, key: 'model.layers.9.activation' })],
      edits: [],
    },
    { name: 'a key inside a model file', findings: [bug({ ...output, key: 'model.json:layers.2' })], edits: [] },
  ];
  it.each(cases)('$name', async ({ findings, edits }) => {
    const { config } = await loadConfig('examples/boston-unscaled/convdoc.yaml');
    expect(criticalEdits(config, findings)).toEqual(edits);
  });
});

describe('withEdits', () => {
  it('writes each value at its key and leaves the config it was given alone', async () => {
    const { config } = await loadConfig('examples/boston-unscaled/convdoc.yaml');
    const before = structuredClone(config);
    const edited = withEdits(config, [output, loss]);
    expect(edited.model.layers![2]).toMatchObject({ type: 'dense', units: 1, activation: 'sigmoid' });
    expect(edited.training.loss).toBe('binaryCrossentropy');
    expect(config).toEqual(before);
  });
});
