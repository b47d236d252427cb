import { randomUUID } from 'node:crypto';
import { ROLES, type Role } from '../src/core/roles.js';
import { createApiToken } from '../src/store/repos/api-tokens.js';
import { createInvitation } from '../src/store/repos/invitations.js';
import { createPayee } from '../src/store/repos/payees.js';
import { createTeam } from '../src/store/repos/teams.js';
import { createTenant } from '../src/store/repos/tenants.js';
import { addMember, createAccount } from '../src/store/repos/users.js';
import type { Store } from '../src/store/store.js';
import { hashPassword, makeKeyedToken } from '../src/server/auth/crypto.js';

export const TEST_PASSWORD = 'correct horse battery';
let cachedHash: Promise<string> | null = null;
/** One scrypt hash for every fixture user (hashing costs ~0.2 s on purpose). */
export const testPasswordHash = (): Promise<string> => (cachedHash ??= hashPassword(TEST_PASSWORD));

export interface TenantFixture {
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
  /** Strings that belong to this tenant only: none may ever appear in another tenant's responses. */
  markers: string[];
}

/** A workspace with one user per role, a manager's team, payees, an invitation and an API token. */
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
  return store.inTenant(tenantId, { actor: { userId: null, tokenId: null } }, async (scope) => {
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
    return {
      tenantId, slug, name, users, companyTeamId: company.id, teamId: team.id, payeeId: payee.id, partnerPayeeId: partner.id,
      invitationId, tokenId,
      markers: [tenantId, name, ...ROLES.map((r) => users[r].email), ...ROLES.map((r) => users[r].id), company.id, team.id, payee.id, partner.id,
        `${slug} distributor`, `${slug} rep payee`, invitationId, tokenId, `${slug} integration`, `invitee@${slug}.test`],
    };
  });
}
