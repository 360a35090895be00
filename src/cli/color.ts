import { Chalk, supportsColor, type ChalkInstance } from 'chalk';

/**
 * Colour only on a TTY, never with NO_COLOR or --no-color; FORCE_COLOR wins over the TTY test (as
 * chalk reads it). A colourless chalk returns its input untouched, so renderers need no branches.
 */
export function paintFor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv, colorFlag: boolean): ChalkInstance {
  const noColor = !colorFlag || (env['NO_COLOR'] !== undefined && env['NO_COLOR'] !== '');
  if (noColor) return new Chalk({ level: 0 });
  if (env['FORCE_COLOR'] !== undefined) return new Chalk({ level: supportsColor ? supportsColor.level : 1 });
  return new Chalk({ level: stream.isTTY ? (supportsColor ? supportsColor.level : 1) : 0 });
}
