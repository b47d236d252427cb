// Names for forecast group keys: ids resolve through the API's labels; the two keys that are
// not ids (no owner/team, no single territory) and 'company' are translated.
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { GroupLabel } from '../../api/forecast-queries';

export function useGroupName(labels: readonly GroupLabel[] | undefined): (key: string) => string {
  const { t } = useTranslation();
  const names = new Map((labels ?? []).map((l) => [l.groupKey, l.name] as const));
  return (key) => {
    if (key === 'unassigned' || key === '(no team)' || key === '(no territory)') return t('forecast.groups.unassigned');
    if (key === 'overlap') return t('forecast.groups.overlap');
    if (key === 'company') return t('forecast.groups.company');
    return names.get(key) ?? t('forecast.groups.unknown');
  };
}

/** A ratio as a percentage (0.123 → 12.3 %), '—' when there is none. */
export function useFormatRate(): (rate: number | null, digits?: number) => string {
  const { i18n } = useTranslation();
  const locale = i18n.resolvedLanguage ?? i18n.language;
  return (rate, digits = 1) => (rate === null || !Number.isFinite(rate) ? '—' : new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: digits }).format(rate));
}

/** Money in minor units shown in whole currency units (forecasts are estimates: no cents). */
export function useWholeMoney(currency: string): (minor: number) => string {
  const { i18n } = useTranslation();
  const locale = i18n.resolvedLanguage ?? i18n.language;
  return useMemo(() => {
    let digits = 2;
    let format: Intl.NumberFormat;
    try {
      digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
      format = new Intl.NumberFormat(locale, { style: 'currency', currency, maximumFractionDigits: 0 });
    } catch {
      format = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
    }
    return (minor: number) => format.format(minor / 10 ** digits);
  }, [locale, currency]);
}
