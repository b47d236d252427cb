import { Option } from 'commander';
import { deleteExpiredSessions } from '../../store/repos/sessions.js';
import { DEMO_PASSWORD, isEmpty, seedDemo } from '../../store/seed-demo.js';
import { openStore } from '../../store/store.js';
import { buildApp } from '../../server/app.js';
import { hashPassword } from '../../server/auth/crypto.js';
import { PACKAGE_VERSION, WEB_DIR } from '../config.js';
import { describeStorage, env, printDemoSignIn, type RegisterCommand } from '../shared.js';

export const registerServe: RegisterCommand = (program) => {
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
};
