/**
 * The progress line on stderr: one line, redrawn in place, only where a person watches a terminal.
 * Off with --no-progress or -q, when CI is set, and when stderr is not a TTY, so logs never get
 * carriage returns or partial lines. Nothing shows for work done within the first second.
 */
import type { StatusLine } from '../commands/progress.js';
import type { CliIo } from './io.js';

/** Work shorter than this shows no line at all. */
const SHOW_AFTER_MS = 1000;
/** Redraws at most this often: a terminal need not repaint for every optimizer step. */
const REDRAW_EVERY_MS = 100;
/** ESC [ K: erase to the end of the line. */
const ERASE_LINE = '\u001b[K';

export interface ProgressLine extends StatusLine {
  /** Erases the line, before the results are printed. */
  end(): void;
}

export function progressLine(
  io: CliIo,
  flags: { progress?: boolean; quiet?: boolean },
  now: () => number = () => performance.now(),
): ProgressLine | undefined {
  if (flags.progress === false || flags.quiet === true || io.env['CI'] || io.stderr.isTTY !== true) return undefined;
  const started = now();
  let drawnAt = Number.NEGATIVE_INFINITY;
  let drawn = false;
  let ended = false;
  // A pseudo-terminal may report 0 columns.
  const columns = (io.stderr as { columns?: number }).columns || 80;
  return {
    update(text) {
      const time = now();
      // A worker's reply can still arrive after the command ended (it failed): no line then.
      if (ended || time - started < SHOW_AFTER_MS || time - drawnAt < REDRAW_EVERY_MS) return;
      io.stderr.write(`\r${text.slice(0, columns - 1)}${ERASE_LINE}`);
      drawnAt = time;
      drawn = true;
    },
    end() {
      if (drawn) io.stderr.write(`\r${ERASE_LINE}`);
      drawn = false;
      ended = true;
    },
  };
}
