import { latestSchemaVersion, migrate } from '../../store/migrate.js';
import { withStore, type RegisterCommand } from '../shared.js';

export const registerMigrate: RegisterCommand = (program) => {
  program
    .command('migrate')
    .description('Apply pending database migrations (serve does this on start too)')
    .action(async () => {
      await withStore('attain migrate', async (store) => {
        const applied = await migrate(store.db);
        console.log(applied.length === 0 ? `Schema is up to date (v${await latestSchemaVersion()}).` : `Applied migrations ${applied.join(', ')}; schema is now v${await store.schemaVersion()}.`);
      }, { migrate: false });
    });
};
