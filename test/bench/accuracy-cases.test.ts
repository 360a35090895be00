/**
 * The accuracy benchmark's cases (bench/cases/) stay usable: every case names a known expected id and
 * fix, quotes a label and its sources, and its config loads with its data file in place. Training
 * nothing: the scorer (npm run bench:accuracy) is what runs them.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { FIX_IDS, SYMPTOM_IDS } from '../../src/symptoms/ids.js';

const CASES_DIR = fileURLToPath(new URL('../../bench/cases/', import.meta.url));
const MIN_CASES = 30;
const MIN_HEALTHY = 8;

interface CaseJson {
  id: string;
  sources: string[];
  label: Record<string, unknown>;
  expected: string;
  acceptable: string[];
  fixable: boolean;
  expectedFix: string | null;
  acceptableFixes: string[];
  heldOut?: unknown;
}

const ids = readdirSync(CASES_DIR).filter((id) => existsSync(path.join(CASES_DIR, id, 'case.json')));
const cases = ids.map((id) => JSON.parse(readFileSync(path.join(CASES_DIR, id, 'case.json'), 'utf8')) as CaseJson);
const symptoms: readonly string[] = SYMPTOM_IDS;
const fixes: readonly string[] = FIX_IDS;

describe('bench/cases', () => {
  it(`holds at least ${MIN_CASES} cases, ${MIN_HEALTHY} of them healthy controls`, () => {
    expect(cases.length).toBeGreaterThanOrEqual(MIN_CASES);
    expect(cases.filter((c) => c.expected === 'healthy').length).toBeGreaterThanOrEqual(MIN_HEALTHY);
  });

  it.each(cases)('$id: labelled with known ids and quoted sources', (c) => {
    expect(c.id).toBe(ids[cases.indexOf(c)]);
    expect([...symptoms, 'healthy']).toContain(c.expected);
    for (const id of c.acceptable) expect(symptoms).toContain(id);
    expect(c.sources.length).toBeGreaterThan(0);
    for (const source of c.sources) expect(source).toMatch(/^https:\/\//);
    expect(Object.keys(c.label).length).toBeGreaterThan(0);
    if (c.fixable) expect(fixes).toContain(c.expectedFix);
    else expect(c.expectedFix).toBeNull();
    for (const id of c.acceptableFixes) expect(fixes).toContain(id);
  });

  // bench/accuracy.ts prints one row of totals per set: absent (development), true (session 6), or "session N".
  it.each(cases)('$id: names its set in a form the scorer groups by', (c) => {
    if (c.heldOut !== undefined && c.heldOut !== true) expect(c.heldOut).toMatch(/^session \d+$/);
  });

  it.each(cases)('$id: the config loads and its data file exists', async (c) => {
    const { config } = await loadConfig(path.join(CASES_DIR, c.id, 'convdoc.yaml'));
    expect(existsSync(config.data.train)).toBe(true);
  });
});
