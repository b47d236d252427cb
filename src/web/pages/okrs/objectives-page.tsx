import { Anchor, Box, Button, Card, Group, Select, Stack, Table, Text, Tooltip } from '@mantine/core';
import { IconFilterOff, IconLayoutList, IconPlus, IconTemplate } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { OBJECTIVE_STATUSES, OKR_CATEGORIES, useObjectives, type Objective, type ObjectiveStatus, type OkrCategory } from '../../api/okr-queries';
import { useTeams } from '../../api/queries';
import { useLiveData } from '../../api/use-live-data';
import { useCan } from '../../auth/session';
import { DataTable } from '../../components/data-table';
import { EmptyCard } from '../../components/empty-card';
import { ListPagination } from '../../components/list-pagination';
import { PageHeader } from '../../components/page-header';
import { ErrorState, TableSkeleton } from '../../components/query-state';
import { SearchInput } from '../../components/search-input';
import { UserSelect } from '../../components/user-select';
import { useKeepPageInRange, useListSearch } from '../../lib/use-list-search';
import { NewObjectiveButton } from './objective-form';
import { CycleSelect, OkrTabs, PaceBadge, ScoreBadge, ScoreBar, StatusBadge, useCycleParam, useKrFormat } from './okr-ui';

function KeyResultBars({ objective }: { objective: Objective }) {
  const krFormat = useKrFormat();
  if (objective.keyResults.length === 0) return <Text size="xs" c="dimmed">—</Text>;
  return (
    <Stack gap={6} miw={220}>
      {objective.keyResults.slice(0, 5).map((kr) => (
        <Tooltip key={kr.id} label={`${kr.title}: ${krFormat.progress(kr)}`} withArrow multiline maw={360}>
          <Box>
            <Text size="xs" lineClamp={1} c="dimmed">
              {kr.title}
            </Text>
            <ScoreBar score={kr.score} band={kr.band} expected={objective.status === 'active' ? kr.expectedProgress : null} size="sm" />
          </Box>
        </Tooltip>
      ))}
    </Stack>
  );
}

const isCategory = (v: string | null): v is OkrCategory => OKR_CATEGORIES.some((c) => c === v);
const isStatus = (v: string | null): v is ObjectiveStatus => OBJECTIVE_STATUSES.some((s) => s === v);

/** Every objective the caller may see, filtered by cycle, team, owner, category and status. */
export function ObjectivesPage() {
  const { t } = useTranslation();
  const can = useCan();
  const [params, setParams] = useSearchParams();
  const { items: cycles, cycleId, setCycle, currentCycleId } = useCycleParam();
  const teams = useTeams({ enabled: can('teams:read') });
  const teamId = params.get('team');
  const ownerUserId = params.get('owner');
  const categoryParam = params.get('category');
  const statusParam = params.get('status');
  const category = isCategory(categoryParam) ? categoryParam : null;
  const status = isStatus(statusParam) ? statusParam : null;
  const filters = { cycleId, teamId, ownerUserId, category, status };
  const list = useListSearch(filters);
  const objectives = useObjectives({ ...filters, q: list.term, limit: list.limit, offset: list.offset }, { enabled: cycleId !== null });
  useKeepPageInRange(list, objectives.data);
  // The owner filter names the person once a row of theirs is on screen.
  const ownerName = objectives.data?.items.find((o) => o.owner.kind === 'user' && o.owner.id === ownerUserId)?.owner.name ?? null;
  useLiveData();

  const setParam = (key: string, value: string | null) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
  };
  const hasFilters = Boolean(teamId || ownerUserId || category || status || list.search);
  const clear = () => {
    const next = new URLSearchParams();
    if (cycleId) next.set('cycle', cycleId);
    setParams(next, { replace: true });
    list.setSearch('');
  };

  return (
    <Stack gap={0}>
      <PageHeader
        title={t('okrs.objectives.title')}
        description={t('okrs.objectives.description')}
        icon={<IconLayoutList size={24} stroke={1.6} />}
        mb={0}
        actions={
          can('okrs:write') && (
            <>
              <Button component={Link} to="/okrs/templates" variant="default" leftSection={<IconTemplate size={16} />}>
                {t('okrs.templates.fromTemplate')}
              </Button>
              <NewObjectiveButton cycleId={cycleId} leftSection={<IconPlus size={16} />} />
            </>
          )
        }
      />
      <OkrTabs />
      <Card mb="md" p="md">
        <Group gap="sm" align="flex-end" wrap="wrap">
          <Box w={{ base: '100%', sm: 280 }}>
            <SearchInput value={list.search} onChange={list.setSearch} label={t('okrs.objectives.search')} isBusy={objectives.isFetching && list.search !== ''} />
          </Box>
          <CycleSelect items={cycles} value={cycleId} onChange={setCycle} currentCycleId={currentCycleId} label={t('okrs.fields.cycle')} />
          <Select
            label={t('okrs.fields.team')}
            placeholder={t('okrs.objectives.anyTeam')}
            data={(teams.data ?? []).map((team) => ({ value: team.id, label: team.name }))}
            value={teamId}
            onChange={(v) => setParam('team', v)}
            searchable
            clearable
            w={180}
            comboboxProps={{ withinPortal: true }}
          />
          <Box w={200}>
            <UserSelect label={t('okrs.fields.owner')} placeholder={t('okrs.objectives.anyOwner')} value={ownerUserId} selectedName={ownerName} onChange={(v) => setParam('owner', v)} />
          </Box>
          <Select
            label={t('okrs.fields.category')}
            placeholder={t('okrs.objectives.anyCategory')}
            data={OKR_CATEGORIES.map((c) => ({ value: c, label: t(`okrs.category.${c}`) }))}
            value={category}
            onChange={(v) => setParam('category', v)}
            clearable
            w={170}
          />
          <Select
            label={t('okrs.fields.status')}
            placeholder={t('okrs.objectives.anyStatus')}
            data={OBJECTIVE_STATUSES.map((s) => ({ value: s, label: t(`okrs.status.${s}`) }))}
            value={status}
            onChange={(v) => setParam('status', v)}
            clearable
            w={160}
          />
          {hasFilters && (
            <Button variant="subtle" leftSection={<IconFilterOff size={14} />} onClick={clear}>
              {t('okrs.objectives.clearFilters')}
            </Button>
          )}
        </Group>
      </Card>
      {objectives.isPending ? (
        <TableSkeleton rows={6} columns={5} />
      ) : objectives.isError ? (
        <ErrorState error={objectives.error} onRetry={() => void objectives.refetch()} />
      ) : objectives.data.items.length === 0 ? (
        hasFilters ? (
          <EmptyCard icon={<IconFilterOff />} title={t('common.noMatches')} description={t('common.noMatchesText')} action={<Button variant="default" onClick={clear}>{t('okrs.objectives.clearFilters')}</Button>} />
        ) : (
          <EmptyCard icon={<IconLayoutList />} title={t('okrs.objectives.emptyTitle')} description={t('okrs.alignment.emptyText')} />
        )
      ) : (
        <Stack gap="sm">
          <DataTable minWidth={900} aria-label={t('okrs.objectives.title')} verticalSpacing="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th w={70}>{t('okrs.fields.score')}</Table.Th>
                <Table.Th>{t('okrs.fields.objective')}</Table.Th>
                <Table.Th>{t('okrs.fields.keyResults')}</Table.Th>
                <Table.Th>{t('okrs.fields.status')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {objectives.data.items.map((objective) => (
                <Table.Tr key={objective.id} data-testid="objective-row">
                  <Table.Td>
                    <ScoreBadge score={objective.score} band={objective.band} />
                  </Table.Td>
                  <Table.Td maw={420}>
                    <Anchor component={Link} to={`/okrs/objectives/${objective.id}`} fw={600} lineClamp={2}>
                      {objective.title}
                    </Anchor>
                    <Text size="xs" c="dimmed" mt={2}>
                      {objective.owner.name} · {t(`okrs.category.${objective.category}`)} · {t(`okrs.commitment.${objective.commitment}`)} · {objective.cycleKey}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <KeyResultBars objective={objective} />
                  </Table.Td>
                  <Table.Td>
                    <Stack gap={4} align="flex-start">
                      <StatusBadge status={objective.status} />
                      {objective.status === 'active' && <PaceBadge status={objective.paceStatus} />}
                    </Stack>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </DataTable>
          <ListPagination page={list.page} pageSize={list.limit} total={objectives.data.total} onChange={list.setPage} />
        </Stack>
      )}
    </Stack>
  );
}
