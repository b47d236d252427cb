import { ActionIcon, Alert, Anchor, Badge, Card, Grid, Group, Progress, Select, SimpleGrid, Stack, Table, Text, ThemeIcon, Title, Tooltip } from '@mantine/core';
import { IconArrowRight, IconChevronLeft, IconChevronRight, IconCoins, IconRocket, IconTargetArrow, IconTrophy, IconUserSearch } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useEarnings, useEarningsPayees, type Earnings } from '../../../api/comp-insights-queries';
import { DataTable } from '../../../components/data-table';
import { EmptyCard } from '../../../components/empty-card';
import { CardsSkeleton, ErrorState } from '../../../components/query-state';
import { useFormat } from '../../../i18n/format';
import { Attainment, Money } from '../comp-ui';
import { TierGauge } from './tier-gauge';

const KNOWN_STAGES = ['prospecting', 'qualification', 'proposal', 'negotiation'] as const;

/** A decimal fraction ('0.075') as a percentage ('7.5 %'). */
export function usePercent() {
  const format = useFormat();
  return (fraction: string | number) => `${format.number(Math.round(Number(fraction) * 10_000) / 100)} %`;
}

function StageLabel({ stage }: { stage: string | null }) {
  const { t } = useTranslation();
  if (stage === null) return <Text span size="sm" c="dimmed">—</Text>;
  const known = (KNOWN_STAGES as readonly string[]).includes(stage) ? (stage as (typeof KNOWN_STAGES)[number]) : null;
  return (
    <Text span size="sm" style={{ whiteSpace: 'nowrap' }}>
      {known ? t(`compInsights.stages.${known}`) : stage}
    </Text>
  );
}

function Figure({ label, minor, currency, hint, color, testId }: { label: string; minor: number; currency: string; hint?: string; color?: string; testId: string }) {
  return (
    <Stack gap={2} data-testid={testId}>
      <Text size="xs" tt="uppercase" fw={700} c="dimmed">
        {label}
      </Text>
      <Text fz={22} fw={700} {...(color ? { c: color } : {})} style={{ fontVariantNumeric: 'tabular-nums' }}>
        <Money minor={minor} currency={currency} fz={22} fw={700} />
      </Text>
      {hint && (
        <Text size="xs" c="dimmed">
          {hint}
        </Text>
      )}
    </Stack>
  );
}

function EarningsView({ data }: { data: Earnings }) {
  const { t } = useTranslation();
  const format = useFormat();
  const percent = usePercent();
  const { currency, progress, forecast } = data;
  const weightedPipeline = forecast.deals.reduce((sum, d) => sum + Math.round(d.amountMinor * Number(d.probability)), 0);
  const max = Math.max(forecast.bestCaseTotalMinor, 1);
  return (
    <Stack gap="lg">
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, md: 4 }}>
        <Card p="lg" h="100%" data-testid="earned-to-date">
          <Group justify="space-between" align="flex-start" wrap="nowrap">
            <Stack gap={4}>
              <Text size="xs" tt="uppercase" fw={700} c="dimmed">
                {t('compInsights.earnings.earnedToDate')}
              </Text>
              <Money minor={data.earnedMinor} currency={currency} fz={36} fw={800} />
              <Text size="sm" c="dimmed">
                {data.plan ? t('compInsights.earnings.onPlan', { plan: data.plan.name, version: data.plan.version }) : t('compInsights.earnings.noPlan')}
              </Text>
            </Stack>
            <ThemeIcon size={44} radius="md" variant="light" color="teal">
              <IconCoins size={24} />
            </ThemeIcon>
          </Group>
          <Group gap="xs" mt="md">
            <Badge variant="light" color={data.source.kind === 'run' ? 'blue' : 'gray'} data-testid="earnings-source">
              {data.source.kind === 'run' ? t('compInsights.earnings.fromRun', { status: t(`comp.status.${data.source.status as 'calculated'}`) }) : t('compInsights.earnings.live')}
            </Badge>
          </Group>
          {data.source.kind === 'run' && (
            <Anchor component={Link} to={`/compensation/statements/${data.source.runId}/${data.payee.id}`} size="sm" mt="sm" display="inline-flex" style={{ alignItems: 'center', gap: 4 }} data-testid="earnings-statement">
              {t('compInsights.earnings.openStatement')}
              <IconArrowRight size={14} />
            </Anchor>
          )}
        </Card>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 8 }}>
        <Card p="lg" h="100%" data-testid="earnings-progress">
          <Group justify="space-between" mb="xs">
            <Stack gap={0}>
              <Text size="xs" tt="uppercase" fw={700} c="dimmed">
                {progress ? progress.label : t('compInsights.earnings.attainment')}
              </Text>
              <Group gap="xs" align="baseline">
                <Text fw={700} fz="lg">
                  {progress ? <Money minor={progress.baseMinor} currency={currency} fz="lg" fw={700} /> : <Money minor={data.creditedMinor} currency={currency} fz="lg" fw={700} />}
                </Text>
                <Text size="sm" c="dimmed">
                  {t('compInsights.earnings.credited')}
                </Text>
              </Group>
            </Stack>
            <Stack gap={0} align="flex-end">
              <Text size="xs" tt="uppercase" fw={700} c="dimmed">
                {t('compInsights.earnings.attainment')}
              </Text>
              <Text fw={700} fz="lg" data-testid="earnings-attainment">
                <Attainment value={data.attainment} />
              </Text>
              {data.quotaMinor !== null && (
                <Text size="xs" c="dimmed">
                  {t('compInsights.earnings.ofQuota', { quota: format.money(data.quotaMinor, currency) })}
                </Text>
              )}
            </Stack>
          </Group>
          {progress && progress.tiers.length > 1 ? (
            <TierGauge
              tiers={progress.tiers}
              baseMinor={progress.baseMinor}
              weightedMinor={progress.baseMinor + weightedPipeline}
              bestMinor={progress.baseMinor + forecast.pipelineMinor}
              currency={currency}
              percent={percent}
            />
          ) : data.attainment !== null ? (
            <Progress value={Math.min(100, Number(data.attainment) * 100)} size="xl" radius="xl" mt="md" aria-label={t('compInsights.earnings.attainment')} />
          ) : (
            <Text size="sm" c="dimmed" mt="md">
              {t('compInsights.earnings.noTiers')}
            </Text>
          )}
          {progress && (
            <Alert
              mt="md"
              variant="light"
              color={progress.next ? 'violet' : 'teal'}
              icon={progress.next ? <IconTargetArrow size={20} /> : <IconTrophy size={20} />}
              data-testid="next-tier"
              p="sm"
            >
              {progress.next ? (
                <Text size="sm">
                  {/* A label that names its rate already ("Accelerator 7 %") needs no second one. */}
                  {progress.next.label.includes('%')
                    ? t('compInsights.earnings.nextTierNamed', { amount: format.money(progress.next.remainingMinor, currency), tier: progress.next.label })
                    : t('compInsights.earnings.nextTier', {
                        amount: format.money(progress.next.remainingMinor, currency),
                        tier: progress.next.label || t('compInsights.earnings.tierN', { n: progress.next.index + 1 }),
                        rate: percent(progress.next.rate),
                      })}
                </Text>
              ) : (
                <Text size="sm">{t('compInsights.earnings.topTier')}</Text>
              )}
            </Alert>
          )}
        </Card>
        </Grid.Col>
      </Grid>

      <Card p="lg" data-testid="forecast-card">
        <Group justify="space-between" mb="md" align="flex-start">
          <Group gap="sm">
            <ThemeIcon size={36} radius="md" variant="light" color="violet">
              <IconRocket size={20} />
            </ThemeIcon>
            <Stack gap={0}>
              <Title order={3} fz="lg">
                {t('compInsights.earnings.forecastTitle')}
              </Title>
              <Text size="sm" c="dimmed">
                {t('compInsights.earnings.forecastHelp', { count: forecast.deals.length, amount: format.money(forecast.pipelineMinor, currency) })}
              </Text>
            </Stack>
          </Group>
        </Group>
        <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="lg" mb="md">
          <Figure label={t('compInsights.earnings.earned')} minor={data.earnedMinor} currency={currency} testId="forecast-earned" />
          <Figure
            label={t('compInsights.earnings.weighted')}
            minor={forecast.weightedTotalMinor}
            currency={currency}
            color="violet"
            hint={t('compInsights.earnings.plus', { amount: format.money(forecast.weightedIncrementMinor, currency) })}
            testId="forecast-weighted"
          />
          <Figure
            label={t('compInsights.earnings.bestCase')}
            minor={forecast.bestCaseTotalMinor}
            currency={currency}
            color="teal"
            hint={t('compInsights.earnings.plus', { amount: format.money(forecast.bestCaseIncrementMinor, currency) })}
            testId="forecast-best"
          />
        </SimpleGrid>
        <Stack gap={6} aria-hidden>
          {[
            { key: 'earned', value: data.earnedMinor, color: 'blue' },
            { key: 'weighted', value: forecast.weightedTotalMinor, color: 'violet' },
            { key: 'bestCase', value: forecast.bestCaseTotalMinor, color: 'teal' },
          ].map((row) => (
            <Group key={row.key} gap="sm" wrap="nowrap">
              <Text size="xs" c="dimmed" w={130}>
                {t(`compInsights.earnings.${row.key as 'earned' | 'weighted' | 'bestCase'}`)}
              </Text>
              <Progress value={(row.value / max) * 100} color={row.color} size="lg" radius="xl" style={{ flex: 1 }} />
            </Group>
          ))}
        </Stack>
      </Card>

      {forecast.deals.length === 0 ? (
        <EmptyCard icon={<IconRocket />} title={t('compInsights.earnings.noDealsTitle')} description={t('compInsights.earnings.noDealsText')} order={3} />
      ) : (
        <DataTable aria-label={t('compInsights.earnings.dealsTitle')} data-testid="forecast-deals" minWidth={860}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('compInsights.earnings.deal')}</Table.Th>
              <Table.Th>{t('compInsights.earnings.stage')}</Table.Th>
              <Table.Th ta="right">{t('compInsights.earnings.probability')}</Table.Th>
              <Table.Th>{t('compInsights.earnings.closeDate')}</Table.Th>
              <Table.Th ta="right">{t('compInsights.earnings.amount')}</Table.Th>
              <Table.Th ta="right">{t('compInsights.earnings.payoutIfWon')}</Table.Th>
              <Table.Th ta="right">{t('compInsights.earnings.weightedPayout')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {forecast.deals.map((d) => (
              <Table.Tr key={d.recordId} data-testid="forecast-deal">
                <Table.Td maw={300}>
                  <Text size="sm" fw={500} truncate="end">
                    {d.name}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <StageLabel stage={d.stage} />
                </Table.Td>
                <Table.Td ta="right" style={{ fontVariantNumeric: 'tabular-nums' }}>
                  <Text span size="sm">
                    {percent(d.probability)}
                  </Text>
                </Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>
                  <Text span size="sm">
                    {d.closeDate ? format.calendarDate(d.closeDate) : '—'}
                  </Text>
                </Table.Td>
                <Table.Td ta="right">
                  <Money minor={d.amountMinor} currency={currency} />
                </Table.Td>
                <Table.Td ta="right">
                  <Money minor={d.payoutIfWonMinor} currency={currency} fw={600} />
                </Table.Td>
                <Table.Td ta="right">
                  <Money minor={d.weightedPayoutMinor} currency={currency} />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
          <Table.Tfoot>
            <Table.Tr>
              <Table.Th colSpan={4}>{t('compInsights.earnings.total')}</Table.Th>
              <Table.Th ta="right">
                <Money minor={forecast.pipelineMinor} currency={currency} fw={700} />
              </Table.Th>
              <Table.Th ta="right">
                <Tooltip label={t('compInsights.earnings.bestCaseTip')} multiline w={260}>
                  <span>
                    <Money minor={forecast.bestCaseIncrementMinor} currency={currency} fw={700} />
                  </span>
                </Tooltip>
              </Table.Th>
              <Table.Th ta="right">
                <Tooltip label={t('compInsights.earnings.weightedTip')} multiline w={260}>
                  <span>
                    <Money minor={forecast.weightedIncrementMinor} currency={currency} fw={700} />
                  </span>
                </Tooltip>
              </Table.Th>
            </Table.Tr>
          </Table.Tfoot>
        </DataTable>
      )}
    </Stack>
  );
}

/** "My earnings": earned to date, where the tiers are, and what the open pipeline would pay. */
export function EarningsTab() {
  const { t } = useTranslation();
  const payees = useEarningsPayees();
  const [payeeId, setPayeeId] = useState<string | null>(null);
  const [period, setPeriod] = useState<string | null>(null);
  const self = payees.data?.find((p) => p.isSelf) ?? null;
  const chosen = payeeId ?? self?.id ?? null;
  useEffect(() => {
    // With exactly one payee to see (a rep, a partner), that one.
    if (payeeId === null && self === null && payees.data?.length === 1) setPayeeId(payees.data[0]?.id ?? null);
  }, [payeeId, self, payees.data]);
  const earnings = useEarnings(chosen, period, { enabled: chosen !== null });
  const canPick = (payees.data?.length ?? 0) > 1;

  if (payees.isPending) return <CardsSkeleton count={2} height={160} />;
  if (payees.isError) return <ErrorState error={payees.error} onRetry={() => void payees.refetch()} />;
  if (payees.data.length === 0) return <EmptyCard icon={<IconCoins />} title={t('compInsights.earnings.notPaidTitle')} description={t('compInsights.earnings.notPaidText')} />;
  const data = earnings.data;
  return (
    <Stack gap="lg" data-testid="earnings-tab">
      <Group justify="space-between" wrap="wrap" gap="sm">
        <Group gap="sm">
          {canPick && (
            <Select
              aria-label={t('compInsights.earnings.payee')}
              placeholder={t('compInsights.earnings.choosePayee')}
              data={payees.data.map((p) => ({ value: p.id, label: p.isSelf ? `${p.name} (${t('compInsights.earnings.you')})` : p.name }))}
              value={chosen}
              onChange={(value) => setPayeeId(value)}
              searchable
              w={280}
              leftSection={<IconUserSearch size={16} />}
              data-testid="earnings-payee"
            />
          )}
          {!canPick && data && (
            <Text fw={600} size="lg">
              {data.payee.name}
            </Text>
          )}
        </Group>
        {data && (
          <Group gap={4}>
            <ActionIcon variant="default" size="lg" onClick={() => setPeriod(data.period.previous)} aria-label={t('compInsights.earnings.previous')} data-testid="period-previous">
              <IconChevronLeft size={18} />
            </ActionIcon>
            <Badge size="xl" variant="light" radius="sm" data-testid="earnings-period" style={{ textTransform: 'none', minWidth: 110 }}>
              {data.period.key}
            </Badge>
            <ActionIcon variant="default" size="lg" onClick={() => setPeriod(data.period.next)} aria-label={t('compInsights.earnings.next')} data-testid="period-next">
              <IconChevronRight size={18} />
            </ActionIcon>
          </Group>
        )}
      </Group>
      {chosen === null ? (
        <EmptyCard icon={<IconUserSearch />} title={t('compInsights.earnings.choosePayeeTitle')} description={t('compInsights.earnings.choosePayeeText')} />
      ) : earnings.isPending ? (
        <CardsSkeleton count={3} height={150} />
      ) : earnings.isError ? (
        <ErrorState error={earnings.error} onRetry={() => void earnings.refetch()} />
      ) : (
        <div style={{ opacity: earnings.isPlaceholderData ? 0.6 : 1, transition: 'opacity 120ms' }}>
          <EarningsView data={earnings.data} />
        </div>
      )}
    </Stack>
  );
}
