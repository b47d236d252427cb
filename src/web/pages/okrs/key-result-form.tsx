import { Alert, Modal, NumberInput, SegmentedControl, Select, SimpleGrid, Stack, Switch, Text, Textarea, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconDeviceFloppy, IconHistory } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { useMetrics } from '../../api/data-queries';
import {
  KEY_RESULT_KINDS,
  KEY_RESULT_UNITS,
  useAddKeyResult,
  useUpdateKeyResult,
  type Direction,
  type KeyResult,
  type KeyResultInput,
  type KeyResultKind,
  type KeyResultUnit,
} from '../../api/okr-queries';
import { FormActions } from '../../components/form-actions';
import { applyFormErrors } from '../../lib/apply-form-errors';
import { useLabel } from '../../lib/value-format';
import { useNotify } from '../../lib/use-notify';

interface Values {
  title: string;
  kind: KeyResultKind;
  unit: KeyResultUnit;
  direction: Direction;
  start: number | string;
  target: number | string;
  fromQuota: boolean;
  weight: number | string;
  metricKey: string | null;
  tenantScope: boolean;
  checklist: string;
  guardrailMode: 'stay_above' | 'stay_below';
  guardrailLimit: number | string;
  trackingNote: string;
  reason: string;
}

const LINEAR: readonly KeyResultKind[] = ['metric', 'number', 'percent', 'currency'];
const num = (v: number | string): number | null => (v === '' || v === null ? null : Number(v));
/** Money key results can take their target from the owner's quota (quota planning). */
const isMoney = (values: Pick<Values, 'kind' | 'unit'>): boolean => values.kind === 'currency' || (values.kind === 'metric' && values.unit === 'money');

function toInput(values: Values): KeyResultInput {
  const linear = LINEAR.includes(values.kind);
  return {
    title: values.title.trim(),
    kind: values.kind,
    unit: values.kind === 'currency' ? 'money' : values.kind === 'percent' ? 'percent' : values.unit,
    direction: values.direction,
    start: linear ? num(values.start) : null,
    ...(linear && values.fromQuota && isMoney(values) ? { target: null, targetFromQuota: true } : { target: linear ? num(values.target) : null }),
    weight: num(values.weight) ?? 1,
    metric: values.kind === 'metric' && values.metricKey ? { key: values.metricKey, parameters: values.tenantScope ? { scope: 'tenant' } : {} } : null,
    checklist: values.kind === 'checklist' ? values.checklist.split('\n').map((line) => line.trim()).filter(Boolean) : [],
    guardrail: values.kind === 'guardrail' ? { mode: values.guardrailMode, limit: num(values.guardrailLimit) ?? 0 } : null,
    trackingNote: values.trackingNote.trim() || null,
  };
}

/** Only what changed, so an unchanged definition never becomes a revision. */
function changes(kr: KeyResult, input: KeyResultInput): Partial<KeyResultInput> {
  const out: Partial<KeyResultInput> = {};
  if (input.title !== kr.title) out.title = input.title;
  if (input.unit && input.unit !== kr.unit) out.unit = input.unit;
  if (input.direction && input.direction !== kr.direction) out.direction = input.direction;
  if ((input.start ?? null) !== kr.start && LINEAR.includes(kr.kind)) out.start = input.start ?? null;
  if (input.targetFromQuota) out.targetFromQuota = true;
  else if ((input.target ?? null) !== kr.target && LINEAR.includes(kr.kind)) out.target = input.target ?? null;
  if (input.weight !== kr.weight) out.weight = input.weight ?? 1;
  if (kr.kind === 'metric' && (input.metric?.key !== kr.metric?.key || (input.metric?.parameters?.scope ?? null) !== (kr.metric?.parameters.scope ?? null))) out.metric = input.metric ?? null;
  if (kr.kind === 'checklist' && JSON.stringify(input.checklist) !== JSON.stringify(kr.checklist.map((i) => i.title))) out.checklist = input.checklist ?? [];
  if (kr.kind === 'guardrail' && JSON.stringify(input.guardrail) !== JSON.stringify(kr.guardrail)) out.guardrail = input.guardrail ?? null;
  if ((input.trackingNote ?? null) !== kr.trackingNote) out.trackingNote = input.trackingNote ?? null;
  return out;
}

function KeyResultForm({ objectiveId, existing, isActive, onClose, onRevised }: { objectiveId: string; existing: KeyResult | null; isActive: boolean; onClose: () => void; onRevised: (kr: KeyResult) => void }) {
  const { t } = useTranslation();
  const notify = useNotify();
  const label = useLabel();
  const metrics = useMetrics();
  const add = useAddKeyResult();
  const update = useUpdateKeyResult();
  const needsReason = existing !== null && isActive;
  const form = useForm<Values>({
    initialValues: {
      title: existing?.title ?? '',
      kind: existing?.kind ?? 'number',
      unit: existing?.unit ?? 'count',
      direction: existing?.direction ?? 'increase',
      start: existing?.start ?? 0,
      target: existing?.target ?? '',
      fromQuota: false,
      weight: existing?.weight ?? 1,
      metricKey: existing?.metric?.key ?? null,
      tenantScope: existing?.metric?.parameters.scope === 'tenant',
      checklist: existing?.checklist.map((i) => i.title).join('\n') ?? '',
      guardrailMode: existing?.guardrail?.mode ?? 'stay_below',
      guardrailLimit: existing?.guardrail?.limit ?? '',
      trackingNote: existing?.trackingNote ?? '',
      reason: '',
    },
    validate: {
      title: (v) => (v.trim() ? null : t('validation.required')),
      metricKey: (v, values) => (values.kind === 'metric' && !v ? t('validation.required') : null),
      target: (v, values) => (LINEAR.includes(values.kind) && v === '' && !(values.fromQuota && isMoney(values)) ? t('okrs.krForm.targetRequired') : null),
      guardrailLimit: (v, values) => (values.kind === 'guardrail' && v === '' ? t('validation.required') : null),
      checklist: (v, values) => (values.kind === 'checklist' && !v.trim() ? t('validation.required') : null),
    },
  });
  const kind = form.values.kind;
  const linear = LINEAR.includes(kind);
  const input = toInput(form.values);
  const patch = existing ? changes(existing, input) : null;
  const definitionChanged = patch !== null && Object.keys(patch).some((key) => key !== 'trackingNote');

  const submit = form.onSubmit(async (values) => {
    try {
      if (existing) {
        const body = changes(existing, toInput(values));
        if (Object.keys(body).length === 0) {
          onClose();
          return;
        }
        if (needsReason && definitionChanged && !values.reason.trim()) {
          form.setFieldError('reason', t('okrs.krForm.reasonRequired'));
          return;
        }
        const result = await update.mutateAsync({ id: existing.id, ...body, ...(needsReason && definitionChanged ? { reason: values.reason.trim() } : {}) });
        notify.success(result.revised ? t('okrs.krForm.revised') : t('okrs.krForm.saved'));
        onClose();
        const next = result.keyResults.find((kr) => kr.id === existing.id);
        if (result.revised && next) onRevised(next);
      } else {
        await add.mutateAsync({ objectiveId, ...toInput(values) });
        notify.success(t('okrs.krForm.added'));
        onClose();
      }
    } catch (error) {
      if (!applyFormErrors(form, error)) notify.error(error);
    }
  });

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="md">
        <TextInput label={t('okrs.krForm.title')} description={t('okrs.krForm.titleHelp')} required data-autofocus {...form.getInputProps('title')} />
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <Select
            label={t('okrs.krForm.kind')}
            data={KEY_RESULT_KINDS.map((k) => ({ value: k, label: t(`okrs.kind.${k}`) }))}
            allowDeselect={false}
            disabled={existing !== null}
            {...form.getInputProps('kind')}
          />
          {(kind === 'metric' || kind === 'number' || kind === 'guardrail') && (
            <Select label={t('okrs.krForm.unit')} data={KEY_RESULT_UNITS.map((u) => ({ value: u, label: t(`okrs.unit.${u}`) }))} allowDeselect={false} {...form.getInputProps('unit')} />
          )}
        </SimpleGrid>
        {kind === 'metric' && (
          <Stack gap="xs">
            <Select
              label={t('okrs.krForm.metric')}
              description={t('okrs.krForm.metricHelp')}
              data={(metrics.data ?? []).map((m) => ({ value: m.key, label: label(m.definition.name) }))}
              searchable
              required
              {...form.getInputProps('metricKey')}
              comboboxProps={{ withinPortal: true }}
            />
            <Switch label={t('okrs.krForm.tenantScope')} description={t('okrs.krForm.tenantScopeHelp')} {...form.getInputProps('tenantScope', { type: 'checkbox' })} />
          </Stack>
        )}
        {linear && (
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <Stack gap={4}>
              <Text size="sm" fw={500}>
                {t('okrs.krForm.direction')}
              </Text>
              <SegmentedControl
                value={form.values.direction}
                onChange={(v) => form.setFieldValue('direction', v === 'decrease' ? 'decrease' : 'increase')}
                data={[
                  { value: 'increase', label: t('okrs.direction.increase') },
                  { value: 'decrease', label: t('okrs.direction.decrease') },
                ]}
              />
            </Stack>
            <NumberInput label={t('okrs.krForm.start')} thousandSeparator {...form.getInputProps('start')} />
            <NumberInput
              label={t('okrs.krForm.target')}
              thousandSeparator
              required={!(form.values.fromQuota && isMoney(form.values))}
              disabled={form.values.fromQuota && isMoney(form.values)}
              placeholder={form.values.fromQuota && isMoney(form.values) ? t('okrs.krForm.fromQuotaPlaceholder') : undefined}
              {...form.getInputProps('target')}
            />
          </SimpleGrid>
        )}
        {linear && isMoney(form.values) && (
          <Switch
            label={existing ? t('okrs.krForm.fromQuotaAgain') : t('okrs.krForm.fromQuota')}
            description={t('okrs.krForm.fromQuotaHelp')}
            data-testid="kr-from-quota"
            {...form.getInputProps('fromQuota', { type: 'checkbox' })}
          />
        )}
        {kind === 'checklist' && <Textarea label={t('okrs.krForm.checklist')} description={t('okrs.krForm.checklistHelp')} autosize minRows={3} required {...form.getInputProps('checklist')} />}
        {kind === 'guardrail' && (
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <Select
              label={t('okrs.krForm.guardrailMode')}
              data={[
                { value: 'stay_above', label: t('okrs.krForm.stayAbove') },
                { value: 'stay_below', label: t('okrs.krForm.stayBelow') },
              ]}
              allowDeselect={false}
              {...form.getInputProps('guardrailMode')}
            />
            <NumberInput label={t('okrs.krForm.limit')} required {...form.getInputProps('guardrailLimit')} />
          </SimpleGrid>
        )}
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <NumberInput label={t('okrs.krForm.weight')} description={t('okrs.krForm.weightHelp')} min={0} {...form.getInputProps('weight')} />
          <TextInput label={t('okrs.krForm.trackingNote')} description={t('okrs.krForm.trackingNoteHelp')} {...form.getInputProps('trackingNote')} />
        </SimpleGrid>
        {needsReason && definitionChanged && (
          <>
            <Alert variant="light" color="blue" icon={<IconHistory />}>
              {t('okrs.krForm.revisionNote')}
            </Alert>
            <Textarea label={t('okrs.krForm.reason')} required autosize minRows={2} {...form.getInputProps('reason')} data-testid="revision-reason" />
          </>
        )}
        <FormActions onCancel={onClose} submitLabel={existing ? t('common.saveChanges') : t('okrs.krForm.add')} loading={add.isPending || update.isPending} icon={<IconDeviceFloppy size={16} />} />
      </Stack>
    </form>
  );
}

export function KeyResultModal({
  opened,
  objectiveId,
  existing,
  isActive,
  onClose,
  onRevised,
}: {
  opened: boolean;
  objectiveId: string;
  existing: KeyResult | null;
  isActive: boolean;
  onClose: () => void;
  onRevised: (kr: KeyResult) => void;
}) {
  const { t } = useTranslation();
  return (
    <Modal opened={opened} onClose={onClose} title={existing ? t('okrs.krForm.editTitle') : t('okrs.krForm.addTitle')} size="lg" closeButtonProps={{ 'aria-label': t('common.close') }}>
      {opened && <KeyResultForm objectiveId={objectiveId} existing={existing} isActive={isActive} onClose={onClose} onRevised={onRevised} />}
    </Modal>
  );
}
