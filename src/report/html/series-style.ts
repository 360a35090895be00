/**
 * How series tell themselves apart: the Okabe–Ito colour-blind-safe palette, and for readers who
 * see no colour at all a dash pattern and a marker shape per series as well, named in the legend.
 */
export type MarkerShape = 'circle' | 'square' | 'triangle' | 'diamond';

export interface SeriesStyle {
  color: string;
  /** SVG stroke-dasharray; '' is a solid line. */
  dash: string;
  marker: MarkerShape;
}

/** Okabe & Ito (2008), darkest first; yellow last, as it is faint on white. */
const OKABE_ITO = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#000000', '#E69F00', '#56B4E9', '#F0E442'] as const;
const DASHES = ['', '7 3', '2 2', '9 3 2 3', '4 4', '12 3', '1 3', '6 2 2 2 2 2'] as const;
const MARKERS: readonly MarkerShape[] = ['circle', 'square', 'triangle', 'diamond'];

/** Plots cap their series here: beyond eight, dash patterns stop being told apart. */
export const MAX_STYLES = OKABE_ITO.length;

export function styleAt(index: number): SeriesStyle {
  return {
    color: OKABE_ITO[index % OKABE_ITO.length]!,
    dash: DASHES[index % DASHES.length]!,
    marker: MARKERS[index % MARKERS.length]!,
  };
}

/** Before/after pairs: the baseline dashed in vermillion, the fixed run solid in blue. */
export const BASELINE_STYLE: SeriesStyle = { color: '#D55E00', dash: '7 3', marker: 'square' };
export const FIXED_STYLE: SeriesStyle = { color: '#0072B2', dash: '', marker: 'circle' };
