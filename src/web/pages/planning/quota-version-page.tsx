import {
  Alert, Anchor, Badge, Button, Card, FileButton, Group, Menu, Modal, SegmentedControl, Select, SimpleGrid, Stack, Switch, Table, Text, TextInput, Textarea, Tooltip,
} from '@mantine/core';
import {
  IconAlertTriangle, IconArrowsDiff, IconCalculator, IconCheck, IconDots, IconDownload, IconGitBranch, IconLock, IconUpload, IconWand,
} from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { isApiError } from '../../api/client';
import {
  quotaCsvUrl, useImportQuotas, useLockVersion, useOverrideQuotas, useQuotaDiff, useQuotaPlans, useQuotaVersion, useReviseVersion,
  type QuotaLine, type QuotaVersionDetail,
} from '../../api/planning-queries';
import { useCan } from '../../auth/session';
import { useConfirm } from '../../components/confirm-provider';
import { PageHeader } from '../../components/page-header';
import { ErrorState, TableSkeleton } from '../../components/query-state';
import { useFormat } from '../../i18n/format';
import { useNotify } from '../../lib/use-notify';
import { Money } from '../comp/comp-ui';
import { splitProportionally } from './money-input';
import { PlanningNav } from './planning-nav';
import { AllocateModal, usePeriodLabel, VersionBadge } from './planning-ui';
import { buildRows, cellKey, QuotaGrid, type CellEdit } from './quota-grid';

type PeriodView = 'quarters' | 'months';

/** The period keys of the version, split into year, quarters and months (fiscal order). */
function periodsOf(lines: readonly QuotaLine[]) {
  const all = [...new Set(lines.map((l) => l.period))].sort();
  return {
    year: all.find((p) => p.startsWith('FY')) ?? '',
    quarters: all.filter((p) => /-Q[1-4]$/.test(p)),
    months: all.filter((p) => /^\d{4}-\d{2}$/.test(p)),
  };
}

/**
 * Period cells are written through the CSV import (the override API changes yearly quotas):
 * a quarter spreads over its months in proportion to what they held, a month moves its quarter,
 * and the year follows both, so the node's year, quarters and months still reconcile.
 */
function periodEditsToCsv(edits: readonly CellEdit[], values: ReadonlyMap<string, { minor: number }>, periods: ReturnType<typeof periodsOf>): string {
  const working = new Map<string, number>();
  const get = (key: string) => working.get(key) ?? values.get(key)?.minor ?? 0;
  for (const edit of edits) {
    const quarterIndex = periods.quarters.indexOf(edit.period);
    const monthIndex = periods.months.indexOf(edit.period);
    const yearKey = cellKey(edit.rowKey, periods.year);
    if (quarterIndex >= 0) {
      const months = periods.months.slice(quarterIndex * 3, quarterIndex * 3 + 3).map((m) => cellKey(edit.rowKey, m));
      const delta = edit.minor - get(cellKey(edit.rowKey, edit.period));
      splitProportionally(edit.minor, months.map(get)).forEach((minor, i) => working.set(months[i] as string, minor));
      working.set(cellKey(edit.rowKey, edit.period), edit.minor);
      working.set(yearKey, get(yearKey) + delta);
    } else if (monthIndex >= 0) {
      const quarterKey = cellKey(edit.rowKey, periods.quarters[Math.floor(monthIndex / 3)] ?? '');
      const delta = edit.minor - get(cellKey(edit.rowKey, edit.period));
      working.set(cellKey(edit.rowKey, edit.period), edit.minor);
      working.set(quarterKey, get(quarterKey) + delta);
      working.set(yearKey, get(yearKey) + delta);
    }
  }
  const rows = [...working.entries()]
    .filter(([key, minor]) => values.get(key)?.minor !== minor)
    .map(([key, minor]) => {
      const [node = '', period = ''] = key.split('|');
      const [kind = '', id = ''] = node.split(':');
      return `${kind},${id},,${period},${minor}`;
    });
  return ['assignee_kind,assignee_id,assignee_name,period,quota_minor', ...rows].join('\n');
}

export function QuotaVersionPage() {
  const { versionId = '' } = useParams();
  const query = useQuotaVersion(versionId);
  return (
    <Stack gap={0}>
      {query.isPending ? (
        <>
          <PlanningNav active="quotas" />
          <TableSkeleton rows={10} columns={6} />
        </>
      ) : query.isError ? (
        <>
          <PlanningNav active="quotas" />
          <ErrorState error={query.error} onRetry={() => void query.refetch()} />
        </>
      ) : (
        <VersionView key={versionId} detail={query.data} />
      )}
    </Stack>
  );
}

function VersionView({ detail }: { detail: QuotaVersionDetail }) {
  const { t } = useTranslation();
  const format = useFormat();
  const notify = useNotify();
  const can = useCan();
  const confirm = useConfirm();
  const label = usePeriodLabel();
  const { plan, version, lines } = detail;
  const canManage = can('quotas:manage');
  const canAdjust = can('quotas:adjust');
  const [view, setView] = useState<PeriodView>('quarters');
  const [reason, setReason] = useState('');
  const [rebalance, setRebalance] = useState(false);
  const [pending, setPending] = useState<ReadonlyMap<string, number>>(new Map());
  const [savedAt, setSavedAt] = useState<{ count: number; at: string } | null>(null);
  const [modal, setModal] = useState<'allocate' | 'revise' | 'diff' | 'import' | null>(null);
  const override = useOverrideQuotas(version.id);
  const importer = useImportQuotas(version.id);
  const lock = useLockVersion();

  const periods = useMemo(() => periodsOf(lines), [lines]);
  const rows = useMemo(() => buildRows(lines, periods.year), [lines, periods.year]);
  const values = useMemo(() => new Map(lines.map((l) => [cellKey(`${l.assigneeKind}:${l.assigneeId}`, l.period), { minor: l.quotaMinor, isOverridden: l.isOverridden }])), [lines]);
  const names = useMemo(() => new Map(rows.map((r) => [r.key, r.name])), [rows]);
  const columns = [...(view === 'quarters' ? periods.quarters : periods.months), periods.year];
  const allocated = rows.filter((r) => r.childKeys.length === 0).reduce((sum, r) => sum + (pending.get(cellKey(r.key, periods.year)) ?? values.get(cellKey(r.key, periods.year))?.minor ?? 0), 0);
  const isFinanceView = detail.totalGapMinor !== null;
  const gap = allocated - plan.targetMinor;
  const overriddenCount = lines.filter((l) => l.period === periods.year && l.isOverridden).length;
  const parentGaps = (detail.gaps ?? []).filter((g) => g.parentId !== null && g.gapMinor !== 0);

  const isEditable = (period: string) => !version.isLocked && (period === periods.year ? canAdjust : canManage);

  const commitEdits = async (edits: CellEdit[]) => {
    const why = reason.trim() || t('planning.grid.defaultReason');
    setPending((prev) => new Map([...prev, ...edits.map((e) => [cellKey(e.rowKey, e.period), e.minor] as const)]));
    const yearly = edits.filter((e) => e.period === periods.year);
    const periodic = edits.filter((e) => e.period !== periods.year);
    try {
      if (yearly.length > 0) {
        const result = await override.mutateAsync({
          overrides: yearly.map((e) => {
            const [kind = 'rep', id = ''] = e.rowKey.split(':');
            return { assigneeKind: kind as 'rep' | 'team' | 'territory', assigneeId: id, quotaMinor: e.minor, reason: why };
          }),
          rebalance,
        });
        for (const warning of result.warnings) notify.error(new Error(warning.message), t('planning.grid.rebalanceWarning'));
      }
      if (periodic.length > 0) await importer.mutateAsync({ csv: periodEditsToCsv(periodic, values, periods), reason: why });
      setSavedAt({ count: edits.length, at: new Date().toISOString() });
    } catch (error) {
      setSavedAt(null);
      notify.error(error, t('planning.grid.saveFailed'));
    } finally {
      setPending((prev) => {
        const next = new Map(prev);
        for (const e of edits) next.delete(cellKey(e.rowKey, e.period));
        return next;
      });
    }
  };

  const onLock = () =>
    confirm({
      title: t('planning.lock.title', { version: version.version }),
      message: t('planning.lock.message'),
      confirmLabel: t('planning.lock.confirm'),
      onConfirm: () => lock.mutateAsync(version.id).then(() => notify.success(t('planning.lock.done'))),
    });

  return (
    <>
      <PageHeader
        title={plan.name}
        description={
          <Group gap="xs" component="span">
            <Anchor component={Link} to="/quotas" size="sm">{t('planning.nav.quotas')}</Anchor>
            <Text span size="sm" c="dimmed">/</Text>
            <Text span size="sm">{t('planning.version.label', { version: version.version })}</Text>
            <VersionBadge isLocked={version.isLocked} />
            <Text span size="sm" c="dimmed">
              {t(`planning.method.${version.method}`)} · {t(`planning.levels.${version.levels}`)} · {t('planning.version.effective', { from: format.calendarDate(version.effectiveFrom) })}
            </Text>
          </Group>
        }
        icon={<IconCalculator size={24} stroke={1.6} />}
        mb={0}
        actions={
          <>
            {canManage && !version.isLocked && (
              <Button leftSection={<IconLock size={16} />} color="violet" onClick={onLock} data-testid="lock-version">{t('planning.lock.action')}</Button>
            )}
            {canManage && (
              <Button variant="default" leftSection={<IconGitBranch size={16} />} onClick={() => setModal('revise')} data-testid="revise-version">{t('planning.revise.action')}</Button>
            )}
            <Menu position="bottom-end" withinPortal>
              <Menu.Target>
                <Button variant="default" px="xs" aria-label={t('planning.version.more')} data-testid="version-menu"><IconDots size={18} /></Button>
              </Menu.Target>
              <Menu.Dropdown>
                <Menu.Item component="a" href={quotaCsvUrl(version.id)} download leftSection={<IconDownload size={16} />} data-testid="export-csv">{t('planning.csv.export')}</Menu.Item>
                {canManage && !version.isLocked && <Menu.Item leftSection={<IconUpload size={16} />} onClick={() => setModal('import')} data-testid="import-csv">{t('planning.csv.import')}</Menu.Item>}
                {canManage && <Menu.Item leftSection={<IconArrowsDiff size={16} />} onClick={() => setModal('diff')} data-testid="diff-version">{t('planning.diff.action')}</Menu.Item>}
                {canManage && <Menu.Item leftSection={<IconWand size={16} />} onClick={() => setModal('allocate')}>{t('planning.allocate.again')}</Menu.Item>}
              </Menu.Dropdown>
            </Menu>
          </>
        }
      />
      <PlanningNav active="quotas" />
      <Stack gap="md">
        <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }} spacing="md">
          <Card withBorder padding="md">
            <Text size="xs" c="dimmed" tt="uppercase" fw={600}>{t('planning.stats.target')}</Text>
            <Money minor={plan.targetMinor} currency={plan.currency} fz="xl" fw={700} />
          </Card>
          <Card withBorder padding="md">
            <Text size="xs" c="dimmed" tt="uppercase" fw={600}>{t(isFinanceView ? 'planning.stats.allocated' : 'planning.stats.visible')}</Text>
            <Money minor={allocated} currency={plan.currency} fz="xl" fw={700} />
          </Card>
          <Card withBorder padding="md" data-testid="gap-card" style={isFinanceView && gap !== 0 ? { borderColor: 'var(--mantine-color-orange-5)' } : undefined}>
            <Text size="xs" c="dimmed" tt="uppercase" fw={600}>{t('planning.stats.gap')}</Text>
            {isFinanceView ? (
              <Group gap={8} align="center">
                <Text fz="xl" fw={700} c={gap === 0 ? 'teal' : 'orange'} style={{ fontVariantNumeric: 'tabular-nums' }} data-testid="target-gap" data-value={gap}>
                  {gap > 0 ? '+' : gap < 0 ? '−' : ''}{format.money(Math.abs(gap), plan.currency)}
                </Text>
                {gap === 0 ? <IconCheck size={18} color="var(--mantine-color-teal-6)" /> : <IconAlertTriangle size={18} color="var(--mantine-color-orange-6)" />}
              </Group>
            ) : (
              <Text fz="sm" c="dimmed">{t('planning.stats.gapHidden')}</Text>
            )}
            {isFinanceView && <Text size="xs" c="dimmed">{gap === 0 ? t('planning.stats.gapNone') : gap > 0 ? t('planning.stats.gapOver') : t('planning.stats.gapUnder')}</Text>}
          </Card>
          <Card withBorder padding="md">
            <Text size="xs" c="dimmed" tt="uppercase" fw={600}>{t('planning.stats.overrides')}</Text>
            <Text fz="xl" fw={700}>{format.number(overriddenCount)}</Text>
            <Text size="xs" c="dimmed">{t('planning.stats.rows', { count: rows.length })}</Text>
          </Card>
        </SimpleGrid>

        {parentGaps.length > 0 && (
          <Alert color="orange" variant="light" icon={<IconAlertTriangle size={18} />} title={t('planning.gaps.title', { count: parentGaps.length })} data-testid="parent-gaps">
            <Group gap="xs">
              {parentGaps.slice(0, 8).map((g) => (
                <Badge key={g.parentId} variant="outline" color={g.gapMinor > 0 ? 'orange' : 'red'} tt="none">
                  {names.get(g.parentId ?? '') ?? g.parentId}: {g.gapMinor > 0 ? '+' : '−'}{format.money(Math.abs(g.gapMinor), plan.currency)}
                </Badge>
              ))}
            </Group>
          </Alert>
        )}

        {version.isLocked ? (
          <Alert color="violet" variant="light" icon={<IconLock size={18} />} data-testid="locked-note">
            {t('planning.version.lockedNote', { date: version.lockedAt ? format.dateTime(version.lockedAt) : '' })}
          </Alert>
        ) : null}

        <Group justify="space-between" align="flex-end" wrap="wrap" gap="sm">
          <Group gap="sm" align="flex-end" wrap="wrap">
            <SegmentedControl
              value={view}
              onChange={(value) => setView(value as PeriodView)}
              data={[{ value: 'quarters', label: t('planning.grid.quarters') }, { value: 'months', label: t('planning.grid.months') }]}
              data-testid="period-view"
            />
            {!version.isLocked && canAdjust && (
              <>
                <TextInput
                  placeholder={t('planning.grid.reasonPlaceholder')}
                  aria-label={t('planning.grid.reason')}
                  value={reason}
                  onChange={(e) => setReason(e.currentTarget.value)}
                  w={320}
                  data-testid="edit-reason"
                />
                <Tooltip label={t('planning.grid.rebalanceHelp')} multiline w={260} withArrow>
                  <Switch label={t('planning.grid.rebalance')} checked={rebalance} onChange={(e) => setRebalance(e.currentTarget.checked)} />
                </Tooltip>
              </>
            )}
            {version.isLocked ? null : pending.size > 0 ? (
              <Text size="xs" c="blue" data-testid="save-status" data-state="saving">{t('planning.grid.saving')}</Text>
            ) : savedAt ? (
              <Text size="xs" c="teal" data-testid="save-status" data-state="saved">
                <IconCheck size={12} style={{ verticalAlign: -1 }} /> {t('planning.grid.saved', { count: savedAt.count, time: format.dateTime(savedAt.at) })}
              </Text>
            ) : null}
          </Group>
          <Text size="xs" c="dimmed">{version.isLocked || !canAdjust ? t('planning.grid.readOnlyHelp') : t(canManage ? 'planning.grid.help' : 'planning.grid.helpYearOnly')}</Text>
        </Group>

        {rows.length === 0 ? (
          <Card withBorder py="xl"><Text ta="center" c="dimmed">{t('planning.grid.empty')}</Text></Card>
        ) : (
          <QuotaGrid
            rows={rows}
            columns={columns}
            yearKey={periods.year}
            columnLabel={label}
            values={values}
            pending={pending}
            currency={plan.currency}
            targetMinor={isFinanceView ? plan.targetMinor : null}
            isEditable={isEditable}
            onCommit={(edits) => void commitEdits(edits)}
            onInvalid={(message) => notify.error(new Error(message), t('planning.grid.invalidTitle'))}
          />
        )}
        <Group gap="lg">
          <Group gap={6}><span style={{ width: 0, height: 0, borderStyle: 'solid', borderWidth: '0 8px 8px 0', borderColor: 'transparent var(--mantine-color-orange-6) transparent transparent' }} /><Text size="xs" c="dimmed">{t('planning.grid.legendOverridden')}</Text></Group>
          <Text size="xs" c="dimmed">{t('planning.grid.legendGap')}</Text>
        </Group>
      </Stack>

      <AllocateModal plan={plan} opened={modal === 'allocate'} onClose={() => setModal(null)} />
      {modal === 'revise' && <ReviseModal detail={detail} onClose={() => setModal(null)} />}
      {modal === 'diff' && <DiffModal detail={detail} names={names} onClose={() => setModal(null)} />}
      {modal === 'import' && <ImportModal versionId={version.id} onClose={() => setModal(null)} />}
    </>
  );
}

function ReviseModal({ detail, onClose }: { detail: QuotaVersionDetail; onClose: () => void }) {
  const { t } = useTranslation();
  const notify = useNotify();
  const navigate = useNavigate();
  const revise = useReviseVersion();
  const [effectiveFrom, setEffectiveFrom] = useState(detail.version.effectiveFrom);
  const [note, setNote] = useState('');
  return (
    <Modal opened onClose={onClose} title={t('planning.revise.title', { version: detail.version.version })}>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          revise.mutate(
            { versionId: detail.version.id, effectiveFrom, ...(note.trim() ? { note: note.trim() } : {}) },
            { onSuccess: (v) => { notify.success(t('planning.revise.done', { version: v.version })); onClose(); void navigate(`/quotas/versions/${v.id}`); }, onError: (e) => notify.error(e) },
          );
        }}
      >
        <Stack>
          <Text size="sm" c="dimmed">{t('planning.revise.intro')}</Text>
          <TextInput type="date" label={t('planning.allocate.effectiveFrom')} value={effectiveFrom} onChange={(e) => setEffectiveFrom(e.currentTarget.value)} required data-testid="revise-from" />
          <Textarea label={t('planning.allocate.note')} value={note} onChange={(e) => setNote(e.currentTarget.value)} autosize minRows={2} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>{t('common.cancel')}</Button>
            <Button type="submit" loading={revise.isPending} leftSection={<IconGitBranch size={16} />} data-testid="revise-submit">{t('planning.revise.submit')}</Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function DiffModal({ detail, names, onClose }: { detail: QuotaVersionDetail; names: ReadonlyMap<string, string>; onClose: () => void }) {
  const { t } = useTranslation();
  const format = useFormat();
  const label = usePeriodLabel();
  const plans = useQuotaPlans();
  const others = (plans.data?.find((p) => p.id === detail.plan.id)?.versions ?? []).filter((v) => v.id !== detail.version.id).sort((a, b) => b.version - a.version);
  const [against, setAgainst] = useState<string | null>(null);
  // By default the version just before this one.
  const chosen = against ?? (others.find((v) => v.version < detail.version.version) ?? others[0])?.id ?? null;
  const [yearOnly, setYearOnly] = useState(true);
  const diff = useQuotaDiff(detail.version.id, chosen);
  const currency = detail.plan.currency;
  const changes = (diff.data?.changes ?? []).filter((c) => !yearOnly || c.period.startsWith('FY'));
  return (
    <Modal opened onClose={onClose} title={t('planning.diff.title', { version: detail.version.version })} size="xl">
      <Stack>
        {others.length === 0 ? (
          <Text c="dimmed" size="sm">{t('planning.diff.none')}</Text>
        ) : (
          <>
            <Group align="flex-end">
              <Select
                label={t('planning.diff.against')}
                data={others.map((v) => ({ value: v.id, label: `${t('planning.version.label', { version: v.version })}${v.isLocked ? ` · ${t('planning.version.locked')}` : ''}` }))}
                value={chosen}
                onChange={setAgainst}
                allowDeselect={false}
              />
              <Switch label={t('planning.diff.yearOnly')} checked={yearOnly} onChange={(e) => setYearOnly(e.currentTarget.checked)} />
            </Group>
            {diff.isPending ? <TableSkeleton rows={4} columns={4} /> : diff.isError ? <ErrorState error={diff.error} /> : (
              <>
                <Group gap="lg">
                  <Badge variant="light">{t('planning.diff.changed', { count: diff.data.changed })}</Badge>
                  <Badge variant="light" color="teal">{t('planning.diff.added', { count: diff.data.added })}</Badge>
                  <Badge variant="light" color="red">{t('planning.diff.removed', { count: diff.data.removed })}</Badge>
                  <Text size="sm">{t('planning.diff.total')}: <Money minor={diff.data.totalDeltaMinor} currency={currency} /></Text>
                </Group>
                {changes.length === 0 ? <Text size="sm" c="dimmed">{t('planning.diff.noChanges')}</Text> : (
                  <Table.ScrollContainer minWidth={560} mah={420}>
                    <Table striped stickyHeader data-testid="diff-table">
                      <Table.Thead>
                        <Table.Tr>
                          <Table.Th>{t('planning.grid.assignee')}</Table.Th>
                          <Table.Th>{t('planning.diff.period')}</Table.Th>
                          <Table.Th ta="right">{t('planning.diff.before')}</Table.Th>
                          <Table.Th ta="right">{t('planning.diff.after')}</Table.Th>
                          <Table.Th ta="right">{t('planning.diff.delta')}</Table.Th>
                        </Table.Tr>
                      </Table.Thead>
                      <Table.Tbody>
                        {changes.slice(0, 300).map((c) => (
                          <Table.Tr key={c.key}>
                            <Table.Td>{names.get(`${c.assigneeKind}:${c.assigneeId}`) ?? c.assigneeId}</Table.Td>
                            <Table.Td>{label(c.period)}</Table.Td>
                            <Table.Td ta="right">{c.beforeMinor === null ? '—' : format.money(c.beforeMinor, currency)}</Table.Td>
                            <Table.Td ta="right">{c.afterMinor === null ? '—' : format.money(c.afterMinor, currency)}</Table.Td>
                            <Table.Td ta="right"><Money minor={c.deltaMinor} currency={currency} /></Table.Td>
                          </Table.Tr>
                        ))}
                      </Table.Tbody>
                    </Table>
                  </Table.ScrollContainer>
                )}
              </>
            )}
          </>
        )}
      </Stack>
    </Modal>
  );
}

interface RowIssue { row: number; column: string; message: string }

function ImportModal({ versionId, onClose }: { versionId: string; onClose: () => void }) {
  const { t } = useTranslation();
  const notify = useNotify();
  const importer = useImportQuotas(versionId);
  const [csv, setCsv] = useState('');
  const [reason, setReason] = useState('');
  const [issues, setIssues] = useState<RowIssue[]>([]);
  return (
    <Modal opened onClose={onClose} title={t('planning.csv.importTitle')} size="lg">
      <form
        onSubmit={(event) => {
          event.preventDefault();
          setIssues([]);
          importer.mutate(
            { csv, reason: reason.trim() || t('planning.csv.defaultReason') },
            {
              onSuccess: (r) => { notify.success(t('planning.csv.imported', { added: r.added, changed: r.changed, unchanged: r.unchanged })); onClose(); },
              onError: (error) => {
                const details = isApiError(error) && Array.isArray(error.details) ? (error.details as Partial<RowIssue>[]) : [];
                const rowIssues = details.filter((d): d is RowIssue => typeof d.row === 'number' && typeof d.column === 'string');
                if (rowIssues.length > 0) setIssues(rowIssues);
                else notify.error(error);
              },
            },
          );
        }}
      >
        <Stack>
          <Text size="sm" c="dimmed">{t('planning.csv.importIntro')}</Text>
          <Group>
            <FileButton accept=".csv,text/csv" onChange={(file) => { if (file) void file.text().then(setCsv); }}>
              {(props) => <Button variant="default" leftSection={<IconUpload size={16} />} {...props}>{t('planning.csv.chooseFile')}</Button>}
            </FileButton>
            <Anchor href={quotaCsvUrl(versionId)} download size="sm">{t('planning.csv.template')}</Anchor>
          </Group>
          <Textarea label={t('planning.csv.content')} value={csv} onChange={(e) => setCsv(e.currentTarget.value)} autosize minRows={5} maxRows={12} ff="monospace" required data-testid="import-text" />
          <TextInput label={t('planning.grid.reason')} value={reason} onChange={(e) => setReason(e.currentTarget.value)} placeholder={t('planning.csv.defaultReason')} />
          {issues.length > 0 && (
            <Alert color="red" variant="light" title={t('planning.csv.errors', { count: issues.length })} data-testid="import-errors">
              <Table>
                <Table.Thead>
                  <Table.Tr><Table.Th>{t('planning.csv.row')}</Table.Th><Table.Th>{t('planning.csv.column')}</Table.Th><Table.Th>{t('planning.csv.problem')}</Table.Th></Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {issues.slice(0, 50).map((issue, i) => (
                    <Table.Tr key={i}><Table.Td>{issue.row}</Table.Td><Table.Td><code>{issue.column}</code></Table.Td><Table.Td>{issue.message}</Table.Td></Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>{t('common.cancel')}</Button>
            <Button type="submit" loading={importer.isPending} leftSection={<IconUpload size={16} />} data-testid="import-submit">{t('planning.csv.importSubmit')}</Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}


