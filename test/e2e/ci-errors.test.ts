import { readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { junitSchemaErrors } from '../report/schema/validate.js';
import { ROOT, runCli } from './run-cli.js';

let directory: string;
beforeAll(async () => {
  directory = await mkdtemp(path.join(tmpdir(), 'convdoc-ci-errors-'));
  const iris = path.join(ROOT, 'fixtures/iris/iris.csv');
  const config = (data: string, layer: string) =>
    `version: 1\ndata: {train: ${data}, target: species}\nmodel:\n  layers:\n    - ${layer}\n`;
  writeFileSync(path.join(directory, 'bad-layer.yaml'), config(iris, '{type: dense, units: 0}'));
  writeFileSync(path.join(directory, 'missing-data.yaml'), config('gone.csv', '{type: dense, units: 3}'));
});

describe('an exit-2 run still reports to CI', () => {
  it('--format junit -o writes a valid JUnit file with one failed testcase convdoc.config', () => {
    const { code, stdout, stderr } = runCli(['diagnose', 'bad-layer.yaml', '--format', 'junit', '-o', 'r.xml'], {
      cwd: directory,
    });
    expect([code, stdout]).toEqual([2, '']);
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
    const xml = readFileSync(path.join(directory, 'r.xml'), 'utf8');
    expect(junitSchemaErrors(xml)).toEqual({ jenkins: '', ant: '' });
    expect(xml).toContain('<testsuite name="convdoc diagnose bad-layer.yaml" tests="1" failures="1"');
    expect(xml).toContain('<testcase classname="convdoc.config" name="the config is valid"');
    expect(xml).toContain(`<failure message="${stderr.trimEnd().replace(/"/g, '&quot;')}" type="config-error">`);
  });

  it('--format junit prints it on stdout without -o, as convdoc.data for a data error', () => {
    const { code, stdout } = runCli(['inspect', 'missing-data.yaml', '--format', 'junit'], { cwd: directory });
    expect(code).toBe(2);
    expect(junitSchemaErrors(stdout)).toEqual({ jenkins: '', ant: '' });
    expect(stdout).toContain('<testcase classname="convdoc.data" name="the data is readable and valid"');
  });

  it('--format github prints one ::error annotation at the file and line of the message', () => {
    const { code, stdout, stderr } = runCli(['diagnose', 'bad-layer.yaml', '--format', 'github'], { cwd: directory });
    expect(code).toBe(2);
    const [, line, column] = /^bad-layer\.yaml:(\d+):(\d+): /.exec(stderr)!;
    expect(stdout).toMatch(
      new RegExp(
        `^::error file=bad-layer\\.yaml,line=${line},col=${column},title=convdoc could not run \\(config error\\)::bad-layer\\.yaml:`,
      ),
    );
    expect(stdout.split('\n')).toHaveLength(2);
  });

  it('--json with another --format is a usage error, before any work', () => {
    const { code, stdout, stderr } = runCli(['inspect', 'missing-data.yaml', '--json', '--format', 'junit'], {
      cwd: directory,
    });
    expect([code, stdout]).toEqual([2, '']);
    expect(stderr).toBe(
      '--json prints the JSON report; it cannot be combined with --format junit. Drop one of them.\n',
    );
  });
});
