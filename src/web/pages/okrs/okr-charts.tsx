// Two small SVG charts (no chart library in the bundle for two lines): a sparkline of a key
// result's history, and the check-in chart of its value against the expected line.
import { Box, Group, Text } from '@mantine/core';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { CheckinHistory, KeyResultUnit } from '../../api/okr-queries';
import { useFormat } from '../../i18n/format';

const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / 86_400_000;

/** A key result's values over the cycle, as a line; the last point is marked. */
export function Sparkline({ values, color = 'var(--mantine-primary-color-filled)', width = 120, height = 32, label }: { values: number[]; color?: string; width?: number; height?: number; label: string }) {
  // Fewer than two points draw no line: keep the space so rows stay aligned.
  if (values.length < 2) return <Box w={width} h={height} aria-hidden style={{ flexShrink: 0 }} />;
  const min = Math.min(...values);
  const max = Math.max(...values);
  const span = max - min || 1;
  const pad = 3;
  const points = values.map((v, i) => [pad + (i / (values.length - 1)) * (width - 2 * pad), height - pad - ((v - min) / span) * (height - 2 * pad)] as const);
  const path = points.map(([x, y], i) => `${i === 0 ? 'M' : 'L'}${x.toFixed(1)},${y.toFixed(1)}`).join(' ');
  const last = points[points.length - 1] ?? [0, 0];
  return (
    <svg width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-label={label} data-testid="sparkline" style={{ display: 'block', flexShrink: 0 }}>
      <path d={path} fill="none" stroke={color} strokeWidth={1.75} strokeLinejoin="round" strokeLinecap="round" />
      <circle cx={last[0]} cy={last[1]} r={2.5} fill={color} />
    </svg>
  );
}

/**
 * The value against the expected line (start on the first day, target on the last), over the
 * cycle's days; the target as a dashed line. Readable in light and dark (theme variables).
 */
export function HistoryChart({
  history,
  cycle,
  target,
  unit,
  formatValue,
  height = 180,
}: {
  history: CheckinHistory;
  cycle: { start: string; end: string };
  target: number | null;
  unit: KeyResultUnit;
  formatValue: (value: number, unit: KeyResultUnit) => string;
  height?: number;
}) {
  const { t } = useTranslation();
  const format = useFormat();
  const clipId = useId();
  const width = 560;
  const margin = { top: 12, right: 12, bottom: 24, left: 64 };
  const x0 = day(cycle.start);
  const x1 = day(cycle.end) - 1;
  const values = [
    ...history.series.map((p) => p.value),
    ...(history.expectedLine ?? []).map((p) => p.value),
    ...(target !== null ? [target] : []),
  ];
  if (history.series.length === 0) {
    return (
      <Text size="sm" c="dimmed" py="md" ta="center">
        {t('okrs.chart.empty')}
      </Text>
    );
  }
  let min = Math.min(...values, 0);
  let max = Math.max(...values);
  if (max === min) {
    max += 1;
    min -= min === 0 ? 0 : 1;
  }
  const innerW = width - margin.left - margin.right;
  const innerH = height - margin.top - margin.bottom;
  const sx = (iso: string) => margin.left + ((day(iso) - x0) / Math.max(1, x1 - x0)) * innerW;
  const sy = (v: number) => margin.top + innerH - ((v - min) / (max - min)) * innerH;
  const line = (points: { date: string; value: number }[]) => points.map((p, i) => `${i === 0 ? 'M' : 'L'}${sx(p.date).toFixed(1)},${sy(p.value).toFixed(1)}`).join(' ');
  const actual = line(history.series);
  const expected = history.expectedLine ? line(history.expectedLine) : null;
  const ticks = [min, (min + max) / 2, max];
  const last = history.series[history.series.length - 1];
  const today = new Date().toISOString().slice(0, 10);
  const showToday = today >= cycle.start && today < cycle.end;

  return (
    <div>
      <svg viewBox={`0 0 ${width} ${height}`} width="100%" role="img" aria-label={t('okrs.chart.aria')} data-testid="history-chart" style={{ display: 'block', maxHeight: height + 40 }}>
        <defs>
          <clipPath id={clipId}>
            <rect x={margin.left} y={margin.top - 4} width={innerW} height={innerH + 8} />
          </clipPath>
        </defs>
        {ticks.map((v) => (
          <g key={v}>
            <line x1={margin.left} x2={width - margin.right} y1={sy(v)} y2={sy(v)} stroke="var(--mantine-color-default-border)" strokeWidth={1} />
            <text x={margin.left - 6} y={sy(v) + 4} textAnchor="end" fontSize={11} fill="var(--mantine-color-dimmed)">
              {formatValue(v, unit)}
            </text>
          </g>
        ))}
        <text x={margin.left} y={height - 6} fontSize={11} fill="var(--mantine-color-dimmed)">
          {format.calendarDate(cycle.start)}
        </text>
        <text x={width - margin.right} y={height - 6} fontSize={11} textAnchor="end" fill="var(--mantine-color-dimmed)">
          {format.calendarDate(new Date(Date.parse(`${cycle.end}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10))}
        </text>
        <g clipPath={`url(#${clipId})`}>
          {target !== null && (
            <line x1={margin.left} x2={width - margin.right} y1={sy(target)} y2={sy(target)} stroke="var(--mantine-color-teal-6)" strokeDasharray="2 4" strokeWidth={1.5} />
          )}
          {expected && <path d={expected} fill="none" stroke="var(--mantine-color-gray-5)" strokeDasharray="6 4" strokeWidth={1.5} />}
          {showToday && <line x1={sx(today)} x2={sx(today)} y1={margin.top} y2={margin.top + innerH} stroke="var(--mantine-color-default-border)" strokeWidth={1} />}
          <path d={actual} fill="none" stroke="var(--mantine-primary-color-filled)" strokeWidth={2.25} strokeLinejoin="round" />
          {history.series.map((p) => (
            <circle key={p.date} cx={sx(p.date)} cy={sy(p.value)} r={history.series.length > 40 ? 0 : 2.5} fill="var(--mantine-primary-color-filled)" />
          ))}
          {last && <circle cx={sx(last.date)} cy={sy(last.value)} r={4} fill="var(--mantine-primary-color-filled)" stroke="var(--mantine-color-body)" strokeWidth={2} />}
        </g>
      </svg>
      <Group gap="lg" mt={4} justify="center">
        <LegendItem color="var(--mantine-primary-color-filled)" label={t('okrs.chart.actual')} />
        {expected && <LegendItem color="var(--mantine-color-gray-5)" dashed label={t('okrs.chart.expected')} />}
        {target !== null && <LegendItem color="var(--mantine-color-teal-6)" dashed label={t('okrs.chart.target')} />}
      </Group>
    </div>
  );
}

function LegendItem({ color, label, dashed = false }: { color: string; label: string; dashed?: boolean }) {
  return (
    <Group gap={6} wrap="nowrap">
      <svg width={22} height={8} aria-hidden>
        <line x1={0} x2={22} y1={4} y2={4} stroke={color} strokeWidth={2} strokeDasharray={dashed ? '4 3' : undefined} />
      </svg>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
    </Group>
  );
}
