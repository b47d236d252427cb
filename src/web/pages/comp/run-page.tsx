import { Alert, Anchor, Breadcrumbs, Button, Card, Group, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { IconAlertTriangle, IconCalculator, IconCheck, IconDownload, IconLock, IconArrowBackUp, IconCash } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { useRun, useRunAction, type RunAction, type RunStatus } from '../../api/comp-queries';
import { useConfirm } from '../../components/confirm-provider';
import { DataTable } from '../../components/data-table';
import { ErrorState, TableSkeleton } from '../../components/query-state';
import { Timestamp } from '../../components/timestamp';
import { useNotify } from '../../lib/use-notify';
import { Attainment, Money, RunStatusBadge } from './comp-ui';

/** The actions a run offers in each status, in the order they are usually taken. */
const ACTIONS: Record<RunStatus, RunAction[]> = {
  draft: ['calculate'],
  calculated: ['calculate', 'approve'],
  approved: ['lock', 'reopen'],
  locked: ['pay'],
  paid: [],
};
const ICONS = { calculate: IconCalculator, approve: IconCheck, reopen: IconArrowBackUp, lock: IconLock, pay: IconCash };

export function RunPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const notify = useNotify();
  const confirm = useConfirm();
  const query = useRun(id);
  const action = useRunAction();
  if (query.isPending) return <TableSkeleton rows={6} />;
  if (query.isError) return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  const { run, payees } = query.data;

  const perform = (name: RunAction) => {
    const run_ = () => action.mutateAsync({ id: run.id, action: name }).then(() => notify.success(t(`comp.run.done.${name}`, { period: run.periodKey })));
    if (name === 'lock') {
      confirm({ title: t('comp.run.lockTitle'), message: t('comp.run.lockText'), confirmLabel: t('comp.run.action.lock'), danger: true, onConfirm: run_ });
      return;
    }
    run_().catch((e: unknown) => notify.error(e));
  };

  return (
    <Stack gap="lg" data-testid="run-page">
      <Breadcrumbs>
        <Anchor component={Link} to="/compensation">
          {t('nav.compensation')}
        </Anchor>
        <Text>{run.periodKey}</Text>
      </Breadcrumbs>
      <Group justify="space-between" align="flex-start">
        <Stack gap={4}>
          <Group gap="sm">
            <Title order={1}>{t('comp.run.title', { period: run.periodKey })}</Title>
            <RunStatusBadge status={run.status} />
          </Group>
          <Text size="sm" c="dimmed">
            {t('comp.run.range', { start: run.periodStart, end: run.periodEnd })} · {t('comp.runs.calculatedAt')}: <Timestamp span iso={run.calculatedAt} fallback={t('comp.runs.notCalculated')} size="sm" />
          </Text>
        </Stack>
        <Group gap="xs">
          {ACTIONS[run.status].map((name, i) => {
            const Icon = ICONS[name];
            return (
              <Button key={name} variant={i === ACTIONS[run.status].length - 1 && name !== 'reopen' ? 'filled' : 'default'} leftSection={<Icon size={16} />} loading={action.isPending && action.variables.action === name} onClick={() => perform(name)} data-testid={`run-${name}`}>
                {t(`comp.run.action.${name}`)}
              </Button>
            );
          })}
          {run.status !== 'draft' && (
            <Button component="a" href={`/api/comp/runs/${run.id}/payroll.csv`} variant="default" leftSection={<IconDownload size={16} />} data-testid="payroll-csv">
              {t('comp.run.payroll')}
            </Button>
          )}
        </Group>
      </Group>

      <SimpleGrid cols={{ base: 1, sm: 3 }}>
        {run.totals.length === 0 ? (
          <Card withBorder>
            <Text c="dimmed" size="sm">
              {t('comp.run.noTotals')}
            </Text>
          </Card>
        ) : (
          run.totals.flatMap((x) => [
            <Card key={`${x.currency}-total`} withBorder>
              <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
                {t('comp.run.totalPaid')} ({x.currency})
              </Text>
              <Text fz={26} fw={700} data-testid="run-total">
                <Money minor={x.totalMinor} currency={x.currency} fw={700} fz={26} />
              </Text>
              <Text size="xs" c="dimmed">
                {t('comp.run.payeeCount', { count: x.payees })}
              </Text>
            </Card>,
            <Card key={`${x.currency}-earned`} withBorder>
              <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
                {t('comp.run.earnings')}
              </Text>
              <Text fz={26} fw={700}>
                <Money minor={x.earningsMinor} currency={x.currency} fw={700} fz={26} />
              </Text>
            </Card>,
            <Card key={`${x.currency}-share`} withBorder>
              <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
                {t('comp.run.costShare')}
              </Text>
              <Text fz={26} fw={700}>
                {x.revenueMinor > 0 ? `${(Math.round((x.earningsMinor / x.revenueMinor) * 1000) / 10).toLocaleString()} %` : '—'}
              </Text>
              <Text size="xs" c="dimmed">
                {t('comp.run.ofRevenue')} <Money minor={x.revenueMinor} currency={x.currency} />
              </Text>
            </Card>,
          ])
        )}
      </SimpleGrid>

      {run.issues.length > 0 && (
        <Alert color="orange" icon={<IconAlertTriangle />} title={t('comp.run.issues', { count: run.issues.length })}>
          <Stack gap={2}>
            {run.issues.slice(0, 8).map((issue, i) => (
              <Text key={i} size="sm">
                {issue.message}
              </Text>
            ))}
          </Stack>
        </Alert>
      )}

      <DataTable aria-label={t('comp.run.payees')}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('comp.statements.payee')}</Table.Th>
            <Table.Th ta="right">{t('comp.statements.attainment')}</Table.Th>
            <Table.Th ta="right">{t('comp.run.credited')}</Table.Th>
            <Table.Th ta="right">{t('comp.run.earnings')}</Table.Th>
            <Table.Th ta="right">{t('comp.run.adjustments')}</Table.Th>
            <Table.Th ta="right">{t('comp.runs.total')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {payees.length === 0 && (
            <Table.Tr>
              <Table.Td colSpan={6}>
                <Text c="dimmed" size="sm" ta="center" py="md">
                  {t(run.status === 'draft' ? 'comp.run.calculateFirst' : 'comp.run.noPayees')}
                </Text>
              </Table.Td>
            </Table.Tr>
          )}
          {payees.map((p) => (
            <Table.Tr key={p.payeeId} data-testid="run-payee">
              <Table.Td>
                <Anchor component={Link} to={`/compensation/statements/${run.id}/${p.payeeId}`} fw={600} size="sm">
                  {p.payeeName}
                </Anchor>
                {p.externalRef && (
                  <Text size="xs" c="dimmed" ff="monospace">
                    {p.externalRef}
                  </Text>
                )}
              </Table.Td>
              <Table.Td ta="right">
                <Attainment value={p.attainment} />
              </Table.Td>
              <Table.Td ta="right">
                <Money minor={p.creditedMinor} currency={p.currency} />
              </Table.Td>
              <Table.Td ta="right">
                <Money minor={p.earningsMinor} currency={p.currency} />
              </Table.Td>
              <Table.Td ta="right">
                <Money minor={p.adjustmentsMinor} currency={p.currency} />
              </Table.Td>
              <Table.Td ta="right">
                <Money minor={p.totalMinor} currency={p.currency} fw={700} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </DataTable>
    </Stack>
  );
}
