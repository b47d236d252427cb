// Small pieces every OKR page shares: score, band, pace and status badges, progress bars,
// key-result values in their unit, the cycle picker and the area's tabs.
import { Badge, Group, Progress, Select, Tabs, Text, Tooltip, type MantineColor } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import {
  IconAlertTriangle,
  IconCalendarEvent,
  IconChecklist,
  IconHierarchy3,
  IconLayoutList,
  IconMessages,
  IconRefresh,
  IconTemplate,
} from '@tabler/icons-react';
import { useCallback, useMemo, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation, useNavigate, useSearchParams } from 'react-router';
import { useCycles, type KeyResult, type KeyResultUnit, type ObjectiveStatus, type OkrBand, type OkrCycle, type PaceStatus } from '../../api/okr-queries';
import { isApiError } from '../../api/client';
import { useCan, useSession } from '../../auth/session';
import { useFormat } from '../../i18n/format';
import { useNotify } from '../../lib/use-notify';

export const BAND_COLOR: Record<OkrBand, MantineColor> = { red: 'red', yellow: 'yellow', green: 'teal' };
export const PACE_COLOR: Record<PaceStatus, MantineColor> = { on_track: 'teal', behind: 'yellow', at_risk: 'red', not_started: 'gray' };
export const STATUS_COLOR: Record<ObjectiveStatus, MantineColor> = { draft: 'gray', proposed: 'blue', active: 'teal', closed: 'dark' };

/** Ordering that puts what needs attention first. */
export const PACE_ORDER: Record<PaceStatus, number> = { at_risk: 0, behind: 1, not_started: 2, on_track: 3 };

/** Google's grading shows one decimal (0.7, not 0.6996), with the language's decimal mark. */
export function useScoreText(digits = 1): (score: number) => string {
  const { locale } = useFormat();
  return useMemo(() => {
    const format = new Intl.NumberFormat(locale, { minimumFractionDigits: digits, maximumFractionDigits: digits });
    return (score: number) => format.format(score);
  }, [locale, digits]);
}

export function ScoreBadge({ score, band, size = 'md', digits = 1 }: { score: number; band: OkrBand; size?: 'sm' | 'md' | 'lg' | 'xl'; digits?: 1 | 2 }) {
  const { t } = useTranslation();
  const scoreText = useScoreText(digits);
  const precise = useScoreText(2);
  return (
    <Tooltip label={t('okrs.score.tooltip', { score: precise(score), band: t(`okrs.band.${band}`) })} withArrow>
      <Badge
        color={BAND_COLOR[band]}
        variant="filled"
        size={size}
        radius="sm"
        miw={size === 'xl' ? 64 : 44}
        styles={{ label: { fontVariantNumeric: 'tabular-nums' } }}
        data-testid="score-badge"
        aria-label={t('okrs.score.aria', { score: scoreText(score) })}
      >
        {scoreText(score)}
      </Badge>
    </Tooltip>
  );
}

export function PaceBadge({ status, size = 'sm' }: { status: PaceStatus; size?: 'xs' | 'sm' | 'md' }) {
  const { t } = useTranslation();
  return (
    <Badge color={PACE_COLOR[status]} variant="light" size={size} data-testid="pace-badge">
      {t(`okrs.pace.${status}`)}
    </Badge>
  );
}

export function StatusBadge({ status, size = 'sm' }: { status: ObjectiveStatus; size?: 'xs' | 'sm' | 'md' | 'lg' }) {
  const { t } = useTranslation();
  return (
    <Badge color={STATUS_COLOR[status]} variant={status === 'active' ? 'light' : 'outline'} size={size} data-testid="status-badge">
      {t(`okrs.status.${status}`)}
    </Badge>
  );
}

/** A score as a bar: the band's colour, and a tick where the expected progress stands. */
export function ScoreBar({ score, band, expected, size = 'md' }: { score: number; band: OkrBand; expected?: number | null; size?: 'sm' | 'md' | 'lg' }) {
  const { t } = useTranslation();
  const scoreText = useScoreText();
  const height = size === 'sm' ? 6 : size === 'md' ? 10 : 14;
  return (
    <div style={{ position: 'relative' }}>
      <Progress
        value={Math.max(0, Math.min(1, score)) * 100}
        color={BAND_COLOR[band]}
        size={height}
        radius="xl"
        aria-label={t('okrs.score.aria', { score: scoreText(score) })}
      />
      {expected !== undefined && expected !== null && expected > 0 && expected < 1 && (
        <Tooltip label={t('okrs.pace.expectedAt', { percent: Math.round(expected * 100) })} withArrow>
          <div
            aria-hidden
            style={{
              position: 'absolute',
              left: `${expected * 100}%`,
              top: -3,
              width: 2,
              height: height + 6,
              borderRadius: 1,
              background: 'var(--mantine-color-text)',
              opacity: 0.55,
            }}
          />
        </Tooltip>
      )}
    </div>
  );
}

/** Key-result values in their unit: money in major units of the workspace currency. */
export function useKrFormat() {
  const { t } = useTranslation();
  const format = useFormat();
  const session = useSession();
  const currency = session.tenant.currency;
  return useMemo(() => {
    const value = (amount: number | null, unit: KeyResultUnit): string => {
      if (amount === null) return '—';
      switch (unit) {
        case 'money':
          try {
            return new Intl.NumberFormat(format.locale, { style: 'currency', currency, maximumFractionDigits: Math.abs(amount) >= 1000 ? 0 : 2 }).format(amount);
          } catch {
            return `${amount} ${currency}`;
          }
        case 'percent':
          return new Intl.NumberFormat(format.locale, { style: 'percent', maximumFractionDigits: 1 }).format(amount / 100);
        case 'days':
          return new Intl.NumberFormat(format.locale, { style: 'unit', unit: 'day', unitDisplay: 'long', maximumFractionDigits: 1 }).format(amount);
        case 'hours':
          return new Intl.NumberFormat(format.locale, { style: 'unit', unit: 'hour', unitDisplay: 'long', maximumFractionDigits: 1 }).format(amount);
        case 'count':
          return new Intl.NumberFormat(format.locale, { maximumFractionDigits: 1 }).format(amount);
        case 'number':
          return new Intl.NumberFormat(format.locale, { maximumFractionDigits: 2 }).format(amount);
        default: {
          const unreachable: never = unit;
          return String(unreachable);
        }
      }
    };
    /** "€269,479 of €450,000", "2 of 3 done", "Done", "2.6 % (stay below 3 %)". */
    const progress = (kr: Pick<KeyResult, 'kind' | 'unit' | 'current' | 'target' | 'start' | 'checklist' | 'guardrail'>): string => {
      switch (kr.kind) {
        case 'milestone':
          return kr.current !== null && kr.current >= 1 ? t('okrs.kr.milestoneDone') : t('okrs.kr.milestoneOpen');
        case 'checklist':
          return t('okrs.kr.checklistProgress', { done: kr.checklist.filter((item) => item.done).length, total: kr.checklist.length });
        case 'guardrail':
          return kr.guardrail
            ? t(`okrs.kr.guardrail.${kr.guardrail.mode}`, { value: value(kr.current, kr.unit), limit: value(kr.guardrail.limit, kr.unit) })
            : value(kr.current, kr.unit);
        case 'metric':
        case 'number':
        case 'percent':
        case 'currency':
          if (kr.target === null) return value(kr.current, kr.unit);
          if (kr.current === null) return t('okrs.kr.noValue', { target: value(kr.target, kr.unit) });
          return t('okrs.kr.ofTarget', { current: value(kr.current, kr.unit), target: value(kr.target, kr.unit) });
        default: {
          const unreachable: never = kr.kind;
          return String(unreachable);
        }
      }
    };
    return { value, progress, currency };
  }, [t, format.locale, currency]);
}

/**
 * The cycle in the URL (`?cycle=`), else the one that covers today, else the newest. Changing
 * it keeps the other search parameters.
 */
export function useCycleParam() {
  const cycles = useCycles();
  const [params, setParams] = useSearchParams();
  const requested = params.get('cycle');
  const items = cycles.data?.items ?? [];
  const cycleId = items.some((c) => c.id === requested) ? requested : (cycles.data?.currentCycleId ?? items[0]?.id ?? null);
  const cycle: OkrCycle | null = items.find((c) => c.id === cycleId) ?? null;
  const setCycle = (id: string) => {
    const next = new URLSearchParams(params);
    next.set('cycle', id);
    setParams(next, { replace: true });
  };
  return { cycles, items, cycleId, cycle, setCycle, currentCycleId: cycles.data?.currentCycleId ?? null };
}

export function CycleSelect({ items, value, onChange, currentCycleId, label }: { items: OkrCycle[]; value: string | null; onChange: (id: string) => void; currentCycleId: string | null; label?: string }) {
  const { t } = useTranslation();
  const format = useFormat();
  const data = items.map((cycle) => ({
    value: cycle.id,
    label: `${cycle.key}${cycle.id === currentCycleId ? ` · ${t('okrs.cycle.current')}` : cycle.status === 'closed' ? ` · ${t('okrs.cycle.closed')}` : ''}`,
  }));
  const selected = items.find((c) => c.id === value);
  return (
    <Select
      label={label}
      aria-label={label ? undefined : t('okrs.cycle.label')}
      data={data}
      value={value}
      onChange={(next) => next && onChange(next)}
      allowDeselect={false}
      leftSection={<IconCalendarEvent size={16} />}
      w={220}
      title={selected ? `${format.calendarDate(selected.start)} – ${format.calendarDate(addDaysIso(selected.end, -1))}` : undefined}
      data-testid="cycle-select"
      comboboxProps={{ withinPortal: true }}
    />
  );
}

export function addDaysIso(date: string, days: number): string {
  const ms = Date.parse(`${date}T00:00:00Z`) + days * 86_400_000;
  return new Date(ms).toISOString().slice(0, 10);
}

type OkrTab = 'alignment' | 'objectives' | 'checkIn' | 'meeting' | 'templates' | 'retrospective' | 'cycles';
const TABS: readonly { id: OkrTab; path: string; icon: typeof IconHierarchy3; permission?: 'okrs:write' | 'okrs:admin' }[] = [
  { id: 'alignment', path: '/okrs', icon: IconHierarchy3 },
  { id: 'objectives', path: '/okrs/objectives', icon: IconLayoutList },
  { id: 'checkIn', path: '/okrs/check-in', icon: IconChecklist, permission: 'okrs:write' },
  { id: 'meeting', path: '/okrs/meeting', icon: IconMessages },
  { id: 'templates', path: '/okrs/templates', icon: IconTemplate },
  { id: 'retrospective', path: '/okrs/retrospective', icon: IconRefresh },
  { id: 'cycles', path: '/okrs/cycles', icon: IconCalendarEvent, permission: 'okrs:admin' },
];

/** The OKR area's sections, shown under each page's header; the cycle travels along. */
export function OkrTabs() {
  const { t } = useTranslation();
  const location = useLocation();
  const navigate = useNavigate();
  const can = useCan();
  const [params] = useSearchParams();
  const cycle = params.get('cycle');
  const active =
    [...TABS].reverse().find((tab) => (tab.path === '/okrs' ? location.pathname === '/okrs' || location.pathname === '/okrs/' : location.pathname.startsWith(tab.path)))?.id ??
    'objectives';
  return (
    <Tabs
      value={active}
      onChange={(value) => {
        const tab = TABS.find((entry) => entry.id === value);
        if (tab) void navigate(cycle && tab.id !== 'templates' && tab.id !== 'cycles' ? `${tab.path}?cycle=${encodeURIComponent(cycle)}` : tab.path);
      }}
      variant="default"
      mt="lg"
      mb="lg"
      aria-label={t('okrs.tabs.label')}
    >
      <Tabs.List style={{ flexWrap: 'nowrap', overflowX: 'auto', overflowY: 'hidden' }}>
        {TABS.filter((tab) => !tab.permission || can(tab.permission)).map((tab) => (
          <Tabs.Tab key={tab.id} value={tab.id} leftSection={<tab.icon size={16} />} style={{ whiteSpace: 'nowrap' }}>
            {t(`okrs.tabs.${tab.id}`)}
          </Tabs.Tab>
        ))}
      </Tabs.List>
    </Tabs>
  );
}

/** A labelled figure for summary rows. */
export function Stat({ label, value, color }: { label: string; value: ReactNode; color?: MantineColor | undefined }) {
  return (
    <div>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600} style={{ letterSpacing: 0.3 }}>
        {label}
      </Text>
      <Group gap={6} mt={2}>
        <Text fw={700} fz="xl" {...(color ? { c: color } : {})} style={{ fontVariantNumeric: 'tabular-nums' }}>
          {value}
        </Text>
      </Group>
    </div>
  );
}

const CONFLICT_REASONS = ['approver_is_proposer', 'cycle_closed', 'cycle_exists', 'cycle_not_empty', 'invalid_transition', 'not_deletable'] as const;
type ConflictReason = (typeof CONFLICT_REASONS)[number];
const isConflictReason = (value: unknown): value is ConflictReason => CONFLICT_REASONS.some((reason) => reason === value);

/**
 * Reports a failed OKR write: a 409's stable reason (the approver proposed it, the cycle is
 * closed …) in the user's language, anything else as the app's usual error notification.
 */
export function useOkrError() {
  const { t } = useTranslation();
  const notify = useNotify();
  return useCallback(
    (error: unknown) => {
      if (isApiError(error) && error.code === 'conflict') {
        const details = error.details as { reason?: unknown } | null | undefined;
        const reason = details?.reason;
        if (isConflictReason(reason)) {
          notifications.show({ color: 'orange', icon: <IconAlertTriangle size={18} />, title: t('okrs.errors.title'), message: t(`okrs.errors.${reason}`), withBorder: true, autoClose: 8000 });
          return;
        }
      }
      notify.error(error);
    },
    [t, notify],
  );
}
