import {
  ActionIcon,
  Alert,
  Anchor,
  Breadcrumbs,
  Button,
  Card,
  Grid,
  Group,
  MultiSelect,
  NumberInput,
  Select,
  SimpleGrid,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconAlertTriangle, IconChartHistogram, IconDeviceFloppy, IconPlus, IconTrash } from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import type { Filter, MeasureKind, MetricDefinition, MetricUnit } from '../../../core/metrics/definition';
import { isApiError, type ValidationIssue } from '../../api/client';
import { useDatasets, useEvaluation, useMetric, useSaveMetric, type Dataset, type DatasetField, type MetricGroup } from '../../api/data-queries';
import { PeriodPicker, useCurrentPeriod } from '../../components/period-picker';
import { ErrorState } from '../../components/query-state';
import { PageHeader } from '../../components/page-header';
import { useErrorMessage } from '../../lib/use-error-message';
import { useNotify } from '../../lib/use-notify';
import { useLabel } from '../../lib/value-format';
import { EvaluationSkeleton, EvaluationTable } from './evaluation-table';
import { ExplainDrawer } from './explain-drawer';
import { METRIC_UNIT_LIST } from './metrics-page';

const MEASURE_KINDS = ['count', 'sum', 'avg', 'min', 'max', 'distinct_count', 'rate', 'avg_duration', 'share_within', 'ratio', 'change'] as const satisfies readonly MeasureKind[];
const FILTER_OPS = ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'in', 'not_in', 'is_null', 'not_null'] as const satisfies readonly Filter['op'][];
const FIELD_MEASURES = new Set<MeasureKind>(['sum', 'avg', 'min', 'max']);
const BUILT_IN_GROUPS = ['owner', 'team', 'territory'];
const PREVIEW_DELAY_MS = 600;

interface FilterRow {
  field: string;
  op: Filter['op'];
  /** As typed; lists comma-separated; money in major units. */
  value: string;
}

interface Draft {
  key: string;
  nameEn: string;
  nameDe: string;
  descriptionEn: string;
  descriptionDe: string;
  unit: MetricUnit;
  dataset: string;
  dateField: string;
  activeUntil: string | null;
  kind: MeasureKind;
  field: string | null;
  from: string | null;
  to: string | null;
  durationIn: 'days' | 'hours';
  limitValue: number;
  limitUnit: 'hours' | 'days';
  where: FilterRow[];
  /** ratio and change: the measure as JSON (they nest sub-metrics). */
  advanced: string;
  filters: FilterRow[];
  groupBy: string[];
}

const moneyToMajor = (value: unknown) => String(Number(value) / 100);

function toRows(filters: readonly Filter[] | undefined, dataset: Dataset | undefined): FilterRow[] {
  return (filters ?? []).map((filter) => {
    const money = dataset?.fields.find((f) => f.key === filter.field)?.type === 'money';
    const show = (v: unknown) => (money ? moneyToMajor(v) : String(v));
    if (filter.op === 'in' || filter.op === 'not_in') return { field: filter.field, op: filter.op, value: filter.values.map(show).join(', ') };
    if ('value' in filter) return { field: filter.field, op: filter.op, value: show(filter.value) };
    return { field: filter.field, op: filter.op, value: '' };
  });
}

function toDraft(definition: MetricDefinition, datasets: readonly Dataset[]): Draft {
  const dataset = datasets.find((d) => d.key === definition.dataset);
  const m = definition.measure;
  return {
    key: definition.key,
    nameEn: definition.name.en,
    nameDe: definition.name.de,
    descriptionEn: definition.description.en,
    descriptionDe: definition.description.de,
    unit: definition.unit,
    dataset: definition.dataset,
    dateField: definition.dateField,
    activeUntil: definition.activeUntil ?? null,
    kind: m.kind,
    field: 'field' in m ? m.field : null,
    from: m.kind === 'avg_duration' || m.kind === 'share_within' ? m.from : null,
    to: m.kind === 'avg_duration' || m.kind === 'share_within' ? m.to : null,
    durationIn: m.kind === 'avg_duration' ? m.in : 'days',
    limitValue: m.kind === 'share_within' ? m.limit.value : 24,
    limitUnit: m.kind === 'share_within' ? m.limit.unit : 'hours',
    where: m.kind === 'rate' ? toRows(m.where, dataset) : [],
    advanced: m.kind === 'ratio' || m.kind === 'change' ? JSON.stringify(m, null, 2) : '',
    filters: toRows(definition.filters, dataset),
    groupBy: [...(definition.groupBy ?? [])],
  };
}

const BLANK: MetricDefinition = {
  key: 'my_metric',
  name: { en: 'New metric', de: 'Neue Kennzahl' },
  description: { en: 'What this metric measures.', de: 'Was diese Kennzahl misst.' },
  unit: 'count',
  dataset: 'deals',
  dateField: 'close_date',
  measure: { kind: 'count' },
  filters: [],
  groupBy: ['owner', 'team'],
};

function filterValue(field: DatasetField | undefined, text: string): string | number | boolean {
  const trimmed = text.trim();
  switch (field?.type) {
    case 'money':
      return Math.round(Number(trimmed.replace(',', '.')) * 100);
    case 'number':
      return trimmed.replace(',', '.');
    case 'boolean':
      return trimmed === 'true' || trimmed === '1' || trimmed.toLowerCase() === 'ja' || trimmed.toLowerCase() === 'yes';
    default:
      return trimmed;
  }
}

function toFilters(rows: readonly FilterRow[], dataset: Dataset | undefined): Filter[] {
  return rows
    .filter((row) => row.field)
    .map((row): Filter => {
      const field = dataset?.fields.find((f) => f.key === row.field);
      if (row.op === 'is_null' || row.op === 'not_null') return { field: row.field, op: row.op };
      if (row.op === 'in' || row.op === 'not_in') {
        return { field: row.field, op: row.op, values: row.value.split(',').map((v) => v.trim()).filter(Boolean).map((v) => filterValue(field, v)) };
      }
      return { field: row.field, op: row.op, value: filterValue(field, row.value) };
    });
}

/** The draft as a definition; a local problem (the advanced JSON does not parse) as an issue. */
function toDefinition(draft: Draft, dataset: Dataset | undefined): { definition: MetricDefinition | null; issue: ValidationIssue | null } {
  let measure: MetricDefinition['measure'];
  switch (draft.kind) {
    case 'count':
      measure = { kind: 'count' };
      break;
    case 'sum':
    case 'avg':
    case 'min':
    case 'max':
      measure = { kind: draft.kind, field: draft.field ?? '' };
      break;
    case 'distinct_count':
      measure = { kind: 'distinct_count', field: draft.field ?? '' };
      break;
    case 'rate':
      measure = { kind: 'rate', where: toFilters(draft.where, dataset) };
      break;
    case 'avg_duration':
      measure = { kind: 'avg_duration', from: draft.from ?? '', to: draft.to ?? '', in: draft.durationIn };
      break;
    case 'share_within':
      measure = { kind: 'share_within', from: draft.from ?? '', to: draft.to ?? '', limit: { value: draft.limitValue, unit: draft.limitUnit } };
      break;
    case 'ratio':
    case 'change': {
      try {
        measure = JSON.parse(draft.advanced) as MetricDefinition['measure'];
      } catch {
        return { definition: null, issue: { path: 'measure', message: 'not JSON' } };
      }
      break;
    }
    default: {
      const unreachable: never = draft.kind;
      throw new Error(`unknown measure ${String(unreachable)}`);
    }
  }
  return {
    definition: {
      key: draft.key.trim(),
      name: { en: draft.nameEn.trim(), de: draft.nameDe.trim() },
      description: { en: draft.descriptionEn.trim(), de: draft.descriptionDe.trim() },
      unit: draft.unit,
      dataset: draft.dataset,
      dateField: draft.dateField,
      ...(draft.activeUntil ? { activeUntil: draft.activeUntil } : {}),
      measure,
      filters: toFilters(draft.filters, dataset),
      groupBy: draft.groupBy,
    },
    issue: null,
  };
}

/** Issues with paths relative to the definition ("measure.field"), whether from the preview or a save. */
function issuesOf(error: unknown): ValidationIssue[] {
  if (!isApiError(error)) return [];
  return error.issues.map((issue) => ({ ...issue, path: issue.path.replace(/^definition\.?/, '') }));
}

/** Whether every comma-separated part is a number (a decimal comma accepted for single values). */
function isNumericList(text: string): boolean {
  const parts = text.includes(',') && text.split(',').length > 2 ? text.split(',') : [text];
  return parts.every((part) => part.trim() !== '' && Number.isFinite(Number(part.trim().replace(',', '.'))));
}

function FilterRows({
  rows,
  dataset,
  onChange,
  issues,
  prefix,
  testId,
}: {
  rows: FilterRow[];
  dataset: Dataset | undefined;
  onChange: (rows: FilterRow[]) => void;
  issues: (path: string) => string | null;
  prefix: string;
  testId: string;
}) {
  const { t } = useTranslation();
  const label = useLabel();
  const fieldOptions = (dataset?.fields ?? []).map((f) => ({ value: f.key, label: label(f.label) }));
  const set = (index: number, patch: Partial<FilterRow>) => onChange(rows.map((row, i) => (i === index ? { ...row, ...patch } : row)));
  return (
    <Stack gap="xs" data-testid={testId}>
      {rows.map((row, index) => {
        const field = dataset?.fields.find((f) => f.key === row.field);
        const error = issues(`${prefix}.${index}`);
        return (
          <Group key={index} gap="xs" wrap="nowrap" align="flex-start">
            <Select size="xs" aria-label={t('metrics.editor.filterField')} data={fieldOptions} value={row.field || null} onChange={(v) => set(index, { field: v ?? '' })} searchable w={170} error={error} />
            <Select
              size="xs"
              aria-label={t('metrics.editor.filterOp')}
              data={FILTER_OPS.map((op) => ({ value: op, label: t(`metrics.ops.${op}`) }))}
              value={row.op}
              onChange={(v) => set(index, { op: FILTER_OPS.find((op) => op === v) ?? 'eq' })}
              allowDeselect={false}
              w={130}
            />
            {row.op !== 'is_null' && row.op !== 'not_null' && (
              <TextInput
                size="xs"
                aria-label={t('metrics.editor.filterValue')}
                placeholder={row.op === 'in' || row.op === 'not_in' ? t('metrics.editor.listPlaceholder') : field?.values?.join(', ') ?? (field?.type === 'money' ? t('metrics.editor.moneyPlaceholder') : '')}
                value={row.value}
                onChange={(e) => set(index, { value: e.currentTarget.value })}
                error={(field?.type === 'money' || field?.type === 'number') && !isNumericList(row.value) ? t('metrics.editor.notANumber') : null}
                style={{ flex: 1 }}
              />
            )}
            <ActionIcon variant="subtle" color="red" aria-label={t('common.delete')} onClick={() => onChange(rows.filter((_, i) => i !== index))}>
              <IconTrash size={16} />
            </ActionIcon>
          </Group>
        );
      })}
      <Button size="xs" variant="subtle" leftSection={<IconPlus size={14} />} onClick={() => onChange([...rows, { field: '', op: 'eq', value: '' }])} w="fit-content">
        {t('metrics.editor.addFilter')}
      </Button>
    </Stack>
  );
}

function Editor({ initial, isNew, datasets }: { initial: MetricDefinition; isNew: boolean; datasets: Dataset[] }) {
  const { t } = useTranslation();
  const label = useLabel();
  const notify = useNotify();
  const errorMessage = useErrorMessage();
  const navigate = useNavigate();
  const save = useSaveMetric();
  const [draft, setDraft] = useState<Draft>(() => toDraft(initial, datasets));
  const [saveIssues, setSaveIssues] = useState<ValidationIssue[]>([]);
  const currentQuarter = useCurrentPeriod('quarter');
  const [period, setPeriod] = useState(currentQuarter);
  const [previewGroup, setPreviewGroup] = useState<string | null>('owner');
  const [explaining, setExplaining] = useState<MetricGroup | null>(null);
  const dataset = datasets.find((d) => d.key === draft.dataset);
  const set = (patch: Partial<Draft>) => {
    setDraft((current) => ({ ...current, ...patch }));
    setSaveIssues([]);
  };

  const built = useMemo(() => toDefinition(draft, dataset), [draft, dataset]);
  const [debounced] = useDebouncedValue(built.definition ? JSON.stringify(built.definition) : null, PREVIEW_DELAY_MS);
  const previewDefinition = useMemo(() => (debounced ? (JSON.parse(debounced) as MetricDefinition) : null), [debounced]);
  const groupForPreview = previewGroup && previewDefinition?.groupBy?.includes(previewGroup) ? previewGroup : null;
  const previewInput = previewDefinition ? { metric: { definition: previewDefinition }, period, groupBy: groupForPreview } : null;
  const preview = useEvaluation(previewInput, { keepPrevious: true });
  const pending = built.definition !== null && JSON.stringify(built.definition) !== debounced;

  const issues = [...(built.issue ? [built.issue] : []), ...(saveIssues.length > 0 ? saveIssues : issuesOf(preview.error))];
  const issueAt = (path: string): string | null => {
    const found = issues.filter((i) => i.path === path || i.path.startsWith(`${path}.`));
    return found.length > 0 ? found.map((i) => i.message).join('; ') : null;
  };

  const fields = dataset?.fields ?? [];
  const options = (predicate: (f: DatasetField) => boolean) => fields.filter(predicate).map((f) => ({ value: f.key, label: label(f.label) }));
  const dateOptions = options((f) => f.type === 'date' || f.type === 'datetime');
  const groupOptions = [
    ...BUILT_IN_GROUPS.map((g) => ({ value: g, label: t(`metrics.groupBy.${g === 'owner' ? 'owner' : g === 'team' ? 'team' : 'territory'}`) })),
    ...fields.filter((f) => !BUILT_IN_GROUPS.includes(f.key) && f.type !== 'payee').map((f) => ({ value: f.key, label: label(f.label) })),
  ];

  const submit = () => {
    if (!built.definition) return;
    save.mutate(
      { definition: built.definition, isNew },
      {
        onSuccess: (saved) => {
          notify.success(t('metrics.editor.saved', { version: saved.version }));
          void navigate(`/metrics/${saved.definition.key}`);
        },
        onError: (error) => {
          const found = issuesOf(error);
          setSaveIssues(found);
          if (found.length === 0) notify.error(error);
        },
      },
    );
  };

  return (
    <Grid gap="xl">
      <Grid.Col span={{ base: 12, lg: 6 }}>
        <Stack gap="md">
          <Card withBorder p="md">
            <Title order={2} fz="md" mb="sm">
              {t('metrics.editor.basics')}
            </Title>
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <TextInput label={t('metrics.editor.key')} description={t('metrics.editor.keyHelp')} value={draft.key} onChange={(e) => set({ key: e.currentTarget.value })} disabled={!isNew} error={issueAt('key')} required />
              <Select label={t('metrics.unit')} data={METRIC_UNIT_LIST.map((u) => ({ value: u, label: t(`metrics.units.${u}`) }))} value={draft.unit} onChange={(v) => set({ unit: METRIC_UNIT_LIST.find((u) => u === v) ?? 'count' })} allowDeselect={false} error={issueAt('unit')} />
              <TextInput label={t('metrics.editor.nameEn')} value={draft.nameEn} onChange={(e) => set({ nameEn: e.currentTarget.value })} error={issueAt('name.en')} required />
              <TextInput label={t('metrics.editor.nameDe')} value={draft.nameDe} onChange={(e) => set({ nameDe: e.currentTarget.value })} error={issueAt('name.de')} required />
              <Textarea label={t('metrics.editor.descriptionEn')} value={draft.descriptionEn} onChange={(e) => set({ descriptionEn: e.currentTarget.value })} error={issueAt('description.en')} autosize minRows={2} />
              <Textarea label={t('metrics.editor.descriptionDe')} value={draft.descriptionDe} onChange={(e) => set({ descriptionDe: e.currentTarget.value })} error={issueAt('description.de')} autosize minRows={2} />
            </SimpleGrid>
          </Card>
          <Card withBorder p="md">
            <Title order={2} fz="md" mb="sm">
              {t('metrics.editor.what')}
            </Title>
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <Select
                label={t('metrics.dataset')}
                data={datasets.map((d) => ({ value: d.key, label: label(d.label) }))}
                value={draft.dataset}
                onChange={(v) => {
                  const next = datasets.find((d) => d.key === v);
                  if (!next) return;
                  const date = next.fields.find((f) => f.type === 'date' || f.type === 'datetime');
                  set({ dataset: next.key, dateField: date?.key ?? '', field: null, from: null, to: null, filters: [], where: [], groupBy: next.fields.some((f) => f.type === 'payee') ? ['owner', 'team'] : [] });
                }}
                allowDeselect={false}
                error={issueAt('dataset')}
                data-testid="editor-dataset"
              />
              <Select label={t('metrics.editor.dateField')} description={t('metrics.editor.dateFieldHelp')} data={dateOptions} value={draft.dateField || null} onChange={(v) => set({ dateField: v ?? '' })} allowDeselect={false} error={issueAt('dateField')} />
              <Select
                label={t('metrics.editor.measure')}
                data={MEASURE_KINDS.map((k) => ({ value: k, label: t(`metrics.measure.${k}`) }))}
                value={draft.kind}
                onChange={(v) => {
                  const kind = MEASURE_KINDS.find((k) => k === v) ?? 'count';
                  const advanced =
                    kind === 'ratio'
                      ? JSON.stringify({ kind: 'ratio', numerator: { measure: { kind: 'count' }, filters: [] }, denominator: { measure: { kind: 'count' } } }, null, 2)
                      : kind === 'change'
                        ? JSON.stringify({ kind: 'change', of: { measure: { kind: 'count' } }, baseline: 'previous_period' }, null, 2)
                        : draft.advanced;
                  set({ kind, advanced });
                }}
                allowDeselect={false}
                error={issueAt('measure.kind')}
                data-testid="editor-measure"
              />
              {(FIELD_MEASURES.has(draft.kind) || draft.kind === 'distinct_count') && (
                <Select
                  label={t('metrics.editor.measureField')}
                  data={draft.kind === 'distinct_count' ? options(() => true) : options((f) => f.type === 'number' || f.type === 'money' || f.type === 'boolean')}
                  value={draft.field}
                  onChange={(v) => set({ field: v })}
                  error={issueAt('measure.field')}
                  data-testid="editor-measure-field"
                />
              )}
              {(draft.kind === 'avg_duration' || draft.kind === 'share_within') && (
                <>
                  <Select label={t('metrics.editor.from')} data={dateOptions} value={draft.from} onChange={(v) => set({ from: v })} error={issueAt('measure.from')} />
                  <Select label={t('metrics.editor.to')} data={dateOptions} value={draft.to} onChange={(v) => set({ to: v })} error={issueAt('measure.to')} />
                </>
              )}
              {draft.kind === 'avg_duration' && (
                <Select
                  label={t('metrics.editor.durationIn')}
                  data={[
                    { value: 'days', label: t('metrics.units.days') },
                    { value: 'hours', label: t('metrics.units.hours') },
                  ]}
                  value={draft.durationIn}
                  onChange={(v) => set({ durationIn: v === 'hours' ? 'hours' : 'days' })}
                  allowDeselect={false}
                />
              )}
              {draft.kind === 'share_within' && (
                <Group gap="xs" align="flex-end" wrap="nowrap">
                  <NumberInput label={t('metrics.editor.limit')} value={draft.limitValue} onChange={(v) => set({ limitValue: typeof v === 'number' ? v : 1 })} min={1} w={120} error={issueAt('measure.limit')} />
                  <Select
                    aria-label={t('metrics.editor.limitUnit')}
                    data={[
                      { value: 'hours', label: t('metrics.units.hours') },
                      { value: 'days', label: t('metrics.units.days') },
                    ]}
                    value={draft.limitUnit}
                    onChange={(v) => set({ limitUnit: v === 'days' ? 'days' : 'hours' })}
                    allowDeselect={false}
                    w={120}
                  />
                </Group>
              )}
              <Select label={t('metrics.editor.activeUntil')} description={t('metrics.editor.activeUntilHelp')} data={dateOptions} value={draft.activeUntil} onChange={(v) => set({ activeUntil: v })} clearable error={issueAt('activeUntil')} />
            </SimpleGrid>
            {draft.kind === 'rate' && (
              <Stack gap={4} mt="md">
                <Text size="sm" fw={500}>
                  {t('metrics.editor.rateWhere')}
                </Text>
                <FilterRows rows={draft.where} dataset={dataset} onChange={(where) => set({ where })} issues={issueAt} prefix="measure.where" testId="editor-where" />
                {issueAt('measure.where') && (
                  <Text size="xs" c="red">
                    {issueAt('measure.where')}
                  </Text>
                )}
              </Stack>
            )}
            {(draft.kind === 'ratio' || draft.kind === 'change') && (
              <Textarea
                mt="md"
                label={t('metrics.editor.advanced')}
                description={t('metrics.editor.advancedHelp')}
                value={draft.advanced}
                onChange={(e) => set({ advanced: e.currentTarget.value })}
                autosize
                minRows={6}
                ff="monospace"
                styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 12 } }}
                error={issueAt('measure')}
              />
            )}
          </Card>
          <Card withBorder p="md">
            <Title order={2} fz="md" mb={4}>
              {t('metrics.editor.filters')}
            </Title>
            <Text size="xs" c="dimmed" mb="sm">
              {t('metrics.editor.filtersHelp')}
            </Text>
            <FilterRows rows={draft.filters} dataset={dataset} onChange={(filters) => set({ filters })} issues={issueAt} prefix="filters" testId="editor-filters" />
            <MultiSelect mt="md" label={t('metrics.editor.groupBy')} description={t('metrics.editor.groupByHelp')} data={groupOptions} value={draft.groupBy} onChange={(groupBy) => set({ groupBy })} searchable error={issueAt('groupBy')} />
          </Card>
          <Group>
            <Button leftSection={<IconDeviceFloppy size={16} />} onClick={submit} loading={save.isPending} disabled={!built.definition} data-testid="save-metric">
              {isNew ? t('metrics.editor.create') : t('metrics.editor.saveVersion')}
            </Button>
            <Button variant="default" component={Link} to={isNew ? '/metrics' : `/metrics/${initial.key}`}>
              {t('common.cancel')}
            </Button>
          </Group>
        </Stack>
      </Grid.Col>
      <Grid.Col span={{ base: 12, lg: 6 }}>
        <Stack gap="md" pos="sticky" top={80}>
          <Group justify="space-between">
            <Title order={2} fz="md">
              {t('metrics.editor.preview')}
            </Title>
            {(pending || preview.isFetching) && (
              <Text size="xs" c="dimmed">
                {t('metrics.editor.updating')}
              </Text>
            )}
          </Group>
          <Group gap="sm" align="flex-end" wrap="wrap">
            <PeriodPicker value={period} onChange={setPeriod} />
            <Select
              aria-label={t('metrics.groupByLabel')}
              placeholder={t('metrics.noGrouping')}
              data={groupOptions.filter((o) => draft.groupBy.includes(o.value))}
              value={groupForPreview}
              onChange={setPreviewGroup}
              clearable
              w={180}
            />
          </Group>
          {issues.length > 0 && (
            <Alert color="orange" icon={<IconAlertTriangle />} title={t('metrics.editor.issues', { count: issues.length })} data-testid="definition-issues">
              <Stack gap={2}>
                {issues.map((issue, index) => (
                  <Text key={index} size="sm">
                    <Text span ff="monospace" size="xs">
                      {issue.path || '—'}
                    </Text>{' '}
                    {issue.message}
                  </Text>
                ))}
              </Stack>
            </Alert>
          )}
          {!previewInput ? null : preview.isPending ? (
            <EvaluationSkeleton />
          ) : preview.isError ? (
            issuesOf(preview.error).length > 0 ? null : <ErrorState error={preview.error} onRetry={() => void preview.refetch()} />
          ) : (
            <div data-testid="metric-preview">
              <EvaluationTable evaluation={preview.data} busy={preview.isPlaceholderData || pending} onExplain={setExplaining} />
            </div>
          )}
          {save.isError && saveIssues.length === 0 && (
            <Text size="sm" c="red">
              {errorMessage(save.error)}
            </Text>
          )}
        </Stack>
        {previewInput && previewDefinition && (
          <ExplainDrawer input={previewInput} definition={previewDefinition} group={explaining} unit={previewDefinition.unit} onClose={() => setExplaining(null)} />
        )}
      </Grid.Col>
    </Grid>
  );
}

export function MetricEditorPage() {
  const { t } = useTranslation();
  const { key } = useParams();
  const [params] = useSearchParams();
  const from = params.get('from');
  const isNew = key === undefined;
  const source = useMetric(key ?? from);
  const datasets = useDatasets();
  const label = useLabel();

  let initial: MetricDefinition | null = null;
  if (key === undefined && from === null) initial = BLANK;
  else if (source.data?.versions[0]) {
    const latest = source.data.versions[0].definition;
    initial = isNew ? { ...latest, key: `${latest.key}_custom`.slice(0, 60), name: { en: `${latest.name.en} (copy)`, de: `${latest.name.de} (Kopie)` } } : latest;
  }

  return (
    <Stack gap="lg">
      <Breadcrumbs>
        <Anchor component={Link} to="/metrics" size="sm">
          {t('nav.metrics')}
        </Anchor>
        {!isNew && initial && (
          <Anchor component={Link} to={`/metrics/${initial.key}`} size="sm">
            {label(initial.name)}
          </Anchor>
        )}
        <Text size="sm">{isNew ? t('metrics.editor.newTitle') : t('metrics.editor.editTitle')}</Text>
      </Breadcrumbs>
      <PageHeader
        title={isNew ? t('metrics.editor.newTitle') : t('metrics.editor.editTitle')}
        description={t('metrics.editor.description')}
        icon={<IconChartHistogram size={24} stroke={1.6} />}
        mb={0}
      />
      {datasets.isError ? (
        <ErrorState error={datasets.error} onRetry={() => void datasets.refetch()} />
      ) : source.isError ? (
        <ErrorState error={source.error} onRetry={() => void source.refetch()} />
      ) : !datasets.data || !initial ? (
        <EvaluationSkeleton />
      ) : (
        <Editor key={`${key ?? ''}-${from ?? ''}`} initial={initial} isNew={isNew} datasets={datasets.data} />
      )}
    </Stack>
  );
}
