import { ActionIcon, Alert, Badge, Button, Card, Checkbox, Group, Paper, SegmentedControl, Select, SimpleGrid, Slider, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { IconInfoCircle, IconPlus, IconTrash } from '@tabler/icons-react';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { div, rational, roundMinor, type Rational } from '../../../../core/comp/money';
import type { CompPlan } from '../../../../core/comp/plan';
import { formatRational } from '../../../../core/metrics/rational';
import { useFormat } from '../../../i18n/format';
import { CREDIT_KIND_LIST } from './draft';
import { previewPeriodIndex, previewPeriods, sampleDeal, type PreviewResult, type SampleInput, type TierComparison } from './preview-model';
import { MODE_COLOR, TierModeChart } from './tier-mode-chart';

const TIER_MODE_PAIRS = [['marginal', 'retroactive'], ['retroactive', 'highest_rate'], ['marginal', 'highest_rate']] as const;

/** Display formatters for exact values (display only: the arithmetic stays exact). */
function useDisplay(currency: string) {
  const format = useFormat();
  return useMemo(() => {
    const number = new Intl.NumberFormat(format.locale, { maximumFractionDigits: 6 });
    let compact: Intl.NumberFormat;
    let exponent = 2;
    try {
      compact = new Intl.NumberFormat(format.locale, { style: 'currency', currency, notation: 'compact', maximumFractionDigits: 1 });
      exponent = new Intl.NumberFormat(format.locale, { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
    } catch {
      compact = number;
    }
    const toNumber = (r: Rational, decimals: number) => Number(formatRational(r, decimals));
    return {
      money: (minor: Rational | number) => format.money(typeof minor === 'number' ? minor : roundMinor(minor), currency),
      compactMoney: (minor: number) => compact.format(minor / 10 ** exponent),
      units: (r: Rational) => number.format(toNumber(r, 4)),
      percent: (r: Rational) => `${number.format(toNumber(rational(r.num * 100n, r.den), 4))} %`,
      /** A quantity rate (minor units per unit) as money per unit. */
      perUnit: (r: Rational) => `${number.format(toNumber(div(r, rational(10n ** BigInt(exponent))) ?? r, 6))} ${currency}`,
      number: (n: number) => number.format(Math.round(n * 10) / 10),
    };
  }, [format, currency]);
}

/** Sample payee: period, quota, deals or an attainment slider, metric values and scores. */
export function SampleEditor({ plan, sample, onChange, result }: { plan: CompPlan; sample: SampleInput; onChange: (sample: SampleInput) => void; result: PreviewResult | null }) {
  const { t } = useTranslation();
  const display = useDisplay(plan.currency);
  const set = (patch: Partial<SampleInput>) => onChange({ ...sample, ...patch });
  const periods = previewPeriods(plan, sample.periodKind);
  const metricKeys = [...new Map(plan.components.flatMap((c) => ((c.kind === 'commission' || c.kind === 'partner') && c.base.kind === 'metric' ? [[c.base.metric, c.base.unit] as const] : []))).entries()];
  const scoreKeys = [...new Set(plan.components.flatMap((c) => (c.kind === 'bonus' && c.on.kind === 'score' ? [c.on.key] : [])))];
  const attainment = result?.payout?.attainment ?? null;
  return (
    <Card withBorder p="md" radius="md" data-testid="sample-payee">
      <Group justify="space-between" mb="sm">
        <Title order={3} fz="md">
          {t('compEditor.preview.sampleTitle')}
        </Title>
        {attainment !== null && (
          <Badge variant="light" size="lg" tt="none" data-testid="sample-attainment">
            {t('compEditor.preview.attainment', { value: display.number(Number(attainment) * 100) })}
          </Badge>
        )}
      </Group>
      <Stack gap="sm">
        <Group gap="sm" align="flex-end" wrap="wrap">
          <SegmentedControl
            value={sample.periodKind}
            onChange={(v) => set({ periodKind: v === 'month' ? 'month' : 'quarter', periodIndex: null, quota: v === 'month' ? String(Math.round(Number(sample.quota) / 3) || sample.quota) : String(Number(sample.quota) * 3 || sample.quota) })}
            data={[
              { value: 'month', label: t('compEditor.preview.month') },
              { value: 'quarter', label: t('compEditor.preview.quarter') },
            ]}
          />
          <Select
            aria-label={t('compEditor.preview.period')}
            data={periods.map((p, i) => ({ value: String(i), label: p.key }))}
            value={String(previewPeriodIndex(periods, plan, sample.periodIndex))}
            onChange={(v) => set({ periodIndex: Number(v ?? 0) })}
            allowDeselect={false}
            w={130}
          />
          <TextInput
            label={t('compEditor.preview.quota', { currency: plan.currency })}
            description={t('compEditor.preview.quotaHelp')}
            value={sample.quota}
            onChange={(e) => set({ quota: e.currentTarget.value })}
            w={170}
            data-testid="sample-quota"
          />
        </Group>
        <Text size="xs" c="dimmed">
          {t('compEditor.preview.periodHelp')}
        </Text>
        <SegmentedControl
          w="fit-content"
          value={sample.mode}
          onChange={(v) => set({ mode: v === 'attainment' ? 'attainment' : 'deals' })}
          data={[
            { value: 'deals', label: t('compEditor.preview.byDeals') },
            { value: 'attainment', label: t('compEditor.preview.bySlider') },
          ]}
          data-testid="sample-mode"
        />
        {sample.mode === 'attainment' ? (
          <Stack gap={4} px="xs" pb="md">
            <Text size="sm">{t('compEditor.preview.sliderLabel', { value: sample.attainmentPercent })}</Text>
            <Slider
              min={0}
              max={200}
              step={5}
              value={sample.attainmentPercent}
              onChange={(v) => set({ attainmentPercent: v })}
              marks={[0, 50, 100, 150, 200].map((v) => ({ value: v, label: `${v} %` }))}
              label={(v) => `${v} %`}
              data-testid="sample-slider"
            />
          </Stack>
        ) : (
          <Stack gap="xs">
            <Table verticalSpacing={4} horizontalSpacing="xs" data-testid="sample-deals">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('compEditor.preview.dealAmount', { currency: plan.currency })}</Table.Th>
                  <Table.Th>{t('compEditor.preview.creditKind')}</Table.Th>
                  <Table.Th>{t('compEditor.preview.dealFields')}</Table.Th>
                  <Table.Th w={40} />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {sample.deals.map((d, index) => (
                  <Table.Tr key={d.uid}>
                    <Table.Td>
                      <TextInput
                        size="xs"
                        aria-label={t('compEditor.preview.dealAmount', { currency: plan.currency })}
                        value={d.amount}
                        onChange={(e) => set({ deals: sample.deals.map((x, i) => (i === index ? { ...x, amount: e.currentTarget.value } : x)) })}
                        error={result?.badDeals.includes(d.uid) ? t('compEditor.issues.format.amount') : null}
                      />
                    </Table.Td>
                    <Table.Td>
                      <Select
                        size="xs"
                        aria-label={t('compEditor.preview.creditKind')}
                        data={CREDIT_KIND_LIST.map((k) => ({ value: k, label: t(`compEditor.creditKinds.${k}`) }))}
                        value={d.kind}
                        onChange={(v) => set({ deals: sample.deals.map((x, i) => (i === index ? { ...x, kind: CREDIT_KIND_LIST.find((k) => k === v) ?? 'owner' } : x)) })}
                        allowDeselect={false}
                      />
                    </Table.Td>
                    <Table.Td>
                      <TextInput size="xs" aria-label={t('compEditor.preview.dealFields')} placeholder="product=X" value={d.fields} onChange={(e) => set({ deals: sample.deals.map((x, i) => (i === index ? { ...x, fields: e.currentTarget.value } : x)) })} />
                    </Table.Td>
                    <Table.Td>
                      <ActionIcon variant="subtle" color="red" aria-label={t('compEditor.preview.removeDeal')} onClick={() => set({ deals: sample.deals.filter((_, i) => i !== index) })}>
                        <IconTrash size={16} />
                      </ActionIcon>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
            <Button size="xs" variant="subtle" leftSection={<IconPlus size={14} />} w="fit-content" onClick={() => set({ deals: [...sample.deals, sampleDeal('25000')] })}>
              {t('compEditor.preview.addDeal')}
            </Button>
          </Stack>
        )}
        {(metricKeys.length > 0 || scoreKeys.length > 0) && (
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
            {metricKeys.map(([key, unit]) => (
              <TextInput
                key={`m-${key}`}
                label={t('compEditor.preview.metricValue', { metric: key })}
                description={unit === 'money' ? plan.currency : t('compEditor.base.units.quantity')}
                value={sample.metrics[key] ?? ''}
                onChange={(e) => set({ metrics: { ...sample.metrics, [key]: e.currentTarget.value } })}
              />
            ))}
            {scoreKeys.map((key) => {
              const s = sample.scores[key] ?? { score: '', aspirational: false };
              return (
                <Stack key={`s-${key}`} gap={4}>
                  <TextInput label={t('compEditor.preview.scoreValue', { key })} description={t('compEditor.preview.scoreHelp')} value={s.score} onChange={(e) => set({ scores: { ...sample.scores, [key]: { ...s, score: e.currentTarget.value } } })} />
                  <Checkbox size="xs" label={t('compEditor.preview.aspirationalScore')} checked={s.aspirational} onChange={(e) => set({ scores: { ...sample.scores, [key]: { ...s, aspirational: e.currentTarget.checked } } })} />
                </Stack>
              );
            })}
          </SimpleGrid>
        )}
      </Stack>
    </Card>
  );
}

/** The engine's payout lines for the sample payee, with their explanations. */
export function PayoutLines({ result, currency }: { result: PreviewResult; currency: string }) {
  const { t } = useTranslation();
  const display = useDisplay(currency);
  const payout = result.payout;
  if (!payout) {
    return (
      <Alert color="gray" icon={<IconInfoCircle />} data-testid="preview-not-in-force">
        {t('compEditor.preview.notInForce', { period: result.period.key })}
      </Alert>
    );
  }
  const warnings = payout.lines.flatMap((l) => l.warnings);
  return (
    <Card withBorder p="md" radius="md" data-testid="preview-payout">
      <Group justify="space-between" mb="xs" align="baseline">
        <Title order={3} fz="md">
          {t('compEditor.preview.payoutTitle', { period: result.period.key })}
        </Title>
        <Text fz={22} fw={700} style={{ fontVariantNumeric: 'tabular-nums' }} data-testid="preview-total">
          {display.money(payout.totalMinor)}
        </Text>
      </Group>
      <Table verticalSpacing={6}>
        <Table.Tbody>
          {payout.lines.map((line) => (
            <Table.Tr key={line.lineId} data-testid="preview-line">
              <Table.Td>
                <Group gap={6} wrap="nowrap">
                  <Text size="sm" fw={600}>
                    {line.label}
                  </Text>
                  <Badge size="xs" variant="outline" color="gray">
                    {t(`compEditor.lineKinds.${line.kind}`)}
                  </Badge>
                </Group>
                {line.explanation.text && (
                  <Text size="xs" c="dimmed" ff="monospace">
                    {line.explanation.text}
                  </Text>
                )}
              </Table.Td>
              <Table.Td ta="right" style={{ whiteSpace: 'nowrap', verticalAlign: 'top', fontVariantNumeric: 'tabular-nums' }}>
                <Text size="sm" fw={600} {...(line.amountMinor < 0 ? { c: 'red' } : {})}>
                  {display.money(line.amountMinor)}
                </Text>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {warnings.length > 0 && (
        <Stack gap={2} mt="xs">
          {warnings.map((w, i) => (
            <Text key={i} size="xs" c="orange">
              {w.message}
            </Text>
          ))}
        </Stack>
      )}
      <Text size="xs" c="dimmed" mt="xs">
        {t('compEditor.preview.clawbackNote')}
      </Text>
    </Card>
  );
}

/** One tiered rate table priced in all three tier modes, side by side, with the per-band arithmetic and a chart. */
export function ModeComparison({ comparison, currency, quotaMinor }: { comparison: TierComparison; currency: string; quotaMinor: number | null }) {
  const { t } = useTranslation();
  const display = useDisplay(currency);
  const c = comparison;
  const baseText = c.quantity ? `${display.units(c.base)} ${t('compEditor.preview.units')}` : display.money(c.base);
  const rateText = (r: Rational) => (c.quantity ? display.perUnit(r) : display.percent(r));
  const sliceText = (r: Rational) => (c.quantity ? display.units(r) : display.money(r));
  const totals = new Set(c.modes.map((m) => m.amountMinor));
  // Modes whose whole curve is the same line: one hides the other, so say so.
  const overlaps = TIER_MODE_PAIRS.filter(([a, b]) => c.curve.every((p) => p.amounts[a] === p.amounts[b]));
  return (
    <Card withBorder p="md" radius="md" data-testid={`mode-comparison-${c.id}`}>
      <Group justify="space-between" align="baseline" mb={4} wrap="wrap">
        <Title order={3} fz="md">
          {t('compEditor.preview.modesTitle', { component: c.label })}
        </Title>
        <Text size="sm" c="dimmed">
          {t('compEditor.preview.base', { base: baseText })}
          {c.reference === 'quota' && quotaMinor !== null && c.samplePercent !== null ? ` · ${t('compEditor.preview.attainment', { value: display.number(c.samplePercent) })}` : ''}
        </Text>
      </Group>
      <Text size="xs" c="dimmed" mb="sm">
        {totals.size > 1 ? t('compEditor.preview.modesDiffer') : t('compEditor.preview.modesSame')} {t('compEditor.preview.beforeLimits')}
      </Text>
      {c.table.basis === 'attainment' && quotaMinor === null && (
        <Alert color="orange" variant="light" mb="sm">
          {t('compEditor.preview.noQuota')}
        </Alert>
      )}
      <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
        {c.modes.map((m) => {
          const declared = m.mode === c.declared;
          return (
            <Paper
              key={m.mode}
              withBorder
              p="sm"
              radius="md"
              data-testid={`mode-${m.mode}`}
              data-declared={declared}
              style={{
                borderColor: declared ? `var(--mantine-color-${MODE_COLOR[m.mode]}-6)` : undefined,
                borderWidth: declared ? 2 : 1,
                background: declared ? `var(--mantine-color-${MODE_COLOR[m.mode]}-light)` : undefined,
              }}
            >
              <Stack gap={6} h="100%">
                <Group justify="space-between" gap={4} wrap="nowrap">
                  <Text fw={700} size="sm" c={`${MODE_COLOR[m.mode]}.7`} style={{ whiteSpace: 'nowrap' }}>
                    {t(`compEditor.tiers.${m.mode}`)}
                  </Text>
                  {declared && (
                    <Badge size="xs" color={MODE_COLOR[m.mode]} variant="filled">
                      {t('compEditor.preview.declared')}
                    </Badge>
                  )}
                </Group>
                <Text size="xs" c="dimmed" mih={48}>
                  {t(`compEditor.tiers.explain.${m.mode}`)}
                </Text>
                <Stack gap={2} style={{ flex: 1 }}>
                  {m.pricing.bands.map((band) => (
                    <Group key={`${band.tierIndex}-${band.label}`} justify="space-between" gap={4} wrap="wrap" data-testid="mode-band">
                      <Text size="xs" ff="monospace" style={{ whiteSpace: 'nowrap' }}>
                        {sliceText(band.slice)} × {rateText(band.rate)}
                      </Text>
                      <Text size="xs" ff="monospace" style={{ whiteSpace: 'nowrap', marginLeft: 'auto' }}>
                        = {display.money(band.amount)}
                      </Text>
                    </Group>
                  ))}
                </Stack>
                <Group justify="space-between" pt={6} style={{ borderTop: '1px solid var(--mantine-color-default-border)' }}>
                  <Text size="xs" c="dimmed">
                    {t('compEditor.preview.total')}
                  </Text>
                  <Text fw={700} style={{ fontVariantNumeric: 'tabular-nums' }} data-testid={`mode-total-${m.mode}`}>
                    {display.money(m.amountMinor)}
                  </Text>
                </Group>
              </Stack>
            </Paper>
          );
        })}
      </SimpleGrid>
      {c.curve.length > 0 && (
        <Stack gap={4} mt="md">
          <Text size="sm" fw={600}>
            {t('compEditor.preview.chartTitle')}
          </Text>
          <TierModeChart
            curve={c.curve}
            declared={c.declared}
            samplePercent={c.samplePercent}
            formatAmount={display.compactMoney}
            xLabel={c.reference === 'quota' ? t('compEditor.preview.xAttainment') : t('compEditor.preview.xMetric')}
            testId={`mode-chart-${c.id}`}
          />
          {overlaps.length > 0 && (
            <Text size="xs" c="dimmed" ta="center">
              {overlaps.map(([a, b]) => t('compEditor.preview.overlap', { a: t(`compEditor.tiers.${a}`), b: t(`compEditor.tiers.${b}`) })).join(' ')}
            </Text>
          )}
        </Stack>
      )}
    </Card>
  );
}

