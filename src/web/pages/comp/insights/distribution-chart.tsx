import { Box, Group, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { WhatIfResult } from '../../../api/comp-insights-queries';
import { useFormat } from '../../../i18n/format';

const WIDTH = 640;
const HEIGHT = 220;
const PAD = { left: 34, right: 8, top: 12, bottom: 44 };
const BASELINE = 'var(--mantine-color-gray-5)';
const SCENARIO = 'var(--mantine-color-violet-filled)';

/** Histogram of per-payee payout, baseline against candidate: grouped bars per bucket (hand-written SVG). */
export function DistributionChart({ buckets, currency, baselineLabel, scenarioLabel }: {
  buckets: WhatIfResult['histogram'];
  currency: string;
  baselineLabel: string;
  scenarioLabel: string;
}) {
  const { t } = useTranslation();
  const format = useFormat();
  if (buckets.length === 0) return <Text size="sm" c="dimmed">{t('compInsights.whatIf.nobody')}</Text>;
  const top = Math.max(1, ...buckets.map((b) => Math.max(b.baseline, b.scenario)));
  const innerW = WIDTH - PAD.left - PAD.right;
  const innerH = HEIGHT - PAD.top - PAD.bottom;
  const slot = innerW / buckets.length;
  const barW = Math.max(2, Math.min(28, slot * 0.36));
  const y = (n: number) => PAD.top + innerH - (n / top) * innerH;
  const ticks = [...new Set([0, Math.round(top / 2), top])];
  const short = (minor: number) => {
    const major = minor / 100;
    if (Math.abs(major) >= 1000) return `${format.number(Math.round(major / 100) / 10)}k`;
    return format.number(Math.round(major));
  };
  return (
    <Box>
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} width="100%" role="img" aria-label={`${baselineLabel} / ${scenarioLabel}`} style={{ display: 'block' }}>
        {ticks.map((tick) => (
          <g key={tick}>
            <line x1={PAD.left} x2={WIDTH - PAD.right} y1={y(tick)} y2={y(tick)} stroke="var(--mantine-color-default-border)" strokeDasharray={tick === 0 ? undefined : '3 4'} />
            <text x={PAD.left - 6} y={y(tick) + 4} fontSize={11} textAnchor="end" fill="var(--mantine-color-dimmed)">
              {tick}
            </text>
          </g>
        ))}
        {buckets.map((b, i) => {
          const cx = PAD.left + slot * i + slot / 2;
          return (
            <g key={b.fromMinor}>
              <title>{`${format.money(b.fromMinor, currency)} – ${format.money(b.toMinor, currency)}: ${baselineLabel} ${b.baseline}, ${scenarioLabel} ${b.scenario}`}</title>
              <rect x={cx - barW - 1} y={y(b.baseline)} width={barW} height={Math.max(0, y(0) - y(b.baseline))} rx={3} fill={BASELINE} />
              <rect x={cx + 1} y={y(b.scenario)} width={barW} height={Math.max(0, y(0) - y(b.scenario))} rx={3} fill={SCENARIO} />
              <text x={cx} y={HEIGHT - PAD.bottom + 16} fontSize={11} textAnchor="middle" fill="var(--mantine-color-dimmed)">
                {short(b.fromMinor)}
              </text>
            </g>
          );
        })}
        <text x={PAD.left + innerW / 2} y={HEIGHT - 6} fontSize={11} textAnchor="middle" fill="var(--mantine-color-dimmed)">
          {currency}
        </text>
      </svg>
      <Group gap="lg" mt={4}>
        {[[BASELINE, baselineLabel], [SCENARIO, scenarioLabel]].map(([color, label]) => (
          <Group key={label} gap={6}>
            <Box w={12} h={12} style={{ background: color, borderRadius: 3 }} />
            <Text size="xs" c="dimmed">
              {label}
            </Text>
          </Group>
        ))}
      </Group>
    </Box>
  );
}
