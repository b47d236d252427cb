import { Anchor, Badge, Button, Group, Select, Stack, Table, Text } from '@mantine/core';
import { IconChartHistogram, IconPlus } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { MetricUnit } from '../../../core/metrics/definition';
import { useDatasets, useMetrics } from '../../api/data-queries';
import { useCan } from '../../auth/session';
import { DataTable } from '../../components/data-table';
import { EmptyCard } from '../../components/empty-card';
import { PageHeader } from '../../components/page-header';
import { ErrorState, TableSkeleton } from '../../components/query-state';
import { SearchInput } from '../../components/search-input';
import { useLabel } from '../../lib/value-format';

export const METRIC_UNIT_LIST = ['count', 'money', 'number', 'percent', 'days', 'hours', 'ratio'] as const satisfies readonly MetricUnit[];

export function MetricsPage() {
  const { t } = useTranslation();
  const can = useCan();
  const label = useLabel();
  const metrics = useMetrics();
  const datasets = useDatasets();
  const [search, setSearch] = useState('');
  const [dataset, setDataset] = useState<string | null>(null);
  const [unit, setUnit] = useState<string | null>(null);
  const [source, setSource] = useState<string | null>(null);
  const term = search.trim().toLowerCase();
  const datasetLabel = (key: string) => {
    const found = datasets.data?.find((d) => d.key === key);
    return found ? label(found.label) : key;
  };

  const rows = (metrics.data ?? []).filter((m) => {
    const d = m.definition;
    if (dataset && d.dataset !== dataset) return false;
    if (unit && d.unit !== unit) return false;
    if (source && m.source !== source) return false;
    if (!term) return true;
    return [m.key, d.name.en, d.name.de, d.description.en, d.description.de].some((text) => text.toLowerCase().includes(term));
  }).sort((a, b) => label(a.definition.name).localeCompare(label(b.definition.name)));
  const datasetKeys = [...new Set((metrics.data ?? []).map((m) => m.definition.dataset))];

  return (
    <Stack gap="lg" data-testid="metrics-page">
      <PageHeader
        title={t('nav.metrics')}
        description={t('metrics.description')}
        icon={<IconChartHistogram size={24} stroke={1.6} />}
        mb={0}
        actions={
          can('metrics:manage') && (
            <Button component={Link} to="/metrics/new" leftSection={<IconPlus size={16} />}>
              {t('metrics.create')}
            </Button>
          )
        }
      />
      <Group gap="md" wrap="wrap">
        <SearchInput label={t('metrics.search')} value={search} onChange={setSearch} />
        <Select aria-label={t('metrics.dataset')} placeholder={t('metrics.allDatasets')} data={datasetKeys.map((key) => ({ value: key, label: datasetLabel(key) }))} value={dataset} onChange={setDataset} clearable w={220} />
        <Select aria-label={t('metrics.unit')} placeholder={t('metrics.allUnits')} data={METRIC_UNIT_LIST.map((u) => ({ value: u, label: t(`metrics.units.${u}`) }))} value={unit} onChange={setUnit} clearable w={180} />
        <Select
          aria-label={t('metrics.source')}
          placeholder={t('metrics.allSources')}
          data={[
            { value: 'catalogue', label: t('metrics.sources.catalogue') },
            { value: 'custom', label: t('metrics.sources.custom') },
          ]}
          value={source}
          onChange={setSource}
          clearable
          w={230}
        />
      </Group>
      {metrics.isPending ? (
        <TableSkeleton rows={8} />
      ) : metrics.isError ? (
        <ErrorState error={metrics.error} onRetry={() => void metrics.refetch()} />
      ) : rows.length === 0 ? (
        <EmptyCard icon={<IconChartHistogram size={28} />} title={metrics.data.length === 0 ? t('metrics.emptyTitle') : t('common.noMatches')} description={metrics.data.length === 0 ? t('metrics.emptyText') : t('common.noMatchesText')} />
      ) : (
        <DataTable minWidth={900} aria-label={t('metrics.catalogue')}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('metrics.name')}</Table.Th>
              <Table.Th w={220}>{t('metrics.dataset')}</Table.Th>
              <Table.Th w={130}>{t('metrics.unit')}</Table.Th>
              <Table.Th w={150}>{t('metrics.source')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((metric) => (
              <Table.Tr key={metric.key} data-testid="metric-row">
                <Table.Td>
                  <Anchor component={Link} to={`/metrics/${metric.key}`} fw={600} size="sm">
                    {label(metric.definition.name)}
                  </Anchor>
                  <Text size="xs" c="dimmed" lineClamp={1}>
                    {label(metric.definition.description)}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{datasetLabel(metric.definition.dataset)}</Text>
                  {metric.missingDatasets.length > 0 && (
                    <Text size="xs" c="orange">
                      {t('metrics.missingDatasets', { datasets: metric.missingDatasets.join(', ') })}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  <Badge variant="light" color="gray" style={{ flexShrink: 0, overflow: 'visible' }}>
                    {t(`metrics.units.${metric.definition.unit}`)}
                  </Badge>
                </Table.Td>
                <Table.Td>
                  <Badge variant="light" color={metric.source === 'custom' ? 'grape' : 'blue'} style={{ flexShrink: 0, overflow: 'visible' }}>
                    {t(`metrics.sources.${metric.source}`)}
                    {metric.source === 'custom' ? ` · v${metric.version}` : ''}
                  </Badge>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </DataTable>
      )}
    </Stack>
  );
}
