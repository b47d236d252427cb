import {
  Alert,
  Anchor,
  Badge,
  Breadcrumbs,
  Button,
  Card,
  FileInput,
  Group,
  Progress,
  Radio,
  Select,
  SimpleGrid,
  Stack,
  Stepper,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { IconAlertTriangle, IconCheck, IconDownload, IconFileImport, IconFileTypeCsv, IconUpload } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import {
  importErrorsUrl,
  isImportRunning,
  useDatasets,
  useImportJob,
  useMappings,
  useSaveMapping,
  useStartImport,
  useSuggestMapping,
  type Dataset,
  type ImportJob,
  type ImportMapping,
  type ImportMode,
} from '../../api/data-queries';
import { useSession } from '../../auth/session';
import { DataTable } from '../../components/data-table';
import { PageHeader } from '../../components/page-header';
import { ErrorState, TableSkeleton } from '../../components/query-state';
import { useFormat } from '../../i18n/format';
import { readCsvHead, type CsvHead } from '../../lib/csv-head';
import { useErrorMessage } from '../../lib/use-error-message';
import { useNotify } from '../../lib/use-notify';
import { useLabel, useValueFormat } from '../../lib/value-format';
import { importProgress, ImportStatusBadge } from './import-history';

// The mapping options of src/core/data/mapping.ts (kept here: values.ts pulls in decimal.js).
const DATE_FORMATS = ['YYYY-MM-DD', 'DD.MM.YYYY', 'MM/DD/YYYY', 'DD/MM/YYYY', 'YYYY/MM/DD'] as const;
const DECIMAL_SEPARATORS = ['.', ','] as const;
const THOUSANDS_SEPARATORS = ['', ',', '.', ' ', "'"] as const;
const IGNORE = '__ignore__';
const SUGGESTED = '__suggested__';

type Step = 0 | 1 | 2 | 3;

/** Which header feeds which field, as the mapping editor shows it: one field per header. */
function fieldOf(mapping: ImportMapping, header: string): string | null {
  return mapping.columns[header] ?? null;
}

function MappingEditor({
  dataset,
  head,
  mapping,
  onChange,
}: {
  dataset: Dataset;
  head: CsvHead;
  mapping: ImportMapping;
  onChange: (mapping: ImportMapping) => void;
}) {
  const { t } = useTranslation();
  const label = useLabel();
  const fieldOptions = [
    { value: IGNORE, label: t('data.import.ignore') },
    ...dataset.fields.map((f) => ({ value: f.key, label: `${label(f.label)}${f.required ? ' *' : ''}` })),
  ];
  const mappedFields = new Set(Object.entries(mapping.columns).filter(([header]) => head.headers.includes(header)).map(([, field]) => field));
  const missing = dataset.fields.filter((f) => f.required && !mappedFields.has(f.key));
  const setColumn = (header: string, field: string | null) => {
    const columns = { ...mapping.columns };
    if (!field || field === IGNORE) delete columns[header];
    else columns[header] = field;
    onChange({ ...mapping, columns });
  };

  return (
    <Stack gap="md">
      <SimpleGrid cols={{ base: 1, sm: 2, md: 4 }}>
        <Select
          label={t('data.import.extIdColumn')}
          description={t('data.import.extIdHelp')}
          data={head.headers}
          value={head.headers.includes(mapping.extIdColumn) ? mapping.extIdColumn : null}
          onChange={(value) => value && onChange({ ...mapping, extIdColumn: value })}
          allowDeselect={false}
          required
          error={head.headers.includes(mapping.extIdColumn) ? undefined : t('data.import.extIdMissing')}
        />
        <Select
          label={t('data.import.dateFormat')}
          data={[...DATE_FORMATS]}
          value={mapping.dateFormat ?? 'YYYY-MM-DD'}
          onChange={(value) => value && onChange({ ...mapping, dateFormat: value })}
          allowDeselect={false}
        />
        <Select
          label={t('data.import.decimalSeparator')}
          data={DECIMAL_SEPARATORS.map((s) => ({ value: s, label: s === '.' ? t('data.import.sep.dot') : t('data.import.sep.comma') }))}
          value={mapping.decimalSeparator ?? '.'}
          onChange={(value) => value && onChange({ ...mapping, decimalSeparator: value })}
          allowDeselect={false}
        />
        <Select
          label={t('data.import.thousandsSeparator')}
          data={THOUSANDS_SEPARATORS.map((s) => ({
            value: s === '' ? 'none' : s,
            label: s === '' ? t('data.import.sep.none') : s === ',' ? t('data.import.sep.comma') : s === '.' ? t('data.import.sep.dot') : s === ' ' ? t('data.import.sep.space') : t('data.import.sep.apostrophe'),
          }))}
          value={mapping.thousandsSeparator === '' || mapping.thousandsSeparator === undefined ? 'none' : mapping.thousandsSeparator}
          onChange={(value) => value && onChange({ ...mapping, thousandsSeparator: value === 'none' ? '' : value })}
          allowDeselect={false}
        />
      </SimpleGrid>
      <Select
        label={t('data.import.unknownOwner')}
        data={[
          { value: 'error', label: t('data.import.unknownOwnerError') },
          { value: 'import_without_owner', label: t('data.import.unknownOwnerKeep') },
        ]}
        value={mapping.unknownOwner ?? 'error'}
        onChange={(value) => onChange({ ...mapping, unknownOwner: value === 'import_without_owner' ? 'import_without_owner' : 'error' })}
        allowDeselect={false}
        maw={420}
      />
      {missing.length > 0 && (
        <Alert color="orange" variant="light" icon={<IconAlertTriangle />} data-testid="missing-required">
          {t('data.import.missingRequired', { fields: missing.map((f) => label(f.label)).join(', ') })}
        </Alert>
      )}
      <DataTable minWidth={720} aria-label={t('data.import.columns')}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('data.import.column')}</Table.Th>
            <Table.Th>{t('data.import.sample')}</Table.Th>
            <Table.Th w={300}>{t('data.import.field')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {head.headers.map((header, index) => (
            <Table.Tr key={header} data-testid="mapping-row">
              <Table.Td>
                <Text size="sm" fw={600}>
                  {header}
                </Text>
              </Table.Td>
              <Table.Td>
                <Text size="xs" c="dimmed" lineClamp={1}>
                  {head.rows
                    .slice(0, 3)
                    .map((row) => row[index] ?? '')
                    .filter(Boolean)
                    .join(' · ') || '—'}
                </Text>
              </Table.Td>
              <Table.Td>
                {header === mapping.extIdColumn && !mapping.columns[header] ? (
                  <Badge variant="light" color="gray">
                    {t('data.extId')}
                  </Badge>
                ) : (
                  <Select
                    size="xs"
                    aria-label={t('data.import.fieldFor', { column: header })}
                    data={fieldOptions}
                    value={fieldOf(mapping, header) ?? IGNORE}
                    onChange={(value) => setColumn(header, value)}
                    searchable
                    allowDeselect={false}
                  />
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </DataTable>
    </Stack>
  );
}

function Counts({ job, dry }: { job: ImportJob; dry: boolean }) {
  const { t } = useTranslation();
  const format = useFormat();
  const items = [
    { key: 'rows', label: t('data.import.rows'), value: job.totalRows, color: undefined },
    { key: 'inserted', label: dry ? t('data.import.wouldInsert') : t('data.import.inserted'), value: job.inserted, color: 'teal' },
    { key: 'updated', label: dry ? t('data.import.wouldUpdate') : t('data.import.updated'), value: job.updated, color: 'blue' },
    { key: 'unchanged', label: t('data.import.unchanged'), value: job.unchanged, color: 'gray' },
    { key: 'errors', label: t('data.import.errors'), value: job.errorCount, color: job.errorCount > 0 ? 'red' : 'gray' },
  ];
  return (
    <SimpleGrid cols={{ base: 2, sm: 5 }} spacing="sm">
      {items.map((item) => (
        <Card key={item.key} withBorder p="sm" data-testid={`count-${item.key}`}>
          <Text size="xs" c="dimmed">
            {item.label}
          </Text>
          <Text fw={700} fz="xl" {...(item.color ? { c: item.color } : {})}>
            {format.number(item.value)}
          </Text>
        </Card>
      ))}
    </SimpleGrid>
  );
}

function ErrorTable({ job }: { job: ImportJob }) {
  const { t } = useTranslation();
  const format = useFormat();
  if (job.errors.length === 0) return null;
  return (
    <Stack gap="xs">
      <Group justify="space-between">
        <Title order={3} fz="md">
          {t('data.import.errorTitle', { count: job.errorCount, n: format.number(job.errorCount) })}
        </Title>
        <Button component="a" href={importErrorsUrl(job.id)} download variant="light" color="red" size="xs" leftSection={<IconDownload size={14} />}>
          {t('data.import.downloadErrors')}
        </Button>
      </Group>
      <DataTable minWidth={640} aria-label={t('data.import.errors')}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th w={80}>{t('data.import.row')}</Table.Th>
            <Table.Th>{t('data.import.column')}</Table.Th>
            <Table.Th>{t('data.import.value')}</Table.Th>
            <Table.Th>{t('data.import.reason')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {job.errors.slice(0, 100).map((error, index) => (
            <Table.Tr key={`${error.row}-${error.column}-${index}`} data-testid="import-error">
              <Table.Td>{format.number(error.row)}</Table.Td>
              <Table.Td>
                <Text size="sm" fw={600}>
                  {error.column || '—'}
                </Text>
              </Table.Td>
              <Table.Td>
                <Text size="sm" ff="monospace" c="red">
                  {error.value || '∅'}
                </Text>
              </Table.Td>
              <Table.Td>
                <Text size="sm">{error.message}</Text>
                <Text size="xs" c="dimmed" ff="monospace">
                  {error.code}
                </Text>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </DataTable>
    </Stack>
  );
}

function PreviewTable({ dataset, job, head }: { dataset: Dataset; job: ImportJob; head: CsvHead | null }) {
  const { t } = useTranslation();
  const label = useLabel();
  const values = useValueFormat();
  const session = useSession();
  const preview = job.preview ?? [];
  // Row 2 is the first data row (the header is row 1).
  const sourceValue = (row: number, field: string): string => {
    const header = Object.entries(job.mapping.columns).find(([h, key]) => key === field && head?.headers.includes(h))?.[0];
    const index = header === undefined ? -1 : (head?.headers.indexOf(header) ?? -1);
    return (index >= 0 ? head?.rows[row - 2]?.[index] : undefined) || '—';
  };
  if (preview.length === 0) return null;
  const fields = dataset.fields.filter((f) => preview.some((p) => p.values[f.key] !== null && p.values[f.key] !== undefined)).slice(0, 8);
  return (
    <Stack gap="xs">
      <Title order={3} fz="md">
        {t('data.import.previewTitle')}
      </Title>
      <DataTable minWidth={1100} aria-label={t('data.import.previewTitle')}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th w={70}>{t('data.import.row')}</Table.Th>
            <Table.Th>{t('data.extId')}</Table.Th>
            {fields.map((f) => (
              <Table.Th key={f.key}>{label(f.label)}</Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {preview.slice(0, 20).map((row) => (
            <Table.Tr key={row.row} data-testid="preview-row">
              <Table.Td>{row.row}</Table.Td>
              <Table.Td ff="monospace">{row.extId}</Table.Td>
              {fields.map((f) => (
                <Table.Td key={f.key}>
                  <Text size="sm" lineClamp={1}>
                    {/* The preview names payees by id; the reference in the file is what the user recognises. */}
                    {f.type === 'payee' ? sourceValue(row.row, f.key) : values.field(dataset, f, { values: row.values, ownerName: null }, session.tenant.currency)}
                  </Text>
                </Table.Td>
              ))}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </DataTable>
    </Stack>
  );
}

function ImportProgress({ job }: { job: ImportJob }) {
  const { t } = useTranslation();
  const format = useFormat();
  const running = isImportRunning(job);
  return (
    <Card withBorder p="md" data-testid="import-progress">
      <Group justify="space-between" mb="xs">
        <Group gap="xs">
          <ImportStatusBadge job={job} />
          <Text size="sm" c="dimmed">
            {running
              ? job.status === 'writing'
                ? t('data.import.writing', { done: format.number(job.writtenRows), total: format.number(job.validRows) })
                : t('data.import.validating', { done: format.number(job.validatedRows) })
              : t('data.import.finished')}
          </Text>
        </Group>
        <Text size="sm" fw={600}>
          {Math.round(importProgress(job))} %
        </Text>
      </Group>
      <Progress value={importProgress(job)} animated={running} color={job.status === 'failed' ? 'red' : job.status === 'rejected' ? 'orange' : 'teal'} aria-label={t('data.import.progress')} />
    </Card>
  );
}

function ImportWizard({ dataset }: { dataset: Dataset }) {
  const { t } = useTranslation();
  const format = useFormat();
  const label = useLabel();
  const notify = useNotify();
  const errorMessage = useErrorMessage();
  const navigate = useNavigate();
  const mappings = useMappings(dataset.key);
  const suggest = useSuggestMapping();
  const saveMapping = useSaveMapping();
  const start = useStartImport();
  const [step, setStep] = useState<Step>(0);
  const [file, setFile] = useState<File | null>(null);
  const [head, setHead] = useState<CsvHead | null>(null);
  const [source, setSource] = useState<string>(SUGGESTED);
  const [suggested, setSuggested] = useState<ImportMapping | null>(null);
  const [mapping, setMapping] = useState<ImportMapping | null>(null);
  const [mappingName, setMappingName] = useState('');
  const [mode, setMode] = useState<ImportMode>('atomic');
  const [dryRunId, setDryRunId] = useState<string | null>(null);
  const [importId, setImportId] = useState<string | null>(null);
  const dryRun = useImportJob(dryRunId);
  const imported = useImportJob(importId);

  const choose = async (next: File | null) => {
    setFile(next);
    setHead(null);
    setMapping(null);
    setDryRunId(null);
    setImportId(null);
    if (!next) return;
    const parsed = await readCsvHead(next);
    setHead(parsed);
    if (parsed.headers.length === 0) return;
    suggest.mutate(
      { dataset: dataset.key, headers: parsed.headers, sample: parsed.rows.map((row) => row.slice(0, parsed.headers.length)) },
      {
        onSuccess: (suggestion) => {
          const base: ImportMapping = suggestion.mapping ?? { columns: {}, extIdColumn: suggestion.extIdColumn ?? parsed.headers[0] ?? '' };
          setSuggested(base);
          setMapping(base);
          setSource(suggestion.builtin ? `builtin:${suggestion.builtin}` : SUGGESTED);
          if (suggestion.builtin) {
            const builtin = mappings.data?.builtin.find((b) => b.name === suggestion.builtin);
            if (builtin) setMapping(builtin.mapping);
          }
        },
        onError: (error) => notify.error(error),
      },
    );
  };

  const pickSource = (value: string | null) => {
    if (!value) return;
    setSource(value);
    if (value === SUGGESTED) setMapping(suggested);
    else if (value.startsWith('builtin:')) setMapping(mappings.data?.builtin.find((b) => `builtin:${b.name}` === value)?.mapping ?? null);
    else setMapping(mappings.data?.items.find((m) => m.id === value)?.mapping ?? null);
    setDryRunId(null);
  };

  const run = (dry: boolean) => {
    if (!file || !mapping) return;
    start.mutate(
      { dataset: dataset.key, file, mapping: { ...mapping, delimiter: head?.delimiter ?? 'auto' }, dryRun: dry, mode },
      {
        onSuccess: (job) => {
          if (dry) {
            setDryRunId(job.id);
            setStep(2);
          } else {
            setImportId(job.id);
            setStep(3);
          }
        },
        onError: (error) => notify.error(error),
      },
    );
  };

  const sourceOptions = [
    { group: t('data.import.suggestedGroup'), items: [{ value: SUGGESTED, label: t('data.import.suggested') }] },
    ...(mappings.data?.builtin.length ? [{ group: t('data.import.builtinGroup'), items: mappings.data.builtin.map((b) => ({ value: `builtin:${b.name}`, label: b.label })) }] : []),
    ...(mappings.data?.items.length ? [{ group: t('data.import.savedGroup'), items: mappings.data.items.map((m) => ({ value: m.id, label: m.name })) }] : []),
  ];

  const preview = dryRun.data;
  const finished = imported.data && !isImportRunning(imported.data) ? imported.data : null;
  const previewDone = preview && !isImportRunning(preview) ? preview : null;

  return (
    <Stepper active={step} onStepClick={(next) => next < step && setStep(next as Step)} allowNextStepsSelect={false}>
      <Stepper.Step label={t('data.import.steps.file')} description={t('data.import.steps.fileText')}>
        <Stack gap="md" mt="md">
          <FileInput
            label={t('data.import.file')}
            description={t('data.import.fileHelp', { dataset: label(dataset.label) })}
            placeholder={t('data.import.filePlaceholder')}
            accept=".csv,text/csv"
            leftSection={<IconFileTypeCsv size={18} />}
            value={file}
            onChange={(next) => void choose(next)}
            clearable
            data-testid="import-file"
            maw={520}
          />
          {head && head.headers.length === 0 && <Alert color="red">{t('data.import.emptyFile')}</Alert>}
          {head && head.headers.length > 0 && (
            <Card withBorder p="md">
              <Group gap="xs" mb="xs">
                <Badge variant="light">{t('data.import.columnsFound', { count: head.headers.length, n: format.number(head.headers.length) })}</Badge>
                {suggest.data?.builtin && <Badge color="teal" variant="light">{t('data.import.recognised', { name: mappings.data?.builtin.find((b) => b.name === suggest.data.builtin)?.label ?? suggest.data.builtin })}</Badge>}
              </Group>
              <Text size="xs" c="dimmed" lineClamp={2}>
                {head.headers.join(' · ')}
              </Text>
            </Card>
          )}
          <Group>
            <Button onClick={() => setStep(1)} disabled={!mapping || suggest.isPending} loading={suggest.isPending}>
              {t('data.import.next')}
            </Button>
          </Group>
        </Stack>
      </Stepper.Step>

      <Stepper.Step label={t('data.import.steps.mapping')} description={t('data.import.steps.mappingText')}>
        {head && mapping && (
          <Stack gap="md" mt="md">
            <Group align="flex-end" gap="md" wrap="wrap">
              <Select label={t('data.import.mappingSource')} data={sourceOptions} value={source} onChange={pickSource} allowDeselect={false} w={320} data-testid="mapping-source" />
              <TextInput label={t('data.import.saveAs')} placeholder={t('data.import.saveAsPlaceholder')} value={mappingName} onChange={(e) => setMappingName(e.currentTarget.value)} w={240} />
              <Button
                variant="default"
                disabled={!mappingName.trim()}
                loading={saveMapping.isPending}
                onClick={() =>
                  saveMapping.mutate(
                    { dataset: dataset.key, name: mappingName.trim(), mapping },
                    { onSuccess: (saved) => { notify.success(t('data.import.mappingSaved', { name: saved.name })); setSource(saved.id); setMappingName(''); }, onError: (error) => notify.error(error) },
                  )
                }
              >
                {t('data.import.saveMapping')}
              </Button>
            </Group>
            <MappingEditor dataset={dataset} head={head} mapping={mapping} onChange={(next) => { setMapping(next); setDryRunId(null); }} />
            <Group>
              <Button variant="default" onClick={() => setStep(0)}>
                {t('data.import.back')}
              </Button>
              <Button onClick={() => run(true)} loading={start.isPending} leftSection={<IconFileImport size={16} />} disabled={!head.headers.includes(mapping.extIdColumn)}>
                {t('data.import.preview')}
              </Button>
            </Group>
          </Stack>
        )}
      </Stepper.Step>

      <Stepper.Step label={t('data.import.steps.preview')} description={t('data.import.steps.previewText')}>
        <Stack gap="md" mt="md">
          {dryRun.isError && <ErrorState error={dryRun.error} onRetry={() => void dryRun.refetch()} />}
          {preview && isImportRunning(preview) && <ImportProgress job={preview} />}
          {previewDone && (
            <>
              {previewDone.status === 'failed' ? (
                <Alert color="red" icon={<IconAlertTriangle />} title={t('data.import.failedTitle')}>
                  {previewDone.failure ?? t('errors.internal')}
                </Alert>
              ) : previewDone.errorCount === 0 ? (
                <Alert color="teal" icon={<IconCheck />} title={t('data.import.cleanTitle')} data-testid="preview-clean">
                  {t('data.import.cleanText', { count: previewDone.validRows, n: format.number(previewDone.validRows) })}
                </Alert>
              ) : (
                <Alert color="orange" icon={<IconAlertTriangle />} title={t('data.import.hasErrorsTitle', { count: previewDone.errorCount, n: format.number(previewDone.errorCount) })} data-testid="preview-errors">
                  {t('data.import.hasErrorsText', { valid: format.number(previewDone.validRows), total: format.number(previewDone.totalRows) })}
                </Alert>
              )}
              <Counts job={previewDone} dry />
              {previewDone.ignoredColumns.length > 0 && (
                <Text size="sm" c="dimmed">
                  {t('data.import.ignoredColumns', { columns: previewDone.ignoredColumns.join(', ') })}
                </Text>
              )}
              <ErrorTable job={previewDone} />
              <PreviewTable dataset={dataset} job={previewDone} head={head} />
              <Radio.Group
                label={t('data.import.modeLabel')}
                value={mode}
                onChange={(value) => setMode(value === 'valid_only' ? 'valid_only' : 'atomic')}
              >
                <Stack gap="xs" mt="xs">
                  <Radio value="atomic" label={t('data.import.mode.atomic')} description={t('data.import.modeHelp.atomic')} />
                  <Radio value="valid_only" label={t('data.import.mode.valid_only')} description={t('data.import.modeHelp.valid_only')} />
                </Stack>
              </Radio.Group>
              <Group>
                <Button variant="default" onClick={() => setStep(1)}>
                  {t('data.import.back')}
                </Button>
                <Button
                  onClick={() => run(false)}
                  loading={start.isPending}
                  leftSection={<IconUpload size={16} />}
                  disabled={previewDone.status === 'failed' || (previewDone.errorCount > 0 && mode === 'atomic') || previewDone.validRows === 0}
                >
                  {previewDone.errorCount > 0 && mode === 'valid_only' ? t('data.import.importValid', { count: previewDone.validRows, n: format.number(previewDone.validRows) }) : t('data.import.importAll', { count: previewDone.validRows, n: format.number(previewDone.validRows) })}
                </Button>
              </Group>
              {previewDone.errorCount > 0 && mode === 'atomic' && (
                <Text size="sm" c="dimmed">
                  {t('data.import.atomicBlocked')}
                </Text>
              )}
            </>
          )}
        </Stack>
      </Stepper.Step>

      <Stepper.Step label={t('data.import.steps.import')} description={t('data.import.steps.importText')}>
        <Stack gap="md" mt="md">
          {imported.isError && <ErrorState error={imported.error} onRetry={() => void imported.refetch()} />}
          {imported.data && <ImportProgress job={imported.data} />}
          {finished && (
            <>
              {finished.status === 'completed' ? (
                <Alert color="teal" icon={<IconCheck />} title={t('data.import.completedTitle')} data-testid="import-summary">
                  {t('data.import.completedText', { inserted: format.number(finished.inserted), updated: format.number(finished.updated), unchanged: format.number(finished.unchanged), errors: format.number(finished.errorCount) })}
                </Alert>
              ) : (
                <Alert color={finished.status === 'rejected' ? 'orange' : 'red'} icon={<IconAlertTriangle />} title={t(`data.import.status.${finished.status}`)} data-testid="import-summary">
                  {finished.failure ?? t('data.import.rejectedText')}
                </Alert>
              )}
              <Counts job={finished} dry={false} />
              {finished.errorCount > 0 && (
                <Anchor href={importErrorsUrl(finished.id)} download size="sm" data-testid="error-report">
                  <Group gap={4} component="span">
                    <IconDownload size={14} />
                    {t('data.import.downloadErrors')}
                  </Group>
                </Anchor>
              )}
              <Group>
                <Button component={Link} to={`/data/${dataset.key}`}>
                  {t('data.import.viewRecords')}
                </Button>
                <Button variant="default" onClick={() => void navigate(0)}>
                  {t('data.import.another')}
                </Button>
              </Group>
            </>
          )}
          {start.isError && <Text c="red">{errorMessage(start.error)}</Text>}
        </Stack>
      </Stepper.Step>
    </Stepper>
  );
}

export function ImportPage() {
  const { t } = useTranslation();
  const { dataset: key = '' } = useParams();
  const label = useLabel();
  const navigate = useNavigate();
  const datasets = useDatasets();
  const dataset = datasets.data?.find((d) => d.key === key);

  return (
    <Stack gap="lg">
      <Breadcrumbs>
        <Anchor component={Link} to="/data" size="sm">
          {t('nav.data')}
        </Anchor>
        {dataset && (
          <Anchor component={Link} to={`/data/${dataset.key}`} size="sm">
            {label(dataset.label)}
          </Anchor>
        )}
        <Text size="sm">{t('data.import.title')}</Text>
      </Breadcrumbs>
      <PageHeader
        title={t('data.import.title')}
        description={t('data.import.description')}
        icon={<IconFileImport size={24} stroke={1.6} />}
        mb={0}
        actions={
          datasets.data && (
            <Select
              aria-label={t('data.import.dataset')}
              data={datasets.data.map((d) => ({ value: d.key, label: label(d.label) }))}
              value={key}
              onChange={(value) => value && void navigate(`/data/${value}/import`)}
              allowDeselect={false}
              w={240}
              data-testid="import-dataset"
            />
          )
        }
      />
      {datasets.isPending ? (
        <TableSkeleton />
      ) : datasets.isError ? (
        <ErrorState error={datasets.error} onRetry={() => void datasets.refetch()} />
      ) : !dataset ? (
        <Alert color="red">{t('errors.not_found')}</Alert>
      ) : (
        <Card p="lg">
          <ImportWizard key={dataset.key} dataset={dataset} />
        </Card>
      )}
    </Stack>
  );
}
