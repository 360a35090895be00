/**
 * The package as users get it: `npm pack`, installed in a fresh project, imported by name. Checks
 * that `exports` points at a built library, that importing it loads no tfjs (the commands that
 * train load it when called), and that a command and a reporter run from the installed copy.
 * The dependencies come from npm's cache (--prefer-offline); scripts are skipped, dist/ is built
 * by the e2e setup.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from './run-cli.js';

/** npm on Windows is npm.cmd; these tests run where the CLI's users run it, on Node's platforms. */
function npm(args: readonly string[], cwd: string): string {
  const result = spawnSync('npm', [...args], { cwd, encoding: 'utf8', shell: process.platform === 'win32' });
  expect(result.status, `npm ${args.join(' ')}: ${result.stderr}`).toBe(0);
  return result.stdout;
}

/** Runs an ES module in the project and returns what it printed as JSON. */
function runModule(project: string, code: string): unknown {
  // A loader hook notes any module of tfjs that is resolved, as the library is imported.
  const hook = `data:text/javascript,${encodeURIComponent(
    "export async function resolve(specifier, context, next) { if (specifier.startsWith('@tensorflow')) process.stderr.write('tfjs loaded\\n'); return next(specifier, context); }",
  )}`;
  const register = `data:text/javascript,${encodeURIComponent(`import { register } from 'node:module'; register(${JSON.stringify(hook)});`)}`;
  const result = spawnSync(process.execPath, ['--import', register, '--input-type=module', '-e', code], {
    cwd: project,
    encoding: 'utf8',
  });
  expect(result.status, result.stderr).toBe(0);
  expect(result.stderr).toBe('');
  return JSON.parse(result.stdout);
}

let directory = '';
let project = '';

beforeAll(() => {
  directory = mkdtempSync(path.join(tmpdir(), 'convdoc-package-'));
  npm(['pack', '--ignore-scripts', '--pack-destination', directory], ROOT);
  const tarball = readdirSync(directory).find((name) => name.endsWith('.tgz'))!;
  project = path.join(directory, 'project');
  cpSync(path.join(ROOT, 'examples/boston-unscaled'), path.join(project, 'examples/boston-unscaled'), {
    recursive: true,
  });
  cpSync(path.join(ROOT, 'fixtures/boston/housing.csv'), path.join(project, 'fixtures/boston/housing.csv'));
  writeFileSync(
    path.join(project, 'package.json'),
    JSON.stringify({ name: 'uses-convdoc', private: true, type: 'module' }),
  );
  npm(
    ['install', path.join(directory, tarball), '--ignore-scripts', '--prefer-offline', '--no-audit', '--no-fund'],
    project,
  );
}, 300_000);

// The install holds tfjs and its wasm binaries: over 300 MB.
afterAll(() => rmSync(directory, { recursive: true, force: true }));

describe('the installed package', () => {
  it('exports the documented API without loading tfjs', () => {
    const exported = runModule(
      project,
      "const m = await import('convdoc'); console.log(JSON.stringify(Object.fromEntries(Object.entries(m).map(([k, v]) => [k, typeof v]))));",
    );
    expect(exported).toMatchObject({
      diagnose: 'function',
      analyze: 'function',
      inspect: 'function',
      fixConfig: 'function',
      lrFind: 'function',
      search: 'function',
      initConfig: 'function',
      loadConfig: 'function',
      renderReport: 'function',
      renderHtml: 'function',
      exitCodeFor: 'function',
      reportJsonSchema: 'function',
      reportSchema: 'object',
      REPORTERS: 'object',
      REPORT_FORMATS: 'object',
      ConvdocError: 'function',
      ConfigError: 'function',
      SYMPTOM_IDS: 'object',
      FIX_IDS: 'object',
    });
  });

  it('inspects an example config and renders its report as the CLI does', () => {
    const result = runModule(
      project,
      `const { inspect, loadConfig, renderReport, exitCodeFor, reportSchema } = await import('convdoc');
      const file = 'examples/boston-unscaled/convdoc.yaml';
      const report = await inspect(file);
      console.log(JSON.stringify({
        name: (await loadConfig(file)).config.name,
        verdict: report.verdict,
        exitCode: exitCodeFor(report, 'critical'),
        valid: reportSchema.safeParse(JSON.parse(await renderReport(report, 'json'))).success,
        annotation: (await renderReport(report, 'github')).split('\\n')[0],
      }));`,
    );
    expect(result).toMatchObject({ name: 'boston-unscaled', verdict: 'unhealthy', exitCode: 1, valid: true });
    expect((result as { annotation: string }).annotation).toMatch(
      /^::error file=examples\/boston-unscaled\/convdoc.yaml,line=\d+,col=\d+,title=convdoc /,
    );
  });
});
