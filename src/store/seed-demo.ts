import { randomUUID } from 'node:crypto';
import { declareDataset } from '../core/data/dataset-declaration.js';
import { BUILTIN_DATASETS, type DatasetDef } from '../core/data/datasets.js';
import {
  DISTRIBUTOR_PROGRAMME,
  generateAccounts,
  generateActivities,
  generateDeals,
  generateDistributorProgramme,
  generateLeads,
  generateOrg,
  generateTickets,
  type GeneratedPartner,
  type GeneratedRep,
  type GeneratorConfig,
} from '../core/data/generator.js';
import type { MappedRow } from '../core/data/mapping.js';
import { mapJsonRecord, type RecordInput } from '../core/data/record-input.js';
import { addDays } from '../core/data/values.js';
import type { Role } from '../core/roles.js';
import { createDataset, getDataset } from './repos/datasets.js';
import { createPayee } from './repos/payees.js';
import { countRecords, loadPayeeDirectory, tenantCurrency, upsertRecordBatch, writeRecords } from './repos/records.js';
import { createTeam, type Team, type TeamKind } from './repos/teams.js';
import { countTenants, createTenant, findTenantBySlug } from './repos/tenants.js';
import { addMember, createAccount, findAccountByEmail } from './repos/users.js';
import type { Store } from './store.js';
import { seedDemoComp } from './repos/comp-demo.js';
import { seedDemoOkrs } from './repos/okr-demo.js';
import { seedDemoTerritoriesAndQuotas } from './repos/territory-demo.js';

export const DEMO_TENANT_SLUG = 'demo';
export const DEMO_PASSWORD = 'attain-demo-2026';
export const DEMO_USERS: readonly { email: string; name: string; role: Role }[] = [
  { email: 'admin@demo.attain.dev', name: 'Alex Morgan', role: 'admin' },
  { email: 'finance@demo.attain.dev', name: 'Fiona Becker', role: 'finance' },
  { email: 'manager@demo.attain.dev', name: 'Markus Weber', role: 'manager' },
  { email: 'rep@demo.attain.dev', name: 'Rita Schmidt', role: 'rep' },
  { email: 'partner@demo.attain.dev', name: 'Paul Lehmann', role: 'partner' },
  { email: 'viewer@demo.attain.dev', name: 'Vera Klein', role: 'viewer' },
];

export interface SeedResult {
  created: boolean;
  tenantId: string;
  /** Sales records loaded (0 when none were). */
  records: number;
}

/** How much sales data to generate (see src/core/data/generator.ts). */
export interface SalesDataOptions {
  seed?: number;
  /** The generation's today ('YYYY-MM-DD'); history covers the two years before it. Default: today (UTC). */
  today?: string;
  reps?: number;
  deals?: number;
  leads?: number;
  activities?: number;
  tickets?: number;
  onProgress?: (progress: { dataset: string; rows: number; total: number }) => void;
}

/** The demo's scale: two years, 40 reps, ~8,000 deals (first start stays within seconds on the embedded store). */
export const DEMO_DATA: Required<Pick<SalesDataOptions, 'seed' | 'reps' | 'deals'>> = { seed: 2026, reps: 40, deals: 8000 };

/**
 * Creates the demo workspace: one user per role (password DEMO_PASSWORD), a team tree
 * (company → regions → teams) with a manager, employee payees and two external partners.
 * Does nothing when a workspace with the demo slug exists.
 */
export async function seedDemo(store: Store, options: { passwordHash: string; data?: SalesDataOptions | false }): Promise<SeedResult> {
  const existing = await store.asSystem((tx) => findTenantBySlug(tx, DEMO_TENANT_SLUG));
  if (existing) return { created: false, tenantId: existing.id, records: 0 };

  const tenantId = randomUUID();
  const userIds = new Map<Role, string>();
  await store.asSystem(async (tx) => {
    await createTenant(tx, { id: tenantId, slug: DEMO_TENANT_SLUG, name: 'Demo Sales GmbH', currency: 'EUR', locale: 'en', fiscalYearStartMonth: 1 });
    for (const user of DEMO_USERS) {
      const account = (await findAccountByEmail(tx, user.email)) ?? (await createAccount(tx, { id: randomUUID(), email: user.email, name: user.name, passwordHash: options.passwordHash }));
      userIds.set(user.role, account.id);
    }
  });

  await store.inTenant(tenantId, { actor: { userId: null, tokenId: null }, requestId: 'seed-demo' }, async (scope) => {
    for (const user of DEMO_USERS) await addMember(scope, userIds.get(user.role) ?? '', user.role);
    const team = async (name: string, kind: TeamKind, parent: Team | null, managerRole?: Role): Promise<Team> => {
      const result = await createTeam(scope, randomUUID(), {
        name, kind, parentId: parent?.id ?? null, managerUserId: managerRole ? (userIds.get(managerRole) ?? null) : null,
      });
      if (typeof result === 'string') throw new Error(`demo seed: ${result}`);
      return result;
    };
    const company = await team('Demo Sales GmbH', 'company', null, 'admin');
    const emea = await team('EMEA', 'region', company);
    const dach = await team('DACH', 'team', emea, 'manager');
    const nordics = await team('Nordics', 'team', emea);
    const americas = await team('Americas', 'region', company);
    const east = await team('East Coast', 'team', americas);

    const payees = [
      { kind: 'employee', displayName: 'Rita Schmidt', email: 'rep@demo.attain.dev', userId: userIds.get('rep') ?? null, teamId: dach.id, currency: 'EUR', externalRef: 'EMP-1001', startDate: '2024-01-01' },
      { kind: 'employee', displayName: 'Jonas Vogel', email: 'jonas.vogel@demo.attain.dev', teamId: dach.id, currency: 'EUR', externalRef: 'EMP-1002', startDate: '2025-04-01' },
      { kind: 'employee', displayName: 'Emma Larsen', email: 'emma.larsen@demo.attain.dev', teamId: nordics.id, currency: 'EUR', externalRef: 'EMP-1003', startDate: '2023-09-01' },
      { kind: 'employee', displayName: 'Liam Carter', email: 'liam.carter@demo.attain.dev', teamId: east.id, currency: 'USD', externalRef: 'EMP-2001', startDate: '2024-06-15' },
      { kind: 'partner', displayName: 'Lehmann Distribution GmbH', email: 'partner@demo.attain.dev', userId: userIds.get('partner') ?? null, teamId: dach.id, currency: 'EUR', externalRef: 'PRT-501' },
      { kind: 'partner', displayName: 'Alpenland Retail AG', teamId: dach.id, currency: 'EUR', externalRef: 'PRT-502' },
    ] as const;
    for (const payee of payees) {
      const result = await createPayee(scope, randomUUID(), payee);
      if (typeof result === 'string') throw new Error(`demo seed: ${result}`);
    }
  });
  const records = options.data === false ? 0 : await loadSalesData(store, tenantId, { ...DEMO_DATA, ...options.data });
  // A current OKR cycle whose metric-bound key results read the data just loaded.
  if (options.data !== false) await seedDemoOkrs(store, tenantId, options.data?.today ? { today: options.data.today } : {});
  // Territories by country and a draft quota version from last year's bookings.
  if (options.data !== false) await seedDemoTerritoriesAndQuotas(store, tenantId, options.data?.today ? { today: options.data.today } : {});
  // Plans, assignments and payout runs in every state, from the same data.
  if (options.data !== false) await seedDemoComp(store, tenantId, { today: options.data?.today ?? utcToday(), repUserId: userIds.get('rep') ?? null });
  return { created: true, tenantId, records };
}

/** The demo's team layout for generated reps: the seeded teams plus a few more. */
const DEMO_TEAMS = [
  { region: 'EMEA', name: 'DACH' },
  { region: 'EMEA', name: 'Nordics' },
  { region: 'EMEA', name: 'UK & Ireland' },
  { region: 'Americas', name: 'East Coast' },
  { region: 'Americas', name: 'West Coast' },
  { region: 'APAC', name: 'ANZ' },
];

const utcToday = (): string => new Date().toISOString().slice(0, 10);

/**
 * Generates sales data into a workspace: reps become payees in teams (the workspace's
 * existing employee and partner payees with an external reference count among them), the
 * distributor programme becomes a custom dataset, and accounts, deals, leads, activities,
 * tickets and programme rows are bulk-loaded (batches of 10,000, one statement each, one
 * transaction per dataset). Deterministic for a seed and a today. Returns the records loaded.
 */
export async function loadSalesData(store: Store, tenantId: string, options: SalesDataOptions = {}): Promise<number> {
  const today = options.today ?? utcToday();
  const deals = options.deals ?? DEMO_DATA.deals;
  const cap = (n: number) => (deals > 100_000 ? Math.min(n, 100_000) : n);
  const actor = { actor: { userId: null, tokenId: null }, requestId: 'seed' };
  const base = await store.inTenant(tenantId, actor, async (scope) => {
    const teams = await scope.tx.query<{ id: string; name: string; kind: string; parent_id: string | null }>('SELECT id, name, kind, parent_id FROM teams WHERE tenant_id = $1', [scope.tenantId]);
    const payees = await scope.tx.query<{ kind: string; display_name: string; email: string | null; team_id: string | null; currency: string; external_ref: string | null; start_date: string | null }>(
      'SELECT kind, display_name, email, team_id, currency, external_ref, start_date FROM payees WHERE tenant_id = $1 AND external_ref IS NOT NULL ORDER BY external_ref',
      [scope.tenantId],
    );
    return { teams, payees };
  });
  const teamById = new Map(base.teams.map((t) => [t.id, t]));
  const regionOf = (teamId: string | null) => {
    const team = teamId ? teamById.get(teamId) : undefined;
    const parent = team?.parent_id ? teamById.get(team.parent_id) : undefined;
    return { team: team?.name ?? 'Sales', region: parent?.kind === 'region' ? parent.name : 'EMEA' };
  };
  const existingReps: GeneratedRep[] = base.payees.filter((p) => p.kind === 'employee' && p.team_id).map((p) => ({
    extRef: p.external_ref ?? '', name: p.display_name, email: p.email ?? '', ...regionOf(p.team_id), startDate: p.start_date ?? addDays(today, -800), currency: p.currency,
  }));
  const existingPartners: GeneratedPartner[] = base.payees.filter((p) => p.kind === 'partner').map((p) => ({ extRef: p.external_ref ?? '', name: p.display_name, region: 'EMEA' }));
  const reps = options.reps ?? DEMO_DATA.reps;
  const config: GeneratorConfig = {
    seed: options.seed ?? DEMO_DATA.seed,
    start: addDays(today, -730),
    today,
    reps: Math.max(reps, existingReps.length),
    deals,
    leads: options.leads ?? cap(Math.round(deals * 1.2)),
    activities: options.activities ?? cap(deals * 2),
    tickets: options.tickets ?? cap(Math.round(deals / 8)),
    partners: Math.max(8, existingPartners.length),
    emailDomain: existingReps.length > 0 ? 'demo.attain.dev' : 'example.com',
    ...(reps <= 200 && existingReps.length > 0 ? { teams: DEMO_TEAMS } : {}),
    existingReps,
    existingPartners,
  };
  const org = generateOrg(config);

  // Regions and teams, then the generated people as payees (bulk: 10,000 reps are one statement).
  await store.inTenant(tenantId, actor, async (scope) => {
    const company = base.teams.find((t) => t.kind === 'company');
    const companyId = company?.id ?? randomUUID();
    if (!company) await scope.tx.query(`INSERT INTO teams (tenant_id, id, name, kind) VALUES ($1, $2, 'Company', 'company')`, [tenantId, companyId]);
    const regionIds = new Map(base.teams.filter((t) => t.kind === 'region').map((t) => [t.name, t.id]));
    const newTeams: { id: string; name: string; kind: string; parent: string }[] = [];
    for (const region of org.regions) {
      if (!regionIds.has(region.name)) {
        const id = randomUUID();
        regionIds.set(region.name, id);
        newTeams.push({ id, name: region.name, kind: 'region', parent: companyId });
      }
    }
    const teamIds = new Map(base.teams.filter((t) => t.kind === 'team').map((t) => [`${regionOf(t.id).region}/${t.name}`, t.id]));
    for (const region of org.regions) {
      for (const team of region.teams) {
        if (teamIds.has(`${region.name}/${team}`)) continue;
        const id = randomUUID();
        teamIds.set(`${region.name}/${team}`, id);
        newTeams.push({ id, name: team, kind: 'team', parent: regionIds.get(region.name) ?? companyId });
      }
    }
    // Regions first: teams reference them.
    for (const kind of ['region', 'team']) {
      const rows = newTeams.filter((t) => t.kind === kind);
      if (rows.length === 0) continue;
      await scope.tx.query(
        `INSERT INTO teams (tenant_id, id, name, kind, parent_id) SELECT $1, t.id, t.name, $2, t.parent FROM unnest($3::uuid[], $4::text[], $5::uuid[]) AS t(id, name, parent)`,
        [tenantId, kind, rows.map((t) => t.id), rows.map((t) => t.name), rows.map((t) => t.parent)],
      );
    }
    const known = new Set(base.payees.map((p) => p.external_ref));
    const reps = org.reps.filter((r) => !known.has(r.extRef));
    await scope.tx.query(
      `INSERT INTO payees (tenant_id, id, kind, display_name, email, team_id, currency, external_ref, start_date)
       SELECT $1, gen_random_uuid(), 'employee', r.name, r.email, r.team, r.currency, r.ref, r.start FROM unnest($2::text[], $3::text[], $4::uuid[], $5::text[], $6::text[], $7::date[]) AS r(name, email, team, currency, ref, start)`,
      [tenantId, reps.map((r) => r.name), reps.map((r) => r.email.toLowerCase()), reps.map((r) => teamIds.get(`${r.region}/${r.team}`) ?? null),
        reps.map((r) => r.currency), reps.map((r) => r.extRef), reps.map((r) => r.startDate)],
    );
    const partners = org.partners.filter((p) => !known.has(p.extRef));
    await scope.tx.query(
      `INSERT INTO payees (tenant_id, id, kind, display_name, currency, external_ref)
       SELECT $1, gen_random_uuid(), 'partner', p.name, 'EUR', p.ref FROM unnest($2::text[], $3::text[]) AS p(name, ref)`,
      [tenantId, partners.map((p) => p.name), partners.map((p) => p.extRef)],
    );
    if (!(await getDataset(scope, DISTRIBUTOR_PROGRAMME.key))) {
      const declared = declareDataset(DISTRIBUTOR_PROGRAMME);
      if (!declared.ok) throw new Error(`demo seed: ${declared.issues.map((i) => i.message).join('; ')}`);
      await createDataset(scope, declared.dataset);
    }
  });

  const programme = await store.inTenant(tenantId, actor, (scope) => getDataset(scope, DISTRIBUTOR_PROGRAMME.key));
  if (!programme) throw new Error('demo seed: the distributor programme dataset is missing');
  const byKey = (key: string): DatasetDef => {
    const found = BUILTIN_DATASETS.find((d) => d.key === key);
    if (!found) throw new Error(`no dataset ${key}`);
    return found;
  };
  const counts = { accounts: config.accounts ?? Math.max(30, Math.round(deals / 5)), deals, leads: config.leads ?? 0, activities: config.activities ?? 0, tickets: config.tickets ?? 0 };
  const loads: { dataset: DatasetDef; rows: Iterable<RecordInput>; total: number }[] = [
    { dataset: byKey('accounts'), rows: generateAccounts(config), total: counts.accounts },
    { dataset: byKey('deals'), rows: generateDeals(config), total: counts.deals },
    { dataset: byKey('leads'), rows: generateLeads(config), total: counts.leads },
    { dataset: byKey('activities'), rows: generateActivities(config), total: counts.activities },
    { dataset: byKey('tickets'), rows: generateTickets(config), total: counts.tickets },
    { dataset: programme, rows: generateDistributorProgramme(config), total: org.partners.length * 25 },
  ];
  let loaded = 0;
  for (const load of loads) {
    await writeRecords(store, tenantId, { ...actor, source: 'seed' }, async (scope) => {
      const context = { tenantCurrency: await tenantCurrency(scope), payees: await loadPayeeDirectory(scope) };
      let batch: MappedRow[] = [];
      let rows = 0;
      let pending: Promise<unknown> | null = null;
      const flush = async () => {
        const out = batch;
        batch = [];
        if (pending) await pending;
        pending = upsertRecordBatch(scope, load.dataset, out);
        options.onProgress?.({ dataset: load.dataset.key, rows, total: load.total });
      };
      for (const input of load.rows) {
        const mapped = mapJsonRecord(load.dataset, input, context, `${load.dataset.key}.${rows}`);
        if (!mapped.ok) throw new Error(`demo seed: ${mapped.issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
        batch.push(mapped.row);
        rows += 1;
        if (batch.length >= 10_000) await flush();
      }
      await flush();
      if (pending) await pending;
      loaded += rows;
    });
  }
  if (store.kind === 'embedded') await store.analyze();
  return loaded;
}

/** Whether a workspace holds any sales records. */
export async function hasSalesData(store: Store, tenantId: string): Promise<boolean> {
  return (await store.inTenant(tenantId, { actor: { userId: null, tokenId: null } }, (scope) => countRecords(scope))) > 0;
}

export async function isEmpty(store: Store): Promise<boolean> {
  return (await store.asSystem(countTenants)) === 0;
}
