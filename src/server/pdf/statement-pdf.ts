/**
 * A payee's statement as a PDF (pdfkit): the same numbers as the web page and the CSV — the
 * total, attainment, every line with its tier, rate and arithmetic, and the deals behind each
 * line — in the reader's language. Money is formatted from exact decimal strings (never a
 * float), and the document states the rounding rule. Fonts: DejaVu Sans, embedded and
 * subset, so a payee's name in any script prints.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import PDFDocument from 'pdfkit';
import { formatMoney } from '../../core/comp/index.js';

const require = createRequire(import.meta.url);
const FONT_DIR = path.join(path.dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');
const FONTS = {
  regular: path.join(FONT_DIR, 'DejaVuSans.ttf'),
  bold: path.join(FONT_DIR, 'DejaVuSans-Bold.ttf'),
  mono: path.join(FONT_DIR, 'DejaVuSansMono.ttf'),
};

export type PdfLocale = 'en' | 'de';

export interface StatementPdfLine {
  lineNo: number;
  kind: string;
  label: string;
  planId: string | null;
  planVersion: number | null;
  amountMinor: number;
  currency: string;
  reason?: string | undefined;
  explanation: {
    credits: { recordId: string; kind: string; creditedMinor: number; attributedMinor: number }[];
    tier: { label: string; mode: string } | null;
    rate: string | null;
    steps: { label: string; expression: string; value: string }[];
    text: string;
  };
}

export interface StatementPdfDeal {
  extId: string;
  name: string | null;
  closeDate: string | null;
  amountMinor: number | null;
  currency: string | null;
}

export interface StatementPdfInput {
  locale: PdfLocale;
  workspaceName: string;
  run: { periodKey: string; periodStart: string; periodEnd: string; status: string; lockedAt: string | null };
  payee: { payeeName: string; externalRef: string | null; currency: string; quotaMinor: number | null; creditedMinor: number; attainment: string | null; earningsMinor: number; adjustmentsMinor: number; drawBalanceOutMinor: number; totalMinor: number };
  lines: readonly StatementPdfLine[];
  /** The credited records by id (records of other datasets, or deleted ones, may be missing). */
  deals: ReadonlyMap<string, StatementPdfDeal>;
  disputes: readonly { lineNo: number; status: string; reason: string; resolution: string | null }[];
  generatedAt: Date;
}

const TEXT = {
  en: {
    title: 'Commission statement', period: 'Period', status: 'Status', payee: 'Payee', reference: 'Reference', currency: 'Currency',
    total: 'Total payout', earnings: 'Earnings', attainment: 'Attainment', credited: 'Credited', quota: 'Quota', adjustments: 'Adjustments', drawBalance: 'Draw balance owed',
    lines: 'Payout lines', line: 'Line', plan: 'Plan', tierRate: 'Tier · rate', amount: 'Amount', noLines: 'No payout lines in this period.',
    deals: 'Credited records', deal: 'Record', name: 'Name', closeDate: 'Close date', dealAmount: 'Amount', creditedAmount: 'Credited', attributed: 'Paid on it', forLine: 'Line',
    disputes: 'Disputes', disputeLine: 'Line', reason: 'Reason', resolution: 'Resolution',
    rounding: 'Each line is computed exactly and rounded once, half away from zero, to the currency’s minor unit; the total is the sum of the rounded lines.',
    generated: 'Generated', page: 'Page', of: 'of', notInPeriod: '–',
    statuses: { draft: 'Draft', calculated: 'Calculated (not final)', approved: 'Approved (not final)', locked: 'Locked', paid: 'Paid' } as Record<string, string>,
    disputeStatuses: { open: 'Open', accepted: 'Accepted', rejected: 'Rejected' } as Record<string, string>,
  },
  de: {
    title: 'Provisionsabrechnung', period: 'Zeitraum', status: 'Status', payee: 'Empfänger', reference: 'Referenz', currency: 'Währung',
    total: 'Auszahlung gesamt', earnings: 'Verdienst', attainment: 'Zielerreichung', credited: 'Angerechnet', quota: 'Quote', adjustments: 'Korrekturen', drawBalance: 'Offener Vorschuss',
    lines: 'Abrechnungspositionen', line: 'Position', plan: 'Plan', tierRate: 'Stufe · Satz', amount: 'Betrag', noLines: 'Keine Positionen in diesem Zeitraum.',
    deals: 'Angerechnete Datensätze', deal: 'Datensatz', name: 'Name', closeDate: 'Abschluss', dealAmount: 'Betrag', creditedAmount: 'Angerechnet', attributed: 'Vergütet', forLine: 'Pos.',
    disputes: 'Einsprüche', disputeLine: 'Pos.', reason: 'Begründung', resolution: 'Entscheidung',
    rounding: 'Jede Position wird exakt berechnet und einmal kaufmännisch (halb von null weg) auf die kleinste Währungseinheit gerundet; die Summe ist die Summe der gerundeten Positionen.',
    generated: 'Erstellt', page: 'Seite', of: 'von', notInPeriod: '–',
    statuses: { draft: 'Entwurf', calculated: 'Berechnet (nicht endgültig)', approved: 'Freigegeben (nicht endgültig)', locked: 'Festgeschrieben', paid: 'Ausgezahlt' } as Record<string, string>,
    disputeStatuses: { open: 'Offen', accepted: 'Angenommen', rejected: 'Abgelehnt' } as Record<string, string>,
  },
} as const;

const INTL = { en: 'en-GB', de: 'de-DE' } as const;

/** Exact money in the reader's locale: the decimal string goes to Intl as a string, never as a float. */
export function pdfMoney(minor: number, currency: string, locale: PdfLocale): string {
  return new Intl.NumberFormat(INTL[locale], { style: 'currency', currency }).format(formatMoney(minor, currency) as unknown as number);
}

function pdfDate(iso: string, locale: PdfLocale): string {
  const [y, m, d] = iso.slice(0, 10).split('-');
  return locale === 'de' ? `${d}.${m}.${y}` : `${d}/${m}/${y}`;
}

function pdfPercent(ratio: string | null, locale: PdfLocale): string {
  if (ratio === null) return '–';
  // The ratio has 4 decimals: as a percentage, 2 — shift the decimal point in the string.
  const [whole = '0', fraction = ''] = ratio.replace('-', '').split('.');
  const digits = (whole + fraction.padEnd(4, '0').slice(0, 4)).replace(/^0+(?=\d{3})/, '');
  const intPart = digits.slice(0, -2) || '0';
  const text = `${intPart}${locale === 'de' ? ',' : '.'}${digits.slice(-2)}`;
  return `${ratio.startsWith('-') ? '−' : ''}${text} %`;
}

/** A rate ('0.08') as a percentage ('8 %'), shifting the decimal point in the string (exact). */
export function pdfRate(rate: string, locale: PdfLocale): string {
  const negative = rate.startsWith('-');
  const [whole = '0', fraction = ''] = rate.replace('-', '').split('.');
  const padded = fraction.padEnd(2, '0');
  const intPart = String(Number(whole + padded.slice(0, 2)));
  const rest = padded.slice(2).replace(/0+$/, '');
  return `${negative ? '−' : ''}${intPart}${rest ? (locale === 'de' ? ',' : '.') + rest : ''} %`;
}

const COLORS = { ink: '#1a1b1e', muted: '#5c5f66', faint: '#868e96', rule: '#dee2e6', band: '#f1f3f5', brand: '#4263eb', negative: '#c92a2a' };

/** Renders the statement; resolves with the PDF bytes. */
export function renderStatementPdf(input: StatementPdfInput): Promise<Buffer> {
  const t = TEXT[input.locale];
  const doc = new PDFDocument({
    size: 'A4', margins: { top: 56, bottom: 64, left: 48, right: 48 }, bufferPages: true,
    info: { Title: `${t.title} ${input.run.periodKey} – ${input.payee.payeeName}`, Author: input.workspaceName, Creator: 'Attain', CreationDate: input.generatedAt },
    lang: input.locale,
  });
  doc.registerFont('regular', FONTS.regular);
  doc.registerFont('bold', FONTS.bold);
  doc.registerFont('mono', FONTS.mono);
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const left = doc.page.margins.left;
  const width = doc.page.width - doc.page.margins.left - doc.page.margins.right;
  const bottom = () => doc.page.height - doc.page.margins.bottom;
  const ensure = (height: number) => {
    if (doc.y + height > bottom()) doc.addPage();
  };
  const money = (minor: number, currency = input.payee.currency) => pdfMoney(minor, currency, input.locale);

  // --- header ------------------------------------------------------------------------------
  doc.font('regular').fontSize(9).fillColor(COLORS.muted).text(input.workspaceName, left, doc.y, { width });
  doc.moveDown(0.2);
  doc.font('bold').fontSize(20).fillColor(COLORS.ink).text(t.title, { width });
  doc.moveDown(0.4);
  const last = new Date(Date.parse(`${input.run.periodEnd}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
  const facts: [string, string][] = [
    [t.payee, input.payee.payeeName],
    [t.period, `${input.run.periodKey} (${pdfDate(input.run.periodStart, input.locale)} – ${pdfDate(last, input.locale)})`],
    [t.status, t.statuses[input.run.status] ?? input.run.status],
    ...(input.payee.externalRef ? [[t.reference, input.payee.externalRef] as [string, string]] : []),
    [t.currency, input.payee.currency],
  ];
  for (const [label, value] of facts) {
    const y = doc.y;
    doc.font('regular').fontSize(9.5).fillColor(COLORS.muted).text(label, left, y, { width: 110 });
    doc.font('bold').fontSize(9.5).fillColor(COLORS.ink).text(value, left + 110, y, { width: width - 110 });
    doc.moveDown(0.15);
  }
  doc.moveDown(0.8);

  // --- summary boxes ---------------------------------------------------------------------------
  const boxes: [string, string, string | null][] = [
    [t.total, money(input.payee.totalMinor), null],
    [t.earnings, money(input.payee.earningsMinor), input.payee.adjustmentsMinor !== 0 ? `${t.adjustments}: ${money(input.payee.adjustmentsMinor)}` : null],
    [t.attainment, pdfPercent(input.payee.attainment, input.locale), input.payee.quotaMinor !== null ? `${money(input.payee.creditedMinor)} / ${money(input.payee.quotaMinor)}` : `${t.credited}: ${money(input.payee.creditedMinor)}`],
  ];
  if (input.payee.drawBalanceOutMinor > 0) boxes.push([t.drawBalance, money(input.payee.drawBalanceOutMinor), null]);
  const gap = 10;
  const boxWidth = (width - gap * (boxes.length - 1)) / boxes.length;
  const boxTop = doc.y;
  boxes.forEach(([label, value, note], i) => {
    const x = left + i * (boxWidth + gap);
    doc.roundedRect(x, boxTop, boxWidth, 62, 6).fillAndStroke(i === 0 ? '#edf2ff' : COLORS.band, i === 0 ? '#bac8ff' : COLORS.rule);
    doc.font('regular').fontSize(8.5).fillColor(COLORS.muted).text(label, x + 10, boxTop + 9, { width: boxWidth - 20 });
    doc.font('bold').fontSize(15).fillColor(i === 0 ? COLORS.brand : COLORS.ink).text(value, x + 10, boxTop + 22, { width: boxWidth - 20 });
    if (note) doc.font('regular').fontSize(7.5).fillColor(COLORS.muted).text(note, x + 10, boxTop + 44, { width: boxWidth - 20 });
  });
  doc.x = left;
  doc.y = boxTop + 62 + 22;

  // --- lines -------------------------------------------------------------------------------------
  const cols = { no: left, label: left + 28, plan: left + 215, tier: left + 295, amount: left + width - 90 };
  const heading = (text: string) => {
    ensure(60);
    doc.font('bold').fontSize(12).fillColor(COLORS.ink).text(text, left, doc.y, { width });
    doc.moveDown(0.35);
  };
  const tableHead = (cells: [string, number, number, 'left' | 'right'][]) => {
    const y = doc.y;
    doc.rect(left, y - 3, width, 17).fill(COLORS.band);
    for (const [text, x, w, align] of cells) doc.font('bold').fontSize(8).fillColor(COLORS.muted).text(text, x, y + 1, { width: w, align, lineBreak: false });
    doc.x = left;
    doc.y = y + 18;
  };
  heading(t.lines);
  const lineHead: [string, number, number, 'left' | 'right'][] = [
    ['#', cols.no + 4, 22, 'left'], [t.line, cols.label, cols.plan - cols.label - 8, 'left'], [t.plan, cols.plan, cols.tier - cols.plan - 8, 'left'],
    [t.tierRate, cols.tier, cols.amount - cols.tier - 8, 'left'], [t.amount, cols.amount, 86, 'right'],
  ];
  tableHead(lineHead);
  if (input.lines.length === 0) {
    doc.font('regular').fontSize(9).fillColor(COLORS.muted).text(t.noLines, left, doc.y, { width });
    doc.moveDown(0.5);
  }
  for (const line of input.lines) {
    doc.font('regular').fontSize(8);
    const explanationHeight = doc.heightOfString(line.explanation.text, { width: width - 28 });
    ensure(30 + explanationHeight);
    if (doc.y === doc.page.margins.top) tableHead(lineHead);
    const y = doc.y;
    const tier = [line.explanation.tier?.label, line.explanation.rate ? pdfRate(line.explanation.rate, input.locale) : null].filter(Boolean).join(' · ');
    let rowBottom = y + 12;
    const cell = (text: string, x: number, w: number, options: PDFKit.Mixins.TextOptions = {}) => {
      doc.text(text, x, y, { width: w, ...options });
      rowBottom = Math.max(rowBottom, doc.y);
    };
    doc.font('regular').fontSize(9).fillColor(COLORS.muted);
    cell(String(line.lineNo), cols.no + 4, 22);
    doc.font('bold').fontSize(9).fillColor(COLORS.ink);
    cell(line.label, cols.label, cols.plan - cols.label - 8);
    doc.font('regular').fontSize(8.5).fillColor(COLORS.muted);
    cell(line.planId ? `${line.planId} v${line.planVersion}` : '–', cols.plan, cols.tier - cols.plan - 8);
    cell(tier || '–', cols.tier, cols.amount - cols.tier - 8);
    doc.font('bold').fontSize(9).fillColor(line.amountMinor < 0 ? COLORS.negative : COLORS.ink);
    cell(money(line.amountMinor, line.currency), cols.amount, 86, { align: 'right' });
    doc.y = rowBottom + 2;
    doc.font('regular').fontSize(8).fillColor(COLORS.muted).text(line.explanation.text, cols.label, doc.y, { width: width - 28 });
    if (line.reason) doc.text(line.reason, cols.label, doc.y, { width: width - 28 });
    for (const step of line.explanation.steps) {
      ensure(12);
      doc.font('mono').fontSize(7.5).fillColor(COLORS.faint).text(`${step.label}: ${step.expression} = ${step.value}`, cols.label, doc.y, { width: width - 28 });
    }
    doc.moveDown(0.3);
    doc.moveTo(left, doc.y).lineTo(left + width, doc.y).lineWidth(0.5).strokeColor(COLORS.rule).stroke();
    doc.y += 5;
  }
  ensure(24);
  const totalY = doc.y;
  doc.font('bold').fontSize(10).fillColor(COLORS.ink).text(t.total, cols.label, totalY, { width: 200 });
  doc.text(money(input.payee.totalMinor), cols.amount - 40, totalY, { width: 126, align: 'right' });
  doc.x = left;
  doc.moveDown(1.2);

  // --- the records behind the lines --------------------------------------------------------------------
  const creditRows = input.lines.flatMap((line) => line.explanation.credits.map((credit) => ({ line, credit })));
  if (creditRows.length > 0) {
    heading(t.deals);
    // Columns from the right: line, paid on it, credited, amount, date; the name takes the rest.
    const gapX = 6;
    const w = { id: 64, date: 56, amount: 70, credited: 70, paid: 64, line: 26 };
    const dc = { id: left, name: left + w.id + gapX, line: left + width - w.line } as Record<string, number>;
    dc.paid = (dc.line as number) - gapX - w.paid;
    dc.credited = dc.paid - gapX - w.credited;
    dc.amount = dc.credited - gapX - w.amount;
    dc.date = dc.amount - gapX - w.date;
    const nameWidth = dc.date - (dc.name as number) - gapX;
    const at = (key: string): number => dc[key] as number;
    const dealHead: [string, number, number, 'left' | 'right'][] = [
      [t.deal, at('id'), w.id, 'left'], [t.name, at('name'), nameWidth, 'left'], [t.closeDate, at('date'), w.date, 'left'], [t.dealAmount, at('amount'), w.amount, 'right'],
      [t.creditedAmount, at('credited'), w.credited, 'right'], [t.attributed, at('paid'), w.paid, 'right'], [t.forLine, at('line'), w.line, 'right'],
    ];
    /** One line, cut with an ellipsis to fit (pdfkit would wrap). */
    const fit = (text: string, maxWidth: number): string => {
      if (doc.widthOfString(text) <= maxWidth) return text;
      let cut = text;
      while (cut.length > 1 && doc.widthOfString(`${cut}…`) > maxWidth) cut = cut.slice(0, -1);
      return `${cut.trimEnd()}…`;
    };
    tableHead(dealHead);
    for (const { line, credit } of creditRows) {
      ensure(14);
      if (doc.y === doc.page.margins.top) tableHead(dealHead);
      const deal = input.deals.get(credit.recordId);
      const y = doc.y;
      const put = (text: string, key: string, width: number, align: 'left' | 'right' = 'left') => doc.text(fit(text, width), at(key), y, { width, align, lineBreak: false });
      doc.font('regular').fontSize(8).fillColor(COLORS.ink);
      put(deal?.extId ?? `#${credit.recordId}`, 'id', w.id);
      put(deal?.name ?? '–', 'name', nameWidth);
      put(deal?.closeDate ? pdfDate(deal.closeDate, input.locale) : '–', 'date', w.date);
      put(deal?.amountMinor !== null && deal?.amountMinor !== undefined ? money(deal.amountMinor, deal.currency ?? line.currency) : '–', 'amount', w.amount, 'right');
      put(money(credit.creditedMinor, line.currency), 'credited', w.credited, 'right');
      put(money(credit.attributedMinor, line.currency), 'paid', w.paid, 'right');
      doc.fillColor(COLORS.muted);
      put(String(line.lineNo), 'line', w.line, 'right');
      doc.x = left;
      doc.y = y + 13;
    }
    doc.moveDown(1);
  }

  // --- disputes -----------------------------------------------------------------------------------------
  if (input.disputes.length > 0) {
    heading(t.disputes);
    for (const d of input.disputes) {
      ensure(30);
      doc.font('bold').fontSize(8.5).fillColor(COLORS.ink).text(`${t.disputeLine} ${d.lineNo} · ${t.disputeStatuses[d.status] ?? d.status}`, left, doc.y, { width });
      doc.font('regular').fontSize(8).fillColor(COLORS.muted).text(`${t.reason}: ${d.reason}`, { width });
      if (d.resolution) doc.text(`${t.resolution}: ${d.resolution}`, { width });
      doc.moveDown(0.4);
    }
  }

  // --- footer on every page ----------------------------------------------------------------------------------
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i += 1) {
    doc.switchToPage(i);
    const footerY = doc.page.height - 46;
    // Writing into the bottom margin must not open a new page.
    const savedBottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc.font('regular').fontSize(7).fillColor(COLORS.faint).text(t.rounding, left, footerY, { width: width - 90 });
    doc.text(`${t.page} ${i - range.start + 1} ${t.of} ${range.count}`, left + width - 80, footerY, { width: 80, align: 'right' });
    doc.text(`${t.generated} ${pdfDate(input.generatedAt.toISOString(), input.locale)} ${input.generatedAt.toISOString().slice(11, 16)} UTC · Attain`, left + width - 160, footerY + 10, { width: 160, align: 'right' });
    doc.page.margins.bottom = savedBottom;
  }
  doc.end();
  return done;
}
