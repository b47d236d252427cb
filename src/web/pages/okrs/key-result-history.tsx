import { Badge, Card, Drawer, Group, Stack, Table, Tabs, Text, Timeline } from '@mantine/core';
import { IconChartLine, IconHistory, IconMessageCircle } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { useCheckinHistory, useRevisions, type KeyResult, type KeyResultUnit, type Revision } from '../../api/okr-queries';
import { EmptyCard } from '../../components/empty-card';
import { ErrorState, TableSkeleton } from '../../components/query-state';
import { Timestamp } from '../../components/timestamp';
import { useFormat } from '../../i18n/format';
import { HistoryChart } from './okr-charts';
import { useKrFormat } from './okr-ui';

const REVISION_FIELDS = ['title', 'kind', 'unit', 'direction', 'start', 'target', 'baseline', 'metric', 'checklist', 'guardrail', 'weight'] as const;
const isRevisionField = (field: string): field is (typeof REVISION_FIELDS)[number] => REVISION_FIELDS.some((f) => f === field);

/** A revision's value in words: targets in the key result's unit, objects as short JSON. */
function useRevisionValue() {
  const krFormat = useKrFormat();
  const { t } = useTranslation();
  return (field: string, value: unknown, unit: KeyResultUnit): string => {
    if (value === null || value === undefined) return '—';
    if ((field === 'start' || field === 'target') && typeof value === 'number') return krFormat.value(value, unit);
    if (field === 'kind' && typeof value === 'string') return t(`okrs.kind.${value as KeyResult['kind']}`);
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
    if (Array.isArray(value)) return value.map(String).join(', ');
    return JSON.stringify(value);
  };
}

export function RevisionList({ revisions, unit }: { revisions: Revision[]; unit: KeyResultUnit }) {
  const { t } = useTranslation();
  const show = useRevisionValue();
  return (
    <Stack gap="md" data-testid="revision-list">
      {revisions.map((revision) => (
        <Card key={revision.id} withBorder p="sm">
          <Group justify="space-between" mb={4}>
            <Text size="sm" fw={600}>
              {revision.author.name ?? t('okrs.unknownPerson')}
            </Text>
            <Timestamp iso={revision.at} size="xs" c="dimmed" />
          </Group>
          <Text size="sm" mb="xs" fs="italic">
            “{revision.reason}”
          </Text>
          <Table withRowBorders={false} verticalSpacing={2} fz="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('okrs.history.field')}</Table.Th>
                <Table.Th>{t('okrs.history.before')}</Table.Th>
                <Table.Th>{t('okrs.history.after')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {revision.changed.map((field) => (
                <Table.Tr key={field}>
                  <Table.Td>{isRevisionField(field) ? t(`okrs.history.fields.${field}`) : field}</Table.Td>
                  <Table.Td c="dimmed" td="line-through">
                    {show(field, revision.before[field], unit)}
                  </Table.Td>
                  <Table.Td fw={600}>{show(field, revision.after[field], unit)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Card>
      ))}
    </Stack>
  );
}

/** A key result's history: the chart of value against the expected line, every check-in, and revisions. */
export function KeyResultHistoryDrawer({ kr, cycle, initialTab = 'chart', onClose }: { kr: KeyResult | null; cycle: { start: string; end: string } | null; initialTab?: 'chart' | 'revisions'; onClose: () => void }) {
  const { t } = useTranslation();
  const krFormat = useKrFormat();
  const format = useFormat();
  const history = useCheckinHistory(kr?.id ?? null);
  const revisions = useRevisions(kr?.id ?? null);
  return (
    <Drawer opened={kr !== null} onClose={onClose} position="right" size="xl" title={kr?.title ?? ''} closeButtonProps={{ 'aria-label': t('common.close') }}>
      {kr && (
        <Tabs defaultValue={initialTab} keepMounted={false}>
          <Tabs.List mb="md">
            <Tabs.Tab value="chart" leftSection={<IconChartLine size={16} />}>
              {t('okrs.history.chart')}
            </Tabs.Tab>
            <Tabs.Tab value="revisions" leftSection={<IconHistory size={16} />}>
              {t('okrs.history.revisions')} {kr.revisionCount > 0 && <Badge size="xs" ml={4}>{kr.revisionCount}</Badge>}
            </Tabs.Tab>
          </Tabs.List>
          <Tabs.Panel value="chart">
            {history.isPending ? (
              <TableSkeleton rows={4} />
            ) : history.isError ? (
              <ErrorState error={history.error} onRetry={() => void history.refetch()} />
            ) : (
              <Stack gap="lg">
                {cycle && <HistoryChart history={history.data} cycle={cycle} target={kr.target} unit={kr.unit} formatValue={krFormat.value} height={200} />}
                <Text fw={600}>{t('okrs.history.checkins')}</Text>
                {history.data.items.length === 0 ? (
                  <Text size="sm" c="dimmed">
                    {t('okrs.history.noCheckins')}
                  </Text>
                ) : (
                  <Timeline bulletSize={18} lineWidth={2}>
                    {history.data.items.map((checkin) => (
                      <Timeline.Item key={checkin.id} bullet={<IconMessageCircle size={10} />} title={
                        <Group gap="xs">
                          <Text size="sm" fw={600}>
                            {checkin.checklistDone ? t('okrs.kr.checklistProgress', { done: checkin.checklistDone.filter(Boolean).length, total: checkin.checklistDone.length }) : krFormat.value(checkin.value, kr.unit)}
                          </Text>
                          {checkin.confidence !== null && (
                            <Badge size="xs" variant="light">
                              {t('okrs.checkin.confidenceShort', { value: checkin.confidence })}
                            </Badge>
                          )}
                          <Badge size="xs" variant="default">
                            {t(`okrs.source.${checkin.source}`)}
                          </Badge>
                        </Group>
                      }>
                        <Text size="xs" c="dimmed">
                          {format.calendarDate(checkin.date)} · {checkin.author.name ?? t('okrs.unknownPerson')}
                        </Text>
                        {checkin.note && <Text size="sm" mt={4}>{checkin.note}</Text>}
                        {checkin.blockers && (
                          <Text size="sm" mt={4} c="red">
                            {t('okrs.checkin.blockers')}: {checkin.blockers}
                          </Text>
                        )}
                      </Timeline.Item>
                    ))}
                  </Timeline>
                )}
              </Stack>
            )}
          </Tabs.Panel>
          <Tabs.Panel value="revisions">
            {revisions.isPending ? (
              <TableSkeleton rows={3} />
            ) : revisions.isError ? (
              <ErrorState error={revisions.error} onRetry={() => void revisions.refetch()} />
            ) : revisions.data.length === 0 ? (
              <EmptyCard icon={<IconHistory />} title={t('okrs.history.noRevisions')} description={t('okrs.history.noRevisionsText')} order={3} />
            ) : (
              <RevisionList revisions={revisions.data} unit={kr.unit} />
            )}
          </Tabs.Panel>
        </Tabs>
      )}
    </Drawer>
  );
}
