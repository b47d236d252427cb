import { useTranslation } from 'react-i18next';
import type { MetricUnit } from '../../core/metrics/definition';
import type { DataRecord, Dataset, DatasetField, JsonValue } from '../api/data-queries';
import { useFormat } from '../i18n/format';

/** The label of a field or dataset in the active language. */
export function useLabel() {
  const { i18n } = useTranslation();
  const locale = (i18n.resolvedLanguage ?? i18n.language).startsWith('de') ? 'de' : 'en';
  return (label: { en: string; de: string }) => label[locale];
}

/**
 * Metric values (decimal strings; money in minor units) and record values (money and decimals
 * as exact decimal strings in major units) formatted with Intl for the active language.
 */
export function useValueFormat() {
  const { t } = useTranslation();
  const format = useFormat();
  const locale = format.locale;

  const metric = (value: string | null, unit: MetricUnit, currency: string): string => {
    if (value === null) return t('metrics.undefinedValue');
    const number = Number(value);
    switch (unit) {
      case 'money':
        return format.money(number, currency);
      case 'percent':
        return new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 }).format(number / 100);
      case 'days':
        return new Intl.NumberFormat(locale, { style: 'unit', unit: 'day', unitDisplay: 'long', maximumFractionDigits: 1 }).format(number);
      case 'hours':
        return new Intl.NumberFormat(locale, { style: 'unit', unit: 'hour', unitDisplay: 'long', maximumFractionDigits: 1 }).format(number);
      case 'ratio':
        return new Intl.NumberFormat(locale, { maximumFractionDigits: 4 }).format(number);
      case 'count':
        return new Intl.NumberFormat(locale, { maximumFractionDigits: 0 }).format(number);
      case 'number':
        return new Intl.NumberFormat(locale, { maximumFractionDigits: 2 }).format(number);
      default: {
        const unreachable: never = unit;
        return String(unreachable);
      }
    }
  };

  /** A record's money value (an exact decimal string in major units) in its currency, as the chips and totals show money. */
  const recordMoney = (value: JsonValue, currency: string): string => {
    try {
      return new Intl.NumberFormat(locale, { style: 'currency', currency }).format(Number(value));
    } catch {
      return `${String(value)} ${currency}`;
    }
  };

  const field = (dataset: Pick<Dataset, 'currencyField'>, def: DatasetField, record: Pick<DataRecord, 'values' | 'ownerName'>, tenantCurrency: string): string => {
    const value: JsonValue | undefined = record.values[def.key];
    if (value === null || value === undefined || value === '') return '—';
    switch (def.type) {
      case 'money':
        return recordMoney(value, dataset.currencyField ? String(record.values[dataset.currencyField] ?? tenantCurrency) : tenantCurrency);
      case 'number':
        return new Intl.NumberFormat(locale, { maximumFractionDigits: def.scale ?? 6 }).format(Number(value));
      case 'boolean':
        return value === true || value === 'true' || value === 1 ? t('common.yes') : t('common.no');
      case 'date':
        return format.calendarDate(String(value));
      case 'datetime':
        return format.dateTime(String(value));
      case 'payee':
        return record.ownerName ?? String(value);
      case 'text':
      case 'account':
      case 'territory':
        return String(value);
      default: {
        const unreachable: never = def.type;
        return String(unreachable);
      }
    }
  };

  return { metric, field, recordMoney };
}
