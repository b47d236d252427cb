import { randomBytes, randomUUID } from 'node:crypto';
import { Command, Option } from 'commander';
import { isRole, ROLES } from '../core/roles.js';
import { StoreLockedError } from '../store/lock.js';
import { latestSchemaVersion, migrate } from '../store/migrate.js';
import { deleteExpiredSessions } from '../store/repos/sessions.js';
import { createTenant, findTenantBySlug } from '../store/repos/tenants.js';
import { addMember, createAccount, findAccountByEmail, getMember } from '../store/repos/users.js';
import { DEMO_PASSWORD, DEMO_USERS, isEmpty, seedDemo } from '../store/seed-demo.js';
import { openStore, type Store } from '../store/store.js';
import { buildApp } from '../server/app.js';
import { hashPassword } from '../server/auth/crypto.js';
import { PACKAGE_VERSION, readEnv, WEB_DIR } from './config.js';

const env = readEnv();

async function withStore<T>(command: string, fn: (store: Store) => Promise<T>, options: { migrate?: boolean } = {}): Promise<T> {
  const store = await openStore({ databaseUrl: env.databaseUrl, dataDir: env.dataDir, command, migrate: options.migrate ?? true });
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

function describeStorage(store: Store): string {
  return store.kind === 'embedded' ? `embedded PostgreSQL in ${store.dataDir}` : 'PostgreSQL (DATABASE_URL)';
}

function printDemoSignIn(url: string): void {
  console.log(`\n  Demo workspace "Demo Sales GmbH" — sign in at ${url} with any of:`);
  for (const user of DEMO_USERS) console.log(`    ${user.role.padEnd(8)} ${user.email}`);
  console.log(`  password: ${DEMO_PASSWORD}\n`);
}

const program = new Command()
  .name('attain')
  .description('Attain: sales OKRs, quotas and incentive pay.\nStorage: embedded PostgreSQL in ./data (ATTAIN_DATA_DIR), or DATABASE_URL=postgres://…')
  .version(PACKAGE_VERSION);

program
  .command('serve')
  .description('Serve the web app and API (PORT, default 3000; HOST, default 127.0.0.1)')
  .addOption(new Option('-p, --port <port>', 'port to listen on').env('PORT'))
  .option('--host <host>', 'address to bind (0.0.0.0 for all interfaces)', env.host)
  .option('--no-demo', 'do not create the demo workspace on first start')
  .action(async (options: { port?: string; host: string; demo: boolean }) => {
    const store = await openStore({ databaseUrl: env.databaseUrl, dataDir: env.dataDir, command: 'attain serve' });
    let seeded = false;
    if (options.demo && env.demo && (await isEmpty(store))) {
      seeded = (await seedDemo(store, { passwordHash: await hashPassword(DEMO_PASSWORD) })).created;
    }
    const app = await buildApp(store, {
      version: PACKAGE_VERSION,
      webDir: WEB_DIR,
      secureCookies: env.secureCookies,
      trustProxy: env.trustProxy,
      logLevel: env.logLevel,
    });
    const port = options.port === undefined ? env.port : Number(options.port);
    await app.listen({ port, host: options.host });
    const address = app.server.address();
    const boundPort = typeof address === 'object' && address ? address.port : port;
    const url = `http://${options.host === '0.0.0.0' || options.host === '127.0.0.1' ? 'localhost' : options.host}:${boundPort}`;
    await store.lock?.describe({ url });
    console.log(`Attain ${PACKAGE_VERSION} is running at ${url}  (storage: ${describeStorage(store)}, schema v${await store.schemaVersion()})`);
    if (seeded) printDemoSignIn(url);
    // Every 10 minutes: drop expired sessions, and (the embedded store has no autovacuum
    // daemon) refresh the planner's statistics.
    const maintain = async () => {
      await store.asSystem(deleteExpiredSessions);
      if (store.kind === 'embedded') await store.analyze();
    };
    const maintenance = setInterval(() => void maintain().catch((error: unknown) => console.error('attain: maintenance failed', error)), 10 * 60_000);
    maintenance.unref();
    await maintain();
    let stopping = false;
    const stop = async (signal: string) => {
      if (stopping) return;
      stopping = true;
      clearInterval(maintenance);
      console.log(`\n${signal}: stopping Attain…`);
      await app.close();
      await store.close();
      process.exit(0);
    };
    process.on('SIGINT', () => void stop('SIGINT'));
    process.on('SIGTERM', () => void stop('SIGTERM'));
  });

program
  .command('migrate')
  .description('Apply pending database migrations (serve does this on start too)')
  .action(async () => {
    await withStore('attain migrate', async (store) => {
      const applied = await migrate(store.db);
      console.log(applied.length === 0 ? `Schema is up to date (v${await latestSchemaVersion()}).` : `Applied migrations ${applied.join(', ')}; schema is now v${await store.schemaVersion()}.`);
    }, { migrate: false });
  });

program
  .command('seed')
  .description('Create sample data')
  .requiredOption('--demo', 'create the demo workspace with one user per role')
  .action(async () => {
    await withStore('attain seed', async (store) => {
      const result = await seedDemo(store, { passwordHash: await hashPassword(DEMO_PASSWORD) });
      if (!result.created) console.log('The demo workspace exists already; nothing changed.');
      else {
        console.log('Created the demo workspace.');
        printDemoSignIn(`http://localhost:${env.port}`);
      }
    });
  });

const tenant = program.command('tenant').description('Workspaces');
tenant
  .command('add')
  .description('Create a workspace')
  .requiredOption('--slug <slug>', 'short name, a-z 0-9 and -')
  .requiredOption('--name <name>', 'display name')
  .option('--currency <code>', 'ISO 4217 currency', 'EUR')
  .option('--locale <locale>', 'en or de', 'en')
  .action(async (options: { slug: string; name: string; currency: string; locale: string }) => {
    if (!/^[a-z0-9][a-z0-9-]{1,62}$/.test(options.slug)) throw new UsageError('--slug: 2–63 characters a-z, 0-9 and -');
    if (!/^[A-Z]{3}$/.test(options.currency)) throw new UsageError('--currency: an ISO 4217 code such as EUR');
    if (options.locale !== 'en' && options.locale !== 'de') throw new UsageError('--locale: en or de');
    const locale = options.locale;
    await withStore('attain tenant add', async (store) => {
      const created = await store.asSystem(async (tx) => {
        if (await findTenantBySlug(tx, options.slug)) throw new UsageError(`a workspace with slug "${options.slug}" exists already`);
        return createTenant(tx, { id: randomUUID(), slug: options.slug, name: options.name, currency: options.currency, locale });
      });
      console.log(`Created workspace "${created.name}" (${created.slug}). Add its first admin with: attain user add --tenant ${created.slug} --role admin --email … --name …`);
    });
  });

const user = program.command('user').description('Users');
user
  .command('add')
  .description('Add a user to a workspace (creates the account when the e-mail is new)')
  .requiredOption('--email <email>', 'e-mail address (the sign-in name)')
  .requiredOption('--name <name>', 'display name')
  .addOption(new Option('--role <role>', 'role in the workspace').choices(ROLES).makeOptionMandatory())
  .option('--tenant <slug>', 'workspace slug', 'demo')
  .addOption(new Option('--password <password>', 'password (at least 10 characters); generated when omitted').env('ATTAIN_PASSWORD'))
  .action(async (options: { email: string; name: string; role: string; tenant: string; password?: string }) => {
    const email = options.email.trim().toLowerCase();
    if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) throw new UsageError('--email: not an e-mail address');
    if (!isRole(options.role)) throw new UsageError(`--role: one of ${ROLES.join(', ')}`);
    const role = options.role;
    if (options.password !== undefined && options.password.length < 10) throw new UsageError('--password: at least 10 characters');
    const password = options.password ?? randomBytes(12).toString('base64url');
    await withStore('attain user add', async (store) => {
      const workspace = await store.asSystem((tx) => findTenantBySlug(tx, options.tenant));
      if (!workspace) throw new UsageError(`no workspace with slug "${options.tenant}" (create one with: attain tenant add)`);
      const existing = await store.asSystem((tx) => findAccountByEmail(tx, email));
      const passwordHash = existing ? null : await hashPassword(password);
      await store.inTenant(workspace.id, { actor: { userId: null, tokenId: null }, requestId: 'cli' }, async (scope) => {
        if (existing && (await getMember(scope, existing.id))) throw new UsageError(`${email} is already a member of ${workspace.slug}`);
        const account = existing ?? (await createAccount(scope.tx, { id: randomUUID(), email, name: options.name, passwordHash }));
        await addMember(scope, account.id, role);
      });
      console.log(`Added ${email} to "${workspace.name}" as ${role}.`);
      if (existing) console.log('The account existed already and keeps its password.');
      else if (options.password === undefined) console.log(`Password: ${password}`);
    });
  });

class UsageError extends Error {}

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof StoreLockedError) {
    console.error(`attain: ${error.message}`);
    process.exit(3);
  }
  if (error instanceof UsageError) {
    console.error(`attain: ${error.message}`);
    process.exit(2);
  }
  throw error;
}
