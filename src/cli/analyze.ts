import { InvalidArgumentError, type Command } from '@commander-js/extra-typings';
import type { CliIo } from './io.js';
import { addReportOptions } from './options.js';
import { emitReport } from './output.js';

/** `--chance-loss`: a loss level above zero. */
function parseChanceLoss(value: string): number {
  const number = Number(value);
  if (!(number > 0) || !Number.isFinite(number))
    throw new InvalidArgumentError(
      'expected a number > 0 (ln C for C classes with cross-entropy, the target variance for MSE).',
    );
  return number;
}

export function registerAnalyze(program: Command, io: CliIo, setExitCode: (code: number) => void): void {
  addReportOptions(
    program
      .command('analyze <log>')
      .description(
        'diagnose a training log from any framework, no re-run (Keras CSVLogger CSV, ' +
          'TensorBoard scalar CSV, JSON Lines of {step|epoch, loss, ...})',
      )
      .option(
        '--chance-loss <loss>',
        'the loss of a model that learned nothing (ln C for C classes, the target variance for MSE); ' +
          'lets plateau be judged',
        parseChanceLoss,
      ),
  ).action(async (log, flags) => {
    const { analyze } = await import('../commands/analyze.js');
    const report = await analyze(log, flags.chanceLoss === undefined ? {} : { chanceLoss: flags.chanceLoss });
    setExitCode(await emitReport(report, flags, io));
  });
}
