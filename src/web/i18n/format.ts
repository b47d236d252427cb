import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';

const DAY_MS = 86_400_000;

/** Intl formatters for the active language: dates, instants, relative times, money. */
export function useFormat() {
  const { i18n } = useTranslation();
  const locale = i18n.resolvedLanguage ?? i18n.language;

  return useMemo(() => {
    const dateFormat = new Intl.DateTimeFormat(locale, { dateStyle: 'medium' });
    const calendarFormat = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' });
    const dateTimeFormat = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
    const relativeFormat = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
    const monthFormat = new Intl.DateTimeFormat(locale, { month: 'long', timeZone: 'UTC' });
    const numberFormat = new Intl.NumberFormat(locale);

    return {
      locale,
      /** An instant (ISO timestamp) as a date. */
      date: (iso: string) => dateFormat.format(new Date(iso)),
      /** A calendar date 'YYYY-MM-DD', never shifted by the time zone. */
      calendarDate: (isoDate: string) => calendarFormat.format(new Date(`${isoDate.slice(0, 10)}T00:00:00Z`)),
      dateTime: (iso: string) => dateTimeFormat.format(new Date(iso)),
      relative: (iso: string, now: number = Date.now()) => {
        const diff = new Date(iso).getTime() - now;
        const abs = Math.abs(diff);
        if (abs < 60_000) return relativeFormat.format(Math.round(diff / 1000), 'second');
        if (abs < 3_600_000) return relativeFormat.format(Math.round(diff / 60_000), 'minute');
        if (abs < DAY_MS) return relativeFormat.format(Math.round(diff / 3_600_000), 'hour');
        if (abs < 30 * DAY_MS) return relativeFormat.format(Math.round(diff / DAY_MS), 'day');
        return dateFormat.format(new Date(iso));
      },
      /** Month 1–12 by name. */
      month: (month: number) => monthFormat.format(new Date(Date.UTC(2024, month - 1, 1))),
      number: (value: number) => numberFormat.format(value),
      /** Money held in integer minor units, shown in the currency's own precision. */
      money: (amountMinor: number, currency: string) => {
        const format = new Intl.NumberFormat(locale, { style: 'currency', currency });
        const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
        return format.format(amountMinor / 10 ** digits);
      },
      currencyName: (currency: string) => {
        try {
          return new Intl.DisplayNames([locale], { type: 'currency' }).of(currency) ?? currency;
        } catch {
          return currency;
        }
      },
    };
  }, [locale]);
}
