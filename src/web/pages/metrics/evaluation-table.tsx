import { Anchor, Card, Group, Progress, Skeleton, Stack, Table, Text } from '@mantine/core';
import { IconChartBar } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { MetricEvaluation, MetricGroup } from '../../api/data-queries';
import { useSession } from '../../auth/session';
import { DataTable } from '../../components/data-table';
import { EmptyCard } from '../../components/empty-card';
import { useFormat } from '../../i18n/format';
import { usePeriodLabel } from '../../components/period-picker';
import { useValueFormat } from '../../lib/value-format';

export function EvaluationSkeleton() {
  return (
    <Stack gap="sm" aria-busy="true">
      <Skeleton height={72} radius="lg" />
      <Skeleton height={240} radius="lg" />
    </Stack>
  );
}

/** The value per group with a bar for comparison; a click on a value explains it. */
export function EvaluationTable({ evaluation, onExplain, busy = false }: { evaluation: MetricEvaluation; onExplain: (group: MetricGroup) => void; busy?: boolean }) {
  const { t } = useTranslation();
  const session = useSession();
  const values = useValueFormat();
  const format = useFormat();
  const periodLabel = usePeriodLabel();
  const currency = session.tenant.currency;
  const max = Math.max(0, ...evaluation.groups.map((g) => Math.abs(Number(g.value ?? 0))));
  const show = (value: string | null) => values.metric(value, evaluation.unit, currency);

  return (
    <Stack gap="md" style={{ opacity: busy ? 0.6 : 1, transition: 'opacity 150ms' }}>
      <Card withBorder p="md">
        <Group justify="space-between" align="flex-end" wrap="wrap">
          <div>
            <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
              {t('metrics.total')} · {periodLabel(evaluation.period)}
            </Text>
            <Anchor component="button" type="button" fz={30} fw={700} c="inherit" underline="hover" data-testid="metric-total" onClick={() => onExplain({ key: null, label: t('metrics.total'), value: evaluation.total.value, recordCount: evaluation.total.recordCount })}>
              {show(evaluation.total.value)}
            </Anchor>
          </div>
          <Text size="sm" c="dimmed">
            {t('metrics.recordCount', { count: evaluation.total.recordCount, n: format.number(evaluation.total.recordCount) })}
            {evaluation.baselinePeriod ? ` · ${t('metrics.baseline', { period: evaluation.baselinePeriod.key })}` : ''}
            {evaluation.metric.version !== null ? ` · ${t('metrics.version', { version: evaluation.metric.version })}` : ''}
          </Text>
        </Group>
      </Card>
      {evaluation.groupBy &&
        (evaluation.groups.length === 0 ? (
          <EmptyCard order={3} icon={<IconChartBar size={28} />} title={t('metrics.noGroupsTitle')} description={t('metrics.noGroupsText')} />
        ) : (
          <DataTable minWidth={440} aria-label={t('metrics.byGroup')}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t(`metrics.groupBy.${evaluation.groupBy === 'owner' || evaluation.groupBy === 'team' || evaluation.groupBy === 'territory' ? evaluation.groupBy : 'field'}`)}</Table.Th>
                <Table.Th ta="right">{t('metrics.value')}</Table.Th>
                <Table.Th w="30%" />
                <Table.Th ta="right">{t('metrics.records')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {evaluation.groups.map((group) => (
                <Table.Tr key={group.key ?? '∅'} data-testid="metric-group">
                  <Table.Td>
                    <Text size="sm" fw={500} {...(group.key === null ? { c: 'dimmed', fs: 'italic' } : {})}>
                      {group.key === null ? t('metrics.noValueGroup') : group.label}
                    </Text>
                  </Table.Td>
                  <Table.Td ta="right">
                    <Anchor component="button" type="button" size="sm" fw={600} onClick={() => onExplain(group)} aria-label={t('metrics.explainFor', { group: group.label })} data-testid="group-value">
                      {show(group.value)}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>
                    <Progress value={max > 0 ? (Math.abs(Number(group.value ?? 0)) / max) * 100 : 0} size="sm" aria-hidden />
                  </Table.Td>
                  <Table.Td ta="right">
                    <Text size="sm" c="dimmed">
                      {format.number(group.recordCount)}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </DataTable>
        ))}
    </Stack>
  );
}
