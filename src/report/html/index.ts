/**
 * `--html`: the report as one self-contained HTML page — inline CSS and SVG, no script, nothing
 * fetched — that can be attached to a CI run or mailed. Deterministic: the same report gives the
 * same bytes, so pages can be diffed and cached.
 */
import { trialNotes, untriedTexts } from '../trial-notes.js';
import { reportSubject } from '../plain-text.js';
import type { Report } from '../report.js';
import { activationPlot } from './activation-plot.js';
import { escapeHtml } from './escape.js';
import { drawingHtml, figureHtml, type Figure } from './figure.js';
import { findingsSection, recommendedFixesSection } from './findings-section.js';
import { gradNormPlot } from './grad-norm-plot.js';
import { headerSection, runSection } from './header-section.js';
import { actionSection } from './action-section.js';
import { lossPlot } from './loss-plot.js';
import { lrRangePlot } from './lr-range-plot.js';
import { learningRatePanel, metricPanel } from './run-panels.js';
import { updateRatioPlot } from './update-ratio-plot.js';
import { PAGE_STYLE } from './page-style.js';
import { trialsPlots } from './trials-plot.js';
import { trialsTable } from './trials-table.js';

export function renderHtml(report: Report): string {
  const title = `convdoc ${report.command}: ${report.verdict} — ${reportSubject(report)}`;
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${PAGE_STYLE}</style>`,
    '</head>',
    '<body>',
    '<main>',
    headerSection(report),
    actionSection(report),
    runSection(report),
    findingsSection(report),
    recommendedFixesSection(report),
    probeSection(report),
    trialsSection(report),
    lrRangeSection(report),
    `<footer>Written by convdoc ${escapeHtml(report.tool.version)} (report schema ${report.schemaVersion}).</footer>`,
    '</main>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

function probeSection(report: Report): string {
  if (report.probe === undefined) return '';
  const activations = activationPlot(report);
  const gradients = gradNormPlot(report);
  const updates = updateRatioPlot(report);
  // A log holds what its framework wrote: say so where a probe's signal is missing.
  const logged = report.log !== undefined;
  return section(logged ? 'The logged run' : 'Probe run', [
    figureOrNothing(lossPlot(report)),
    ...[metricPanel(report), learningRatePanel(report)].map((panel) => (panel === null ? '' : drawingHtml(panel))),
    '<h3>Gradients</h3>',
    gradients !== null ? drawingHtml(gradients) : logged ? '<p>The log holds no gradient norms.</p>' : '',
    '<h3>Update/weight ratios</h3>',
    updates === null ? `<p>The ${logged ? 'log' : 'probe'} holds no update ratios.</p>` : drawingHtml(updates),
    '<h3>Activations</h3>',
    activations !== null
      ? drawingHtml(activations)
      : logged
        ? '<p>The log holds no activation statistics.</p>'
        : '<p>No ReLU-like, sigmoid or tanh layer recorded dead or saturated units.</p>',
  ]);
}

function trialsSection(report: Report): string {
  if (report.trials === undefined) return '';
  const plots = trialsPlots(report);
  const notes = [...trialNotes(report.trials, report.probe?.plan?.steps), ...untriedTexts(report)].map(
    (note) => `<p>${escapeHtml(note)}</p>`,
  );
  return section('Measured fixes: before and after', [
    trialsTable(report),
    ...notes,
    plots ?? '<p>No loss curves to draw: this report has none for the trials (older reports do not record them).</p>',
  ]);
}

function lrRangeSection(report: Report): string {
  const figure = lrRangePlot(report);
  return figure === null ? '' : section('LR range test', [figureHtml(figure)]);
}

function section(heading: string, parts: readonly string[]): string {
  return ['<section>', `<h2>${heading}</h2>`, ...parts.filter(Boolean), '</section>'].join('\n');
}

function figureOrNothing(figure: Figure | null): string {
  return figure === null ? '' : figureHtml(figure);
}
