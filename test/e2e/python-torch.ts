import { spawnSync } from 'node:child_process';

/** The one command that makes the PyTorch tests run (CI's .ci/run runs it when torch is missing). */
export const TORCH_INSTALL = 'apt-get install -y python3-torch';

/**
 * A Python that imports torch: Debian's python3-torch is for /usr/bin/python3, and the `python3`
 * first on PATH may be another interpreter without it. Undefined when neither imports it.
 */
export function pythonWithTorch(): string | undefined {
  return ['/usr/bin/python3', 'python3'].find(
    (python) => spawnSync(python, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0,
  );
}
