import { readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli } from './run-cli.js';

describe('convdoc fix', () => {
  it('writes unscaled Boston with normalize applied, comments kept, and the result diagnoses healthy', async () => {
    const directory = await mkdtemp(path.join(tmpdir(), 'convdoc-fix-'));
    const output = path.join(directory, 'fixed.yaml');
    const { code, stderr } = runCli([
      'fix',
      'examples/boston-unscaled/convdoc.yaml',
      '--apply',
      'normalize',
      '-o',
      output,
    ]);
    expect(code).toBe(0);
    expect(stderr).toMatch(/^applied normalize; wrote .*fixed\.yaml\n$/);
    const text = readFileSync(output, 'utf8');
    const original = readFileSync(path.join(ROOT, 'examples/boston-unscaled/convdoc.yaml'), 'utf8');
    // Every comment stays; the one on the changed value says which value it was written for.
    for (const comment of original.match(/#.*$/gm)!) expect(text).toContain(comment.replace(/^# /, ''));
    expect(text).toMatch(/# convdoc fix normalize: .+\n {2}normalize: standardize +# \(was none\) the bug: /);
    const diagnosis = runCli(['diagnose', output, '--json']);
    expect(diagnosis.code).toBe(0);
    expect(JSON.parse(diagnosis.stdout).verdict).toBe('healthy');
  });

  it('prints to stdout without -o and refuses a fix it cannot write as a config change', () => {
    expect(runCli(['fix', 'examples/boston-unscaled/convdoc.yaml', '--apply', 'clip']).stdout).toContain(
      'clipNorm: 1.0',
    );
    const search = runCli(['fix', 'examples/boston-unscaled/convdoc.yaml', '--apply', 'search']);
    expect(search.code).toBe(2);
    expect(search.stderr).toContain('search is not applied by convdoc fix');
  });
});
