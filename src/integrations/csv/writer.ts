/**
 * Writing CSV: the error report of an import, and records (e.g. generated demo data) in the
 * column layout of a mapping, streamed to a file.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { stringify } from 'csv-stringify/sync';
import type { RowError } from '../../core/data/mapping.js';

/** The error report: row, column, value, code, reason (one line per error). */
export function errorsToCsv(errors: readonly RowError[]): string {
  return stringify([['row', 'column', 'value', 'code', 'reason'], ...errors.map((e) => [e.row, e.column, e.value, e.code, e.message])]);
}

/** Quotes a cell when it needs it (RFC 4180). */
export function csvCell(value: string): string {
  return /[",\r\n;\t]/.test(value) || value !== value.trim() ? `"${value.replace(/"/g, '""')}"` : value;
}

/**
 * Writes rows to a CSV file as they come (backpressure respected); returns the row count.
 * @example await writeCsvFile('/tmp/deals.csv', ['Opportunity ID', 'Amount'], rows())
 */
export async function writeCsvFile(path: string, headers: readonly string[], rows: Iterable<readonly string[]>): Promise<number> {
  const out = createWriteStream(path, { encoding: 'utf8', highWaterMark: 1024 * 1024 });
  const line = (cells: readonly string[]) => `${cells.map(csvCell).join(',')}\n`;
  let chunk = line(headers);
  let count = 0;
  for (const row of rows) {
    chunk += line(row);
    count += 1;
    if (chunk.length >= 256 * 1024) {
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  out.end(chunk);
  await once(out, 'finish');
  return count;
}
