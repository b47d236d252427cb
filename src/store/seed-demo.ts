import { randomUUID } from 'node:crypto';
import type { Role } from '../core/roles.js';
import { createPayee } from './repos/payees.js';
import { createTeam, type Team, type TeamKind } from './repos/teams.js';
import { countTenants, createTenant, findTenantBySlug } from './repos/tenants.js';
import { addMember, createAccount, findAccountByEmail } from './repos/users.js';
import type { Store } from './store.js';

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
}

/**
 * Creates the demo workspace: one user per role (password DEMO_PASSWORD), a team tree
 * (company → regions → teams) with a manager, employee payees and two external partners.
 * Does nothing when a workspace with the demo slug exists.
 */
export async function seedDemo(store: Store, options: { passwordHash: string }): Promise<SeedResult> {
  const existing = await store.asSystem((tx) => findTenantBySlug(tx, DEMO_TENANT_SLUG));
  if (existing) return { created: false, tenantId: existing.id };

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
  return { created: true, tenantId };
}

export async function isEmpty(store: Store): Promise<boolean> {
  return (await store.asSystem(countTenants)) === 0;
}
