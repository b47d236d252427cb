import { Alert, Anchor, Badge, Box, Breadcrumbs, Button, Card, Grid, Group, List, Modal, SegmentedControl, Select, SimpleGrid, Stack, Text, Textarea, TextInput, Timeline, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import {
  IconAlertTriangle,
  IconArrowUpRight,
  IconBulb,
  IconCheck,
  IconChecklist,
  IconFlag,
  IconLock,
  IconPencil,
  IconPlus,
  IconSend,
  IconTrash,
  IconUsersGroup,
  IconWorld,
  IconX,
} from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { isApiError } from '../../api/client';
import {
  OKR_CATEGORIES,
  useCycles,
  useDecideObjective,
  useDeleteKeyResult,
  useDeleteObjective,
  useObjective,
  useUpdateObjective,
  type KeyResult,
  type ObjectiveDetail,
  type OkrWarning,
} from '../../api/okr-queries';
import { useLiveData } from '../../api/use-live-data';
import { useCan, useSession } from '../../auth/session';
import { useConfirm } from '../../components/confirm-provider';
import { FormActions } from '../../components/form-actions';
import { CardsSkeleton, ErrorState } from '../../components/query-state';
import { Timestamp } from '../../components/timestamp';
import { applyFormErrors } from '../../lib/apply-form-errors';
import { useNotify } from '../../lib/use-notify';
import { NotFoundPage } from '../not-found-page';
import { CommentsPanel } from './comments-panel';
import { KeyResultCard } from './key-result-card';
import { KeyResultModal } from './key-result-form';
import { KeyResultHistoryDrawer } from './key-result-history';
import { KeyResultExplainDrawer } from './kr-explain';
import { useParentOptions } from './objective-form';
import { PaceBadge, ScoreBadge, ScoreBar, StatusBadge, useOkrError } from './okr-ui';

type Decision = 'propose' | 'approve' | 'reject';

function DecisionModal({ objective, action, onClose }: { objective: ObjectiveDetail; action: Decision | null; onClose: () => void }) {
  const { t } = useTranslation();
  const notify = useNotify();
  const reportError = useOkrError();
  const decide = useDecideObjective();
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);
  if (!action) return null;
  const submit = async () => {
    if (action === 'reject' && !note.trim()) {
      setError(t('okrs.decision.noteRequired'));
      return;
    }
    try {
      await decide.mutateAsync({ id: objective.id, action, note: note.trim() || null });
      notify.success(t(`okrs.decision.done.${action}`));
      onClose();
    } catch (cause) {
      reportError(cause);
    }
  };
  return (
    <Modal opened onClose={onClose} title={t(`okrs.decision.title.${action}`)} closeButtonProps={{ 'aria-label': t('common.close') }}>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          void submit();
        }}
      >
        <Stack gap="md">
          <Text size="sm">{t(`okrs.decision.text.${action}`, { title: objective.title, approvers: objective.approvers.map((a) => a.name).join(', ') || t('okrs.decision.anAdmin') })}</Text>
          <Textarea
            label={action === 'reject' ? t('okrs.decision.reasonLabel') : t('okrs.decision.noteLabel')}
            required={action === 'reject'}
            autosize
            minRows={3}
            value={note}
            onChange={(e) => {
              setNote(e.currentTarget.value);
              setError(null);
            }}
            error={error}
            data-autofocus
          />
          <FormActions onCancel={onClose} submitLabel={t(`okrs.decision.submit.${action}`)} loading={decide.isPending} />
        </Stack>
      </form>
    </Modal>
  );
}

function EditObjectiveModal({ objective, opened, onClose }: { objective: ObjectiveDetail; opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Modal opened={opened} onClose={onClose} title={t('okrs.form.editTitle')} size="lg" closeButtonProps={{ 'aria-label': t('common.close') }}>
      {opened && <EditObjectiveForm objective={objective} onClose={onClose} />}
    </Modal>
  );
}

function EditObjectiveForm({ objective, onClose }: { objective: ObjectiveDetail; onClose: () => void }) {
  const { t } = useTranslation();
  const notify = useNotify();
  const reportError = useOkrError();
  const update = useUpdateObjective();
  const parents = useParentOptions(objective.cycleId, objective.id);
  const closed = objective.status === 'closed';
  const form = useForm({
    initialValues: {
      title: objective.title,
      description: objective.description,
      category: objective.category,
      commitment: objective.commitment,
      visibility: objective.visibility,
      parentId: objective.parent?.objectiveId ?? null,
      selfAssessment: objective.selfAssessment ?? '',
    },
    validate: { title: (v: string) => (v.trim() ? null : t('validation.required')) },
  });
  const submit = form.onSubmit(async (values) => {
    try {
      await update.mutateAsync(
        closed
          ? { id: objective.id, selfAssessment: values.selfAssessment.trim() || null }
          : {
              id: objective.id,
              title: values.title.trim(),
              description: values.description,
              category: values.category,
              commitment: values.commitment,
              visibility: values.visibility,
              ...(values.parentId !== (objective.parent?.objectiveId ?? null) ? { parent: values.parentId ? { objectiveId: values.parentId } : null } : {}),
              ...(values.selfAssessment.trim() !== (objective.selfAssessment ?? '') ? { selfAssessment: values.selfAssessment.trim() || null } : {}),
            },
      );
      notify.success(t('okrs.form.saved'));
      onClose();
    } catch (error) {
      if (!applyFormErrors(form, error)) reportError(error);
    }
  });
  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="md">
        {!closed && (
          <>
            <TextInput label={t('okrs.fields.title')} required {...form.getInputProps('title')} />
            <Textarea label={t('okrs.fields.description')} autosize minRows={2} {...form.getInputProps('description')} />
            <SimpleGrid cols={{ base: 1, sm: 3 }}>
              <Select label={t('okrs.fields.category')} data={OKR_CATEGORIES.map((c) => ({ value: c, label: t(`okrs.category.${c}`) }))} allowDeselect={false} {...form.getInputProps('category')} />
              <Stack gap={4}>
                <Text size="sm" fw={500}>
                  {t('okrs.fields.commitment')}
                </Text>
                <SegmentedControl
                  size="xs"
                  value={form.values.commitment}
                  onChange={(v) => form.setFieldValue('commitment', v === 'aspirational' ? 'aspirational' : 'committed')}
                  data={[
                    { value: 'committed', label: t('okrs.commitment.committed') },
                    { value: 'aspirational', label: t('okrs.commitment.aspirational') },
                  ]}
                />
              </Stack>
              <Stack gap={4}>
                <Text size="sm" fw={500}>
                  {t('okrs.fields.visibility')}
                </Text>
                <SegmentedControl
                  size="xs"
                  value={form.values.visibility}
                  onChange={(v) => form.setFieldValue('visibility', v === 'private' ? 'private' : 'tenant')}
                  data={[
                    { value: 'tenant', label: t('okrs.visibility.tenant') },
                    { value: 'private', label: t('okrs.visibility.private') },
                  ]}
                />
              </Stack>
            </SimpleGrid>
            <Select label={t('okrs.fields.parent')} data={parents} searchable clearable {...form.getInputProps('parentId')} comboboxProps={{ withinPortal: true }} />
          </>
        )}
        <Textarea label={t('okrs.fields.selfAssessment')} description={t('okrs.form.selfAssessmentHelp')} autosize minRows={2} {...form.getInputProps('selfAssessment')} />
        <FormActions onCancel={onClose} submitLabel={t('common.saveChanges')} loading={update.isPending} />
      </Stack>
    </form>
  );
}

/** Guidance (never a block) in words: how many objectives, key results, outcome wording. */
function useWarningText() {
  const { t } = useTranslation();
  return (warning: OkrWarning): string => {
    const p = warning.params;
    switch (warning.code) {
      case 'too_few_objectives':
        return t('okrs.guidance.too_few_objectives', { count: Number(p.count), min: p.min });
      case 'too_many_objectives':
        return t('okrs.guidance.too_many_objectives', { count: Number(p.count), max: p.max });
      case 'too_few_key_results':
        return t('okrs.guidance.too_few_key_results', { count: Number(p.count), min: p.min });
      case 'too_many_key_results':
        return t('okrs.guidance.too_many_key_results', { count: Number(p.count), max: p.max });
      case 'key_result_not_measurable':
        return t('okrs.guidance.key_result_not_measurable', { title: p.title });
      case 'objective_sounds_like_task':
        return t('okrs.guidance.objective_sounds_like_task');
      default:
        return warning.code;
    }
  };
}

function ObjectiveView({ objective }: { objective: ObjectiveDetail }) {
  const { t } = useTranslation();
  const session = useSession();
  const can = useCan();
  const notify = useNotify();
  const reportError = useOkrError();
  const confirm = useConfirm();
  const navigate = useNavigate();
  const cycles = useCycles();
  const cycle = cycles.data?.items.find((c) => c.id === objective.cycleId) ?? null;
  const deleteObjective = useDeleteObjective();
  const deleteKeyResult = useDeleteKeyResult();
  const warningText = useWarningText();
  const [decision, setDecision] = useState<Decision | null>(null);
  const [editing, setEditing] = useState(false);
  const [krModal, setKrModal] = useState<{ kr: KeyResult | null } | null>(null);
  const [history, setHistory] = useState<{ kr: KeyResult; tab: 'chart' | 'revisions' } | null>(null);
  const [explaining, setExplaining] = useState<KeyResult | null>(null);

  const lastProposal = [...objective.approvals].reverse().find((a) => a.action === 'proposed');
  const isOwnProposal = objective.status === 'proposed' && lastProposal?.actor.id === session.user.id;
  const lastRejection = objective.status === 'draft' ? [...objective.approvals].reverse().find((a) => a.action === 'rejected') : undefined;
  const editableKrs = can('okrs:write') && objective.can.edit && objective.status !== 'closed';
  const { parent, children } = objective.alignment;

  const removeObjective = () =>
    confirm({
      title: t('okrs.objective.deleteTitle'),
      message: t('okrs.objective.deleteText', { title: objective.title }),
      confirmLabel: t('common.delete'),
      onConfirm: async () => {
        try {
          await deleteObjective.mutateAsync(objective.id);
          notify.success(t('okrs.objective.deleted'));
          void navigate('/okrs/objectives');
        } catch (error) {
          reportError(error);
          throw error;
        }
      },
    });

  const removeKeyResult = (kr: KeyResult) =>
    confirm({
      title: t('okrs.kr.deleteTitle'),
      message: t('okrs.kr.deleteText', { title: kr.title }),
      confirmLabel: t('common.delete'),
      onConfirm: async () => {
        try {
          await deleteKeyResult.mutateAsync(kr.id);
          notify.success(t('okrs.kr.deleted'));
        } catch (error) {
          reportError(error);
          throw error;
        }
      },
    });

  return (
    <Stack gap="lg">
      <Breadcrumbs>
        <Anchor component={Link} to="/okrs" size="sm">
          {t('okrs.title')}
        </Anchor>
        <Anchor component={Link} to={`/okrs/objectives?cycle=${objective.cycleId}`} size="sm">
          {t('okrs.objectives.title')}
        </Anchor>
        <Text size="sm" lineClamp={1}>
          {objective.title}
        </Text>
      </Breadcrumbs>

      <Group justify="space-between" align="flex-start" gap="md" wrap="wrap">
        <Group align="flex-start" gap="md" wrap="nowrap" style={{ flex: '1 1 420px', minWidth: 0 }}>
          <ScoreBadge score={objective.score} band={objective.band} size="xl" />
          <Stack gap={6} style={{ minWidth: 0 }}>
            <Title order={1}>{objective.title}</Title>
            <Group gap={8} wrap="wrap">
              <StatusBadge status={objective.status} size="md" />
              {objective.status === 'active' && <PaceBadge status={objective.paceStatus} size="md" />}
              <Badge variant="default">{t(`okrs.category.${objective.category}`)}</Badge>
              <Badge variant="light" color={objective.commitment === 'committed' ? 'indigo' : 'violet'} leftSection={objective.commitment === 'committed' ? <IconFlag size={12} /> : <IconBulb size={12} />}>
                {t(`okrs.commitment.${objective.commitment}`)}
              </Badge>
              <Badge variant="default" leftSection={objective.visibility === 'private' ? <IconLock size={12} /> : <IconWorld size={12} />}>
                {t(`okrs.visibility.${objective.visibility}`)}
              </Badge>
              <Badge variant="outline" color="gray">
                {objective.cycleKey}
              </Badge>
            </Group>
            <Text size="sm" c="dimmed">
              {t('okrs.objective.ownedBy')}{' '}
              <Text span fw={600} c="var(--mantine-color-text)">
                {objective.owner.name}
              </Text>
              {objective.owner.kind === 'team' && (
                <>
                  {' '}
                  <IconUsersGroup size={14} style={{ verticalAlign: 'middle' }} />
                </>
              )}
              {objective.contributors.length > 0 && ` · ${t('okrs.objective.contributors', { names: objective.contributors.map((c) => c.name).join(', ') })}`}
            </Text>
            {parent && (
              <Text size="sm">
                <IconArrowUpRight size={14} style={{ verticalAlign: 'middle' }} /> {t('okrs.objective.alignsTo')}{' '}
                <Anchor component={Link} to={`/okrs/objectives/${parent.id}`} data-testid="parent-link">
                  {parent.title}
                </Anchor>
                {parent.keyResult && <Text span c="dimmed">{` · ${parent.keyResult.title}`}</Text>}
              </Text>
            )}
          </Stack>
        </Group>
        <Group gap="sm">
          {objective.can.propose && (
            <Button leftSection={<IconSend size={16} />} onClick={() => setDecision('propose')}>
              {t('okrs.decision.submit.propose')}
            </Button>
          )}
          {objective.status === 'proposed' && objective.can.approve && (
            <>
              <Button color="teal" leftSection={<IconCheck size={16} />} onClick={() => setDecision('approve')}>
                {t('okrs.decision.submit.approve')}
              </Button>
              <Button color="red" variant="light" leftSection={<IconX size={16} />} onClick={() => setDecision('reject')}>
                {t('okrs.decision.submit.reject')}
              </Button>
            </>
          )}
          {objective.can.checkIn && objective.status === 'active' && (
            <Button component={Link} to={`/okrs/check-in?objective=${objective.id}`} variant={objective.can.propose ? 'default' : 'filled'} leftSection={<IconChecklist size={16} />}>
              {t('okrs.checkin.action')}
            </Button>
          )}
          {objective.can.edit && (
            <Button variant="default" leftSection={<IconPencil size={16} />} onClick={() => setEditing(true)}>
              {t('common.edit')}
            </Button>
          )}
          {objective.can.delete && (
            <Button variant="subtle" color="red" leftSection={<IconTrash size={16} />} onClick={removeObjective}>
              {t('common.delete')}
            </Button>
          )}
        </Group>
      </Group>

      {isOwnProposal && can('okrs:approve') && (
        <Alert variant="light" color="blue" icon={<IconSend />} data-testid="own-proposal">
          {t('okrs.decision.ownProposal', { approvers: objective.approvers.map((a) => a.name).join(', ') || t('okrs.decision.anAdmin') })}
        </Alert>
      )}
      {objective.status === 'proposed' && !objective.can.approve && !(isOwnProposal && can('okrs:approve')) && (
        <Alert variant="light" color="blue" icon={<IconSend />}>
          {t('okrs.decision.waiting', { approvers: objective.approvers.map((a) => a.name).join(', ') || t('okrs.decision.anAdmin') })}
        </Alert>
      )}
      {lastRejection && (
        <Alert variant="light" color="orange" icon={<IconX />} title={t('okrs.decision.rejectedTitle', { name: lastRejection.actor.name ?? t('okrs.unknownPerson') })}>
          {lastRejection.note}
        </Alert>
      )}
      {objective.warnings.length > 0 && (
        <Alert variant="light" color="yellow" icon={<IconAlertTriangle />} title={t('okrs.guidance.title')} data-testid="guidance">
          <List size="sm" spacing={2}>
            {objective.warnings.map((warning) => (
              <List.Item key={`${warning.code}-${warning.path}`}>{warningText(warning)}</List.Item>
            ))}
          </List>
          <Text size="xs" c="dimmed" mt={6}>
            {t('okrs.guidance.note')}
          </Text>
        </Alert>
      )}
      {objective.ownerProbablySandbagging && (
        <Alert variant="light" color="grape" icon={<IconBulb />} title={t('okrs.retro.sandbaggingTitle')}>
          {t('okrs.retro.sandbaggingText')}
        </Alert>
      )}
      {objective.expectation && (
        <Alert variant="light" color={objective.expectation.needsExplanation ? 'orange' : 'teal'} icon={<IconFlag />} title={t(`okrs.expectation.${objective.expectation.verdict}`)}>
          {objective.selfAssessment ?? (objective.expectation.needsExplanation ? t('okrs.expectation.explain') : t(`okrs.expectation.help.${objective.commitment}`))}
        </Alert>
      )}

      <Grid gap="lg">
        <Grid.Col span={{ base: 12, lg: 8 }}>
          <Stack gap="md">
            <Card>
              <Group justify="space-between" mb="xs">
                <Text fw={600}>{t('okrs.objective.progress')}</Text>
                <Text size="sm" c="dimmed">
                  {objective.status === 'active'
                    ? t('okrs.objective.expected', { percent: Math.round(objective.expectedProgress * 100) })
                    : objective.final
                      ? t('okrs.objective.final')
                      : t('okrs.objective.notActive')}
                </Text>
              </Group>
              <ScoreBar score={objective.score} band={objective.band} expected={objective.status === 'active' ? objective.expectedProgress : null} size="lg" />
              {objective.description && (
                <Text size="sm" mt="md" style={{ whiteSpace: 'pre-wrap' }}>
                  {objective.description}
                </Text>
              )}
            </Card>
            <Group justify="space-between">
              <Title order={2} fz="lg">
                {t('okrs.fields.keyResults')} <Text span c="dimmed" fw={400}>({objective.keyResults.length})</Text>
              </Title>
              {editableKrs && (
                <Button variant="light" size="xs" leftSection={<IconPlus size={14} />} onClick={() => setKrModal({ kr: null })}>
                  {t('okrs.krForm.addTitle')}
                </Button>
              )}
            </Group>
            {objective.keyResults.length === 0 && (
              <Card py="xl">
                <Text ta="center" c="dimmed" size="sm">
                  {t('okrs.objective.noKeyResults')}
                </Text>
              </Card>
            )}
            {objective.keyResults.map((kr) => (
              <KeyResultCard
                key={kr.id}
                kr={kr}
                status={objective.status}
                actions={{
                  onHistory: (item, tab) => setHistory({ kr: item, tab }),
                  onExplain: setExplaining,
                  onEdit: editableKrs ? (item) => setKrModal({ kr: item }) : null,
                  onDelete: editableKrs && (objective.status === 'draft' || objective.status === 'proposed') ? removeKeyResult : null,
                }}
              />
            ))}
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 4 }}>
          <Stack gap="md">
            <Card>
              <Title order={2} fz="md" mb="sm">
                {t('okrs.objective.approval')}
              </Title>
              {objective.approvals.length === 0 ? (
                <Text size="sm" c="dimmed">
                  {t('okrs.objective.noApprovals')}
                </Text>
              ) : (
                <Timeline bulletSize={20} lineWidth={2} active={objective.approvals.length - 1}>
                  {objective.approvals.map((approval) => (
                    <Timeline.Item
                      key={approval.id}
                      color={approval.action === 'approved' ? 'teal' : approval.action === 'rejected' ? 'red' : 'blue'}
                      bullet={approval.action === 'approved' ? <IconCheck size={12} /> : approval.action === 'rejected' ? <IconX size={12} /> : <IconSend size={11} />}
                      title={<Text size="sm" fw={600}>{t(`okrs.approval.${approval.action}`, { name: approval.actor.name ?? t('okrs.unknownPerson') })}</Text>}
                    >
                      <Timestamp iso={approval.at} size="xs" c="dimmed" />
                      {approval.note && (
                        <Text size="sm" mt={2}>
                          {approval.note}
                        </Text>
                      )}
                    </Timeline.Item>
                  ))}
                </Timeline>
              )}
              {objective.approvers.length > 0 && (
                <Text size="xs" c="dimmed" mt="sm">
                  {t('okrs.objective.approvers', { names: objective.approvers.map((a) => a.name).join(', ') })}
                </Text>
              )}
            </Card>
            <Card>
              <Title order={2} fz="md" mb="sm">
                {t('okrs.objective.aligned')}
              </Title>
              {children.length === 0 ? (
                <Text size="sm" c="dimmed">
                  {t('okrs.objective.noChildren')}
                </Text>
              ) : (
                <Stack gap="xs">
                  {children.map((child) => (
                    <Group key={child.id} gap="xs" wrap="nowrap">
                      <ScoreBadge score={child.score} band={child.band} size="sm" />
                      <Box style={{ minWidth: 0 }}>
                        <Anchor component={Link} to={`/okrs/objectives/${child.id}`} size="sm" lineClamp={1}>
                          {child.title}
                        </Anchor>
                        <Text size="xs" c="dimmed">
                          {child.owner.name}
                          {child.viaKeyResultId && ` · ${t('okrs.objective.viaKr', { title: objective.keyResults.find((kr) => kr.id === child.viaKeyResultId)?.title ?? '' })}`}
                        </Text>
                      </Box>
                    </Group>
                  ))}
                </Stack>
              )}
            </Card>
            <CommentsPanel objectiveId={objective.id} keyResults={objective.keyResults} />
          </Stack>
        </Grid.Col>
      </Grid>

      <DecisionModal objective={objective} action={decision} onClose={() => setDecision(null)} />
      <EditObjectiveModal objective={objective} opened={editing} onClose={() => setEditing(false)} />
      <KeyResultModal
        opened={krModal !== null}
        objectiveId={objective.id}
        existing={krModal?.kr ?? null}
        isActive={objective.status === 'active'}
        onClose={() => setKrModal(null)}
        onRevised={(kr) => setHistory({ kr, tab: 'revisions' })}
      />
      <KeyResultHistoryDrawer key={history ? `${history.kr.id}-${history.tab}` : 'none'} kr={history?.kr ?? null} cycle={cycle} initialTab={history?.tab ?? 'chart'} onClose={() => setHistory(null)} />
      <KeyResultExplainDrawer kr={explaining} objective={objective} cycle={cycle} onClose={() => setExplaining(null)} />
    </Stack>
  );
}

/** One objective: header, actions by permission, key results with pace and history, approvals, alignment, comments. */
export function ObjectivePage() {
  const { id = '' } = useParams();
  const objective = useObjective(id);
  useLiveData();
  if (objective.isError && isApiError(objective.error) && objective.error.status === 404) return <NotFoundPage />;
  return (
    <Stack gap={0}>
      {objective.isPending ? (
        <CardsSkeleton count={3} height={160} />
      ) : objective.isError ? (
        <ErrorState error={objective.error} onRetry={() => void objective.refetch()} />
      ) : (
        <ObjectiveView objective={objective.data} />
      )}
    </Stack>
  );
}
