/**
 * The HTML page's advice: the first screen's action with the fix's code, the fix list in the
 * measured order, each marked, and the fixes not tried.
 */
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/commands/analyze.js';
import { actionSection } from '../../src/report/html/action-section.js';
import { escapeHtml } from '../../src/report/html/escape.js';
import { renderHtml } from '../../src/report/html/index.js';
import { recommendedFixesSection } from '../../src/report/html/findings-section.js';
import { withTrials } from '../../src/report/measured-ranking.js';
import { diagnosedFixture, measuredFixture, TRIALS } from './fixtures/reports.js';

/** Each list item's fix and its badge, in page order. */
function listed(html: string): string[] {
  return [
    ...html.matchAll(
      /<li value="(\d+)"><strong><code>([\w-]+)<\/code><\/strong>(?: <span class="badge [\w-]+">([^<]+)<\/span>)?/g,
    ),
  ].map(([, rank, fix, badge]) => `${rank} ${fix} ${badge ?? '-'}`);
}

describe('the recommended fixes on the page', () => {
  it('mark each fix’s measured status, in the measured order, with the measured numbers', async () => {
    const html = recommendedFixesSection(await measuredFixture());
    expect(listed(html)).toEqual(['1 normalize verified', '2 clip not verified', '3 lr-schedule measured: lost']);
    expect(html).toContain(
      'measured: verified on 3 seeds: validation loss at end 21.4; the baseline diverged at step 2',
    );
    expect(html).toContain('measured: stopped, behind the best trial; validation loss then 23100');
  });

  it('carry no status before trials', async () => {
    const { report } = await diagnosedFixture('boston-unscaled');
    const html = recommendedFixesSection(report);
    expect(listed(html)).toEqual(['1 normalize -', '2 lr-schedule -', '3 clip -']);
    expect(html).not.toContain('measured:');
  });

  it('name the fixes not tried, with why, as the text report does', async () => {
    const { report } = await diagnosedFixture('boston-unscaled');
    const measured = withTrials(report, {
      trials: TRIALS.filter((trial) => trial.fixes[0] !== 'normalize'),
      untriedFixes: [{ fix: 'normalize', why: 'changes nothing in this config' }],
    });
    const html = renderHtml(measured);
    expect(listed(html).slice(0, 2)).toEqual(['1 normalize not tried', '2 lr-schedule not tried']);
    expect(html).toContain('<p>not tried: normalize (changes nothing in this config)</p>');
  });
});

/** The first screen's action block, without the proof beside it. */
const actionOf = (html: string) => html.slice(html.indexOf('<div class="action"'), html.indexOf('</div>'));

describe('the first screen’s action', () => {
  it('gives the verified fix’s code for the run’s frameworks, the first open, inside the action', async () => {
    const report = await measuredFixture();
    const action = actionOf(actionSection(report));
    const [keras, tfjs] = report.recommendedFixes[0]!.code!;
    expect(action).toContain('<details class="code" open><summary>keras code</summary>');
    expect(action).toContain(escapeHtml(keras!.code));
    expect(action).toContain('<details class="code"><summary>tfjs code</summary>');
    expect(action).toContain(escapeHtml(tfjs!.code));
  });

  it('says what to do for an analyzed log: the top fix with its code in the log’s framework', async () => {
    const report = await analyze('fixtures/logs/keras-diverging.csv');
    const action = actionOf(actionSection(report));
    expect(action).toContain('Try lr-schedule');
    expect(action).toContain('<summary>keras code</summary>');
    expect(action).toContain(escapeHtml(report.recommendedFixes[0]!.code![0]!.code));
    expect(action).not.toContain('tfjs code');
  });

  it('gives no code for a config edit, which no fix writes', async () => {
    const { report } = await diagnosedFixture('softmax-one-unit');
    const action = actionOf(actionSection(report));
    expect(action).toContain('Edit the config');
    expect(action).not.toContain('<details');
  });
});

describe('a fix the trial budget left out', () => {
  it('says "not measured" once, where the budget’s reason already says it', async () => {
    const { report } = await diagnosedFixture('boston-unscaled');
    const why = "not measured: the trials' budget of 300 probe-seconds would be spent first (about 34 s per run)";
    const html = recommendedFixesSection(
      withTrials(report, { trials: TRIALS, untriedFixes: [{ fix: 'lr-schedule', why }] }),
    );
    expect(html).toContain(`measured: ${escapeHtml(why)}<br>`);
    expect(html).not.toContain('not measured (not measured');
  });
});
