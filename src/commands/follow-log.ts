/**
 * `convdoc analyze --follow`: judges a log while its run still writes it. The file is polled; each
 * time it grows it is read again and re-judged, and a critical finding not seen before is handed to
 * `onCritical` the moment it appears. Following ends at the first critical finding (unless
 * `keepGoing`), when the file has not grown for `idleSeconds`, or when `signal` aborts (SIGINT),
 * with the report on the log as it then stands.
 */
import { stat } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { DataError } from '../errors.js';
import { readLog } from '../logs/read-log.js';
import type { Report, ReportFinding } from '../report/report.js';
import { checkOutputs } from '../util/output-check.js';
import { judgeLog, type AnalyzeOptions } from './analyze.js';

export interface FollowOptions {
  idleSeconds: number;
  keepGoing: boolean;
  onCritical: (finding: ReportFinding) => void;
  signal?: AbortSignal;
}

/** How often the file is checked: well inside the 2 s a guard on a diverging run may take to react. */
const POLL_MS = 200;

export async function followLog(file: string, analyze: AnalyzeOptions, follow: FollowOptions): Promise<Report> {
  await checkOutputs(analyze.outputs ?? [], [{ file, what: 'the log' }]);
  const seen = new Set<string>();
  let report: Report | undefined;
  let lastError: DataError | undefined;
  let size = -1;
  let grewAt = Date.now();
  while (!follow.signal?.aborted && Date.now() - grewAt < follow.idleSeconds * 1000) {
    const now = await sizeOf(file);
    if (now !== size) {
      [size, grewAt] = [now, Date.now()];
      try {
        report = judgeLog(await readLog(file, analyze), analyze);
        lastError = undefined;
      } catch (error) {
        // A row half written, a header with no rows yet: the next growth completes it.
        if (!(error instanceof DataError)) throw error;
        lastError = error;
      }
      if (report !== undefined && announceNew(report, seen, follow.onCritical) && !follow.keepGoing) return report;
    }
    await sleep(POLL_MS, undefined, { signal: follow.signal }).catch(() => undefined);
  }
  if (report === undefined || lastError !== undefined)
    throw lastError ?? new DataError(`${file}: the log never appeared or held no rows while it was followed.`);
  return report;
}

/** Hands each critical finding not announced before to `onCritical`; whether there was one. */
function announceNew(report: Report, seen: Set<string>, onCritical: (finding: ReportFinding) => void): boolean {
  let announced = false;
  for (const finding of report.findings) {
    const key = `${finding.symptom}@${finding.layer ?? ''}`;
    if (finding.severity !== 'critical' || seen.has(key)) continue;
    seen.add(key);
    onCritical(finding);
    announced = true;
  }
  return announced;
}

/** The file's size; -1 while it does not exist (the run has not created it yet). */
async function sizeOf(file: string): Promise<number> {
  try {
    return (await stat(file)).size;
  } catch {
    return -1;
  }
}
