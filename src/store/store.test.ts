import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestStore, describeEachBackend, type TestStore } from '../../test/stores.js';
import { seedTenant, type TenantFixture } from '../../test/fixtures.js';
import { latestSchemaVersion, migrate } from './migrate.js';
import { listApiTokens } from './repos/api-tokens.js';
import { listAudit, recordAudit } from './repos/audit.js';
import { listInvitations } from './repos/invitations.js';
import { getPayee, listPayees } from './repos/payees.js';
import { createTeam, deleteTeam, getTeam, listManagedTeamIds, listTeams, updateTeam } from './repos/teams.js';
import { listMembers } from './repos/users.js';
import { wrapDb, type Store } from './store.js';

/** Tables that are not tenant-owned: Citus reference tables (see docs/citus.md). */
const GLOBAL_TABLES = ['schema_migrations', 'sessions', 'tenants', 'users'];
/** Tables the fixture puts rows into for each tenant. */
const SEEDED_TABLES = ['memberships', 'teams', 'payees', 'invitations', 'api_tokens', 'audit_log'];

describeEachBackend('store', (backend) => {
  let t: TestStore;
  let a: TenantFixture;
  let b: TenantFixture;
  /** The same database without the app role: only the repositories' own filters isolate tenants here. */
  let unlocked: Store;

  beforeAll(async () => {
    t = await createTestStore(backend);
    a = await seedTenant(t.store, 'alpha');
    b = await seedTenant(t.store, 'beta');
    unlocked = wrapDb(t.store.db, { appRole: null, rowLevelSecurity: false });
  });
  afterAll(() => t?.dispose());

  const asA = <T>(store: Store, fn: Parameters<Store['inTenant']>[2]) =>
    store.inTenant(a.tenantId, { actor: { userId: a.users.admin.id, tokenId: null } }, fn) as Promise<T>;

  describe('migrations', () => {
    it('are applied once and report the newest version', async () => {
      expect(await t.store.schemaVersion()).toBe(await latestSchemaVersion());
      expect(await migrate(t.store.db)).toEqual([]);
    });
  });

  describe('value conventions', () => {
    it('returns bigint as string, dates as YYYY-MM-DD and timestamps as ISO instants', async () => {
      const [row] = await t.store.db.query<{ big: unknown; day: unknown; at: unknown; num: unknown }>(
        `SELECT 9007199254740993::bigint AS big, DATE '2026-02-28' AS day, TIMESTAMPTZ '2026-03-01 12:00:00+02' AS at, 12.3400::numeric AS num`,
      );
      expect(row).toEqual({ big: '9007199254740993', day: '2026-02-28', at: '2026-03-01T10:00:00.000Z', num: '12.3400' });
    });
  });

  describe('tenant-scoped repositories (first lock)', () => {
    it('list only the scope tenant’s rows even without row-level security', async () => {
      const members = await asA<Awaited<ReturnType<typeof listMembers>>>(unlocked, (s) => listMembers(s));
      expect(members.items.map((m) => m.email).sort()).toEqual(Object.values(a.users).map((u) => u.email).sort());
      expect(members.total).toBe(6);
      const teams = await asA<Awaited<ReturnType<typeof listTeams>>>(unlocked, listTeams);
      expect(teams.map((x) => x.id).sort()).toEqual([a.companyTeamId, a.teamId].sort());
      const payees = await asA<Awaited<ReturnType<typeof listPayees>>>(unlocked, (s) => listPayees(s));
      expect(payees.items.map((p) => p.id).sort()).toEqual([a.payeeId, a.partnerPayeeId].sort());
      const invitations = await asA<Awaited<ReturnType<typeof listInvitations>>>(unlocked, listInvitations);
      expect(invitations.map((i) => i.id)).toEqual([a.invitationId]);
      const tokens = await asA<Awaited<ReturnType<typeof listApiTokens>>>(unlocked, listApiTokens);
      expect(tokens.map((x) => x.id)).toEqual([a.tokenId]);
    });

    it('do not find, change or delete another tenant’s rows by id', async () => {
      expect(await asA(unlocked, (s) => getTeam(s, b.teamId))).toBeNull();
      expect(await asA(unlocked, (s) => getPayee(s, b.payeeId))).toBeNull();
      expect(await asA(unlocked, (s) => updateTeam(s, b.teamId, { name: 'hijacked' }))).toBeNull();
      expect(await asA(unlocked, (s) => deleteTeam(s, b.teamId))).toBe('not_found');
      // A reference into tenant B is refused, not linked.
      expect(await asA(unlocked, (s) => createTeam(s, randomUUID(), { name: 'x', kind: 'team', parentId: b.teamId }))).toBe('parent_not_found');
      const team = await t.store.asSystem((tx) => tx.query<{ name: string }>('SELECT name FROM teams WHERE tenant_id = $1 AND id = $2', [b.tenantId, b.teamId]));
      expect(team[0]?.name).toBe('beta sales team');
    });

    it('narrows a manager to the teams they manage and the teams below', async () => {
      const sub = await asA<{ id: string } | string>(t.store, (s) => createTeam(s, randomUUID(), { name: 'sub', kind: 'team', parentId: a.teamId }));
      const ids = await asA<string[]>(t.store, (s) => listManagedTeamIds(s, a.users.manager.id));
      expect(ids.sort()).toEqual([a.teamId, typeof sub === 'string' ? '' : sub.id].sort());
      expect(await asA(t.store, (s) => updateTeam(s, a.teamId, { parentId: typeof sub === 'string' ? '' : sub.id }))).toBe('parent_cycle');
    });
  });

  describe('search and paging', () => {
    it('pages members and payees in name order with a total, and searches names, e-mails and references', async () => {
      const first = await asA<Awaited<ReturnType<typeof listMembers>>>(t.store, (s) => listMembers(s, { limit: 2 }));
      const second = await asA<Awaited<ReturnType<typeof listMembers>>>(t.store, (s) => listMembers(s, { limit: 2, offset: 2 }));
      const all = await asA<Awaited<ReturnType<typeof listMembers>>>(t.store, (s) => listMembers(s));
      expect(first.total).toBe(6);
      expect([...first.items, ...second.items].map((m) => m.id)).toEqual(all.items.slice(0, 4).map((m) => m.id));
      const beyond = await asA<Awaited<ReturnType<typeof listMembers>>>(t.store, (s) => listMembers(s, { offset: 50 }));
      expect(beyond).toEqual({ items: [], total: 6 });
      const found = await asA<Awaited<ReturnType<typeof listMembers>>>(t.store, (s) => listMembers(s, { q: 'FINANCE@alpha' }));
      expect(found.items.map((m) => m.role)).toEqual(['finance']);
      // Pattern characters are searched literally.
      expect((await asA<Awaited<ReturnType<typeof listMembers>>>(t.store, (s) => listMembers(s, { q: '%' }))).total).toBe(0);
      const partners = await asA<Awaited<ReturnType<typeof listPayees>>>(t.store, (s) => listPayees(s, { q: 'alpha-prt' }));
      expect(partners.items.map((p) => p.id)).toEqual([a.partnerPayeeId]);
    });
  });

  describe('row-level security (second lock)', () => {
    it('binds every request: a query that forgets the tenant filter still sees only its tenant', async () => {
      expect(t.store.rowLevelSecurity).toBe(true);
      const tables = await t.store.db.query<{ table_name: string }>(
        `SELECT table_name FROM information_schema.columns WHERE table_schema = 'public' AND column_name = 'tenant_id' AND table_name <> 'sessions'`,
      );
      for (const { table_name: table } of tables) {
        const rows = await t.store.inTenant(a.tenantId, { actor: { userId: null, tokenId: null } }, (s) =>
          s.tx.query<{ tenant_id: string }>(`SELECT DISTINCT tenant_id FROM ${table}`),
        );
        // Tables the fixture leaves empty show nothing at all; none may show another tenant.
        expect(rows.map((r) => r.tenant_id).filter((id) => id !== a.tenantId), table).toEqual([]);
        if (SEEDED_TABLES.includes(table)) expect(rows.map((r) => r.tenant_id), table).toEqual([a.tenantId]);
      }
    });

    it('refuses to write a row into another tenant', async () => {
      await expect(
        t.store.inTenant(a.tenantId, { actor: { userId: null, tokenId: null } }, (s) =>
          s.tx.query(`INSERT INTO teams (tenant_id, id, name, kind) VALUES ($1, $2, 'smuggled', 'team')`, [b.tenantId, randomUUID()]),
        ),
      ).rejects.toThrow(/row-level security/);
      await expect(
        t.store.inTenant(a.tenantId, { actor: { userId: null, tokenId: null } }, (s) =>
          s.tx.query(`UPDATE teams SET name = 'hijacked' WHERE tenant_id = $1 RETURNING id`, [b.tenantId]),
        ),
      ).resolves.toEqual([]);
    });

    it('shows nothing tenant-owned to a transaction that names no tenant', async () => {
      const rows = await t.store.db.transaction(async (tx) => {
        await tx.query(`SELECT set_config('role', 'attain_app', true)`);
        return tx.query('SELECT 1 FROM teams');
      });
      expect(rows).toEqual([]);
    });
  });

  describe('audit log', () => {
    it('records changes with actor and before/after, newest first', async () => {
      await asA(t.store, (s) => updateTeam(s, a.teamId, { name: 'renamed team' }));
      const page = await asA<Awaited<ReturnType<typeof listAudit>>>(t.store, (s) => listAudit(s, { entityId: a.teamId, limit: 10 }));
      expect(page.items[0]).toMatchObject({
        action: 'team.updated', entityType: 'team', actor: { userId: a.users.admin.id, name: 'admin of alpha' },
        before: { name: 'alpha sales team' }, after: { name: 'renamed team' },
      });
    });

    it('is append-only: updates and deletes are refused, even by the owner', async () => {
      await asA(t.store, (s) => recordAudit(s, { action: 'test.entry', entityType: 'test', entityId: '1' }));
      await expect(t.store.db.query(`UPDATE audit_log SET action = 'forged' WHERE tenant_id = $1`, [a.tenantId])).rejects.toThrow(/append-only/);
      await expect(t.store.db.query(`DELETE FROM audit_log WHERE tenant_id = $1`, [a.tenantId])).rejects.toThrow(/append-only/);
    });

    it('pages with a keyset cursor', async () => {
      const first = await asA<Awaited<ReturnType<typeof listAudit>>>(t.store, (s) => listAudit(s, { limit: 3 }));
      expect(first.items).toHaveLength(3);
      expect(first.nextBefore).toBe(first.items[2]?.id);
      const second = await asA<Awaited<ReturnType<typeof listAudit>>>(t.store, (s) => listAudit(s, { limit: 3, before: first.nextBefore ?? undefined }));
      expect(Number(second.items[0]?.id)).toBeLessThan(Number(first.items[2]?.id));
    });
  });

  describe('catalogue: ready to distribute by tenant (Citus)', () => {
    const tenantTables = async () =>
      (await t.store.db.query<{ table_name: string }>(
        `SELECT table_name FROM information_schema.columns WHERE table_schema = 'public' AND column_name = 'tenant_id'
         AND table_name NOT IN ('sessions') ORDER BY 1`,
      )).map((r) => r.table_name);

    it('has exactly the documented global tables; every other table has tenant_id', async () => {
      const all = (await t.store.db.query<{ tablename: string }>(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`)).map((r) => r.tablename);
      const owned = await tenantTables();
      expect(all.filter((x) => !owned.includes(x))).toEqual(GLOBAL_TABLES);
      expect(owned.length).toBeGreaterThanOrEqual(6);
    });

    it('leads every primary key with tenant_id and includes it in every unique constraint', async () => {
      const rows = await t.store.db.query<{ table_name: string; name: string; type: string; columns: string[] }>(
        `SELECT c.conrelid::regclass::text AS table_name, c.conname AS name, c.contype AS type,
                array(SELECT a.attname::text FROM unnest(c.conkey) WITH ORDINALITY k(n, i) JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n ORDER BY k.i) AS columns
           FROM pg_constraint c JOIN pg_namespace ns ON ns.oid = c.connamespace
          WHERE ns.nspname = 'public' AND c.contype IN ('p', 'u')`,
      );
      const owned = await tenantTables();
      const checked = rows.filter((r) => owned.includes(r.table_name));
      expect(checked.filter((r) => r.type === 'p')).toHaveLength(owned.length);
      for (const r of checked) {
        if (r.type === 'p') expect(r.columns[0], `${r.table_name} primary key`).toBe('tenant_id');
        else expect(r.columns, `${r.table_name}.${r.name}`).toContain('tenant_id');
      }
      // Unique indexes made outside constraints count too.
      const indexes = await t.store.db.query<{ table_name: string; def: string }>(
        `SELECT tablename AS table_name, indexdef AS def FROM pg_indexes WHERE schemaname = 'public' AND indexdef LIKE 'CREATE UNIQUE%'`,
      );
      for (const ix of indexes.filter((i) => owned.includes(i.table_name))) expect(ix.def, ix.def).toMatch(/\(tenant_id[,)]/);
    });

    it('includes tenant_id in every foreign key between tenant-owned tables; others point at global tables', async () => {
      const fks = await t.store.db.query<{ source: string; target: string; name: string; columns: string[]; target_columns: string[] }>(
        `SELECT c.conrelid::regclass::text AS source, c.confrelid::regclass::text AS target, c.conname AS name,
                array(SELECT a.attname::text FROM unnest(c.conkey) WITH ORDINALITY k(n, i) JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n ORDER BY k.i) AS columns,
                array(SELECT a.attname::text FROM unnest(c.confkey) WITH ORDINALITY k(n, i) JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.n ORDER BY k.i) AS target_columns
           FROM pg_constraint c JOIN pg_namespace ns ON ns.oid = c.connamespace WHERE ns.nspname = 'public' AND c.contype = 'f'`,
      );
      const owned = await tenantTables();
      let between = 0;
      for (const fk of fks.filter((f) => owned.includes(f.source))) {
        if (owned.includes(fk.target)) {
          between += 1;
          expect(fk.columns[0], `${fk.source}.${fk.name}`).toBe('tenant_id');
          expect(fk.target_columns[0], `${fk.source}.${fk.name}`).toBe('tenant_id');
        } else {
          expect(GLOBAL_TABLES, `${fk.source}.${fk.name} → ${fk.target}`).toContain(fk.target);
        }
      }
      expect(between).toBeGreaterThanOrEqual(2);
    });

    it('has row-level security enabled and forced on every tenant-owned table', async () => {
      const rows = await t.store.db.query<{ relname: string; rls: boolean; forced: boolean; policies: string }>(
        `SELECT c.relname, c.relrowsecurity AS rls, c.relforcerowsecurity AS forced,
                (SELECT count(*) FROM pg_policy p WHERE p.polrelid = c.oid) AS policies
           FROM pg_class c JOIN pg_namespace ns ON ns.oid = c.relnamespace WHERE ns.nspname = 'public' AND c.relkind = 'r'`,
      );
      for (const table of await tenantTables()) {
        const row = rows.find((r) => r.relname === table);
        expect(row, table).toMatchObject({ rls: true, forced: true });
        expect(Number(row?.policies), table).toBeGreaterThan(0);
      }
    });
  });
});
