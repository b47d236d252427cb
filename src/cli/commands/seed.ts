import { DEMO_PASSWORD, seedDemo } from '../../store/seed-demo.js';
import { hashPassword } from '../../server/auth/crypto.js';
import { env, printDemoSignIn, withStore, type RegisterCommand } from '../shared.js';

export const registerSeed: RegisterCommand = (program) => {
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
};
