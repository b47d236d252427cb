// The OKR area end to end on the demo workspace: a rep creates an objective from a template
// in one dialogue and proposes it, her manager approves it (and cannot approve his own
// proposal), the rep checks in, and the score shows on the objective and in the alignment
// view. Screenshots: okrs-*.png.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSession, SHOTS, type E2eSession } from './support.js';

const REP = 'rep@demo.attain.dev';
const MANAGER = 'manager@demo.attain.dev';
const ADMIN = 'admin@demo.attain.dev';
const TITLE = 'Forecasts the whole region can plan on';

let session: E2eSession | undefined;
let objectiveUrl = '';

function base(): string {
  if (!session) throw new Error('server not started');
  return session.baseUrl;
}

const sessions = new Map<string, Page>();

/** One signed-in page per user, reused across tests (fewer sign-ins, no rate limit to trip). */
async function signIn(email: string): Promise<Page> {
  const existing = sessions.get(email);
  if (existing) return existing;
  if (!session) throw new Error('browser not started');
  const page = await session.signedIn(email);
  sessions.set(email, page);
  return page;
}

async function shot(page: Page, name: string): Promise<void> {
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

async function heading(page: Page, text: string | RegExp): Promise<void> {
  await page.getByRole('heading', { level: 1, name: text }).waitFor({ timeout: 15_000 });
}

async function statusOf(page: Page): Promise<string> {
  return page.getByTestId('status-badge').first().innerText();
}

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  session = await openSession();
});

afterAll(async () => {
  await session?.close();
});

describe('OKRs', () => {
  it('creates an objective from a template in one dialogue and proposes it (rep)', async () => {
    const page = await signIn(REP);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'OKRs', exact: true }).click();
    await heading(page, 'OKRs');
    await page.getByRole('tab', { name: 'Templates' }).click();
    await heading(page, 'Template gallery');
    await page.getByTestId('template-card').nth(14).waitFor();
    await expect(page.getByTestId('template-card').count()).resolves.toBe(15);
    await shot(page, 'okrs-gallery');

    // Filter by category, then open the dialogue of one template.
    await page.getByText(/^Process \(\d+\)$/).click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="template-card"]').length < 15);
    const card = page.getByTestId('template-card').filter({ hasText: 'Forecasts we can plan on' });
    await card.getByRole('button', { name: 'Use this template' }).click();
    const dialog = page.getByTestId('template-dialog');
    await dialog.waitFor();
    await dialog.getByRole('textbox', { name: 'Title' }).fill(TITLE);
    await dialog.getByRole('textbox', { name: /^Target for/ }).first().fill('85');
    await shot(page, 'okrs-template-dialog');
    await dialog.getByRole('button', { name: 'Create objective' }).click();

    await page.waitForURL(/\/okrs\/objectives\/[0-9a-f-]{36}$/);
    objectiveUrl = page.url();
    await heading(page, TITLE);
    expect(await statusOf(page)).toBe('DRAFT');
    expect(await page.getByTestId('key-result').count()).toBe(3);

    await page.getByRole('button', { name: 'Propose', exact: true }).click();
    const propose = page.getByRole('dialog', { name: 'Propose objective' });
    await propose.getByRole('textbox').fill('Forecast accuracy is what the board asks about most.');
    await propose.getByRole('button', { name: 'Propose', exact: true }).click();
    await page.waitForFunction(() => document.querySelector('[data-testid="status-badge"]')?.textContent === 'Proposed');
    await page.getByText(/Waiting for approval by Markus Weber/).waitFor();
  });

  it('lets a manager approve the rep’s proposal but not his own', async () => {
    const page = await signIn(MANAGER);
    // His own proposal from the demo: the API reports that someone else must approve it.
    await page.goto(`${base()}/okrs/objectives?status=proposed`);
    await heading(page, 'Objectives');
    await page.getByRole('link', { name: 'Every rep coached every week' }).click();
    await page.getByTestId('own-proposal').waitFor();
    await expect(page.getByRole('button', { name: 'Approve' }).count()).resolves.toBe(0);

    await page.goto(objectiveUrl);
    await heading(page, TITLE);
    await page.getByRole('button', { name: 'Approve', exact: true }).click();
    const approve = page.getByRole('dialog', { name: 'Approve objective' });
    await approve.getByRole('button', { name: 'Approve', exact: true }).click();
    await page.waitForFunction(() => document.querySelector('[data-testid="status-badge"]')?.textContent === 'Active');
    await page.getByText('Approved by Markus Weber').waitFor();

    await page.goto(`${base()}/okrs/meeting`);
    await heading(page, 'Team check-in meeting');
    await page.getByTestId('meeting-item').first().waitFor();
    await page.getByTestId('meeting-notes').fill('Rita: forecast objective approved. Training plan: remote trainer booked.');
    await shot(page, 'okrs-meeting');
  });

  it('checks in, celebrates a reached target and shows the new score (rep)', async () => {
    const page = await signIn(REP);
    await page.goto(objectiveUrl);
    await heading(page, TITLE);
    await page.getByRole('link', { name: 'Check in' }).click();
    await heading(page, 'Check-in');
    const rows = page.getByTestId('checkin-row');
    await rows.nth(2).waitFor();
    await page.getByRole('textbox', { name: 'Current value' }).first().fill('60');
    await rows.nth(1).getByLabel('Done').check();
    await rows.nth(2).getByRole('checkbox').nth(1).check();
    await rows.first().getByRole('textbox', { name: 'Note' }).fill('Weekly forecast call with every rep since Monday.');
    await shot(page, 'okrs-check-in');
    await page.getByTestId('checkin-submit').click();
    await page.getByTestId('checkin-saved').waitFor();
    await page.getByText('Target reached!').first().waitFor();

    await page.goto(objectiveUrl);
    await heading(page, TITLE);
    await page.getByTestId('target-reached').first().waitFor();
    const score = Number(await page.getByTestId('score-badge').first().innerText());
    expect(score).toBeGreaterThan(0);
    await page.getByRole('textbox', { name: 'Write a comment or kudos…' }).fill('First weekly forecast call went well.');
    await page.getByRole('button', { name: 'Comment', exact: true }).click();
    await page.getByTestId('okr-comment').first().waitFor();
    await shot(page, 'okrs-objective');

    // The history drawer: the chart of value against the expected line.
    await page.getByRole('button', { name: /^Actions for Reach/ }).click();
    await page.getByRole('menuitem', { name: 'History and chart' }).click();
    await page.getByTestId('history-chart').waitFor();
    await shot(page, 'okrs-kr-history');
    await page.keyboard.press('Escape');

    // The alignment view shows the new score under the rep.
    await page.getByRole('link', { name: 'OKRs' }).first().click();
    await heading(page, 'OKRs');
    const line = page.getByTestId('alignment-objective').filter({ hasText: TITLE });
    await line.waitFor();
    expect(Number(await line.getByTestId('score-badge').innerText())).toBe(score);
    await shot(page, 'okrs-alignment');

    await page.getByRole('tab', { name: 'Objectives' }).click();
    await heading(page, 'Objectives');
    await page.getByTestId('objective-row').nth(3).waitFor();
    await shot(page, 'okrs-list');
    await page.getByRole('textbox', { name: 'Search objectives' }).fill('whole region');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="objective-row"]').length === 1);

    // Changing an active key result's target asks for a reason and shows the revision, before and after.
    await page.goto(objectiveUrl);
    await heading(page, TITLE);
    await page.getByRole('button', { name: /^Actions for Reach/ }).click();
    await page.getByRole('menuitem', { name: 'Edit key result' }).click();
    const edit = page.getByRole('dialog', { name: 'Edit key result' });
    await edit.getByRole('textbox', { name: /^Target/ }).fill('88');
    await edit.getByTestId('revision-reason').fill('The board raised the bar after the Q3 review.');
    await edit.getByRole('button', { name: 'Save changes' }).click();
    const revisions = page.getByTestId('revision-list');
    await revisions.waitFor();
    expect(await revisions.innerText()).toContain('The board raised the bar');
    await shot(page, 'okrs-kr-revision');
  });

  it('shows the retrospective of the closed cycle with learnings and carry-over (rep)', async () => {
    const page = await signIn(REP);
    const cycles = await page.evaluate(async () => ((await (await fetch('/api/okrs/cycles')).json()) as { items: { id: string; status: string; kind: string }[] }).items);
    const closed = cycles.find((c) => c.status === 'closed' && c.kind === 'quarter');
    expect(closed).toBeDefined();
    await page.goto(`${base()}/okrs/retrospective?cycle=${closed?.id ?? ''}`);
    await heading(page, 'Retrospective');
    await page.getByTestId('retro-objective').first().waitFor();
    await page.getByTestId('carry-over').waitFor();
    await shot(page, 'okrs-retrospective');
  });

  it('explains a metric-bound value down to the deals and manages cycles (admin)', async () => {
    const page = await signIn(ADMIN);
    await page.goto(`${base()}/okrs/objectives`);
    await heading(page, 'Objectives');
    await page.getByRole('link', { name: 'Grow this quarter’s revenue' }).click();
    await heading(page, 'Grow this quarter’s revenue');
    await page.getByRole('button', { name: 'Show the deals behind it' }).first().click();
    await page.getByTestId('explain-drawer').waitFor();
    await page.getByTestId('explained-record').first().waitFor({ timeout: 20_000 });
    await shot(page, 'okrs-explain');
    await page.keyboard.press('Escape');

    await page.getByRole('link', { name: 'OKRs' }).first().click();
    await page.getByRole('tab', { name: 'Cycles' }).click();
    await heading(page, 'Cycles');
    await page.getByRole('button', { name: 'Close cycle' }).first().waitFor();
    await shot(page, 'okrs-cycles');
  });

  it('shows the alignment read-only to a viewer, in dark mode', async () => {
    const page = await signIn('viewer@demo.attain.dev');
    await page.goto(`${base()}/okrs`);
    await page.getByTestId('alignment-tree').waitFor();
    await page.getByRole('button', { name: 'Switch to dark mode' }).click();
    await expect(page.getByRole('button', { name: 'New objective' }).count()).resolves.toBe(0);
    await expect(page.getByRole('tab', { name: 'Check-in' }).count()).resolves.toBe(0);
    await shot(page, 'okrs-alignment-viewer-dark');
    expect(session?.pageErrors).toEqual([]);
  });
});
