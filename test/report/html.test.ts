import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHROMIUM, checkPage } from '../../scripts/check-html.js';
import { renderHtml } from '../../src/report/html/index.js';
import { ACTIVATION_PLOT_TITLE } from '../../src/report/html/activation-plot.js';
import { lossScale, logScale } from '../../src/report/html/axis-scale.js';
import { downsampleMinMax, drawableRuns } from '../../src/report/html/downsample.js';
import { escapeHtml } from '../../src/report/html/escape.js';
import { GRAD_NORM_PLOT_TITLE } from '../../src/report/html/grad-norm-plot.js';
import { variablesToShow } from '../../src/report/html/variable-choice.js';
import { LOSS_PLOT_TITLE } from '../../src/report/html/loss-plot.js';
import { LR_RANGE_PLOT_TITLE } from '../../src/report/html/lr-range-plot.js';
import { TRIALS_PLOT_TITLE } from '../../src/report/html/trials-plot.js';
import { PROOF_PLOT_TITLE } from '../../src/report/html/proof-plot.js';
import { UPDATE_RATIO_PLOT_TITLE } from '../../src/report/html/update-ratio-plot.js';
import { FIXTURE_TRACES } from '../symptoms/trace-builder.js';
import { diagnosedReport, fullReport } from './html/realistic-report.js';

const ONE_MEGABYTE = 1024 * 1024;

/** Every `d="..."` and numeric attribute inside the page's SVGs. */
function svgNumbers(html: string): string[] {
  return [...html.matchAll(/<svg[\s\S]*?<\/svg>/g)].flatMap(([svg]) =>
    [...svg.matchAll(/\s(?:d|x|y|x1|x2|y1|y2|cx|cy|width|height|viewBox)="([^"]*)"/g)].map((match) => match[1]!),
  );
}

describe('renderHtml', () => {
  const report = fullReport();
  const html = renderHtml(report);

  it('is one self-contained page: no network reference, no script, well under 1 MB', () => {
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).not.toMatch(/<script|<link|\ssrc=|@import|url\((?!#)/i);
    expect(Buffer.byteLength(html)).toBeLessThan(ONE_MEGABYTE / 2);
  });

  it.each([LOSS_PLOT_TITLE, GRAD_NORM_PLOT_TITLE, UPDATE_RATIO_PLOT_TITLE, LR_RANGE_PLOT_TITLE])(
    'draws the plot "%s", named for screen readers',
    (title) => {
      expect(html).toContain(`role="img" aria-label="${title}"`);
      expect(html).toContain(`<title>${title}</title>`);
    },
  );

  it('draws the activation bars where a fraction is not zero, and a sentence instead of empty bars', () => {
    expect(renderHtml(fullReport('sigmoid-regression'))).toContain(`role="img" aria-label="${ACTIVATION_PLOT_TITLE}"`);
    // deep-sigmoid's sigmoid layers never saturate on the probe batch.
    expect(html).not.toContain(ACTIVATION_PLOT_TITLE);
    expect(html).toMatch(
      /<p class="unplotted">Measured the fraction of saturated and near-saturated units in 9 layers/,
    );
  });

  it('draws a before/after panel for every fix with a curve, and the trials table', () => {
    for (const trial of report.trials!.slice(1))
      expect(html).toContain(
        `aria-label="${TRIALS_PLOT_TITLE}: training and validation loss of the baseline and of ${trial.fixes.join(' + ')}"`,
      );
    expect(html.match(/<tr><th scope="row">/g)).toHaveLength(report.trials!.length);
    expect(html).toContain('<th scope="row">(baseline)</th>');
  });

  it('shows the verdict in words, the run, and every finding with its evidence, edit and advice', () => {
    expect(html).toContain('<p class="verdict">✖ unhealthy</p>');
    expect(html).toContain(report.tool.version);
    for (const finding of report.findings) expect(html).toContain(`<code>${finding.symptom}</code>`);
    expect(html).toContain('<code>examples/a&amp;b/convdoc.yaml:12:7</code> <code>model.layers.8.activation</code>');
    for (const { fix } of report.recommendedFixes) expect(html).toContain(`<strong><code>${fix}</code></strong>`);
  });

  it('opens with the verdict, the action with its convdoc fix command, and the proof, before the findings', () => {
    const at = (text: string) => html.indexOf(text);
    expect(at('<p class="verdict">')).toBeGreaterThan(0);
    expect(at('id="action"')).toBeGreaterThan(at('<p class="verdict">'));
    expect(at('id="proof"')).toBeGreaterThan(at('id="action"'));
    expect(at('<h2>Findings')).toBeGreaterThan(at('id="proof"'));
    // The best verified trial of the made-up trials is normalize (lowest loss), drawn against the baseline.
    expect(html).toContain('Apply normalize: measured, it repaired the run on every seed.');
    expect(html).toMatch(/<pre><code>(<span class="word">[^<]*<\/span> ?)+<\/code><\/pre>/);
    expect(html.replace(/<\/?span[^>]*>/g, '')).toContain(
      'convdoc fix examples/deep-sigmoid/convdoc.yaml --apply normalize -o fixed.yaml',
    );
    expect(html).toContain(`aria-label="${PROOF_PLOT_TITLE} (normalize)"`);
  });

  it.each(FIXTURE_TRACES)('shows the top finding’s evidence as the proof of the %s probe without trials', (name) => {
    const page = renderHtml(diagnosedReport(name));
    expect(page).toMatch(/<figure class="proof" id="proof">\n<svg class="plot" viewBox="0 0 560 /);
  });

  it('escapes every string from the report, so a message cannot inject markup', () => {
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<b>linear</b>');
    expect(html).toContain(escapeHtml('A message with <script>alert("x")</script> & friends'));
    expect(html).toContain('dense_&lt;9&gt;');
  });

  it('lists the detectors an analyzed log could not run, and names the log', () => {
    const analyzed = renderHtml({
      ...report,
      config: null,
      log: { file: 'logs/<run>.csv', format: 'keras-csv' },
      notEvaluated: [{ symptom: 'exploding-gradients', needs: ['grad_norm'] }],
    });
    expect(analyzed).toMatch(
      /<dt>log<\/dt><dd><code>logs\/&lt;run&gt;.csv<\/code> \(keras-csv, \d+ recorded steps\)<\/dd>/,
    );
    expect(analyzed).toContain('<li><code>exploding-gradients</code>: needs grad_norm</li>');
  });

  it('writes no NaN or Infinity into SVG coordinates, for a diverged run with null losses', () => {
    expect(report.trials![0]!.curve!.loss).toContain(null);
    const numbers = svgNumbers(html);
    expect(numbers.length).toBeGreaterThan(100);
    for (const value of numbers) expect(value).not.toMatch(/NaN|Infinity|null|undefined/);
  });

  it.each(FIXTURE_TRACES)('renders the diagnosis of the %s probe with finite coordinates', (name) => {
    const page = renderHtml(diagnosedReport(name));
    expect(page).toContain(`aria-label="${LOSS_PLOT_TITLE}"`);
    for (const value of svgNumbers(page)) expect(value).not.toMatch(/NaN|Infinity|null|undefined/);
  });

  it('keeps old reports without trial curves or an LR range test working', () => {
    const { lrRangeTest: _lrRangeTest, ...old } = report;
    const page = renderHtml({ ...old, trials: report.trials!.map(({ curve: _curve, ...trial }) => trial) });
    expect(page).not.toContain(TRIALS_PLOT_TITLE);
    expect(page).not.toContain(LR_RANGE_PLOT_TITLE);
    expect(page).toContain('No loss curves to draw');
  });

  it('is deterministic: the same report gives the same bytes', () => {
    expect(renderHtml(fullReport())).toBe(html);
  });
});

describe('plot helpers', () => {
  it('turns a loss axis logarithmic past two decades of positive values, and ignores values ≤ 0 on a log axis', () => {
    expect(lossScale([1, 2, 50]).kind).toBe('linear');
    expect(lossScale([1e-3, null, Number.NaN, 1e30]).kind).toBe('log');
    expect(lossScale([-1, 1e6]).kind).toBe('linear');
    const scale = logScale([0, -5, 1e-3, 1e30]);
    expect(scale.drawable(0)).toBe(false);
    expect(scale.ticks.length).toBeLessThanOrEqual(7);
    expect(scale.fraction(1e-3)).toBeGreaterThanOrEqual(0);
    expect(scale.fraction(1e30)).toBeLessThanOrEqual(1);
  });

  it('breaks a line at non-finite values and keeps spikes when thinning', () => {
    const runs = drawableRuns(
      [0, 1, 2, 3, 4],
      [1, 2, null, Number.POSITIVE_INFINITY, 5],
      (_, y) => typeof y === 'number' && Number.isFinite(y),
    );
    expect(runs).toEqual([
      [
        { x: 0, y: 1 },
        { x: 1, y: 2 },
      ],
      [{ x: 4, y: 5 }],
    ]);
    const spiky = Array.from({ length: 10_000 }, (_, x) => ({ x, y: x === 4321 ? 1e6 : 1 }));
    const thinned = downsampleMinMax(spiky, 400);
    expect(thinned.length).toBeLessThanOrEqual(400);
    expect(thinned).toContainEqual({ x: 4321, y: 1e6 });
  });

  it('shows at most eight gradient series: kernels first, spread from the first layer to the last', () => {
    const variables = Array.from({ length: 12 }, (_, index) => [
      `dense_${index + 1}/kernel`,
      `dense_${index + 1}/bias`,
    ]).flat();
    const shown = variablesToShow(variables, new Set(variables.filter((name) => name.endsWith('/kernel'))));
    expect(shown).toHaveLength(8);
    expect(shown[0]).toBe('dense_1/kernel');
    expect(shown.at(-1)).toBe('dense_12/kernel');
    expect(shown.every((name) => name.endsWith('/kernel'))).toBe(true);
  });
});

describe('in Chromium', () => {
  it.skipIf(!existsSync(CHROMIUM))(
    'opens without console errors or requests leaving the file',
    async () => {
      const directory = mkdtempSync(path.join(os.tmpdir(), 'convdoc-html-test-'));
      try {
        const file = path.join(directory, 'report.html');
        writeFileSync(file, renderHtml(fullReport()));
        const { problems, screenshot, height } = await checkPage(file);
        expect(problems).toEqual([]);
        expect(screenshot.subarray(1, 4).toString()).toBe('PNG');
        expect(height).toBeGreaterThan(2000);
      } finally {
        rmSync(directory, { recursive: true, force: true });
      }
    },
    90_000,
  );
});
