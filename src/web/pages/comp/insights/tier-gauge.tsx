import { Box, Group, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { EarningsTier } from '../../../api/comp-insights-queries';
import { useFormat } from '../../../i18n/format';

const BAND_COLORS = ['blue', 'violet', 'grape', 'teal', 'orange'];
const WIDTH = 640;
const BAR_Y = 18;
const BAR_H = 22;

/**
 * The tiers as bands on one axis (hand-written SVG): the credited base so far as a solid bar,
 * the stage-weighted and best-case forecasts as markers.
 */
export function TierGauge({ tiers, baseMinor, weightedMinor, bestMinor, currency, percent }: {
  tiers: readonly EarningsTier[];
  baseMinor: number;
  weightedMinor: number;
  bestMinor: number;
  currency: string;
  percent: (fraction: string) => string;
}) {
  const { t } = useTranslation();
  const format = useFormat();
  const lastFrom = tiers[tiers.length - 1]?.fromMinor ?? 0;
  const max = Math.max(lastFrom * 1.4, bestMinor * 1.05, baseMinor * 1.05, 1);
  const x = (v: number) => Math.max(0, Math.min(WIDTH, (v / max) * WIDTH));
  // Labels often name their rate already ("Accelerator 7 %").
  const tierText = (tier: EarningsTier, i: number) =>
    tier.label ? (tier.label.includes('%') ? tier.label : `${tier.label} · ${percent(tier.rate)}`) : `${t('compInsights.earnings.tierN', { n: i + 1 })} · ${percent(tier.rate)}`;
  const compact = (minor: number) => format.money(minor, currency).replace(/[.,]00(?=\D*$)/, '');
  return (
    <Box mt="md" data-testid="tier-gauge">
      <svg viewBox={`0 0 ${WIDTH} 78`} width="100%" role="img" aria-label={t('compInsights.earnings.gaugeLabel', { amount: format.money(baseMinor, currency) })} style={{ overflow: 'visible', display: 'block' }}>
        {tiers.map((tier, i) => {
          const from = x(tier.fromMinor);
          const to = x(tiers[i + 1]?.fromMinor ?? max);
          const color = BAND_COLORS[i % BAND_COLORS.length] as string;
          return (
            <g key={tier.index}>
              <rect x={from} y={BAR_Y} width={Math.max(0, to - from)} height={BAR_H} fill={`var(--mantine-color-${color}-light)`} rx={i === 0 ? 6 : 0} />
              <line x1={from} x2={from} y1={BAR_Y - 4} y2={BAR_Y + BAR_H + 4} stroke="var(--mantine-color-dimmed)" strokeWidth={i === 0 ? 0 : 1} />
              <text x={from + 4} y={BAR_Y + BAR_H + 16} fontSize={11} fill="var(--mantine-color-dimmed)">
                {compact(tier.fromMinor)}
              </text>
              {/* The last band's label hangs from its right end, so it never leaves the chart. */}
              <text
                x={i === tiers.length - 1 && i > 0 ? to - 2 : from + 4}
                y={BAR_Y - 6}
                fontSize={11}
                fontWeight={600}
                textAnchor={i === tiers.length - 1 && i > 0 ? 'end' : 'start'}
                fill={`var(--mantine-color-${color}-light-color)`}
              >
                {tierText(tier, i)}
              </text>
            </g>
          );
        })}
        <rect x={0} y={BAR_Y + 6} width={x(baseMinor)} height={BAR_H - 12} rx={5} fill="var(--mantine-color-blue-filled)" />
        {bestMinor > baseMinor && (
          <g>
            <line x1={x(bestMinor)} x2={x(bestMinor)} y1={BAR_Y - 2} y2={BAR_Y + BAR_H + 2} stroke="var(--mantine-color-teal-filled)" strokeWidth={3} strokeLinecap="round" />
          </g>
        )}
        {weightedMinor > baseMinor && (
          <line x1={x(weightedMinor)} x2={x(weightedMinor)} y1={BAR_Y - 2} y2={BAR_Y + BAR_H + 2} stroke="var(--mantine-color-violet-filled)" strokeWidth={3} strokeDasharray="4 3" />
        )}
        <circle cx={x(baseMinor)} cy={BAR_Y + BAR_H / 2} r={6} fill="var(--mantine-color-body)" stroke="var(--mantine-color-blue-filled)" strokeWidth={3} />
      </svg>
      <Group gap="lg" mt={6}>
        <Legend color="var(--mantine-color-blue-filled)" label={t('compInsights.earnings.legendNow')} />
        {weightedMinor > baseMinor && <Legend color="var(--mantine-color-violet-filled)" dashed label={t('compInsights.earnings.legendWeighted')} />}
        {bestMinor > baseMinor && <Legend color="var(--mantine-color-teal-filled)" label={t('compInsights.earnings.legendBest')} />}
      </Group>
    </Box>
  );
}

function Legend({ color, label, dashed = false }: { color: string; label: string; dashed?: boolean }) {
  return (
    <Group gap={6} wrap="nowrap">
      <svg width={18} height={10} aria-hidden>
        <line x1={0} x2={18} y1={5} y2={5} stroke={color} strokeWidth={4} strokeDasharray={dashed ? '4 3' : undefined} />
      </svg>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
    </Group>
  );
}
