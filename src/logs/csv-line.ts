/**
 * The character between cells: `,`, `;` when a log was saved again by a European spreadsheet or
 * pandas `to_csv(sep=';')`, or a tab (pandas `to_csv(sep='\t')`, a loop that writes
 * `'\t'.join(...)`: sweep s18, Yuvitsu/1REM `Epoch\tTrain_Loss\tVal_Loss\tTest_Loss`).
 */
export type CsvDelimiter = ',' | ';' | '\t';

/**
 * The delimiter of a CSV log, from its header line: `;` when the header holds a `;` and no comma
 * (the column names of a log hold neither), a tab when it holds a tab and neither, else `,`.
 */
export function csvDelimiter(header: string): CsvDelimiter {
  if (header.includes(',')) return ',';
  if (header.includes(';')) return ';';
  return header.includes('\t') ? '\t' : ',';
}

/**
 * One CSV line of a log as its cells. Logs hold numbers, so most lines have no quotes and split on
 * the delimiter; Keras' CSVLogger quotes a value that is a list (`"[0.1, 0.2]"`), which the slow
 * path keeps whole. A quoted cell never spans lines in a log (no logger writes newlines in a value).
 */
export function csvCells(text: string, delimiter: CsvDelimiter = ','): string[] {
  if (!text.includes('"')) {
    const cells = text.split(delimiter);
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
    else if (char === delimiter && !quoted) {
      cells.push(cell.trim());
      cell = '';
    } else cell += char;
  }
  cells.push(cell.trim());
  return cells;
}
