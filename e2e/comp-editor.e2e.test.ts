// The form-based plan editor end to end on the demo workspace: finance builds a plan with a
// tiered commission and a SPIFF through the form, sees a validation error appear at its field
// and disappear, compares the three tier modes in the preview (the real engine, in the
// browser), reads the YAML, saves, and finds the plan in the plans tab; then opens it again
// (dark, German). Screenshots: comp-editor-*.png.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pageShot, openSession, type E2eSession } from './support.js';

let session: E2eSession | undefined;

const shot = (page: Page, name: string): Promise<void> => pageShot(page, name);

async function signedIn(email: string, options: { locale?: string; colorScheme?: 'light' | 'dark' } = {}): Promise<Page> {
  if (!session) throw new Error('not started');
  return session.signedIn(email, options);
}

const validation = (page: Page, state: 'valid' | 'invalid') => page.locator(`[data-testid="validation-status"][data-state="${state}"]`).waitFor();
/** A mode's total as a number of major units (en-US money: "€12,345.00"). */
async function total(page: Page, mode: string): Promise<number> {
  const text = (await page.getByTestId(`mode-total-${mode}`).first().textContent()) ?? '';
  return Number(text.replace(/[^\d.-]/g, ''));
}

beforeAll(async () => {
  session = await openSession();
});

afterAll(async () => {
  await session?.close();
});

describe('plan editor', () => {
  it('finance builds a tiered commission and a SPIFF through the form, previews the tier modes and saves', async () => {
    const finance = await signedIn('finance@demo.attain.dev');
    await finance.goto(`${session?.baseUrl}/compensation?tab=plans`);
    await finance.getByTestId('new-plan').click();
    await finance.getByTestId('plan-editor').waitFor();
    await finance.getByTestId('plan-id').fill('e2e-editor');
    await finance.getByTestId('plan-name').fill('E2E editor plan');
    await finance.getByTestId('plan-effective-from').fill('2026-01-01');

    // The commission card comes pre-filled with a tiered table (by attainment, marginal).
    const commission = finance.getByTestId('component-0');
    await commission.getByTestId('component-label').fill('New business');
    await validation(finance, 'valid');

    // A mistake shows at its field and in the summary, and Save is disabled …
    const secondRate = commission.getByTestId('tier-rate').nth(1);
    await secondRate.fill('eight');
    await validation(finance, 'invalid');
    await commission.getByText('Not a decimal').waitFor();
    expect(await finance.getByTestId('issue-summary').textContent()).toContain('rates.tiers.1.rate');
    expect(await finance.getByTestId('save-plan').isDisabled()).toBe(true);
    await shot(finance, 'comp-editor-invalid');
    // … and goes away when fixed.
    await secondRate.fill('8%');
    await validation(finance, 'valid');
    expect(await commission.getByText('Not a decimal').count()).toBe(0);

    // A SPIFF: 750 per deal of product X.
    await finance.getByTestId('add-component').click();
    await finance.getByTestId('add-spiff').click();
    const spiff = finance.getByTestId('component-1');
    await spiff.waitFor();
    await spiff.getByTestId('component-label').fill('Product X launch');
    await spiff.getByTestId('spiff-value').fill('750');
    await spiff.getByRole('button', { name: 'Add filter' }).click();
    await spiff.getByPlaceholder('Field').fill('product');
    await spiff.getByPlaceholder('Value').fill('X');
    await validation(finance, 'valid');
    await shot(finance, 'comp-editor-form');

    // The preview: the real engine on the sample payee, and the three tier modes side by side.
    await finance.getByTestId('editor-tab-preview').click();
    const modes = finance.getByTestId('mode-comparison-commission');
    await modes.waitFor();
    await finance.getByTestId('preview-line').filter({ hasText: 'Product X launch' }).waitFor();
    expect(await modes.locator('[data-declared="true"]').getAttribute('data-testid')).toBe('mode-marginal');
    const [marginal, retroactive, highest] = [await total(finance, 'marginal'), await total(finance, 'retroactive'), await total(finance, 'highest_rate')];
    // Default sample: quota 100,000, deals 125,000 → tiers 0 @ 5 %, 100 % @ 8 %: 5,000 + 25,000 × 8 % = 7,000 marginal; 125,000 × 8 % = 10,000 retroactive.
    expect([marginal, retroactive, highest]).toEqual([7000, 10000, 10000]);
    expect(marginal).not.toBe(retroactive);
    await modes.getByTestId('mode-chart-commission').locator('polyline').first().waitFor();
    await shot(finance, 'comp-editor-preview');

    // The attainment slider moves the sample payee.
    await finance.getByTestId('sample-mode').getByText('Attainment slider').click();
    await finance.getByTestId('sample-slider').waitFor();
    await finance.getByTestId('sample-attainment').filter({ hasText: '120' }).waitFor();

    // The document tab shows the YAML that is saved.
    await finance.getByTestId('editor-tab-document').click();
    const yaml = (await finance.getByTestId('plan-yaml').textContent()) ?? '';
    expect(yaml).toContain('id: e2e-editor');
    expect(yaml).toContain('kind: spiff');
    expect(yaml).toContain('mode: marginal');
    await shot(finance, 'comp-editor-document');

    await finance.getByTestId('save-plan').click();
    await finance.waitForURL(/\/compensation\?tab=plans$/);
    await finance.getByTestId('plan-e2e-editor-1').waitFor();
    expect(await finance.getByTestId('plan-e2e-editor-1').textContent()).toContain('E2E editor plan');
    await shot(finance, 'comp-editor-saved');
  });

  it('editing a version imports it into the form (German, dark)', async () => {
    const finance = await signedIn('finance@demo.attain.dev', { locale: 'de-DE', colorScheme: 'dark' });
    // The app keeps the user's saved language and its own colour scheme: switch both.
    await finance.getByTestId('color-scheme-toggle').click();
    await finance.waitForFunction(() => document.documentElement.getAttribute('data-mantine-color-scheme') === 'dark');
    await finance.getByTestId('language-menu').click();
    await finance.getByTestId('language-de').click();
    await finance.waitForFunction(() => document.documentElement.lang === 'de');
    await finance.goto(`${session?.baseUrl}/compensation/plans/e2e-editor/edit?version=1`);
    await finance.getByTestId('plan-editor').waitFor();
    expect(await finance.getByTestId('plan-id').inputValue()).toBe('e2e-editor');
    expect(await finance.getByTestId('component-1').getByTestId('spiff-value').inputValue()).toBe('750');
    await validation(finance, 'valid');
    expect(await finance.getByTestId('save-explanation').textContent()).toContain('Version 1');
    await shot(finance, 'comp-editor-edit-de-dark');
    await finance.getByTestId('editor-tab-preview').click();
    await finance.getByTestId('mode-comparison-commission').waitFor();
    await shot(finance, 'comp-editor-preview-de-dark');
    expect(session?.pageErrors).toEqual([]);
  });
});
