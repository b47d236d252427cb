import { Alert, Anchor, Badge, Drawer, Group, Stack, Table, Text } from '@mantine/core';
import { IconInfoCircle } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { MetricDefinition, MetricUnit } from '../../../core/metrics/definition';
import {
  useDatasets,
  useExplanation,
  useRecords,
  type DataRecord,
  type Dataset,
  type EvaluateInput,
  type MetricGroup,
} from '../../api/data-queries';
import { useSession } from '../../auth/session';
import { DataTable } from '../../components/data-table';
import { ListPagination } from '../../components/list-pagination';
import { ErrorState, TableSkeleton } from '../../components/query-state';
import { usePeriodLabel } from '../../components/period-picker';
import { useFormat } from '../../i18n/format';
import { useLabel, useValueFormat } from '../../lib/value-format';
import { RecordDrawer } from '../data/record-details';

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

const PAGE_SIZE = 25;

/** The records an explanation names, fetched by id a page at a time. */
function ExplainedRecords({ dataset, definition, ids, count }: { dataset: Dataset; definition: MetricDefinition; ids: readonly string[]; count: number }) {
  const { t } = useTranslation();
  const label = useLabel();
  const session = useSession();
  const values = useValueFormat();
  const [page, setPage] = useState(1);
  const pageIds = ids.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE);
  const records = useRecords(dataset.key, { q: '', filters: [], sort: null, limit: PAGE_SIZE, offset: 0, ids: pageIds }, { enabled: pageIds.length > 0 });
  const [open, setOpen] = useState<DataRecord | null>(null);
  if (ids.length === 0) return <Text size="sm" c="dimmed">{t('metrics.explain.noRecords')}</Text>;
  if (records.isPending) return <TableSkeleton rows={4} columns={4} />;
  if (records.isError) return <ErrorState error={records.error} onRetry={() => void records.refetch()} />;
  const rows = records.data.items;
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
      {ids.length > PAGE_SIZE && <ListPagination page={page} pageSize={PAGE_SIZE} total={ids.length} onChange={setPage} />}
      {ids.length < count && (
        <Text size="xs" c="dimmed">
          {t('metrics.explain.partial', { shown: ids.length, total: count })}
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
                        count={component.count}
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
