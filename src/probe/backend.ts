/**
 * Choosing the tfjs backend, once per process and before any tensor exists (switching later
 * corrupts int32→float32 casts on wasm). `auto` takes native TensorFlow when
 * @tensorflow/tfjs-node loads, else wasm with convdoc's training kernels, else cpu; a model wasm
 * cannot train correctly goes to cpu, and the choice says why.
 */
import tf from '../util/tfjs.cjs';
import './register-wasm-backend.cjs';
import { ConvdocError } from '../errors.js';
import type { BackendChoice } from './backend-choices.js';
import { registerWasmTrainingKernels, WASM_UNSUPPORTED_FOR_TRAINING } from './wasm-kernels/index.js';

// Before any tensor exists: the cpu backend prints its "install tfjs-node" banner on first use otherwise.
tf.env().set('PROD', true);

export type { BackendChoice } from './backend-choices.js';

export interface BackendSelection {
  /** The tfjs backend name: tensorflow (native), wasm or cpu. */
  name: string;
  /** Why this one, in words for the report. */
  reason: string;
}

let selected: BackendSelection | undefined;

/**
 * Sets the backend for `layerTypes` (tfjs class names of the model's layers). Later calls must
 * agree with the first: a process probes on one backend.
 */
export async function selectBackend(choice: BackendChoice, layerTypes: readonly string[]): Promise<BackendSelection> {
  const wanted = await resolveChoice(choice, layerTypes);
  if (selected !== undefined) {
    if (selected.name !== wanted.name)
      throw new ConvdocError(
        `internal: backend ${wanted.name} requested after ${selected.name} was set; a process probes on one backend.`,
      );
    return selected;
  }
  if (wanted.name === 'wasm') registerWasmTrainingKernels();
  // setBackend answers false (it does not throw) when a backend fails to initialize.
  if (!(await tf.setBackend(wanted.name)))
    throw new ConvdocError(`the ${wanted.name} backend failed to load. Try --backend cpu.`);
  await tf.ready();
  selected = wanted;
  return wanted;
}

async function resolveChoice(choice: BackendChoice, layerTypes: readonly string[]): Promise<BackendSelection> {
  if (choice === 'cpu') return { name: 'cpu', reason: 'requested with --backend cpu' };
  if (choice === 'node') {
    if (await loadNative()) return { name: 'tensorflow', reason: 'requested with --backend node' };
    throw new ConvdocError(
      '--backend node needs @tensorflow/tfjs-node@4.22.0, which is not installed (or failed to load). Install it where libtensorflow can be downloaded, or use --backend auto.',
    );
  }
  const blocker = wasmBlocker(layerTypes);
  if (choice === 'wasm') {
    if (blocker === undefined) return { name: 'wasm', reason: 'requested with --backend wasm' };
    throw new ConvdocError(`--backend wasm cannot train this model: ${blocker}. Use --backend cpu or auto.`);
  }
  if (await loadNative())
    return { name: 'tensorflow', reason: 'native TensorFlow (@tensorflow/tfjs-node) is installed' };
  if (blocker !== undefined) return { name: 'cpu', reason: `wasm cannot train this model: ${blocker}` };
  return { name: 'wasm', reason: 'the fastest backend available without @tensorflow/tfjs-node' };
}

/**
 * Why wasm cannot train one of these layers, if it cannot. Config types are camelCase
 * (`upSampling2d`), the kernel notes use tfjs class names (`UpSampling2D`): compared case-blind.
 */
function wasmBlocker(layerTypes: readonly string[]): string | undefined {
  const types = new Set(layerTypes.map((type) => type.toLowerCase()));
  for (const [className, reason] of WASM_UNSUPPORTED_FOR_TRAINING)
    if (types.has(className.toLowerCase())) return `${className}: ${reason}`;
  return undefined;
}

let nativeLoaded: boolean | undefined;

/** tfjs-node is optional: imported through a variable so that tsc and bundlers do not require it. */
async function loadNative(): Promise<boolean> {
  if (nativeLoaded === undefined) {
    const moduleName = '@tensorflow/tfjs-node';
    nativeLoaded = await import(moduleName).then(
      () => true,
      () => false,
    );
  }
  return nativeLoaded;
}
