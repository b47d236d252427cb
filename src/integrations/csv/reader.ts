/**
 * Reading CSV files as a stream (csv-parse): never the whole file in memory. UTF-8, with or
 * without a byte-order mark; the delimiter (comma, semicolon, tab) is detected from the
 * header line unless given. A malformed record (an unclosed quote, say) becomes an error row
 * and reading goes on.
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { parse, type CsvError } from 'csv-parse';

export type Delimiter = ',' | ';' | '\t';
export const DELIMITERS: readonly Delimiter[] = [',', ';', '\t'];

/** One data row; `row` counts as a spreadsheet does (the header is row 1). */
export interface CsvRow {
  row: number;
  cells: string[];
  /** Set when the record could not be read; `cells` is then empty. */
  error?: string;
}

export interface CsvFile {
  headers: string[];
  delimiter: Delimiter;
  rows: AsyncIterable<CsvRow>;
  /** Stops reading (safe to call twice, and after the rows are read). */
  close(): void;
}

/** The delimiter the header line uses most, outside quotes (comma when it has none). */
export function detectDelimiter(headerLine: string): Delimiter {
  const counts: Record<Delimiter, number> = { ',': 0, ';': 0, '\t': 0 };
  let quoted = false;
  for (const char of headerLine.replace(/^\uFEFF/, '')) {
    if (char === '"') quoted = !quoted;
    else if (!quoted && (char === ',' || char === ';' || char === '\t')) counts[char] += 1;
  }
  return DELIMITERS.reduce((best, d) => (counts[d] > counts[best] ? d : best), ',' as Delimiter);
}

async function readHeaderLine(path: string): Promise<string> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(64 * 1024);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    const text = buffer.subarray(0, bytesRead).toString('utf8');
    const end = text.search(/\r?\n/);
    return end < 0 ? text : text.slice(0, end);
  } finally {
    await handle.close();
  }
}

/**
 * Opens a CSV file for one pass: reads the header line, then streams the data rows.
 * @example const file = await openCsv('/tmp/deals.csv'); for await (const { row, cells } of file.rows) …
 */
export async function openCsv(path: string, options: { delimiter?: Delimiter | 'auto' | undefined } = {}): Promise<CsvFile> {
  const delimiter = !options.delimiter || options.delimiter === 'auto' ? detectDelimiter(await readHeaderLine(path)) : options.delimiter;
  const skipped: { records: number; message: string }[] = [];
  const parser = createReadStream(path, { highWaterMark: 1024 * 1024 }).pipe(
    parse({
      delimiter,
      bom: true,
      relax_column_count: true,
      skip_empty_lines: true,
      skip_records_with_empty_values: true,
      skip_records_with_error: true,
      on_skip: (error: CsvError | undefined) => {
        if (error) skipped.push({ records: Number(error.records ?? 0), message: error.message });
        return undefined;
      },
    }),
  );
  const iterator = parser[Symbol.asyncIterator]() as AsyncIterator<string[]>;
  const first = await iterator.next();
  const headers = first.done ? [] : first.value.map((h) => h.trim());
  async function* rows(): AsyncGenerator<CsvRow> {
    let row = 1;
    try {
      for (;;) {
        const next = await iterator.next();
        while (skipped.length > 0) {
          const bad = skipped.shift();
          row += 1;
          yield { row, cells: [], error: bad?.message ?? 'unreadable record' };
        }
        if (next.done) return;
        row += 1;
        yield { row, cells: next.value };
      }
    } finally {
      parser.destroy();
    }
  }
  return { headers, delimiter, rows: rows(), close: () => parser.destroy() };
}

/** The header line and the first rows, for suggesting a mapping. */
export async function readCsvSample(path: string, rows = 50): Promise<{ headers: string[]; delimiter: Delimiter; sample: string[][] }> {
  const file = await openCsv(path);
  const sample: string[][] = [];
  try {
    for await (const row of file.rows) {
      if (row.error === undefined) sample.push(row.cells);
      if (sample.length >= rows) break;
    }
  } finally {
    file.close();
  }
  return { headers: file.headers, delimiter: file.delimiter, sample };
}
