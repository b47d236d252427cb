// Planning end to end on the demo workspace: finance allocates the FY target down to reps,
// edits a yearly quota in the grid with the keyboard, pastes a block, watches the row and column
// totals and the gaps follow, and locks the version (after which the grid is read only); the
// territory tree with its coverage; a manager's narrowed view; dark mode and German.
// Screenshots: planning-*.png.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pageShot, openSession, type E2eSession } from './support.js';

let session: E2eSession | undefined;
let finance: Page;

const shot = (page: Page, name: string): Promise<void> => pageShot(page, name);

async function signedIn(email: string): Promise<Page> {
  if (!session) throw new Error('not started');
  return session.signedIn(email);
}

/** expect.poll with room for a loaded machine (the default gives up after a second). */
const poll = <T>(read: () => Promise<T> | T) => expect.poll(read, { timeout: 20_000, interval: 100 });

const num = async (page: Page, testId: string): Promise<number> => Number(await page.getByTestId(testId).getAttribute('data-value'));

/** The row keys ('rep:<id>') of the grid, top to bottom. */
const rowKeys = (page: Page) => page.locator('[data-testid^="row-rep:"], [data-testid^="row-team:"]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-testid')?.slice(4) ?? ''));

/** Waits until the grid's edits are saved and the version read again. */
async function saved(page: Page): Promise<void> {
  await poll(async () => (await page.getByTestId('save-status').getAttribute('data-state')) ?? '').toBe('saved');
}

async function pasteInto(page: Page, text: string): Promise<void> {
  await page.getByTestId('quota-grid').evaluate((grid, data) => {
    const transfer = new DataTransfer();
    transfer.setData('text/plain', data);
    grid.dispatchEvent(new ClipboardEvent('paste', { clipboardData: transfer, bubbles: true, cancelable: true }));
  }, text);
}

beforeAll(async () => {
  session = await openSession();
  finance = await signedIn('finance@demo.attain.dev');
});

afterAll(async () => {
  await session?.close();
});

describe('planning', () => {
  it('finance allocates the yearly target down to the reps by a chosen method', async () => {
    await finance.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Planning' }).click();
    const plan = finance.locator('[data-testid^="plan-"]').first();
    await plan.waitFor();
    await poll(() => finance.getByTestId('version-row-1').count()).toBe(1);
    await shot(finance, 'planning-plans');
    await plan.getByTestId('allocate-open').click();
    await finance.getByTestId('method-equal').check();
    await shot(finance, 'planning-allocate');
    await finance.getByTestId('allocate-submit').click();
    await finance.waitForURL(/\/quotas\/versions\//);
    await finance.getByTestId('quota-grid').waitFor();
    expect(await finance.getByTestId('version-status').textContent()).toBe('Draft');
    // Allocated top-down: the reps add up to the target to the cent.
    await poll(() => num(finance, 'target-gap')).toBe(0);
  });

  it('edits a yearly quota with the keyboard; totals and gaps follow; Escape cancels', async () => {
    const keys = (await rowKeys(finance)).filter((k) => k.startsWith('rep:'));
    const [first = '', second = '', third = '', fourth = ''] = keys;
    const year = (await finance.locator('[data-testid^="total-FY"]').getAttribute('data-testid'))?.slice(6) ?? '';
    const before = await num(finance, `cell-${first}-${year}`);
    const totalBefore = await num(finance, `total-${year}`);

    await finance.getByTestId(`cell-${first}-${year}`).click();
    await finance.keyboard.type('1234567.89');
    await finance.keyboard.press('Enter');
    await poll(() => num(finance, `cell-${first}-${year}`)).toBe(123_456_789);
    await saved(finance);
    const delta = 123_456_789 - before;
    await poll(() => num(finance, `total-${year}`)).toBe(totalBefore + delta);
    await poll(() => num(finance, 'target-gap')).toBe(delta);
    // The rep's team now shows its children's excess.
    expect(await finance.locator('[data-testid^="gap-team:"]').count()).toBeGreaterThan(0);

    // Enter moved down a row: F2 opens the editor, Escape throws the typing away.
    await finance.keyboard.press('F2');
    await finance.getByTestId('cell-editor').waitFor();
    await finance.keyboard.press('Control+A');
    await finance.keyboard.type('1');
    await finance.keyboard.press('Escape');
    expect(await finance.getByTestId('cell-editor').count()).toBe(0);
    expect(await num(finance, `cell-${second}-${year}`)).not.toBe(100);

    // Arrow keys move the active cell; a quarter edited spreads to its months and the row's year follows.
    await finance.keyboard.press('ArrowDown');
    await finance.keyboard.press('ArrowLeft');
    await finance.keyboard.press('Enter');
    await finance.getByTestId('cell-editor').fill('50000');
    await finance.keyboard.press('Tab');
    const q4 = `${year.slice(2)}-Q4`;
    await poll(() => num(finance, `cell-${third}-${q4}`)).toBe(5_000_000);
    await saved(finance);
    const quarters = await Promise.all([1, 2, 3, 4].map((q) => num(finance, `cell-${third}-${year.slice(2)}-Q${q}`)));
    expect(await num(finance, `cell-${third}-${year}`)).toBe(quarters.reduce((a, b) => a + b, 0));

    // Paste a block (two reps × Q1, Q2) from a spreadsheet at the active cell: one request.
    await finance.getByTestId(`cell-${third}-${year.slice(2)}-Q1`).click();
    await pasteInto(finance, '10,000.00\t20,000.00\n30,000.00\t40,000.00\n');
    await poll(() => num(finance, `cell-${fourth}-${year.slice(2)}-Q2`)).toBe(4_000_000);
    await saved(finance);
    expect(await num(finance, `cell-${third}-${year.slice(2)}-Q1`)).toBe(1_000_000);
    const fourthQuarters = await Promise.all([1, 2, 3, 4].map((q) => num(finance, `cell-${fourth}-${year.slice(2)}-Q${q}`)));
    expect(await num(finance, `cell-${fourth}-${year}`)).toBe(fourthQuarters.reduce((a, b) => a + b, 0));
    const q1Leaves = await Promise.all(keys.map((k) => num(finance, `cell-${k}-${year.slice(2)}-Q1`)));
    expect(await num(finance, `total-${year.slice(2)}-Q1`)).toBe(q1Leaves.reduce((a, b) => a + b, 0));
    await finance.getByTestId(`cell-${first}-${year}`).click();
    await shot(finance, 'planning-grid');
    await finance.getByTestId('period-view').getByText('Months').click();
    await shot(finance, 'planning-grid-months');
    await finance.getByTestId('period-view').getByText('Quarters').click();
  });

  it('locks the version after a confirmation; the grid is read only from then on', async () => {
    await finance.getByTestId('lock-version').click();
    await finance.getByRole('dialog').getByRole('button', { name: 'Lock', exact: true }).click();
    await poll(async () => finance.getByTestId('version-status').textContent()).toBe('Locked');
    await finance.getByTestId('locked-note').waitFor();
    expect(await finance.getByTestId('lock-version').count()).toBe(0);
    const cell = finance.locator('[data-testid^="cell-rep:"]').first();
    expect(await cell.getAttribute('aria-readonly')).toBe('true');
    await cell.click();
    await finance.keyboard.press('Enter');
    await finance.keyboard.type('5');
    expect(await finance.getByTestId('cell-editor').count()).toBe(0);
    await shot(finance, 'planning-locked');
  });

  it('revises the locked version into a new draft, compares them and refuses a bad CSV by row and column', async () => {
    await finance.getByTestId('revise-version').click();
    await finance.getByTestId('revise-submit').click();
    await poll(async () => finance.getByTestId('version-status').textContent()).toBe('Draft');
    await finance.getByTestId('version-menu').click();
    await finance.getByTestId('diff-version').click();
    await finance.getByText('No differences.').waitFor();
    await finance.keyboard.press('Escape');
    await finance.getByTestId('version-menu').click();
    await finance.getByTestId('import-csv').click();
    await finance.getByTestId('import-text').fill('assignee_kind,assignee_id,period,quota_minor\nrep,nobody,2026-Q1,12.5\n');
    await finance.getByTestId('import-submit').click();
    await finance.getByTestId('import-errors').waitFor();
    expect(await finance.getByTestId('import-errors').textContent()).toContain('quota_minor');
    await shot(finance, 'planning-import-errors');
    await finance.keyboard.press('Escape');
  });

  it('shows the territory tree with criteria, assignments and coverage, and adds a territory', async () => {
    await finance.getByTestId('planning-tab-territories').click();
    await finance.getByTestId('territory-EMEA').waitFor();
    await finance.getByTestId('coverage-overlaps').waitFor();
    expect(await finance.getByTestId('territory-DACH').textContent()).toContain('DE');
    await finance.getByTestId('territory-DACH').click();
    await finance.getByTestId('assignments-card').getByText('DACH').first().waitFor();
    await finance.getByTestId('territory-EMEA').getByRole('button', { name: 'Actions' }).click();
    await finance.getByRole('menuitem', { name: 'Add sub-territory' }).click();
    await finance.getByTestId('territory-name').fill('Benelux');
    await finance.getByTestId('criteria-countries').click();
    await finance.keyboard.type('NL,BE,');
    await shot(finance, 'planning-territory-form');
    await finance.getByTestId('territory-submit').click();
    await finance.getByTestId('territory-Benelux').waitFor();
    await shot(finance, 'planning-territories');
  });

  it('shows a manager their own teams only, in German and dark mode', async () => {
    const manager = await signedIn('manager@demo.attain.dev');
    await manager.getByTestId('language-menu').click();
    await manager.getByTestId('language-de').click();
    await manager.getByTestId('color-scheme-toggle').click();
    await manager.waitForFunction(() => document.documentElement.getAttribute('data-mantine-color-scheme') === 'dark');
    await manager.getByRole('navigation', { name: 'Hauptbereiche' }).getByRole('link', { name: 'Planung' }).click();
    await manager.locator('[data-testid^="version-row-"]').first().click();
    await manager.getByTestId('quota-grid').waitFor();
    expect(await manager.getByTestId('lock-version').count()).toBe(0);
    await shot(manager, 'planning-grid-manager-de-dark');
    await manager.getByTestId('planning-tab-territories').click();
    await manager.getByTestId('territory-EMEA').waitFor();
    await manager.getByTestId('coverage-overlaps').waitFor({ timeout: 60_000 });
    await shot(manager, 'planning-territories-de-dark');
    expect(session?.pageErrors).toEqual([]);
  });
});
