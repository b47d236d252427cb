// /quotas/accuracy: how good the kept pipeline forecasts were once the periods were over —
// MAPE, WAPE and bias overall, per period (a line chart) and per team; a button keeps a snapshot.
import { Alert, Button, Card, SegmentedControl, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { IconCamera, IconInfoCircle, IconTargetArrow } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { useForecastAccuracy, usePipelineForecast, useTakeSnapshot, type AccuracyStats, type ForecastGroupBy } from '../../api/forecast-queries';
import { useCan, useSession } from '../../auth/session';
import { PageHeader } from '../../components/page-header';
import { CardsSkeleton, ErrorState } from '../../components/query-state';
import { useNotify } from '../../lib/use-notify';
import { PlanningNav } from '../planning/planning-nav';
import { AccuracyChart } from './accuracy-chart';
import { useFormatRate, useGroupName, useWholeMoney } from './forecast-labels';

const GROUPINGS = ['team', 'territory', 'owner'] as const satisfies readonly ForecastGroupBy[];

export function AccuracyPage() {
  const { t } = useTranslation();
  const can = useCan();
  const session = useSession();
  const notify = useNotify();
  const formatRate = useFormatRate();
  const [params, setParams] = useSearchParams();
  const by: (typeof GROUPINGS)[number] = GROUPINGS.find((g) => g === params.get('by')) ?? 'team';
  const accuracy = useForecastAccuracy(by);
  const labels = usePipelineForecast(by);
  const name = useGroupName(labels.data?.labels);
  const snapshot = useTakeSnapshot();
  const money = useWholeMoney(session.tenant.currency);

  return (
    <>
      <PageHeader
        title={t('forecast.accuracy.title')}
        description={t('forecast.accuracy.description')}
        icon={<IconTargetArrow size={24} />}
        mb={0}
        actions={
          can('forecasts:manage') ? (
            <Button
              leftSection={<IconCamera size={16} />}
              loading={snapshot.isPending}
              onClick={() => snapshot.mutate(by, { onSuccess: (result) => notify.success(t('forecast.accuracy.snapshotTaken', { count: result.rows })), onError: (error) => notify.error(error) })}
              data-testid="take-snapshot"
            >
              {t('forecast.accuracy.takeSnapshot')}
            </Button>
          ) : undefined
        }
      />
      <PlanningNav active="accuracy" />
      <Stack gap="lg">
        <SegmentedControl
          value={by}
          onChange={(value) => setParams({ by: value }, { replace: true })}
          data={GROUPINGS.map((g) => ({ value: g, label: t(`forecast.accuracy.by.${g}`) }))}
          aria-label={t('forecast.by.label')}
          style={{ alignSelf: 'flex-start' }}
        />
        {accuracy.isPending ? (
          <CardsSkeleton count={2} />
        ) : accuracy.isError ? (
          <ErrorState error={accuracy.error} onRetry={() => void accuracy.refetch()} />
        ) : (
          <>
            <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="md" data-testid="accuracy-overall">
              <Stat label={t('forecast.accuracy.wape')} value={formatRate(accuracy.data.overall.wape)} hint={t('forecast.accuracy.wapeHint')} />
              <Stat label={t('forecast.accuracy.mape')} value={formatRate(accuracy.data.overall.mape)} hint={t('forecast.accuracy.mapeHint')} />
              <Stat label={t('forecast.accuracy.bias')} value={formatRate(accuracy.data.overall.bias)} hint={t('forecast.accuracy.biasHint')} />
              <Stat label={t('forecast.accuracy.accuracy')} value={formatRate(accuracy.data.overall.accuracy)} hint={t('forecast.accuracy.accuracyHint')} />
            </SimpleGrid>
            <Text size="sm" c="dimmed">
              {t('forecast.accuracy.counts', { snapshots: accuracy.data.snapshots, points: accuracy.data.overall.points, pending: accuracy.data.pending })}
            </Text>
            {accuracy.data.overall.points === 0 ? (
              <Alert variant="light" icon={<IconInfoCircle size={18} />} title={t('forecast.accuracy.emptyTitle')} data-testid="accuracy-empty">
                {t('forecast.accuracy.empty')}
              </Alert>
            ) : (
              <>
                <Card withBorder padding="lg">
                  <Title order={2} size="h4" mb="sm">
                    {t('forecast.accuracy.overTime')}
                  </Title>
                  <AccuracyChart periods={accuracy.data.byPeriod} formatRate={(r) => formatRate(r, 0)} />
                </Card>
                <Card withBorder padding="lg">
                  <Title order={2} size="h4" mb="sm">
                    {t(`forecast.accuracy.perGroup.${by}`)}
                  </Title>
                  <StatsTable rows={[...accuracy.data.byGroup.map((g) => ({ key: g.groupKey, label: name(g.groupKey), stats: g.stats }))]} overall={accuracy.data.overall} money={money} />
                </Card>
              </>
            )}
          </>
        )}
      </Stack>
    </>
  );
}

function Stat({ label, value, hint }: { label: string; value: string; hint: string }) {
  return (
    <Card withBorder padding="md">
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text size="xl" fw={700} style={{ fontVariantNumeric: 'tabular-nums' }}>
        {value}
      </Text>
      <Text size="xs" c="dimmed">
        {hint}
      </Text>
    </Card>
  );
}

function StatsTable({ rows, overall, money }: { rows: { key: string; label: string; stats: AccuracyStats }[]; overall: AccuracyStats; money: (minor: number) => string }) {
  const { t } = useTranslation();
  const formatRate = useFormatRate();
  const cells = (s: AccuracyStats) => (
    <>
      <Table.Td ta="right">{s.points}</Table.Td>
      <Table.Td ta="right">{money(s.forecastTotalMinor)}</Table.Td>
      <Table.Td ta="right">{money(s.actualTotalMinor)}</Table.Td>
      <Table.Td ta="right">{formatRate(s.mape)}</Table.Td>
      <Table.Td ta="right" fw={600}>{formatRate(s.wape)}</Table.Td>
      <Table.Td ta="right">
        <Text span size="sm" {...(s.bias !== null && Math.abs(s.bias) > 0.05 ? { c: s.bias > 0 ? 'orange' : 'red' } : {})}>
          {formatRate(s.bias)}
        </Text>
      </Table.Td>
    </>
  );
  return (
    <Table.ScrollContainer minWidth={640}>
      <Table striped fz="sm" data-testid="accuracy-table" style={{ fontVariantNumeric: 'tabular-nums' }}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('forecast.accuracy.group')}</Table.Th>
            <Table.Th ta="right">{t('forecast.accuracy.points')}</Table.Th>
            <Table.Th ta="right">{t('forecast.accuracy.forecastTotal')}</Table.Th>
            <Table.Th ta="right">{t('forecast.accuracy.actualTotal')}</Table.Th>
            <Table.Th ta="right">{t('forecast.accuracy.mape')}</Table.Th>
            <Table.Th ta="right">{t('forecast.accuracy.wape')}</Table.Th>
            <Table.Th ta="right">{t('forecast.accuracy.bias')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((r) => (
            <Table.Tr key={r.key}>
              <Table.Td>{r.label}</Table.Td>
              {cells(r.stats)}
            </Table.Tr>
          ))}
        </Table.Tbody>
        <Table.Tfoot>
          <Table.Tr fw={600}>
            <Table.Td>{t('forecast.accuracy.overall')}</Table.Td>
            {cells(overall)}
          </Table.Tr>
        </Table.Tfoot>
      </Table>
    </Table.ScrollContainer>
  );
}
