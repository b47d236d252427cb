import { ActionIcon, Alert, Anchor, Badge, Button, Card, Grid, Group, List, Modal, NumberInput, Select, SimpleGrid, Stack, Switch, Table, Text, Textarea, Title, Tooltip } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconCalendarEvent, IconCalendarPlus, IconDeviceFloppy, IconLock, IconTrash } from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { addDays, listPeriods, periodContaining } from '../../../core/period';
import {
  useCloseCycle,
  useCreateCycle,
  useCycles,
  useDeleteCycle,
  useObjectives,
  useOkrSettings,
  useUpdateOkrSettings,
  type CloseCycleResult,
  type OkrCycle,
  type OkrSettings,
} from '../../api/okr-queries';
import { useSession } from '../../auth/session';
import { useConfirm } from '../../components/confirm-provider';
import { DataTable } from '../../components/data-table';
import { PageHeader } from '../../components/page-header';
import { ErrorState, TableSkeleton } from '../../components/query-state';
import { todayIso } from '../../components/period-picker';
import { useFormat } from '../../i18n/format';
import { useNotify } from '../../lib/use-notify';
import { OkrTabs, addDaysIso, useScoreText, useOkrError } from './okr-ui';

function CloseCycleForm({ cycle, onClose, onDone }: { cycle: OkrCycle; onClose: () => void; onDone: (result: CloseCycleResult) => void }) {
  const { t } = useTranslation();
  const scoreText = useScoreText();
  const reportError = useOkrError();
  const close = useCloseCycle();
  const objectives = useObjectives({ cycleId: cycle.id, teamId: null, ownerUserId: null, category: null, status: 'active', q: '', limit: 500, offset: 0 });
  const [notes, setNotes] = useState<Record<string, string>>({});
  const submit = async () => {
    try {
      const result = await close.mutateAsync({
        id: cycle.id,
        assessments: Object.entries(notes)
          .filter(([, note]) => note.trim())
          .map(([objectiveId, note]) => ({ objectiveId, note: note.trim() })),
      });
      onDone(result);
    } catch (error) {
      reportError(error);
    }
  };
  return (
    <Stack gap="md">
      <Alert variant="light" color="orange" icon={<IconLock />}>
        {t('okrs.cycles.closeText', { cycle: cycle.key })}
      </Alert>
      {objectives.isPending ? (
        <TableSkeleton rows={3} columns={2} />
      ) : objectives.isError ? (
        <ErrorState error={objectives.error} />
      ) : objectives.data.items.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('okrs.cycles.noActive')}
        </Text>
      ) : (
        <Stack gap="sm">
          <Text size="sm" fw={500}>
            {t('okrs.cycles.assessments')}
          </Text>
          {objectives.data.items.map((objective) => (
            <Textarea
              key={objective.id}
              label={`${objective.title} · ${objective.owner.name} · ${scoreText(objective.score)}`}
              placeholder={objective.selfAssessment ?? t('okrs.cycles.assessmentPlaceholder')}
              autosize
              minRows={1}
              value={notes[objective.id] ?? ''}
              onChange={(e) => {
                const value = e.currentTarget.value;
                setNotes((prev) => ({ ...prev, [objective.id]: value }));
              }}
            />
          ))}
        </Stack>
      )}
      <Group justify="flex-end">
        <Button variant="default" onClick={onClose}>
          {t('common.cancel')}
        </Button>
        <Button color="orange" leftSection={<IconLock size={16} />} loading={close.isPending} onClick={() => void submit()}>
          {t('okrs.cycles.close')}
        </Button>
      </Group>
    </Stack>
  );
}

function SettingsCard() {
  const { t } = useTranslation();
  const settings = useOkrSettings();
  if (settings.isPending) return <TableSkeleton rows={3} columns={2} />;
  if (settings.isError) return <ErrorState error={settings.error} onRetry={() => void settings.refetch()} />;
  return <SettingsForm settings={settings.data} key={JSON.stringify(settings.data)} title={t('okrs.settings.title')} />;
}

function SettingsForm({ settings, title }: { settings: OkrSettings; title: string }) {
  const { t } = useTranslation();
  const notify = useNotify();
  const update = useUpdateOkrSettings();
  const form = useForm<OkrSettings>({ initialValues: settings });
  const submit = form.onSubmit(async (values) => {
    try {
      await update.mutateAsync(values);
      notify.success(t('okrs.settings.saved'));
    } catch (error) {
      notify.error(error);
    }
  });
  return (
    <Card>
      <form onSubmit={submit}>
        <Title order={2} fz="md" mb={4}>
          {title}
        </Title>
        <Text size="sm" c="dimmed" mb="md">
          {t('okrs.settings.description')}
        </Text>
        <Stack gap="sm">
          <Text size="sm" fw={500}>
            {t('okrs.settings.objectivesPerOwner')}
          </Text>
          <SimpleGrid cols={2} mt={-6}>
            <NumberInput aria-label={`${t('okrs.settings.objectivesPerOwner')}: ${t('okrs.settings.min')}`} description={t('okrs.settings.min')} min={0} max={50} {...form.getInputProps('guidance.objectivesPerOwner.min')} />
            <NumberInput aria-label={`${t('okrs.settings.objectivesPerOwner')}: ${t('okrs.settings.max')}`} description={t('okrs.settings.max')} min={0} max={50} {...form.getInputProps('guidance.objectivesPerOwner.max')} />
          </SimpleGrid>
          <Text size="sm" fw={500}>
            {t('okrs.settings.krsPerObjective')}
          </Text>
          <SimpleGrid cols={2} mt={-6}>
            <NumberInput aria-label={`${t('okrs.settings.krsPerObjective')}: ${t('okrs.settings.min')}`} description={t('okrs.settings.min')} min={0} max={50} {...form.getInputProps('guidance.keyResultsPerObjective.min')} />
            <NumberInput aria-label={`${t('okrs.settings.krsPerObjective')}: ${t('okrs.settings.max')}`} description={t('okrs.settings.max')} min={0} max={50} {...form.getInputProps('guidance.keyResultsPerObjective.max')} />
          </SimpleGrid>
          <Text size="sm" fw={500}>
            {t('okrs.settings.paceGaps')}
          </Text>
          <SimpleGrid cols={2} mt={-6}>
            <NumberInput aria-label={t('okrs.settings.onTrackGap')} description={t('okrs.settings.onTrackGap')} min={0} max={1} step={0.05} decimalScale={2} {...form.getInputProps('pace.onTrackGap')} />
            <NumberInput aria-label={t('okrs.settings.atRiskGap')} description={t('okrs.settings.atRiskGap')} min={0} max={1} step={0.05} decimalScale={2} {...form.getInputProps('pace.atRiskGap')} />
          </SimpleGrid>
          <Text size="xs" c="dimmed" mt={-6}>
            {t('okrs.settings.gapHelp')}
          </Text>
          <Select
            label={t('okrs.settings.cadence')}
            data={[
              { value: '7', label: t('okrs.settings.weekly') },
              { value: '14', label: t('okrs.settings.biweekly') },
            ]}
            value={String(form.values.checkinCadenceDays)}
            onChange={(v) => form.setFieldValue('checkinCadenceDays', Number(v ?? 7))}
            allowDeselect={false}
          />
          <Switch label={t('okrs.settings.wording')} {...form.getInputProps('guidance.checkOutcomeWording', { type: 'checkbox' })} />
          <Group justify="flex-end">
            <Button type="submit" leftSection={<IconDeviceFloppy size={16} />} loading={update.isPending} disabled={!form.isDirty()}>
              {t('common.saveChanges')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}

/** For admins: open quarters and fiscal years, close a cycle with self-assessments, tune guidance. */
export function CyclesPage() {
  const { t } = useTranslation();
  const session = useSession();
  const format = useFormat();
  const notify = useNotify();
  const reportError = useOkrError();
  const confirm = useConfirm();
  const cycles = useCycles();
  const create = useCreateCycle();
  const remove = useDeleteCycle();
  const [closing, setClosing] = useState<OkrCycle | null>(null);
  const [closed, setClosed] = useState<CloseCycleResult | null>(null);
  const existing = new Set((cycles.data?.items ?? []).map((c) => c.key));
  const suggestions = useMemo(() => {
    const calendar = { fiscalYearStartMonth: session.tenant.fiscalYearStartMonth };
    const today = todayIso();
    const quarter = periodContaining('quarter', today, calendar);
    const year = periodContaining('year', today, calendar);
    const quarters = listPeriods('quarter', addDays(quarter.start, -100), addDays(quarter.end, 280), calendar).map((p) => p.key);
    const years = listPeriods('year', addDays(year.start, -1), addDays(year.end, 370), calendar).map((p) => p.key);
    return [...years, ...quarters];
  }, [session.tenant.fiscalYearStartMonth]);
  const [key, setKey] = useState<string | null>(null);
  const available = suggestions.filter((k) => !existing.has(k));

  const open = async () => {
    if (!key) return;
    try {
      await create.mutateAsync({ key });
      notify.success(t('okrs.cycles.opened', { cycle: key }));
      setKey(null);
    } catch (error) {
      reportError(error);
    }
  };

  return (
    <Stack gap={0}>
      <PageHeader title={t('okrs.cycles.title')} description={t('okrs.cycles.description')} icon={<IconCalendarEvent size={24} stroke={1.6} />} mb={0} />
      <OkrTabs />
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, lg: 8 }}>
          <Stack gap="md">
            <Card>
              <Group align="flex-end" gap="sm" wrap="wrap">
                <Select
                  label={t('okrs.cycles.new')}
                  description={t('okrs.cycles.newHelp')}
                  data={available}
                  value={key}
                  onChange={setKey}
                  searchable
                  w={240}
                  placeholder="2027-Q1"
                />
                <Button leftSection={<IconCalendarPlus size={16} />} disabled={!key} loading={create.isPending} onClick={() => void open()}>
                  {t('okrs.cycles.open')}
                </Button>
              </Group>
            </Card>
            {closed && (
              <Alert variant="light" color="teal" icon={<IconLock />} title={t('okrs.cycles.closedTitle', { cycle: closed.cycle.key })} withCloseButton onClose={() => setClosed(null)}>
                <Text size="sm">{t('okrs.cycles.closedText', { count: closed.objectives.filter((o) => o.wasActive).length })}</Text>
                {closed.probablySandbagging.length > 0 && (
                  <>
                    <Text size="sm" mt="xs" fw={600}>
                      {t('okrs.retro.sandbaggingTitle')}
                    </Text>
                    <List size="sm">
                      {closed.probablySandbagging.map((o) => (
                        <List.Item key={o.id}>{o.name}</List.Item>
                      ))}
                    </List>
                  </>
                )}
                {closed.metricErrors.length > 0 && (
                  <Text size="sm" c="red" mt="xs">
                    {t('okrs.cycles.metricErrors', { count: closed.metricErrors.length })}
                  </Text>
                )}
              </Alert>
            )}
            {cycles.isPending ? (
              <TableSkeleton rows={4} columns={5} />
            ) : cycles.isError ? (
              <ErrorState error={cycles.error} onRetry={() => void cycles.refetch()} />
            ) : (
              <DataTable minWidth={640} aria-label={t('okrs.cycles.title')}>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('okrs.fields.cycle')}</Table.Th>
                    <Table.Th>{t('okrs.cycles.dates')}</Table.Th>
                    <Table.Th>{t('okrs.fields.status')}</Table.Th>
                    <Table.Th>{t('okrs.cycles.objectives')}</Table.Th>
                    <Table.Th />
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {cycles.data.items.map((cycle) => (
                    <Table.Tr key={cycle.id}>
                      <Table.Td>
                        <Group gap="xs">
                          <Anchor fw={600} component={Link} to={`/okrs?cycle=${cycle.id}`}>
                            {cycle.key}
                          </Anchor>
                          {cycle.id === cycles.data.currentCycleId && (
                            <Badge size="xs" variant="light">
                              {t('okrs.cycle.current')}
                            </Badge>
                          )}
                        </Group>
                        <Text size="xs" c="dimmed">
                          {t(`okrs.cycles.kind.${cycle.kind}`)}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                          {format.calendarDate(cycle.start)} – {format.calendarDate(addDaysIso(cycle.end, -1))}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <Badge color={cycle.status === 'open' ? 'teal' : 'gray'} variant="light" style={{ overflow: 'visible' }} miw="fit-content">
                          {t(`okrs.cycles.status.${cycle.status}`)}
                        </Badge>
                        {cycle.closedAt && (
                          <Text size="xs" c="dimmed">
                            {format.date(cycle.closedAt)}
                          </Text>
                        )}
                      </Table.Td>
                      <Table.Td>{format.number(cycle.objectiveCount)}</Table.Td>
                      <Table.Td>
                        <Group gap="xs" justify="flex-end" wrap="nowrap">
                          {cycle.status === 'open' && (
                            <Button size="compact-sm" variant="light" color="orange" leftSection={<IconLock size={14} />} onClick={() => setClosing(cycle)}>
                              {t('okrs.cycles.close')}
                            </Button>
                          )}
                          {cycle.objectiveCount === 0 && (
                            <Tooltip label={t('common.delete')}>
                              <ActionIcon
                                variant="subtle"
                                color="red"
                                aria-label={t('okrs.cycles.delete', { cycle: cycle.key })}
                                onClick={() =>
                                  confirm({
                                    title: t('okrs.cycles.delete', { cycle: cycle.key }),
                                    message: t('okrs.cycles.deleteText'),
                                    confirmLabel: t('common.delete'),
                                    onConfirm: () => remove.mutateAsync(cycle.id).catch((error: unknown) => {
                                      reportError(error);
                                      throw error;
                                    }),
                                  })
                                }
                              >
                                <IconTrash size={16} />
                              </ActionIcon>
                            </Tooltip>
                          )}
                        </Group>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </DataTable>
            )}
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 4 }}>
          <SettingsCard />
        </Grid.Col>
      </Grid>
      <Modal opened={closing !== null} onClose={() => setClosing(null)} title={closing ? t('okrs.cycles.closeTitle', { cycle: closing.key }) : ''} size="lg" closeButtonProps={{ 'aria-label': t('common.close') }}>
        {closing && (
          <CloseCycleForm
            cycle={closing}
            onClose={() => setClosing(null)}
            onDone={(result) => {
              setClosing(null);
              setClosed(result);
            }}
          />
        )}
      </Modal>
    </Stack>
  );
}
