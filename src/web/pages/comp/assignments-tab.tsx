import { ActionIcon, Badge, Button, Group, Menu, Modal, Select, Stack, Table, Text, TextInput } from '@mantine/core';
import { IconCalendarOff, IconDots, IconPlus, IconSearch, IconTrash, IconUsersGroup } from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/client';
import { useCompAssignments, useCreateAssignment, useDeleteAssignment, useEndAssignment, usePlanVersions, type CompAssignment } from '../../api/comp-queries';
import { usePayees } from '../../api/queries';
import { DataTable } from '../../components/data-table';
import { EmptyCard } from '../../components/empty-card';
import { FormActions } from '../../components/form-actions';
import { useConfirm } from '../../components/confirm-provider';
import { ErrorState, TableSkeleton } from '../../components/query-state';
import { useFormat } from '../../i18n/format';
import { useErrorMessage } from '../../lib/use-error-message';
import { useNotify } from '../../lib/use-notify';

/** 'YYYY-MM-DD' ± days, in UTC (dates only, no time zone surprises). */
function shiftDay(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

const today = (): string => new Date().toISOString().slice(0, 10);

/** The API's refusals in the reader's language, with the server's specifics (dates, plan) after them. */
function useAssignmentError() {
  const { t } = useTranslation();
  const errorMessage = useErrorMessage();
  return (error: unknown): string => {
    const reason = isApiError(error) ? (error.details as { reason?: string } | null)?.reason : undefined;
    if (reason === 'overlapping_assignment' || reason === 'paid_out') return t(`comp.assignments.errors.${reason}`);
    return errorMessage(error);
  };
}

function stateOf(a: CompAssignment, on: string): 'current' | 'ended' | 'upcoming' {
  if (a.from > on) return 'upcoming';
  if (a.to !== null && a.to <= on) return 'ended';
  return 'current';
}

function AssignModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const notify = useNotify();
  const errorMessage = useAssignmentError();
  const plans = usePlanVersions({ enabled: opened });
  const [search, setSearch] = useState('');
  const [picked, setPicked] = useState<{ value: string; label: string } | null>(null);
  // Once a payee is picked, the box shows its label: that is not a new search.
  const payees = usePayees({ limit: 50, q: picked && search === picked.label ? '' : search }, { enabled: opened });
  const create = useCreateAssignment();
  const payeeId = picked?.value ?? null;
  const [plan, setPlan] = useState<string | null>(null);
  const [from, setFrom] = useState(`${today().slice(0, 7)}-01`);
  const [lastDay, setLastDay] = useState('');
  const [error, setError] = useState<string | null>(null);
  const found = (payees.data?.items ?? []).map((p) => ({ value: p.id, label: `${p.displayName} · ${p.currency}` }));
  const payeeOptions = picked && !found.some((o) => o.value === picked.value) ? [picked, ...found] : found;
  const planOptions = (plans.data ?? []).map((v) => ({ value: `${v.planId}@${v.version}`, label: `${v.name} (${v.planId} v${v.version}, ${v.currency})` }));
  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    const [planId, version] = (plan ?? '').split('@');
    if (!payeeId || !planId || !version) {
      setError(t('comp.assignments.required'));
      return;
    }
    create.mutate(
      { payeeId, planId, planVersion: Number(version), from, ...(lastDay ? { to: shiftDay(lastDay, 1) } : {}) },
      {
        onSuccess: (created) => {
          notify.success(t('comp.assignments.created', { payee: created.payeeName, plan: `${created.planId} v${created.planVersion}` }));
          onClose();
        },
        onError: (e) => setError(errorMessage(e)),
      },
    );
  };
  return (
    <Modal opened={opened} onClose={onClose} title={t('comp.assignments.newTitle')}>
      <form onSubmit={submit} noValidate>
        <Stack>
          <Select
            label={t('comp.assignments.payee')}
            placeholder={t('comp.assignments.payeePlaceholder')}
            data={payeeOptions}
            value={payeeId}
            onChange={(value, option) => setPicked(value && option ? { value, label: option.label } : null)}
            searchable
            searchValue={search}
            onSearchChange={setSearch}
            nothingFoundMessage={t('comp.assignments.noPayee')}
            required
            data-testid="assign-payee"
          />
          <Select label={t('comp.assignments.plan')} data={planOptions} value={plan} onChange={setPlan} required data-testid="assign-plan" />
          <Group grow>
            <TextInput type="date" label={t('comp.assignments.from')} value={from} onChange={(e) => setFrom(e.currentTarget.value)} required data-testid="assign-from" />
            <TextInput type="date" label={t('comp.assignments.lastDay')} description={t('comp.assignments.lastDayHelp')} value={lastDay} onChange={(e) => setLastDay(e.currentTarget.value)} data-testid="assign-last-day" />
          </Group>
          {error && (
            <Text c="red" size="sm" data-testid="assign-error">
              {error}
            </Text>
          )}
          <FormActions onCancel={onClose} submitLabel={t('comp.assignments.assign')} loading={create.isPending} />
        </Stack>
      </form>
    </Modal>
  );
}

function EndModal({ assignment, onClose }: { assignment: CompAssignment | null; onClose: () => void }) {
  const { t } = useTranslation();
  const notify = useNotify();
  const errorMessage = useAssignmentError();
  const end = useEndAssignment();
  const [lastDay, setLastDay] = useState(shiftDay(today(), 0));
  const [error, setError] = useState<string | null>(null);
  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    if (!assignment) return;
    end.mutate(
      { id: assignment.id, to: shiftDay(lastDay, 1) },
      {
        onSuccess: () => {
          notify.success(t('comp.assignments.ended', { payee: assignment.payeeName }));
          setError(null);
          onClose();
        },
        onError: (e) => setError(errorMessage(e)),
      },
    );
  };
  return (
    <Modal opened={assignment !== null} onClose={onClose} title={t('comp.assignments.endTitle', { payee: assignment?.payeeName ?? '' })}>
      <form onSubmit={submit} noValidate>
        <Stack>
          <Text size="sm" c="dimmed">
            {t('comp.assignments.endText')}
          </Text>
          <TextInput type="date" label={t('comp.assignments.lastDay')} value={lastDay} onChange={(e) => setLastDay(e.currentTarget.value)} required error={error} data-testid="end-last-day" />
          <FormActions onCancel={onClose} submitLabel={t('comp.assignments.end')} loading={end.isPending} />
        </Stack>
      </form>
    </Modal>
  );
}

/** Who is on which plan version, from when until when: assign, end and remove. */
export function AssignmentsTab() {
  const { t } = useTranslation();
  const format = useFormat();
  const notify = useNotify();
  const confirm = useConfirm();
  const assignments = useCompAssignments();
  const plans = usePlanVersions();
  const remove = useDeleteAssignment();
  const [creating, setCreating] = useState(false);
  // A fresh form every time the dialog opens.
  const [createKey, setCreateKey] = useState(0);
  const [ending, setEnding] = useState<CompAssignment | null>(null);
  const [search, setSearch] = useState('');
  const [state, setState] = useState<string | null>('current');
  const on = today();
  const planNames = useMemo(() => new Map((plans.data ?? []).map((v) => [`${v.planId}@${v.version}`, v.name])), [plans.data]);
  if (assignments.isPending) return <TableSkeleton rows={6} />;
  if (assignments.isError) return <ErrorState error={assignments.error} onRetry={() => void assignments.refetch()} />;
  const needle = search.trim().toLowerCase();
  const rows = assignments.data
    .filter((a) => (state === null || state === 'all' || stateOf(a, on) === state) && (needle === '' || a.payeeName.toLowerCase().includes(needle) || a.planId.toLowerCase().includes(needle)))
    .sort((a, b) => a.payeeName.localeCompare(b.payeeName) || a.from.localeCompare(b.from));
  const stateColor = { current: 'teal', ended: 'gray', upcoming: 'blue' } as const;
  return (
    <Stack>
      <Group justify="space-between">
        <Group>
          <TextInput leftSection={<IconSearch size={16} />} placeholder={t('comp.assignments.search')} value={search} onChange={(e) => setSearch(e.currentTarget.value)} aria-label={t('comp.assignments.search')} />
          <Select
            aria-label={t('comp.assignments.state')}
            data={(['current', 'upcoming', 'ended', 'all'] as const).map((value) => ({ value, label: t(`comp.assignments.states.${value}`) }))}
            value={state}
            onChange={setState}
            w={160}
            allowDeselect={false}
            data-testid="assignment-state"
          />
        </Group>
        <Button
          leftSection={<IconPlus size={16} />}
          onClick={() => {
            setCreateKey((k) => k + 1);
            setCreating(true);
          }}
          data-testid="new-assignment"
        >
          {t('comp.assignments.new')}
        </Button>
      </Group>
      {rows.length === 0 ? (
        <EmptyCard icon={<IconUsersGroup />} title={t('comp.assignments.emptyTitle')} description={t('comp.assignments.emptyText')} />
      ) : (
        <DataTable aria-label={t('comp.tabs.assignments')}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('comp.assignments.payee')}</Table.Th>
              <Table.Th>{t('comp.assignments.plan')}</Table.Th>
              <Table.Th>{t('comp.assignments.from')}</Table.Th>
              <Table.Th>{t('comp.assignments.lastDay')}</Table.Th>
              <Table.Th>{t('comp.status.label')}</Table.Th>
              <Table.Th w={48} />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((a) => {
              const s = stateOf(a, on);
              return (
                <Table.Tr key={a.id} data-testid={`assignment-row-${a.id}`}>
                  <Table.Td>
                    <Text size="sm" fw={600}>
                      {a.payeeName}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{planNames.get(`${a.planId}@${a.planVersion}`) ?? a.planId}</Text>
                    <Text size="xs" c="dimmed" ff="monospace">
                      {a.planId} v{a.planVersion}
                    </Text>
                  </Table.Td>
                  <Table.Td>{format.calendarDate(a.from)}</Table.Td>
                  <Table.Td>{a.to ? format.calendarDate(shiftDay(a.to, -1)) : <Text size="sm" c="dimmed">{t('comp.plans.openEnded')}</Text>}</Table.Td>
                  <Table.Td>
                    <Badge variant="light" color={stateColor[s]}>
                      {t(`comp.assignments.states.${s}`)}
                    </Badge>
                  </Table.Td>
                  <Table.Td>
                    <Menu position="bottom-end" withinPortal>
                      <Menu.Target>
                        <ActionIcon variant="subtle" color="gray" aria-label={t('comp.assignments.actions', { payee: a.payeeName })}>
                          <IconDots size={16} />
                        </ActionIcon>
                      </Menu.Target>
                      <Menu.Dropdown>
                        <Menu.Item leftSection={<IconCalendarOff size={14} />} onClick={() => setEnding(a)} disabled={s === 'ended'}>
                          {t('comp.assignments.end')}
                        </Menu.Item>
                        <Menu.Item
                          color="red"
                          leftSection={<IconTrash size={14} />}
                          onClick={() =>
                            confirm({
                              title: t('comp.assignments.deleteTitle'),
                              message: t('comp.assignments.deleteText', { payee: a.payeeName, plan: `${a.planId} v${a.planVersion}` }),
                              confirmLabel: t('comp.assignments.delete'),
                              danger: true,
                              onConfirm: () =>
                                remove.mutateAsync(a.id).then(
                                  () => notify.success(t('comp.assignments.deleted')),
                                  (e: unknown) => {
                                    notify.error(e);
                                    throw e;
                                  },
                                ),
                            })
                          }
                        >
                          {t('comp.assignments.delete')}
                        </Menu.Item>
                      </Menu.Dropdown>
                    </Menu>
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </DataTable>
      )}
      <AssignModal key={createKey} opened={creating} onClose={() => setCreating(false)} />
      <EndModal key={ending?.id ?? 'none'} assignment={ending} onClose={() => setEnding(null)} />
    </Stack>
  );
}
