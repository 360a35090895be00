/**
 * The page's only stylesheet, inline: system fonts (no web font to fetch), the verdict and severity
 * marked by a symbol and a word besides colour, and plots that shrink to the window.
 */
/** The platform's own UI fonts: nothing to fetch. */
const SYSTEM_FONTS = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';

export const PAGE_STYLE = `
:root { color-scheme: light; --critical: #B33C00; --warning: #8A6100; --info: #005A8C; --healthy: #00704F; }
body { font: 15px/1.45 ${SYSTEM_FONTS}; color: #1a1a1a; background: #fff; margin: 0; }
main { max-width: 1100px; margin: 0 auto; padding: 24px; }
pre { overflow-x: auto; }
code { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: 0.92em; }
h1 { font-size: 1.3em; margin: 0.2em 0 0.6em; font-weight: 600; }
h2 { font-size: 1.2em; border-bottom: 1px solid #ccc; padding-bottom: 4px; margin-top: 2em; }
h3 { font-size: 1em; margin: 0 0 0.4em; }
header { border: 3px solid; border-left-width: 12px; padding: 12px 20px; border-radius: 4px; }
header.verdict-unhealthy { border-color: var(--critical); }
header.verdict-warning { border-color: var(--warning); }
header.verdict-healthy { border-color: var(--healthy); }
.verdict { font-size: 2.4em; font-weight: 700; margin: 0; letter-spacing: 0.02em; text-transform: capitalize; }
.verdict-unhealthy .verdict { color: var(--critical); }
.verdict-warning .verdict { color: var(--warning); }
.verdict-healthy .verdict { color: var(--healthy); }
.counts { margin: 0 0 0.6em; font-weight: 600; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 14px; margin: 0; }
dt { color: #555; }
dd { margin: 0; overflow-wrap: anywhere; }
.finding { border: 1px solid #ccc; border-left: 6px solid; border-radius: 4px; padding: 10px 14px; margin: 12px 0; }
.finding p { margin: 0.3em 0 0.6em; }
.severity-critical { border-left-color: var(--critical); }
.severity-warning { border-left-color: var(--warning); }
.severity-info { border-left-color: var(--info); }
.badge { display: inline-block; padding: 0 8px; border-radius: 3px; color: #fff; font-weight: 700; text-transform: uppercase; font-size: 0.85em; }
.severity-critical .badge { background: var(--critical); }
.severity-warning .badge { background: var(--warning); }
.severity-info .badge { background: var(--info); }
.meta { color: #555; font-weight: normal; font-size: 0.92em; }
.fixes li { margin-bottom: 0.5em; }
.measured-verified { background: var(--healthy); }
.measured-untried, .measured-not-verified { background: #595959; }
.measured-lost { background: var(--critical); }
figure { margin: 16px 0; }
figcaption { color: #333; font-size: 0.92em; max-width: 720px; }
.unplotted { max-width: 720px; padding: 8px 12px; background: #f6f6f6; border-left: 3px solid #bbb; }
svg.plot { display: block; max-width: 100%; height: auto; font-size: 12px; }
svg.plot text { fill: #222; }
svg.plot .axis-label { font-size: 13px; fill: #333; }
svg.plot .grid { stroke: #e3e3e3; stroke-width: 1; }
svg.plot .frame { fill: none; stroke: #888; }
svg.plot .marker { stroke: #444; stroke-dasharray: 3 3; }
svg.plot .band { fill: #000; fill-opacity: 0.07; }
svg.plot .level { stroke: #666; stroke-width: 1.5; stroke-dasharray: 6 3 1 3; }
svg.plot .first-tick { stroke: #000; stroke-width: 2; }
svg.plot .legend-note { font-style: italic; fill: #444; }
svg.plot .halo { paint-order: stroke; stroke: #fff; stroke-width: 3px; stroke-linejoin: round; font-weight: 600; }
.panels { display: grid; grid-template-columns: repeat(auto-fill, minmax(420px, 1fr)); gap: 8px 20px; }
.panel figcaption { margin-bottom: 4px; }
div.table-scroll { overflow-x: auto; }
table.trials { border-collapse: collapse; margin: 12px 0; font-variant-numeric: tabular-nums; }
table.trials th, table.trials td { border-bottom: 1px solid #ddd; padding: 4px 10px; text-align: left; }
table.trials thead th { border-bottom: 2px solid #888; }
.first-screen { display: grid; grid-template-columns: minmax(0, 1fr) 580px; gap: 20px; align-items: start; margin-top: 16px; }
.first-screen figure { margin: 0; }
.action { border: 1px solid #ccc; border-radius: 4px; padding: 12px 16px; }
.action h2 { margin-top: 0; }
.action .headline { font-size: 1.15em; font-weight: 600; margin: 0 0 0.6em; }
.action .command { margin: 0.8em 0 0.2em; color: #555; }
.action pre .word { white-space: nowrap; }
.action details.code { margin-top: 0.6em; }
.action details.code summary { color: #555; cursor: pointer; }
.action details.code pre { white-space: pre; overflow-wrap: normal; }
.action pre { margin: 0; padding: 8px 10px; background: #f4f4f4; border-radius: 3px; white-space: pre-wrap; overflow-wrap: anywhere; }
@media (max-width: 1000px) { .first-screen { grid-template-columns: minmax(0, 1fr); } }
footer { margin-top: 3em; color: #555; font-size: 0.85em; }
`;
