import { Alert, Badge, Button, Card, Code, Grid, Group, NumberInput, SegmentedControl, Select, SimpleGrid, Stack, Table, Text, Textarea, TextInput, Title } from '@mantine/core';
import { IconAlertTriangle, IconArrowDownRight, IconArrowUpRight, IconFileInvoice, IconFlask, IconInfoCircle, IconPlayerPlay } from '@tabler/icons-react';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { isApiError } from '../../../api/client';
import { useWhatIf, type WhatIfPayee, type WhatIfRequest, type WhatIfResult } from '../../../api/comp-insights-queries';
import { usePlanVersions } from '../../../api/comp-queries';
import { DataTable } from '../../../components/data-table';
import { EmptyCard } from '../../../components/empty-card';
import { ErrorState, TableSkeleton } from '../../../components/query-state';
import { useFormat } from '../../../i18n/format';
import { Money } from '../comp-ui';
import { DistributionChart } from './distribution-chart';

type CandidateKind = 'version' | 'draft' | 'quotas';

/** Quick picks relative to today (calendar fiscal years; any key can be typed). */
function quickPeriods(today: Date): { key: string; label: 'lastYear' | 'thisYear' | 'lastQuarter' | 'lastMonth' }[] {
  const year = today.getUTCFullYear();
  const month = today.getUTCMonth(); // 0–11
  const quarter = Math.floor(month / 3); // 0–3
  const lastQuarter = quarter === 0 ? `${year - 1}-Q4` : `${year}-Q${quarter}`;
  const lastMonth = month === 0 ? `${year - 1}-12` : `${year}-${String(month).padStart(2, '0')}`;
  return [
    { key: `FY${year - 1}`, label: 'lastYear' },
    { key: `FY${year}`, label: 'thisYear' },
    { key: lastQuarter, label: 'lastQuarter' },
    { key: lastMonth, label: 'lastMonth' },
  ];
}

function usePercentOf() {
  const format = useFormat();
  return (fraction: number) => `${format.number(Math.round(fraction * 1000) / 10)} %`;
}

function KpiCard({ title, subtitle, children, testId, accent }: { title: string; subtitle: string; children: React.ReactNode; testId: string; accent: string }) {
  return (
    <Card p="lg" data-testid={testId} style={{ borderTop: `3px solid var(--mantine-color-${accent}-filled)` }}>
      <Text size="xs" tt="uppercase" fw={700} c="dimmed">
        {title}
      </Text>
      <Text size="xs" c="dimmed" truncate="end" mb={6} title={subtitle}>
        {subtitle}
      </Text>
      {children}
    </Card>
  );
}

/** A signed difference; `cost` reads a rise as a warning (more to pay), otherwise a rise is good news (more earned). */
function Delta({ minor, currency, fz = 'sm', cost = false }: { minor: number; currency: string; fz?: string | number; cost?: boolean }) {
  const format = useFormat();
  const color = minor === 0 ? 'dimmed' : (minor > 0) !== cost ? 'teal' : cost ? 'orange' : 'red';
  return (
    <Text span fz={fz} fw={600} c={color} style={{ fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' }}>
      {minor > 0 ? '+' : ''}
      {format.money(minor, currency)}
    </Text>
  );
}

function PeopleTable({ rows, currency, title, testId, icon }: { rows: WhatIfPayee[]; currency: string; title: string; testId: string; icon: React.ReactNode }) {
  const { t } = useTranslation();
  const format = useFormat();
  return (
    <Card p="lg" data-testid={testId}>
      <Group gap="xs" mb="sm">
        {icon}
        <Title order={3} fz="md">
          {title}
        </Title>
      </Group>
      {rows.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('compInsights.whatIf.nobody')}
        </Text>
      ) : (
        <Table verticalSpacing={6}>
          <Table.Tbody>
            {rows.map((p) => (
              <Table.Tr key={p.payeeId} data-testid={`${testId}-row`}>
                <Table.Td>
                  <Text size="sm" fw={500}>
                    {p.name}
                  </Text>
                  <Text size="xs" c="dimmed" style={{ fontVariantNumeric: 'tabular-nums' }}>
                    {format.money(p.baselineMinor, currency)} → {format.money(p.scenarioMinor, currency)}
                  </Text>
                </Table.Td>
                <Table.Td ta="right">
                  <Delta minor={p.deltaMinor} currency={currency} />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Card>
  );
}

function Results({ result }: { result: WhatIfResult }) {
  const { t } = useTranslation();
  const percentOf = usePercentOf();
  const { currency } = result;
  const share = (value: string | null) => (value === null ? t('compInsights.whatIf.noRevenue') : t('compInsights.whatIf.shareOfRevenue', { share: percentOf(Number(value)) }));
  const projected = result.periods.filter((p) => p.assignments === 'projected');
  const deltaShare = result.baseline.costMinor === 0 ? null : result.deltaMinor / result.baseline.costMinor;
  const sideLabel = (label: string) => (label === 'As assigned' ? t('compInsights.whatIf.asAssigned') : label);
  return (
    <Stack gap="lg" data-testid="whatif-results">
      {projected.length > 0 && (
        <Alert variant="light" color="blue" icon={<IconInfoCircle />} data-testid="whatif-projected">
          {t('compInsights.whatIf.projected', { count: projected.length, periods: projected.length > 4 ? `${projected[0]?.key} … ${projected[projected.length - 1]?.key}` : projected.map((p) => p.key).join(', ') })}
        </Alert>
      )}
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }} spacing="lg">
        <KpiCard title={t('compInsights.whatIf.baseline')} subtitle={sideLabel(result.baseline.label)} testId="whatif-baseline" accent="gray">
          <Money minor={result.baseline.costMinor} currency={currency} fz={26} fw={800} />
          <Text size="sm" c="dimmed" data-testid="whatif-baseline-share">
            {share(result.baseline.costShareOfRevenue)}
          </Text>
        </KpiCard>
        <KpiCard title={t('compInsights.whatIf.candidate')} subtitle={sideLabel(result.scenario.label)} testId="whatif-scenario" accent="violet">
          <Money minor={result.scenario.costMinor} currency={currency} fz={26} fw={800} />
          <Text size="sm" c="dimmed" data-testid="whatif-scenario-share">
            {share(result.scenario.costShareOfRevenue)}
          </Text>
        </KpiCard>
        <KpiCard title={t('compInsights.whatIf.delta')} subtitle={t('compInsights.whatIf.deltaHelp')} testId="whatif-delta" accent={result.deltaMinor > 0 ? 'orange' : 'teal'}>
          <Delta minor={result.deltaMinor} currency={currency} fz={26} cost />
          <Text size="sm" c="dimmed">
            {deltaShare === null ? '—' : t('compInsights.whatIf.deltaShare', { share: `${deltaShare > 0 ? '+' : ''}${percentOf(deltaShare)}` })}
          </Text>
        </KpiCard>
        <KpiCard title={t('compInsights.whatIf.revenue')} subtitle={t('compInsights.whatIf.revenueHelp')} testId="whatif-revenue" accent="blue">
          <Money minor={result.revenueMinor} currency={currency} fz={26} fw={800} />
          <Text size="sm" c="dimmed">
            {t('compInsights.whatIf.payees', { count: result.payees.length })} · {result.period.key}
          </Text>
        </KpiCard>
      </SimpleGrid>

      <Grid gap="lg">
        <Grid.Col span={{ base: 12, lg: 7 }}>
          <Card p="lg" h="100%" data-testid="whatif-distribution">
            <Title order={3} fz="md">
              {t('compInsights.whatIf.distribution')}
            </Title>
            <Text size="sm" c="dimmed" mb="sm">
              {t('compInsights.whatIf.distributionHelp')}
            </Text>
            <DistributionChart buckets={result.histogram} currency={currency} baselineLabel={t('compInsights.whatIf.baselineCost')} scenarioLabel={t('compInsights.whatIf.candidateCost')} />
            <Table mt="md" fz="sm" verticalSpacing={4} data-testid="whatif-percentiles">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('compInsights.whatIf.percentiles')}</Table.Th>
                  <Table.Th ta="right">{t('compInsights.whatIf.baselineCost')}</Table.Th>
                  <Table.Th ta="right">{t('compInsights.whatIf.candidateCost')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {(['min', 'p25', 'median', 'p75', 'max'] as const).map((k) => (
                  <Table.Tr key={k}>
                    <Table.Td>{t(`compInsights.whatIf.${k}`)}</Table.Td>
                    <Table.Td ta="right">
                      <Money minor={result.baseline.distribution[`${k}Minor`]} currency={currency} fw={400} />
                    </Table.Td>
                    <Table.Td ta="right">
                      <Money minor={result.scenario.distribution[`${k}Minor`]} currency={currency} />
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Card>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 5 }}>
          <Stack gap="lg">
            <PeopleTable rows={result.winners} currency={currency} title={t('compInsights.whatIf.winners')} testId="whatif-winners" icon={<IconArrowUpRight size={18} color="var(--mantine-color-teal-filled)" />} />
            <PeopleTable rows={result.losers} currency={currency} title={t('compInsights.whatIf.losers')} testId="whatif-losers" icon={<IconArrowDownRight size={18} color="var(--mantine-color-red-filled)" />} />
          </Stack>
        </Grid.Col>
      </Grid>

      {result.periods.length > 1 && (
        <DataTable aria-label={t('compInsights.whatIf.byPeriod')} data-testid="whatif-periods" minWidth={640}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('compInsights.whatIf.period')}</Table.Th>
              <Table.Th ta="right">{t('compInsights.whatIf.revenue')}</Table.Th>
              <Table.Th ta="right">{t('compInsights.whatIf.baselineCost')}</Table.Th>
              <Table.Th ta="right">{t('compInsights.whatIf.candidateCost')}</Table.Th>
              <Table.Th ta="right">{t('compInsights.whatIf.delta')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {result.periods.map((p) => (
              <Table.Tr key={p.key}>
                <Table.Td>
                  <Group gap="xs">
                    <Text size="sm" fw={600}>
                      {p.key}
                    </Text>
                    {p.assignments === 'projected' && (
                      <Badge size="xs" variant="light" color="blue">
                        {t('compInsights.whatIf.projectedBadge')}
                      </Badge>
                    )}
                  </Group>
                </Table.Td>
                <Table.Td ta="right">
                  <Money minor={p.revenueMinor} currency={currency} fw={400} />
                </Table.Td>
                <Table.Td ta="right">
                  <Money minor={p.baselineCostMinor} currency={currency} fw={400} />
                </Table.Td>
                <Table.Td ta="right">
                  <Money minor={p.scenarioCostMinor} currency={currency} />
                </Table.Td>
                <Table.Td ta="right">
                  <Delta minor={p.scenarioCostMinor - p.baselineCostMinor} currency={currency} cost />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </DataTable>
      )}

      <Stack gap="xs">
        <Title order={3} fz="md">
          {t('compInsights.whatIf.allPayees')}
        </Title>
        <DataTable aria-label={t('compInsights.whatIf.allPayees')} data-testid="whatif-payees" minWidth={640}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('compInsights.whatIf.payee')}</Table.Th>
              <Table.Th ta="right">{t('compInsights.whatIf.revenue')}</Table.Th>
              <Table.Th ta="right">{t('compInsights.whatIf.baselineCost')}</Table.Th>
              <Table.Th ta="right">{t('compInsights.whatIf.candidateCost')}</Table.Th>
              <Table.Th ta="right">{t('compInsights.whatIf.delta')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {result.payees.map((p) => (
              <Table.Tr key={p.payeeId} data-testid="whatif-payee">
                <Table.Td>
                  <Text size="sm" fw={500}>
                    {p.name}
                  </Text>
                </Table.Td>
                <Table.Td ta="right">
                  <Money minor={p.revenueMinor} currency={currency} fw={400} />
                </Table.Td>
                <Table.Td ta="right">
                  <Money minor={p.baselineMinor} currency={currency} fw={400} />
                </Table.Td>
                <Table.Td ta="right">
                  <Money minor={p.scenarioMinor} currency={currency} />
                </Table.Td>
                <Table.Td ta="right">
                  <Delta minor={p.deltaMinor} currency={currency} />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </DataTable>
      </Stack>
      {result.warnings.length > 0 && (
        <Alert variant="light" color="yellow" icon={<IconAlertTriangle />} title={t('compInsights.whatIf.warnings')}>
          <Stack gap={2}>
            {result.warnings.slice(0, 6).map((w, i) => (
              <Text key={i} size="xs">
                <Code mr={6}>{w.code}</Code>
                {w.message}
              </Text>
            ))}
          </Stack>
        </Alert>
      )}
    </Stack>
  );
}

/** What-if: a candidate plan (a version, a draft, or changed quotas) priced on stored data beside the plan as assigned. */
export function WhatIfTab() {
  const { t } = useTranslation();
  const plans = usePlanVersions();
  const simulate = useWhatIf();
  const planIds = useMemo(() => [...new Set((plans.data ?? []).map((p) => p.planId))], [plans.data]);
  const [planId, setPlanId] = useState<string | null>(null);
  const [baseline, setBaseline] = useState<string>('');
  const [kind, setKind] = useState<CandidateKind>('draft');
  const [candidateVersion, setCandidateVersion] = useState<string | null>(null);
  const [document, setDocument] = useState('');
  const quick = useMemo(() => quickPeriods(new Date()), []);
  const [period, setPeriod] = useState(quick[0]?.key ?? '');
  const [quotaPercent, setQuotaPercent] = useState<number | string>(0);
  const [issues, setIssues] = useState<{ path: string; message: string }[]>([]);
  const chosenPlan = planId ?? planIds[0] ?? null;
  const versions = (plans.data ?? []).filter((p) => p.planId === chosenPlan);
  const latest = versions[versions.length - 1];

  useEffect(() => {
    // A draft starts as a copy of the plan's latest version.
    if (latest) setDocument(stringifyYaml(latest.document));
  }, [latest]);

  if (plans.isPending) return <TableSkeleton rows={4} />;
  if (plans.isError) return <ErrorState error={plans.error} onRetry={() => void plans.refetch()} />;
  if (planIds.length === 0) return <EmptyCard icon={<IconFileInvoice />} title={t('compInsights.whatIf.noPlansTitle')} description={t('compInsights.whatIf.noPlansText')} />;

  const run = (event: React.FormEvent) => {
    event.preventDefault();
    if (!chosenPlan) return;
    const body: WhatIfRequest = { period: period.trim(), planId: chosenPlan, baselineVersion: baseline ? Number(baseline) : null, top: 5 };
    if (kind === 'draft') {
      let parsed: unknown;
      try {
        parsed = parseYaml(document);
      } catch (e) {
        setIssues([{ path: '', message: e instanceof Error ? e.message : String(e) }]);
        return;
      }
      body.candidate = { document: (parsed ?? {}) as Record<string, unknown> };
    } else if (kind === 'version') {
      body.candidate = { version: Number(candidateVersion ?? latest?.version ?? 1) };
    }
    const percent = typeof quotaPercent === 'number' ? quotaPercent : Number(quotaPercent);
    if (Number.isFinite(percent) && percent !== 0) body.quotaMultiplier = String(Math.round((1 + percent / 100) * 10_000) / 10_000);
    setIssues([]);
    simulate.mutate(body, {
      onError: (e) => setIssues(isApiError(e) && e.issues.length > 0 ? e.issues : [{ path: '', message: isApiError(e) ? e.message : String(e) }]),
    });
  };

  return (
    <Stack gap="lg" data-testid="whatif-tab">
      <Card p="lg">
        <form onSubmit={run} noValidate>
          <Stack gap="md">
            <Group gap="sm" wrap="nowrap" align="flex-start">
              <IconFlask size={22} color="var(--mantine-color-violet-filled)" style={{ flexShrink: 0, marginTop: 2 }} />
              <Text size="sm" c="dimmed">
                {t('compInsights.whatIf.intro')}
              </Text>
            </Group>
            <Grid gap="md">
              <Grid.Col span={{ base: 12, md: 4 }}>
                <Select
                  label={t('compInsights.whatIf.plan')}
                  data={planIds.map((id) => ({ value: id, label: `${(plans.data ?? []).filter((p) => p.planId === id).at(-1)?.name ?? id} (${id})` }))}
                  value={chosenPlan}
                  onChange={(value) => {
                    setPlanId(value);
                    setBaseline('');
                    setCandidateVersion(null);
                  }}
                  allowDeselect={false}
                  data-testid="whatif-plan"
                />
              </Grid.Col>
              <Grid.Col span={{ base: 12, md: 4 }}>
                <Select
                  label={t('compInsights.whatIf.baseline')}
                  data={[{ value: '', label: t('compInsights.whatIf.asAssigned') }, ...versions.map((v) => ({ value: String(v.version), label: t('compInsights.whatIf.version', { version: v.version, name: v.name }) }))]}
                  value={baseline}
                  onChange={(value) => setBaseline(value ?? '')}
                  allowDeselect={false}
                  data-testid="whatif-baseline-select"
                />
              </Grid.Col>
              <Grid.Col span={{ base: 12, md: 4 }}>
                <NumberInput
                  label={t('compInsights.whatIf.quotaChange')}
                  description={t('compInsights.whatIf.quotaChangeHelp')}
                  value={quotaPercent}
                  onChange={setQuotaPercent}
                  suffix=" %"
                  min={-90}
                  max={500}
                  allowDecimal
                  data-testid="whatif-quota"
                />
              </Grid.Col>
            </Grid>
            <Stack gap={6}>
              <Text size="sm" fw={500}>
                {t('compInsights.whatIf.candidate')}
              </Text>
              <SegmentedControl
                value={kind}
                onChange={(value) => setKind(value as CandidateKind)}
                data={[
                  { value: 'draft', label: t('compInsights.whatIf.candidateDraft') },
                  { value: 'version', label: t('compInsights.whatIf.candidateVersion') },
                  { value: 'quotas', label: t('compInsights.whatIf.candidateQuotas') },
                ]}
                style={{ alignSelf: 'flex-start' }}
                data-testid="whatif-candidate-kind"
              />
            </Stack>
            {kind === 'version' && (
              <Select
                label={t('compInsights.whatIf.candidateVersionLabel')}
                data={versions.map((v) => ({ value: String(v.version), label: t('compInsights.whatIf.version', { version: v.version, name: v.name }) }))}
                value={candidateVersion ?? (latest ? String(latest.version) : null)}
                onChange={setCandidateVersion}
                allowDeselect={false}
                maw={420}
                data-testid="whatif-candidate-version"
              />
            )}
            {kind === 'draft' && (
              <Stack gap={6}>
                <Textarea
                  label={t('compInsights.whatIf.document')}
                  description={t('compInsights.whatIf.documentHelp')}
                  autosize
                  minRows={8}
                  maxRows={22}
                  value={document}
                  onChange={(e) => setDocument(e.currentTarget.value)}
                  styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 13 } }}
                  data-testid="whatif-document"
                />
                <Group>
                  <Button variant="subtle" size="xs" onClick={() => latest && setDocument(stringifyYaml(latest.document))}>
                    {t('compInsights.whatIf.resetDocument')}
                  </Button>
                </Group>
              </Stack>
            )}
            <Group align="flex-end" gap="sm" wrap="wrap">
              <TextInput
                label={t('compInsights.whatIf.period')}
                description={t('compInsights.whatIf.periodHelp')}
                value={period}
                onChange={(e) => setPeriod(e.currentTarget.value)}
                w={260}
                data-testid="whatif-period"
              />
              <Group gap={6} pb={4}>
                {quick.map((q) => (
                  <Button key={q.key} size="xs" variant={period === q.key ? 'light' : 'default'} onClick={() => setPeriod(q.key)} data-testid={`whatif-quick-${q.label}`}>
                    {t(`compInsights.whatIf.${q.label}`)} · {q.key}
                  </Button>
                ))}
              </Group>
              <Button type="submit" ml="auto" leftSection={<IconPlayerPlay size={16} />} loading={simulate.isPending} data-testid="whatif-run">
                {t('compInsights.whatIf.run')}
              </Button>
            </Group>
            {issues.length > 0 && (
              <Alert color="red" icon={<IconAlertTriangle />} title={t('compInsights.whatIf.invalid')} data-testid="whatif-issues">
                <Stack gap={4}>
                  {issues.slice(0, 12).map((issue, i) => (
                    <Text key={i} size="sm">
                      {issue.path && <Code mr={6}>{issue.path}</Code>}
                      {issue.message}
                    </Text>
                  ))}
                </Stack>
              </Alert>
            )}
          </Stack>
        </form>
      </Card>
      {simulate.isPending && !simulate.data ? (
        <TableSkeleton rows={5} />
      ) : simulate.data ? (
        <div style={{ opacity: simulate.isPending ? 0.6 : 1, transition: 'opacity 120ms' }}>
          <Results result={simulate.data} />
        </div>
      ) : (
        <EmptyCard icon={<IconFlask />} title={t('compInsights.whatIf.startTitle')} description={t('compInsights.whatIf.startText')} order={3} />
      )}
    </Stack>
  );
}
