import {
  ActionIcon,
  Alert,
  Badge,
  Button,
  Code,
  Group,
  Modal,
  Stack,
  Table,
  Text,
  TextInput,
  Tooltip,
  VisuallyHidden,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { useDisclosure } from '@mantine/hooks';
import { IconAlertTriangle, IconApi, IconExternalLink, IconKey, IconPlus, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApiTokens, useCreateApiToken, useRevokeApiToken } from '../../api/queries';
import type { ApiToken, CreatedApiToken } from '../../api/types';
import type { Role } from '../../auth/roles';
import { useConfirm } from '../../components/confirm-provider';
import { DataTable } from '../../components/data-table';
import { EmptyCard } from '../../components/empty-card';
import { PageHeader } from '../../components/page-header';
import { ErrorState, TableSkeleton } from '../../components/query-state';
import { RoleBadge } from '../../components/role-badge';
import { RoleSelect } from '../../components/role-select';
import { SecretField } from '../../components/secret-field';
import { Timestamp } from '../../components/timestamp';
import { useFormat } from '../../i18n/format';
import { applyFormErrors } from '../../lib/apply-form-errors';
import { useNotify } from '../../lib/use-notify';
import { FormActions } from '../../components/form-actions.js';

function CreateTokenModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const notify = useNotify();
  const create = useCreateApiToken();
  const [created, setCreated] = useState<CreatedApiToken | null>(null);
  const form = useForm({
    initialValues: { name: '', role: 'viewer' as Role },
    validate: { name: (value) => (value.trim() ? null : t('validation.required')) },
  });
  const close = () => {
    form.reset();
    setCreated(null);
    onClose();
  };
  const submit = form.onSubmit((values) => {
    create.mutate(
      { name: values.name.trim(), role: values.role },
      {
        onSuccess: (result) => {
          setCreated(result);
          notify.success(t('apiTokens.created', { name: result.apiToken.name }));
        },
        onError: (error) => {
          if (!applyFormErrors(form, error)) notify.error(error);
        },
      },
    );
  });

  return (
    <Modal
      opened={opened}
      onClose={close}
      title={created ? t('apiTokens.tokenTitle') : t('apiTokens.createTitle')}
      size="lg"
      closeOnClickOutside={!created}
    >
      {created ? (
        <Stack gap="md">
          <Alert color="orange" variant="light" icon={<IconAlertTriangle />} title={t('apiTokens.onceTitle')}>
            {t('apiTokens.onceText')}
          </Alert>
          <SecretField value={created.token} label={t('apiTokens.token')} />
          <Text size="sm" c="dimmed">
            {t('apiTokens.usage')}
          </Text>
          <Code block>{`curl -H "Authorization: Bearer $ATTAIN_TOKEN" ${window.location.origin}/api/tenant`}</Code>
          <Group justify="flex-end">
            <Button onClick={close}>{t('apiTokens.stored')}</Button>
          </Group>
        </Stack>
      ) : (
        <form onSubmit={submit} noValidate>
          <Stack gap="md">
            <Text size="sm" c="dimmed">
              {t('apiTokens.createText')}
            </Text>
            <TextInput
              label={t('fields.name')}
              placeholder={t('apiTokens.namePlaceholder')}
              required
              data-autofocus
              {...form.getInputProps('name')}
            />
            <RoleSelect
              label={t('fields.role')}
              description={t('apiTokens.roleHelp')}
              value={form.getValues().role}
              onChange={(role) => form.setFieldValue('role', role)}
            />
            <FormActions onCancel={close} submitLabel={t('apiTokens.create')} loading={create.isPending} icon={<IconKey size={16} />} />
          </Stack>
        </form>
      )}
    </Modal>
  );
}

export function ApiTokensPage() {
  const { t } = useTranslation();
  const format = useFormat();
  const notify = useNotify();
  const confirm = useConfirm();
  const tokens = useApiTokens();
  const revoke = useRevokeApiToken();
  const [opened, handlers] = useDisclosure(false);

  const revokeToken = (token: ApiToken) =>
    confirm({
      title: t('apiTokens.revokeTitle'),
      message: t('apiTokens.revokeText', { name: token.name }),
      confirmLabel: t('apiTokens.revoke'),
      onConfirm: () =>
        revoke.mutateAsync(token.id).then(
          () => notify.success(t('apiTokens.revoked', { name: token.name })),
          (error: unknown) => {
            notify.error(error);
            throw error;
          },
        ),
    });

  const items = [...(tokens.data ?? [])].sort((a, b) => Number(a.revokedAt !== null) - Number(b.revokedAt !== null));

  return (
    <>
      <PageHeader
        title={t('settingsNav.apiTokens')}
        description={t('apiTokens.description')}
        icon={<IconKey size={24} stroke={1.6} />}
        actions={
          <>
            <Button
              component="a"
              href="/api/docs"
              target="_blank"
              rel="noreferrer"
              variant="default"
              leftSection={<IconApi size={16} />}
              rightSection={<IconExternalLink size={14} />}
            >
              {t('apiTokens.docs')}
            </Button>
            <Button leftSection={<IconPlus size={16} />} onClick={handlers.open}>
              {t('apiTokens.create')}
            </Button>
          </>
        }
      />
      {tokens.isPending ? (
        <TableSkeleton />
      ) : tokens.isError ? (
        <ErrorState error={tokens.error} onRetry={() => void tokens.refetch()} />
      ) : items.length === 0 ? (
        <EmptyCard
          icon={<IconKey size={28} />}
          title={t('apiTokens.emptyTitle')}
          description={t('apiTokens.emptyText')}
          action={
            <Button variant="light" leftSection={<IconPlus size={16} />} onClick={handlers.open}>
              {t('apiTokens.create')}
            </Button>
          }
        />
      ) : (
        <DataTable minWidth={820}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('fields.name')}</Table.Th>
              <Table.Th>{t('fields.role')}</Table.Th>
              <Table.Th>{t('apiTokens.prefix')}</Table.Th>
              <Table.Th>{t('apiTokens.createdBy')}</Table.Th>
              <Table.Th>{t('apiTokens.lastUsed')}</Table.Th>
              <Table.Th>{t('fields.status')}</Table.Th>
              <Table.Th w={56}>
                <VisuallyHidden>{t('common.actions')}</VisuallyHidden>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((token) => (
              <Table.Tr key={token.id} style={token.revokedAt ? { opacity: 0.6 } : undefined}>
                <Table.Td>
                  <Text size="sm" fw={600}>
                    {token.name}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <RoleBadge role={token.role} />
                </Table.Td>
                <Table.Td>
                  <Code>{token.prefix}…</Code>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{token.createdBy.name ?? t('audit.system')}</Text>
                  <Text size="xs" c="dimmed">
                    {format.date(token.createdAt)}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Timestamp iso={token.lastUsedAt} fallback={t('common.never')} />
                </Table.Td>
                <Table.Td>
                  {token.revokedAt ? (
                    <Tooltip label={format.dateTime(token.revokedAt)}>
                      <Badge color="gray" variant="dot">
                        {t('apiTokens.statusRevoked')}
                      </Badge>
                    </Tooltip>
                  ) : (
                    <Badge color="teal" variant="dot">
                      {t('apiTokens.statusActive')}
                    </Badge>
                  )}
                </Table.Td>
                <Table.Td>
                  {!token.revokedAt && (
                    <Tooltip label={t('apiTokens.revoke')}>
                      <ActionIcon color="red" onClick={() => revokeToken(token)} aria-label={t('apiTokens.revokeFor', { name: token.name })}>
                        <IconTrash size={18} />
                      </ActionIcon>
                    </Tooltip>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </DataTable>
      )}
      <CreateTokenModal opened={opened} onClose={handlers.close} />
    </>
  );
}
