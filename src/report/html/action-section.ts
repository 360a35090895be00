/**
 * The first screen under the verdict: the one thing to do, with the command that does it, beside
 * the proof that it works (the best trial against the baseline) or, before any trial, the plot of
 * the top finding's evidence. A reader who reads nothing else has the answer and its reason.
 */
import type { Report } from '../report.js';
import { topAction, type TopAction } from '../top-action.js';
import { escapeHtml } from './escape.js';
import { figureHtml } from './figure.js';
import { proofFigure } from './proof-plot.js';

/** Each word kept whole, so a narrow column wraps the command between words, never inside `--apply`. */
function commandHtml(command: string): string {
  return command
    .split(' ')
    .map((word) => `<span class="word">${escapeHtml(word)}</span>`)
    .join(' ');
}

export function actionSection(report: Report): string {
  const action = topAction(report);
  const facts: [string, string][] = [
    ...(action.change === undefined
      ? []
      : [['change', `<code>${escapeHtml(action.change)}</code>`] as [string, string]]),
    ...(action.proof === undefined ? [] : [['measured', escapeHtml(action.proof)] as [string, string]]),
  ];
  const proof = proofFigure(report);
  return [
    '<section class="first-screen">',
    '<div class="action" id="action">',
    '<h2>What to do</h2>',
    `<p class="headline">${escapeHtml(action.headline)}</p>`,
    facts.length === 0 ? '' : `<dl>${facts.map(([term, value]) => `<dt>${term}</dt><dd>${value}</dd>`).join('')}</dl>`,
    ...action.commands.map(
      ({ what, command }) =>
        `<p class="command">${escapeHtml(what)}:</p><pre><code>${commandHtml(command)}</code></pre>`,
    ),
    ...codeHtml(action.code),
    '</div>',
    proof === null ? '' : figureHtml(proof, 'proof'),
    '</section>',
  ]
    .filter(Boolean)
    .join('\n');
}

/**
 * The change as code for the run's frameworks. The first is open and the others fold, so a config
 * run's second framework does not push the action below the first screen; no script is needed.
 */
function codeHtml(code: TopAction['code']): string[] {
  const several = new Set(code.map(({ fix }) => fix)).size > 1;
  return code.map(
    ({ fix, framework, code: text }, index) =>
      `<details class="code"${index === 0 ? ' open' : ''}><summary>${escapeHtml(several ? `${fix}: ${framework} code` : `${framework} code`)}` +
      `</summary><pre><code>${escapeHtml(text)}</code></pre></details>`,
  );
}
