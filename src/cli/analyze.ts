import { InvalidArgumentError, type Command } from '@commander-js/extra-typings';
import type { AnalyzeOptions } from '../commands/analyze.js';
import type { SegmentChoice } from '../logs/log-segments.js';
import type { Report } from '../report/report.js';
import type { CliIo } from './io.js';
import { addReportOptions, codeOption } from './options.js';
import { emitReport, plannedOutputs } from './output.js';

/** `--chance-loss`: a loss level above zero. */
function parseChanceLoss(value: string): number {
  const number = Number(value);
  if (!(number > 0) || !Number.isFinite(number))
    throw new InvalidArgumentError(
      'expected a number > 0 (ln C for C classes with cross-entropy, the target variance for MSE).',
    );
  return number;
}

/** `--classes`: a whole number of at least 2. */
function parseClasses(value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 2)
    throw new InvalidArgumentError('expected a whole number of classes, 2 or more.');
  return number;
}

/** `--segment`: all, last, or a segment's 1-based number. */
function parseSegment(value: string): SegmentChoice {
  if (value === 'all' || value === 'last') return value;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1)
    throw new InvalidArgumentError('expected all, last, or the number of a segment (1 for the first run in the log).');
  return number;
}

/** `--idle`: seconds, above zero. */
function parseIdle(value: string): number {
  const number = Number(value);
  if (!(number > 0) || !Number.isFinite(number)) throw new InvalidArgumentError('expected a number of seconds > 0.');
  return number;
}

function analyzeCommand(program: Command) {
  return addReportOptions(
    program
      .command('analyze <log>')
      .description(
        'diagnose a training log from any framework, no re-run (Keras CSVLogger, Lightning metrics.csv, HuggingFace trainer_state.json, JSON Lines, pandas histories, TensorBoard scalar exports and event files, convdoc_torch recordings; a file or its folder)',
      )
      .option(
        '--chance-loss <loss>',
        'the loss of a model that learned nothing (ln C for C classes, the target variance for MSE); ' +
          'lets plateau be judged',
        parseChanceLoss,
      )
      .option('--classes <count>', 'the number of classes: chance accuracy is 1/C, chance loss ln C', parseClasses)
      .option('--tag <name>', 'the column (CSV, JSON Lines) or TensorBoard scalar tag to read as the training loss')
      .option('--segment <which>', 'which run of a resumed log to judge: last, all, or its number', parseSegment)
      .option('--follow', 'follow a growing log: re-judge on each new row, exit 1 at the first critical finding')
      .option('--idle <seconds>', 'with --follow: stop when the log has not grown for this long', parseIdle, 60)
      .option('--keep-going', 'with --follow: report critical findings as they appear but keep following')
      .addOption(codeOption()),
  );
}

type AnalyzeFlags = ReturnType<ReturnType<typeof analyzeCommand>['opts']>;

export function registerAnalyze(program: Command, io: CliIo, setExitCode: (code: number) => void): void {
  analyzeCommand(program).action(async (log, flags) => {
    const options = {
      ...(flags.chanceLoss === undefined ? {} : { chanceLoss: flags.chanceLoss }),
      ...(flags.classes === undefined ? {} : { classes: flags.classes }),
      ...(flags.segment === undefined ? {} : { segment: flags.segment }),
      ...(flags.tag === undefined ? {} : { tag: flags.tag }),
      ...(flags.code === undefined ? {} : { code: flags.code }),
      outputs: plannedOutputs(flags),
    };
    if (flags.follow === true) {
      setExitCode(await emitReport(await follow(log, options, flags, io), flags, io));
      return;
    }
    const { analyze } = await import('../commands/analyze.js');
    setExitCode(await emitReport(await analyze(log, options), flags, io));
  });
}

/** `--follow`: re-judge the growing log, naming each critical finding on stderr as it appears. */
async function follow(log: string, options: AnalyzeOptions, flags: AnalyzeFlags, io: CliIo): Promise<Report> {
  const { followLog } = await import('../commands/follow-log.js');
  // As `tsc --watch` does: say that it is watching, so a writer (or a test) knows it may start.
  if (flags.quiet !== true)
    io.stderr.write(
      `convdoc: following ${log} until ${flags.keepGoing === true ? '' : 'a critical finding or '}${flags.idle} s without growth\n`,
    );
  // SIGINT ends the watch, not the process: the report on the log so far is still printed.
  const stop = new AbortController();
  const onSigint = () => stop.abort();
  process.once('SIGINT', onSigint);
  try {
    return await followLog(log, options, {
      idleSeconds: flags.idle,
      keepGoing: flags.keepGoing === true,
      signal: stop.signal,
      onCritical: (finding) =>
        io.stderr.write(
          `convdoc: critical ${finding.symptom}${finding.step === undefined ? '' : ` at step ${finding.step}`}: ${finding.message}\n`,
        ),
    });
  } finally {
    process.off('SIGINT', onSigint);
  }
}
