// Compensation end to end on the demo workspace: finance adds a plan version (a bad one first,
// whose error names the document path), approves the current month's payout run; the rep
// opens their statement, follows a line down to the deals and disputes it; finance accepts
// the dispute with an adjustment; the rep sees the decision; the statement downloads as a PDF;
// finance moves a payee between plan versions. Screenshots: comp-*.png.
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pdfPages } from '../test/pdf-text.js';
import { pageShot, openSession, type E2eSession } from './support.js';

const month = new Date().toISOString().slice(0, 7);

let session: E2eSession | undefined;
let finance: Page;
let rep: Page;

const shot = (page: Page, name: string): Promise<void> => pageShot(page, name);

async function signedIn(email: string): Promise<Page> {
  if (!session) throw new Error('not started');
  return session.signedIn(email);
}

beforeAll(async () => {
  session = await openSession();
  finance = await signedIn('finance@demo.attain.dev');
  rep = await signedIn('rep@demo.attain.dev');
});

afterAll(async () => {
  await session?.close();
});

describe('compensation', () => {
  it('finance sees the payout runs and adds a plan version, with the document path of a mistake', async () => {
    await finance.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Compensation' }).click();
    await finance.getByTestId('tab-runs').click();
    await finance.getByTestId(`run-${month}`).waitFor();
    await shot(finance, 'comp-runs');
    await finance.getByTestId('tab-plans').click();
    await finance.getByTestId('plan-ae-eur-1').waitFor();
    await finance.getByTestId('new-plan-document').click();
    const document = (rate: string) =>
      [
        'schemaVersion: 1', 'id: e2e-flat', 'version: 1', 'name: E2E flat plan', 'currency: EUR', 'effectiveFrom: "2026-01-01"', 'components:',
        '  - id: core', '    kind: commission', `    rates: { basis: flat, rate: "${rate}" }`,
      ].join('\n');
    await finance.getByTestId('plan-document').fill(document('ten percent'));
    await finance.getByRole('button', { name: 'Save version' }).click();
    await finance.getByTestId('plan-issues').waitFor();
    expect(await finance.getByTestId('plan-issues').textContent()).toContain('components.0.rates');
    await shot(finance, 'comp-plan-invalid');
    await finance.getByTestId('plan-document').fill(document('10%'));
    await finance.getByRole('button', { name: 'Save version' }).click();
    await finance.getByTestId('plan-e2e-flat-1').waitFor();
    await shot(finance, 'comp-plans');
  });

  it('finance approves the current month’s run', async () => {
    await finance.getByTestId('tab-runs').click();
    await finance.getByTestId(`run-${month}`).getByRole('link').click();
    await finance.getByTestId('run-page').waitFor();
    await finance.getByTestId('run-payee').first().waitFor();
    await finance.getByTestId('run-approve').click();
    await finance.waitForFunction(() => document.querySelector('[data-testid="run-status"]')?.textContent === 'Approved');
    await shot(finance, 'comp-run');
  });

  it('the rep follows a statement line down to the deals and disputes it', async () => {
    await rep.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Compensation' }).click();
    await rep.getByTestId('tab-statements').click();
    const row = rep.getByTestId('statement-row').filter({ hasText: month });
    await row.waitFor();
    // Only their own statements.
    expect(await rep.getByTestId('statement-row').filter({ hasNotText: 'Rita Schmidt' }).count()).toBe(0);
    await row.getByRole('link').click();
    await rep.getByTestId('statement-page').waitFor();
    const line = rep.getByTestId('statement-line').first();
    await line.waitFor();
    if ((await line.getByTestId('show-deals').count()) === 0) await line.getByRole('button').first().click();
    await line.getByTestId('show-deals').click();
    await line.getByTestId('credited-deals').locator('tbody tr').first().waitFor();
    await shot(rep, 'comp-statement');
    // The same statement as a PDF: the payee, the period and the total as on the page.
    const [download] = await Promise.all([rep.waitForEvent('download'), rep.getByTestId('statement-pdf').click()]);
    const file = await download.path();
    const text = (await pdfPages(readFileSync(file))).join('\n');
    expect(text).toContain('Commission statement');
    expect(text).toContain('Rita Schmidt');
    expect(text).toContain(month);
    expect(text).toContain((await rep.getByTestId('statement-total').textContent())?.replace(/\s/g, ' ').match(/[€$][\d,.]+/)?.[0] ?? 'no total on the page');
    await line.getByTestId('dispute-line').click();
    await rep.getByTestId('dispute-reason').fill('A deal I closed on the last day is missing.');
    await rep.getByRole('button', { name: 'Dispute this line' }).last().click();
    await rep.getByTestId('statement-dispute').filter({ hasText: 'Open' }).waitFor();
  });

  it('finance moves a payee to another plan version: the overlap is refused, then the old assignment ends and the new one starts', async () => {
    await finance.goto(`${session?.baseUrl}/compensation?tab=assignments`);
    const assign = async (from: string) => {
      await finance.getByTestId('new-assignment').click();
      await finance.getByTestId('assign-payee').fill('Umar');
      await finance.getByRole('option', { name: /Umar Murphy/ }).click();
      await finance.getByTestId('assign-plan').click();
      await finance.getByRole('option', { name: /e2e-flat v1/ }).click();
      await finance.getByTestId('assign-from').fill(from);
      await finance.getByRole('button', { name: 'Assign', exact: true }).click();
    };
    // Umar is on the AE plan, open-ended: one plan at a time, and the API's refusal is shown.
    await assign('2027-07-01');
    await finance.getByTestId('assign-error').waitFor();
    expect(await finance.getByTestId('assign-error').textContent()).toContain('on another plan version during these dates');
    await shot(finance, 'comp-assignment-overlap');
    await finance.getByRole('button', { name: 'Cancel' }).click();
    await finance.getByRole('button', { name: 'Actions for Umar Murphy' }).click();
    await finance.getByRole('menuitem', { name: 'End assignment' }).click();
    await finance.getByTestId('end-last-day').fill('2027-06-30');
    await finance.getByRole('button', { name: 'End assignment' }).last().click();
    await finance.getByText('Jun 30, 2027').waitFor();
    await assign('2027-07-01');
    await finance.getByText('Umar Murphy is on e2e-flat v1.').waitFor();
    await finance.getByRole('textbox', { name: 'Search payee or plan' }).fill('Umar');
    await finance.getByTestId('assignment-state').click();
    await finance.getByRole('option', { name: 'All' }).click();
    expect(await finance.locator('[data-testid^="assignment-row-"]').count()).toBe(2);
    await shot(finance, 'comp-assignments');
  });

  it('finance accepts the dispute with an adjustment; the rep sees the decision', async () => {
    await finance.goto(`${session?.baseUrl}/compensation?tab=disputes`);
    const dispute = finance.getByTestId('dispute-row').filter({ hasText: 'A deal I closed on the last day' });
    await dispute.waitFor();
    await dispute.getByTestId('resolve-dispute').click();
    await finance.getByTestId('dispute-adjustment').fill('120.50');
    await finance.getByTestId('dispute-note').fill('Confirmed: paid with the next run.');
    await shot(finance, 'comp-dispute-resolve');
    await finance.getByRole('button', { name: 'Resolve' }).last().click();
    await dispute.waitFor({ state: 'detached' });
    await rep.reload();
    await rep.getByTestId('statement-dispute').filter({ hasText: 'Accepted' }).waitFor();
    expect(await rep.getByTestId('statement-dispute').filter({ hasText: 'Accepted' }).textContent()).toContain('Confirmed: paid with the next run.');
    await shot(rep, 'comp-statement-decided');
    expect(session?.pageErrors).toEqual([]);
  });
});
