import { configInputs, type LoadedConfig } from '../config/load.js';
import { selectBackend, type BackendChoice, type BackendSelection } from '../probe/backend.js';
import { loadProbeSubject, type ProbeSubject } from '../probe/index.js';
import { checkOutputs, type PlannedOutput } from '../util/output-check.js';

/** The start of lr-find and search: outputs checked before any work, the subject read, a backend chosen. */
export async function startSubject(
  loaded: LoadedConfig,
  outputs: readonly PlannedOutput[] | undefined,
  backendChoice: BackendChoice,
): Promise<{ subject: ProbeSubject; backend: BackendSelection }> {
  await checkOutputs(outputs ?? [], configInputs(loaded));
  const subject = await loadProbeSubject(loaded);
  const backend = await selectBackend(
    backendChoice,
    subject.model.layers.map((layer) => layer.type),
  );
  return { subject, backend };
}
