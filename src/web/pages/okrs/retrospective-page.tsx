import { Alert, Anchor, Badge, Box, Button, Card, Checkbox, Group, SegmentedControl, Select, SimpleGrid, Stack, Table, Text, Textarea, Title } from '@mantine/core';
import { IconArrowForwardUp, IconBulb, IconDeviceFloppy, IconFlag, IconRefresh } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useCarryOver, useRetrospective, useSaveLearnings, type OkrCycle, type Retrospective } from '../../api/okr-queries';
import { useTeams } from '../../api/queries';
import { useLiveData } from '../../api/use-live-data';
import { useCan, useSession } from '../../auth/session';
import { EmptyCard } from '../../components/empty-card';
import { PageHeader } from '../../components/page-header';
import { CardsSkeleton, ErrorState } from '../../components/query-state';
import { Timestamp } from '../../components/timestamp';
import { UserSelect } from '../../components/user-select';
import { useFormat } from '../../i18n/format';
import { useNotify } from '../../lib/use-notify';
import { CycleSelect, OkrTabs, ScoreBadge, ScoreBar, Stat, useScoreText, useCycleParam, useOkrError } from './okr-ui';

const VERDICT_COLOR = { met: 'teal', missed: 'orange', healthy: 'teal', low: 'red', too_easy: 'grape' } as const;

function Learnings({ retro }: { retro: Retrospective }) {
  const { t } = useTranslation();
  const can = useCan();
  const notify = useNotify();
  const reportError = useOkrError();
  const save = useSaveLearnings();
  const [text, setText] = useState(retro.learnings);
  useEffect(() => setText(retro.learnings), [retro.learnings]);
  const dirty = text !== retro.learnings;
  return (
    <Card>
      <Group justify="space-between" mb="xs">
        <Title order={2} fz="md">
          {t('okrs.retro.learnings')}
        </Title>
        {retro.learningsUpdatedAt && <Timestamp iso={retro.learningsUpdatedAt} size="xs" c="dimmed" />}
      </Group>
      {can('okrs:write') ? (
        <Stack gap="sm">
          <Textarea
            placeholder={t('okrs.retro.learningsPlaceholder')}
            aria-label={t('okrs.retro.learnings')}
            autosize
            minRows={4}
            value={text}
            onChange={(e) => setText(e.currentTarget.value)}
            data-testid="retro-learnings"
          />
          <Group justify="flex-end">
            <Button
              leftSection={<IconDeviceFloppy size={16} />}
              disabled={!dirty}
              loading={save.isPending}
              onClick={() =>
                save.mutate(
                  { cycleId: retro.cycle.id, owner: { kind: retro.owner.kind, id: retro.owner.id }, learnings: text },
                  { onSuccess: () => notify.success(t('okrs.retro.saved')), onError: reportError },
                )
              }
            >
              {t('common.save')}
            </Button>
          </Group>
        </Stack>
      ) : (
        <Text size="sm" style={{ whiteSpace: 'pre-wrap' }} {...(retro.learnings ? {} : { c: 'dimmed' })}>
          {retro.learnings || t('okrs.retro.noLearnings')}
        </Text>
      )}
    </Card>
  );
}

function RetroView({ retro, cycles }: { retro: Retrospective; cycles: OkrCycle[] }) {
  const { t } = useTranslation();
  // Two decimals: a committed 0.95 rounds to 1.0 at one, and would hide why it missed.
  const scoreText = useScoreText(2);
  const format = useFormat();
  const can = useCan();
  const notify = useNotify();
  const reportError = useOkrError();
  const navigate = useNavigate();
  const carry = useCarryOver();
  const unfinished = new Set(retro.summary.unfinishedKeyResultIds);
  const carried = new Set(retro.objectives.flatMap((o) => o.keyResults.filter((kr) => kr.carriedTo.length > 0).map((kr) => kr.id)));
  const [selected, setSelected] = useState<string[]>([]);
  // Unfinished work moves forward: into open cycles of the same kind that start after this one.
  const targets = cycles.filter((c) => c.status === 'open' && c.kind === retro.cycle.kind && c.start >= retro.cycle.end);
  const [toCycleId, setToCycleId] = useState<string | null>(targets.find((c) => c.id === retro.nextCycle?.id)?.id ?? targets[targets.length - 1]?.id ?? null);

  const carryOver = async () => {
    if (!toCycleId || selected.length === 0) return;
    try {
      const result = await carry.mutateAsync({ keyResultIds: selected, toCycleId });
      notify.success(t('okrs.retro.carried', { count: result.keyResultIds.length }));
      setSelected([]);
      const first = result.objectiveIds[0];
      if (result.objectiveIds.length === 1 && first) void navigate(`/okrs/objectives/${first}`);
    } catch (error) {
      reportError(error);
    }
  };

  return (
    <Stack gap="lg">
      <Card>
        <SimpleGrid cols={{ base: 2, sm: 5 }} spacing="lg">
          <Stat label={t('okrs.retro.average')} value={retro.objectives.length > 0 ? scoreText(retro.summary.averageScore) : '—'} />
          <Stat label={t('okrs.retro.committedMet')} value={retro.summary.committedMet} color="teal" />
          <Stat label={t('okrs.retro.committedMissed')} value={retro.summary.committedMissed} color={retro.summary.committedMissed > 0 ? 'orange' : undefined} />
          <Stat label={t('okrs.retro.aspirationalHealthy')} value={retro.summary.aspirationalHealthy} />
          <Stat label={t('okrs.retro.unfinished')} value={retro.summary.unfinishedKeyResultIds.length} />
        </SimpleGrid>
        <Text size="xs" c="dimmed" mt="md">
          {retro.final ? t('okrs.retro.final') : t('okrs.retro.provisional')}
        </Text>
      </Card>

      {retro.probablySandbagging && (
        <Alert variant="light" color="grape" icon={<IconBulb />} title={t('okrs.retro.sandbaggingTitle')} data-testid="sandbagging">
          {t('okrs.retro.sandbaggingText')}
        </Alert>
      )}

      {retro.objectives.length === 0 ? (
        <EmptyCard icon={<IconRefresh />} title={t('okrs.retro.emptyTitle', { owner: retro.owner.name, cycle: retro.cycle.key })} description={t('okrs.retro.emptyText')} order={3} />
      ) : (
        retro.objectives.map((objective) => (
          <Card key={objective.id} data-testid="retro-objective">
            <Group justify="space-between" align="flex-start" wrap="nowrap" mb="sm">
              <Group gap="sm" wrap="nowrap" style={{ minWidth: 0 }}>
                <ScoreBadge score={objective.score} band={objective.band} size="lg" digits={2} />
                <Box style={{ minWidth: 0 }}>
                  <Anchor component={Link} to={`/okrs/objectives/${objective.id}`} fw={700}>
                    {objective.title}
                  </Anchor>
                  <Group gap={6} mt={2}>
                    <Badge size="xs" variant="light" color={objective.commitment === 'committed' ? 'indigo' : 'violet'} leftSection={objective.commitment === 'committed' ? <IconFlag size={10} /> : <IconBulb size={10} />}>
                      {t(`okrs.commitment.${objective.commitment}`)}
                    </Badge>
                    <Text size="xs" c="dimmed">
                      {t(`okrs.expectation.help.${objective.commitment}`)}
                    </Text>
                  </Group>
                </Box>
              </Group>
              <Badge color={VERDICT_COLOR[objective.expectation.verdict]} variant="filled" data-testid="retro-verdict">
                {t(`okrs.expectation.${objective.expectation.verdict}`)}
              </Badge>
            </Group>
            <ExpectationBar score={objective.score} band={objective.band} commitment={objective.commitment} />
            {objective.selfAssessment ? (
              <Text size="sm" mt="sm" fs="italic">
                “{objective.selfAssessment}”
              </Text>
            ) : (
              objective.expectation.needsExplanation && (
                <Text size="sm" mt="sm" c="orange">
                  {t('okrs.expectation.explain')}
                </Text>
              )
            )}
            <Table mt="sm" verticalSpacing={6} fz="sm">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th w={36} />
                  <Table.Th>{t('okrs.fields.keyResult')}</Table.Th>
                  <Table.Th w={90}>{t('okrs.fields.score')}</Table.Th>
                  <Table.Th>{t('okrs.retro.reached')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {objective.keyResults.map((kr) => (
                  <Table.Tr key={kr.id}>
                    <Table.Td>
                      {retro.final && unfinished.has(kr.id) && !carried.has(kr.id) && can('okrs:write') && (
                        <Checkbox
                          size="xs"
                          aria-label={t('okrs.retro.select', { title: kr.title })}
                          checked={selected.includes(kr.id)}
                          onChange={(e) => {
                            const checked = e.currentTarget.checked;
                            setSelected((prev) => (checked ? [...prev, kr.id] : prev.filter((id) => id !== kr.id)));
                          }}
                        />
                      )}
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{kr.title}</Text>
                      {kr.carriedTo.map((c) => (
                        <Anchor key={c.keyResultId} component={Link} to={`/okrs/objectives/${c.objectiveId}`} size="xs" mr="xs">
                          <IconArrowForwardUp size={12} /> {t('okrs.retro.carriedTo', { cycle: c.cycleKey })}
                        </Anchor>
                      ))}
                    </Table.Td>
                    <Table.Td>
                      <ScoreBadge score={kr.score} band={kr.band} size="sm" digits={2} />
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" c="dimmed">
                        {kr.current === null ? '—' : format.number(kr.current)}
                        {kr.target !== null && ` / ${format.number(kr.target)}`}
                      </Text>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Card>
        ))
      )}

      {retro.final && retro.summary.unfinishedKeyResultIds.length > 0 && can('okrs:write') && (
        <Card data-testid="carry-over">
          <Title order={2} fz="md" mb={4}>
            {t('okrs.retro.carryTitle')}
          </Title>
          <Text size="sm" c="dimmed" mb="sm">
            {t('okrs.retro.carryText')}
          </Text>
          {targets.length === 0 ? (
            <Alert variant="light" color="gray" icon={<IconArrowForwardUp />}>
              {t('okrs.retro.noNextCycle')}
            </Alert>
          ) : (
            <Group gap="sm" align="flex-end" wrap="wrap">
              <Select label={t('okrs.retro.toCycle')} data={targets.map((c) => ({ value: c.id, label: c.key }))} value={toCycleId} onChange={setToCycleId} w={200} allowDeselect={false} />
              <Button
                variant="default"
                onClick={() => setSelected(retro.summary.unfinishedKeyResultIds.filter((id) => !carried.has(id)))}
                disabled={retro.summary.unfinishedKeyResultIds.every((id) => carried.has(id))}
              >
                {t('okrs.retro.selectAll')}
              </Button>
              <Button leftSection={<IconArrowForwardUp size={16} />} disabled={selected.length === 0 || !toCycleId} loading={carry.isPending} onClick={() => void carryOver()}>
                {t('okrs.retro.carry', { count: selected.length })}
              </Button>
            </Group>
          )}
        </Card>
      )}

      <Learnings retro={retro} />
    </Stack>
  );
}

/** The score against what its commitment expects: 1.0 for committed, 0.6–0.7 healthy for aspirational. */
function ExpectationBar({ score, band, commitment }: { score: number; band: Retrospective['objectives'][number]['band']; commitment: 'committed' | 'aspirational' }) {
  return (
    <Box style={{ position: 'relative' }}>
      {commitment === 'aspirational' && (
        <Box
          aria-hidden
          style={{ position: 'absolute', left: '60%', width: '10%', top: -4, bottom: -4, background: 'var(--mantine-color-teal-light)', borderRadius: 4 }}
        />
      )}
      <ScoreBar score={score} band={band} />
    </Box>
  );
}

type OwnerMode = 'me' | 'person' | 'team';

/** A person's or team's end-of-cycle retrospective: scores against expectation, learnings, carrying unfinished key results on. */
export function RetrospectivePage() {
  const { t } = useTranslation();
  const session = useSession();
  const can = useCan();
  const [params, setParams] = useSearchParams();
  const { items: cycles, cycleId, setCycle, currentCycleId } = useCycleParam();
  const teams = useTeams({ enabled: can('teams:read') });
  const teamId = params.get('team');
  const userId = params.get('user');
  const mode: OwnerMode = teamId ? 'team' : userId && userId !== session.user.id ? 'person' : 'me';
  const owner = teamId ? { kind: 'team' as const, id: teamId } : userId ? { kind: 'user' as const, id: userId } : null;
  const retro = useRetrospective(cycleId, owner);
  useLiveData();

  const setOwner = (next: { team?: string | null; user?: string | null }) => {
    const search = new URLSearchParams(params);
    search.delete('team');
    search.delete('user');
    if (next.team) search.set('team', next.team);
    if (next.user) search.set('user', next.user);
    setParams(search, { replace: true });
  };

  return (
    <Stack gap={0}>
      <PageHeader
        title={t('okrs.retro.title')}
        description={t('okrs.retro.description')}
        icon={<IconRefresh size={24} stroke={1.6} />}
        mb={0}
        actions={<CycleSelect items={cycles} value={cycleId} onChange={setCycle} currentCycleId={currentCycleId} />}
      />
      <OkrTabs />
      <Group mb="md" gap="sm" align="flex-end" wrap="wrap">
        <SegmentedControl
          value={mode}
          onChange={(value) => {
            if (value === 'team') setOwner({ team: teams.data?.find((team) => team.managerUserId === session.user.id)?.id ?? teams.data?.[0]?.id ?? null });
            else if (value === 'person') setOwner({ user: userId ?? session.user.id });
            else setOwner({});
          }}
          data={[
            { value: 'me', label: t('okrs.retro.mine') },
            { value: 'person', label: t('okrs.owner.person') },
            { value: 'team', label: t('okrs.owner.team') },
          ]}
        />
        {mode === 'person' && <UserSelect label={t('okrs.owner.person')} value={userId} selectedName={retro.data?.owner.kind === 'user' ? retro.data.owner.name : null} onChange={(id) => setOwner({ user: id })} />}
        {mode === 'team' && (
          <Select
            aria-label={t('okrs.owner.team')}
            data={(teams.data ?? []).map((team) => ({ value: team.id, label: team.name }))}
            value={teamId}
            onChange={(id) => setOwner({ team: id })}
            searchable
            allowDeselect={false}
            w={240}
          />
        )}
      </Group>
      {retro.isPending ? (
        <CardsSkeleton count={3} height={160} />
      ) : retro.isError ? (
        <ErrorState error={retro.error} onRetry={() => void retro.refetch()} />
      ) : (
        <RetroView key={`${retro.data.cycle.id}-${retro.data.owner.id}`} retro={retro.data} cycles={cycles} />
      )}
    </Stack>
  );
}
