// The web app end to end: the real server (fresh data directory, demo data) and headless
// Chromium. Saves a full-page screenshot of every page to test-results/screenshots/.
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSession, ROOT, SHOTS, type E2eSession } from './support.js';

const PASSWORD = 'attain-demo-2026';
const ADMIN = 'admin@demo.attain.dev';
const REP = 'rep@demo.attain.dev';
const VIEWER = 'viewer@demo.attain.dev';

let session: E2eSession | undefined;
let baseUrl = '';
let context: BrowserContext;
let page: Page;

/** Console errors and uncaught exceptions, collected over the whole run. */
const consoleErrors: string[] = [];
/** Responses the app expects and handles (no session yet, a wrong password on purpose). */
const EXPECTED_FAILURES = [/\/api\/auth\/session$/, /\/api\/auth\/sign-in$/];
const expectedStatusUrls: string[] = [];

function watch(target: Page): void {
  target.on('console', (message) => {
    if (message.type() !== 'error') return;
    const url = message.location().url;
    // Chromium logs every non-2xx fetch as a console error; those the app expects are not errors.
    if (message.text().startsWith('Failed to load resource') && expectedStatusUrls.includes(url)) return;
    consoleErrors.push(`${message.text()} (${url})`);
  });
  target.on('pageerror', (error) => consoleErrors.push(`page error: ${error.message}`));
  target.on('response', (response) => {
    if (response.status() === 401 && EXPECTED_FAILURES.some((pattern) => pattern.test(new URL(response.url()).pathname))) {
      expectedStatusUrls.push(response.url());
    }
  });
}

/**
 * Waits until no skeleton or loader is busy, then saves a screenshot of the whole page. The
 * viewport grows to the page's height (rather than `fullPage`), so the fixed navbar spans it all.
 */
async function shot(name: string, target: Page = page, options: { grow?: boolean } = {}): Promise<void> {
  await target.waitForLoadState('networkidle');
  await target.locator('[aria-busy="true"]').first().waitFor({ state: 'detached', timeout: 15_000 }).catch(() => undefined);
  await target.mouse.move(0, 0); // no hover effects or tooltips in the picture
  const viewport = target.viewportSize() ?? { width: 1440, height: 900 };
  const height = await target.evaluate(() => document.documentElement.scrollHeight);
  if ((options.grow ?? true) && height > viewport.height) await target.setViewportSize({ width: viewport.width, height: Math.min(height, 6000) });
  await target.waitForTimeout(400); // let transitions settle
  await target.screenshot({ path: path.join(SHOTS, `${name}.png`) });
  await target.setViewportSize(viewport);
}

async function heading(text: string | RegExp, target: Page = page): Promise<void> {
  await target.getByRole('heading', { level: 1, name: text }).waitFor({ timeout: 15_000 });
}

async function signIn(email: string, password: string, target: Page = page): Promise<void> {
  await target.goto(`${baseUrl}/sign-in`);
  await target.getByLabel(/^(Email|E-Mail)/).fill(email);
  await target.getByLabel(/^(Password|Passwort)/).fill(password);
  await target.getByRole('button', { name: /^(Sign in|Anmelden)$/ }).click();
}

/** Waits until the rows with this test id are exactly these (by their text), in this order. */
async function rowsAre(testId: string, expected: string[], target: Page = page): Promise<void> {
  await target
    .waitForFunction(
      ({ testId, expected }) => {
        const rows = [...document.querySelectorAll(`[data-testid="${testId}"]`)];
        return rows.length === expected.length && rows.every((row, i) => row.textContent?.includes(expected[i] ?? '\u0000'));
      },
      { testId, expected },
      { timeout: 10_000 },
    )
    .catch(async () => {
      const seen = await target.getByTestId(testId).allInnerTexts();
      throw new Error(`expected rows ${JSON.stringify(expected)}, saw ${JSON.stringify(seen)}`);
    });
}

async function signOut(): Promise<void> {
  await page.getByTestId('user-menu').click();
  await page.getByTestId('sign-out').click();
  await page.waitForURL(/\/sign-in/);
}

async function navLinkNames(): Promise<string[]> {
  return page.getByTestId('settings-nav').getByRole('link').allInnerTexts();
}

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  session = await openSession();
  baseUrl = session.baseUrl;
  context = await session.browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-US', colorScheme: 'light' });
  page = await context.newPage();
  watch(page);
});

afterAll(async () => {
  await session?.close();
});

describe('translations', () => {
  it('have the same keys in English and German, none empty', () => {
    const flatten = (value: unknown, prefix = ''): Record<string, unknown> =>
      typeof value === 'object' && value !== null
        ? Object.assign({}, ...Object.entries(value).map(([key, inner]) => flatten(inner, prefix ? `${prefix}.${key}` : key)))
        : { [prefix]: value };
    // Every pair of files: en.json/de.json and the feature files <area>.en.json/<area>.de.json.
    const dir = path.join(ROOT, 'src/web/i18n');
    const englishFiles = readdirSync(dir).filter((name) => name.endsWith('en.json'));
    expect(englishFiles.length).toBeGreaterThan(1);
    for (const file of englishFiles) {
      const en = flatten(JSON.parse(readFileSync(path.join(dir, file), 'utf8')));
      const de = flatten(JSON.parse(readFileSync(path.join(dir, file.replace(/en\.json$/, 'de.json')), 'utf8')));
      expect(Object.keys(de).sort(), file).toEqual(Object.keys(en).sort());
      expect(Object.entries({ ...en, ...de }).filter(([, text]) => typeof text !== 'string' || text.trim() === ''), file).toEqual([]);
    }
  });
});

describe('the Attain web app', () => {
  it('sends a visitor to the sign-in page and rejects a wrong password', async () => {
    await page.goto(`${baseUrl}/settings/teams`);
    await page.waitForURL(/\/sign-in\?next=/);
    await heading('Sign in');
    await shot('sign-in');

    await page.getByLabel(/^Email/).fill(ADMIN);
    await page.getByLabel(/^Password/).fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByTestId('sign-in-error').innerText()).resolves.toContain('The email address or password is not correct.');
  });

  it('signs in as the demo admin and shows the overview', async () => {
    await signIn(ADMIN, PASSWORD);
    await page.waitForURL(`${baseUrl}/`);
    await heading(/^Good (morning|afternoon|evening), Alex$/);
    expect(await page.getByTestId('workspace-name').innerText()).toBe('Demo Sales GmbH');
    await page.getByText('Set up your workspace').waitFor();
    await shot('overview');
  });

  // OKRs, Data, Metrics, Planning and Compensation have their own pages (and suites); Reports is still an overview.
  const areas = [
    { path: '/reports', title: 'Reports' },
  ];

  it('shows an overview for every area, reached through the navigation', async () => {
    for (const area of areas) {
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: area.title, exact: true }).click();
      await page.waitForURL(`${baseUrl}${area.path}`);
      await heading(area.title);
      await page.getByRole('heading', { name: 'What you can do now' }).waitFor();
      await page.getByText('What this means for you as Administrator').waitFor();
      await shot(`area-${area.path.slice(1)}`);
    }
  });

  const settings: { path: string; title: string; ready: (p: Page) => Promise<unknown>; shot: string }[] = [
    { path: '/settings/profile', title: 'Profile', shot: 'settings-profile', ready: (p) => p.getByRole('button', { name: 'Change password' }).waitFor() },
    { path: '/settings/workspace', title: 'Workspace', shot: 'settings-workspace', ready: (p) => p.getByLabel('Workspace name').and(p.locator('[value="Demo Sales GmbH"]')).waitFor() },
    { path: '/settings/users', title: 'Users', shot: 'settings-users', ready: (p) => p.getByTestId('user-row').nth(5).waitFor() },
    { path: '/settings/invitations', title: 'Invitations', shot: 'settings-invitations', ready: (p) => p.getByTestId('empty-state').or(p.getByTestId('invitation-row').first()).waitFor() },
    { path: '/settings/roles', title: 'Roles', shot: 'settings-roles', ready: (p) => p.getByTestId('role-viewer').getByText(/\d+ (person|people)/).waitFor() },
    { path: '/settings/teams', title: 'Teams', shot: 'settings-teams', ready: (p) => p.getByTestId('team-row').nth(2).waitFor() },
    { path: '/settings/payees', title: 'Payees', shot: 'settings-payees', ready: (p) => p.getByRole('row').nth(3).waitFor() },
    { path: '/settings/api-tokens', title: 'API tokens', shot: 'settings-api-tokens', ready: (p) => p.getByTestId('empty-state').or(p.getByRole('row').nth(1)).waitFor() },
    { path: '/settings/audit', title: 'Audit log', shot: 'settings-audit', ready: (p) => p.getByTestId('audit-row').first().waitFor() },
  ];

  it('shows every settings page', async () => {
    for (const entry of settings) {
      await page.getByTestId('settings-nav').getByRole('link', { name: entry.title, exact: true }).click();
      await page.waitForURL(`${baseUrl}${entry.path}`);
      await heading(entry.title);
      await entry.ready(page);
      await shot(entry.shot);
    }
  });

  it('filters the audit log and expands an entry into a before/after view', async () => {
    await page.goto(`${baseUrl}/settings/audit`);
    await page.getByTestId('audit-row').first().waitFor();
    const all = await page.getByTestId('audit-row').count();
    await page.getByRole('combobox', { name: 'Object type' }).click();
    await page.getByRole('option', { name: 'Team', exact: true }).click();
    await page.waitForFunction(
      (total) => {
        const rows = [...document.querySelectorAll('[data-testid="audit-row"]')];
        return rows.length > 0 && rows.length < total && rows.every((row) => row.textContent?.includes('Unit created'));
      },
      all,
      { timeout: 10_000 },
    );
    await page.getByTestId('audit-row').first().click();
    await page.getByRole('table', { name: 'Before and after' }).waitFor();
    await shot('settings-audit-expanded');
  });

  it('creates a team through the UI', async () => {
    await page.goto(`${baseUrl}/settings/teams`);
    await page.getByTestId('team-row').nth(2).waitFor();
    const before = await page.getByTestId('team-row').count();
    await page.getByTestId('create-team').click();
    const dialog = page.getByRole('dialog', { name: 'Create an organisational unit' });
    await dialog.getByLabel('Name').fill('Benelux');
    await dialog.getByRole('radio', { name: 'Team' }).check({ force: true });
    await dialog.getByRole('combobox', { name: 'Belongs to' }).click();
    await page.getByRole('option', { name: /^EMEA/ }).click();
    // The manager is searched for on the server as one types.
    const manager = dialog.getByRole('combobox', { name: 'Manager' });
    const searched = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/users' && new URL(r.url()).searchParams.get('q') === 'weber');
    await manager.click();
    await manager.fill('weber');
    await searched;
    await page.getByRole('option', { name: /^Markus Weber/ }).waitFor();
    await shot('settings-teams-manager-search', page, { grow: false });
    await page.getByRole('option', { name: /^Markus Weber/ }).click();
    expect(await manager.inputValue()).toBe('Markus Weber');
    await shot('settings-teams-create');
    await dialog.getByRole('button', { name: 'Create unit' }).click();
    await page.getByText('Benelux was created.').waitFor();
    await dialog.waitFor({ state: 'hidden' });
    expect(await page.getByTestId('team-row').count()).toBe(before + 1);
    await page.getByTestId('team-row').filter({ hasText: 'Benelux' }).filter({ hasText: 'Markus Weber' }).waitFor();
  });

  it('searches users on the server, debounced, and shows only the match', async () => {
    const queries: string[] = [];
    const onRequest = (request: { url: () => string }) => {
      const url = new URL(request.url());
      if (url.pathname === '/api/users' && url.searchParams.has('q')) queries.push(url.searchParams.get('q') ?? '');
    };
    page.on('request', onRequest);
    try {
      await page.goto(`${baseUrl}/settings/users`);
      await page.getByTestId('user-row').nth(5).waitFor();
      expect(await page.getByTestId('list-range').innerText()).toMatch(/^1–6 of 6$/);
      const search = page.getByRole('textbox', { name: 'Search by name or email' });
      await search.pressSequentially('kLEi', { delay: 40 });
      await rowsAre('user-row', ['Vera Klein']);
      expect(await page.getByTestId('user-row').innerText()).toContain(VIEWER);
      expect(await page.getByTestId('list-range').innerText()).toBe('1–1 of 1');
      expect(queries).toEqual(['kLEi']); // one request for the whole word, not one per key

      await search.fill('nobody-by-this-name');
      await page.getByRole('heading', { name: 'No users match “nobody-by-this-name”' }).waitFor();
      await page.getByRole('button', { name: 'Clear search' }).click();
      await page.getByTestId('user-row').nth(5).waitFor();
    } finally {
      page.off('request', onRequest);
    }
  });

  it('explains that a password shared with other workspaces cannot be set here', async () => {
    // The demo has no account in two workspaces: the server's answer for one is played back.
    await page.route('**/api/users/*/password', async (route) => {
      expectedStatusUrls.push(route.request().url());
      await route.fulfill({
        status: 409,
        contentType: 'application/json',
        body: JSON.stringify({ error: { code: 'conflict', message: 'This account belongs to other workspaces too' } }),
      });
    });
    try {
      await page.goto(`${baseUrl}/settings/users`);
      await page.getByRole('button', { name: 'Actions for Fiona Becker' }).click();
      await page.getByRole('menuitem', { name: 'Set password' }).click();
      const dialog = page.getByRole('dialog', { name: 'Set a new password' });
      await dialog.getByLabel(/^New password/).fill('a-long-enough-password');
      await dialog.getByRole('button', { name: 'Set password' }).click();
      await dialog.getByTestId('set-password-shared').getByText('Only Fiona Becker can change this password').waitFor();
      await shot('settings-users-set-password-shared', page, { grow: false });
      await dialog.getByRole('button', { name: 'Close' }).first().click();
      await dialog.waitFor({ state: 'hidden' });
    } finally {
      await page.unroute('**/api/users/*/password');
    }
  });

  it('sets a password for the viewer, who then signs in with it', async () => {
    await page.goto(`${baseUrl}/settings/users`);
    await page.getByRole('button', { name: 'Actions for Vera Klein' }).click();
    await page.getByRole('menuitem', { name: 'Set password' }).click();
    const dialog = page.getByRole('dialog', { name: 'Set a new password' });
    await dialog.getByText('For Vera Klein (viewer@demo.attain.dev)').waitFor();
    await dialog.getByRole('button', { name: 'Set password' }).click();
    await dialog.getByText('At least 10 characters.').first().waitFor();
    await dialog.getByRole('button', { name: 'Generate' }).click();
    const password = await dialog.getByLabel(/^New password/).inputValue();
    expect(password).toMatch(/^[A-Za-z2-9]{16}$/);
    await shot('settings-users-set-password', page, { grow: false });
    await dialog.getByRole('button', { name: 'Set password' }).click();
    await page.getByText('The new password for Vera Klein is set. Their sessions have ended.').waitFor();
    await dialog.waitFor({ state: 'hidden' });

    if (!session) throw new Error('no browser');
    const fresh = await session.browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-US', colorScheme: 'light' });
    try {
      const viewerPage = await fresh.newPage();
      watch(viewerPage);
      await signIn(VIEWER, PASSWORD, viewerPage);
      await expect(viewerPage.getByTestId('sign-in-error').innerText()).resolves.toContain('The email address or password is not correct.');
      await signIn(VIEWER, password, viewerPage);
      await viewerPage.waitForURL(`${baseUrl}/`);
      await heading(/^Good (morning|afternoon|evening), Vera$/, viewerPage);
      expect(await viewerPage.getByTestId('user-menu').innerText()).toContain('Viewer');
    } finally {
      await fresh.close();
    }
  });

  it('searches payees by external ID and filters them on the server', async () => {
    await page.goto(`${baseUrl}/settings/payees`);
    await page.getByTestId('payee-row').nth(5).waitFor();
    // The demo's six named payees and the generated sales org (reps and distributors).
    expect(await page.getByTestId('list-range').innerText()).toMatch(/^1–\d+ of \d+$/);
    await page.getByRole('textbox', { name: 'Search payees' }).fill('prt-502');
    await rowsAre('payee-row', ['Alpenland Retail AG']);
    expect(await page.getByTestId('list-range').innerText()).toBe('1–1 of 1');
    await shot('settings-payees-search');

    await page.getByRole('button', { name: 'Clear search' }).click();
    await page.locator('label').filter({ hasText: /^Partners$/ }).click();
    await page.waitForFunction(() => {
      const rows = [...document.querySelectorAll('[data-testid="payee-row"]')];
      return rows.length > 0 && rows.every((row) => row.textContent?.includes('Partner'));
    });
    await page.getByRole('combobox', { name: 'Unit' }).click();
    await page.getByRole('option', { name: 'Nordics' }).click();
    await page.getByRole('heading', { name: 'Nothing matches' }).waitFor();
    await page.getByRole('combobox', { name: 'Unit' }).click();
    await page.getByRole('option', { name: 'DACH' }).click();
    await rowsAre('payee-row', ['Alpenland Retail AG', 'Lehmann Distribution GmbH']);

    // The linked user is named, though the page never loaded the list of users.
    await page.getByRole('button', { name: 'Actions for Lehmann Distribution GmbH' }).click();
    await page.getByRole('menuitem', { name: 'Edit' }).click();
    const dialog = page.getByRole('dialog', { name: 'Edit payee' });
    await page.waitForFunction(() => {
      const input = [...document.querySelectorAll('input')].find((el) => el.labels?.[0]?.textContent?.startsWith('Linked user'));
      return input?.value === 'Paul Lehmann';
    });
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
  });

  it('pages payees on the server, 50 at a time', async () => {
    await page.goto(`${baseUrl}/settings/payees`);
    await page.getByTestId('payee-row').first().waitFor();
    const before = Number((await page.getByTestId('list-range').innerText()).split(' of ')[1]?.replace(/,/g, ''));
    // 55 more partners without a team (so team sizes elsewhere stay as they were), sorted last.
    await page.evaluate(async (count) => {
      const session = (await (await fetch('/api/auth/session')).json()) as { csrfToken: string };
      for (let i = 1; i <= count; i += 1) {
        const response = await fetch('/api/payees', {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-csrf-token': session.csrfToken },
          body: JSON.stringify({ kind: 'partner', displayName: `Zulu Reseller ${String(i).padStart(2, '0')}`, externalRef: `ZR-${i}` }),
        });
        if (!response.ok) throw new Error(`POST /api/payees: ${response.status}`);
      }
    }, 55);
    await page.goto(`${baseUrl}/settings/payees`);
    await page.getByTestId('payee-row').nth(49).waitFor();
    expect(await page.getByTestId('payee-row').count()).toBe(50);
    const total = before + 55;
    const last = Math.ceil(total / 50);
    const from = (last - 1) * 50 + 1;
    const range = (a: number, b: number) => `${a.toLocaleString('en-US')}–${b.toLocaleString('en-US')} of ${total.toLocaleString('en-US')}`;
    expect(await page.getByTestId('list-range').innerText()).toBe(range(1, 50));
    await page.getByRole('button', { name: `Page ${last}`, exact: true }).click();
    await page.waitForFunction((text) => document.querySelector('[data-testid="list-range"]')?.textContent === text, range(from, total));
    // The resellers sort last: the last page holds the highest numbers.
    await rowsAre('payee-row', Array.from({ length: total - from + 1 }, (_, i) => `Zulu Reseller ${String(from + i - before).padStart(2, '0')}`));
    await shot('settings-payees-page-2');
    // A new search starts again on page 1.
    await page.getByRole('textbox', { name: 'Search payees' }).fill('zulu reseller 5');
    await rowsAre('payee-row', Array.from({ length: 6 }, (_, i) => `Zulu Reseller ${50 + i}`));
    expect(await page.getByTestId('list-range').innerText()).toBe('1–6 of 6');
  });

  let acceptUrl = '';

  it('creates an invitation through the UI and shows its link once', async () => {
    await page.goto(`${baseUrl}/settings/invitations`);
    await page.getByTestId('invite-button').click();
    const dialog = page.getByRole('dialog', { name: 'Invite someone' });
    await dialog.getByLabel('Email').fill('new.colleague@example.com');
    await dialog.getByRole('button', { name: 'Create invitation' }).click();
    const secret = page.getByTestId('secret-value');
    await secret.waitFor();
    acceptUrl = await secret.innerText();
    expect(acceptUrl).toMatch(/\/accept-invitation\?token=.+/);
    await shot('settings-invitations-link');
    await page.getByRole('button', { name: 'Done' }).click();
    await page.getByTestId('invitation-row').filter({ hasText: 'new.colleague@example.com' }).waitFor();
  });

  it('creates an API token and shows it only once', async () => {
    await page.goto(`${baseUrl}/settings/api-tokens`);
    await page.getByTestId('empty-state').waitFor();
    await page.getByRole('button', { name: 'Create token' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'Create an API token' });
    await dialog.getByLabel('Name').fill('Nightly CRM import');
    await dialog.getByRole('button', { name: 'Create token' }).click();
    const secret = page.getByTestId('secret-value');
    await secret.waitFor();
    expect((await secret.innerText()).length).toBeGreaterThan(20);
    await shot('settings-api-tokens-created');
    await page.getByRole('button', { name: 'I have stored the token' }).click();
    await page.getByRole('row').filter({ hasText: 'Nightly CRM import' }).waitFor();
    expect(await page.getByTestId('secret-value').count()).toBe(0);
    await shot('settings-api-tokens');
  });

  it('switches the language to German, saved for the user', async () => {
    await page.goto(`${baseUrl}/settings/profile`);
    await page.getByTestId('language-menu').click();
    await page.getByTestId('language-de').click();
    await heading('Profil');
    await page.getByRole('navigation', { name: 'Hauptbereiche' }).getByRole('link', { name: 'Übersicht' }).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('de');
    // Saved via PATCH /api/me: a fresh load is still German.
    await page.reload();
    await heading('Profil');
    await page.getByRole('button', { name: 'Passwort ändern' }).waitFor();
    await shot('settings-profile-de');
    await page.getByRole('navigation', { name: 'Hauptbereiche' }).getByRole('link', { name: 'Übersicht' }).click();
    await heading(/^Guten (Morgen|Tag|Abend), Alex$/);
    await page.getByText('Richten Sie Ihren Arbeitsbereich ein').waitFor();
    await shot('overview-de');
    await page.goto(`${baseUrl}/settings/teams`);
    await heading('Teams');
    await page.getByRole('button', { name: 'Einheit anlegen' }).waitFor();
    await page.getByTestId('team-row').nth(2).waitFor();
    await shot('settings-teams-de');

    await page.getByTestId('language-menu').click();
    await page.getByTestId('language-en').click();
    await page.getByRole('button', { name: 'Create unit' }).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
  });

  it('toggles dark mode and keeps it after a reload', async () => {
    await page.goto(`${baseUrl}/`);
    await heading(/^Good/);
    expect(await page.locator('html').getAttribute('data-mantine-color-scheme')).toBe('light');
    await page.getByTestId('color-scheme-toggle').click();
    await page.waitForFunction(() => document.documentElement.getAttribute('data-mantine-color-scheme') === 'dark');
    await shot('overview-dark');
    await page.reload();
    await heading(/^Good/);
    expect(await page.locator('html').getAttribute('data-mantine-color-scheme')).toBe('dark');
    for (const [pathName, name, ready] of [
      ['/settings/teams', 'settings-teams-dark', () => page.getByTestId('team-row').nth(2).waitFor()],
      ['/settings/users', 'settings-users-dark', () => page.getByTestId('user-row').nth(5).waitFor()],
      [
        '/settings/audit',
        'settings-audit-dark',
        async () => {
          // The newest entry is the language change from above: a real before/after diff.
          await page.getByTestId('audit-row').first().click();
          await page.getByRole('table', { name: 'Before and after' }).waitFor();
        },
      ],
      ['/quotas', 'planning-dark', () => heading('Planning')],
    ] as const) {
      await page.goto(`${baseUrl}${pathName}`);
      await ready();
      await shot(name);
    }
    await page.getByTestId('color-scheme-toggle').click();
    await page.waitForFunction(() => document.documentElement.getAttribute('data-mantine-color-scheme') === 'light');
  });

  it('fits a phone screen with a burger menu', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    try {
      await page.goto(`${baseUrl}/`);
      await heading(/^Good/);
      const burger = page.getByRole('button', { name: 'Toggle navigation' });
      await burger.waitFor();
      // The collapsed navbar is moved off screen, not removed.
      const navbarRight = async () => {
        const box = await page.getByRole('navigation', { name: 'Main' }).boundingBox();
        return box ? box.x + box.width : 0;
      };
      expect(await navbarRight()).toBeLessThanOrEqual(0);
      await shot('overview-mobile');
      await burger.click();
      await page.waitForFunction(() => {
        const nav = document.querySelector('nav[aria-label="Main"]');
        return nav !== null && nav.getBoundingClientRect().left >= 0;
      });
      await shot('navigation-mobile', page, { grow: false });
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Planning' }).click();
      await heading('Planning');
      // Navigating closes the menu again (after its slide-out transition).
      await page
        .waitForFunction(() => (document.querySelector('nav[aria-label="Main"]')?.getBoundingClientRect().right ?? 0) <= 0, null, { timeout: 5_000 })
        .catch(() => undefined);
      expect(await navbarRight()).toBeLessThanOrEqual(0);
      await shot('planning-mobile');
    } finally {
      await page.setViewportSize({ width: 1440, height: 900 });
    }
  });

  it('signs out', async () => {
    await page.goto(`${baseUrl}/`);
    await signOut();
    await heading('Sign in');
    await page.goto(`${baseUrl}/settings/users`);
    await page.waitForURL(/\/sign-in/);
  });

  it('shows the invitation to someone who opens its link', async () => {
    expect(acceptUrl).not.toBe('');
    await page.goto(acceptUrl);
    await heading('Join Demo Sales GmbH');
    await page.getByLabel('Your name').waitFor();
    await shot('accept-invitation');
  });

  it('lets the invited person accept and start as a sales rep', async () => {
    await page.getByLabel('Your name').fill('Nina Neumann');
    await page.getByLabel('Choose a password').fill('short');
    await page.getByRole('button', { name: 'Accept invitation' }).click();
    await page.getByText('At least 10 characters.').nth(1).waitFor();
    await page.getByLabel('Choose a password').fill('a-long-enough-password');
    await page.getByLabel('Repeat the password').fill('a-long-enough-password');
    await page.getByRole('button', { name: 'Accept invitation' }).click();
    await page.waitForURL(`${baseUrl}/`);
    await heading(/^Good (morning|afternoon|evening), Nina$/);
    expect(await page.getByTestId('user-menu').innerText()).toContain('Sales rep');
    await signOut();
  });

  it('hides Users and API tokens from a sales rep', async () => {
    await signIn(REP, PASSWORD);
    await page.waitForURL(`${baseUrl}/`);
    await heading(/^Good (morning|afternoon|evening), /);
    await page.getByText('Sales rep', { exact: true }).first().waitFor();
    const links = await navLinkNames();
    expect(links).toContain('Profile');
    expect(links).not.toContain('Users');
    expect(links).not.toContain('API tokens');
    expect(links).not.toContain('Audit log');
    expect(links).not.toContain('Invitations');
    await shot('overview-rep');
    await page.goto(`${baseUrl}/settings/api-tokens`);
    await page.getByRole('heading', { name: 'Not available for your role' }).waitFor();
    await page.goto(`${baseUrl}/settings/teams`);
    await heading('Teams');
    await page.getByTestId('team-row').nth(2).waitFor();
    expect(await page.getByTestId('create-team').count()).toBe(0);
    await shot('settings-teams-rep');
    // Reps read sales data and metrics but neither import nor define them.
    await page.goto(`${baseUrl}/data`);
    await heading('Data');
    await page.getByTestId('dataset-deals').waitFor();
    expect(await page.getByRole('link', { name: 'Import CSV' }).count()).toBe(0);
    expect(await page.getByRole('heading', { name: 'Import history' }).count()).toBe(0);
    await shot('data-overview-rep');
    await page.goto(`${baseUrl}/data/deals/import`);
    await page.getByRole('heading', { name: 'Not available for your role' }).waitFor();
    await page.goto(`${baseUrl}/metrics`);
    await heading('Metrics');
    await page.getByTestId('metric-row').first().waitFor();
    expect(await page.getByRole('link', { name: 'New metric' }).count()).toBe(0);
    await signOut();
  });

  it('logged no console errors', () => {
    expect(consoleErrors).toEqual([]);
  });
});
