// "My earnings" and what-if end to end on the demo workspace: the rep sees earned to date, the
// next tier and the forecast per open deal; finance prices a changed plan on last year's deals
// and sees cost, cost as a share of revenue, winners and losers; a bad document names its path.
// Light and dark, English and German. Screenshots: comp-insights-*.png.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pageShot, openSession, type E2eSession } from './support.js';

const lastYear = `FY${new Date().getUTCFullYear() - 1}`;

let session: E2eSession | undefined;

const shot = (page: Page, name: string): Promise<void> => pageShot(page, name);

async function signedIn(email: string, options: { locale?: string; colorScheme?: 'light' | 'dark' } = {}): Promise<Page> {
  if (!session) throw new Error('not started');
  return session.signedIn(email, options);
}

/** German (saved for the user, as the language menu does) and dark mode (kept on this device). */
async function toGermanDark(page: Page): Promise<void> {
  await page.getByTestId('language-menu').click();
  await page.getByTestId('language-de').click();
  await page.waitForFunction(() => document.documentElement.getAttribute('lang') === 'de');
  if ((await page.locator('html').getAttribute('data-mantine-color-scheme')) !== 'dark') await page.getByTestId('color-scheme-toggle').click();
  await page.waitForFunction(() => document.documentElement.getAttribute('data-mantine-color-scheme') === 'dark');
}

/** My earnings with open deals: this period's, else the next period's (few deals close in a month's last days). */
async function earningsWithDeals(page: Page): Promise<void> {
  await page.goto(`${session?.baseUrl ?? ''}/compensation`);
  await page.getByTestId('earned-to-date').waitFor();
  await page.getByTestId('forecast-card').waitFor();
  if ((await page.getByTestId('forecast-deal').count()) === 0) {
    const before = await page.getByTestId('earnings-period').textContent();
    await page.getByTestId('period-next').click();
    await page.waitForFunction((key) => document.querySelector('[data-testid="earnings-period"]')?.textContent !== key, before);
  }
  await page.getByTestId('forecast-deal').first().waitFor();
}

beforeAll(async () => {
  session = await openSession();
});

afterAll(async () => {
  await session?.close();
});

describe('my earnings and what-if', () => {
  it('the rep sees earned to date, the next tier and what each open deal would pay', async () => {
    const rep = await signedIn('rep@demo.attain.dev');
    await rep.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Compensation' }).click();
    await rep.getByTestId('earned-to-date').waitFor();
    // Earned this month comes from the current run; the demo plan has amount tiers.
    expect(await rep.getByTestId('earned-to-date').textContent()).toMatch(/€/);
    expect(await rep.getByTestId('earnings-source').textContent()).toContain('Payout run');
    expect(await rep.getByTestId('next-tier').textContent()).toMatch(/Book .*€.* more to reach|top tier/);
    await rep.getByTestId('tier-gauge').waitFor();
    // A rep has no payee picker: only their own pay.
    expect(await rep.getByTestId('earnings-payee').count()).toBe(0);
    await shot(rep, 'comp-insights-earnings');
    await earningsWithDeals(rep);
    const row = rep.getByTestId('forecast-deal').first();
    expect(await row.textContent()).toMatch(/%.*€.*€.*€/);
    expect(await rep.getByTestId('forecast-weighted').textContent()).toMatch(/€/);
    expect(await rep.getByTestId('forecast-best').textContent()).toMatch(/€/);
    await shot(rep, 'comp-insights-earnings-forecast');
  });

  it('the rep’s earnings in German and dark mode', async () => {
    const rep = await signedIn('rep@demo.attain.dev', { locale: 'de-DE', colorScheme: 'dark' });
    await toGermanDark(rep);
    await earningsWithDeals(rep);
    expect(await rep.getByTestId('forecast-card').textContent()).toContain('Prognostizierte Auszahlung');
    await shot(rep, 'comp-insights-earnings-de-dark');
  });

  it('finance, paid on no plan, picks a payee to see their earnings; then prices a changed plan on last year’s deals', async () => {
    const finance = await signedIn('finance@demo.attain.dev');
    await finance.goto(`${session?.baseUrl ?? ''}/compensation`);
    await finance.getByTestId('earnings-payee').click();
    await finance.getByRole('option', { name: 'Rita Schmidt' }).click();
    await finance.getByTestId('earned-to-date').waitFor();
    expect(await finance.getByTestId('earnings-statement').count()).toBe(1);
    await shot(finance, 'comp-insights-earnings-finance');
    await finance.goto(`${session?.baseUrl ?? ''}/compensation?tab=whatIf`);
    const editor = finance.getByTestId('whatif-document');
    await editor.waitFor();
    await finance.waitForFunction(() => (document.querySelector('[data-testid="whatif-document"]') as HTMLTextAreaElement | null)?.value.includes('components'));
    const original = await editor.inputValue();
    // A mistake first: the error names the document path.
    await editor.fill(original.replace(/rate: 4%/, 'rate: four percent'));
    await finance.getByTestId('whatif-quick-lastYear').click();
    await finance.getByTestId('whatif-run').click();
    await finance.getByTestId('whatif-issues').waitFor();
    expect(await finance.getByTestId('whatif-issues').textContent()).toContain('candidate.document.components.0.rates');
    // A richer base rate, a leaner top tier: some payees win, some lose.
    await editor.fill(original.replace(/rate: 4%/, 'rate: 5%').replace(/rate: 10%/, 'rate: 8%'));
    await finance.getByTestId('whatif-run').click();
    await finance.getByTestId('whatif-results').waitFor();
    expect(await finance.getByTestId('whatif-period').inputValue()).toBe(lastYear);
    expect(await finance.getByTestId('whatif-baseline').textContent()).toMatch(/€/);
    expect(await finance.getByTestId('whatif-baseline-share').textContent()).toMatch(/% of revenue/);
    expect(await finance.getByTestId('whatif-scenario-share').textContent()).toMatch(/% of revenue/);
    expect(await finance.getByTestId('whatif-winners-row').count()).toBeGreaterThan(0);
    expect(await finance.getByTestId('whatif-losers-row').count()).toBeGreaterThan(0);
    expect(await finance.getByTestId('whatif-periods').locator('tbody tr').count()).toBe(12);
    await shot(finance, 'comp-insights-whatif');
  });

  it('what-if in German and dark mode', async () => {
    const finance = await signedIn('finance@demo.attain.dev', { locale: 'de-DE', colorScheme: 'dark' });
    await toGermanDark(finance);
    await finance.goto(`${session?.baseUrl ?? ''}/compensation?tab=whatIf`);
    await finance.getByTestId('whatif-candidate-kind').getByText('Gespeicherte Version').click();
    await finance.getByTestId('whatif-quota').fill('10');
    await finance.getByTestId('whatif-quick-lastYear').click();
    await finance.getByTestId('whatif-run').click();
    await finance.getByTestId('whatif-results').waitFor();
    expect(await finance.getByTestId('whatif-baseline-share').textContent()).toContain('des Umsatzes');
    await shot(finance, 'comp-insights-whatif-de-dark');
    expect(session?.pageErrors).toEqual([]);
  });
});
