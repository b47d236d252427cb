import { Alert, Anchor, Badge, Box, Button, Card, Grid, Group, Select, SimpleGrid, Stack, Switch, Text, Textarea, Title } from '@mantine/core';
import { IconAlertTriangle, IconArrowRight, IconClockExclamation, IconDeviceFloppy, IconMessages, IconNotes } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { useMeeting, useRecordMeeting, type MeetingItem } from '../../api/okr-queries';
import { useTeams } from '../../api/queries';
import { useLiveData } from '../../api/use-live-data';
import { useCan, useSession } from '../../auth/session';
import { EmptyCard } from '../../components/empty-card';
import { PageHeader } from '../../components/page-header';
import { CardsSkeleton, ErrorState } from '../../components/query-state';
import { Timestamp } from '../../components/timestamp';
import { useFormat } from '../../i18n/format';
import { useNotify } from '../../lib/use-notify';
import { CycleSelect, OkrTabs, PACE_COLOR, PACE_ORDER, PaceBadge, Stat, useScoreText, useCycleParam, useKrFormat, useOkrError } from './okr-ui';

function ItemCard({ item }: { item: MeetingItem }) {
  const { t } = useTranslation();
  const scoreText = useScoreText();
  const deltaText = useScoreText(2);
  const krFormat = useKrFormat();
  const format = useFormat();
  const { change } = item;
  const delta = change.scoreDelta;
  // Milestones and checklists have no value to compare: their score says it all.
  const hasValues = item.keyResult.kind !== 'milestone' && item.keyResult.kind !== 'checklist';
  return (
    <Card withBorder p="sm" data-testid="meeting-item" style={{ borderLeft: `4px solid var(--mantine-color-${PACE_COLOR[item.paceStatus]}-6)` }}>
      <Group justify="space-between" align="flex-start" wrap="nowrap" gap="sm">
        <Box style={{ minWidth: 0 }}>
          <Text fw={600} size="sm">
            {item.keyResult.title}
          </Text>
          <Anchor component={Link} to={`/okrs/objectives/${item.objective.id}`} size="xs" c="dimmed">
            {item.objective.title} · {item.keyResult.owner?.name ?? item.objective.owner.name}
          </Anchor>
        </Box>
        <Group gap={6} wrap="nowrap">
          {item.overdue && (
            <Badge color="orange" variant="light" size="sm" leftSection={<IconClockExclamation size={12} />}>
              {t('okrs.meeting.overdue')}
            </Badge>
          )}
          <PaceBadge status={item.paceStatus} />
        </Group>
      </Group>
      <Group gap="lg" mt="xs" wrap="wrap">
        {hasValues && (
          <Group gap={6} wrap="nowrap">
            <Text size="sm" c="dimmed" style={{ fontVariantNumeric: 'tabular-nums' }}>
              {krFormat.value(change.previousValue, item.keyResult.unit)}
            </Text>
            <IconArrowRight size={14} />
            <Text size="sm" fw={700} style={{ fontVariantNumeric: 'tabular-nums' }}>
              {krFormat.value(change.currentValue, item.keyResult.unit)}
            </Text>
            {item.keyResult.target !== null && (
              <Text size="xs" c="dimmed">
                {t('okrs.meeting.ofTarget', { target: krFormat.value(item.keyResult.target, item.keyResult.unit) })}
              </Text>
            )}
          </Group>
        )}
        <Text size="sm">
          {t('okrs.fields.score')} <b>{scoreText(change.score)}</b>{' '}
          {change.changed && delta !== 0 && (
            <Text span c={delta > 0 ? 'teal' : 'red'} fw={600} size="sm">
              ({delta > 0 ? '+' : ''}
              {deltaText(delta)})
            </Text>
          )}
        </Text>
        {item.confidence !== null && (
          <Badge variant="light" color={item.confidence >= 7 ? 'teal' : item.confidence >= 4 ? 'yellow' : 'red'} size="sm">
            {t('okrs.checkin.confidenceShort', { value: item.confidence })}
          </Badge>
        )}
        {!change.changed && (
          <Text size="xs" c="dimmed">
            {t('okrs.meeting.unchanged')}
          </Text>
        )}
      </Group>
      {item.checkinsSince.some((c) => c.note || c.blockers) && (
        <Stack gap={4} mt="xs">
          {item.checkinsSince
            .filter((c) => c.note || c.blockers)
            .map((c) => (
              <Text key={c.id} size="xs">
                <Text span c="dimmed">
                  {format.calendarDate(c.date)} · {c.author.name ?? t('okrs.unknownPerson')}:
                </Text>{' '}
                {c.note}
                {c.blockers && (
                  <Text span c="red">
                    {' '}
                    {t('okrs.checkin.blockers')}: {c.blockers}
                  </Text>
                )}
              </Text>
            ))}
        </Stack>
      )}
    </Card>
  );
}

/** A team's check-in meeting: what changed since the last one, at-risk first, and the notes taken in place. */
export function MeetingPage() {
  const { t } = useTranslation();
  const session = useSession();
  const can = useCan();
  const notify = useNotify();
  const reportError = useOkrError();
  const [params, setParams] = useSearchParams();
  const { items: cycles, cycleId, setCycle, currentCycleId } = useCycleParam();
  const teams = useTeams({ enabled: can('teams:read') });
  const teamList = teams.data ?? [];
  const defaultTeam = teamList.find((team) => team.managerUserId === session.user.id) ?? teamList.find((team) => team.kind === 'team') ?? teamList[0];
  const teamId = params.get('team') ?? defaultTeam?.id ?? null;
  const meeting = useMeeting(teamId, cycleId);
  const record = useRecordMeeting();
  const [notes, setNotes] = useState('');
  const [changedOnly, setChangedOnly] = useState(false);
  useLiveData();

  const setTeam = (id: string | null) => {
    const next = new URLSearchParams(params);
    if (id) next.set('team', id);
    setParams(next, { replace: true });
  };

  const save = async () => {
    if (!teamId || !meeting.data) return;
    try {
      await record.mutateAsync({ teamId, cycleId: meeting.data.cycle.id, notes: notes.trim() });
      setNotes('');
      notify.success(t('okrs.meeting.recorded'));
    } catch (error) {
      reportError(error);
    }
  };

  const items = [...(meeting.data?.items ?? [])]
    .filter((item) => !changedOnly || item.change.changed)
    .sort((a, b) => PACE_ORDER[a.paceStatus] - PACE_ORDER[b.paceStatus]);

  return (
    <Stack gap={0}>
      <PageHeader
        title={t('okrs.meeting.title')}
        description={t('okrs.meeting.description')}
        icon={<IconMessages size={24} stroke={1.6} />}
        mb={0}
        actions={
          <>
            <Select
              aria-label={t('okrs.fields.team')}
              data={teamList.map((team) => ({ value: team.id, label: team.name }))}
              value={teamId}
              onChange={setTeam}
              searchable
              allowDeselect={false}
              w={220}
              data-testid="meeting-team"
            />
            <CycleSelect items={cycles} value={cycleId} onChange={setCycle} currentCycleId={currentCycleId} />
          </>
        }
      />
      <OkrTabs />
      {!teamId ? (
        <EmptyCard icon={<IconMessages />} title={t('okrs.meeting.noTeam')} description={t('okrs.meeting.noTeamText')} />
      ) : meeting.isPending ? (
        <CardsSkeleton count={3} height={120} />
      ) : meeting.isError ? (
        <ErrorState error={meeting.error} onRetry={() => void meeting.refetch()} />
      ) : (
        <Grid gap="lg">
          <Grid.Col span={{ base: 12, lg: 8 }}>
            <Stack gap="md">
              <Card>
                <SimpleGrid cols={{ base: 3, sm: 6 }} spacing="md">
                  <Stat label={t('okrs.pace.at_risk')} value={meeting.data.summary.atRisk} color="red" />
                  <Stat label={t('okrs.pace.behind')} value={meeting.data.summary.behind} color="yellow" />
                  <Stat label={t('okrs.pace.on_track')} value={meeting.data.summary.onTrack} color="teal" />
                  <Stat label={t('okrs.pace.not_started')} value={meeting.data.summary.notStarted} />
                  <Stat label={t('okrs.meeting.changed')} value={meeting.data.summary.changed} />
                  <Stat label={t('okrs.meeting.overdue')} value={meeting.data.summary.overdue} color={meeting.data.summary.overdue > 0 ? 'orange' : undefined} />
                </SimpleGrid>
              </Card>
              <Group justify="space-between">
                <Text size="sm" c="dimmed">
                  {meeting.data.since ? (
                    <>
                      {t('okrs.meeting.since')} <Timestamp iso={meeting.data.since} size="sm" fw={600} span />
                    </>
                  ) : (
                    t('okrs.meeting.first')
                  )}
                </Text>
                {meeting.data.cadenceDays !== undefined && (
                  <Badge variant="default" visibleFrom="sm">
                    {meeting.data.cadenceDays === 7 ? t('okrs.meeting.weekly') : t('okrs.meeting.cadence', { count: meeting.data.cadenceDays })}
                  </Badge>
                )}
                <Switch size="sm" label={t('okrs.meeting.changedOnly')} checked={changedOnly} onChange={(e) => setChangedOnly(e.currentTarget.checked)} />
              </Group>
              {items.length === 0 ? (
                <EmptyCard icon={<IconMessages />} title={t('okrs.meeting.emptyTitle', { team: meeting.data.team.name })} description={t('okrs.meeting.emptyText')} order={3} />
              ) : (
                items.map((item) => <ItemCard key={item.keyResult.id} item={item} />)
              )}
            </Stack>
          </Grid.Col>
          <Grid.Col span={{ base: 12, lg: 4 }}>
            <Stack gap="md" style={{ position: 'sticky', top: 80 }}>
              <Card>
                <Group gap="xs" mb="sm">
                  <IconNotes size={18} />
                  <Title order={2} fz="md">
                    {t('okrs.meeting.notes')}
                  </Title>
                </Group>
                {can('okrs:write') ? (
                  <Stack gap="sm">
                    <Textarea
                      placeholder={t('okrs.meeting.notesPlaceholder')}
                      aria-label={t('okrs.meeting.notes')}
                      autosize
                      minRows={6}
                      maxRows={16}
                      value={notes}
                      onChange={(e) => setNotes(e.currentTarget.value)}
                      data-testid="meeting-notes"
                    />
                    <Button leftSection={<IconDeviceFloppy size={16} />} onClick={() => void save()} loading={record.isPending}>
                      {t('okrs.meeting.record')}
                    </Button>
                    <Text size="xs" c="dimmed">
                      {t('okrs.meeting.recordHelp')}
                    </Text>
                  </Stack>
                ) : (
                  <Text size="sm" c="dimmed">
                    {t('okrs.meeting.readOnly')}
                  </Text>
                )}
              </Card>
              {meeting.data.lastMeeting && (
                <Card>
                  <Text fw={600} size="sm">
                    {t('okrs.meeting.lastMeeting')}
                  </Text>
                  <Group gap={4} mb="xs">
                    <Timestamp iso={meeting.data.lastMeeting.heldAt} size="xs" c="dimmed" />
                    {meeting.data.lastMeeting.by && (
                      <Text size="xs" c="dimmed">
                        · {meeting.data.lastMeeting.by}
                      </Text>
                    )}
                  </Group>
                  <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                    {meeting.data.lastMeeting.notes || t('okrs.meeting.noNotes')}
                  </Text>
                </Card>
              )}
              {meeting.data.summary.atRisk > 0 && (
                <Alert variant="light" color="red" icon={<IconAlertTriangle />}>
                  {t('okrs.meeting.atRiskHint', { count: meeting.data.summary.atRisk })}
                </Alert>
              )}
            </Stack>
          </Grid.Col>
        </Grid>
      )}
    </Stack>
  );
}
