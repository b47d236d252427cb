import { Anchor, Badge, Breadcrumbs, Button, Code, Group, Select, Stack, Text } from '@mantine/core';
import { IconChartHistogram, IconCopy, IconPencil } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams, useSearchParams } from 'react-router';
import type { MetricDefinition } from '../../../core/metrics/definition';
import { useLiveData } from '../../api/use-live-data';
import { isApiError } from '../../api/client';
import { useDatasets, useEvaluation, useMetric, type EvaluateInput, type MetricGroup } from '../../api/data-queries';
import { useCan } from '../../auth/session';
import { PageHeader } from '../../components/page-header';
import { PeriodPicker, useCurrentPeriod } from '../../components/period-picker';
import { ErrorState } from '../../components/query-state';
import { useLabel } from '../../lib/value-format';
import { NotFoundPage } from '../not-found-page';
import { EvaluationSkeleton, EvaluationTable } from './evaluation-table';
import { ExplainDrawer } from './explain-drawer';

/** Owner, team, territory or a field: the label of a grouping. */
export function useGroupByOptions(definition: MetricDefinition) {
  const { t } = useTranslation();
  const label = useLabel();
  const datasets = useDatasets();
  const dataset = datasets.data?.find((d) => d.key === definition.dataset);
  return (definition.groupBy ?? []).map((key) => {
    if (key === 'owner' || key === 'team' || key === 'territory') return { value: key, label: t(`metrics.groupBy.${key}`) };
    const field = dataset?.fields.find((f) => f.key === key);
    return { value: key, label: field ? label(field.label) : key };
  });
}

function MetricView({ definition, version, source }: { definition: MetricDefinition; version: number; source: 'catalogue' | 'custom' }) {
  const { t } = useTranslation();
  const label = useLabel();
  const can = useCan();
  const [params, setParams] = useSearchParams();
  const currentQuarter = useCurrentPeriod('quarter');
  const period = params.get('period') ?? currentQuarter;
  const groupOptions = useGroupByOptions(definition);
  const defaultGroup = groupOptions.some((o) => o.value === 'owner') ? 'owner' : null;
  const groupBy = params.has('by') ? params.get('by') || null : defaultGroup;
  const update = (next: { period?: string; by?: string | null }) => {
    const search = new URLSearchParams(params);
    if (next.period !== undefined) search.set('period', next.period);
    if (next.by !== undefined) search.set('by', next.by ?? '');
    setParams(search, { replace: true });
  };
  const input: EvaluateInput = { metric: { key: definition.key }, period, groupBy };
  const evaluation = useEvaluation(input, { keepPrevious: true });
  const [explaining, setExplaining] = useState<MetricGroup | null>(null);
  useLiveData();
  const datasets = useDatasets();
  const dateField = datasets.data?.find((d) => d.key === definition.dataset)?.fields.find((f) => f.key === definition.dateField);

  return (
    <Stack gap="lg">
      <Breadcrumbs>
        <Anchor component={Link} to="/metrics" size="sm">
          {t('nav.metrics')}
        </Anchor>
        <Text size="sm">{label(definition.name)}</Text>
      </Breadcrumbs>
      <PageHeader
        title={label(definition.name)}
        description={label(definition.description)}
        icon={<IconChartHistogram size={24} stroke={1.6} />}
        mb={0}
        actions={
          can('metrics:manage') &&
          (source === 'custom' ? (
            <Button component={Link} to={`/metrics/${definition.key}/edit`} leftSection={<IconPencil size={16} />}>
              {t('metrics.edit')}
            </Button>
          ) : (
            <Button component={Link} to={`/metrics/new?from=${definition.key}`} variant="default" leftSection={<IconCopy size={16} />}>
              {t('metrics.copy')}
            </Button>
          ))
        }
      />
      <Group gap="xs">
        <Badge variant="light" color={source === 'custom' ? 'grape' : 'blue'}>
          {t(`metrics.sources.${source}`)} · v{version}
        </Badge>
        <Badge variant="light" color="gray">
          {t(`metrics.units.${definition.unit}`)}
        </Badge>
        <Code>{definition.key}</Code>
        <Text size="xs" c="dimmed">
          {t(`metrics.measure.${definition.measure.kind}`)} · {t('metrics.byDate', { field: dateField ? label(dateField.label) : definition.dateField })}
        </Text>
      </Group>
      <Group gap="md" wrap="wrap" align="flex-end">
        <PeriodPicker value={period} onChange={(key) => update({ period: key })} />
        <Select
          aria-label={t('metrics.groupByLabel')}
          placeholder={t('metrics.noGrouping')}
          data={groupOptions}
          value={groupBy}
          onChange={(value) => update({ by: value })}
          clearable
          w={220}
          data-testid="group-by"
        />
      </Group>
      {evaluation.isPending ? (
        <EvaluationSkeleton />
      ) : evaluation.isError ? (
        <ErrorState error={evaluation.error} onRetry={() => void evaluation.refetch()} />
      ) : (
        <EvaluationTable evaluation={evaluation.data} busy={evaluation.isPlaceholderData} onExplain={setExplaining} />
      )}
      <Text size="xs" c="dimmed">
        {t('metrics.explainHint')}
      </Text>
      <ExplainDrawer input={input} definition={definition} group={explaining} unit={definition.unit} onClose={() => setExplaining(null)} />
    </Stack>
  );
}

export function MetricPage() {
  const { key = '' } = useParams();
  const metric = useMetric(key);
  if (metric.isPending) return <EvaluationSkeleton />;
  if (metric.isError) return isApiError(metric.error) && metric.error.status === 404 ? <NotFoundPage /> : <ErrorState error={metric.error} onRetry={() => void metric.refetch()} />;
  const latest = metric.data.versions[0];
  if (!latest) return <NotFoundPage />;
  return <MetricView key={key} definition={latest.definition} version={latest.version} source={metric.data.source} />;
}
