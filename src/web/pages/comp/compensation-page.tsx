import { Alert, Anchor, Badge, Button, Code, Group, Modal, NumberInput, SegmentedControl, Stack, Table, Tabs, Text, Textarea, TextInput } from '@mantine/core';
import { IconAlertTriangle, IconCoins, IconFileInvoice, IconGavel, IconPlus, IconReceipt2, IconScale } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { parse as parseYaml } from 'yaml';
import { isApiError } from '../../api/client';
import { useCreatePlanVersion, useCreateRun, useDisputes, usePlanVersions, useResolveDispute, useRuns, useStatements, type Dispute } from '../../api/comp-queries';
import { useCan } from '../../auth/session';
import { DataTable } from '../../components/data-table';
import { EmptyCard } from '../../components/empty-card';
import { FormActions } from '../../components/form-actions';
import { PageHeader } from '../../components/page-header';
import { ErrorState, TableSkeleton } from '../../components/query-state';
import { Timestamp } from '../../components/timestamp';
import { useFormat } from '../../i18n/format';
import { useNotify } from '../../lib/use-notify';
import { Attainment, Money, RunStatusBadge } from './comp-ui';
import { AssignmentsTab } from './assignments-tab';
import { EarningsTab } from './insights/earnings-tab';
import { WhatIfTab } from './insights/what-if-tab';

function NewRunModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const notify = useNotify();
  const navigate = useNavigate();
  const create = useCreateRun();
  const [period, setPeriod] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    create.mutate(period.trim(), {
      onSuccess: (run) => {
        notify.success(t('comp.runs.created', { period: run.periodKey }));
        onClose();
        void navigate(`/compensation/runs/${run.id}`);
      },
      onError: (e) => setError(isApiError(e) ? e.message : String(e)),
    });
  };
  return (
    <Modal opened={opened} onClose={onClose} title={t('comp.runs.newTitle')}>
      <form onSubmit={submit} noValidate>
        <Stack>
          <TextInput
            label={t('comp.runs.period')}
            description={t('comp.runs.periodHelp')}
            placeholder="2026-03"
            value={period}
            onChange={(e) => {
              setPeriod(e.currentTarget.value);
              setError(null);
            }}
            error={error}
            data-autofocus
            data-testid="run-period"
          />
          <FormActions onCancel={onClose} submitLabel={t('comp.runs.create')} loading={create.isPending} />
        </Stack>
      </form>
    </Modal>
  );
}

function RunsTab() {
  const { t } = useTranslation();
  const runs = useRuns();
  const [creating, setCreating] = useState(false);
  if (runs.isPending) return <TableSkeleton rows={4} />;
  if (runs.isError) return <ErrorState error={runs.error} onRetry={() => void runs.refetch()} />;
  return (
    <Stack>
      <Group justify="flex-end">
        <Button leftSection={<IconPlus size={16} />} onClick={() => setCreating(true)} data-testid="new-run">
          {t('comp.runs.new')}
        </Button>
      </Group>
      {runs.data.length === 0 ? (
        <EmptyCard icon={<IconReceipt2 />} title={t('comp.runs.emptyTitle')} description={t('comp.runs.emptyText')} />
      ) : (
        <DataTable aria-label={t('comp.runs.title')}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('comp.runs.period')}</Table.Th>
              <Table.Th>{t('comp.status.label')}</Table.Th>
              <Table.Th ta="right">{t('comp.runs.payees')}</Table.Th>
              <Table.Th ta="right">{t('comp.runs.total')}</Table.Th>
              <Table.Th>{t('comp.runs.calculatedAt')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {runs.data.map((run) => (
              <Table.Tr key={run.id} data-testid={`run-${run.periodKey}`}>
                <Table.Td>
                  <Anchor component={Link} to={`/compensation/runs/${run.id}`} fw={600}>
                    {run.periodKey}
                  </Anchor>
                </Table.Td>
                <Table.Td>
                  <RunStatusBadge status={run.status} />
                </Table.Td>
                <Table.Td ta="right">{run.totals.reduce((n, x) => n + x.payees, 0)}</Table.Td>
                <Table.Td ta="right">
                  <Stack gap={0} align="flex-end">
                    {run.totals.length === 0 ? <Text c="dimmed">—</Text> : run.totals.map((x) => <Money key={x.currency} minor={x.totalMinor} currency={x.currency} fw={600} />)}
                  </Stack>
                </Table.Td>
                <Table.Td>
                  <Timestamp iso={run.calculatedAt} fallback={t('comp.runs.notCalculated')} size="sm" />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </DataTable>
      )}
      <NewRunModal opened={creating} onClose={() => setCreating(false)} />
    </Stack>
  );
}

function NewPlanModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const notify = useNotify();
  const create = useCreatePlanVersion();
  const [text, setText] = useState('');
  const [issues, setIssues] = useState<{ path: string; message: string }[]>([]);
  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    let document: unknown;
    try {
      document = parseYaml(text);
    } catch (e) {
      setIssues([{ path: '', message: e instanceof Error ? e.message : String(e) }]);
      return;
    }
    create.mutate(document, {
      onSuccess: (version) => {
        notify.success(t('comp.plans.created', { plan: version.name, version: version.version }));
        setText('');
        setIssues([]);
        onClose();
      },
      onError: (e) => setIssues(isApiError(e) && e.issues.length > 0 ? e.issues : [{ path: '', message: isApiError(e) ? e.message : String(e) }]),
    });
  };
  return (
    <Modal opened={opened} onClose={onClose} title={t('comp.plans.newTitle')} size="xl">
      <form onSubmit={submit} noValidate>
        <Stack>
          <Text size="sm" c="dimmed">
            {t('comp.plans.newHelp')}
          </Text>
          <Textarea
            label={t('comp.plans.document')}
            autosize
            minRows={14}
            maxRows={28}
            value={text}
            onChange={(e) => setText(e.currentTarget.value)}
            styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 13 } }}
            data-testid="plan-document"
          />
          {issues.length > 0 && (
            <Alert color="red" icon={<IconAlertTriangle />} title={t('comp.plans.invalid')} data-testid="plan-issues">
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
          <FormActions onCancel={onClose} submitLabel={t('comp.plans.save')} loading={create.isPending} />
        </Stack>
      </form>
    </Modal>
  );
}

function PlansTab() {
  const { t } = useTranslation();
  const format = useFormat();
  const plans = usePlanVersions();
  const [creating, setCreating] = useState(false);
  if (plans.isPending) return <TableSkeleton rows={4} />;
  if (plans.isError) return <ErrorState error={plans.error} onRetry={() => void plans.refetch()} />;
  return (
    <Stack>
      <Group justify="flex-end">
        <Button variant="default" onClick={() => setCreating(true)} data-testid="new-plan-document">
          {t('comp.plans.newFromDocument')}
        </Button>
        <Button component={Link} to="/compensation/plans/new" leftSection={<IconPlus size={16} />} data-testid="new-plan">
          {t('comp.plans.new')}
        </Button>
      </Group>
      {plans.data.length === 0 ? (
        <EmptyCard icon={<IconFileInvoice />} title={t('comp.plans.emptyTitle')} description={t('comp.plans.emptyText')} />
      ) : (
        <DataTable aria-label={t('comp.plans.title')}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('comp.plans.plan')}</Table.Th>
              <Table.Th>{t('comp.plans.version')}</Table.Th>
              <Table.Th>{t('comp.plans.effective')}</Table.Th>
              <Table.Th>{t('comp.plans.components')}</Table.Th>
              <Table.Th>{t('comp.status.label')}</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {plans.data.map((v) => (
              <Table.Tr key={`${v.planId}@${v.version}`} data-testid={`plan-${v.planId}-${v.version}`}>
                <Table.Td>
                  <Text fw={600} size="sm">
                    {v.name}
                  </Text>
                  <Text size="xs" c="dimmed" ff="monospace">
                    {v.planId} · {v.currency}
                  </Text>
                </Table.Td>
                <Table.Td>v{v.version}</Table.Td>
                <Table.Td>
                  <Text size="sm">
                    {format.calendarDate(v.effectiveFrom)} – {v.effectiveTo ? format.calendarDate(v.effectiveTo) : t('comp.plans.openEnded')}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Group gap={4}>
                    {((v.document.components as { id: string; kind: string }[] | undefined) ?? []).map((c) => (
                      <Badge key={c.id} variant="outline" size="sm">
                        {t(`comp.kind.${c.kind}`, { defaultValue: c.kind })}
                      </Badge>
                    ))}
                  </Group>
                </Table.Td>
                <Table.Td>{v.paidOut ? <Badge color="violet" variant="light">{t('comp.plans.paidOut')}</Badge> : <Badge color="gray" variant="light">{t('comp.plans.editable')}</Badge>}</Table.Td>
                <Table.Td ta="right">
                  <Anchor component={Link} to={`/compensation/plans/${encodeURIComponent(v.planId)}/edit?version=${v.version}`} size="sm" data-testid={`edit-plan-${v.planId}-${v.version}`}>
                    {v.paidOut ? t('comp.plans.newVersion') : t('comp.plans.edit')}
                  </Anchor>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </DataTable>
      )}
      <NewPlanModal opened={creating} onClose={() => setCreating(false)} />
    </Stack>
  );
}

function StatementsTab() {
  const { t } = useTranslation();
  const statements = useStatements();
  if (statements.isPending) return <TableSkeleton rows={4} />;
  if (statements.isError) return <ErrorState error={statements.error} onRetry={() => void statements.refetch()} />;
  if (statements.data.length === 0) return <EmptyCard icon={<IconCoins />} title={t('comp.statements.emptyTitle')} description={t('comp.statements.emptyText')} />;
  return (
    <DataTable aria-label={t('comp.statements.title')}>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>{t('comp.runs.period')}</Table.Th>
          <Table.Th>{t('comp.statements.payee')}</Table.Th>
          <Table.Th>{t('comp.status.label')}</Table.Th>
          <Table.Th ta="right">{t('comp.statements.attainment')}</Table.Th>
          <Table.Th ta="right">{t('comp.runs.total')}</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {statements.data.map((s) => (
          <Table.Tr key={`${s.runId}-${s.payeeId}`} data-testid="statement-row">
            <Table.Td>
              <Anchor component={Link} to={`/compensation/statements/${s.runId}/${s.payeeId}`} fw={600}>
                {s.periodKey}
              </Anchor>
            </Table.Td>
            <Table.Td>{s.payeeName}</Table.Td>
            <Table.Td>
              <RunStatusBadge status={s.status} />
            </Table.Td>
            <Table.Td ta="right">
              <Attainment value={s.attainment} />
            </Table.Td>
            <Table.Td ta="right">
              <Money minor={s.totalMinor} currency={s.currency} fw={600} />
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </DataTable>
  );
}

function ResolveModal({ dispute, onClose }: { dispute: Dispute | null; onClose: () => void }) {
  const { t } = useTranslation();
  const notify = useNotify();
  const resolve = useResolveDispute();
  const [decision, setDecision] = useState<'accept' | 'reject'>('accept');
  const [note, setNote] = useState('');
  const [amount, setAmount] = useState<number | string>('');
  const [error, setError] = useState<string | null>(null);
  if (!dispute) return null;
  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    const major = typeof amount === 'number' ? amount : Number(String(amount).replace(',', '.'));
    resolve.mutate(
      { id: dispute.id, decision, note: note.trim(), adjustmentMinor: decision === 'accept' && Number.isFinite(major) && major !== 0 ? Math.round(major * 100) : null },
      {
        onSuccess: () => {
          notify.success(t(decision === 'accept' ? 'comp.disputes.accepted' : 'comp.disputes.rejected'));
          onClose();
        },
        onError: (e) => setError(isApiError(e) ? e.message : String(e)),
      },
    );
  };
  return (
    <Modal opened onClose={onClose} title={t('comp.disputes.resolveTitle', { payee: dispute.payeeName })}>
      <form onSubmit={submit} noValidate>
        <Stack>
          <Alert variant="light" color="gray">
            <Text size="sm" fw={600}>
              {dispute.periodKey} · {dispute.lineLabel}
            </Text>
            <Text size="sm">“{dispute.reason}”</Text>
          </Alert>
          <SegmentedControl
            value={decision}
            onChange={(v) => setDecision(v as 'accept' | 'reject')}
            data={[
              { value: 'accept', label: t('comp.disputes.accept') },
              { value: 'reject', label: t('comp.disputes.reject') },
            ]}
          />
          {decision === 'accept' && (
            <NumberInput label={t('comp.disputes.adjustment', { currency: dispute.currency })} description={t('comp.disputes.adjustmentHelp')} decimalScale={2} value={amount} onChange={setAmount} data-testid="dispute-adjustment" />
          )}
          <Textarea label={t('comp.disputes.note')} required value={note} onChange={(e) => setNote(e.currentTarget.value)} error={error} data-testid="dispute-note" />
          <FormActions onCancel={onClose} submitLabel={t('comp.disputes.resolve')} loading={resolve.isPending} />
        </Stack>
      </form>
    </Modal>
  );
}

function DisputesTab() {
  const { t } = useTranslation();
  const can = useCan();
  const [status, setStatus] = useState<'open' | 'all'>('open');
  const disputes = useDisputes(status === 'open' ? 'open' : null);
  const [resolving, setResolving] = useState<Dispute | null>(null);
  return (
    <Stack>
      <SegmentedControl
        w="fit-content"
        value={status}
        onChange={(v) => setStatus(v as 'open' | 'all')}
        data={[
          { value: 'open', label: t('comp.disputes.open') },
          { value: 'all', label: t('comp.disputes.all') },
        ]}
      />
      {disputes.isPending ? (
        <TableSkeleton rows={3} />
      ) : disputes.isError ? (
        <ErrorState error={disputes.error} onRetry={() => void disputes.refetch()} />
      ) : disputes.data.length === 0 ? (
        <EmptyCard icon={<IconScale />} title={t('comp.disputes.emptyTitle')} description={t('comp.disputes.emptyText')} />
      ) : (
        <DataTable aria-label={t('comp.disputes.title')}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('comp.statements.payee')}</Table.Th>
              <Table.Th>{t('comp.disputes.line')}</Table.Th>
              <Table.Th>{t('comp.disputes.reason')}</Table.Th>
              <Table.Th>{t('comp.status.label')}</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {disputes.data.map((d) => (
              <Table.Tr key={d.id} data-testid="dispute-row">
                <Table.Td style={{ whiteSpace: 'nowrap' }}>
                  <Anchor component={Link} to={`/compensation/statements/${d.runId}/${d.payeeId}`} size="sm" fw={600}>
                    {d.payeeName}
                  </Anchor>
                  <Text size="xs" c="dimmed">
                    {d.periodKey}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{d.lineLabel}</Text>
                  <Money minor={d.amountMinor} currency={d.currency} />
                </Table.Td>
                <Table.Td>
                  <Text size="sm" lineClamp={2}>
                    {d.reason}
                  </Text>
                  {d.resolution && (
                    <Text size="xs" c="dimmed">
                      {t('comp.disputes.resolution')}: {d.resolution}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>
                  <Badge variant="light" color={d.status === 'open' ? 'orange' : d.status === 'accepted' ? 'green' : 'gray'} style={{ overflow: 'visible' }}>
                    {t(`comp.disputes.status.${d.status}`)}
                  </Badge>
                </Table.Td>
                <Table.Td ta="right">
                  {d.status === 'open' && can('comp:manage') && (
                    <Button size="xs" variant="light" leftSection={<IconGavel size={14} />} onClick={() => setResolving(d)} data-testid="resolve-dispute">
                      {t('comp.disputes.resolve')}
                    </Button>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </DataTable>
      )}
      <ResolveModal dispute={resolving} onClose={() => setResolving(null)} />
    </Stack>
  );
}

/** Compensation: payout runs and plans for finance; statements and disputes for everyone paid. */
export function CompensationPage() {
  const { t } = useTranslation();
  const can = useCan();
  const manage = can('comp:manage');
  const [params, setParams] = useSearchParams();
  // "My earnings" first for everyone paid; finance also plans, runs and simulates.
  const tabs = manage ? ['earnings', 'runs', 'plans', 'assignments', 'whatIf', 'statements', 'disputes'] : ['earnings', 'statements', 'disputes'];
  const active = tabs.includes(params.get('tab') ?? '') ? (params.get('tab') as string) : (tabs[0] as string);
  return (
    <Stack gap="lg" data-testid="compensation-page">
      <PageHeader title={t('nav.compensation')} description={t(manage ? 'comp.descriptionFinance' : 'comp.descriptionPayee')} icon={<IconCoins size={24} stroke={1.6} />} mb={0} />
      <Tabs value={active} onChange={(tab) => setParams(tab ? { tab } : {})} keepMounted={false}>
        <Tabs.List mb="md">
          {tabs.map((tab) => (
            <Tabs.Tab key={tab} value={tab} data-testid={`tab-${tab}`}>
              {t(`comp.tabs.${tab as 'earnings' | 'runs' | 'plans' | 'assignments' | 'whatIf' | 'statements' | 'disputes'}`)}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        <Tabs.Panel value="earnings">
          <EarningsTab />
        </Tabs.Panel>
        <Tabs.Panel value="runs">{manage && <RunsTab />}</Tabs.Panel>
        <Tabs.Panel value="assignments">{manage && <AssignmentsTab />}</Tabs.Panel>
        <Tabs.Panel value="whatIf">{manage && <WhatIfTab />}</Tabs.Panel>
        <Tabs.Panel value="plans">{manage && <PlansTab />}</Tabs.Panel>
        <Tabs.Panel value="statements">
          <StatementsTab />
        </Tabs.Panel>
        <Tabs.Panel value="disputes">
          <DisputesTab />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
