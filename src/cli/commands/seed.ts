import { DEMO_DATA, DEMO_PASSWORD, DEMO_TENANT_SLUG, hasSalesData, loadSalesData, seedDemo, type SalesDataOptions } from '../../store/seed-demo.js';
import { hashPassword } from '../../server/auth/crypto.js';
import { env, printDemoSignIn, UsageError, withStore, type RegisterCommand } from '../shared.js';

const positive = (flag: string, value: string | undefined, max: number): number | undefined => {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new UsageError(`${flag}: a whole number from 1 to ${max.toLocaleString('en-US')}`);
  return n;
};

export const registerSeed: RegisterCommand = (program) => {
  program
    .command('seed')
    .description('Create sample data: the demo workspace with users, teams, payees and two years of generated sales data')
    .requiredOption('--demo', 'create the demo workspace with one user per role')
    .option('--reps <n>', `sales reps (default ${DEMO_DATA.reps})`)
    .option('--deals <n>', `deals (default ${DEMO_DATA.deals}; accounts, leads, activities and tickets scale with it)`)
    .option('--seed <n>', `random seed (default ${DEMO_DATA.seed}); the same seed and --today give the same data`)
    .option('--today <date>', 'the last day of the generated history, YYYY-MM-DD (default: today)')
    .option('--no-data', 'create the workspace without sales data')
    .action(async (options: { reps?: string; deals?: string; seed?: string; today?: string; data: boolean }) => {
      if (options.today !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(options.today)) throw new UsageError('--today: YYYY-MM-DD');
      let lastDataset = '';
      let lastPrinted = 0;
      const data: SalesDataOptions = {
        ...(positive('--reps', options.reps, 100_000) === undefined ? {} : { reps: positive('--reps', options.reps, 100_000) ?? 0 }),
        ...(positive('--deals', options.deals, 10_000_000) === undefined ? {} : { deals: positive('--deals', options.deals, 10_000_000) ?? 0 }),
        ...(positive('--seed', options.seed, 2 ** 31) === undefined ? {} : { seed: positive('--seed', options.seed, 2 ** 31) ?? 0 }),
        ...(options.today === undefined ? {} : { today: options.today }),
        onProgress: ({ dataset, rows, total }) => {
          const now = performance.now();
          if (dataset === lastDataset && now - lastPrinted < 2000 && rows < total) return;
          lastDataset = dataset;
          lastPrinted = now;
          if (process.stdout.isTTY) process.stdout.write(`\r  ${dataset}: ${rows.toLocaleString('en-US')} / ${total.toLocaleString('en-US')} rows   `);
        },
      };
      await withStore('attain seed', async (store) => {
        const started = performance.now();
        const result = await seedDemo(store, { passwordHash: await hashPassword(DEMO_PASSWORD), data: options.data ? data : false });
        const took = () => `${((performance.now() - started) / 1000).toFixed(1)} s`;
        if (process.stdout.isTTY) process.stdout.write('\r\x1b[K');
        if (result.created) {
          console.log('Created the demo workspace.');
          if (result.records > 0) console.log(`Loaded ${result.records.toLocaleString('en-US')} sales records (${took()}).`);
          printDemoSignIn(`http://localhost:${env.port}`);
          return;
        }
        if (options.data && !(await hasSalesData(store, result.tenantId))) {
          const records = await loadSalesData(store, result.tenantId, data);
          if (process.stdout.isTTY) process.stdout.write('\r\x1b[K');
          console.log(`Loaded ${records.toLocaleString('en-US')} sales records into the existing "${DEMO_TENANT_SLUG}" workspace (${took()}).`);
          return;
        }
        console.log('The demo workspace exists already; nothing changed.');
      });
    });
};
