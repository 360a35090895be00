/**
 * Whole HTML pages as golden files, so a change to any plot shows as a diff to read: an analyzed
 * epoch log (best epoch, validation metric, a constant learning rate as a sentence) and the
 * 3-step boston probe after --apply-fix (whole-number ticks, update ratios off the top, measured ranking).
 */
import { describe, it } from 'vitest';
import { analyze } from '../../src/commands/analyze.js';
import { renderHtml } from '../../src/report/html/index.js';
import { expectGolden, measuredFixture } from './fixtures/reports.js';

describe('HTML pages (golden)', () => {
  it('an analyzed Keras log with overfitting: epoch axis, best validation epoch, validation accuracy', async () => {
    const report = await analyze('fixtures/logs/keras-overfitting.csv');
    expectGolden('keras-overfitting.analyze.html', renderHtml(report));
  });

  it('the boston probe that diverged at step 2, after measured fixes', async () => {
    expectGolden('boston-unscaled.measured.html', renderHtml(await measuredFixture()));
  });
});
