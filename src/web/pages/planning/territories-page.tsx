import { ActionIcon, Alert, Badge, Button, Card, Grid, Group, Menu, Progress, Select, SimpleGrid, Stack, Table, Text, Title, Tooltip, UnstyledButton } from '@mantine/core';
import {
  IconAlertTriangle, IconBuildingStore, IconDots, IconHash, IconMap2, IconMapPin, IconPackage, IconPencil, IconPlus, IconSitemap, IconTrash, IconUser, IconUsersGroup, IconWorld,
} from '@tabler/icons-react';
import { useMemo, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import {
  useAssignments, useCoverage, useDeleteAssignment, useDeleteTerritory, useTerritories, useTerritoryPlans, type Territory, type TerritoryAssignment, type TerritoryPlan,
} from '../../api/planning-queries';
import { usePayees, useTeams, useTenant } from '../../api/queries';
import { useCan } from '../../auth/session';
import { useConfirm } from '../../components/confirm-provider';
import { EmptyCard } from '../../components/empty-card';
import { PageHeader } from '../../components/page-header';
import { CardsSkeleton, ErrorState } from '../../components/query-state';
import { useFormat } from '../../i18n/format';
import { useNotify } from '../../lib/use-notify';
import { Money } from '../comp/comp-ui';
import { PlanningNav } from './planning-nav';
import { AssignmentForm, TerritoryModal, TerritoryPlanModal } from './territory-forms';

interface TreeNode { territory: Territory; depth: number; hasChildren: boolean }

function flattenTree(items: readonly Territory[]): TreeNode[] {
  const ids = new Set(items.map((x) => x.id));
  const byParent = new Map<string | null, Territory[]>();
  for (const item of items) {
    const parent = item.parentId && ids.has(item.parentId) ? item.parentId : null;
    byParent.set(parent, [...(byParent.get(parent) ?? []), item]);
  }
  const out: TreeNode[] = [];
  const walk = (parent: string | null, depth: number) => {
    for (const territory of byParent.get(parent) ?? []) {
      out.push({ territory, depth, hasChildren: (byParent.get(territory.id) ?? []).length > 0 });
      walk(territory.id, depth + 1);
    }
  };
  walk(null, 0);
  return out;
}

/** Criteria as chips, one colour per dimension. */
export function CriteriaChips({ territory }: { territory: Territory }) {
  const { t } = useTranslation();
  const c = territory.criteria;
  const chips: ReactNode[] = [];
  const chip = (key: string, color: string, icon: ReactNode, label: string, title: string) =>
    chips.push(
      <Tooltip key={key} label={title} withArrow>
        <Badge variant="light" color={color} size="sm" tt="none" leftSection={icon} radius="sm">{label}</Badge>
      </Tooltip>,
    );
  for (const v of c.regions ?? []) chip(`r-${v}`, 'blue', <IconWorld size={11} />, v, t('planning.criteria.regions'));
  for (const v of c.countries ?? []) chip(`c-${v}`, 'cyan', <IconMapPin size={11} />, v, t('planning.criteria.countries'));
  for (const r of c.postcodeRanges ?? []) chip(`p-${r.country ?? ''}${r.from}`, 'grape', <IconHash size={11} />, `${r.country ? `${r.country} ` : ''}${r.from}–${r.to}`, t('planning.criteria.postcodeRanges'));
  for (const v of c.productLines ?? []) chip(`l-${v}`, 'teal', <IconPackage size={11} />, v, t('planning.criteria.productLines'));
  for (const v of c.segments ?? []) chip(`s-${v}`, 'orange', <IconSitemap size={11} />, v, t('planning.criteria.segments'));
  const named = c.namedAccounts ?? [];
  if (named.length > 0) chip('n', 'pink', <IconBuildingStore size={11} />, named.length > 2 ? t('planning.criteria.namedCount', { count: named.length }) : named.join(', '), `${t('planning.criteria.namedAccounts')}: ${named.slice(0, 20).join(', ')}`);
  if (chips.length === 0) return <Text size="xs" c="dimmed" fs="italic">{t('planning.criteria.none')}</Text>;
  return <Group gap={4}>{chips}</Group>;
}

/** /quotas/territories: the tree with criteria, assignments, coverage and territory plans. */
export function TerritoriesPage() {
  const { t } = useTranslation();
  const can = useCan();
  const canManage = can('territories:manage');
  const territories = useTerritories();
  const [editing, setEditing] = useState<{ territory: Territory | null; parentId: string | null } | null>(null);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const items = territories.data?.items ?? [];
  const tree = useMemo(() => flattenTree(items), [items]);
  const selected = items.find((x) => x.id === selectedId) ?? tree[0]?.territory ?? null;

  return (
    <Stack gap={0}>
      <PageHeader
        title={t('planning.territories.title')}
        description={t('planning.territories.description')}
        icon={<IconMap2 size={24} stroke={1.6} />}
        mb={0}
        actions={canManage && <Button leftSection={<IconPlus size={16} />} onClick={() => setEditing({ territory: null, parentId: null })} data-testid="new-territory">{t('planning.territories.new')}</Button>}
      />
      <PlanningNav active="territories" />
      {territories.isPending ? (
        <CardsSkeleton count={3} height={140} />
      ) : territories.isError ? (
        <ErrorState error={territories.error} onRetry={() => void territories.refetch()} />
      ) : (
        <Stack gap="lg">
          <CoverageCard names={new Map(items.map((x) => [x.id, x.name]))} />
          {territories.data.issues.length > 0 && (
            <Alert color="yellow" variant="light" icon={<IconAlertTriangle size={18} />} title={t('planning.territories.issues')}>
              <Stack gap={2}>{territories.data.issues.slice(0, 6).map((i, n) => <Text key={n} size="sm">{i.message}</Text>)}</Stack>
            </Alert>
          )}
          {items.length === 0 ? (
            <EmptyCard icon={<IconMap2 size={28} />} title={t('planning.territories.emptyTitle')} description={t('planning.territories.emptyText')} />
          ) : (
            <Grid gap="lg">
              <Grid.Col span={{ base: 12, lg: 7 }}>
                <TreeCard tree={tree} selectedId={selected?.id ?? null} onSelect={setSelectedId} canManage={canManage} onEdit={(territory, parentId) => setEditing({ territory, parentId })} />
              </Grid.Col>
              <Grid.Col span={{ base: 12, lg: 5 }}>
                {selected && <AssignmentsCard territory={selected} canManage={canManage} />}
              </Grid.Col>
            </Grid>
          )}
          {items.length > 0 && <TerritoryPlansCard tree={tree} canManage={canManage} />}
        </Stack>
      )}
      {editing && <TerritoryModal territory={editing.territory} parentId={editing.parentId} territories={items} onClose={() => setEditing(null)} />}
    </Stack>
  );
}

function TreeCard({ tree, selectedId, onSelect, canManage, onEdit }: {
  tree: TreeNode[]; selectedId: string | null; onSelect: (id: string) => void; canManage: boolean; onEdit: (territory: Territory | null, parentId: string | null) => void;
}) {
  const { t } = useTranslation();
  const format = useFormat();
  const notify = useNotify();
  const confirm = useConfirm();
  const remove = useDeleteTerritory();
  const coverage = useCoverage(null);
  const assignments = useAssignments();
  const records = new Map((coverage.data?.recordsByTerritory ?? []).map((r) => [r.territoryId, r.records]));
  const counts = new Map<string, number>();
  for (const a of assignments.data ?? []) counts.set(a.territoryId, (counts.get(a.territoryId) ?? 0) + 1);
  return (
    <Card withBorder padding={0} data-testid="territory-tree">
      <Group justify="space-between" px="md" py="sm" style={{ borderBottom: '1px solid var(--mantine-color-default-border)' }}>
        <Title order={2} size="h4">{t('planning.territories.tree')}</Title>
        <Text size="xs" c="dimmed">{t('planning.territories.count', { count: tree.length })}</Text>
      </Group>
      <Stack gap={0} role="tree" aria-label={t('planning.territories.tree')}>
        {tree.map(({ territory, depth, hasChildren }) => {
          const isSelected = territory.id === selectedId;
          return (
            <Group
              key={territory.id}
              role="treeitem"
              aria-level={depth + 1}
              aria-selected={isSelected}
              wrap="nowrap"
              justify="space-between"
              px="md"
              py={10}
              gap="sm"
              data-testid={`territory-${territory.name}`}
              style={{
                borderBottom: '1px solid var(--mantine-color-default-border)',
                background: isSelected ? 'var(--mantine-primary-color-light)' : undefined,
                cursor: 'pointer',
              }}
              onClick={() => onSelect(territory.id)}
            >
              <UnstyledButton style={{ flex: 1, minWidth: 0, paddingLeft: depth * 22 }} aria-label={territory.name}>
                <Group gap={8} wrap="nowrap" align="flex-start">
                  <IconMap2 size={16} stroke={1.7} style={{ marginTop: 3, flex: 'none', opacity: hasChildren ? 1 : 0.55 }} />
                  <Stack gap={4} style={{ minWidth: 0 }}>
                    <Text fw={hasChildren ? 600 : 500} size="sm">{territory.name}</Text>
                    <CriteriaChips territory={territory} />
                  </Stack>
                </Group>
              </UnstyledButton>
              <Group gap="md" wrap="nowrap">
                <Stack gap={0} align="flex-end">
                  <Text size="sm" fw={500} style={{ fontVariantNumeric: 'tabular-nums' }}>{records.has(territory.id) ? format.number(records.get(territory.id) ?? 0) : '—'}</Text>
                  <Text size="xs" c="dimmed">{t('planning.territories.deals')}</Text>
                </Stack>
                <Tooltip label={t('planning.territories.assignmentCount', { count: counts.get(territory.id) ?? 0 })} withArrow>
                  <Badge variant="default" leftSection={<IconUsersGroup size={12} />}>{counts.get(territory.id) ?? 0}</Badge>
                </Tooltip>
                {canManage && (
                  <Menu position="bottom-end" withinPortal>
                    <Menu.Target>
                      <ActionIcon variant="subtle" color="gray" aria-label={t('common.actions')} onClick={(e) => e.stopPropagation()}><IconDots size={16} /></ActionIcon>
                    </Menu.Target>
                    <Menu.Dropdown onClick={(e) => e.stopPropagation()}>
                      <Menu.Item leftSection={<IconPencil size={14} />} onClick={() => onEdit(territory, territory.parentId)}>{t('common.edit')}</Menu.Item>
                      <Menu.Item leftSection={<IconPlus size={14} />} onClick={() => onEdit(null, territory.id)}>{t('planning.territories.addChild')}</Menu.Item>
                      <Menu.Item
                        color="red"
                        leftSection={<IconTrash size={14} />}
                        disabled={hasChildren}
                        onClick={() =>
                          confirm({
                            title: t('planning.territories.deleteTitle', { name: territory.name }),
                            message: t('planning.territories.deleteMessage'),
                            confirmLabel: t('common.delete'),
                            danger: true,
                            onConfirm: () => remove.mutateAsync(territory.id).then(() => notify.success(t('planning.territories.deleted'))),
                          })
                        }
                      >
                        {t('common.delete')}
                      </Menu.Item>
                    </Menu.Dropdown>
                  </Menu>
                )}
              </Group>
            </Group>
          );
        })}
      </Stack>
    </Card>
  );
}

function AssignmentsCard({ territory, canManage }: { territory: Territory; canManage: boolean }) {
  const { t } = useTranslation();
  const format = useFormat();
  const notify = useNotify();
  const can = useCan();
  const assignments = useAssignments();
  const teams = useTeams();
  const payees = usePayees({ limit: 2000 }, { enabled: can('payees:read') });
  const remove = useDeleteAssignment();
  const [adding, setAdding] = useState(false);
  const teamOptions = (teams.data ?? []).map((x) => ({ value: x.id, label: x.name }));
  const payeeOptions = (payees.data?.items ?? []).map((x) => ({ value: x.id, label: x.displayName }));
  const nameOf = (a: TerritoryAssignment) => (a.assigneeKind === 'team' ? teamOptions : payeeOptions).find((o) => o.value === a.assigneeId)?.label ?? t('planning.assignments.unknown');
  const mine = (assignments.data ?? []).filter((a) => a.territoryId === territory.id);
  return (
    <Card withBorder padding="md" data-testid="assignments-card">
      <Stack gap="sm">
        <Group justify="space-between" align="flex-start">
          <Stack gap={2}>
            <Text size="xs" c="dimmed" tt="uppercase" fw={600}>{t('planning.assignments.title')}</Text>
            <Title order={2} size="h4">{territory.name}</Title>
          </Stack>
          {canManage && !adding && <Button size="xs" variant="light" leftSection={<IconPlus size={14} />} onClick={() => setAdding(true)} data-testid="add-assignment">{t('planning.assignments.add')}</Button>}
        </Group>
        <CriteriaChips territory={territory} />
        {adding && <Card withBorder padding="sm" bg="var(--mantine-color-default-hover)"><AssignmentForm territoryId={territory.id} teams={teamOptions} payees={payeeOptions} onDone={() => setAdding(false)} /></Card>}
        {mine.length === 0 ? (
          <Text size="sm" c="dimmed">{t('planning.assignments.none')}</Text>
        ) : (
          <Stack gap={0}>
            {mine.map((a) => (
              <Group key={a.id} justify="space-between" wrap="nowrap" py={8} style={{ borderTop: '1px solid var(--mantine-color-default-border)' }} data-testid="assignment-row">
                <Group gap={10} wrap="nowrap" style={{ minWidth: 0 }}>
                  {a.assigneeKind === 'team' ? <IconUsersGroup size={16} style={{ flex: 'none' }} /> : <IconUser size={16} style={{ flex: 'none' }} />}
                  <Stack gap={0} style={{ minWidth: 0 }}>
                    <Text size="sm" fw={500} truncate>{nameOf(a)}</Text>
                    <Text size="xs" c="dimmed">{format.calendarDate(a.from)} – {a.until ? format.calendarDate(a.until) : t('planning.assignments.open')}</Text>
                  </Stack>
                </Group>
                <Group gap="xs" wrap="nowrap">
                  <Badge size="sm" variant={a.role === 'owner' ? 'light' : 'outline'} style={{ flex: 'none' }}>{t(`planning.assignments.${a.role}`)}</Badge>
                  {canManage && (
                    <ActionIcon variant="subtle" color="red" size="sm" aria-label={t('common.delete')} onClick={() => remove.mutate(a.id, { onError: (e) => notify.error(e) })}><IconTrash size={14} /></ActionIcon>
                  )}
                </Group>
              </Group>
            ))}
          </Stack>
        )}
      </Stack>
    </Card>
  );
}

function CoverageCard({ names }: { names: ReadonlyMap<string, string> }) {
  const { t } = useTranslation();
  const format = useFormat();
  const year = new Date().getUTCFullYear();
  const [period, setPeriod] = useState<string | null>(null);
  const coverage = useCoverage(period);
  const options = [{ value: '', label: t('planning.coverage.allTime') }, ...[year, year - 1].flatMap((y) => [`FY${y}`, `${y}-Q1`, `${y}-Q2`, `${y}-Q3`, `${y}-Q4`].map((p) => ({ value: p, label: p })))];
  const data = coverage.data;
  const pct = data && data.records > 0 ? Math.round((data.covered / data.records) * 1000) / 10 : 0;
  return (
    <Card withBorder padding="md" data-testid="coverage-card">
      <Group justify="space-between" mb="sm">
        <Stack gap={0}>
          <Title order={2} size="h4">{t('planning.coverage.title')}</Title>
          <Text size="xs" c="dimmed">{t('planning.coverage.help')}</Text>
        </Stack>
        <Select size="xs" w={170} data={options} value={period ?? ''} onChange={(v) => setPeriod(v ? v : null)} allowDeselect={false} aria-label={t('planning.coverage.period')} />
      </Group>
      {coverage.isPending ? <Progress value={100} animated size="sm" /> : coverage.isError ? <ErrorState error={coverage.error} /> : data && (
        <Stack gap="sm">
          <SimpleGrid cols={{ base: 2, sm: 4 }}>
            <Stat label={t('planning.coverage.records')} value={format.number(data.records)} />
            <Stat label={t('planning.coverage.covered')} value={`${format.number(pct)} %`} color={pct === 100 ? 'teal' : 'orange'} />
            <Stat label={t('planning.coverage.overlaps')} value={format.number(data.overlapCount)} color={data.overlapCount > 0 ? 'orange' : 'teal'} testId="coverage-overlaps" />
            <Stat label={t('planning.coverage.gaps')} value={format.number(data.gapCount)} color={data.gapCount > 0 ? 'red' : 'teal'} testId="coverage-gaps" />
          </SimpleGrid>
          <Progress.Root size="md">
            <Progress.Section value={pct} color="teal" />
          </Progress.Root>
          {data.criteriaOverlaps.length > 0 && (
            <Alert color="orange" variant="light" icon={<IconAlertTriangle size={16} />} title={t('planning.coverage.criteriaOverlaps')}>
              <Group gap="xs">{data.criteriaOverlaps.slice(0, 10).map((o, i) => <Badge key={i} variant="outline" color="orange" tt="none">{o.territoryIds.map((id) => names.get(id) ?? id).join(' ∩ ')}</Badge>)}</Group>
            </Alert>
          )}
          {(data.overlaps.length > 0 || data.gaps.length > 0) && (
            <SimpleGrid cols={{ base: 1, md: 2 }}>
              {data.overlaps.length > 0 && (
                <Stack gap={4}>
                  <Text size="sm" fw={600}>{t('planning.coverage.sampleOverlaps')}</Text>
                  {data.overlaps.slice(0, 6).map((o) => <Text key={o.recordId} size="xs"><code>{o.recordId}</code> → {o.territoryIds.map((id) => names.get(id) ?? id).join(', ')}</Text>)}
                </Stack>
              )}
              {data.gaps.length > 0 && (
                <Stack gap={4}>
                  <Text size="sm" fw={600}>{t('planning.coverage.sampleGaps')}</Text>
                  {data.gaps.slice(0, 6).map((g) => <Text key={g.recordId} size="xs"><code>{g.recordId}</code> · {g.parentId ? t('planning.coverage.noChildOf', { name: names.get(g.parentId) ?? g.parentId }) : t('planning.coverage.noTopLevel')}</Text>)}
                </Stack>
              )}
            </SimpleGrid>
          )}
          {data.overlapCount === 0 && data.gapCount === 0 && data.criteriaOverlaps.length === 0 && <Text size="sm" c="teal">{t('planning.coverage.clean')}</Text>}
        </Stack>
      )}
    </Card>
  );
}

function Stat({ label, value, color, testId }: { label: string; value: string; color?: string; testId?: string }) {
  return (
    <Stack gap={0} data-testid={testId}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>{label}</Text>
      <Text size="xl" fw={700} {...(color ? { c: color } : {})} style={{ fontVariantNumeric: 'tabular-nums' }}>{value}</Text>
    </Stack>
  );
}

function TerritoryPlansCard({ tree, canManage }: { tree: TreeNode[]; canManage: boolean }) {
  const { t } = useTranslation();
  const format = useFormat();
  const tenant = useTenant();
  const year = new Date().getUTCFullYear();
  const [period, setPeriod] = useState(`FY${year}`);
  const plans = useTerritoryPlans(period);
  const [editing, setEditing] = useState<Territory | null>(null);
  const currency = tenant.data?.currency ?? 'EUR';
  const byTerritory = new Map((plans.data ?? []).map((p) => [p.territoryId, p]));
  const childrenSum = (id: string): number | null => {
    const kids = tree.filter((n) => n.territory.parentId === id).map((n) => byTerritory.get(n.territory.id)).filter((p): p is TerritoryPlan => p !== undefined);
    return kids.length === 0 ? null : kids.reduce((s, p) => s + p.revenueTargetMinor, 0);
  };
  const periods = [year - 1, year, year + 1].flatMap((y) => [`FY${y}`, `${y}-Q1`, `${y}-Q2`, `${y}-Q3`, `${y}-Q4`]);
  return (
    <Card withBorder padding="md" data-testid="territory-plans">
      <Group justify="space-between" mb="sm">
        <Stack gap={0}>
          <Title order={2} size="h4">{t('planning.territoryPlans.title')}</Title>
          <Text size="xs" c="dimmed">{t('planning.territoryPlans.help')}</Text>
        </Stack>
        <Select size="xs" w={130} data={periods} value={period} onChange={(v) => v && setPeriod(v)} allowDeselect={false} aria-label={t('planning.coverage.period')} />
      </Group>
      <Table.ScrollContainer minWidth={640}>
        <Table verticalSpacing={8} highlightOnHover>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('planning.territories.name')}</Table.Th>
              <Table.Th ta="right">{t('planning.territoryPlans.target')}</Table.Th>
              <Table.Th>{t('planning.territoryPlans.mix')}</Table.Th>
              <Table.Th ta="right">{t('planning.territoryPlans.headcount')}</Table.Th>
              {canManage && <Table.Th />}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {tree.map(({ territory, depth }) => {
              const plan = byTerritory.get(territory.id);
              const sum = childrenSum(territory.id);
              const mismatch = plan && sum !== null && sum !== plan.revenueTargetMinor ? sum - plan.revenueTargetMinor : null;
              return (
                <Table.Tr key={territory.id}>
                  <Table.Td style={{ paddingLeft: 12 + depth * 20 }}><Text size="sm" fw={depth === 0 ? 600 : 400}>{territory.name}</Text></Table.Td>
                  <Table.Td ta="right">
                    {plan ? <Money minor={plan.revenueTargetMinor} currency={currency} /> : <Text span size="sm" c="dimmed">—</Text>}
                    {mismatch !== null && (
                      <Tooltip label={t('planning.territoryPlans.childrenMismatch', { sum: format.money(sum ?? 0, currency) })} withArrow>
                        <Text size="xs" c="orange" fw={600}>{mismatch > 0 ? '+' : '−'}{format.money(Math.abs(mismatch), currency)}</Text>
                      </Tooltip>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Group gap={4}>{(plan?.productLineMix ?? []).map((m) => <Badge key={m.productLine} size="sm" variant="light" color="teal" tt="none">{m.productLine} {format.number(Math.round(Number(m.share) * 1000) / 10)} %</Badge>)}</Group>
                  </Table.Td>
                  <Table.Td ta="right">{plan ? format.number(plan.headcount) : '—'}</Table.Td>
                  {canManage && (
                    <Table.Td ta="right">
                      <Button size="compact-xs" variant="subtle" onClick={() => setEditing(territory)}>{plan ? t('common.edit') : t('planning.territoryPlans.set')}</Button>
                    </Table.Td>
                  )}
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {editing && <TerritoryPlanModal territory={editing} period={period} plan={byTerritory.get(editing.id) ?? null} currency={currency} onClose={() => setEditing(null)} />}
    </Card>
  );
}
