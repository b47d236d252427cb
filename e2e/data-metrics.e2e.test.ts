// The Data and Metrics areas end to end, as the demo admin: import a deals CSV with one bad
// row, see the error, import the valid rows, find them; then evaluate revenue by owner and
// drill down from a value to the deals behind it. Screenshots: data-*.png, metrics-*.png.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSession, SHOTS, type E2eSession } from './support.js';

const ADMIN = 'admin@demo.attain.dev';

let session: E2eSession | undefined;
let page: Page;
let csvDir = '';
let csvPath = '';

async function shot(name: string): Promise<void> {
  await page.waitForLoadState('networkidle');
  await page.locator('[aria-busy="true"]').first().waitFor({ state: 'detached', timeout: 15_000 }).catch(() => undefined);
  await page.mouse.move(0, 0);
  const viewport = page.viewportSize() ?? { width: 1440, height: 900 };
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  if (height > viewport.height) await page.setViewportSize({ width: viewport.width, height: Math.min(height, 6000) });
  await page.waitForTimeout(400);
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`) });
  await page.setViewportSize(viewport);
}

async function heading(text: string | RegExp): Promise<void> {
  await page.getByRole('heading', { level: 1, name: text }).waitFor({ timeout: 15_000 });
}

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  // Deals closed today fall into the current quarter, the metric page's default period.
  const today = new Date().toISOString().slice(0, 10);
  csvDir = mkdtempSync(path.join(tmpdir(), 'attain-e2e-csv-'));
  csvPath = path.join(csvDir, 'deals-e2e.csv');
  writeFileSync(
    csvPath,
    [
      'Deal ID,Name,Owner,Amount,Currency,Stage,Created,Close date,Type',
      // Owners by e-mail and by external reference, as the demo's payees have them.
      `E2E-001,Nordwind Logistik – Expansion,rep@demo.attain.dev,12500.00,EUR,closed_won,${today},${today},new`,
      `E2E-002,Bergblick Hotels – Renewal,EMP-1001,7300.00,EUR,closed_won,${today},${today},renewal`,
      `E2E-003,Broken row,EMP-1002,twelve,EUR,closed_won,${today},${today},new`,
    ].join('\n') + '\n',
  );
  session = await openSession();
  page = await session.signedIn(ADMIN);
});

afterAll(async () => {
  await session?.close();
  if (csvDir) rmSync(csvDir, { recursive: true, force: true });
});

describe('the Data area', () => {
  it('lists the datasets with their record counts', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Data', exact: true }).click();
    await heading('Data');
    const deals = page.getByTestId('dataset-deals');
    await deals.waitFor();
    await page.waitForFunction(() => /Records\s*[\d,]+/.test(document.querySelector('[data-testid="dataset-deals"]')?.textContent ?? ''), undefined, { timeout: 15_000 });
    await shot('data-overview');
  });

  it('browses and filters the deals', async () => {
    await page.getByTestId('dataset-deals').click();
    await heading('Deals');
    await page.getByTestId('record-row').first().waitFor();
    await page.getByRole('combobox', { name: 'Field' }).click();
    await page.getByRole('option', { name: 'Stage', exact: true }).click();
    await page.getByRole('textbox', { name: 'Value' }).fill('closed_won');
    await page.getByRole('button', { name: 'Add filter' }).click();
    await page.getByTestId('record-filters').waitFor();
    await page.waitForFunction(() => {
      const rows = [...document.querySelectorAll('[data-testid="record-row"]')];
      return rows.length > 0 && rows.every((row) => !row.textContent?.includes('closed_lost'));
    });
    await shot('data-deals-records');
    await page.getByRole('tab', { name: 'Fields' }).click();
    await page.getByTestId('field-row').nth(5).waitFor();
    await shot('data-deals-fields');
  });

  it('checks a CSV file with a bad row, shows the error and imports only the valid rows', async () => {
    await page.getByRole('link', { name: 'Import CSV' }).click();
    await heading('Import a CSV file');
    await page.locator('input[type="file"]').setInputFiles(csvPath);
    await page.getByText('9 columns').waitFor();
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByTestId('mapping-row').nth(8).waitFor();
    await shot('data-import-mapping');

    await page.getByRole('button', { name: 'Check the file' }).click();
    await page.getByTestId('preview-errors').waitFor({ timeout: 30_000 });
    const error = page.getByTestId('import-error');
    await expect(error.count()).resolves.toBe(1);
    const errorText = await error.innerText();
    expect(errorText).toContain('Amount');
    expect(errorText).toContain('twelve');
    expect(errorText).toMatch(/^4\b/); // the header is row 1
    await expect(page.getByRole('button', { name: /^Import \d+ rows?$/ }).isDisabled()).resolves.toBe(true);
    await shot('data-import-preview');

    await page.getByLabel('Only valid rows').check();
    await page.getByRole('button', { name: 'Import 2 valid rows' }).click();
    await page.getByTestId('import-summary').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('count-inserted').innerText()).toContain('2');
    expect(await page.getByTestId('count-errors').innerText()).toContain('1');
    await page.getByTestId('error-report').waitFor();
    await shot('data-import-done');
  });

  it('shows the imported records and the import in the history', async () => {
    await page.getByRole('link', { name: 'View the records' }).click();
    await heading('Deals');
    await page.getByRole('textbox', { name: 'Search by external ID or name' }).fill('E2E-');
    await page.waitForFunction(() => {
      const rows = [...document.querySelectorAll('[data-testid="record-row"]')];
      return rows.length === 2 && rows[0]?.textContent?.includes('E2E-001') && rows[1]?.textContent?.includes('E2E-002');
    });
    const first = await page.getByTestId('record-row').first().innerText();
    expect(first).toContain('Rita Schmidt');
    expect(first).toContain('€12,500.00');
    await page.getByTestId('record-row').first().click();
    await page.getByTestId('record-details').waitFor();
    await shot('data-record-details');
    await page.keyboard.press('Escape');
    await page.getByRole('tab', { name: 'Import history' }).click();
    await page.getByTestId('import-row').first().waitFor();
    expect(await page.getByTestId('import-row').first().innerText()).toContain('deals-e2e.csv');
    await shot('data-import-history');
  });

  it('declares a custom dataset with typed fields', async () => {
    await page.goto(`${session?.baseUrl ?? ''}/data`);
    await heading('Data');
    await page.getByRole('button', { name: 'Declare dataset' }).click();
    const dialog = page.getByRole('dialog', { name: 'Declare a custom dataset' });
    await dialog.getByRole('textbox', { name: 'Key' }).first().fill('partner_volume');
    await dialog.getByRole('textbox', { name: 'Name (English)' }).first().fill('Partner volume');
    await dialog.getByRole('textbox', { name: 'Name (German)' }).first().fill('Partnervolumen');
    await dialog.getByRole('button', { name: 'Add field' }).click();
    const keys = dialog.getByRole('textbox', { name: 'Key' });
    await keys.last().fill('litres');
    await dialog.getByRole('textbox', { name: 'Name (English)' }).last().fill('Litres');
    await dialog.getByRole('textbox', { name: 'Name (German)' }).last().fill('Liter');
    await dialog.getByRole('combobox', { name: 'Type' }).last().click();
    await page.getByRole('option', { name: 'Number', exact: true }).click();
    await shot('data-declare-dataset');
    await dialog.getByRole('button', { name: 'Declare dataset' }).click();
    await heading('Partner volume');
    await page.getByRole('tab', { name: 'Fields' }).click();
    await page.getByTestId('field-row').nth(1).waitFor();
    expect(await page.getByTestId('field-row').nth(1).innerText()).toMatch(/number/i);
  });
});

describe('the Metrics area', () => {
  it('searches the catalogue', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Metrics', exact: true }).click();
    await heading('Metrics');
    await page.getByTestId('metric-row').nth(10).waitFor();
    await shot('metrics-catalogue');
    await page.getByRole('textbox', { name: 'Search metrics' }).fill('revenue');
    await page.waitForFunction(() => {
      const rows = [...document.querySelectorAll('[data-testid="metric-row"]')];
      return rows.length > 0 && rows.every((row) => /revenue/i.test(row.textContent ?? ''));
    });
  });

  it('evaluates revenue by owner and explains a value down to the deals', async () => {
    await page.getByRole('link', { name: 'Revenue', exact: true }).click();
    await heading('Revenue');
    await page.getByTestId('metric-group').first().waitFor({ timeout: 20_000 });
    const rita = page.getByTestId('metric-group').filter({ hasText: 'Rita Schmidt' });
    await rita.waitFor();
    await shot('metrics-revenue-by-owner');

    await rita.getByTestId('group-value').click();
    await page.getByTestId('explain-drawer').waitFor();
    const explained = page.getByTestId('explained-record');
    await explained.filter({ hasText: 'E2E-001' }).waitFor({ timeout: 20_000 });
    await explained.filter({ hasText: 'E2E-002' }).waitFor();
    await shot('metrics-explain');

    await explained.filter({ hasText: 'E2E-001' }).click();
    await page.getByTestId('record-details').waitFor();
    expect(await page.getByTestId('record-details').innerText()).toContain('Nordwind Logistik');
    await shot('metrics-explain-record');
  });

  it('previews a custom definition live and shows its problems', async () => {
    await page.goto(`${session?.baseUrl ?? ''}/metrics/new?from=revenue`);
    await heading('New metric');
    await page.getByTestId('metric-preview').getByTestId('metric-total').waitFor({ timeout: 20_000 });
    await shot('metrics-editor');
    // A filter whose value does not fit the field: the server's issue shows in the editor.
    const filters = page.getByTestId('editor-filters');
    await filters.getByRole('button', { name: 'Add filter' }).click();
    await filters.getByRole('combobox', { name: 'Field' }).last().click();
    await page.getByRole('option', { name: 'Amount', exact: true }).click();
    await filters.getByRole('textbox', { name: 'Value' }).last().fill('a lot');
    await page.getByTestId('definition-issues').waitFor({ timeout: 20_000 });
    await shot('metrics-editor-issues');
  });

  it('threw no uncaught errors in the page', () => {
    expect(session?.pageErrors).toEqual([]);
  });
});
