import { Box, Group, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { CurvePoint } from '../../../../core/comp/preview';
import type { TierMode } from '../../../../core/comp/plan';
import { TIER_MODE_LIST } from './draft';

export const MODE_COLOR: Record<TierMode, string> = { marginal: 'blue', retroactive: 'orange', highest_rate: 'grape' };
const DASH: Record<TierMode, string | undefined> = { marginal: undefined, retroactive: '7 4', highest_rate: '2 4' };

const W = 720;
const H = 260;
const PAD = { left: 64, right: 16, top: 12, bottom: 36 };

/** A round axis maximum: 1, 2, 2.5 or 5 × 10^n at or above the value. */
function niceMax(value: number): number {
  if (value <= 0) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  const step = [1, 2, 2.5, 5, 10].find((s) => s * magnitude >= value) ?? 10;
  return step * magnitude;
}

/** Payout against attainment (0–200 %), one line per tier mode; the declared mode drawn heavier. */
export function TierModeChart({ curve, declared, samplePercent, formatAmount, xLabel, testId }: { curve: CurvePoint[]; declared: TierMode; samplePercent: number | null; formatAmount: (minor: number) => string; xLabel: string; testId: string }) {
  const { t } = useTranslation();
  const maxPercent = curve[curve.length - 1]?.percent ?? 200;
  const maxAmount = niceMax(Math.max(0, ...curve.flatMap((p) => TIER_MODE_LIST.map((m) => p.amounts[m]))));
  const x = (percent: number) => PAD.left + (percent / maxPercent) * (W - PAD.left - PAD.right);
  const y = (amount: number) => H - PAD.bottom - (amount / maxAmount) * (H - PAD.top - PAD.bottom);
  const yTicks = [0, 0.25, 0.5, 0.75, 1].map((f) => f * maxAmount);
  const xTicks = Array.from({ length: Math.floor(maxPercent / 50) + 1 }, (_, i) => i * 50);
  // Later modes drawn first, so the declared one ends up on top.
  const order = [...TIER_MODE_LIST.filter((m) => m !== declared), declared];
  return (
    <Box data-testid={testId}>
      <svg viewBox={`0 0 ${W} ${H}`} width="100%" role="img" aria-label={t('compEditor.preview.chartLabel')} style={{ display: 'block', fontFamily: 'var(--mantine-font-family)' }}>
        {yTicks.map((v) => (
          <g key={`y${v}`}>
            <line x1={PAD.left} x2={W - PAD.right} y1={y(v)} y2={y(v)} stroke="var(--mantine-color-default-border)" strokeWidth={1} />
            <text x={PAD.left - 8} y={y(v) + 4} textAnchor="end" fontSize={11} fill="var(--mantine-color-dimmed)">
              {formatAmount(Math.round(v))}
            </text>
          </g>
        ))}
        {xTicks.map((p) => (
          <g key={`x${p}`}>
            <line x1={x(p)} x2={x(p)} y1={PAD.top} y2={H - PAD.bottom} stroke="var(--mantine-color-default-border)" strokeWidth={p === 100 ? 1.5 : 0.5} strokeDasharray={p === 100 ? '4 3' : undefined} />
            <text x={x(p)} y={H - PAD.bottom + 16} textAnchor="middle" fontSize={11} fill="var(--mantine-color-dimmed)">
              {p} %
            </text>
          </g>
        ))}
        <text x={(PAD.left + W - PAD.right) / 2} y={H - 4} textAnchor="middle" fontSize={11} fill="var(--mantine-color-dimmed)">
          {xLabel}
        </text>
        {samplePercent !== null && samplePercent >= 0 && samplePercent <= maxPercent && (
          <line x1={x(samplePercent)} x2={x(samplePercent)} y1={PAD.top} y2={H - PAD.bottom} stroke="var(--mantine-color-text)" strokeOpacity={0.55} strokeWidth={1.5} data-testid="chart-sample" />
        )}
        {order.map((mode) => (
          <polyline
            key={mode}
            fill="none"
            stroke={`var(--mantine-color-${MODE_COLOR[mode]}-6)`}
            strokeWidth={mode === declared ? 3 : 2}
            strokeDasharray={DASH[mode]}
            strokeLinejoin="round"
            points={curve.map((p) => `${x(p.percent).toFixed(1)},${y(p.amounts[mode]).toFixed(1)}`).join(' ')}
            data-testid={`chart-line-${mode}`}
          />
        ))}
      </svg>
      <Group gap="lg" justify="center" mt={4}>
        {TIER_MODE_LIST.map((mode) => (
          <Group key={mode} gap={6} wrap="nowrap">
            <svg width={28} height={10} aria-hidden>
              <line x1={0} x2={28} y1={5} y2={5} stroke={`var(--mantine-color-${MODE_COLOR[mode]}-6)`} strokeWidth={mode === declared ? 3 : 2} strokeDasharray={DASH[mode]} />
            </svg>
            <Text size="xs" fw={mode === declared ? 700 : 400}>
              {t(`compEditor.tiers.${mode}`)}
              {mode === declared ? ` (${t('compEditor.preview.declared')})` : ''}
            </Text>
          </Group>
        ))}
        {samplePercent !== null && (
          <Group gap={6} wrap="nowrap">
            <svg width={10} height={14} aria-hidden>
              <line x1={5} x2={5} y1={0} y2={14} stroke="var(--mantine-color-text)" strokeOpacity={0.55} strokeWidth={1.5} />
            </svg>
            <Text size="xs">{t('compEditor.preview.sampleMarker')}</Text>
          </Group>
        )}
      </Group>
    </Box>
  );
}
