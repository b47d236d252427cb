import {
  ActionIcon,
  Badge,
  Button,
  Group,
  Menu,
  Modal,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  ThemeIcon,
  VisuallyHidden,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconBuildingStore, IconDots, IconHierarchy2, IconPencil, IconPlus, IconTrash, IconUser, IconUsersGroup } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCreatePayee, useDeletePayee, usePayees, useTeams, useUpdatePayee, useUserLookup, type PayeeInput } from '../../api/queries';
import { PAYEE_KINDS, type Payee, type PayeeKind } from '../../api/types';
import { useCan, useSession } from '../../auth/session';
import { useConfirm } from '../../components/confirm-provider';
import { DataTable } from '../../components/data-table';
import { EmptyCard } from '../../components/empty-card';
import { ListPagination } from '../../components/list-pagination';
import { PageHeader } from '../../components/page-header';
import { ErrorState, TableSkeleton } from '../../components/query-state';
import { SearchInput } from '../../components/search-input';
import { UserSelect } from '../../components/user-select';
import { useFormat } from '../../i18n/format';
import { applyFormErrors } from '../../lib/apply-form-errors';
import { currencyOptions } from '../../lib/currencies';
import { useKeepPageInRange, useListSearch } from '../../lib/use-list-search';
import { useNotify } from '../../lib/use-notify';
import { FormActions } from '../../components/form-actions.js';

type Editing = { mode: 'create' } | { mode: 'edit'; payee: Payee };
type KindFilter = 'all' | PayeeKind;

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

function PayeeModal({ editing, onClose }: { editing: Editing; onClose: () => void }) {
  const { t } = useTranslation();
  const session = useSession();
  const can = useCan();
  const format = useFormat();
  const notify = useNotify();
  const teams = useTeams({ enabled: can('teams:read') });
  const createPayee = useCreatePayee();
  const updatePayee = useUpdatePayee();
  const existing = editing.mode === 'edit' ? editing.payee : null;
  // A payee names its team but not its linked user: find them by the payee's e-mail or name.
  const linkedUser = useUserLookup(existing?.userId ?? null, [existing?.email, existing?.displayName], { enabled: can('users:read') });

  const form = useForm<PayeeInput>({
    initialValues: {
      kind: existing?.kind ?? 'employee',
      displayName: existing?.displayName ?? '',
      email: existing?.email ?? null,
      userId: existing?.userId ?? null,
      teamId: existing?.teamId ?? null,
      currency: existing?.currency ?? session.tenant.currency,
      externalRef: existing?.externalRef ?? null,
      startDate: existing?.startDate?.slice(0, 10) ?? null,
      endDate: existing?.endDate?.slice(0, 10) ?? null,
    },
    validate: {
      displayName: (value) => (value.trim() ? null : t('validation.required')),
      email: (value) => (!value || /^\S+@\S+\.\S+$/.test(value.trim()) ? null : t('validation.email')),
      startDate: (value) => (!value || ISO_DATE.test(value) ? null : t('validation.date')),
      endDate: (value, values) =>
        !value ? null : !ISO_DATE.test(value) ? t('validation.date') : values.startDate && value < values.startDate ? t('payees.endBeforeStart') : null,
    },
  });
  const values = form.getValues();
  const teamOptions = (teams.data ?? []).map((team) => ({ value: team.id, label: team.name }));

  const text = (path: 'email' | 'externalRef' | 'startDate' | 'endDate') => {
    const props = form.getInputProps(path);
    return {
      ...props,
      value: (props.value as string | null) ?? '',
      onChange: (event: React.ChangeEvent<HTMLInputElement>) => form.setFieldValue(path, event.currentTarget.value || null),
    };
  };

  const submit = form.onSubmit((input) => {
    const cleaned: PayeeInput = {
      ...input,
      displayName: input.displayName.trim(),
      email: input.email?.trim() || null,
      externalRef: input.externalRef?.trim() || null,
    };
    const options = {
      onSuccess: () => {
        notify.success(t(existing ? 'payees.updated' : 'payees.created', { name: cleaned.displayName }));
        onClose();
      },
      onError: (error: unknown) => {
        if (!applyFormErrors(form, error)) notify.error(error);
      },
    };
    if (existing) updatePayee.mutate({ id: existing.id, ...cleaned }, options);
    else createPayee.mutate(cleaned, options);
  });

  return (
    <Modal opened onClose={onClose} title={existing ? t('payees.editTitle') : t('payees.createTitle')} size="lg">
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          <SegmentedControl
            fullWidth
            aria-label={t('payees.kindLabel')}
            data={PAYEE_KINDS.map((kind) => ({ value: kind, label: t(`payees.kind.${kind}`) }))}
            {...form.getInputProps('kind')}
          />
          <Text size="xs" c="dimmed" mt={-8}>
            {t(`payees.kindHelp.${values.kind}`)}
          </Text>
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
            <TextInput
              label={t('payees.displayName')}
              placeholder={values.kind === 'partner' ? t('payees.partnerPlaceholder') : t('payees.employeePlaceholder')}
              required
              data-autofocus
              {...form.getInputProps('displayName')}
            />
            <TextInput label={t('fields.email')} type="email" {...text('email')} />
            {/* Partners may have a login too (the partner role): their link is kept, not dropped. */}
            {can('users:read') && (
              <UserSelect
                label={t('payees.user')}
                description={t('payees.userHelp')}
                placeholder={t('payees.noUser')}
                value={values.userId}
                onChange={(userId) => form.setFieldValue('userId', userId)}
                selectedName={linkedUser.isLoading ? t('common.loading') : (linkedUser.data?.name ?? null)}
                error={form.errors.userId}
              />
            )}
            {can('teams:read') && (
              <Select
                label={t('payees.team')}
                placeholder={t('payees.noTeam')}
                data={teamOptions}
                searchable
                clearable
                nothingFoundMessage={t('common.noMatches')}
                {...form.getInputProps('teamId')}
              />
            )}
            <Select
              label={t('fields.currency')}
              data={currencyOptions([session.tenant.currency, existing?.currency ?? ''], format.currencyName)}
              searchable
              allowDeselect={false}
              {...form.getInputProps('currency')}
            />
            <TextInput label={t('payees.externalRef')} description={t('payees.externalRefHelp')} {...text('externalRef')} />
            <TextInput label={t('payees.startDate')} type="date" {...text('startDate')} />
            <TextInput label={t('payees.endDate')} type="date" {...text('endDate')} />
          </SimpleGrid>
          <FormActions onCancel={onClose} submitLabel={existing ? t('common.save') : t('payees.create')} loading={createPayee.isPending || updatePayee.isPending} />
        </Stack>
      </form>
    </Modal>
  );
}

export function PayeesPage() {
  const { t } = useTranslation();
  const can = useCan();
  const format = useFormat();
  const notify = useNotify();
  const confirm = useConfirm();
  const [kind, setKind] = useState<KindFilter>('all');
  const [teamId, setTeamId] = useState<string | null>(null);
  const list = useListSearch({ kind, teamId });
  const payees = usePayees({ q: list.term, limit: list.limit, offset: list.offset, kind: kind === 'all' ? null : kind, teamId });
  const teams = useTeams({ enabled: can('teams:read') });
  const deletePayee = useDeletePayee();
  const [editing, setEditing] = useState<Editing | null>(null);
  const canManage = can('payees:manage');
  useKeepPageInRange(list, payees.data);

  const remove = (payee: Payee) =>
    confirm({
      title: t('payees.deleteTitle'),
      message: t('payees.deleteText', { name: payee.displayName }),
      confirmLabel: t('common.delete'),
      onConfirm: () =>
        deletePayee.mutateAsync(payee.id).then(
          () => notify.success(t('payees.deleted', { name: payee.displayName })),
          (error: unknown) => {
            notify.error(error);
            throw error;
          },
        ),
    });

  const rows = payees.data?.items ?? [];
  const total = payees.data?.total ?? 0;
  const isFiltered = list.term !== '' || kind !== 'all' || teamId !== null;
  const teamOptions = (teams.data ?? []).map((team) => ({ value: team.id, label: team.name }));

  const period = (payee: Payee) => {
    if (!payee.startDate && !payee.endDate) return t('payees.open');
    const start = payee.startDate ? format.calendarDate(payee.startDate) : '…';
    const end = payee.endDate ? format.calendarDate(payee.endDate) : t('payees.today');
    return `${start} – ${end}`;
  };

  return (
    <>
      <PageHeader
        title={t('settingsNav.payees')}
        description={t('payees.description')}
        icon={<IconUsersGroup size={24} stroke={1.6} />}
        actions={
          canManage && (
            <Button leftSection={<IconPlus size={16} />} onClick={() => setEditing({ mode: 'create' })}>
              {t('payees.create')}
            </Button>
          )
        }
      />
      <Stack gap="md">
        <Group gap="md" wrap="wrap">
          <SegmentedControl
            value={kind}
            onChange={(value) => setKind(value === 'employee' || value === 'partner' ? value : 'all')}
            aria-label={t('common.filter')}
            data={[
              { value: 'all', label: t('common.all') },
              { value: 'employee', label: t('payees.kindPlural.employee') },
              { value: 'partner', label: t('payees.kindPlural.partner') },
            ]}
          />
          {can('teams:read') && (
            <Select
              aria-label={t('payees.teamFilter')}
              placeholder={t('payees.allTeams')}
              leftSection={<IconHierarchy2 size={16} />}
              data={teamOptions}
              value={teamId}
              onChange={setTeamId}
              searchable
              clearable
              nothingFoundMessage={t('common.noMatches')}
              w={220}
            />
          )}
          <SearchInput
            label={t('payees.search')}
            value={list.search}
            onChange={list.setSearch}
            isBusy={payees.isFetching && list.search.trim() !== ''}
          />
        </Group>
        {payees.isPending ? (
          <TableSkeleton />
        ) : payees.isError ? (
          <ErrorState error={payees.error} onRetry={() => void payees.refetch()} />
        ) : total === 0 ? (
          <EmptyCard
            icon={<IconUsersGroup size={28} />}
            title={!isFiltered ? t('payees.emptyTitle') : list.term ? t('payees.noMatchTitle', { query: list.term }) : t('common.noMatches')}
            description={!isFiltered ? t('payees.emptyText') : list.term ? t('payees.noMatchText') : t('common.noMatchesText')}
            action={
              !isFiltered &&
              canManage && (
                <Button variant="light" leftSection={<IconPlus size={16} />} onClick={() => setEditing({ mode: 'create' })}>
                  {t('payees.create')}
                </Button>
              )
            }
          />
        ) : (
          <>
            <DataTable minWidth={860} style={{ opacity: payees.isPlaceholderData ? 0.6 : 1, transition: 'opacity 150ms' }}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('payees.displayName')}</Table.Th>
                  <Table.Th>{t('payees.kindLabel')}</Table.Th>
                  <Table.Th>{t('payees.team')}</Table.Th>
                  <Table.Th>{t('fields.currency')}</Table.Th>
                  <Table.Th>{t('payees.externalRef')}</Table.Th>
                  <Table.Th>{t('payees.period')}</Table.Th>
                  {canManage && (
                    <Table.Th w={56}>
                      <VisuallyHidden>{t('common.actions')}</VisuallyHidden>
                    </Table.Th>
                  )}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.map((payee) => (
                  <Table.Tr key={payee.id} data-testid="payee-row">
                    <Table.Td>
                      <Group gap="sm" wrap="nowrap">
                        <ThemeIcon variant="light" radius="xl" size={34} color={payee.kind === 'partner' ? 'orange' : 'blue'} aria-hidden>
                          {payee.kind === 'partner' ? <IconBuildingStore size={18} /> : <IconUser size={18} />}
                        </ThemeIcon>
                        <div style={{ minWidth: 0 }}>
                          <Text size="sm" fw={600} lineClamp={1}>
                            {payee.displayName}
                          </Text>
                          <Text size="xs" c="dimmed" lineClamp={1}>
                            {payee.email ?? t('payees.noEmail')}
                          </Text>
                        </div>
                      </Group>
                    </Table.Td>
                    <Table.Td>
                      <Badge color={payee.kind === 'partner' ? 'orange' : 'blue'}>{t(`payees.kind.${payee.kind}`)}</Badge>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" {...(payee.teamName ? {} : { c: 'dimmed' })}>
                        {payee.teamName ?? '—'}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" ff="monospace">
                        {payee.currency}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" {...(payee.externalRef ? { ff: 'monospace' } : { c: 'dimmed' })}>
                        {payee.externalRef ?? '—'}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{period(payee)}</Text>
                    </Table.Td>
                    {canManage && (
                      <Table.Td>
                        <Menu position="bottom-end" shadow="md" width={180}>
                          <Menu.Target>
                            <ActionIcon aria-label={t('payees.actionsFor', { name: payee.displayName })}>
                              <IconDots size={18} />
                            </ActionIcon>
                          </Menu.Target>
                          <Menu.Dropdown>
                            <Menu.Item leftSection={<IconPencil size={16} />} onClick={() => setEditing({ mode: 'edit', payee })}>
                              {t('common.edit')}
                            </Menu.Item>
                            <Menu.Divider />
                            <Menu.Item color="red" leftSection={<IconTrash size={16} />} onClick={() => remove(payee)}>
                              {t('common.delete')}
                            </Menu.Item>
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
      {editing && <PayeeModal key={editing.mode === 'edit' ? editing.payee.id : 'new'} editing={editing} onClose={() => setEditing(null)} />}
    </>
  );
}
