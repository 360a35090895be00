/**
 * Runs a benchmark worker script in its own Node process (tfjs picks its backend once per process;
 * a separate process also keeps its timings apart from the runner's), passes its progress (stderr)
 * through, and parses the one stdout line that starts with `marker` as JSON.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = fileURLToPath(new URL('../', import.meta.url));

/** `command` is the interpreter and its arguments, e.g. [process.execPath, '--import', 'tsx', 'bench/x.ts']. */
export function runWorker<T>(command: readonly string[], marker: string, label: string): Promise<T> {
  const [program, ...args] = command;
  if (program === undefined) return Promise.reject(new Error(`${label}: no command`));
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderrTail = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
    child.stderr.setEncoding('utf8').on('data', (text: string) => {
      process.stderr.write(text);
      stderrTail = (stderrTail + text).slice(-2000);
    });
    child.on('error', reject);
    child.on('close', (exitCode, signal) => {
      const line = stdout.split('\n').find((candidate) => candidate.startsWith(marker));
      if (exitCode !== 0 || line === undefined) {
        const how = signal === null ? `exited with ${exitCode}` : `was killed by ${signal}`;
        const tail = stderrTail.trim().split('\n').slice(-5).join(' | ');
        reject(new Error(`${label} ${how} without a result: ${tail}`));
        return;
      }
      resolve(JSON.parse(line.slice(marker.length)) as T);
    });
  });
}
