import { Alert, Badge, Button, Card, Group, Modal, Radio, Select, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { IconWand } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { ALLOCATION_METHODS, useAllocateVersion, type AllocationMethod, type QuotaLevels, type QuotaPlan } from '../../api/planning-queries';
import { useFormat } from '../../i18n/format';
import { useNotify } from '../../lib/use-notify';
import { currencyDigits, minorToInput, parseMinor } from './money-input';

/** A money field that keeps the typed text and reports exact minor units (null while invalid). */
export function MoneyField({ label, currency, value, onChange, required, testId, description }: {
  label: string;
  currency: string;
  value: number | null;
  onChange: (minor: number | null) => void;
  required?: boolean;
  testId?: string;
  description?: string;
}) {
  const { t } = useTranslation();
  const format = useFormat();
  const digits = currencyDigits(currency);
  const [text, setText] = useState(value === null ? '' : minorToInput(value, { digits, locale: format.locale }));
  const parsed = text.trim() === '' ? null : parseMinor(text, { digits, locale: format.locale });
  const invalid = text.trim() !== '' && parsed === null;
  return (
    <TextInput
      label={label}
      description={description ?? (parsed !== null ? format.money(parsed, currency) : undefined)}
      rightSection={<Text size="xs" c="dimmed">{currency}</Text>}
      rightSectionWidth={48}
      inputMode="decimal"
      value={text}
      required={required ?? false}
      error={invalid ? t('planning.money.invalid') : undefined}
      data-testid={testId}
      onChange={(event) => {
        const next = event.currentTarget.value;
        setText(next);
        onChange(next.trim() === '' ? null : parseMinor(next, { digits, locale: format.locale }));
      }}
    />
  );
}

export function VersionBadge({ isLocked }: { isLocked: boolean }) {
  const { t } = useTranslation();
  return (
    <Badge variant="light" color={isLocked ? 'violet' : 'gray'} data-testid="version-status">
      {t(isLocked ? 'planning.version.locked' : 'planning.version.draft')}
    </Badge>
  );
}

/** Top-down allocation of a plan's target into a new draft version. */
export function AllocateModal({ plan, opened, onClose }: { plan: QuotaPlan | null; opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const format = useFormat();
  const notify = useNotify();
  const navigate = useNavigate();
  const allocate = useAllocateVersion();
  const [method, setMethod] = useState<AllocationMethod>('historical');
  const [levels, setLevels] = useState<QuotaLevels>('teams');
  const [effectiveFrom, setEffectiveFrom] = useState('');
  const [note, setNote] = useState('');
  if (!plan) return null;
  const from = effectiveFrom || `${plan.fiscalYear}-01-01`;
  return (
    <Modal opened={opened} onClose={onClose} title={t('planning.allocate.title', { name: plan.name })} size="lg">
      <form
        onSubmit={(event) => {
          event.preventDefault();
          allocate.mutate(
            { planId: plan.id, method, levels, effectiveFrom: from, ...(note.trim() ? { note: note.trim() } : {}) },
            {
              onSuccess: (version) => {
                if (version.warnings.length > 0) notify.success(t('planning.allocate.doneWithWarnings', { count: version.warnings.length }));
                else notify.success(t('planning.allocate.done', { version: version.version }));
                onClose();
                void navigate(`/quotas/versions/${version.id}`);
              },
              onError: (error) => notify.error(error),
            },
          );
        }}
      >
        <Stack>
          <Text size="sm" c="dimmed">
            {t('planning.allocate.intro', { target: format.money(plan.targetMinor, plan.currency), year: plan.fiscalYear })}
          </Text>
          <Radio.Group label={t('planning.allocate.method')} value={method} onChange={(value) => setMethod(value as AllocationMethod)}>
            <Stack gap="xs" mt="xs">
              {ALLOCATION_METHODS.map((m) => (
                <Card key={m} withBorder padding="sm" radius="md">
                  <Radio value={m} label={t(`planning.method.${m}`)} description={t(`planning.methodHelp.${m}`)} data-testid={`method-${m}`} />
                </Card>
              ))}
            </Stack>
          </Radio.Group>
          <Select
            label={t('planning.allocate.levels')}
            data={[{ value: 'teams', label: t('planning.levels.teams') }, { value: 'territories', label: t('planning.levels.territories') }]}
            value={levels}
            onChange={(value) => setLevels((value as QuotaLevels | null) ?? 'teams')}
            allowDeselect={false}
            data-testid="allocate-levels"
          />
          <TextInput type="date" label={t('planning.allocate.effectiveFrom')} value={from} onChange={(e) => setEffectiveFrom(e.currentTarget.value)} required />
          <Textarea label={t('planning.allocate.note')} value={note} onChange={(e) => setNote(e.currentTarget.value)} autosize minRows={2} />
          <Alert variant="light" color="blue">{t('planning.allocate.seasonality')}</Alert>
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>{t('common.cancel')}</Button>
            <Button type="submit" leftSection={<IconWand size={16} />} loading={allocate.isPending} data-testid="allocate-submit">
              {t('planning.allocate.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** A period key ('2026-Q1', '2026-03', 'FY2026') as a short column label. */
export function usePeriodLabel() {
  const { t } = useTranslation();
  const format = useFormat();
  return (period: string): string => {
    const quarter = /^(\d{4})-Q([1-4])$/.exec(period);
    if (quarter) return t('planning.period.quarter', { quarter: quarter[2], year: quarter[1] });
    const month = /^(\d{4})-(\d{2})$/.exec(period);
    if (month) return `${format.month(Number(month[2])).slice(0, 3)} ${month[1]}`;
    const year = /^FY(\d{4})$/.exec(period);
    if (year) return t('planning.period.year', { year: year[1] });
    return period;
  };
}

