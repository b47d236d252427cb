import { ActionIcon, Alert, Badge, Box, Button, Card, Group, Menu, SimpleGrid, Text, ThemeIcon, Tooltip } from '@mantine/core';
import { IconAlertTriangle, IconChartLine, IconDots, IconHistory, IconPencil, IconPlugConnected, IconSearch, IconTrash, IconTrophy } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { useCheckinHistory, type KeyResult, type ObjectiveStatus } from '../../api/okr-queries';
import { useFormat } from '../../i18n/format';
import { Sparkline } from './okr-charts';
import { BAND_COLOR, PaceBadge, ScoreBadge, ScoreBar, useKrFormat } from './okr-ui';

function Figure({ label, value, hint }: { label: string; value: string; hint?: string }) {
  return (
    <Box>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="sm" fw={600} style={{ fontVariantNumeric: 'tabular-nums' }}>
        {value}
      </Text>
      {hint && (
        <Text size="xs" c="dimmed">
          {hint}
        </Text>
      )}
    </Box>
  );
}

export interface KeyResultActions {
  onHistory: (kr: KeyResult, tab: 'chart' | 'revisions') => void;
  onExplain: (kr: KeyResult) => void;
  onEdit: ((kr: KeyResult) => void) | null;
  onDelete: ((kr: KeyResult) => void) | null;
}

/** One key result: progress against target, pace, confidence, history and where the value comes from. */
export function KeyResultCard({ kr, status, actions }: { kr: KeyResult; status: ObjectiveStatus; actions: KeyResultActions }) {
  const { t } = useTranslation();
  const krFormat = useKrFormat();
  const format = useFormat();
  const history = useCheckinHistory(kr.id);
  const series = history.data?.series.map((p) => p.value) ?? [];
  const linear = kr.kind === 'metric' || kr.kind === 'number' || kr.kind === 'percent' || kr.kind === 'currency';
  const isLive = status === 'active';

  return (
    <Card withBorder data-testid="key-result" p="md">
      <Group justify="space-between" align="flex-start" wrap="nowrap" gap="sm">
        <Box style={{ minWidth: 0, flex: 1 }}>
          <Group gap={6} mb={2} wrap="wrap">
            <Text fw={600}>{kr.title}</Text>
            {kr.targetReached && (
              <Badge color="teal" variant="light" leftSection={<IconTrophy size={12} />} data-testid="target-reached">
                {t('okrs.kr.targetReached')}
              </Badge>
            )}
          </Group>
          <Group gap={6} wrap="wrap">
            <Badge size="xs" variant="default">
              {t(`okrs.kind.${kr.kind}`)}
            </Badge>
            {kr.metric && (
              <Tooltip label={t('okrs.kr.metricBound', { key: kr.metric.key })}>
                <Badge size="xs" variant="light" color="grape" leftSection={<IconPlugConnected size={10} />}>
                  {kr.metric.key}
                  {kr.metric.parameters.scope === 'tenant' ? ` · ${t('okrs.explain.workspace')}` : ''}
                </Badge>
              </Tooltip>
            )}
            {kr.owner && (
              <Text size="xs" c="dimmed">
                {kr.owner.name}
              </Text>
            )}
            {kr.weight !== 1 && (
              <Text size="xs" c="dimmed">
                {t('okrs.kr.weight', { weight: kr.weight })}
              </Text>
            )}
          </Group>
        </Box>
        <Group gap="xs" wrap="nowrap">
          <Box visibleFrom="sm">
            <Sparkline values={series} label={t('okrs.kr.sparkline', { title: kr.title })} color={`var(--mantine-color-${BAND_COLOR[kr.band]}-6)`} />
          </Box>
          <ScoreBadge score={kr.score} band={kr.band} size="lg" />
          <Menu position="bottom-end" withinPortal>
            <Menu.Target>
              <ActionIcon variant="subtle" color="gray" aria-label={t('okrs.kr.menu', { title: kr.title })}>
                <IconDots size={18} />
              </ActionIcon>
            </Menu.Target>
            <Menu.Dropdown>
              <Menu.Item leftSection={<IconChartLine size={16} />} onClick={() => actions.onHistory(kr, 'chart')}>
                {t('okrs.kr.history')}
              </Menu.Item>
              <Menu.Item leftSection={<IconHistory size={16} />} onClick={() => actions.onHistory(kr, 'revisions')}>
                {t('okrs.kr.revisions', { count: kr.revisionCount })}
              </Menu.Item>
              {kr.metric && (
                <Menu.Item leftSection={<IconSearch size={16} />} onClick={() => actions.onExplain(kr)}>
                  {t('okrs.kr.explain')}
                </Menu.Item>
              )}
              {actions.onEdit && (
                <Menu.Item leftSection={<IconPencil size={16} />} onClick={() => actions.onEdit?.(kr)}>
                  {t('okrs.kr.edit')}
                </Menu.Item>
              )}
              {actions.onDelete && (
                <Menu.Item color="red" leftSection={<IconTrash size={16} />} onClick={() => actions.onDelete?.(kr)}>
                  {t('common.delete')}
                </Menu.Item>
              )}
            </Menu.Dropdown>
          </Menu>
        </Group>
      </Group>

      <Box mt="sm">
        <Group justify="space-between" mb={6} wrap="wrap" gap="xs">
          <Text size="sm" data-testid="kr-progress">
            {krFormat.progress(kr)}
          </Text>
          <Group gap="xs">
            {kr.overAchievement > 0 && (
              <Tooltip label={t('okrs.kr.overHelp')}>
                <Badge color="teal" variant="outline" size="sm" data-testid="over-achievement">
                  {t('okrs.kr.over', { percent: Math.round(kr.overAchievement * 100) })}
                </Badge>
              </Tooltip>
            )}
            {isLive && kr.hasValue && <PaceBadge status={kr.paceStatus} />}
          </Group>
        </Group>
        <ScoreBar score={kr.score} band={kr.band} expected={isLive ? kr.expectedProgress : null} />
      </Box>

      <SimpleGrid cols={{ base: 2, sm: 4 }} mt="sm" spacing="sm">
        {linear && isLive && <Figure label={t('okrs.kr.expectedNow')} value={krFormat.value(kr.expectedValue, kr.unit)} hint={t('okrs.kr.actual', { value: krFormat.value(kr.current, kr.unit) })} />}
        {linear && isLive && kr.projected !== null && (
          <Figure
            label={t('okrs.kr.projected')}
            value={krFormat.value(kr.projected, kr.unit)}
            {...(kr.projectedFromPipeline !== null ? { hint: t('okrs.kr.projectedPipeline', { value: krFormat.value(kr.projectedFromPipeline, kr.unit) }) } : {})}
          />
        )}
        <Figure
          label={t('okrs.kr.confidence')}
          value={kr.lastCheckin?.confidence != null ? t('okrs.checkin.confidenceOf', { value: kr.lastCheckin.confidence }) : '—'}
        />
        <Figure
          label={t('okrs.kr.lastCheckin')}
          value={kr.lastCheckin ? format.calendarDate(kr.lastCheckin.date) : t('okrs.kr.never')}
          {...(kr.lastCheckin?.author ? { hint: kr.lastCheckin.author } : {})}
        />
      </SimpleGrid>

      {kr.lastCheckin?.note && (
        <Text size="sm" mt="sm" c="dimmed" fs="italic" lineClamp={3}>
          “{kr.lastCheckin.note}”
        </Text>
      )}
      {kr.lastCheckin?.blockers && (
        <Alert mt="sm" variant="light" color="orange" icon={<IconAlertTriangle size={16} />} p="xs" title={t('okrs.checkin.blockers')}>
          {kr.lastCheckin.blockers}
        </Alert>
      )}
      {kr.metricError && (
        <Alert mt="sm" variant="light" color="red" icon={<IconAlertTriangle size={16} />} p="xs">
          {t('okrs.kr.metricError', { message: kr.metricError.message })}
        </Alert>
      )}
      {kr.trackingNote && (
        <Text size="xs" c="dimmed" mt="sm">
          {kr.trackingNote}
        </Text>
      )}
      {kr.metric && (
        <Group mt="sm" gap="xs">
          <Button size="compact-sm" variant="light" color="grape" leftSection={<IconSearch size={14} />} onClick={() => actions.onExplain(kr)}>
            {t('okrs.kr.explain')}
          </Button>
        </Group>
      )}
      {kr.targetReached && isLive && (
        <Group gap="xs" mt="sm">
          <ThemeIcon size="sm" variant="light" color="teal" radius="xl" aria-hidden>
            <IconTrophy size={12} />
          </ThemeIcon>
          <Text size="xs" c="teal">
            {t('okrs.kr.celebrate')}
          </Text>
        </Group>
      )}
    </Card>
  );
}
