import { ActionIcon, Alert, Anchor, Badge, Box, Button, Card, Checkbox, Collapse, Grid, Group, NumberInput, SegmentedControl, Select, Slider, Stack, Switch, Text, TextInput, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconChartLine, IconChecklist, IconPlugConnected, IconSend, IconTrophy } from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { useCheckIn, useCheckinHistory, useObjectives, type CheckinInput, type CheckinResult, type KeyResult, type Objective } from '../../api/okr-queries';
import { useTeams } from '../../api/queries';
import { useLiveData } from '../../api/use-live-data';
import { useCan, useSession } from '../../auth/session';
import { EmptyCard } from '../../components/empty-card';
import { PageHeader } from '../../components/page-header';
import { CardsSkeleton, ErrorState } from '../../components/query-state';
import { HistoryChart, Sparkline } from './okr-charts';
import { BAND_COLOR, CycleSelect, OkrTabs, PaceBadge, ScoreBadge, ScoreBar, useCycleParam, useKrFormat, useOkrError } from './okr-ui';

interface Row {
  include: boolean;
  value: number | string;
  done: boolean;
  checklistDone: boolean[];
  confidence: number;
  note: string;
  blockers: string;
}

const MANUAL_LINEAR = new Set(['number', 'percent', 'currency', 'guardrail']);

function initialRow(kr: KeyResult): Row {
  return {
    include: true,
    value: kr.current ?? '',
    done: kr.current !== null && kr.current >= 1,
    checklistDone: kr.checklist.map((item) => item.done),
    confidence: kr.lastCheckin?.confidence ?? 5,
    note: '',
    blockers: '',
  };
}

function KeyResultRow({ kr, cycle, row, onChange }: { kr: KeyResult; cycle: { start: string; end: string } | null; row: Row; onChange: (next: Row) => void }) {
  const { t } = useTranslation();
  const krFormat = useKrFormat();
  const history = useCheckinHistory(kr.id);
  const [showChart, setShowChart] = useState(false);
  const automatic = kr.valueSource === 'metric';
  const set = (patch: Partial<Row>) => onChange({ ...row, ...patch });

  return (
    <Box py="sm" style={{ borderTop: '1px solid var(--mantine-color-default-border)', opacity: row.include ? 1 : 0.55 }} data-testid="checkin-row">
      <Grid gap="md" align="flex-start">
        <Grid.Col span={{ base: 12, md: 4 }}>
          <Group gap="xs" wrap="nowrap" align="flex-start">
            <Checkbox mt={3} checked={row.include} onChange={(e) => set({ include: e.currentTarget.checked })} aria-label={t('okrs.checkin.include', { title: kr.title })} />
            <Box style={{ minWidth: 0, flex: 1 }}>
              <Text size="sm" fw={600} lineClamp={2}>
                {kr.title}
              </Text>
              <Group gap={6} mt={2} wrap="wrap">
                <Text size="xs" c="dimmed">
                  {krFormat.progress(kr)}
                </Text>
                {kr.hasValue && <PaceBadge status={kr.paceStatus} size="xs" />}
              </Group>
              <Group gap="xs" mt={6} wrap="nowrap">
                <Box style={{ flex: 1 }}>
                  <ScoreBar score={kr.score} band={kr.band} expected={kr.expectedProgress} size="sm" />
                </Box>
                <Sparkline values={history.data?.series.map((p) => p.value) ?? []} width={72} height={22} label={t('okrs.kr.sparkline', { title: kr.title })} color={`var(--mantine-color-${BAND_COLOR[kr.band]}-6)`} />
                <Tooltip label={t('okrs.checkin.showChart')}>
                  <ActionIcon variant={showChart ? 'light' : 'subtle'} size="sm" onClick={() => setShowChart((v) => !v)} aria-label={t('okrs.checkin.showChart')} aria-expanded={showChart}>
                    <IconChartLine size={14} />
                  </ActionIcon>
                </Tooltip>
              </Group>
            </Box>
          </Group>
        </Grid.Col>
        <Grid.Col span={{ base: 12, sm: 6, md: 3 }}>
          {automatic ? (
            <Stack gap={2}>
              <Text size="sm" fw={500}>
                {t('okrs.checkin.value')}
              </Text>
              <Group gap={6}>
                <Text fw={700}>{krFormat.value(kr.current, kr.unit)}</Text>
                <Badge size="xs" color="grape" variant="light" leftSection={<IconPlugConnected size={10} />}>
                  {t('okrs.checkin.automatic')}
                </Badge>
              </Group>
              <Text size="xs" c="dimmed">
                {t('okrs.checkin.automaticHelp')}
              </Text>
            </Stack>
          ) : kr.kind === 'milestone' ? (
            <Switch label={t('okrs.checkin.done')} checked={row.done} onChange={(e) => set({ done: e.currentTarget.checked })} mt="lg" disabled={!row.include} />
          ) : kr.kind === 'checklist' ? (
            <Stack gap={4}>
              <Text size="xs" c="dimmed">
                {t('okrs.checkin.checklist')}
              </Text>
              {kr.checklist.map((item, i) => (
                <Checkbox
                  key={item.title}
                  size="xs"
                  label={item.title}
                  checked={row.checklistDone[i] ?? false}
                  disabled={!row.include}
                  onChange={(e) => set({ checklistDone: row.checklistDone.map((d, j) => (j === i ? e.currentTarget.checked : d)) })}
                />
              ))}
            </Stack>
          ) : MANUAL_LINEAR.has(kr.kind) || kr.kind === 'metric' ? (
            <NumberInput
              label={t('okrs.checkin.value')}
              description={kr.target !== null ? t('okrs.checkin.target', { target: krFormat.value(kr.target, kr.unit) }) : undefined}
              value={row.value}
              onChange={(value) => set({ value })}
              thousandSeparator
              disabled={!row.include}
              data-testid="checkin-value"
              {...(kr.unit === 'percent' ? { suffix: ' %' } : {})}
            />
          ) : null}
        </Grid.Col>
        <Grid.Col span={{ base: 12, sm: 6, md: 2 }}>
          <Text size="xs" c="dimmed" mb={6}>
            {t('okrs.checkin.confidence')}
          </Text>
          <Slider
            min={1}
            max={10}
            step={1}
            value={row.confidence}
            onChange={(confidence) => set({ confidence })}
            disabled={!row.include}
            color={row.confidence >= 7 ? 'teal' : row.confidence >= 4 ? 'yellow' : 'red'}
            marks={[{ value: 1, label: '1' }, { value: 5, label: '5' }, { value: 10, label: '10' }]}
            label={(v) => t('okrs.checkin.confidenceOf', { value: v })}
            aria-label={t('okrs.checkin.confidence')}
            mb={0}
          />
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 3 }}>
          <Stack gap={6}>
            <TextInput size="xs" placeholder={t('okrs.checkin.notePlaceholder')} aria-label={t('okrs.checkin.note')} value={row.note} onChange={(e) => set({ note: e.currentTarget.value })} disabled={!row.include} />
            <TextInput size="xs" placeholder={t('okrs.checkin.blockersPlaceholder')} aria-label={t('okrs.checkin.blockers')} value={row.blockers} onChange={(e) => set({ blockers: e.currentTarget.value })} disabled={!row.include} />
          </Stack>
        </Grid.Col>
      </Grid>
      <Collapse expanded={showChart}>
        <Box mt="sm" px="md">
          {history.data && cycle ? <HistoryChart history={history.data} cycle={cycle} target={kr.target} unit={kr.unit} formatValue={krFormat.value} height={160} /> : null}
        </Box>
      </Collapse>
    </Box>
  );
}

function toInput(kr: KeyResult, row: Row): CheckinInput {
  const base = { keyResultId: kr.id, confidence: row.confidence, note: row.note.trim() || null, blockers: row.blockers.trim() || null };
  if (kr.valueSource === 'metric') return base;
  switch (kr.kind) {
    case 'milestone':
      return { ...base, done: row.done };
    case 'checklist':
      return { ...base, checklistDone: row.checklistDone };
    case 'metric':
    case 'number':
    case 'percent':
    case 'currency':
    case 'guardrail':
      return { ...base, value: row.value === '' ? null : Number(row.value) };
    default: {
      const unreachable: never = kr.kind;
      throw new Error(`unknown kind ${String(unreachable)}`);
    }
  }
}

type Scope = 'mine' | 'team' | 'objective';

/** The weekly check-in: every key result of the caller (or of a team or one objective) in one form. */
export function CheckInPage() {
  const { t } = useTranslation();
  const session = useSession();
  const can = useCan();
  const [params, setParams] = useSearchParams();
  const { items: cycles, cycleId, cycle, setCycle, currentCycleId } = useCycleParam();
  const teams = useTeams({ enabled: can('teams:read') });
  const objectiveParam = params.get('objective');
  const teamParam = params.get('team');
  const scope: Scope = objectiveParam ? 'objective' : teamParam ? 'team' : 'mine';
  const managed = (teams.data ?? []).filter((team) => team.managerUserId === session.user.id);
  const objectives = useObjectives(
    { cycleId: objectiveParam ? null : cycleId, teamId: scope === 'team' ? teamParam : null, ownerUserId: null, category: null, status: 'active', q: '', limit: 500, offset: 0 },
    { enabled: objectiveParam !== null || cycleId !== null },
  );
  const checkIn = useCheckIn();
  const reportError = useOkrError();
  const [rows, setRows] = useState<Record<string, Row>>({});
  const [results, setResults] = useState<CheckinResult[] | null>(null);
  useLiveData();

  const shown: Objective[] = useMemo(() => {
    const all = objectives.data?.items ?? [];
    if (scope === 'objective') return all.filter((o) => o.id === objectiveParam);
    if (scope === 'team') return all;
    const managedIds = new Set(managed.map((team) => team.id));
    return all.filter(
      (o) =>
        (o.owner.kind === 'user' && o.owner.id === session.user.id) ||
        (o.owner.kind === 'team' && managedIds.has(o.owner.id)) ||
        o.contributors.some((c) => c.id === session.user.id) ||
        o.keyResults.some((kr) => kr.owner?.id === session.user.id),
    );
  }, [objectives.data, scope, objectiveParam, managed, session.user.id]);

  const rowOf = (kr: KeyResult): Row => rows[kr.id] ?? initialRow(kr);
  const included = shown.flatMap((o) => o.keyResults).filter((kr) => rowOf(kr).include);
  const activeCycle = scope === 'objective' ? (cycles.find((c) => c.id === shown[0]?.cycleId) ?? null) : cycle;

  const setScope = (next: string | null) => {
    const search = new URLSearchParams();
    if (cycleId) search.set('cycle', cycleId);
    if (next && next !== 'mine') search.set('team', next);
    setParams(search, { replace: true });
    setRows({});
    setResults(null);
  };

  const submit = async () => {
    try {
      const out = await checkIn.mutateAsync(included.map((kr) => toInput(kr, rowOf(kr))));
      setResults(out);
      setRows({});
      for (const result of out.filter((r) => r.celebrate)) {
        notifications.show({
          color: 'teal',
          icon: <IconTrophy size={18} />,
          title: t('okrs.checkin.celebrateTitle'),
          message: t('okrs.checkin.celebrateText', { title: result.keyResult.title }),
          withBorder: true,
          autoClose: 10_000,
        });
      }
    } catch (error) {
      reportError(error);
    }
  };

  return (
    <Stack gap={0}>
      <PageHeader
        title={t('okrs.checkin.title')}
        description={t('okrs.checkin.description')}
        icon={<IconChecklist size={24} stroke={1.6} />}
        mb={0}
        actions={scope !== 'objective' && <CycleSelect items={cycles} value={cycleId} onChange={setCycle} currentCycleId={currentCycleId} />}
      />
      <OkrTabs />
      {scope === 'objective' ? (
        <Group mb="md" gap="xs">
          <Text size="sm" c="dimmed">
            {t('okrs.checkin.forObjective')}
          </Text>
          {shown[0] && (
            <Anchor component={Link} to={`/okrs/objectives/${shown[0].id}`} size="sm" fw={600}>
              {shown[0].title}
            </Anchor>
          )}
          <Button variant="subtle" size="compact-sm" onClick={() => setScope('mine')}>
            {t('okrs.checkin.allMine')}
          </Button>
        </Group>
      ) : (
        <Group mb="md" gap="sm" wrap="wrap">
          <SegmentedControl
            value={scope}
            onChange={(value) => setScope(value === 'team' ? (managed[0]?.id ?? teams.data?.[0]?.id ?? null) : 'mine')}
            data={[
              { value: 'mine', label: t('okrs.checkin.mine') },
              { value: 'team', label: t('okrs.checkin.team') },
            ]}
          />
          {scope === 'team' && (
            <Select
              aria-label={t('okrs.fields.team')}
              data={(teams.data ?? []).map((team) => ({ value: team.id, label: team.name }))}
              value={teamParam}
              onChange={(value) => value && setScope(value)}
              searchable
              allowDeselect={false}
              w={240}
            />
          )}
        </Group>
      )}
      {results && (
        <Alert variant="light" color="teal" icon={<IconSend />} title={t('okrs.checkin.savedTitle', { count: results.length })} mb="md" withCloseButton onClose={() => setResults(null)} data-testid="checkin-saved">
          <Stack gap={4}>
            {[...new Map(results.map((r) => [r.objective.id, r])).values()].map((r) => (
              <Group key={r.objective.id} gap="xs">
                <ScoreBadge score={r.objective.score} band={r.objective.band} size="sm" />
                <Anchor component={Link} to={`/okrs/objectives/${r.objective.id}`} size="sm">
                  {shown.find((o) => o.id === r.objective.id)?.title ?? r.keyResult.title}
                </Anchor>
                {results.some((x) => x.objective.id === r.objective.id && x.celebrate) && (
                  <Badge color="teal" leftSection={<IconTrophy size={12} />} size="sm" variant="light">
                    {t('okrs.kr.targetReached')}
                  </Badge>
                )}
              </Group>
            ))}
          </Stack>
        </Alert>
      )}
      {objectives.isPending ? (
        <CardsSkeleton count={2} height={200} />
      ) : objectives.isError ? (
        <ErrorState error={objectives.error} onRetry={() => void objectives.refetch()} />
      ) : shown.length === 0 ? (
        <EmptyCard
          icon={<IconChecklist />}
          title={t('okrs.checkin.emptyTitle')}
          description={t('okrs.checkin.emptyText')}
          action={
            <Button component={Link} to="/okrs/objectives" variant="default">
              {t('okrs.checkin.browse')}
            </Button>
          }
        />
      ) : (
        <Stack gap="md">
          {shown.map((objective) => (
            <Card key={objective.id} data-testid="checkin-objective">
              <Group justify="space-between" wrap="nowrap" mb="xs">
                <Group gap="sm" wrap="nowrap" style={{ minWidth: 0 }}>
                  <ScoreBadge score={objective.score} band={objective.band} />
                  <Box style={{ minWidth: 0 }}>
                    <Anchor component={Link} to={`/okrs/objectives/${objective.id}`} fw={700} lineClamp={1}>
                      {objective.title}
                    </Anchor>
                    <Text size="xs" c="dimmed">
                      {objective.owner.name} · {t(`okrs.commitment.${objective.commitment}`)}
                    </Text>
                  </Box>
                </Group>
                <PaceBadge status={objective.paceStatus} />
              </Group>
              {objective.keyResults.map((kr) => (
                <KeyResultRow key={kr.id} kr={kr} cycle={activeCycle} row={rowOf(kr)} onChange={(next) => setRows((prev) => ({ ...prev, [kr.id]: next }))} />
              ))}
            </Card>
          ))}
          <Card
            p="sm"
            style={{ position: 'sticky', bottom: 'var(--mantine-spacing-md)', zIndex: 5, boxShadow: 'var(--mantine-shadow-md)' }}
          >
            <Group justify="space-between" wrap="wrap">
              <Text size="sm" c="dimmed">
                {t('okrs.checkin.summary', { count: included.length })}
              </Text>
              <Button leftSection={<IconSend size={16} />} onClick={() => void submit()} loading={checkIn.isPending} disabled={included.length === 0 || !can('okrs:write')} data-testid="checkin-submit">
                {t('okrs.checkin.submit', { count: included.length })}
              </Button>
            </Group>
          </Card>
        </Stack>
      )}
    </Stack>
  );
}
