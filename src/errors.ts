/**
 * The one error family convdoc shows to users. Anything thrown as a ConvdocError is a problem with
 * the input (arguments, config, data) and ends in exit code 2 with its message and no stack trace;
 * anything else is a bug in convdoc and is reported as an internal error.
 */

/** Where in a file a problem is: 1-based line and column, as editors and tsc print them. */
export interface SourcePosition {
  file: string;
  line?: number;
  column?: number;
}

export class ConvdocError extends Error {
  readonly exitCode = 2;
  override name = 'ConvdocError';

  constructor(message: string) {
    super(oneLine(message));
  }
}

/** The config file does not parse or does not fit the schema. One line per problem. */
export class ConfigError extends ConvdocError {
  override name = 'ConfigError';
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super('');
    this.problems = problems.map(oneLine);
    this.message = this.problems.join('\n');
  }
}

/**
 * A message is one line: line breaks and other control characters that came from the user's own
 * text (a key, a header name, a parser's quote of the input) are shown escaped, as JSON does. JSON
 * leaves DEL as it is, so that one is escaped here.
 */
function oneLine(text: string): string {
  // eslint-disable-next-line no-control-regex -- finding control characters is what this regex is for
  return text.replace(/[\u0000-\u001f\u007f]/g, (character) =>
    character === '\u007f' ? '\\u007f' : JSON.stringify(character).slice(1, -1),
  );
}

/** A data file cannot be read, or a value in it cannot be used. */
export class DataError extends ConvdocError {
  override name = 'DataError';
}

/** Bad command-line arguments. */
export class UsageError extends ConvdocError {
  override name = 'UsageError';
}

/** Format `file:line:column` the way tsc and eslint do, leaving out what is not known. */
export function formatPosition({ file, line, column }: SourcePosition): string {
  if (line === undefined) return file;
  return column === undefined ? `${file}:${line}` : `${file}:${line}:${column}`;
}
