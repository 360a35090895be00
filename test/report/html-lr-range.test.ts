/**
 * The LR range test panel (burn-in shaded, suggested rate marked, caption saying what is drawn) and
 * the chance line on the before/after panels, where "verified" is judged against it.
 */
import { describe, expect, it } from 'vitest';
import { lrRangePlot } from '../../src/report/html/lr-range-plot.js';
import { proofFigure } from '../../src/report/html/proof-plot.js';
import { trialsPlots } from '../../src/report/html/trials-plot.js';
import type { Report } from '../../src/report/report.js';
import { formatFinite, formatRate } from '../../src/util/format.js';
import { fullReport } from './html/realistic-report.js';

type Curve = NonNullable<Report['lrRangeTest']>;

function withCurve(change: (curve: Curve) => Partial<Curve>): Report {
  const report = fullReport();
  return { ...report, lrRangeTest: { ...report.lrRangeTest!, ...change(report.lrRangeTest!) } };
}

/** The x of each marker line, by its label's name (`suggested`, `valley`, ...). */
function markerXs(svg: string): Map<string, number> {
  const found = [...svg.matchAll(/<line class="marker" x1="([\d.]+)"[^>]*\/><text[^>]*>([a-z ]+?) [\d.e-]+<\/text>/g)];
  return new Map(found.map(([, x, name]) => [name!, Number(x)]));
}

/** The shaded burn-in band's left and right edge. */
function band(svg: string): [number, number] | null {
  const match = /<rect class="band" x="([\d.]+)" y="[\d.]+" width="([\d.]+)"/.exec(svg);
  return match === null ? null : [Number(match[1]), Number(match[1]) + Number(match[2])];
}

describe('the LR range test panel', () => {
  it('shades the burn-in before the smoothed loss starts, and says how long it was', () => {
    const report = fullReport();
    const curve = report.lrRangeTest!;
    const figure = lrRangePlot(report)!;
    expect(figure.svg).toContain('>burn-in, not judged</text>');
    const [left, right] = band(figure.svg)!;
    expect(right).toBeGreaterThan(left);
    // The band ends left of every rate the analysis judged: they come from after the burn-in.
    for (const x of markerXs(figure.svg).values()) expect(x).toBeGreaterThan(right);
    expect(figure.caption).toContain(
      `The shaded first ${curve.smoothedFrom} steps, up to ${formatRate(curve.learningRate[curve.smoothedFrom]!)}, are a burn-in`,
    );
  });

  it('marks the suggested rate, and the caption names the same rate', () => {
    const figure = lrRangePlot(fullReport())!;
    expect([...markerXs(figure.svg).keys()]).toEqual(['steepest descent', 'valley', 'suggested']);
    expect(figure.svg).toContain(`>suggested ${formatRate(1e-3)}</text>`);
    expect(figure.caption).toContain(`the lr-schedule trial started at the suggested ${formatRate(1e-3)}`);
  });

  it('without a suggestion marks none, and says why a descent in the shaded burn-in was not used', () => {
    const figure = lrRangePlot(withCurve(() => ({ suggested: null, valley: null, steepest: null })))!;
    expect(markerXs(figure.svg).size).toBe(0);
    expect(band(figure.svg)).not.toBeNull();
    expect(figure.caption).toContain(
      'after the burn-in the smoothed loss shows no descent to take a starting rate from',
    );
    expect(figure.caption).toContain('are a burn-in the analysis skips');
    expect(figure.caption).not.toContain('suggested');
  });

  it('shades nothing and mentions no burn-in when the smoothing starts at the first step', () => {
    const figure = lrRangePlot(withCurve((curve) => ({ smoothedFrom: 0, smoothed: curve.loss.slice(0, 40) })))!;
    expect(band(figure.svg)).toBeNull();
    expect(`${figure.svg} ${figure.caption}`).not.toContain('burn-in');
  });
});

describe('the chance line on the before/after panels', () => {
  const chance = (report: Report) => `chance level ${formatFinite(report.probe!.loss.chance)}`;

  it('is drawn on the first screen’s proof and on every trial panel, and their captions say so', () => {
    const report = fullReport();
    const proof = proofFigure(report)!;
    expect(proof.svg).toMatch(/<line class="level"/);
    expect(proof.svg).toContain(chance(report));
    expect(proof.caption).toContain('The dash-dotted line is the chance level.');
    const panels = trialsPlots(report)!;
    const drawn = panels.match(/<svg class="plot"/g)!.length;
    expect(panels.match(/<line class="level"/g)).toHaveLength(drawn);
    expect(panels.split(chance(report)).length - 1).toBe(drawn);
    expect(panels).toContain('The dash-dotted line is the chance level.');
  });

  it('is absent, with its sentence, when the report knows no chance level', () => {
    const report = fullReport();
    const unknown: Report = { ...report, probe: { ...report.probe!, loss: { ...report.probe!.loss, chance: null } } };
    for (const text of [proofFigure(unknown)!.svg, proofFigure(unknown)!.caption, trialsPlots(unknown)!])
      expect(text).not.toMatch(/class="level"|chance level/);
  });
});
