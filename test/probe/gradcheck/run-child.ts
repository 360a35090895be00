/**
 * Runs a gradient-check script in its own Node process (one backend per
 * process; see backend.ts) and parses the JSON it prints.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const execFileAsync = promisify(execFile);

export async function runChild<T>(
  script: 'compute-gradients.ts' | 'train-small-cnn.ts',
  args: readonly string[],
): Promise<T> {
  const { stdout } = await execFileAsync(
    process.execPath,
    ['--import', 'tsx', `test/probe/gradcheck/${script}`, ...args],
    { cwd: ROOT, maxBuffer: 256 * 1024 * 1024 },
  );
  return JSON.parse(stdout) as T;
}
