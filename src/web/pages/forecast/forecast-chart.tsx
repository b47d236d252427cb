// The forecast chart: actual bookings (history), the time-series forecast with its 80 % and
// 95 % interval band, and the quota line, per period. Hand-drawn responsive SVG (theme colours,
// so it reads in light and dark), a hover/keyboard tooltip, and a table view of the same numbers.
import { Box, Button, Group, Paper, Table, Text } from '@mantine/core';
import { IconChartLine, IconTable } from '@tabler/icons-react';
import { useId, useState, type KeyboardEvent, type PointerEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { BookingsGroup } from '../../api/forecast-queries';
import { CHART_COLORS, LegendItem, niceTicks, useCompactMoney } from './chart-parts';

interface Column {
  period: string;
  actualMinor: number | null;
  meanMinor: number | null;
  band80: [number, number] | null;
  band95: [number, number] | null;
  quotaMinor: number | null;
}

/** History and forecast periods side by side, with the quota where there is one. */
export function chartColumns(group: BookingsGroup): Column[] {
  const quota = new Map(group.quota.map((q) => [q.period, q.quotaMinor] as const));
  const band = (intervals: BookingsGroup['forecast'][number]['intervals'], level: number): [number, number] | null => {
    const found = intervals.find((i) => i.level === level);
    return found ? [found.lowerMinor, found.upperMinor] : null;
  };
  // Periods before the first booking (a workspace that started recently) say nothing: leave them out.
  const first = group.history.findIndex((h) => h.actualMinor !== 0);
  const history = first > 0 ? group.history.slice(first) : group.history;
  return [
    ...history.map((h) => ({ period: h.period, actualMinor: h.actualMinor, meanMinor: null, band80: null, band95: null, quotaMinor: quota.get(h.period) ?? null })),
    ...group.forecast.map((f) => ({ period: f.period, actualMinor: null, meanMinor: f.meanMinor, band80: band(f.intervals, 80), band95: band(f.intervals, 95), quotaMinor: quota.get(f.period) ?? null })),
  ];
}

export function ForecastChart({ group, title, formatMoney, currency }: { group: BookingsGroup; title: string; formatMoney: (minor: number) => string; currency: string }) {
  const { t } = useTranslation();
  const compact = useCompactMoney(currency);
  const tooltipId = useId();
  const [hover, setHover] = useState<number | null>(null);
  const [asTable, setAsTable] = useState(false);
  const columns = chartColumns(group);
  const width = 760;
  const height = 300;
  const margin = { top: 16, right: 16, bottom: 34, left: 68 };
  const innerW = width - margin.left - margin.right;
  const innerH = height - margin.top - margin.bottom;
  const values = columns.flatMap((c) => [c.actualMinor, c.meanMinor, c.band95?.[0], c.band95?.[1], c.band80?.[1], c.quotaMinor]).filter((v): v is number => typeof v === 'number');
  const ticks = niceTicks(Math.min(0, ...values), Math.max(1, ...values));
  const yMin = ticks[0] ?? 0;
  const yMax = ticks[ticks.length - 1] ?? 1;
  const n = columns.length;
  const step = innerW / Math.max(1, n);
  const sx = (i: number) => margin.left + step * (i + 0.5);
  const sy = (v: number) => margin.top + innerH - ((v - yMin) / (yMax - yMin || 1)) * innerH;
  const pathOf = (points: [number, number][]) => points.map(([x, y], i) => `${i === 0 ? 'M' : 'L'}${x.toFixed(1)},${y.toFixed(1)}`).join(' ');

  const historyCount = columns.filter((c) => c.actualMinor !== null).length;
  const actualPath = pathOf(columns.flatMap((c, i) => (c.actualMinor === null ? [] : [[sx(i), sy(c.actualMinor)] as [number, number]])));
  // The forecast continues from the last actual so the two lines meet.
  const lastActual = historyCount > 0 ? columns[historyCount - 1] : undefined;
  const forecastPoints = columns.flatMap((c, i) => (c.meanMinor === null ? [] : [[sx(i), sy(c.meanMinor)] as [number, number]]));
  const forecastPath = pathOf([...(lastActual?.actualMinor != null ? [[sx(historyCount - 1), sy(lastActual.actualMinor)] as [number, number]] : []), ...forecastPoints]);
  const bandPath = (level: 80 | 95) => {
    const upper: [number, number][] = [];
    const lower: [number, number][] = [];
    if (lastActual?.actualMinor != null) {
      upper.push([sx(historyCount - 1), sy(lastActual.actualMinor)]);
      lower.push([sx(historyCount - 1), sy(lastActual.actualMinor)]);
    }
    columns.forEach((c, i) => {
      const b = level === 80 ? c.band80 : c.band95;
      if (!b) return;
      upper.push([sx(i), sy(b[1])]);
      lower.push([sx(i), sy(b[0])]);
    });
    return upper.length < 2 ? '' : `${pathOf([...upper, ...lower.reverse()])} Z`;
  };
  // The quota as steps: one level across each period that has one.
  const quotaSegments = columns.flatMap((c, i) => (c.quotaMinor === null ? [] : [`M${(sx(i) - step / 2).toFixed(1)},${sy(c.quotaMinor).toFixed(1)} H${(sx(i) + step / 2).toFixed(1)}`])).join(' ');
  const labelEvery = Math.max(1, Math.ceil(n / 10));
  const hasQuota = quotaSegments !== '';
  const hovered = hover === null ? null : (columns[hover] ?? null);
  const dividerX = historyCount > 0 && historyCount < n ? margin.left + step * historyCount : null;

  const summary = t('forecast.chart.summary', {
    name: title,
    from: columns[0]?.period ?? '',
    to: columns[historyCount - 1]?.period ?? '',
    next: group.forecast[0]?.period ?? '',
    mean: group.forecast[0] ? formatMoney(group.forecast[0].meanMinor) : '—',
  });

  const onPointer = (event: PointerEvent<SVGSVGElement>) => {
    const svg = event.currentTarget.getBoundingClientRect();
    const x = ((event.clientX - svg.left) / svg.width) * width;
    const i = Math.floor((x - margin.left) / step);
    setHover(i >= 0 && i < n ? i : null);
  };
  const onKey = (event: KeyboardEvent<SVGSVGElement>) => {
    if (event.key === 'ArrowRight') setHover((h) => Math.min(n - 1, (h ?? -1) + 1));
    else if (event.key === 'ArrowLeft') setHover((h) => Math.max(0, (h ?? n) - 1));
    else if (event.key === 'Escape') setHover(null);
    else return;
    event.preventDefault();
  };
  const tipLeft = hover === null ? 0 : (sx(hover) / width) * 100;

  return (
    <Box>
      <Group justify="flex-end" mb={4}>
        <Button size="compact-xs" variant="subtle" leftSection={asTable ? <IconChartLine size={14} /> : <IconTable size={14} />} onClick={() => setAsTable((v) => !v)} aria-pressed={asTable} data-testid="chart-table-toggle">
          {asTable ? t('forecast.chart.showChart') : t('forecast.chart.showTable')}
        </Button>
      </Group>
      {asTable ? (
        <Table.ScrollContainer minWidth={560}>
          <Table striped withTableBorder fz="sm" data-testid="chart-table">
            <Table.Caption>{summary}</Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('forecast.chart.period')}</Table.Th>
                <Table.Th ta="right">{t('forecast.chart.actuals')}</Table.Th>
                <Table.Th ta="right">{t('forecast.chart.forecast')}</Table.Th>
                <Table.Th ta="right">{t('forecast.chart.band80')}</Table.Th>
                <Table.Th ta="right">{t('forecast.chart.band95')}</Table.Th>
                <Table.Th ta="right">{t('forecast.chart.quota')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {columns.map((c) => (
                <Table.Tr key={c.period}>
                  <Table.Td>{c.period}</Table.Td>
                  <Table.Td ta="right">{c.actualMinor === null ? '' : formatMoney(c.actualMinor)}</Table.Td>
                  <Table.Td ta="right">{c.meanMinor === null ? '' : formatMoney(c.meanMinor)}</Table.Td>
                  <Table.Td ta="right">{c.band80 ? `${formatMoney(c.band80[0])} – ${formatMoney(c.band80[1])}` : ''}</Table.Td>
                  <Table.Td ta="right">{c.band95 ? `${formatMoney(c.band95[0])} – ${formatMoney(c.band95[1])}` : ''}</Table.Td>
                  <Table.Td ta="right">{c.quotaMinor === null ? '' : formatMoney(c.quotaMinor)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      ) : (
        <Box pos="relative">
          <svg
            viewBox={`0 0 ${width} ${height}`}
            width="100%"
            role="img"
            aria-label={summary}
            aria-describedby={hovered ? tooltipId : undefined}
            tabIndex={0}
            data-testid="forecast-chart"
            style={{ display: 'block', touchAction: 'pan-y' }}
            onPointerMove={onPointer}
            onPointerLeave={() => setHover(null)}
            onKeyDown={onKey}
            onBlur={() => setHover(null)}
          >
            {ticks.map((v) => (
              <g key={v}>
                <line x1={margin.left} x2={width - margin.right} y1={sy(v)} y2={sy(v)} stroke={CHART_COLORS.grid} strokeWidth={1} />
                <text x={margin.left - 8} y={sy(v) + 4} textAnchor="end" fontSize={11} fill={CHART_COLORS.text}>
                  {compact(v)}
                </text>
              </g>
            ))}
            {columns.map((c, i) =>
              i % labelEvery === 0 || i === historyCount ? (
                <text key={c.period} x={sx(i)} y={height - margin.bottom + 18} textAnchor="middle" fontSize={11} fill={CHART_COLORS.text} fontWeight={i >= historyCount ? 600 : 400}>
                  {c.period}
                </text>
              ) : null,
            )}
            {dividerX !== null && (
              <g>
                <rect x={dividerX} y={margin.top} width={width - margin.right - dividerX} height={innerH} fill={CHART_COLORS.band} fillOpacity={0.04} />
                <line x1={dividerX} x2={dividerX} y1={margin.top} y2={margin.top + innerH} stroke={CHART_COLORS.grid} strokeDasharray="3 3" />
                <text x={dividerX + 6} y={margin.top + 12} fontSize={11} fill={CHART_COLORS.text}>
                  {t('forecast.chart.forecastStart')}
                </text>
              </g>
            )}
            <path d={bandPath(95)} fill={CHART_COLORS.band} fillOpacity={0.14} stroke="none" data-testid="chart-band-95" />
            <path d={bandPath(80)} fill={CHART_COLORS.band} fillOpacity={0.26} stroke="none" data-testid="chart-band-80" />
            {hasQuota && <path d={quotaSegments} fill="none" stroke={CHART_COLORS.quota} strokeWidth={2} strokeDasharray="6 4" data-testid="chart-quota" />}
            <path d={actualPath} fill="none" stroke={CHART_COLORS.actual} strokeWidth={2.5} strokeLinejoin="round" strokeLinecap="round" data-testid="chart-actual" />
            <path d={forecastPath} fill="none" stroke={CHART_COLORS.forecast} strokeWidth={2.5} strokeDasharray="7 4" strokeLinejoin="round" data-testid="chart-forecast" />
            {columns.map((c, i) =>
              c.actualMinor !== null ? (
                <circle key={`a${c.period}`} cx={sx(i)} cy={sy(c.actualMinor)} r={hover === i ? 5 : 3} fill={CHART_COLORS.actual} stroke="var(--mantine-color-body)" strokeWidth={1.5} />
              ) : c.meanMinor !== null ? (
                <circle key={`f${c.period}`} cx={sx(i)} cy={sy(c.meanMinor)} r={hover === i ? 5 : 3} fill={CHART_COLORS.forecast} stroke="var(--mantine-color-body)" strokeWidth={1.5} />
              ) : null,
            )}
            {hover !== null && <line x1={sx(hover)} x2={sx(hover)} y1={margin.top} y2={margin.top + innerH} stroke={CHART_COLORS.text} strokeOpacity={0.5} strokeWidth={1} pointerEvents="none" />}
          </svg>
          {hovered && (
            <Paper
              id={tooltipId}
              role="tooltip"
              data-testid="chart-tooltip"
              shadow="md"
              withBorder
              p="xs"
              style={{
                position: 'absolute', top: 8, left: `${tipLeft}%`, transform: tipLeft > 60 ? 'translateX(calc(-100% - 12px))' : 'translateX(12px)',
                pointerEvents: 'none', minWidth: 250, zIndex: 2,
              }}
            >
              <Text size="sm" fw={600} mb={4}>
                {hovered.period}
              </Text>
              {hovered.actualMinor !== null && <TipRow color={CHART_COLORS.actual} label={t('forecast.chart.actuals')} value={formatMoney(hovered.actualMinor)} />}
              {hovered.meanMinor !== null && <TipRow color={CHART_COLORS.forecast} label={t('forecast.chart.forecast')} value={formatMoney(hovered.meanMinor)} />}
              {hovered.band80 && <TipRow color={CHART_COLORS.band} label={t('forecast.chart.band80')} value={`${formatMoney(hovered.band80[0])} – ${formatMoney(hovered.band80[1])}`} />}
              {hovered.band95 && <TipRow color={CHART_COLORS.band} label={t('forecast.chart.band95')} value={`${formatMoney(hovered.band95[0])} – ${formatMoney(hovered.band95[1])}`} />}
              {hovered.quotaMinor !== null && <TipRow color={CHART_COLORS.quota} label={t('forecast.chart.quota')} value={formatMoney(hovered.quotaMinor)} />}
            </Paper>
          )}
          <Group gap="lg" mt="xs" justify="center" wrap="wrap">
            <LegendItem color={CHART_COLORS.actual} label={t('forecast.chart.actuals')} />
            <LegendItem color={CHART_COLORS.forecast} label={t('forecast.chart.forecast')} mark="dashed" />
            <LegendItem color={CHART_COLORS.band} label={t('forecast.chart.band80')} mark="band" opacity={0.4} />
            <LegendItem color={CHART_COLORS.band} label={t('forecast.chart.band95')} mark="band" opacity={0.18} />
            {hasQuota ? <LegendItem color={CHART_COLORS.quota} label={t('forecast.chart.quota')} mark="dashed" /> : (
              <Text size="xs" c="dimmed">
                {t('forecast.chart.noQuota')}
              </Text>
            )}
          </Group>
        </Box>
      )}
    </Box>
  );
}

function TipRow({ color, label, value }: { color: string; label: string; value: string }) {
  return (
    <Group gap={8} justify="space-between" wrap="nowrap">
      <Group gap={6} wrap="nowrap">
        <Box w={8} h={8} style={{ borderRadius: 4, background: color, flexShrink: 0 }} />
        <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
          {label}
        </Text>
      </Group>
      <Text size="xs" fw={500} style={{ fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' }}>
        {value}
      </Text>
    </Group>
  );
}
