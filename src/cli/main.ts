import { Command } from 'commander';
import { StoreLockedError } from '../store/lock.js';
import { registerComp } from './commands/comp.js';
import { registerDataset } from './commands/dataset.js';
import { registerImport } from './commands/import.js';
import { registerMetric } from './commands/metric.js';
import { registerMigrate } from './commands/migrate.js';
import { registerOkr } from './commands/okr.js';
import { registerQuota } from './commands/quota.js';
import { registerSeed } from './commands/seed.js';
import { registerServe } from './commands/serve.js';
import { registerTenant } from './commands/tenant.js';
import { registerUser } from './commands/user.js';
import { PACKAGE_VERSION } from './config.js';
import { UsageError } from './shared.js';

const program = new Command()
  .name('attain')
  .description('Attain: sales OKRs, quotas and incentive pay.\nStorage: embedded PostgreSQL in ./data (ATTAIN_DATA_DIR), or DATABASE_URL=postgres://…')
  .version(PACKAGE_VERSION);

// Each command lives in its own module under commands/.
for (const register of [registerServe, registerMigrate, registerSeed, registerTenant, registerUser, registerOkr, registerQuota, registerComp, registerImport, registerDataset, registerMetric]) register(program);

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
