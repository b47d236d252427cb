// /quotas/forecast: the time-series forecast chart per team or territory, the pipeline forecast
// by rep next to the reps' commit / best-case calls and the quota, the call form, and the learned
// stage win rates.
import { Alert, Badge, Card, Group, NumberInput, SegmentedControl, Select, Stack, Table, Text, Title, Tooltip } from '@mantine/core';
import { IconAlertTriangle, IconChartLine } from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import {
  useBookingsForecast, useForecastCalls, usePipelineForecast, useQuotaRecommendation,
  type GroupLabel, type PipelineRow, type QuotaRecommendation, type StageWinRate,
} from '../../api/forecast-queries';
import { useCan, useSession } from '../../auth/session';
import { PageHeader } from '../../components/page-header';
import { CardsSkeleton, ErrorState } from '../../components/query-state';
import { PlanningNav } from '../planning/planning-nav';
import { CallForm } from './call-form';
import { ForecastChart } from './forecast-chart';
import { useFormatRate, useGroupName, useWholeMoney } from './forecast-labels';

type ChartBy = 'team' | 'territory';

export function ForecastPage() {
  const { t } = useTranslation();
  const session = useSession();
  const can = useCan();
  const currency = session.tenant.currency;
  // Forecasts are estimates: whole currency units, no false cents.
  const money = useWholeMoney(currency);
  const [params, setParams] = useSearchParams();
  const by: ChartBy = params.get('by') === 'territory' ? 'territory' : 'team';
  const bookings = useBookingsForecast(by);
  const groupPipeline = usePipelineForecast(by);
  const ownerPipeline = usePipelineForecast('owner');
  const calls = useForecastCalls();
  const groupName = useGroupName(groupPipeline.data?.labels);
  const ownerName = useGroupName(ownerPipeline.data?.labels);

  const ownTeam = calls.data?.mayCallFor.length === 1 ? (calls.data.mayCallFor[0]?.teamId ?? null) : null;
  const groups = useMemo(() => {
    const list = (bookings.data?.groups ?? []).filter((g) => g.groupKey !== 'unassigned' && g.groupKey !== 'overlap');
    return list.length > 0 ? list : (bookings.data?.groups ?? []);
  }, [bookings.data]);
  const requested = params.get('group');
  const selected = groups.find((g) => g.groupKey === requested) ?? groups.find((g) => g.groupKey === ownTeam) ?? groups.find((g) => g.quota.length > 0) ?? groups[0];

  const periods = useMemo(() => [...new Set([...(groupPipeline.data?.rows ?? []), ...(ownerPipeline.data?.rows ?? [])].map((r) => r.period))].sort(), [groupPipeline.data, ownerPipeline.data]);
  const period = periods.includes(params.get('period') ?? '') ? (params.get('period') as string) : periods[0];
  const update = (next: Record<string, string | null>) =>
    setParams((current) => {
      const copy = new URLSearchParams(current);
      for (const [key, value] of Object.entries(next)) {
        if (value === null) copy.delete(key);
        else copy.set(key, value);
      }
      return copy;
    }, { replace: true });

  const [stretchPercent, setStretchPercent] = useState<number>(10);
  const stretch = String(Number((stretchPercent / 100).toFixed(4)));
  const fiscalYear = Number((period ?? new Date().toISOString()).slice(0, 4));
  const mayReadQuotas = can('quotas:read');
  const ownerRecommendation = useQuotaRecommendation({ fiscalYear, groupBy: 'owner', stretch, enabled: mayReadQuotas && by === 'team' && period !== undefined });
  const teamRecommendation = useQuotaRecommendation({ fiscalYear, groupBy: 'team', stretch, enabled: mayReadQuotas && by === 'team' && period !== undefined });

  const repOptions = (ownerPipeline.data?.labels ?? []).filter((l) => by !== 'team' || !selected || l.teamId === selected.groupKey).map((l) => ({ value: l.groupKey, label: l.name }));
  const rep = repOptions.some((o) => o.value === params.get('rep')) ? params.get('rep') : null;

  return (
    <>
      <PageHeader title={t('forecast.title')} description={t('forecast.description')} icon={<IconChartLine size={24} />} mb={0} />
      <PlanningNav active="forecast" />
      <Stack gap="lg">
        <Group gap="md" align="flex-end" wrap="wrap">
          <SegmentedControl
            value={by}
            onChange={(value) => update({ by: value, group: null, rep: null })}
            data={[{ value: 'team', label: t('forecast.by.team') }, { value: 'territory', label: t('forecast.by.territory') }]}
            aria-label={t('forecast.by.label')}
          />
          <Select
            label={by === 'team' ? t('forecast.by.team') : t('forecast.by.territory')}
            data={groups.map((g) => ({ value: g.groupKey, label: groupName(g.groupKey) }))}
            value={selected?.groupKey ?? null}
            onChange={(value) => update({ group: value, rep: null })}
            allowDeselect={false}
            searchable
            w={240}
            data-testid="forecast-group-select"
          />
          {by === 'team' && (
            <Select
              label={t('forecast.rep')}
              placeholder={t('forecast.allReps')}
              data={repOptions}
              value={rep}
              onChange={(value) => update({ rep: value })}
              clearable
              searchable
              w={220}
            />
          )}
        </Group>

        <Card withBorder padding="lg" data-testid="forecast-chart-card">
          {bookings.isPending || groupPipeline.isPending ? (
            <CardsSkeleton count={1} height={260} />
          ) : bookings.isError ? (
            <ErrorState error={bookings.error} onRetry={() => void bookings.refetch()} />
          ) : !selected ? (
            <Text c="dimmed" ta="center" py="xl">
              {t('forecast.chart.empty')}
            </Text>
          ) : (
            <Stack gap="sm">
              <Group justify="space-between" wrap="wrap" gap="xs">
                <Title order={2} size="h4">
                  {t('forecast.chart.title', { name: groupName(selected.groupKey) })}
                </Title>
                <Tooltip label={t('forecast.chart.methodHint')} multiline w={280}>
                  <Badge variant="light" color={selected.isFallback ? 'yellow' : 'gray'} data-testid="forecast-method">
                    {t('forecast.chart.method', { method: selected.modelName })}
                  </Badge>
                </Tooltip>
              </Group>
              {selected.isFallback && (
                <Alert color="yellow" variant="light" icon={<IconAlertTriangle size={18} />} title={t('forecast.chart.fallbackTitle')} data-testid="forecast-fallback">
                  {t('forecast.chart.fallback', { method: selected.modelName })}
                </Alert>
              )}
              <ForecastChart group={selected} title={groupName(selected.groupKey)} formatMoney={money} currency={currency} />
            </Stack>
          )}
        </Card>

        <Card withBorder padding="lg">
          <Group justify="space-between" align="flex-end" wrap="wrap" mb="md" gap="sm">
            <Stack gap={2}>
              <Title order={2} size="h4">
                {by === 'team' ? t('forecast.pipeline.titleByRep') : t('forecast.pipeline.titleByTerritory')}
              </Title>
              <Text size="sm" c="dimmed">
                {t('forecast.pipeline.hint')}
              </Text>
            </Stack>
            <Group gap="sm" align="flex-end" wrap="wrap">
              {periods.length > 0 && (
                <SegmentedControl size="xs" value={period ?? ''} onChange={(value) => update({ period: value })} data={periods} aria-label={t('forecast.chart.period')} />
              )}
              {by === 'team' && mayReadQuotas && (
                <NumberInput
                  label={t('forecast.pipeline.stretch')}
                  size="xs"
                  w={130}
                  min={-50}
                  max={200}
                  suffix=" %"
                  value={stretchPercent}
                  onChange={(value) => setStretchPercent(typeof value === 'number' ? value : Number(value) || 0)}
                />
              )}
            </Group>
          </Group>
          {groupPipeline.isPending || ownerPipeline.isPending ? (
            <CardsSkeleton count={1} height={160} />
          ) : groupPipeline.isError || ownerPipeline.isError ? (
            <ErrorState error={groupPipeline.error ?? ownerPipeline.error} />
          ) : by === 'team' ? (
            <RepTable
              period={period}
              team={selected?.groupKey ?? null}
              teamName={selected ? groupName(selected.groupKey) : ''}
              reps={(ownerPipeline.data.labels ?? []).filter((l) => l.teamId === selected?.groupKey)}
              ownerRows={ownerPipeline.data.rows}
              teamRows={groupPipeline.data.rows}
              ownerName={ownerName}
              money={money}
              showQuota={mayReadQuotas}
              ownerRecommendation={ownerRecommendation.data}
              teamRecommendation={teamRecommendation.data}
              highlight={rep}
            />
          ) : (
            <TerritoryTable period={period} rows={groupPipeline.data.rows} name={groupName} money={money} highlight={selected?.groupKey ?? null} />
          )}
          {groupPipeline.data && groupPipeline.data.undatedDeals > 0 && (
            <Text size="xs" c="dimmed" mt="sm">
              {t('forecast.pipeline.undated', { count: groupPipeline.data.undatedDeals })}
            </Text>
          )}
        </Card>

        {calls.data && calls.data.mayCallFor.length > 0 && period && (
          <CallForm key={`${rep ?? ''}-${period}`} mayCallFor={calls.data.mayCallFor} calls={calls.data.items} periods={periods} defaultPeriod={period} defaultPayeeId={rep} currency={currency} money={money} />
        )}

        {groupPipeline.data && <WinRates rates={groupPipeline.data.winRates} />}
      </Stack>
    </>
  );
}

function rowFor(rows: readonly PipelineRow[], key: string | null, period: string | undefined): PipelineRow | undefined {
  return rows.find((r) => r.groupKey === key && r.period === period);
}

function RepTable({
  period, team, teamName, reps, ownerRows, teamRows, ownerName, money, showQuota, ownerRecommendation, teamRecommendation, highlight,
}: {
  period: string | undefined; team: string | null; teamName: string; reps: GroupLabel[]; ownerRows: PipelineRow[]; teamRows: PipelineRow[]; ownerName: (key: string) => string;
  money: (minor: number) => string; showQuota: boolean; ownerRecommendation: QuotaRecommendation | undefined; teamRecommendation: QuotaRecommendation | undefined; highlight: string | null;
}) {
  const { t } = useTranslation();
  // The team's payees with pipeline, bookings or a call in any period (not partners without deals).
  const active = new Set(ownerRows.map((r) => r.groupKey));
  const keys = reps.map((r) => r.groupKey).filter((key) => active.has(key));
  const recommendationOf = (rec: QuotaRecommendation | undefined, id: string | null) => rec?.items.find((i) => i.id === id);
  const fy = period ? `FY${period.slice(0, 4)}` : '';
  const cells = (row: PipelineRow | undefined, rec: ReturnType<typeof recommendationOf>) => (
    <>
      <Table.Td ta="right">{money(row?.closedWonMinor ?? 0)}</Table.Td>
      <Table.Td ta="right">{money(row?.weightedMinor ?? 0)}</Table.Td>
      <Table.Td ta="right" fw={500}>{money(row?.expectedMinor ?? 0)}</Table.Td>
      <Table.Td ta="right" data-testid="cell-commit">{row?.call ? money(row.call.commitMinor) : <Text span size="xs" c="dimmed">{t('forecast.pipeline.noCall')}</Text>}</Table.Td>
      <Table.Td ta="right" data-testid="cell-best-case">{row?.call ? money(row.call.bestCaseMinor) : ''}</Table.Td>
      {showQuota && (
        <>
          <Table.Td ta="right">{rec?.quotaMinor == null ? '—' : money(rec.quotaMinor)}</Table.Td>
          <Table.Td ta="right">
            {rec?.gapMinor == null ? '—' : (
              <Text span size="sm" c={rec.gapMinor > 0 ? 'red' : 'teal'}>
                {money(rec.gapMinor)}
              </Text>
            )}
          </Table.Td>
          <Table.Td ta="right">
            {rec ? (
              <Group gap={4} justify="flex-end" wrap="nowrap">
                {money(rec.recommendedMinor)}
                {rec.isFallback && <Tooltip label={t('forecast.chart.fallbackTitle')}><Badge size="xs" color="yellow" variant="light">{t('forecast.pipeline.fallbackShort')}</Badge></Tooltip>}
              </Group>
            ) : '—'}
          </Table.Td>
        </>
      )}
    </>
  );
  if (!team) return <Text c="dimmed">{t('forecast.chart.empty')}</Text>;
  return (
    <Table.ScrollContainer minWidth={showQuota ? 900 : 640}>
      <Table striped highlightOnHover fz="sm" horizontalSpacing="xs" layout="fixed" data-testid="pipeline-table" style={{ fontVariantNumeric: 'tabular-nums' }}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th w={170}>{t('forecast.pipeline.rep')}</Table.Th>
            <Table.Th ta="right">{t('forecast.pipeline.closedWon')}</Table.Th>
            <Table.Th ta="right">{t('forecast.pipeline.weighted')}</Table.Th>
            <Table.Th ta="right">{t('forecast.pipeline.expected')}</Table.Th>
            <Table.Th ta="right">{t('forecast.pipeline.commit')}</Table.Th>
            <Table.Th ta="right">{t('forecast.pipeline.bestCase')}</Table.Th>
            {showQuota && (
              <>
                <Table.Th ta="right">{t('forecast.pipeline.quota', { fy })}</Table.Th>
                <Table.Th ta="right">{t('forecast.pipeline.gap')}</Table.Th>
                <Table.Th ta="right">{t('forecast.pipeline.recommended')}</Table.Th>
              </>
            )}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {keys.length === 0 && (
            <Table.Tr>
              <Table.Td colSpan={showQuota ? 9 : 6}>
                <Text size="sm" c="dimmed">{t('forecast.pipeline.noReps')}</Text>
              </Table.Td>
            </Table.Tr>
          )}
          {keys.map((key) => (
            <Table.Tr key={key} {...(key === highlight ? { bg: 'var(--mantine-primary-color-light)' } : {})} data-testid={`pipeline-row-${key}`}>
              <Table.Td style={{ overflowWrap: 'anywhere' }}>{ownerName(key)}</Table.Td>
              {cells(rowFor(ownerRows, key, period), recommendationOf(ownerRecommendation, key))}
            </Table.Tr>
          ))}
        </Table.Tbody>
        <Table.Tfoot>
          <Table.Tr fw={600} data-testid="pipeline-team-total">
            <Table.Td>{t('forecast.pipeline.teamTotal', { name: teamName })}</Table.Td>
            {cells(rowFor(teamRows, team, period), recommendationOf(teamRecommendation, team))}
          </Table.Tr>
        </Table.Tfoot>
      </Table>
      {showQuota && (
        <Text size="xs" c="dimmed" mt="xs">
          {t('forecast.pipeline.quotaNote', { fy })}
        </Text>
      )}
    </Table.ScrollContainer>
  );
}

function TerritoryTable({ period, rows, name, money, highlight }: { period: string | undefined; rows: PipelineRow[]; name: (key: string) => string; money: (minor: number) => string; highlight: string | null }) {
  const { t } = useTranslation();
  const list = rows.filter((r) => r.period === period);
  return (
    <Table.ScrollContainer minWidth={640}>
      <Table striped highlightOnHover fz="sm" data-testid="pipeline-table" style={{ fontVariantNumeric: 'tabular-nums' }}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('forecast.by.territory')}</Table.Th>
            <Table.Th ta="right">{t('forecast.pipeline.closedWon')}</Table.Th>
            <Table.Th ta="right">{t('forecast.pipeline.weighted')}</Table.Th>
            <Table.Th ta="right">{t('forecast.pipeline.expected')}</Table.Th>
            <Table.Th ta="right">{t('forecast.pipeline.commit')}</Table.Th>
            <Table.Th ta="right">{t('forecast.pipeline.bestCase')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {list.map((r) => (
            <Table.Tr key={r.groupKey} {...(r.groupKey === highlight ? { bg: 'var(--mantine-primary-color-light)' } : {})}>
              <Table.Td>{name(r.groupKey)}</Table.Td>
              <Table.Td ta="right">{money(r.closedWonMinor)}</Table.Td>
              <Table.Td ta="right">{money(r.weightedMinor)}</Table.Td>
              <Table.Td ta="right" fw={500}>{money(r.expectedMinor)}</Table.Td>
              <Table.Td ta="right">{r.call ? money(r.call.commitMinor) : <Text span size="xs" c="dimmed">{t('forecast.pipeline.noCall')}</Text>}</Table.Td>
              <Table.Td ta="right">{r.call ? money(r.call.bestCaseMinor) : ''}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function WinRates({ rates }: { rates: StageWinRate[] }) {
  const { t } = useTranslation();
  const formatRate = useFormatRate();
  const thin = rates.some((r) => r.isThin);
  return (
    <Card withBorder padding="lg" data-testid="win-rates">
      <Title order={2} size="h4" mb={4}>
        {t('forecast.winRates.title')}
      </Title>
      <Text size="sm" c="dimmed" mb="md">
        {t('forecast.winRates.hint')}
      </Text>
      {thin && (
        <Alert color="yellow" variant="light" mb="md" icon={<IconAlertTriangle size={18} />} data-testid="win-rates-thin">
          {t('forecast.winRates.thinNote')}
        </Alert>
      )}
      <Table.ScrollContainer minWidth={560}>
        <Table fz="sm" style={{ fontVariantNumeric: 'tabular-nums' }}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('forecast.winRates.stage')}</Table.Th>
              <Table.Th ta="right">{t('forecast.winRates.closed')}</Table.Th>
              <Table.Th ta="right">{t('forecast.winRates.observed')}</Table.Th>
              <Table.Th ta="right">{t('forecast.winRates.default')}</Table.Th>
              <Table.Th ta="right">{t('forecast.winRates.used')}</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rates.map((r) => (
              <Table.Tr key={r.stage}>
                <Table.Td>{t(`forecast.stages.${r.stage}`, { defaultValue: r.stage })}</Table.Td>
                <Table.Td ta="right">{t('forecast.winRates.wonOf', { wins: r.wins, closed: r.closed })}</Table.Td>
                <Table.Td ta="right">{formatRate(r.observedRate)}</Table.Td>
                <Table.Td ta="right">{formatRate(r.priorRate)}</Table.Td>
                <Table.Td ta="right" fw={600}>{formatRate(r.winRate)}</Table.Td>
                <Table.Td>
                  {r.isThin && <Badge size="xs" color="yellow" variant="light">{t('forecast.winRates.mostlyDefault')}</Badge>}
                  {!r.hasDefault && <Badge size="xs" color="gray" variant="light" ml={4}>{t('forecast.winRates.noDefault')}</Badge>}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Card>
  );
}
