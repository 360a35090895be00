import { beforeAll, describe, expect, it } from 'vitest';
import { fixesToMeasure } from '../../src/commands/diagnose.js';
import type { Report } from '../../src/report/report.js';
import type { Finding } from '../../src/symptoms/finding.js';
import { diagnosedFixture } from '../report/fixtures/reports.js';

const oscillating: Finding = {
  symptom: 'oscillating-loss',
  severity: 'warning',
  confidence: 0.8,
  evidence: { measured: 0.6, threshold: 0.5, what: 'reversals' },
  message: 'The loss oscillates.',
  fixes: ['lr-schedule', 'search'],
};

describe('what --apply-fix suggested measures', () => {
  let report: Report;
  beforeAll(async () => {
    report = (await diagnosedFixture('boston-unscaled')).report;
  });

  it('the recommended fixes of an unhealthy run', () => {
    expect(report.verdict).toBe('unhealthy');
    expect(fixesToMeasure(report)).toEqual(report.recommendedFixes);
  });

  it('on warnings only, which recommend nothing, the fixes the warnings carry', () => {
    const warned: Report = { ...report, verdict: 'warning', findings: [oscillating], recommendedFixes: [] };
    expect(fixesToMeasure(warned).map((entry) => entry.fix)).toEqual(['lr-schedule', 'search']);
  });

  it('nothing on a healthy run', () => {
    expect(fixesToMeasure({ ...report, verdict: 'healthy', findings: [], recommendedFixes: [] })).toEqual([]);
  });
});
