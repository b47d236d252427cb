import { Button, Group, Modal, SegmentedControl, Select, SimpleGrid, Stack, Text, Textarea, TextInput, type ButtonProps } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconPlus } from '@tabler/icons-react';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import {
  OKR_CATEGORIES,
  useCreateObjective,
  useCycles,
  useObjectives,
  type Commitment,
  type OkrCategory,
  type Visibility,
} from '../../api/okr-queries';
import { useTeams } from '../../api/queries';
import { useCan, useSession } from '../../auth/session';
import { FormActions } from '../../components/form-actions';
import { UserSelect } from '../../components/user-select';
import { applyFormErrors } from '../../lib/apply-form-errors';
import { useNotify } from '../../lib/use-notify';

export interface OwnerValue {
  kind: 'user' | 'team';
  userId: string | null;
  userName: string | null;
  teamId: string | null;
}

/** A person (searched on the server) or a team of the organisation. */
export function OwnerPicker({ value, onChange, error }: { value: OwnerValue; onChange: (next: OwnerValue) => void; error?: ReactNode }) {
  const { t } = useTranslation();
  const can = useCan();
  const teams = useTeams({ enabled: can('teams:read') });
  return (
    <Stack gap={6}>
      <Group justify="space-between" align="flex-end">
        <Text size="sm" fw={500}>
          {t('okrs.fields.owner')}
        </Text>
        <SegmentedControl
          size="xs"
          value={value.kind}
          onChange={(kind) => onChange({ ...value, kind: kind === 'team' ? 'team' : 'user' })}
          data={[
            { value: 'user', label: t('okrs.owner.person') },
            { value: 'team', label: t('okrs.owner.team') },
          ]}
        />
      </Group>
      {value.kind === 'user' ? (
        <UserSelect
          label={t('okrs.owner.person')}
          value={value.userId}
          selectedName={value.userName}
          onChange={(userId) => onChange({ ...value, userId, userName: null })}
          isActiveOnly
          error={error}
        />
      ) : (
        <Select
          label={t('okrs.owner.team')}
          data={(teams.data ?? []).map((team) => ({ value: team.id, label: team.name }))}
          value={value.teamId}
          onChange={(teamId) => onChange({ ...value, teamId })}
          searchable
          placeholder={t('okrs.owner.pickTeam')}
          error={error}
          comboboxProps={{ withinPortal: true }}
        />
      )}
    </Stack>
  );
}

export function ownerRef(owner: OwnerValue): { kind: 'user' | 'team'; id: string } | null {
  if (owner.kind === 'user') return owner.userId ? { kind: 'user', id: owner.userId } : null;
  return owner.teamId ? { kind: 'team', id: owner.teamId } : null;
}

/** Objectives of a cycle (and of the year above it) that a new one can align to. */
export function useParentOptions(cycleId: string | null, excludeId?: string) {
  const cycles = useCycles();
  const cycle = cycles.data?.items.find((c) => c.id === cycleId);
  const own = useObjectives({ cycleId, teamId: null, ownerUserId: null, category: null, status: null, q: '', limit: 500, offset: 0 }, { enabled: cycleId !== null });
  const parentCycleId = cycle?.parentCycleId ?? null;
  const year = useObjectives({ cycleId: parentCycleId, teamId: null, ownerUserId: null, category: null, status: null, q: '', limit: 500, offset: 0 }, { enabled: parentCycleId !== null });
  const items = [...(year.data?.items ?? []), ...(own.data?.items ?? [])].filter((o) => o.id !== excludeId && o.status !== 'draft');
  return items.map((o) => ({ value: o.id, label: `${o.title} · ${o.owner.name}${o.cycleId !== cycleId ? ` (${o.cycleKey})` : ''}` }));
}

interface FormValues {
  cycleId: string | null;
  title: string;
  description: string;
  category: OkrCategory;
  commitment: Commitment;
  visibility: Visibility;
  parentId: string | null;
  owner: OwnerValue;
}

function NewObjectiveModal({ cycleId, onClose }: { cycleId: string | null; onClose: () => void }) {
  const { t } = useTranslation();
  const session = useSession();
  const notify = useNotify();
  const navigate = useNavigate();
  const cycles = useCycles();
  const create = useCreateObjective();
  const form = useForm<FormValues>({
    initialValues: {
      cycleId: cycleId ?? cycles.data?.currentCycleId ?? null,
      title: '',
      description: '',
      category: 'revenue',
      commitment: 'committed',
      visibility: 'tenant',
      parentId: null,
      owner: { kind: 'user', userId: session.user.id, userName: session.user.name, teamId: null },
    },
    validate: {
      cycleId: (value) => (value ? null : t('validation.required')),
      title: (value) => (value.trim() ? null : t('validation.required')),
      owner: (value) => (ownerRef(value) ? null : t('validation.required')),
    },
  });
  const parents = useParentOptions(form.values.cycleId);

  const submit = form.onSubmit(async (values) => {
    const owner = ownerRef(values.owner);
    if (!values.cycleId || !owner) return;
    try {
      const created = await create.mutateAsync({
        cycleId: values.cycleId,
        owner,
        title: values.title.trim(),
        description: values.description.trim(),
        category: values.category,
        commitment: values.commitment,
        visibility: values.visibility,
        parent: values.parentId ? { objectiveId: values.parentId } : null,
      });
      notify.success(t('okrs.form.created'));
      onClose();
      void navigate(`/okrs/objectives/${created.id}`);
    } catch (error) {
      if (!applyFormErrors(form, error)) notify.error(error);
    }
  });

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="md">
        <TextInput label={t('okrs.fields.title')} description={t('okrs.form.titleHelp')} required data-autofocus {...form.getInputProps('title')} />
        <Textarea label={t('okrs.fields.description')} autosize minRows={2} maxRows={6} {...form.getInputProps('description')} />
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <Select
            label={t('okrs.fields.cycle')}
            data={(cycles.data?.items ?? []).filter((c) => c.status === 'open').map((c) => ({ value: c.id, label: c.key }))}
            required
            allowDeselect={false}
            {...form.getInputProps('cycleId')}
          />
          <Select
            label={t('okrs.fields.category')}
            data={OKR_CATEGORIES.map((c) => ({ value: c, label: t(`okrs.category.${c}`) }))}
            allowDeselect={false}
            {...form.getInputProps('category')}
          />
        </SimpleGrid>
        <OwnerPicker value={form.values.owner} onChange={(owner) => form.setFieldValue('owner', owner)} error={form.errors.owner} />
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <Stack gap={4}>
            <Text size="sm" fw={500}>
              {t('okrs.fields.commitment')}
            </Text>
            <SegmentedControl
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
              value={form.values.visibility}
              onChange={(v) => form.setFieldValue('visibility', v === 'private' ? 'private' : 'tenant')}
              data={[
                { value: 'tenant', label: t('okrs.visibility.tenant') },
                { value: 'private', label: t('okrs.visibility.private') },
              ]}
            />
          </Stack>
        </SimpleGrid>
        <Select label={t('okrs.fields.parent')} description={t('okrs.form.parentHelp')} data={parents} searchable clearable {...form.getInputProps('parentId')} comboboxProps={{ withinPortal: true }} />
        <Text size="xs" c="dimmed">
          {t('okrs.form.draftNote')}
        </Text>
        <FormActions onCancel={onClose} submitLabel={t('okrs.form.create')} loading={create.isPending} icon={<IconPlus size={16} />} />
      </Stack>
    </form>
  );
}

export function NewObjectiveButton({ cycleId, ...props }: { cycleId: string | null } & ButtonProps) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button onClick={() => setOpen(true)} {...props}>
        {t('okrs.form.new')}
      </Button>
      <Modal opened={open} onClose={() => setOpen(false)} title={t('okrs.form.newTitle')} size="lg" closeButtonProps={{ 'aria-label': t('common.close') }}>
        {open && <NewObjectiveModal cycleId={cycleId} onClose={() => setOpen(false)} />}
      </Modal>
    </>
  );
}
