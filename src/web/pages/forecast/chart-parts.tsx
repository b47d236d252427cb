// Shared pieces of the forecast area's hand-drawn SVG charts: nice axis ticks, compact money
// labels and the legend (no chart library for a few lines and a band).
import { Group, Text } from '@mantine/core';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';

/** About `count` round tick values from at most `min` to at least `max` (1, 2, 2.5 or 5 × 10ⁿ apart). */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!(max > min)) return [min];
  const raw = (max - min) / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 2.5, 5, 10].find((m) => m * power >= raw) ?? 10) * power;
  const ticks: number[] = [];
  const first = Math.floor(min / step + 1e-9);
  const last = Math.ceil(max / step - 1e-9);
  for (let i = first; i <= last; i += 1) ticks.push(i === 0 ? 0 : i * step);
  return ticks;
}

/** Money in minor units as a short axis label (€1.2M, 1,2 Mio. €). */
export function useCompactMoney(currency: string): (minor: number) => string {
  const { i18n } = useTranslation();
  const locale = i18n.resolvedLanguage ?? i18n.language;
  return useMemo(() => {
    let digits = 2;
    let format: Intl.NumberFormat;
    try {
      digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
      format = new Intl.NumberFormat(locale, { style: 'currency', currency, notation: 'compact', maximumFractionDigits: 1 });
    } catch {
      format = new Intl.NumberFormat(locale, { notation: 'compact', maximumFractionDigits: 1 });
    }
    return (minor: number) => format.format(minor / 10 ** digits);
  }, [locale, currency]);
}

export type LegendMark = 'line' | 'dashed' | 'dotted' | 'band';

export function LegendItem({ color, label, mark = 'line', opacity = 1 }: { color: string; label: string; mark?: LegendMark; opacity?: number }) {
  return (
    <Group gap={6} wrap="nowrap">
      <svg width={22} height={10} aria-hidden style={{ flexShrink: 0 }}>
        {mark === 'band' ? (
          <rect x={0} y={0} width={22} height={10} rx={2} fill={color} fillOpacity={opacity} />
        ) : (
          <line x1={0} x2={22} y1={5} y2={5} stroke={color} strokeWidth={2.25} strokeDasharray={mark === 'dashed' ? '5 3' : mark === 'dotted' ? '2 3' : undefined} />
        )}
      </svg>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
    </Group>
  );
}

/** Chart colours: theme variables, so they follow the light and dark scheme. */
export const CHART_COLORS = {
  actual: 'var(--mantine-primary-color-filled)',
  forecast: 'var(--mantine-color-grape-5)',
  band: 'var(--mantine-color-grape-5)',
  quota: 'var(--mantine-color-orange-6)',
  grid: 'var(--mantine-color-default-border)',
  text: 'var(--mantine-color-dimmed)',
  teal: 'var(--mantine-color-teal-6)',
} as const;
