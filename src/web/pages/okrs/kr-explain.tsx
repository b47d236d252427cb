import { Alert, Drawer, Text } from '@mantine/core';
import { IconInfoCircle } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { Filter } from '../../../core/metrics/definition';
import { useEvaluation, useMetric, type EvaluateInput, type MetricGroup } from '../../api/data-queries';
import type { KeyResult, ObjectiveDetail } from '../../api/okr-queries';
import { ErrorState, TableSkeleton } from '../../components/query-state';
import { ExplainDrawer } from '../metrics/explain-drawer';
import { addDaysIso } from './okr-ui';

/**
 * What the metric layer evaluates for a metric-bound key result, as the server does: the
 * metric over the cycle from its first day up to the day read, its parameters as equality
 * filters, and the owner's records (a person's, a team's rolled up, or the whole workspace).
 */
function explainInput(kr: KeyResult, objective: ObjectiveDetail, cycle: { start: string; end: string }): { input: EvaluateInput; match: (group: MetricGroup) => boolean } | null {
  if (!kr.metric) return null;
  const lastDay = addDaysIso(cycle.end, -1);
  const until = objective.asOf < lastDay ? objective.asOf : lastDay;
  const filters: Filter[] = Object.entries(kr.metric.parameters)
    .filter(([key]) => key !== 'scope')
    .map(([field, value]) => ({ field, op: 'eq', value }));
  const base = {
    metric: { key: kr.metric.key, ...(kr.metric.version ? { version: kr.metric.version } : {}) },
    period: `${cycle.start}..${until}`,
    ...(filters.length > 0 ? { filters } : {}),
  };
  if (kr.metric.parameters.scope === 'tenant') return { input: { ...base, groupBy: null }, match: () => true };
  const owner = objective.owner;
  if (owner.kind === 'team') return { input: { ...base, groupBy: 'team' }, match: (group) => group.key === owner.id };
  return { input: { ...base, groupBy: 'owner' }, match: (group) => group.label === owner.name };
}

/** The records behind a metric-bound key result's value: the Metrics area's explain drawer, scoped like the key result. */
export function KeyResultExplainDrawer({ kr, objective, cycle, onClose }: { kr: KeyResult | null; objective: ObjectiveDetail; cycle: { start: string; end: string } | null; onClose: () => void }) {
  const { t } = useTranslation();
  const setup = kr && cycle ? explainInput(kr, objective, cycle) : null;
  const metric = useMetric(setup ? (kr?.metric?.key ?? null) : null);
  const evaluation = useEvaluation(setup?.input ?? null);
  const versions = metric.data?.versions ?? [];
  const definition = (kr?.metric?.version ? versions.find((v) => v.version === kr.metric?.version) : versions[versions.length - 1])?.definition ?? versions[0]?.definition;

  if (!kr || !setup) return null;
  const loading = metric.isPending || evaluation.isPending;
  const error = metric.error ?? evaluation.error;
  if (loading || error || !definition || !evaluation.data) {
    return (
      <Drawer opened onClose={onClose} position="right" size="xl" title={kr.title}>
        {error ? <ErrorState error={error} /> : <TableSkeleton rows={4} />}
      </Drawer>
    );
  }
  const data = evaluation.data;
  const group: MetricGroup | undefined =
    setup.input.groupBy === null
      ? { key: null, label: t('okrs.explain.workspace'), value: data.total.value, recordCount: data.total.recordCount }
      : data.groups.find(setup.match);
  if (!group) {
    return (
      <Drawer opened onClose={onClose} position="right" size="xl" title={kr.title}>
        <Alert variant="light" color="gray" icon={<IconInfoCircle />}>
          <Text size="sm">{t('okrs.explain.noRecords', { owner: objective.owner.name })}</Text>
        </Alert>
      </Drawer>
    );
  }
  return <ExplainDrawer input={setup.input} definition={definition} group={group} unit={data.unit} onClose={onClose} />;
}
