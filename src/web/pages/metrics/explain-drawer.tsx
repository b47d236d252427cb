import { Alert, Anchor, Badge, Drawer, Group, Stack, Table, Text } from '@mantine/core';
import { IconInfoCircle } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Filter, MetricDefinition, MetricUnit } from '../../../core/metrics/definition';
import {
  useDatasets,
  useExplanation,
  useRecords,
  type DataRecord,
  type Dataset,
  type EvaluateInput,
  type MetricExplanation,
  type MetricGroup,
} from '../../api/data-queries';
import { useSession } from '../../auth/session';
import { DataTable } from '../../components/data-table';
import { ErrorState, TableSkeleton } from '../../components/query-state';
import { usePeriodLabel } from '../../components/period-picker';
import { useFormat } from '../../i18n/format';
import { useLabel, useValueFormat } from '../../lib/value-format';
import { RecordDrawer } from '../data/record-details';

const TEXT_TYPES = new Set(['text', 'account', 'territory', 'payee']);
const OPS: Partial<Record<Filter['op'], string>> = { eq: 'eq', neq: 'ne', gt: 'gt', gte: 'gte', lt: 'lt', lte: 'lte' };

/**
 * Record-list filters that narrow the records route to (a superset of) what the explanation
 * names; the ids it lists then pick the exact records. Only filters the route reads the same
 * way are passed (text and date fields); the rest is left to the id match.
 */
function narrowingFilters(dataset: Dataset, definition: MetricDefinition, explanation: MetricExplanation, groupBy: string | null, group: string | null): string[] {
  const out: string[] = [];
  const field = (key: string) => dataset.fields.find((f) => f.key === key);
  for (const filter of definition.filters ?? []) {
    const def = field(filter.field);
    if (!def || !(TEXT_TYPES.has(def.type) || def.type === 'date')) continue;
    if (filter.op === 'is_null') out.push(`${filter.field}:empty`);
    else if (filter.op === 'not_null') out.push(`${filter.field}:not_empty`);
    else if (filter.op === 'in' && filter.values.length === 1) out.push(`${filter.field}:eq:${String(filter.values[0])}`);
    else if ('value' in filter && OPS[filter.op]) out.push(`${filter.field}:${OPS[filter.op] ?? 'eq'}:${String(filter.value)}`);
  }
  const dateField = field(definition.dateField);
  if (dateField?.type === 'date' && explanation.components.length === 1) {
    if (!definition.activeUntil) out.push(`${dateField.key}:gte:${explanation.period.start}`);
    out.push(`${dateField.key}:lt:${explanation.period.end}`);
  }
  if (groupBy && groupBy !== 'team') {
    const def = groupBy === 'owner' ? dataset.fields.find((f) => f.type === 'payee') : field(groupBy);
    if (def && TEXT_TYPES.has(def.type)) out.push(group === null ? `${def.key}:empty` : `${def.key}:eq:${group}`);
  }
  return out;
}

/** The columns that say most about a record of this metric: its name, what is measured, when, stage and owner. */
function explainColumns(dataset: Dataset, definition: MetricDefinition): Dataset['fields'] {
  const measure = definition.measure;
  const keys = [
    dataset.fields.find((f) => f.type === 'text')?.key,
    'field' in measure ? measure.field : undefined,
    definition.dateField,
    'stage',
    dataset.fields.find((f) => f.type === 'payee')?.key,
  ];
  const fields = [...new Set(keys)].flatMap((key) => dataset.fields.filter((f) => f.key === key));
  return fields.length > 0 ? fields.slice(0, 5) : dataset.fields.slice(0, 5);
}

function ExplainedRecords({ dataset, definition, ids, filters }: { dataset: Dataset; definition: MetricDefinition; ids: readonly string[]; filters: string[] }) {
  const { t } = useTranslation();
  const label = useLabel();
  const session = useSession();
  const values = useValueFormat();
  const records = useRecords(dataset.key, { q: '', filters, sort: null, limit: 1000, offset: 0 }, { enabled: ids.length > 0 });
  const [open, setOpen] = useState<DataRecord | null>(null);
  if (ids.length === 0) return <Text size="sm" c="dimmed">{t('metrics.explain.noRecords')}</Text>;
  if (records.isPending) return <TableSkeleton rows={4} columns={4} />;
  if (records.isError) return <ErrorState error={records.error} onRetry={() => void records.refetch()} />;
  const wanted = new Set(ids);
  const rows = records.data.items.filter((r) => wanted.has(r.id));
  const shown = explainColumns(dataset, definition);
  return (
    <Stack gap="xs">
      <DataTable minWidth={560} aria-label={t('metrics.explain.records')}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('data.extId')}</Table.Th>
            {shown.map((f) => (
              <Table.Th key={f.key}>{label(f.label)}</Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((record) => (
            <Table.Tr key={record.id} data-testid="explained-record" style={{ cursor: 'pointer' }} onClick={() => setOpen(record)}>
              <Table.Td>
                <Anchor component="button" type="button" size="sm" ff="monospace" style={{ whiteSpace: 'nowrap' }}>
                  {record.extId}
                </Anchor>
              </Table.Td>
              {shown.map((f) => (
                <Table.Td key={f.key}>
                  <Text size="sm" lineClamp={1} {...(f.type === 'text' ? {} : { style: { whiteSpace: 'nowrap' } })}>
                    {values.field(dataset, f, record, session.tenant.currency)}
                  </Text>
                </Table.Td>
              ))}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </DataTable>
      {rows.length < ids.length && (
        <Text size="xs" c="dimmed">
          {t('metrics.explain.partial', { shown: rows.length, total: ids.length })}
        </Text>
      )}
      <RecordDrawer dataset={dataset} record={open} onClose={() => setOpen(null)} />
    </Stack>
  );
}

/** The records behind one group's value: which ones, of which dataset, for which period and version. */
export function ExplainDrawer({
  input,
  definition,
  group,
  unit,
  onClose,
}: {
  input: EvaluateInput;
  definition: MetricDefinition;
  group: MetricGroup | null;
  unit: MetricUnit;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const label = useLabel();
  const periodLabel = usePeriodLabel();
  const format = useFormat();
  const session = useSession();
  const values = useValueFormat();
  const datasets = useDatasets();
  const explanation = useExplanation(group ? { ...input, group: group.key } : null);
  const data = explanation.data;

  return (
    <Drawer opened={group !== null} onClose={onClose} position="right" size="xl" title={group ? t('metrics.explain.title', { group: group.label }) : ''}>
      {group && (
        <Stack gap="md" data-testid="explain-drawer">
          <Group gap="md">
            <Text fz={28} fw={700}>
              {values.metric(group.value, unit, session.tenant.currency)}
            </Text>
            <Badge variant="light">{t('metrics.recordCount', { count: group.recordCount, n: format.number(group.recordCount) })}</Badge>
          </Group>
          {explanation.isPending ? (
            <TableSkeleton rows={4} />
          ) : explanation.isError ? (
            <ErrorState error={explanation.error} onRetry={() => void explanation.refetch()} />
          ) : data ? (
            <>
              <Alert variant="light" color="gray" icon={<IconInfoCircle />}>
                {t('metrics.explain.summary', {
                  count: data.count,
                  n: format.number(data.count),
                  period: periodLabel(data.period),
                  version: data.metric.version ?? t('metrics.unsaved'),
                })}
              </Alert>
              {data.components.map((component) => {
                const dataset = datasets.data?.find((d) => d.key === component.dataset);
                return (
                  <Stack key={`${component.role}-${component.dataset}`} gap="xs">
                    <Group gap="xs">
                      <Text fw={600}>{dataset ? label(dataset.label) : component.dataset}</Text>
                      {data.components.length > 1 && <Badge variant="outline">{t(`metrics.explain.role.${component.role === 'numerator' || component.role === 'denominator' || component.role === 'baseline' ? component.role : 'value'}`)}</Badge>}
                      <Text size="sm" c="dimmed">
                        {t('metrics.recordCount', { count: component.count, n: format.number(component.count) })} · {component.period.key}
                      </Text>
                    </Group>
                    {dataset && (
                      <ExplainedRecords
                        dataset={dataset}
                        definition={definition}
                        ids={component.recordIds}
                        filters={component.dataset === definition.dataset && component.period.key === data.period.key ? narrowingFilters(dataset, definition, data, input.groupBy, group.key) : []}
                      />
                    )}
                  </Stack>
                );
              })}
            </>
          ) : null}
        </Stack>
      )}
    </Drawer>
  );
}
