import { randomUUID } from 'node:crypto';
import { declareDataset } from '../src/core/data/dataset-declaration.js';
import { DEALS } from '../src/core/data/datasets.js';
import { completeMapping } from '../src/core/data/mapping.js';
import { ROLES, type Role } from '../src/core/roles.js';
import { createApiToken } from '../src/store/repos/api-tokens.js';
import { createDataset } from '../src/store/repos/datasets.js';
import { createImport, createMapping, createWebhookSecret } from '../src/store/repos/imports.js';
import { createInvitation } from '../src/store/repos/invitations.js';
import { createPayee } from '../src/store/repos/payees.js';
import { upsertRecordBatch, writeRecords } from '../src/store/repos/records.js';
import { SYSTEM_VIEWER } from '../src/store/repos/okr-common.js';
import { createCycle } from '../src/store/repos/okr-cycles.js';
import { listKeyResults } from '../src/store/repos/okr-key-results.js';
import { addComment, createObjective } from '../src/store/repos/okr-process.js';
import { createTeam } from '../src/store/repos/teams.js';
import { createAssignment, saveTerritory } from '../src/store/repos/territories.js';
import { allocateQuotaVersion, createQuotaPlan } from '../src/store/repos/quotas.js';
import { createTenant } from '../src/store/repos/tenants.js';
import { seedTenantComp, type CompFixture } from './comp-fixture.js';
import { addMember, createAccount } from '../src/store/repos/users.js';
import type { Store } from '../src/store/store.js';
import { hashPassword, makeKeyedToken } from '../src/server/auth/crypto.js';

export const TEST_PASSWORD = 'correct horse battery';
let cachedHash: Promise<string> | null = null;
/** One scrypt hash for every fixture user (hashing costs ~0.2 s on purpose). */
export const testPasswordHash = (): Promise<string> => (cachedHash ??= hashPassword(TEST_PASSWORD));

export interface TenantFixture extends OkrFixture, PlanningFixture, CompFixture {
  tenantId: string;
  slug: string;
  name: string;
  users: Record<Role, { id: string; email: string; name: string }>;
  companyTeamId: string;
  teamId: string;
  payeeId: string;
  partnerPayeeId: string;
  invitationId: string;
  tokenId: string;
  /** A custom dataset of this tenant only (its key goes where routes take :dataset). */
  datasetKey: string;
  mappingId: string;
  importId: string;
  webhookSecretId: string;
  /** Strings that belong to this tenant only: none may ever appear in another tenant's responses. */
  markers: string[];
}

/** Territories and quotas: a territory with an assignment of the rep, a quota plan with a version. */
export interface PlanningFixture {
  territoryId: string;
  assignmentId: string;
  quotaPlanId: string;
  quotaVersionId: string;
}

/** OKR rows: a cycle with a team objective, a key result and a comment. */
export interface OkrFixture {
  okrCycleId: string;
  objectiveId: string;
  keyResultId: string;
  commentId: string;
}

/**
 * A workspace with one user per role, a manager's team, payees, an invitation, an API token,
 * and sales data: a custom dataset with a record, a deal, a saved mapping, an import and a
 * webhook signing secret.
 */
export async function seedTenant(store: Store, slug: string): Promise<TenantFixture> {
  const tenantId = randomUUID();
  const name = `Workspace ${slug.toUpperCase()}`;
  const passwordHash = await testPasswordHash();
  const users = {} as TenantFixture['users'];
  await store.asSystem(async (tx) => {
    await createTenant(tx, { id: tenantId, slug, name });
    for (const role of ROLES) {
      const user = { id: randomUUID(), email: `${role}@${slug}.test`, name: `${role} of ${slug}` };
      await createAccount(tx, { ...user, passwordHash });
      users[role] = user;
    }
  });
  const datasetKey = `x${slug.replace(/[^a-z0-9]/g, '_')}_programme`.slice(0, 40);
  const declared = declareDataset({
    key: datasetKey,
    label: { en: `${slug} programme`, de: `${slug} Programm` },
    fields: [
      { key: 'partner', label: { en: 'Partner', de: 'Partner' }, type: 'payee', required: true },
      { key: 'month', label: { en: 'Month', de: 'Monat' }, type: 'date', required: true },
      { key: 'volume', label: { en: 'Volume', de: 'Menge' }, type: 'number', scale: 3 },
    ],
  });
  if (!declared.ok) throw new Error(JSON.stringify(declared.issues));
  const fixture = await store.inTenant(tenantId, { actor: { userId: null, tokenId: null } }, async (scope): Promise<Omit<TenantFixture, keyof OkrFixture | keyof PlanningFixture | keyof CompFixture>> => {
    for (const role of ROLES) await addMember(scope, users[role].id, role);
    const company = await createTeam(scope, randomUUID(), { name: `${slug} company`, kind: 'company', managerUserId: users.admin.id });
    if (typeof company === 'string') throw new Error(company);
    const team = await createTeam(scope, randomUUID(), { name: `${slug} sales team`, kind: 'team', parentId: company.id, managerUserId: users.manager.id });
    if (typeof team === 'string') throw new Error(team);
    const payee = await createPayee(scope, randomUUID(), {
      kind: 'employee', displayName: `${slug} rep payee`, userId: users.rep.id, teamId: team.id, currency: 'EUR', externalRef: `${slug}-EMP-1`,
    });
    if (typeof payee === 'string') throw new Error(payee);
    const partner = await createPayee(scope, randomUUID(), {
      kind: 'partner', displayName: `${slug} distributor`, currency: 'EUR', externalRef: `${slug}-PRT-1`,
    });
    if (typeof partner === 'string') throw new Error(partner);
    const invitationId = randomUUID();
    await createInvitation(scope, {
      id: invitationId, email: `invitee@${slug}.test`, role: 'rep', tokenHash: 'x', expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
    });
    const tokenId = randomUUID();
    const { secretHash, display } = makeKeyedToken('attain', tenantId, tokenId);
    await createApiToken(scope, { id: tokenId, name: `${slug} integration`, role: 'viewer', tokenHash: secretHash, prefix: display });

    const dataset = await createDataset(scope, declared.dataset);
    if (!dataset) throw new Error('dataset exists');
    const mapping = completeMapping({ extIdColumn: 'ID', columns: { Partner: 'partner', Month: 'month', Volume: 'volume' } });
    const mappingId = randomUUID();
    const saved = await createMapping(scope, { id: mappingId, dataset: datasetKey, name: `${slug} mapping`, mapping });
    if (saved === 'name_taken') throw new Error(saved);
    const importId = randomUUID();
    await createImport(scope, { id: importId, dataset: datasetKey, source: 'cli', fileName: `${slug}-file.csv`, mapping, mappingName: `${slug} mapping`, mode: 'atomic', dryRun: false });
    const webhookSecretId = randomUUID();
    await createWebhookSecret(scope, { id: webhookSecretId, name: `${slug} webhook`, secret: `whsec_${slug}_${randomUUID()}` });
    return {
      tenantId, slug, name, users, companyTeamId: company.id, teamId: team.id, payeeId: payee.id, partnerPayeeId: partner.id,
      invitationId, tokenId, datasetKey, mappingId, importId, webhookSecretId,
      markers: [tenantId, name, ...ROLES.map((r) => users[r].email), ...ROLES.map((r) => users[r].id), company.id, team.id, payee.id, partner.id,
        `${slug} distributor`, `${slug} rep payee`, invitationId, tokenId, `${slug} integration`, `invitee@${slug}.test`,
        datasetKey, `${slug} programme`, mappingId, `${slug} mapping`, importId, `${slug}-file.csv`, webhookSecretId, `${slug} webhook`,
        `${slug}-DEAL-1`, `${slug} deal`, `${slug}-PRG-1`],
    };
  });
  // Records, written as every record write is (change events after the commit).
  await writeRecords(store, tenantId, { actor: { userId: null, tokenId: null }, source: 'seed' }, async (scope) => {
    await upsertRecordBatch(scope, declared.dataset, [{ extId: `${slug}-PRG-1`, values: [fixture.partnerPayeeId, '2026-01-01', 12_500] }]);
    const deal: Record<string, string | number> = { name: `${slug} deal`, amount: 1000_00, currency: 'EUR', stage: 'open', created: '2026-01-15', owner: fixture.payeeId };
    await upsertRecordBatch(scope, DEALS, [{ extId: `${slug}-DEAL-1`, values: DEALS.fields.map((f) => deal[f.key] ?? null) }]);
  });
  const okrs = await seedTenantOkrs(store, tenantId, { teamId: fixture.teamId, slug });
  const planning = await seedTenantPlanning(store, tenantId, { payeeId: fixture.payeeId, slug });
  const comp = await seedTenantComp(store, tenantId, { payeeId: fixture.payeeId, repUserId: users.rep.id, slug });
  return { ...fixture, ...okrs, ...planning, ...comp, markers: [...fixture.markers, ...okrs.markers, ...planning.markers, ...comp.markers] };
}

async function seedTenantOkrs(store: Store, tenantId: string, at: { teamId: string; slug: string }): Promise<OkrFixture & { markers: string[] }> {
  return store.inTenant(tenantId, { actor: { userId: null, tokenId: null } }, async (scope) => {
    const cycle = await createCycle(scope, randomUUID(), { key: '2026-Q1' });
    const context = { today: '2026-01-15', now: '2026-01-15T12:00:00.000Z', viewer: SYSTEM_VIEWER };
    const objectiveId = await createObjective(scope, {
      cycleId: cycle.id, title: `${at.slug} objective`, category: 'revenue', owner: { kind: 'team', id: at.teamId },
      keyResults: [{ title: `${at.slug} key result`, kind: 'number', target: 10 }],
    }, context);
    const [keyResult] = await listKeyResults(scope, [objectiveId]);
    if (!keyResult) throw new Error('no key result');
    const comment = await addComment(scope, objectiveId, { kind: 'kudos', body: `${at.slug} kudos` }, SYSTEM_VIEWER);
    return {
      okrCycleId: cycle.id, objectiveId, keyResultId: keyResult.id, commentId: comment.id,
      markers: [cycle.id, objectiveId, keyResult.id, comment.id, `${at.slug} objective`, `${at.slug} key result`, `${at.slug} kudos`],
    };
  });
}

async function seedTenantPlanning(store: Store, tenantId: string, at: { payeeId: string; slug: string }): Promise<PlanningFixture & { markers: string[] }> {
  return store.inTenant(tenantId, { actor: { userId: null, tokenId: null } }, async (scope) => {
    const territoryId = randomUUID();
    const saved = await saveTerritory(scope, { id: territoryId, name: `${at.slug} territory`, parentId: null, criteria: { countries: ['DE'] } }, 'create');
    if (!saved?.ok) throw new Error('territory');
    const assignmentId = randomUUID();
    const assigned = await createAssignment(scope, { id: assignmentId, territoryId, assigneeKind: 'rep', assigneeId: at.payeeId, role: 'owner', from: '2026-01-01', until: null });
    if (!assigned.ok) throw new Error(JSON.stringify(assigned.issues));
    const plan = await createQuotaPlan(scope, { id: randomUUID(), name: `${at.slug} quota plan`, fiscalYear: 2026, targetMinor: 1_000_000_00 });
    const version = await allocateQuotaVersion(scope, { id: randomUUID(), planId: plan.id, method: 'equal', levels: 'teams', effectiveFrom: '2026-01-01', note: `${at.slug} version` });
    if (!version || !version.ok) throw new Error('quota version');
    return {
      territoryId, assignmentId, quotaPlanId: plan.id, quotaVersionId: version.value.id,
      markers: [territoryId, assignmentId, plan.id, version.value.id, `${at.slug} territory`, `${at.slug} quota plan`, `${at.slug} version`],
    };
  });
}
