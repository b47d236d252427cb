/**
 * The header and first rows of a CSV file, read in the browser for the column mapping (the
 * server parses the whole file). Handles quoted cells, doubled quotes and a BOM.
 */
export interface CsvHead {
  delimiter: ',' | ';' | '\t';
  headers: string[];
  rows: string[][];
}

const HEAD_BYTES = 64 * 1024;

export function detectDelimiter(line: string): CsvHead['delimiter'] {
  const counts = ([',', ';', '\t'] as const).map((d) => ({ d, n: line.split(d).length }));
  return counts.reduce((best, c) => (c.n > best.n ? c : best)).d;
}

export function parseCsvText(text: string, maxRows: number): CsvHead {
  const clean = text.replace(/^\uFEFF/, '');
  const firstLine = clean.split(/\r?\n/, 1)[0] ?? '';
  const delimiter = detectDelimiter(firstLine);
  const records: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < clean.length && records.length <= maxRows; i += 1) {
    const ch = clean.charAt(i);
    if (quoted) {
      if (ch === '"') {
        if (clean.charAt(i + 1) === '"') {
          cell += '"';
          i += 1;
        } else quoted = false;
      } else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === delimiter) {
      row.push(cell);
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && clean.charAt(i + 1) === '\n') i += 1;
      row.push(cell);
      records.push(row);
      row = [];
      cell = '';
    } else cell += ch;
  }
  // The last line counts only if the sample holds the whole file (it may be cut off otherwise).
  if ((cell !== '' || row.length > 0) && text.length < HEAD_BYTES) {
    row.push(cell);
    records.push(row);
  }
  const [headers = [], ...rows] = records.filter((r) => r.some((c) => c.trim() !== ''));
  return { delimiter, headers: headers.map((h) => h.trim()), rows: rows.slice(0, maxRows) };
}

export async function readCsvHead(file: File, maxRows = 20): Promise<CsvHead> {
  return parseCsvText(await file.slice(0, HEAD_BYTES).text(), maxRows);
}
