/**
 * One CSV line of a log as its cells. Logs hold numbers, so most lines have no quotes and split on
 * commas; Keras' CSVLogger quotes a value that is a list (`"[0.1, 0.2]"`), which the slow path
 * keeps whole. A quoted cell never spans lines in a log (no logger writes newlines in a value).
 */
export function csvCells(text: string): string[] {
  if (!text.includes('"')) {
    const cells = text.split(',');
    // Trimming allocates a second array: only lines that hold a space need it.
    return text.includes(' ') || text.includes('\t') ? cells.map((cell) => cell.trim()) : cells;
  }
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let index = 0; index < text.length; index++) {
    const char = text[index]!;
    if (char === '"' && quoted && text[index + 1] === '"') {
      cell += '"';
      index++;
    } else if (char === '"') quoted = !quoted;
    else if (char === ',' && !quoted) {
      cells.push(cell.trim());
      cell = '';
    } else cell += char;
  }
  cells.push(cell.trim());
  return cells;
}
