import { randomBytes, randomUUID } from 'node:crypto';
import { Option } from 'commander';
import { isRole, ROLES } from '../../core/roles.js';
import { findTenantBySlug } from '../../store/repos/tenants.js';
import { addMember, createAccount, findAccountByEmail, getMember } from '../../store/repos/users.js';
import { hashPassword } from '../../server/auth/crypto.js';
import { UsageError, withStore, type RegisterCommand } from '../shared.js';

export const registerUser: RegisterCommand = (program) => {
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
};
