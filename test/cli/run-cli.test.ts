import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { paintFor } from '../../src/cli/color.js';
import type { CliIo } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/main.js';

function capture(overrides: Partial<CliIo> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    stdout: { write: (text: string) => out.push(text) },
    stderr: { write: (text: string) => err.push(text) },
    env: {},
    ...overrides,
  };
  return { io, stdout: () => out.join(''), stderr: () => err.join('') };
}

describe('the error boundary', () => {
  it('reports an unexpected exception as an internal error with exit 2 and no stack', async () => {
    const { io, stderr } = capture({
      stdout: {
        write: () => {
          throw new TypeError('stdout went away');
        },
      },
    });
    expect(await runCli(['schema', 'config'], io)).toBe(2);
    expect(stderr()).toBe(
      'convdoc: internal error: stdout went away\nThis is a bug in convdoc. Rerun with --debug for the stack trace and report it with the command you ran.\n',
    );
  });

  it('shows the stack of an internal error with --debug', async () => {
    const { io, stderr } = capture({
      stdout: {
        write: () => {
          throw new TypeError('stdout went away');
        },
      },
    });
    expect(await runCli(['--debug', 'schema', 'config'], io)).toBe(2);
    expect(stderr()).toMatch(/^TypeError: stdout went away\n\s+at /);
  });

  it('runs a command in-process and returns its exit code', async () => {
    const { io, stdout } = capture();
    expect(await runCli(['inspect', 'fixtures/xor/xor.csv', '--json'], io)).toBe(0);
    expect(JSON.parse(stdout())).toMatchObject({
      command: 'inspect',
      verdict: 'healthy',
      data: { rows: 4, task: 'binary' },
    });
  });

  it('exits 0 for --version and --help', async () => {
    const { io, stdout } = capture();
    expect(await runCli(['--version'], io)).toBe(0);
    expect(stdout()).toBe('0.1.0\n');
  });
});

describe('the GitHub job summary', () => {
  const XOR = 'fixtures/xor/xor.csv';
  const summaryFile = () => path.join(mkdtempSync(path.join(tmpdir(), 'convdoc-summary-')), 'summary.md');

  it('is appended to $GITHUB_STEP_SUMMARY with --format github, after what earlier steps wrote', async () => {
    const file = summaryFile();
    writeFileSync(file, '# earlier step\n');
    const run = () =>
      runCli(['inspect', XOR, '--format', 'github'], capture({ env: { GITHUB_STEP_SUMMARY: file } }).io);
    expect(await run()).toBe(0);
    const once = readFileSync(file, 'utf8');
    expect(once).toMatch(/^# earlier step\n## convdoc inspect `fixtures\/xor\/xor\.csv`\n/);
    expect(await run()).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(once + once.slice('# earlier step\n'.length));
  });

  it('is not written without the variable, nor with another format', async () => {
    const file = summaryFile();
    expect(await runCli(['inspect', XOR, '--format', 'github'], capture().io)).toBe(0);
    expect(await runCli(['inspect', XOR], capture({ env: { GITHUB_STEP_SUMMARY: file } }).io)).toBe(0);
    expect(existsSync(file)).toBe(false);
  });

  it('a summary file that cannot be appended to: exit 2 and one line, after the annotations are out', async () => {
    const file = path.join(summaryFile(), 'missing-folder', 'summary.md');
    const { io, stdout, stderr } = capture({ env: { GITHUB_STEP_SUMMARY: file } });
    expect(await runCli(['inspect', XOR, '--format', 'github'], io)).toBe(2);
    expect(stderr()).toBe(`${file}: cannot append the job summary (ENOENT). Check GITHUB_STEP_SUMMARY.\n`);
    expect(stdout()).toBe('');
  });
});

describe('colour', () => {
  const colored = (paint: ReturnType<typeof paintFor>) => paint.red('x') !== 'x';

  it.each([
    ['a TTY', { isTTY: true }, {}, true, true],
    ['a pipe', { isTTY: false }, {}, true, false],
    ['a TTY with NO_COLOR', { isTTY: true }, { NO_COLOR: '1' }, true, false],
    ['a TTY with --no-color', { isTTY: true }, {}, false, false],
    ['a pipe with FORCE_COLOR', { isTTY: false }, { FORCE_COLOR: '1' }, true, true],
    ['FORCE_COLOR with NO_COLOR', { isTTY: true }, { FORCE_COLOR: '1', NO_COLOR: '1' }, true, false],
  ])('on %s: %s', (_, stream, env, flag, expected) => {
    expect(colored(paintFor(stream, env, flag))).toBe(expected);
  });
});
