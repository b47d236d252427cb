import { randomUUID } from 'node:crypto';
import { createTenant, findTenantBySlug } from '../../store/repos/tenants.js';
import { UsageError, withStore, type RegisterCommand } from '../shared.js';

export const registerTenant: RegisterCommand = (program) => {
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
};
