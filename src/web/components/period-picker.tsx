import { Group, SegmentedControl, Select } from '@mantine/core';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { addDays, listPeriods, periodContaining, type Period } from '../../core/period';
import { useSession } from '../auth/session';
import { useFormat } from '../i18n/format';

export type PeriodKind = 'month' | 'quarter' | 'year';
export const PERIOD_KINDS = ['month', 'quarter', 'year'] as const satisfies readonly PeriodKind[];

/** Today as 'YYYY-MM-DD' (UTC): the browser is the shell, so it may read the clock. */
export function todayIso(): string {
  return new Date().toISOString().slice(0, 10);
}

/** The periods offered for a kind on the workspace's fiscal calendar, newest first. */
export function usePeriodOptions(kind: PeriodKind): Period[] {
  const session = useSession();
  const fiscalYearStartMonth = session.tenant.fiscalYearStartMonth;
  return useMemo(() => {
    const today = todayIso();
    const calendar = { fiscalYearStartMonth };
    const current = periodContaining(kind, today, calendar);
    const back = kind === 'month' ? 24 * 31 : kind === 'quarter' ? 12 * 92 : 4 * 366;
    return listPeriods(kind, addDays(current.start, -back), current.end, calendar).reverse();
  }, [kind, fiscalYearStartMonth]);
}

/** The current period of a kind on the workspace's fiscal calendar. */
export function useCurrentPeriod(kind: PeriodKind): string {
  const session = useSession();
  return periodContaining(kind, todayIso(), { fiscalYearStartMonth: session.tenant.fiscalYearStartMonth }).key;
}

/** The kind of a period key: '2026-03' month, '2026-Q1' quarter, 'FY2026' year. */
export function kindOfPeriod(key: string): PeriodKind {
  return key.startsWith('FY') ? 'year' : key.includes('Q') ? 'quarter' : 'month';
}

/** "Q1 2026 (1 Jan 2026 – 31 Mar 2026)": a period with its dates in the active language. */
export function usePeriodLabel() {
  const { t } = useTranslation();
  const format = useFormat();
  return (period: Pick<Period, 'key' | 'start' | 'end'>) =>
    t('periods.label', { key: period.key, start: format.calendarDate(period.start), end: format.calendarDate(addDays(period.end, -1)) });
}

/** Month, quarter or fiscal year, then which one. */
export function PeriodPicker({ value, onChange }: { value: string; onChange: (key: string) => void }) {
  const { t } = useTranslation();
  const kind = kindOfPeriod(value);
  const options = usePeriodOptions(kind);
  const label = usePeriodLabel();
  const session = useSession();
  const calendar = { fiscalYearStartMonth: session.tenant.fiscalYearStartMonth };
  const data = options.map((period) => ({ value: period.key, label: label(period) }));
  if (!data.some((option) => option.value === value)) data.unshift({ value, label: value });
  return (
    <Group gap="sm" wrap="wrap">
      <SegmentedControl
        aria-label={t('periods.kind')}
        value={kind}
        onChange={(next) => {
          const nextKind = PERIOD_KINDS.find((k) => k === next) ?? 'quarter';
          onChange(periodContaining(nextKind, todayIso(), calendar).key);
        }}
        data={PERIOD_KINDS.map((k) => ({ value: k, label: t(`periods.${k}`) }))}
      />
      <Select
        aria-label={t('periods.period')}
        data={data}
        value={value}
        onChange={(next) => next && onChange(next)}
        allowDeselect={false}
        searchable
        w={320}
        data-testid="period-select"
      />
    </Group>
  );
}
