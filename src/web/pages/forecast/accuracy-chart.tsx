// MAPE, WAPE and bias across the snapshot periods: a small line chart (percent axis, zero line
// for the bias), with a tooltip and a table view.
import { Box, Button, Group, Paper, Table, Text } from '@mantine/core';
import { IconChartLine, IconTable } from '@tabler/icons-react';
import { useState, type PointerEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { AccuracyStats } from '../../api/forecast-queries';
import { CHART_COLORS, LegendItem, niceTicks } from './chart-parts';

const SERIES = [
  { key: 'wape', color: CHART_COLORS.actual, mark: 'line' },
  { key: 'mape', color: CHART_COLORS.forecast, mark: 'dashed' },
  { key: 'bias', color: CHART_COLORS.quota, mark: 'dotted' },
] as const;

export function AccuracyChart({ periods, formatRate }: { periods: { period: string; stats: AccuracyStats }[]; formatRate: (rate: number | null) => string }) {
  const { t } = useTranslation();
  const [hover, setHover] = useState<number | null>(null);
  const [asTable, setAsTable] = useState(false);
  const width = 640;
  const height = 220;
  const margin = { top: 12, right: 16, bottom: 30, left: 52 };
  const innerW = width - margin.left - margin.right;
  const innerH = height - margin.top - margin.bottom;
  const values = periods.flatMap((p) => SERIES.map((s) => p.stats[s.key])).filter((v): v is number => v !== null);
  const ticks = niceTicks(Math.min(0, ...values), Math.max(0.1, ...values), 4);
  const yMin = ticks[0] ?? 0;
  const yMax = ticks[ticks.length - 1] ?? 1;
  const n = periods.length;
  const step = innerW / Math.max(1, n);
  const sx = (i: number) => margin.left + step * (i + 0.5);
  const sy = (v: number) => margin.top + innerH - ((v - yMin) / (yMax - yMin || 1)) * innerH;
  const summary = t('forecast.accuracy.chartSummary', { count: n });
  const hovered = hover === null ? null : periods[hover];
  const onPointer = (event: PointerEvent<SVGSVGElement>) => {
    const box = event.currentTarget.getBoundingClientRect();
    const i = Math.floor((((event.clientX - box.left) / box.width) * width - margin.left) / step);
    setHover(i >= 0 && i < n ? i : null);
  };

  return (
    <Box>
      <Group justify="flex-end" mb={4}>
        <Button size="compact-xs" variant="subtle" leftSection={asTable ? <IconChartLine size={14} /> : <IconTable size={14} />} onClick={() => setAsTable((v) => !v)} aria-pressed={asTable}>
          {asTable ? t('forecast.chart.showChart') : t('forecast.chart.showTable')}
        </Button>
      </Group>
      {asTable ? (
        <Table striped withTableBorder fz="sm">
          <Table.Caption>{summary}</Table.Caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('forecast.chart.period')}</Table.Th>
              {SERIES.map((s) => (
                <Table.Th key={s.key} ta="right">
                  {t(`forecast.accuracy.${s.key}`)}
                </Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {periods.map((p) => (
              <Table.Tr key={p.period}>
                <Table.Td>{p.period}</Table.Td>
                {SERIES.map((s) => (
                  <Table.Td key={s.key} ta="right">
                    {formatRate(p.stats[s.key])}
                  </Table.Td>
                ))}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      ) : (
        <Box pos="relative">
          <svg viewBox={`0 0 ${width} ${height}`} width="100%" role="img" aria-label={summary} data-testid="accuracy-chart" style={{ display: 'block' }} onPointerMove={onPointer} onPointerLeave={() => setHover(null)}>
            {ticks.map((v) => (
              <g key={v}>
                <line x1={margin.left} x2={width - margin.right} y1={sy(v)} y2={sy(v)} stroke={CHART_COLORS.grid} strokeWidth={v === 0 ? 1.5 : 1} />
                <text x={margin.left - 8} y={sy(v) + 4} textAnchor="end" fontSize={11} fill={CHART_COLORS.text}>
                  {formatRate(v)}
                </text>
              </g>
            ))}
            {periods.map((p, i) => (
              <text key={p.period} x={sx(i)} y={height - 10} textAnchor="middle" fontSize={11} fill={CHART_COLORS.text}>
                {p.period}
              </text>
            ))}
            {SERIES.map((s) => {
              const points = periods.flatMap((p, i) => (p.stats[s.key] === null ? [] : [[sx(i), sy(p.stats[s.key] as number)] as const]));
              const d = points.map(([x, y], i) => `${i === 0 ? 'M' : 'L'}${x.toFixed(1)},${y.toFixed(1)}`).join(' ');
              return (
                <g key={s.key} data-testid={`accuracy-${s.key}`}>
                  <path d={d} fill="none" stroke={s.color} strokeWidth={2.25} strokeDasharray={s.mark === 'dashed' ? '6 4' : s.mark === 'dotted' ? '2 4' : undefined} strokeLinecap="round" />
                  {points.map(([x, y]) => (
                    <circle key={`${x}`} cx={x} cy={y} r={3} fill={s.color} />
                  ))}
                </g>
              );
            })}
            {hover !== null && <line x1={sx(hover)} x2={sx(hover)} y1={margin.top} y2={margin.top + innerH} stroke={CHART_COLORS.text} strokeOpacity={0.5} pointerEvents="none" />}
          </svg>
          {hovered && hover !== null && (
            <Paper role="tooltip" shadow="md" withBorder p="xs" style={{ position: 'absolute', top: 8, left: `${(sx(hover) / width) * 100}%`, transform: sx(hover) / width > 0.6 ? 'translateX(calc(-100% - 12px))' : 'translateX(12px)', pointerEvents: 'none', minWidth: 150 }}>
              <Text size="sm" fw={600} mb={4}>
                {hovered.period}
              </Text>
              {SERIES.map((s) => (
                <Group key={s.key} justify="space-between" gap="md" wrap="nowrap">
                  <Text size="xs" c="dimmed">
                    {t(`forecast.accuracy.${s.key}`)}
                  </Text>
                  <Text size="xs" fw={500}>
                    {formatRate(hovered.stats[s.key])}
                  </Text>
                </Group>
              ))}
            </Paper>
          )}
          <Group gap="lg" mt="xs" justify="center">
            {SERIES.map((s) => (
              <LegendItem key={s.key} color={s.color} label={t(`forecast.accuracy.${s.key}`)} mark={s.mark} />
            ))}
          </Group>
        </Box>
      )}
    </Box>
  );
}
