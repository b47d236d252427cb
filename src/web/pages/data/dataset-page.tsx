import { Anchor, Badge, Breadcrumbs, Button, CloseButton, Group, Pill, Select, Stack, Table, Tabs, Text, TextInput } from '@mantine/core';
import { IconArrowDown, IconArrowUp, IconFileImport, IconFilter, IconPlus, IconTable } from '@tabler/icons-react';
import { Fragment, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { useLiveData } from '../../api/use-live-data';
import { useDatasets, useRecords, type DataRecord, type Dataset, type DatasetField } from '../../api/data-queries';
import { useCan, useSession } from '../../auth/session';
import { DataTable } from '../../components/data-table';
import { EmptyCard } from '../../components/empty-card';
import { ListPagination } from '../../components/list-pagination';
import { PageHeader } from '../../components/page-header';
import { ErrorState, TableSkeleton } from '../../components/query-state';
import { SearchInput } from '../../components/search-input';
import { NotFoundPage } from '../not-found-page';
import { useListSearch } from '../../lib/use-list-search';
import { useLabel, useValueFormat } from '../../lib/value-format';
import { ImportHistory } from './import-history';
import { RecordDrawer } from './record-details';

const FILTER_OPS = ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'contains', 'empty', 'not_empty'] as const;
type FilterOp = (typeof FILTER_OPS)[number];

interface RecordFilter {
  field: string;
  op: FilterOp;
  value: string;
}

const filterParam = (f: RecordFilter) => (f.op === 'empty' || f.op === 'not_empty' ? `${f.field}:${f.op}` : `${f.field}:${f.op}:${f.value}`);

/** Columns shown in the table: the first few fields; the drawer shows all. */
const TABLE_COLUMNS = 7;

function FilterBar({ dataset, onAdd }: { dataset: Dataset; onAdd: (filter: RecordFilter) => void }) {
  const { t } = useTranslation();
  const label = useLabel();
  const [field, setField] = useState<string | null>(null);
  const [op, setOp] = useState<FilterOp>('eq');
  const [value, setValue] = useState('');
  const def = dataset.fields.find((f) => f.key === field);
  const needsValue = op !== 'empty' && op !== 'not_empty';
  const inputType = def?.type === 'date' ? 'date' : def?.type === 'number' || def?.type === 'money' ? 'number' : 'text';
  const add = () => {
    if (!field || (needsValue && value.trim() === '')) return;
    onAdd({ field, op, value: value.trim() });
    setValue('');
  };
  return (
    <Group gap="xs" wrap="wrap" align="flex-end">
      <Select
        aria-label={t('data.filter.field')}
        placeholder={t('data.filter.field')}
        leftSection={<IconFilter size={16} />}
        data={dataset.fields.map((f) => ({ value: f.key, label: label(f.label) }))}
        value={field}
        onChange={setField}
        searchable
        w={200}
      />
      <Select
        aria-label={t('data.filter.op')}
        data={FILTER_OPS.map((o) => ({ value: o, label: t(`data.filter.ops.${o}`) }))}
        value={op}
        onChange={(next) => setOp(FILTER_OPS.find((o) => o === next) ?? 'eq')}
        allowDeselect={false}
        w={150}
      />
      {needsValue &&
        (def?.values ? (
          <Select aria-label={t('data.filter.value')} placeholder={t('data.filter.value')} data={def.values} value={value || null} onChange={(v) => setValue(v ?? '')} w={180} />
        ) : (
          <TextInput
            aria-label={t('data.filter.value')}
            placeholder={t('data.filter.value')}
            type={inputType}
            value={value}
            onChange={(event) => setValue(event.currentTarget.value)}
            onKeyDown={(event) => {
              if (event.key === 'Enter') add();
            }}
            w={180}
          />
        ))}
      <Button variant="light" leftSection={<IconPlus size={16} />} onClick={add} disabled={!field || (needsValue && value.trim() === '')}>
        {t('data.filter.add')}
      </Button>
    </Group>
  );
}

function RecordsBrowser({ dataset }: { dataset: Dataset }) {
  const { t } = useTranslation();
  const label = useLabel();
  const session = useSession();
  const values = useValueFormat();
  const [filters, setFilters] = useState<RecordFilter[]>([]);
  const [sort, setSort] = useState<string | null>(null);
  const list = useListSearch({ filters, sort });
  const params = { q: list.term, filters: filters.map(filterParam), sort, limit: list.limit, offset: list.offset };
  const records = useRecords(dataset.key, params);
  const [open, setOpen] = useState<DataRecord | null>(null);
  const columns = dataset.fields.slice(0, TABLE_COLUMNS);
  const fieldLabel = (key: string) => {
    const f = dataset.fields.find((field) => field.key === key);
    return f ? label(f.label) : key;
  };

  const sortHeader = (key: string, text: string, align: 'left' | 'right' = 'left') => {
    const active = sort === key ? 'asc' : sort === `-${key}` ? 'desc' : null;
    return (
      <Table.Th ta={align}>
        <Anchor
          component="button"
          type="button"
          size="sm"
          fw={600}
          c="inherit"
          underline="never"
          onClick={() => setSort(active === 'asc' ? `-${key}` : active === 'desc' ? null : key)}
          aria-sort={active === 'asc' ? 'ascending' : active === 'desc' ? 'descending' : undefined}
        >
          <Group gap={4} wrap="nowrap" component="span" justify={align === 'right' ? 'flex-end' : 'flex-start'}>
            {text}
            {active === 'asc' && <IconArrowUp size={14} />}
            {active === 'desc' && <IconArrowDown size={14} />}
          </Group>
        </Anchor>
      </Table.Th>
    );
  };
  const numeric = (field: DatasetField) => field.type === 'money' || field.type === 'number';

  return (
    <Stack gap="md">
      <Group gap="md" wrap="wrap" align="flex-end">
        <SearchInput label={t('data.searchRecords')} value={list.search} onChange={list.setSearch} isBusy={records.isFetching && list.search.trim() !== ''} />
        <FilterBar dataset={dataset} onAdd={(filter) => setFilters((current) => [...current, filter])} />
      </Group>
      {filters.length > 0 && (
        <Group gap="xs" data-testid="record-filters">
          {filters.map((f, index) => (
            <Pill key={`${filterParam(f)}-${index}`} withRemoveButton onRemove={() => setFilters((current) => current.filter((_, i) => i !== index))} size="md">
              {fieldLabel(f.field)} {t(`data.filter.ops.${f.op}`)} {f.value}
            </Pill>
          ))}
          <CloseButton size="sm" aria-label={t('data.filter.clear')} onClick={() => setFilters([])} />
        </Group>
      )}
      {records.isPending ? (
        <TableSkeleton columns={6} />
      ) : records.isError ? (
        <ErrorState error={records.error} onRetry={() => void records.refetch()} />
      ) : records.data.total === 0 ? (
        <EmptyCard
          icon={<IconTable size={28} />}
          title={filters.length > 0 || list.term ? t('common.noMatches') : t('data.noRecordsTitle')}
          description={filters.length > 0 || list.term ? t('common.noMatchesText') : t('data.noRecordsText')}
        />
      ) : (
        <>
          <DataTable minWidth={1000} style={{ opacity: records.isPlaceholderData ? 0.6 : 1, transition: 'opacity 150ms' }} aria-label={t('data.records')}>
            <Table.Thead>
              <Table.Tr>
                {sortHeader('extId', t('data.extId'))}
                {columns.map((field) => (
                  <Fragment key={field.key}>
                    {sortHeader(field.key, label(field.label), numeric(field) ? 'right' : 'left')}
                  </Fragment>
                ))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {records.data.items.map((record) => (
                <Table.Tr key={record.id} data-testid="record-row" style={{ cursor: 'pointer' }} onClick={() => setOpen(record)}>
                  <Table.Td>
                    <Anchor component="button" type="button" size="sm" ff="monospace" onClick={() => setOpen(record)}>
                      {record.extId}
                    </Anchor>
                  </Table.Td>
                  {columns.map((field) => (
                    <Table.Td key={field.key} ta={numeric(field) ? 'right' : 'left'}>
                      <Text size="sm" {...(field.type === 'text' ? { lineClamp: 1 } : { style: { whiteSpace: 'nowrap' } })}>
                        {values.field(dataset, field, record, session.tenant.currency)}
                      </Text>
                    </Table.Td>
                  ))}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </DataTable>
          <ListPagination page={list.page} pageSize={list.limit} total={records.data.total} onChange={list.setPage} />
        </>
      )}
      <RecordDrawer dataset={dataset} record={open} onClose={() => setOpen(null)} />
    </Stack>
  );
}

function FieldsTable({ dataset }: { dataset: Dataset }) {
  const { t } = useTranslation();
  const label = useLabel();
  return (
    <DataTable minWidth={640} aria-label={t('data.fields')}>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>{t('data.field.label')}</Table.Th>
          <Table.Th>{t('data.field.key')}</Table.Th>
          <Table.Th>{t('data.field.type')}</Table.Th>
          <Table.Th>{t('data.field.required')}</Table.Th>
          <Table.Th>{t('data.field.values')}</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {dataset.fields.map((field) => (
          <Table.Tr key={field.key} data-testid="field-row">
            <Table.Td>
              <Text size="sm" fw={600}>
                {label(field.label)}
              </Text>
            </Table.Td>
            <Table.Td>
              <Text size="sm" ff="monospace">
                {field.key}
              </Text>
            </Table.Td>
            <Table.Td>
              <Badge variant="light" color="gray">
                {t(`data.fieldType.${field.type}`)}
                {field.type === 'number' && field.scale ? ` · ${t('data.field.decimals', { count: field.scale })}` : ''}
              </Badge>
            </Table.Td>
            <Table.Td>{field.required ? <Badge variant="light">{t('data.field.requiredYes')}</Badge> : <Text size="sm" c="dimmed">—</Text>}</Table.Td>
            <Table.Td>
              <Text size="xs" {...(field.values ? {} : { c: 'dimmed' })}>
                {field.values ? field.values.join(', ') : '—'}
              </Text>
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </DataTable>
  );
}

export function DatasetPage() {
  const { t } = useTranslation();
  const { dataset: key = '' } = useParams();
  const can = useCan();
  const label = useLabel();
  const datasets = useDatasets();
  const [tab, setTab] = useState<string | null>('records');
  useLiveData();
  if (datasets.isPending) return <TableSkeleton />;
  if (datasets.isError) return <ErrorState error={datasets.error} onRetry={() => void datasets.refetch()} />;
  const dataset = datasets.data.find((d) => d.key === key);
  if (!dataset) return <NotFoundPage />;
  const canImport = can('data:import');

  return (
    <Stack gap="lg">
      <Breadcrumbs>
        <Anchor component={Link} to="/data" size="sm">
          {t('nav.data')}
        </Anchor>
        <Text size="sm">{label(dataset.label)}</Text>
      </Breadcrumbs>
      <PageHeader
        title={label(dataset.label)}
        description={t(dataset.kind === 'builtin' ? 'data.builtinText' : 'data.customText', { key: dataset.key })}
        icon={<IconTable size={24} stroke={1.6} />}
        mb={0}
        actions={
          canImport && (
            <Button component={Link} to={`/data/${dataset.key}/import`} leftSection={<IconFileImport size={16} />}>
              {t('data.import.open')}
            </Button>
          )
        }
      />
      <Tabs value={tab} onChange={setTab} keepMounted={false}>
        <Tabs.List mb="md">
          <Tabs.Tab value="records">{t('data.records')}</Tabs.Tab>
          <Tabs.Tab value="fields">{t('data.fields')}</Tabs.Tab>
          {canImport && <Tabs.Tab value="imports">{t('data.history.title')}</Tabs.Tab>}
        </Tabs.List>
        <Tabs.Panel value="records">
          <RecordsBrowser dataset={dataset} />
        </Tabs.Panel>
        <Tabs.Panel value="fields">
          <FieldsTable dataset={dataset} />
        </Tabs.Panel>
        {canImport && (
          <Tabs.Panel value="imports">
            <ImportHistory dataset={dataset.key} />
          </Tabs.Panel>
        )}
      </Tabs>
    </Stack>
  );
}

