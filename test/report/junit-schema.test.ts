import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderRunErrorJunit } from '../../src/report/run-error.js';
import { expectGolden } from './fixtures/reports.js';
import { junitSchemaErrors } from './schema/validate.js';

const GOLDEN = path.join(import.meta.dirname, 'golden');

describe('JUnit output validates against the Jenkins xunit and Ant schemas (xmllint)', () => {
  it('an exit-2 run: one suite, one failed testcase named after what was wrong (golden)', () => {
    const xml = renderRunErrorJunit({
      kind: 'config',
      command: 'diagnose convdoc.yaml',
      message: 'convdoc.yaml:5:7: model.layers.0: unknown key "unitz" in a dense layer. Did you mean "units"?',
    });
    expectGolden('run-error.junit.xml', xml);
  });

  it.each(readdirSync(GOLDEN).filter((name) => name.endsWith('.junit.xml')))('golden %s', (name) => {
    expect(junitSchemaErrors(readFileSync(path.join(GOLDEN, name), 'utf8'))).toEqual({ jenkins: '', ant: '' });
  });
});
