/**
 * Runs a Node script as a child process and measures its wall time and peak resident set size.
 * The child is a separate process so that the RSS is its own, not the benchmark runner's (tsx, the
 * generator's buffers). Peak RSS comes from GNU time (`/usr/bin/time -v`, "Maximum resident set
 * size") when it exists, else from a preload that prints `process.resourceUsage().maxRSS` on exit.
 * Set BENCH_RSS=preload to force the fallback (to check that both agree).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const GNU_TIME = '/usr/bin/time';
const PRELOAD = pathToFileURL(fileURLToPath(new URL('./max-rss-preload.mjs', import.meta.url))).href;
const PRELOAD_MARKER = /\n?bench-max-rss-kib=(\d+)\n$/;
const GNU_TIME_MAX_RSS = /Maximum resident set size \(kbytes\): (\d+)/;
const GNU_TIME_CPU = /User time \(seconds\): ([\d.]+)[\s\S]*System time \(seconds\): ([\d.]+)/;

export type RssSource = 'gnu-time' | 'node-resourceUsage';

export interface ChildMeasurement {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  wallSeconds: number;
  /** Decimal megabytes (1 MB = 1e6 bytes), the stricter reading of a "400 MB" budget. */
  peakRssMb: number;
  rssSource: RssSource;
  /**
   * User plus system CPU seconds of the child and the processes it waited for (its workers), from
   * GNU time; null with the preload. On a shared machine this moves far less than the wall time.
   */
  cpuSeconds: number | null;
  stdout: string;
  stderr: string;
}

function rssSource(): RssSource {
  return process.env['BENCH_RSS'] !== 'preload' && existsSync(GNU_TIME) ? 'gnu-time' : 'node-resourceUsage';
}

/** Runs `node <args>` and measures it; `args` are what would follow `node` on a command line. */
export async function measureNode(args: readonly string[], cwd: string): Promise<ChildMeasurement> {
  const source = rssSource();
  // GNU time writes its report to a file of its own so that it never mixes with the child's stderr.
  const timeDir = source === 'gnu-time' ? mkdtempSync(path.join(tmpdir(), 'convdoc-bench-')) : undefined;
  const timeFile = timeDir && path.join(timeDir, 'time.txt');
  const [command, commandArgs] =
    timeFile === undefined
      ? [process.execPath, ['--import', PRELOAD, ...args]]
      : [GNU_TIME, ['-v', '-o', timeFile, process.execPath, ...args]];
  try {
    const started = performance.now();
    const { exitCode, signal, stdout, stderr } = await run(command, commandArgs, cwd);
    const wallSeconds = (performance.now() - started) / 1000;
    const report = timeFile === undefined ? undefined : readFileSync(timeFile, 'utf8');
    const kib = report === undefined ? stderr.match(PRELOAD_MARKER)?.[1] : report.match(GNU_TIME_MAX_RSS)?.[1];
    const cpu = report?.match(GNU_TIME_CPU);
    if (kib === undefined)
      throw new Error(`could not read the peak RSS of \`node ${args.join(' ')}\` (${source}); stderr:\n${stderr}`);
    return {
      exitCode,
      signal,
      wallSeconds,
      peakRssMb: (Number(kib) * 1024) / 1e6,
      rssSource: source,
      cpuSeconds: cpu ? Number(cpu[1]) + Number(cpu[2]) : null,
      stdout,
      stderr: stderr.replace(PRELOAD_MARKER, ''),
    };
  } finally {
    if (timeDir !== undefined) rmSync(timeDir, { recursive: true, force: true });
  }
}

function run(command: string, args: readonly string[], cwd: string) {
  return new Promise<{ exitCode: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>(
    (resolve, reject) => {
      const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
      child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
      child.on('error', reject);
      child.on('close', (exitCode, signal) => resolve({ exitCode, signal, stdout, stderr }));
    },
  );
}
