/**
 * `--json` and `--format json`: the report object as it is, indented, with one trailing newline.
 * Also the `--json` output of lr-find and search, whose results are not reports.
 */
export function renderJson(result: unknown): string {
  return `${JSON.stringify(result, null, 2)}\n`;
}
