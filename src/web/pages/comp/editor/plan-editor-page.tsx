import {
  Alert, Anchor, Badge, Box, Breadcrumbs, Button, Card, Code, CopyButton, Grid, Group, Menu, ScrollArea, SegmentedControl, Select, SimpleGrid, Stack, Switch, Tabs, Text, Textarea, TextInput, Title, Tooltip, UnstyledButton,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconAlertTriangle, IconCheck, IconChevronDown, IconCircleCheck, IconCopy, IconDeviceFloppy, IconFileInvoice, IconPlus } from '@tabler/icons-react';
import { useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { parseCompPlan, type CompPlan } from '../../../../core/comp/plan';
import { CompPlanDocument } from '../../../../core/comp/plan-document';
import { isApiError } from '../../../api/client';
import { useCreatePlanVersion, usePlanVersions, type PlanVersion } from '../../../api/comp-queries';
import { useReplacePlanVersion } from '../../../api/comp-editor-queries';
import { PageHeader } from '../../../components/page-header';
import { ErrorState, TableSkeleton } from '../../../components/query-state';
import { useFormat } from '../../../i18n/format';
import { currencyOptions } from '../../../lib/currencies';
import { useNotify } from '../../../lib/use-notify';
import { ComponentCard, CreditBaseEditor, KIND_COLOR } from './component-card';
import { blankDraft, COMPONENT_KINDS, documentYaml, draftFromDocument, draftToDocument, newComponent, nextComponentId, type ComponentKind, type Draft, type DraftComponent } from './draft';
import { issueLookup, useIssueText, type EditorIssue } from './issues';
import { ModeComparison, PayoutLines, SampleEditor } from './preview-panel';
import { defaultSample, runPreview, type PreviewResult, type SampleInput } from './preview-model';

const VALIDATE_DELAY_MS = 250;

/** How saving works for this page: a new plan, a correction in place, or the next version. */
type SaveMode = { kind: 'create' } | { kind: 'correct'; version: number } | { kind: 'next'; from: number; version: number; paidOut: boolean };

const todayIso = () => new Date().toISOString().slice(0, 10);
/** The first day of next month: the natural effective date of a new version. */
function nextMonthStart(today: string): string {
  const [y, m] = today.split('-').map(Number);
  const year = (y ?? 2026) + ((m ?? 1) === 12 ? 1 : 0);
  const month = ((m ?? 1) % 12) + 1;
  return `${year}-${String(month).padStart(2, '0')}-01`;
}

function Editor({ initial, mode: initialMode, versions }: { initial: Draft; mode: SaveMode; versions: PlanVersion[] }) {
  const { t } = useTranslation();
  const format = useFormat();
  const notify = useNotify();
  const navigate = useNavigate();
  const issueText = useIssueText();
  const create = useCreatePlanVersion();
  const replace = useReplacePlanVersion();
  const [draft, setDraft] = useState<Draft>(initial);
  const [mode, setMode] = useState<SaveMode>(initialMode);
  const [tab, setTab] = useState<string>('form');
  const [sample, setSample] = useState<SampleInput>(defaultSample);
  const [serverIssues, setServerIssues] = useState<EditorIssue[]>([]);
  const [saveError, setSaveError] = useState<string | null>(null);

  const update = (patch: Partial<Draft>) => {
    setDraft((d) => ({ ...d, ...patch }));
    setServerIssues([]);
    setSaveError(null);
  };
  const setComponents = (components: DraftComponent[]) => update({ components });

  // Live validation: the real parser on the debounced document.
  const document = useMemo(() => draftToDocument(draft), [draft]);
  const [validated] = useDebouncedValue(document, VALIDATE_DELAY_MS);
  const pending = validated !== document;
  const parsed = useMemo(() => parseCompPlan(validated), [validated]);
  const lastValid = useRef<CompPlan | null>(null);
  if (parsed.ok) lastValid.current = parsed.plan;
  const plan = parsed.ok ? parsed.plan : lastValid.current;
  const issues: EditorIssue[] = [
    ...(parsed.ok ? parsed.warnings.map((w) => ({ ...w, severity: 'warning' as const })) : parsed.issues.map((i) => ({ ...i, severity: 'error' as const }))),
    ...serverIssues,
  ];
  const errors = issues.filter((i) => i.severity === 'error');
  const issueAt = useMemo(() => issueLookup(issues, issueText), [issues, issueText]);
  const yaml = useMemo(() => documentYaml(document), [document]);

  const preview = useMemo((): { result: PreviewResult | null; error: string | null } => {
    if (!plan) return { result: null, error: null };
    try {
      return { result: runPreview(plan, sample), error: null };
    } catch (e) {
      return { result: null, error: e instanceof Error ? e.message : String(e) };
    }
  }, [plan, sample]);

  const where = (path: string): { label: string; index: number | null } => {
    const match = /^components\.(\d+)(?:\.(.*))?$/.exec(path);
    if (!match) return { label: path || t('compEditor.summary.plan'), index: null };
    const index = Number(match[1]);
    const c = draft.components[index];
    const name = c ? `${index + 1} · ${c.id || t(`compEditor.kinds.${c.kind}`)}` : String(index + 1);
    return { label: match[2] ? `${name} › ${match[2]}` : name, index };
  };
  const jumpTo = (index: number | null) => {
    setTab('form');
    window.setTimeout(() => window.document.getElementById(index === null ? 'plan-basics' : `component-${index}`)?.scrollIntoView({ behavior: 'smooth', block: 'start' }), 50);
  };

  const addComponent = (kind: ComponentKind) => {
    setComponents([...draft.components, newComponent(kind, nextComponentId(kind, draft.components.map((c) => c.id)))]);
    window.setTimeout(() => window.document.getElementById(`component-${draft.components.length}`)?.scrollIntoView({ behavior: 'smooth', block: 'start' }), 50);
  };
  const moveComponent = (index: number, delta: -1 | 1) => {
    const next = [...draft.components];
    const [moved] = next.splice(index, 1);
    if (moved) next.splice(index + delta, 0, moved);
    setComponents(next);
  };

  const planVersions = versions.filter((v) => v.planId === draft.id.trim());
  const nextVersion = Math.max(0, ...planVersions.map((v) => v.version)) + 1;
  const canSave = parsed.ok && !pending && errors.length === 0 && !create.isPending && !replace.isPending;

  const save = () => {
    if (!parsed.ok) return;
    const body = parsed.plan.document;
    const onSuccess = (saved: PlanVersion) => {
      notify.success(t('compEditor.save.saved', { plan: saved.name, version: saved.version }));
      void navigate('/compensation?tab=plans');
    };
    const onError = (error: unknown) => {
      if (isApiError(error) && error.issues.length > 0) {
        setServerIssues(error.issues.map((i) => ({ code: 'server', path: i.path, message: i.message, severity: 'error' })));
        setSaveError(error.message);
      } else {
        setSaveError(isApiError(error) ? error.message : String(error));
      }
    };
    if (mode.kind === 'correct') replace.mutate({ planId: body.id, version: mode.version, document: body }, { onSuccess, onError });
    else create.mutate(body, { onSuccess, onError });
  };

  const saveExplanation =
    mode.kind === 'create'
      ? t('compEditor.save.createHelp')
      : mode.kind === 'correct'
        ? t('compEditor.save.correctHelp', { version: mode.version })
        : mode.paidOut
          ? t('compEditor.save.paidOutHelp', { from: mode.from, version: mode.version, date: draft.effectiveFrom ? format.calendarDate(draft.effectiveFrom) : '…' })
          : t('compEditor.save.nextHelp', { from: mode.from, version: mode.version, date: draft.effectiveFrom ? format.calendarDate(draft.effectiveFrom) : '…' });

  const currencies = currencyOptions([draft.currency], format.currencyName);
  const payout = preview.result?.payout ?? null;

  return (
    <Grid gap="lg">
      <Grid.Col span={{ base: 12, lg: 8 }}>
        <Tabs value={tab} onChange={(v) => setTab(v ?? 'form')} keepMounted={false}>
          <Tabs.List mb="md">
            <Tabs.Tab value="form" data-testid="editor-tab-form">
              {t('compEditor.tabs.form')}
            </Tabs.Tab>
            <Tabs.Tab value="preview" data-testid="editor-tab-preview">
              {t('compEditor.tabs.preview')}
            </Tabs.Tab>
            <Tabs.Tab value="document" data-testid="editor-tab-document">
              {t('compEditor.tabs.document')}
            </Tabs.Tab>
          </Tabs.List>

          <Tabs.Panel value="form">
            <Stack gap="md">
              <Card withBorder p="md" radius="md" id="plan-basics">
                <Title order={2} fz="md" mb="sm">
                  {t('compEditor.basics.title')}
                </Title>
                <Stack gap="sm">
                  <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
                    <TextInput label={t('compEditor.basics.id')} description={t('compEditor.basics.idHelp')} value={draft.id} onChange={(e) => update({ id: e.currentTarget.value })} error={issueAt('id')} disabled={mode.kind !== 'create'} required data-testid="plan-id" />
                    <TextInput label={t('compEditor.basics.name')} value={draft.name} onChange={(e) => update({ name: e.currentTarget.value })} error={issueAt('name')} required data-testid="plan-name" />
                    <Select
                      label={t('compEditor.basics.currency')}
                      data={currencies}
                      value={draft.currency}
                      onChange={(v) => update({ currency: v ?? draft.currency })}
                      searchable
                      allowDeselect={false}
                      error={issueAt('currency')}
                      data-testid="plan-currency"
                    />
                    <Select
                      label={t('compEditor.basics.payeeKind')}
                      data={[
                        { value: 'employee', label: t('compEditor.basics.employee') },
                        { value: 'partner', label: t('compEditor.basics.partner') },
                      ]}
                      value={draft.payeeKind}
                      onChange={(v) => update({ payeeKind: v === 'partner' ? 'partner' : 'employee' })}
                      allowDeselect={false}
                    />
                    <TextInput type="date" label={t('compEditor.basics.effectiveFrom')} description={t('compEditor.basics.effectiveFromHelp')} value={draft.effectiveFrom} onChange={(e) => update({ effectiveFrom: e.currentTarget.value })} error={issueAt('effectiveFrom')} required data-testid="plan-effective-from" />
                    <TextInput type="date" label={t('compEditor.basics.effectiveTo')} description={t('compEditor.basics.effectiveToHelp')} value={draft.effectiveTo} onChange={(e) => update({ effectiveTo: e.currentTarget.value })} error={issueAt('effectiveTo')} />
                  </SimpleGrid>
                  <Textarea label={t('compEditor.basics.description')} value={draft.description} onChange={(e) => update({ description: e.currentTarget.value })} error={issueAt('description')} autosize minRows={2} />
                  <Text size="xs" c="dimmed">
                    {t('compEditor.basics.periodHelp')}
                  </Text>
                </Stack>
              </Card>

              <Group justify="space-between" mt="xs">
                <Title order={2} fz="lg">
                  {t('compEditor.components.title')}
                </Title>
                <Menu position="bottom-end" withinPortal>
                  <Menu.Target>
                    <Button leftSection={<IconPlus size={16} />} rightSection={<IconChevronDown size={14} />} variant="light" data-testid="add-component">
                      {t('compEditor.components.add')}
                    </Button>
                  </Menu.Target>
                  <Menu.Dropdown>
                    {COMPONENT_KINDS.map((kind) => (
                      <Menu.Item key={kind} onClick={() => addComponent(kind)} leftSection={<Badge size="xs" circle color={KIND_COLOR[kind]} variant="filled"> </Badge>} data-testid={`add-${kind}`}>
                        <Text size="sm" fw={500}>
                          {t(`compEditor.kinds.${kind}`)}
                        </Text>
                        <Text size="xs" c="dimmed" maw={320}>
                          {t(`compEditor.kindHelp.${kind}`)}
                        </Text>
                      </Menu.Item>
                    ))}
                  </Menu.Dropdown>
                </Menu>
              </Group>
              {issueAt('components') && (
                <Alert color="red" variant="light" icon={<IconAlertTriangle />}>
                  {issueAt('components')}
                </Alert>
              )}
              {draft.components.map((c, index) => (
                <ComponentCard
                  key={c.uid}
                  c={c}
                  index={index}
                  count={draft.components.length}
                  onChange={(next) => setComponents(draft.components.map((x, i) => (i === index ? next : x)))}
                  onMove={(delta) => moveComponent(index, delta)}
                  onRemove={() => setComponents(draft.components.filter((_, i) => i !== index))}
                  issueAt={issueAt}
                  errorCount={errors.filter((i) => i.path === `components.${index}` || i.path.startsWith(`components.${index}.`)).length}
                  currency={draft.currency}
                  others={draft.components.filter((_, i) => i !== index)}
                />
              ))}

              <Card withBorder p="md" radius="md">
                <Title order={2} fz="md" mb={4}>
                  {t('compEditor.planLevel.title')}
                </Title>
                <Text size="xs" c="dimmed" mb="sm">
                  {t('compEditor.planLevel.help')}
                </Text>
                <Stack gap="md">
                  <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
                    <TextInput label={t('compEditor.planLevel.cap', { currency: draft.currency })} description={t('compEditor.planLevel.capHelp')} value={draft.cap} onChange={(e) => update({ cap: e.currentTarget.value })} error={issueAt('cap')} />
                    <TextInput label={t('compEditor.planLevel.floor', { currency: draft.currency })} description={t('compEditor.planLevel.floorHelp')} value={draft.floor} onChange={(e) => update({ floor: e.currentTarget.value })} error={issueAt('floor')} />
                  </SimpleGrid>
                  <Switch label={t('compEditor.planLevel.prorate')} description={t('compEditor.planLevel.prorateHelp')} checked={draft.prorateAmounts} onChange={(e) => update({ prorateAmounts: e.currentTarget.checked })} />
                  <Stack gap={4}>
                    <Text size="sm" fw={600}>
                      {t('compEditor.planLevel.attainment')}
                    </Text>
                    <Text size="xs" c="dimmed">
                      {t('compEditor.planLevel.attainmentHelp')}
                    </Text>
                    <CreditBaseEditor base={draft.attainment} onChange={(attainment) => update({ attainment })} path="attainment" issueAt={issueAt} testId="plan-attainment" />
                  </Stack>
                </Stack>
              </Card>
            </Stack>
          </Tabs.Panel>

          <Tabs.Panel value="preview">
            {!plan ? (
              <Alert color="gray" icon={<IconAlertTriangle />}>
                {t('compEditor.preview.needsValidPlan')}
              </Alert>
            ) : (
              <Stack gap="md" data-testid="plan-preview" style={{ opacity: parsed.ok ? 1 : 0.6 }}>
                {!parsed.ok && (
                  <Alert color="orange" variant="light" icon={<IconAlertTriangle />}>
                    {t('compEditor.preview.stale')}
                  </Alert>
                )}
                <SampleEditor plan={plan} sample={sample} onChange={setSample} result={preview.result} />
                {preview.error && (
                  <Alert color="red" icon={<IconAlertTriangle />}>
                    {preview.error}
                  </Alert>
                )}
                {preview.result && <PayoutLines result={preview.result} currency={plan.currency} />}
                {preview.result?.comparisons.map((c) => <ModeComparison key={c.id} comparison={c} currency={plan.currency} quotaMinor={preview.result?.quotaMinor ?? null} />)}
                {preview.result && preview.result.comparisons.length === 0 && (
                  <Text size="sm" c="dimmed">
                    {t('compEditor.preview.noTiers')}
                  </Text>
                )}
              </Stack>
            )}
          </Tabs.Panel>

          <Tabs.Panel value="document">
            <Card withBorder p="md" radius="md">
              <Group justify="space-between" mb="sm">
                <Stack gap={0}>
                  <Title order={2} fz="md">
                    {t('compEditor.document.title')}
                  </Title>
                  <Text size="xs" c="dimmed">
                    {t('compEditor.document.help')}
                  </Text>
                </Stack>
                <CopyButton value={yaml} timeout={2000}>
                  {({ copied, copy }) => (
                    <Button size="xs" variant="light" color={copied ? 'teal' : 'blue'} leftSection={copied ? <IconCheck size={14} /> : <IconCopy size={14} />} onClick={copy} data-testid="copy-yaml">
                      {copied ? t('common.copied') : t('common.copy')}
                    </Button>
                  )}
                </CopyButton>
              </Group>
              <ScrollArea.Autosize mah={720}>
                <Code block data-testid="plan-yaml" style={{ fontSize: 12.5, whiteSpace: 'pre' }}>
                  {yaml}
                </Code>
              </ScrollArea.Autosize>
            </Card>
          </Tabs.Panel>
        </Tabs>
      </Grid.Col>

      <Grid.Col span={{ base: 12, lg: 4 }}>
        <Stack gap="md" pos="sticky" top={80}>
          <Card withBorder p="md" radius="md" data-testid="validation">
            <Group justify="space-between" mb="xs">
              <Title order={2} fz="md">
                {t('compEditor.summary.title')}
              </Title>
              {pending ? (
                <Badge color="gray" variant="light" data-testid="validation-status" data-state="pending">
                  {t('compEditor.summary.checking')}
                </Badge>
              ) : errors.length === 0 ? (
                <Badge color="teal" variant="light" leftSection={<IconCircleCheck size={12} />} data-testid="validation-status" data-state="valid">
                  {t('compEditor.summary.valid')}
                </Badge>
              ) : (
                <Badge color="red" variant="light" data-testid="validation-status" data-state="invalid">
                  {t('compEditor.summary.problems', { count: errors.length })}
                </Badge>
              )}
            </Group>
            {issues.length === 0 ? (
              <Text size="sm" c="dimmed">
                {t('compEditor.summary.validHelp')}
              </Text>
            ) : (
              <ScrollArea.Autosize mah={280}>
                <Stack gap={6} data-testid="issue-summary">
                  {issues.map((issue, i) => {
                    const at = where(issue.path);
                    return (
                      <UnstyledButton key={`${issue.path}-${i}`} onClick={() => jumpTo(at.index)} data-testid="issue">
                        <Group gap={8} wrap="nowrap" align="flex-start">
                          <Box pt={2} c={issue.severity === 'error' ? 'red' : 'orange'}>
                            <IconAlertTriangle size={14} />
                          </Box>
                          <Stack gap={0}>
                            <Text size="xs" ff="monospace" c="dimmed">
                              {at.label}
                            </Text>
                            <Text size="sm">{issueText(issue)}</Text>
                          </Stack>
                        </Group>
                      </UnstyledButton>
                    );
                  })}
                </Stack>
              </ScrollArea.Autosize>
            )}
          </Card>

          <Card withBorder p="md" radius="md">
            <Text size="xs" c="dimmed" tt="uppercase" fw={700} lts={0.4}>
              {t('compEditor.summary.sample')}
            </Text>
            {payout ? (
              <Group justify="space-between" align="baseline" mt={4}>
                <Text size="sm" c="dimmed">
                  {preview.result?.period.key}
                  {payout.attainment !== null ? ` · ${t('compEditor.preview.attainment', { value: format.number(Math.round(Number(payout.attainment) * 1000) / 10) })}` : ''}
                </Text>
                <Text fw={700} fz="lg" style={{ fontVariantNumeric: 'tabular-nums' }} data-testid="summary-total">
                  {format.money(payout.totalMinor, payout.currency)}
                </Text>
              </Group>
            ) : (
              <Text size="sm" c="dimmed" mt={4}>
                —
              </Text>
            )}
            <Anchor component="button" size="xs" onClick={() => setTab('preview')} mt={4}>
              {t('compEditor.summary.openPreview')}
            </Anchor>
          </Card>

          <Card withBorder p="md" radius="md" data-testid="save-card">
            <Stack gap="sm">
              {mode.kind !== 'create' && !(mode.kind === 'next' && mode.paidOut) && (
                <SegmentedControl
                  fullWidth
                  size="xs"
                  value={mode.kind}
                  onChange={(v) => {
                    const from = mode.kind === 'correct' ? mode.version : mode.from;
                    if (v === 'correct') {
                      setMode({ kind: 'correct', version: from });
                      update({ version: from });
                    } else {
                      setMode({ kind: 'next', from, version: nextVersion, paidOut: false });
                      update({ version: nextVersion });
                    }
                  }}
                  data={[
                    { value: 'correct', label: t('compEditor.save.correctOption', { version: mode.kind === 'correct' ? mode.version : mode.from }) },
                    { value: 'next', label: t('compEditor.save.nextOption', { version: nextVersion }) },
                  ]}
                  data-testid="save-mode"
                />
              )}
              {mode.kind === 'next' && mode.paidOut && (
                <Alert color="violet" variant="light" p="xs" icon={<IconFileInvoice size={16} />}>
                  <Text size="xs">{t('compEditor.save.paidOutBadge', { version: mode.from })}</Text>
                </Alert>
              )}
              <Text size="sm" data-testid="save-explanation">
                {saveExplanation}
              </Text>
              {saveError && (
                <Alert color="red" variant="light" icon={<IconAlertTriangle />} data-testid="save-error">
                  {saveError}
                </Alert>
              )}
              <Stack gap={6}>
                <Tooltip label={t('compEditor.save.disabled')} disabled={canSave || create.isPending || replace.isPending}>
                  <Button fullWidth leftSection={<IconDeviceFloppy size={16} />} onClick={save} disabled={!canSave} loading={create.isPending || replace.isPending} data-testid="save-plan">
                    {mode.kind === 'correct' ? t('compEditor.save.correct', { version: mode.version }) : t('compEditor.save.create', { version: draft.version })}
                  </Button>
                </Tooltip>
                <Button fullWidth variant="subtle" color="gray" component={Link} to="/compensation?tab=plans">
                  {t('common.cancel')}
                </Button>
              </Stack>
            </Stack>
          </Card>
        </Stack>
      </Grid.Col>
    </Grid>
  );
}

/** `/compensation/plans/new` and `/compensation/plans/:planId/edit?version=N`. */
export function PlanEditorPage() {
  const { t } = useTranslation();
  const { planId } = useParams();
  const [params] = useSearchParams();
  const versions = usePlanVersions();
  const isNew = planId === undefined;

  let content;
  if (versions.isPending) content = <TableSkeleton rows={6} />;
  else if (versions.isError) content = <ErrorState error={versions.error} onRetry={() => void versions.refetch()} />;
  else if (isNew) content = <Editor key="new" initial={blankDraft(todayIso())} mode={{ kind: 'create' }} versions={versions.data} />;
  else {
    const mine = versions.data.filter((v) => v.planId === planId).sort((a, b) => b.version - a.version);
    const wanted = Number(params.get('version') ?? mine[0]?.version ?? NaN);
    const source = mine.find((v) => v.version === wanted);
    const parsed = source ? CompPlanDocument.safeParse(source.document) : null;
    if (!source || !parsed?.success) {
      content = (
        <Alert color="red" icon={<IconAlertTriangle />} data-testid="editor-not-found">
          {t('compEditor.notFound', { plan: planId, version: Number.isFinite(wanted) ? wanted : '?' })}
        </Alert>
      );
    } else {
      const next = (mine[0]?.version ?? source.version) + 1;
      const draft = draftFromDocument(parsed.data);
      const mode: SaveMode = source.paidOut ? { kind: 'next', from: source.version, version: next, paidOut: true } : { kind: 'correct', version: source.version };
      const initial = source.paidOut ? { ...draft, version: next, effectiveFrom: [nextMonthStart(todayIso()), draft.effectiveFrom].sort().at(-1) ?? draft.effectiveFrom } : draft;
      content = <Editor key={`${planId}@${source.version}`} initial={initial} mode={mode} versions={versions.data} />;
    }
  }

  const title = isNew ? t('compEditor.newTitle') : t('compEditor.editTitle', { plan: planId ?? '' });
  return (
    <Stack gap="lg" data-testid="plan-editor">
      <Breadcrumbs>
        <Anchor component={Link} to="/compensation?tab=plans" size="sm">
          {t('nav.compensation')}
        </Anchor>
        <Text size="sm">{title}</Text>
      </Breadcrumbs>
      <PageHeader title={title} description={t('compEditor.description')} icon={<IconFileInvoice size={24} stroke={1.6} />} mb={0} actions={!isNew && params.get('version') ? <Badge variant="light" size="lg">v{params.get('version')}</Badge> : undefined} />
      {content}
    </Stack>
  );
}

