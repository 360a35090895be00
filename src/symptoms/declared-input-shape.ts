/**
 * config-shape-mismatch where a model file meets the data: the file declares the input shape it was
 * built for (Keras' batch_input_shape / batch_shape), and the data's examples have another. The probe
 * builds the layers for the data's shape, so it runs, but the model in the file would refuse these
 * rows (Keras: "expected shape=(None, 13), found shape=(None, 4)"), or its weights mean other inputs.
 */
import type { DeclaredInput } from './config-input.js';
import type { Detection } from './finding.js';
import { shapeSize } from '../util/shape.js';

/**
 * The data fits when it has as many axes and the same last axis (features, or an image's channels):
 * the layers' weights are sized by it. Other axes may differ: the probe builds the layers for the
 * data, so a fully convolutional model is probed on smaller images than it declares (docs/config.md).
 * A null size (any length, a sequence's time axis) fits anything.
 */
function fits(declared: readonly (number | null)[], data: readonly number[]): boolean {
  const last = declared.at(-1);
  return declared.length === data.length && (last === null || last === data.at(-1));
}

const shapeText = (shape: readonly (number | null)[]) => `[${shape.map((size) => size ?? 'None').join(', ')}]`;

export function declaredInputFindings(input: DeclaredInput | undefined): Detection[] {
  if (input === undefined || fits(input.declared, input.data)) return [];
  const declaredValues = input.declared.every((size) => size !== null) ? shapeSize(input.declared) : undefined;
  const dataValues = shapeSize(input.data);
  const flatBoth = input.declared.length === 1 && input.data.length === 1;
  return [
    {
      severity: 'critical',
      confidence: 0.99,
      evidence: {
        measured: dataValues,
        threshold: declaredValues ?? dataValues,
        what: 'values per example in the data vs the input the model file declares',
      },
      message:
        `${input.file} declares an input of shape ${shapeText(input.declared)}, but the data's examples ` +
        `have shape ${shapeText(input.data)}: the model in the file cannot take these rows ` +
        '(convdoc probed its layers rebuilt for the data).',
      fixes: [],
      advice: flatBoth
        ? `Select the ${input.declared[0]} feature columns the model was built for with data.features, or rebuild the model for ${input.data[0]} inputs.`
        : 'Set data.inputShape to the shape the model declares, or rebuild the model for the data.',
    },
  ];
}
