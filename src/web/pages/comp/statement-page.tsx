import { Accordion, Alert, Anchor, Badge, Breadcrumbs, Button, Card, Code, Group, Modal, SimpleGrid, Stack, Table, Text, Textarea, Title } from '@mantine/core';
import { IconDownload, IconFileTypePdf, IconFlag, IconInfoCircle } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { isApiError } from '../../api/client';
import { useRaiseDispute, useStatement, type PayoutLine } from '../../api/comp-queries';
import { useCan } from '../../auth/session';
import { useRecords } from '../../api/data-queries';
import { useFormat } from '../../i18n/format';
import { FormActions } from '../../components/form-actions';
import { ErrorState, TableSkeleton } from '../../components/query-state';
import { useNotify } from '../../lib/use-notify';
import { useValueFormat } from '../../lib/value-format';
import { Attainment, Money, RunStatusBadge } from './comp-ui';

function DisputeModal({ line, onClose }: { line: PayoutLine | null; onClose: () => void }) {
  const { t } = useTranslation();
  const notify = useNotify();
  const raise = useRaiseDispute();
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  if (!line) return null;
  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    if (!reason.trim()) {
      setError(t('validation.required'));
      return;
    }
    raise.mutate(
      { runId: line.runId, lineNo: line.lineNo, reason: reason.trim() },
      {
        onSuccess: () => {
          notify.success(t('comp.statement.disputed'));
          setReason('');
          onClose();
        },
        onError: (e) => setError(isApiError(e) ? e.message : String(e)),
      },
    );
  };
  return (
    <Modal opened onClose={onClose} title={t('comp.statement.disputeTitle', { line: line.label })}>
      <form onSubmit={submit} noValidate>
        <Stack>
          <Text size="sm" c="dimmed">
            {t('comp.statement.disputeHelp')}
          </Text>
          <Textarea label={t('comp.disputes.reason')} required autosize minRows={3} value={reason} onChange={(e) => setReason(e.currentTarget.value)} error={error} data-autofocus data-testid="dispute-reason" />
          <FormActions onCancel={onClose} submitLabel={t('comp.statement.dispute')} loading={raise.isPending} />
        </Stack>
      </form>
    </Modal>
  );
}

/** The deals behind a line (first 50), fetched by id on request. */
function CreditedDeals({ ids, currency }: { ids: readonly string[]; currency: string }) {
  const { t } = useTranslation();
  const format = useFormat();
  const values = useValueFormat();
  const [open, setOpen] = useState(false);
  const shown = ids.slice(0, 50);
  const records = useRecords('deals', { q: '', filters: [], sort: null, limit: 50, offset: 0, ids: shown }, { enabled: open });
  if (!open) {
    return (
      <div>
        <Anchor component="button" type="button" size="sm" onClick={() => setOpen(true)} data-testid="show-deals">
          {t('comp.statement.openDeals')}
        </Anchor>
      </div>
    );
  }
  if (records.isPending) return <TableSkeleton rows={3} columns={4} />;
  if (records.isError) return <ErrorState error={records.error} onRetry={() => void records.refetch()} />;
  return (
    <Table withTableBorder fz="sm" data-testid="credited-deals">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>{t('comp.statement.deal')}</Table.Th>
          <Table.Th>{t('comp.statement.closed')}</Table.Th>
          <Table.Th ta="right">{t('comp.statement.amount')}</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {records.data.items.map((r) => (
          <Table.Tr key={r.id}>
            <Table.Td>
              <Text size="sm" fw={500}>
                {String(r.values.name ?? r.extId)}
              </Text>
              <Text size="xs" c="dimmed" ff="monospace">
                {r.extId}
              </Text>
            </Table.Td>
            <Table.Td>{typeof r.values.close_date === 'string' ? format.calendarDate(r.values.close_date) : '—'}</Table.Td>
            <Table.Td ta="right">{r.values.amount === null || r.values.amount === undefined ? '—' : values.recordMoney(r.values.amount, String(r.values.currency ?? currency))}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

/** A payee's statement: what they earned in the period, line by line, each line down to its deals. */
export function StatementPage() {
  const { t, i18n } = useTranslation();
  const { runId = '', payeeId = '' } = useParams();
  const can = useCan();
  const format = useFormat();
  const query = useStatement(runId, payeeId);
  const [disputing, setDisputing] = useState<PayoutLine | null>(null);
  if (query.isPending) return <TableSkeleton rows={6} />;
  if (query.isError) return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  const { run, payee, lines, disputes } = query.data;
  const ownStatement = query.data.canDispute;
  const openDispute = (line: PayoutLine) => disputes.find((d) => d.lineNo === line.lineNo && d.status === 'open');

  return (
    <Stack gap="lg" data-testid="statement-page">
      <Breadcrumbs>
        <Anchor component={Link} to="/compensation?tab=statements">
          {t('nav.compensation')}
        </Anchor>
        <Text>
          {run.periodKey} · {payee.payeeName}
        </Text>
      </Breadcrumbs>
      <Group justify="space-between" align="flex-start">
        <Stack gap={4}>
          <Group gap="sm">
            <Title order={1}>{t('comp.statement.title', { period: run.periodKey })}</Title>
            <RunStatusBadge status={run.status} />
          </Group>
          <Text size="sm" c="dimmed">
            {payee.payeeName}
            {run.status === 'calculated' || run.status === 'approved' ? ` · ${t('comp.statement.preliminary')}` : ''}
          </Text>
        </Stack>
        <Group gap="xs">
          <Button component="a" href={`/api/comp/statements/${run.id}/${payee.payeeId}/statement.pdf?locale=${i18n.language === 'de' ? 'de' : 'en'}`} leftSection={<IconFileTypePdf size={16} />} data-testid="statement-pdf">
            {t('comp.statement.pdf')}
          </Button>
          <Button component="a" href={`/api/comp/statements/${run.id}/${payee.payeeId}/statement.csv`} variant="default" leftSection={<IconDownload size={16} />} data-testid="statement-csv">
            {t('comp.statement.csv')}
          </Button>
        </Group>
      </Group>

      <SimpleGrid cols={{ base: 2, sm: 4 }}>
        {[
          { label: t('comp.runs.total'), node: <Money minor={payee.totalMinor} currency={payee.currency} fw={700} fz={22} />, testid: 'statement-total' },
          { label: t('comp.run.earnings'), node: <Money minor={payee.earningsMinor} currency={payee.currency} fw={700} fz={22} /> },
          { label: t('comp.run.credited'), node: <Money minor={payee.creditedMinor} currency={payee.currency} fw={700} fz={22} /> },
          { label: t('comp.statements.attainment'), node: <Attainment value={payee.attainment} /> },
        ].map((card) => (
          <Card key={card.label} withBorder>
            <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
              {card.label}
            </Text>
            <Text fz={22} fw={700} data-testid={card.testid}>
              {card.node}
            </Text>
          </Card>
        ))}
      </SimpleGrid>

      <Accordion variant="separated" multiple defaultValue={lines.length <= 3 ? lines.map((l) => String(l.lineNo)) : []}>
        {lines.map((line) => {
          const dispute = openDispute(line);
          return (
            <Accordion.Item key={line.lineNo} value={String(line.lineNo)} data-testid="statement-line">
              <Accordion.Control>
                <Group justify="space-between" wrap="nowrap" pr="sm">
                  <Stack gap={0}>
                    <Group gap="xs">
                      <Text fw={600} size="sm">
                        {line.label}
                      </Text>
                      <Badge size="xs" variant="outline">
                        {t(`comp.kind.${line.kind}`, { defaultValue: line.kind })}
                      </Badge>
                      {dispute && (
                        <Badge size="xs" color="orange" variant="light">
                          {t('comp.disputes.status.open')}
                        </Badge>
                      )}
                    </Group>
                    <Text size="xs" c="dimmed">
                      {[line.explanation.tier?.label, line.explanation.rate ? `${t('comp.statement.rate')} ${line.explanation.rate}` : null, line.planId ? `${line.planId} v${line.planVersion}` : null]
                        .filter(Boolean)
                        .join(' · ')}
                    </Text>
                  </Stack>
                  <Money minor={line.amountMinor} currency={line.currency} fw={700} />
                </Group>
              </Accordion.Control>
              <Accordion.Panel>
                <Stack gap="sm">
                  <Alert variant="light" color="blue" icon={<IconInfoCircle />}>
                    <Text size="sm">{line.explanation.text}</Text>
                    {line.reason && (
                      <Text size="sm" mt={4}>
                        {line.reason}
                      </Text>
                    )}
                  </Alert>
                  {line.explanation.steps.length > 0 && (
                    <Table withTableBorder fz="sm">
                      <Table.Tbody>
                        {line.explanation.steps.map((step, i) => (
                          <Table.Tr key={i}>
                            <Table.Td>{step.label}</Table.Td>
                            <Table.Td>
                              <Code>{step.expression}</Code>
                            </Table.Td>
                            <Table.Td ta="right" style={{ fontVariantNumeric: 'tabular-nums' }}>
                              {step.value}
                            </Table.Td>
                          </Table.Tr>
                        ))}
                      </Table.Tbody>
                    </Table>
                  )}
                  {line.explanation.next && (
                    <Text size="sm" c="teal">
                      {t('comp.statement.next', {
                        tier: line.explanation.next.label,
                        rate: line.explanation.next.rate,
                        remaining: Number.isInteger(Number(line.explanation.next.remaining)) ? format.money(Number(line.explanation.next.remaining), line.currency) : line.explanation.next.remaining,
                      })}
                    </Text>
                  )}
                  {line.explanation.credits.length > 0 && (
                    <Stack gap={4}>
                      <Text size="xs" c="dimmed" fw={600} tt="uppercase">
                        {t('comp.statement.credits', { count: line.explanation.credits.length })}
                      </Text>
                      <Group gap={6}>
                        {line.explanation.credits.slice(0, 60).map((c) => (
                          <Badge key={`${c.recordId}-${c.kind}`} variant="light" color="gray" size="sm" style={{ textTransform: 'none' }}>
                            #{c.recordId} · <Money minor={c.creditedMinor} currency={line.currency} />
                          </Badge>
                        ))}
                      </Group>
                      {can('data:read') && <CreditedDeals ids={line.explanation.credits.map((c) => c.recordId)} currency={line.currency} />}
                    </Stack>
                  )}
                  {ownStatement && !dispute && run.status !== 'draft' && (
                    <Group justify="flex-end">
                      <Button size="xs" variant="subtle" color="orange" leftSection={<IconFlag size={14} />} onClick={() => setDisputing(line)} data-testid="dispute-line">
                        {t('comp.statement.dispute')}
                      </Button>
                    </Group>
                  )}
                </Stack>
              </Accordion.Panel>
            </Accordion.Item>
          );
        })}
      </Accordion>
      {lines.length === 0 && (
        <Text c="dimmed" size="sm">
          {t('comp.statement.noLines')}
        </Text>
      )}

      {disputes.length > 0 && (
        <Card withBorder>
          <Title order={4} mb="sm">
            {t('comp.disputes.title')}
          </Title>
          <Stack gap="xs">
            {disputes.map((d) => (
              <Group key={d.id} justify="space-between" wrap="nowrap" data-testid="statement-dispute">
                <Stack gap={0}>
                  <Text size="sm" fw={600}>
                    {d.periodKey} · {d.lineLabel}
                  </Text>
                  <Text size="sm">“{d.reason}”</Text>
                  {d.resolution && (
                    <Text size="xs" c="dimmed">
                      {t('comp.disputes.resolution')}: {d.resolution}
                    </Text>
                  )}
                </Stack>
                <Badge variant="light" color={d.status === 'open' ? 'orange' : d.status === 'accepted' ? 'green' : 'gray'}>
                  {t(`comp.disputes.status.${d.status}`)}
                </Badge>
              </Group>
            ))}
          </Stack>
        </Card>
      )}
      <DisputeModal line={disputing} onClose={() => setDisputing(null)} />
    </Stack>
  );
}
