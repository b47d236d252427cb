import {
  ActionIcon,
  Alert,
  Badge,
  Button,
  Group,
  Modal,
  SegmentedControl,
  Stack,
  Table,
  Text,
  TextInput,
  Tooltip,
  VisuallyHidden,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { useDisclosure } from '@mantine/hooks';
import { IconInfoCircle, IconMailForward, IconMailPlus, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCreateInvitation, useInvitations, useRevokeInvitation } from '../../api/queries';
import type { CreatedInvitation, Invitation, InvitationStatus } from '../../api/types';
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

const STATUS_COLORS: Record<InvitationStatus, string> = {
  pending: 'blue',
  accepted: 'teal',
  revoked: 'gray',
  expired: 'orange',
};

type Filter = 'pending' | 'all';

function InviteModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const notify = useNotify();
  const create = useCreateInvitation();
  const [created, setCreated] = useState<CreatedInvitation | null>(null);
  const form = useForm({
    initialValues: { email: '', role: 'rep' as Role },
    validate: { email: (value) => (/^\S+@\S+\.\S+$/.test(value.trim()) ? null : t('validation.email')) },
  });
  const close = () => {
    form.reset();
    setCreated(null);
    onClose();
  };
  const submit = form.onSubmit((values) => {
    create.mutate(
      { email: values.email.trim(), role: values.role },
      {
        onSuccess: (result) => {
          setCreated(result);
          notify.success(t('invitations.created', { email: result.invitation.email }));
        },
        onError: (error) => {
          if (!applyFormErrors(form, error, { email_taken: { field: 'email', message: t('invitations.alreadyMember') } })) {
            notify.error(error);
          }
        },
      },
    );
  });
  const link = created ? new URL(created.acceptUrl, window.location.origin).toString() : '';

  return (
    <Modal opened={opened} onClose={close} title={created ? t('invitations.linkTitle') : t('invitations.inviteTitle')} size="lg">
      {created ? (
        <Stack gap="md">
          <Text size="sm">{t('invitations.linkText', { email: created.invitation.email })}</Text>
          <SecretField value={link} label={t('invitations.link')} />
          <Alert variant="light" color="yellow" icon={<IconInfoCircle />}>
            {t('invitations.linkOnce')}
          </Alert>
          <Group justify="flex-end">
            <Button onClick={close}>{t('common.done')}</Button>
          </Group>
        </Stack>
      ) : (
        <form onSubmit={submit} noValidate>
          <Stack gap="md">
            <Text size="sm" c="dimmed">
              {t('invitations.inviteText')}
            </Text>
            <TextInput label={t('fields.email')} type="email" required data-autofocus {...form.getInputProps('email')} />
            <RoleSelect label={t('fields.role')} value={form.getValues().role} onChange={(role) => form.setFieldValue('role', role)} />
            <FormActions onCancel={close} submitLabel={t('invitations.send')} loading={create.isPending} icon={<IconMailForward size={16} />} />
          </Stack>
        </form>
      )}
    </Modal>
  );
}

export function InvitationsPage() {
  const { t } = useTranslation();
  const format = useFormat();
  const notify = useNotify();
  const confirm = useConfirm();
  const invitations = useInvitations();
  const revoke = useRevokeInvitation();
  const [opened, handlers] = useDisclosure(false);
  const [filter, setFilter] = useState<Filter>('pending');

  const revokeInvitation = (invitation: Invitation) =>
    confirm({
      title: t('invitations.revokeTitle'),
      message: t('invitations.revokeText', { email: invitation.email }),
      confirmLabel: t('invitations.revoke'),
      onConfirm: () =>
        revoke.mutateAsync(invitation.id).then(
          () => notify.success(t('invitations.revoked', { email: invitation.email })),
          (error: unknown) => {
            notify.error(error);
            throw error;
          },
        ),
    });

  const items = (invitations.data ?? []).filter((item) => filter === 'all' || item.status === 'pending');

  return (
    <>
      <PageHeader
        title={t('settingsNav.invitations')}
        description={t('invitations.description')}
        icon={<IconMailForward size={24} stroke={1.6} />}
        actions={
          <Button leftSection={<IconMailPlus size={16} />} onClick={handlers.open} data-testid="invite-button">
            {t('invitations.invite')}
          </Button>
        }
      />
      <Stack gap="md">
        <SegmentedControl
          value={filter}
          onChange={(value) => setFilter(value === 'all' ? 'all' : 'pending')}
          data={[
            { value: 'pending', label: t('invitations.filterPending') },
            { value: 'all', label: t('invitations.filterAll') },
          ]}
          w="fit-content"
          aria-label={t('common.filter')}
        />
        {invitations.isPending ? (
          <TableSkeleton />
        ) : invitations.isError ? (
          <ErrorState error={invitations.error} onRetry={() => void invitations.refetch()} />
        ) : items.length === 0 ? (
          <EmptyCard
            icon={<IconMailForward size={28} />}
            title={t('invitations.emptyTitle')}
            description={t('invitations.emptyText')}
            action={
              <Button variant="light" leftSection={<IconMailPlus size={16} />} onClick={handlers.open}>
                {t('invitations.invite')}
              </Button>
            }
          />
        ) : (
          <DataTable>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('fields.email')}</Table.Th>
                <Table.Th>{t('fields.role')}</Table.Th>
                <Table.Th>{t('fields.status')}</Table.Th>
                <Table.Th>{t('invitations.invitedBy')}</Table.Th>
                <Table.Th>{t('invitations.sent')}</Table.Th>
                <Table.Th>{t('invitations.expires')}</Table.Th>
                <Table.Th w={56}>
                  <VisuallyHidden>{t('common.actions')}</VisuallyHidden>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((invitation) => (
                <Table.Tr key={invitation.id} data-testid="invitation-row">
                  <Table.Td>
                    <Text size="sm" fw={500}>
                      {invitation.email}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <RoleBadge role={invitation.role} />
                  </Table.Td>
                  <Table.Td>
                    <Badge color={STATUS_COLORS[invitation.status]} variant="dot">
                      {t(`invitations.status.${invitation.status}`)}
                    </Badge>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{invitation.invitedBy.name ?? t('audit.system')}</Text>
                  </Table.Td>
                  <Table.Td>
                    <Timestamp iso={invitation.createdAt} />
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{format.date(invitation.expiresAt)}</Text>
                  </Table.Td>
                  <Table.Td>
                    {invitation.status === 'pending' && (
                      <Tooltip label={t('invitations.revoke')}>
                        <ActionIcon color="red" onClick={() => revokeInvitation(invitation)} aria-label={t('invitations.revokeFor', { email: invitation.email })}>
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
      </Stack>
      <InviteModal opened={opened} onClose={handlers.close} />
    </>
  );
}
