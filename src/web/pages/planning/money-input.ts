// Parsing typed or pasted amounts into integer minor units exactly (string arithmetic, no floats).

/** Fraction digits of a currency (EUR 2, JPY 0). */
export function currencyDigits(currency: string): number {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

/** The locale's decimal separator ('.' or ','). */
export function decimalSeparator(locale: string): string {
  return new Intl.NumberFormat(locale).formatToParts(1.5).find((part) => part.type === 'decimal')?.value ?? '.';
}

/**
 * '1.250.000,50 €', '1,250,000.50', '1250000' → minor units; null when it is not an amount
 * (negative, too many decimals, letters, beyond the safe range). Separators: when both '.' and ','
 * appear, the last one is the decimal mark; one kind appearing once is the decimal mark unless it
 * is followed by exactly three digits and is not the locale's decimal mark (a thousands separator).
 */
export function parseMinor(text: string, options: { digits: number; locale: string }): number | null {
  let s = text.replace(/[\s\u00a0\u202f']/g, '').replace(/[€$£¥]|[A-Z]{3}$|^[A-Z]{3}/g, '');
  if (s === '' || s.startsWith('-')) return null;
  if (!/^[0-9.,]+$/.test(s)) return null;
  const lastDot = s.lastIndexOf('.');
  const lastComma = s.lastIndexOf(',');
  let decimalMark: string | null = null;
  if (lastDot >= 0 && lastComma >= 0) decimalMark = lastDot > lastComma ? '.' : ',';
  else if (lastDot >= 0 || lastComma >= 0) {
    const mark = lastDot >= 0 ? '.' : ',';
    const count = s.split(mark).length - 1;
    const after = s.length - s.lastIndexOf(mark) - 1;
    if (count > 1) decimalMark = null;
    else if (after === 3 && mark !== decimalSeparator(options.locale)) decimalMark = null;
    else decimalMark = mark;
  }
  let whole = s;
  let fraction = '';
  if (decimalMark !== null) {
    const at = s.lastIndexOf(decimalMark);
    whole = s.slice(0, at);
    fraction = s.slice(at + 1);
    if (!/^\d*$/.test(fraction)) return null;
  }
  s = whole.replace(/[.,]/g, '');
  if (!/^\d*$/.test(s) || (s === '' && fraction === '')) return null;
  // Trailing zeros beyond the currency's precision are harmless ('12.500' for EUR is 12.50).
  const trimmed = fraction.replace(/0+$/, '');
  if (trimmed.length > options.digits) return null;
  const minorText = `${s || '0'}${fraction.padEnd(options.digits, '0').slice(0, options.digits)}`.replace(/^0+(?=\d)/, '');
  const value = Number(minorText);
  return Number.isSafeInteger(value) ? value : null;
}

/** Minor units as a plain editable decimal in the locale ('1250000,50'), no grouping. */
export function minorToInput(minor: number, options: { digits: number; locale: string }): string {
  if (options.digits === 0) return String(minor);
  const text = String(minor).padStart(options.digits + 1, '0');
  const whole = text.slice(0, -options.digits);
  const fraction = text.slice(-options.digits);
  return /^0+$/.test(fraction) ? whole : `${whole}${decimalSeparator(options.locale)}${fraction}`;
}

/** Largest remainder split of `total` in proportion to `weights` (equal when all weights are 0). */
export function splitProportionally(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const shares = weights.map((w) => (sum === 0 ? 1 / weights.length : w / sum));
  const floors = shares.map((share) => Math.floor(total * share));
  let left = total - floors.reduce((a, b) => a + b, 0);
  const order = shares.map((share, i) => ({ i, rest: total * share - Math.floor(total * share) })).sort((a, b) => b.rest - a.rest || a.i - b.i);
  for (const { i } of order) {
    if (left <= 0) break;
    floors[i] = (floors[i] ?? 0) + 1;
    left -= 1;
  }
  return floors;
}

/** Tab/newline separated clipboard text as a block of cells (trailing empty line dropped). */
export function parseClipboardBlock(text: string): string[][] {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  return lines.map((line) => line.split('\t').map((cell) => cell.trim()));
}
