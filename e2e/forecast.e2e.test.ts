// Forecasting end to end on the demo workspace: the manager reads the forecast chart (actuals,
// forecast, 80/95 % band, quota line, a tooltip with values); the rep submits a commit /
// best-case call and sees it count; the accuracy page shows MAPE, WAPE and bias over time and
// takes a snapshot; the same pages in dark mode and German. Screenshots: forecast-*.png.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pageShot, openSession, type E2eSession } from './support.js';

let session: E2eSession | undefined;
let manager: Page;
let rep: Page;

/** Saves a full-page screenshot; `keepPointer` leaves the pointer where it is (a chart tooltip stays open). */
const shot = (page: Page, name: string, keepPointer = false): Promise<void> => pageShot(page, name, { keepPointer });

async function signedIn(email: string): Promise<Page> {
  if (!session) throw new Error('not started');
  return session.signedIn(email);
}

/** Moves the pointer over the chart at a share of its width (0–1), so the tooltip shows that period. */
async function hoverChart(page: Page, share: number): Promise<void> {
  const box = await page.getByTestId('forecast-chart').boundingBox();
  if (!box) throw new Error('no chart');
  await page.mouse.move(box.x + box.width * share, box.y + box.height / 2);
  await page.getByTestId('chart-tooltip').waitFor();
}

beforeAll(async () => {
  session = await openSession();
  [manager, rep] = await Promise.all([signedIn('manager@demo.attain.dev'), signedIn('rep@demo.attain.dev')]);
});

afterAll(async () => {
  await session?.close();
});

describe('forecast', () => {
  it('the manager sees actuals, the forecast with its 80/95 % band and the quota line, with values in the tooltip', async () => {
    await manager.goto(`${session?.baseUrl}/quotas/forecast`);
    const chart = manager.getByTestId('forecast-chart');
    await chart.waitFor();
    expect(await chart.getAttribute('role')).toBe('img');
    expect(await chart.getAttribute('aria-label')).toMatch(/^Bookings of DACH from \d{4}-Q\d to \d{4}-Q\d/);
    for (const part of ['chart-actual', 'chart-forecast', 'chart-band-80', 'chart-band-95', 'chart-quota']) {
      expect(await chart.getByTestId(part).getAttribute('d'), part).toMatch(/^M[\d.]+,[\d.]+ [LH]/);
    }
    // A forecast period: mean and both intervals. A past one: the actual bookings.
    await hoverChart(manager, 0.93);
    const future = await manager.getByTestId('chart-tooltip').textContent();
    expect(future).toMatch(/Forecast€[\d,]+/);
    expect(future).toMatch(/80 % interval€[\d,]+ – €[\d,]+/);
    expect(future).toMatch(/95 % interval€[\d,]+ – €[\d,]+/);
    await hoverChart(manager, 0.55);
    expect(await manager.getByTestId('chart-tooltip').textContent()).toMatch(/Actual bookings€[\d,]+/);
    await shot(manager, 'forecast-chart', true);
    // The same numbers as a table, for screen readers and copying.
    await manager.getByTestId('chart-table-toggle').click();
    await manager.getByTestId('chart-table').waitFor();
    expect(await manager.getByTestId('chart-table').locator('tbody tr').count()).toBeGreaterThan(4);
    await manager.getByTestId('chart-table-toggle').click();
    await chart.waitFor();
    // The pipeline table by rep: weighted pipeline, the reps' calls and the quota side by side.
    const table = manager.getByTestId('pipeline-table');
    await table.getByTestId('pipeline-team-total').waitFor();
    expect(await table.locator('thead').textContent()).toMatch(/Closed won.*Weighted pipeline.*Forecast.*Commit.*Best case.*Quota FY\d{4}.*Gap to quota.*Recommended/);
    await manager.getByTestId('win-rates').waitFor();
  });

  it('the rep submits a commit / best-case call, sees it count, and the earlier one stays visible', async () => {
    await rep.goto(`${session?.baseUrl}/quotas/forecast`);
    const form = rep.getByTestId('call-form');
    await form.getByText('Submit my call').waitFor();
    // Best case below commit: refused with a message, nothing sent.
    await rep.getByTestId('call-commit').fill('150000');
    await rep.getByTestId('call-best-case').fill('140000');
    await rep.getByTestId('call-submit').click();
    await form.getByRole('alert').filter({ hasText: 'The best case must be at least the commit.' }).waitFor();
    await rep.getByTestId('call-best-case').fill('210000');
    await form.getByLabel('Note').fill('Two renewals signed, one in legal');
    await rep.getByTestId('call-submit').click();
    await rep.getByTestId('call-saved').waitFor();
    const latest = rep.getByTestId('call-history').locator('tbody tr').first();
    await latest.filter({ hasText: '€150,000' }).waitFor();
    expect(await latest.textContent()).toMatch(/counts.*€150,000€210,000Two renewals signed/);
    expect(await rep.getByTestId('call-history').locator('tbody tr').filter({ hasText: 'earlier' }).count()).toBeGreaterThan(0);
    // The pipeline table shows the new call for the rep and in the team's roll-up.
    await rep.getByTestId('pipeline-table').locator('tbody tr').filter({ hasText: 'Rita Schmidt' }).filter({ hasText: '€150,000' }).waitFor();
    await shot(rep, 'forecast-call');
  });

  it('the accuracy page shows MAPE, WAPE and bias over time and per team, and keeps a snapshot', async () => {
    await manager.goto(`${session?.baseUrl}/quotas/accuracy`);
    const chart = manager.getByTestId('accuracy-chart');
    await chart.waitFor();
    for (const series of ['accuracy-wape', 'accuracy-mape', 'accuracy-bias']) expect(await chart.getByTestId(series).locator('circle').count(), series).toBeGreaterThan(1);
    expect(await manager.getByTestId('accuracy-overall').textContent()).toMatch(/WAPE\d+(\.\d)?%/);
    expect(await manager.getByTestId('accuracy-table').locator('tbody tr').count()).toBeGreaterThan(1);
    await manager.getByTestId('take-snapshot').click();
    await manager.getByText(/^Snapshot taken \(\d+ rows?\)\.$/).waitFor();
    await shot(manager, 'forecast-accuracy');
  });

  it('reads in dark mode and in German', async () => {
    await manager.getByTestId('language-menu').click();
    await manager.getByTestId('language-de').click();
    await manager.getByRole('heading', { name: 'Prognosegenauigkeit' }).waitFor();
    await manager.getByTestId('color-scheme-toggle').click();
    await manager.waitForFunction(() => document.documentElement.getAttribute('data-mantine-color-scheme') === 'dark');
    // A fresh load: German and dark are kept, the English notification is gone.
    await manager.reload();
    await manager.getByRole('heading', { name: 'Prognosegenauigkeit' }).waitFor();
    await manager.getByTestId('accuracy-chart').waitFor();
    await shot(manager, 'forecast-accuracy-dark-de');
    await manager.goto(`${session?.baseUrl}/quotas/forecast`);
    await manager.getByRole('heading', { name: 'Umsatzprognose: DACH' }).waitFor();
    await hoverChart(manager, 0.93);
    expect(await manager.getByTestId('chart-tooltip').textContent()).toMatch(/80-%-Intervall[\d.]+\s€ – [\d.]+\s€/);
    await shot(manager, 'forecast-chart-dark-de', true);
    await manager.getByTestId('language-menu').click();
    await manager.getByTestId('language-en').click();
    await manager.getByRole('heading', { name: 'Bookings forecast: DACH' }).waitFor();
    expect(session?.pageErrors).toEqual([]);
  });
});
