import {
  ActionIcon,
  Alert,
  Avatar,
  Badge,
  Button,
  CopyButton,
  Group,
  Menu,
  Modal,
  PasswordInput,
  Stack,
  Table,
  Text,
  TextInput,
  Tooltip,
  VisuallyHidden,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { useDisclosure } from '@mantine/hooks';
import {
  IconAlertTriangle,
  IconCheck,
  IconCopy,
  IconDots,
  IconInfoCircle,
  IconKey,
  IconMailForward,
  IconPencil,
  IconRefresh,
  IconUserCheck,
  IconUserMinus,
  IconUserOff,
  IconUserPlus,
  IconUsers,
} from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { isApiError } from '../../api/client';
import { useCreateUser, useRemoveUser, useSetUserPassword, useUpdateUser, useUsers } from '../../api/queries';
import type { User } from '../../api/types';
import type { Role } from '../../auth/roles';
import { useCan, useSession } from '../../auth/session';
import { useConfirm } from '../../components/confirm-provider';
import { DataTable } from '../../components/data-table';
import { EmptyCard } from '../../components/empty-card';
import { ListPagination } from '../../components/list-pagination';
import { PageHeader } from '../../components/page-header';
import { ErrorState, TableSkeleton } from '../../components/query-state';
import { RoleBadge } from '../../components/role-badge';
import { RoleSelect } from '../../components/role-select';
import { SearchInput } from '../../components/search-input';
import { Timestamp } from '../../components/timestamp';
import { useFormat } from '../../i18n/format';
import { applyFormErrors } from '../../lib/apply-form-errors';
import { generatePassword } from '../../lib/generate-password';
import { initials } from '../../lib/initials';
import { useKeepPageInRange, useListSearch } from '../../lib/use-list-search';
import { useNotify } from '../../lib/use-notify';
import { FormActions } from '../../components/form-actions.js';

const MIN_PASSWORD = 10;

function CreateUserModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const notify = useNotify();
  const createUser = useCreateUser();
  const form = useForm({
    initialValues: { name: '', email: '', role: 'rep' as Role, password: '' },
    validate: {
      name: (value) => (value.trim() ? null : t('validation.required')),
      email: (value) => (/^\S+@\S+\.\S+$/.test(value.trim()) ? null : t('validation.email')),
      password: (value) => (value.length >= MIN_PASSWORD ? null : t('validation.passwordLength', { count: MIN_PASSWORD })),
    },
  });
  const close = () => {
    form.reset();
    onClose();
  };
  const submit = form.onSubmit((values) => {
    createUser.mutate(
      { ...values, name: values.name.trim(), email: values.email.trim() },
      {
        onSuccess: (user) => {
          notify.success(t('users.created', { name: user.name }));
          close();
        },
        onError: (error) => {
          if (!applyFormErrors(form, error, { email_taken: { field: 'email', message: t('errors.email_taken') } })) notify.error(error);
        },
      },
    );
  });
  return (
    <Modal opened={opened} onClose={close} title={t('users.addTitle')} size="md">
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          <Text size="sm" c="dimmed">
            {t('users.addText')}
          </Text>
          <TextInput label={t('fields.name')} required data-autofocus {...form.getInputProps('name')} />
          <TextInput label={t('fields.email')} type="email" required {...form.getInputProps('email')} />
          <RoleSelect
            label={t('fields.role')}
            value={form.getValues().role}
            onChange={(role) => form.setFieldValue('role', role)}
            comboboxProps={{ withinPortal: true }}
          />
          <PasswordInput
            label={t('users.initialPassword')}
            description={t('validation.passwordLength', { count: MIN_PASSWORD })}
            autoComplete="new-password"
            required
            {...form.getInputProps('password')}
          />
          <FormActions onCancel={close} submitLabel={t('users.add')} loading={createUser.isPending} />
        </Stack>
      </form>
    </Modal>
  );
}

function EditUserModal({ user, onClose }: { user: User | null; onClose: () => void }) {
  const { t } = useTranslation();
  const notify = useNotify();
  const updateUser = useUpdateUser();
  const form = useForm({
    initialValues: { name: user?.name ?? '', role: user?.role ?? ('viewer' as Role) },
    validate: { name: (value) => (value.trim() ? null : t('validation.required')) },
  });
  const submit = form.onSubmit((values) => {
    if (!user) return;
    updateUser.mutate(
      { id: user.id, name: values.name.trim(), role: values.role },
      {
        onSuccess: () => {
          notify.success(t('users.updated', { name: values.name.trim() }));
          onClose();
        },
        onError: (error) => {
          if (!applyFormErrors(form, error)) notify.error(error);
        },
      },
    );
  });
  return (
    <Modal opened={user !== null} onClose={onClose} title={t('users.editTitle')} size="md">
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          <TextInput label={t('fields.email')} value={user?.email ?? ''} readOnly disabled />
          <TextInput label={t('fields.name')} required data-autofocus {...form.getInputProps('name')} />
          <RoleSelect label={t('fields.role')} value={form.getValues().role} onChange={(role) => form.setFieldValue('role', role)} />
          <FormActions onCancel={onClose} submitLabel={t('common.save')} loading={updateUser.isPending} />
        </Stack>
      </form>
    </Modal>
  );
}

/** An admin sets a new password for a member who forgot theirs; the server ends their sessions. */
function SetPasswordModal({ user, onClose }: { user: User; onClose: () => void }) {
  const { t } = useTranslation();
  const notify = useNotify();
  const setPassword = useSetUserPassword();
  const [isVisible, setVisible] = useState(false);
  // 409: the account is shared with other workspaces and only its owner may change the password.
  const [isShared, setShared] = useState(false);
  const form = useForm({
    initialValues: { password: '' },
    validate: {
      password: (value) => (value.length >= MIN_PASSWORD ? null : t('validation.passwordLength', { count: MIN_PASSWORD })),
    },
  });
  const password = form.getValues().password;

  const generate = () => {
    form.setFieldValue('password', generatePassword());
    setVisible(true);
  };

  const submit = form.onSubmit(({ password: value }) => {
    setPassword.mutate(
      { id: user.id, password: value },
      {
        onSuccess: () => {
          notify.success(t('users.setPasswordDone', { name: user.name }));
          onClose();
        },
        onError: (error) => {
          if (isApiError(error) && error.code === 'conflict') setShared(true);
          else if (!applyFormErrors(form, error)) notify.error(error);
        },
      },
    );
  });

  return (
    <Modal opened onClose={onClose} title={t('users.setPasswordTitle')} size="md">
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          <Text size="sm" c="dimmed">
            {t('users.setPasswordFor', { name: user.name, email: user.email })}
          </Text>
          {isShared ? (
            <Alert color="orange" variant="light" icon={<IconAlertTriangle />} title={t('users.setPasswordSharedTitle', { name: user.name })} data-testid="set-password-shared">
              {t('users.setPasswordShared', { name: user.name })}
            </Alert>
          ) : (
            <>
              <Group gap="xs" align="flex-start" wrap="nowrap">
                <PasswordInput
                  label={t('users.newPassword')}
                  description={t('validation.passwordLength', { count: MIN_PASSWORD })}
                  autoComplete="new-password"
                  required
                  data-autofocus
                  visible={isVisible}
                  onVisibilityChange={setVisible}
                  styles={{ input: { fontFamily: isVisible && password ? 'var(--mantine-font-family-monospace)' : undefined } }}
                  style={{ flex: 1 }}
                  {...form.getInputProps('password')}
                />
                <Group gap={6} wrap="nowrap" mt={46}>
                  <Tooltip label={t('users.generateHint')}>
                    <Button variant="light" leftSection={<IconRefresh size={16} />} onClick={generate}>
                      {t('users.generate')}
                    </Button>
                  </Tooltip>
                  <CopyButton value={password} timeout={2000}>
                    {({ copied, copy }) => (
                      <Tooltip label={copied ? t('common.copied') : t('users.copyPassword')}>
                        <ActionIcon
                          variant={copied ? 'filled' : 'light'}
                          color={copied ? 'teal' : 'brand'}
                          size={36}
                          onClick={copy}
                          disabled={!password}
                          aria-label={t('users.copyPassword')}
                        >
                          {copied ? <IconCheck size={18} /> : <IconCopy size={18} />}
                        </ActionIcon>
                      </Tooltip>
                    )}
                  </CopyButton>
                </Group>
              </Group>
              <Alert color="blue" variant="light" icon={<IconInfoCircle />}>
                {t('users.setPasswordNote', { name: user.name })}
              </Alert>
            </>
          )}
          <Group justify="flex-end" mt="sm">
            <Button variant="default" onClick={onClose}>
              {isShared ? t('common.close') : t('common.cancel')}
            </Button>
            {!isShared && (
              <Button type="submit" leftSection={<IconKey size={16} />} loading={setPassword.isPending}>
                {t('users.setPasswordSubmit')}
              </Button>
            )}
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

export function UsersPage() {
  const { t } = useTranslation();
  const session = useSession();
  const can = useCan();
  const format = useFormat();
  const notify = useNotify();
  const confirm = useConfirm();
  const list = useListSearch();
  const users = useUsers({ q: list.term, limit: list.limit, offset: list.offset });
  const updateUser = useUpdateUser();
  const removeUser = useRemoveUser();
  const [createOpened, createHandlers] = useDisclosure(false);
  const [editing, setEditing] = useState<User | null>(null);
  const [settingPassword, setSettingPassword] = useState<User | null>(null);
  const canManage = can('users:manage');
  useKeepPageInRange(list, users.data);

  const setDisabled = (user: User, disabled: boolean) => {
    const run = () =>
      updateUser.mutateAsync({ id: user.id, disabled }).then(
        () => notify.success(t(disabled ? 'users.disabledDone' : 'users.enabledDone', { name: user.name })),
        (error: unknown) => {
          notify.error(error);
          throw error;
        },
      );
    if (!disabled) {
      void run().catch(() => undefined);
      return;
    }
    confirm({
      title: t('users.disableTitle'),
      message: t('users.disableText', { name: user.name }),
      confirmLabel: t('users.disable'),
      onConfirm: run,
    });
  };

  const remove = (user: User) =>
    confirm({
      title: t('users.removeTitle'),
      message: t('users.removeText', { name: user.name, workspace: session.tenant.name }),
      confirmLabel: t('users.remove'),
      onConfirm: () =>
        removeUser.mutateAsync(user.id).then(
          () => notify.success(t('users.removed', { name: user.name })),
          (error: unknown) => {
            notify.error(error);
            throw error;
          },
        ),
    });

  const visible = users.data?.items ?? [];
  const total = users.data?.total ?? 0;

  return (
    <>
      <PageHeader
        title={t('settingsNav.users')}
        description={t('users.description')}
        icon={<IconUsers size={24} stroke={1.6} />}
        actions={
          canManage && (
            <>
              {can('invitations:manage') && (
                <Button component={Link} to="/settings/invitations" variant="default" leftSection={<IconMailForward size={16} />}>
                  {t('users.invite')}
                </Button>
              )}
              <Button leftSection={<IconUserPlus size={16} />} onClick={createHandlers.open}>
                {t('users.add')}
              </Button>
            </>
          )
        }
      />
      <Stack gap="md">
        <Group>
          <SearchInput label={t('users.search')} value={list.search} onChange={list.setSearch} isBusy={users.isFetching && list.search.trim() !== ''} />
        </Group>
        {users.isPending ? (
          <TableSkeleton />
        ) : users.isError ? (
          <ErrorState error={users.error} onRetry={() => void users.refetch()} />
        ) : total === 0 ? (
          <EmptyCard
            icon={<IconUsers size={28} />}
            title={list.term ? t('users.noMatchTitle', { query: list.term }) : t('users.emptyTitle')}
            description={list.term ? t('users.noMatchText') : t('users.emptyText')}
          />
        ) : (
          <>
            <DataTable style={{ opacity: users.isPlaceholderData ? 0.6 : 1, transition: 'opacity 150ms' }}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('fields.user')}</Table.Th>
                  <Table.Th>{t('fields.role')}</Table.Th>
                  <Table.Th>{t('fields.status')}</Table.Th>
                  <Table.Th>{t('users.lastSignIn')}</Table.Th>
                  <Table.Th>{t('fields.added')}</Table.Th>
                  {canManage && (
                    <Table.Th w={56}>
                      <VisuallyHidden>{t('common.actions')}</VisuallyHidden>
                    </Table.Th>
                  )}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {visible.map((user) => (
                  <Table.Tr key={user.id} data-testid="user-row">
                    <Table.Td>
                      <Group gap="sm" wrap="nowrap">
                        <Avatar radius="xl" color={user.disabled ? 'gray' : 'brand'} size={36}>
                          {initials(user.name)}
                        </Avatar>
                        <div style={{ minWidth: 0 }}>
                          <Text size="sm" fw={600} lineClamp={1}>
                            {user.name}
                            {user.id === session.user.id && (
                              <Text span size="xs" c="dimmed" fw={400}>
                                {' '}
                                ({t('users.you')})
                              </Text>
                            )}
                          </Text>
                          <Text size="xs" c="dimmed" lineClamp={1}>
                            {user.email}
                          </Text>
                        </div>
                      </Group>
                    </Table.Td>
                    <Table.Td>
                      <RoleBadge role={user.role} />
                    </Table.Td>
                    <Table.Td>
                      <Badge color={user.disabled ? 'gray' : 'teal'} variant="dot">
                        {user.disabled ? t('users.statusDisabled') : t('users.statusActive')}
                      </Badge>
                    </Table.Td>
                    <Table.Td>
                      <Timestamp iso={user.lastSignInAt} fallback={t('common.never')} />
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{format.date(user.createdAt)}</Text>
                    </Table.Td>
                    {canManage && (
                      <Table.Td>
                        <Menu position="bottom-end" shadow="md" width={200}>
                          <Menu.Target>
                            <ActionIcon aria-label={t('users.actionsFor', { name: user.name })}>
                              <IconDots size={18} />
                            </ActionIcon>
                          </Menu.Target>
                          <Menu.Dropdown>
                            <Menu.Item leftSection={<IconPencil size={16} />} onClick={() => setEditing(user)}>
                              {t('common.edit')}
                            </Menu.Item>
                            {/* Their own password: Profile asks for the current one and keeps this session. */}
                            {user.id !== session.user.id && (
                              <Menu.Item leftSection={<IconKey size={16} />} onClick={() => setSettingPassword(user)}>
                                {t('users.setPassword')}
                              </Menu.Item>
                            )}
                            {user.id !== session.user.id &&
                              (user.disabled ? (
                                <Menu.Item leftSection={<IconUserCheck size={16} />} onClick={() => setDisabled(user, false)}>
                                  {t('users.enable')}
                                </Menu.Item>
                              ) : (
                                <Menu.Item leftSection={<IconUserOff size={16} />} onClick={() => setDisabled(user, true)}>
                                  {t('users.disable')}
                                </Menu.Item>
                              ))}
                            {user.id !== session.user.id && (
                              <>
                                <Menu.Divider />
                                <Menu.Item color="red" leftSection={<IconUserMinus size={16} />} onClick={() => remove(user)}>
                                  {t('users.remove')}
                                </Menu.Item>
                              </>
                            )}
                          </Menu.Dropdown>
                        </Menu>
                      </Table.Td>
                    )}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </DataTable>
            <ListPagination page={list.page} pageSize={list.limit} total={total} onChange={list.setPage} />
          </>
        )}
      </Stack>
      <CreateUserModal opened={createOpened} onClose={createHandlers.close} />
      {editing && <EditUserModal key={editing.id} user={editing} onClose={() => setEditing(null)} />}
      {settingPassword && <SetPasswordModal key={settingPassword.id} user={settingPassword} onClose={() => setSettingPassword(null)} />}
    </>
  );
}
