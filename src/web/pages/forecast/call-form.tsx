// "Submit my call": a rep's commit and best case for a period (a manager's for their team,
// finance's for anyone), with the history of earlier calls; the latest counts.
import { Alert, Badge, Button, Card, Group, NumberInput, Select, SimpleGrid, Stack, Table, Text, Textarea, Title } from '@mantine/core';
import { IconCheck } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSubmitForecastCall, type ForecastCall, type ForecastCalls } from '../../api/forecast-queries';
import { useFormat } from '../../i18n/format';
import { useErrorMessage } from '../../lib/use-error-message';

function currencyDigits(currency: string): number {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

export function CallForm({
  mayCallFor, calls, periods, defaultPeriod, defaultPayeeId, currency, money,
}: {
  mayCallFor: ForecastCalls['mayCallFor']; calls: ForecastCall[]; periods: string[]; defaultPeriod: string; defaultPayeeId: string | null; currency: string; money: (minor: number) => string;
}) {
  const { t } = useTranslation();
  const format = useFormat();
  const errorMessage = useErrorMessage();
  const submit = useSubmitForecastCall();
  const digits = currencyDigits(currency);
  const [payeeId, setPayeeId] = useState<string | null>(mayCallFor.find((p) => p.payeeId === defaultPayeeId)?.payeeId ?? mayCallFor[0]?.payeeId ?? null);
  const [period, setPeriod] = useState<string>(defaultPeriod);
  const latest = calls.find((c) => c.payeeId === payeeId && c.period === period && c.isLatest);
  const [commit, setCommit] = useState<number | string>(latest ? latest.commitMinor / 10 ** digits : '');
  const [bestCase, setBestCase] = useState<number | string>(latest ? latest.bestCaseMinor / 10 ** digits : '');
  const [note, setNote] = useState('');
  const [localError, setLocalError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  // Start from the call that counts now, so a revision only changes what moved.
  const choose = (nextPayee: string | null, nextPeriod: string) => {
    setPayeeId(nextPayee);
    setPeriod(nextPeriod);
    const current = calls.find((c) => c.payeeId === nextPayee && c.period === nextPeriod && c.isLatest);
    setCommit(current ? current.commitMinor / 10 ** digits : '');
    setBestCase(current ? current.bestCaseMinor / 10 ** digits : '');
    setSaved(false);
  };
  const history = calls.filter((c) => c.payeeId === payeeId && c.period === period);
  const toMinor = (value: number | string): number | null => {
    const n = typeof value === 'number' ? value : Number(value);
    return value === '' || !Number.isFinite(n) || n < 0 ? null : Math.round(n * 10 ** digits);
  };

  const onSubmit = () => {
    setSaved(false);
    const commitMinor = toMinor(commit);
    const bestCaseMinor = toMinor(bestCase);
    if (!payeeId || commitMinor === null || bestCaseMinor === null) return setLocalError(t('forecast.call.errorAmounts'));
    if (bestCaseMinor < commitMinor) return setLocalError(t('forecast.call.errorBestCase'));
    setLocalError(null);
    submit.mutate({ payeeId, period, commitMinor, bestCaseMinor, note: note.trim() }, { onSuccess: () => { setSaved(true); setNote(''); } });
  };

  return (
    <Card withBorder padding="lg" data-testid="call-form">
      <Title order={2} size="h4" mb={4}>
        {mayCallFor.length === 1 ? t('forecast.call.titleMine') : t('forecast.call.title')}
      </Title>
      <Text size="sm" c="dimmed" mb="md">
        {t('forecast.call.hint')}
      </Text>
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="xl">
        <div>
          <form onSubmit={(event) => { event.preventDefault(); onSubmit(); }}>
            <Stack gap="sm">
              {mayCallFor.length > 1 && (
                <Select label={t('forecast.call.payee')} data={mayCallFor.map((p) => ({ value: p.payeeId, label: p.name }))} value={payeeId} onChange={(value) => choose(value, period)} allowDeselect={false} searchable />
              )}
              <Select label={t('forecast.call.period')} data={periods} value={period} onChange={(value) => value && choose(payeeId, value)} allowDeselect={false} />
              <Group grow gap="sm" align="flex-start">
                <NumberInput label={t('forecast.call.commit')} description={t('forecast.call.commitHint')} value={commit} onChange={setCommit} min={0} decimalScale={digits} thousandSeparator={format.locale.startsWith('de') ? '.' : ','} decimalSeparator={format.locale.startsWith('de') ? ',' : '.'} required data-testid="call-commit" />
                <NumberInput label={t('forecast.call.bestCase')} description={t('forecast.call.bestCaseHint')} value={bestCase} onChange={setBestCase} min={0} decimalScale={digits} thousandSeparator={format.locale.startsWith('de') ? '.' : ','} decimalSeparator={format.locale.startsWith('de') ? ',' : '.'} required data-testid="call-best-case" />
              </Group>
              <Textarea label={t('forecast.call.note')} value={note} onChange={(event) => setNote(event.currentTarget.value)} maxLength={2000} autosize minRows={2} maxRows={5} />
              {(localError || submit.isError) && (
                <Alert color="red" variant="light" role="alert">
                  {localError ?? errorMessage(submit.error)}
                </Alert>
              )}
              {saved && (
                <Alert color="teal" variant="light" icon={<IconCheck size={18} />} data-testid="call-saved">
                  {t('forecast.call.saved')}
                </Alert>
              )}
              <Group>
                <Button type="submit" loading={submit.isPending} data-testid="call-submit">
                  {t('forecast.call.submit')}
                </Button>
              </Group>
            </Stack>
          </form>
        </div>
        <div>
          <Text size="sm" fw={600} mb="xs">
            {t('forecast.call.history', { period })}
          </Text>
          {history.length === 0 ? (
            <Text size="sm" c="dimmed">
              {t('forecast.call.noHistory')}
            </Text>
          ) : (
            <Table.ScrollContainer minWidth={420}>
              <Table fz="sm" data-testid="call-history" style={{ fontVariantNumeric: 'tabular-nums' }}>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('forecast.call.submittedAt')}</Table.Th>
                    <Table.Th ta="right">{t('forecast.call.commit')}</Table.Th>
                    <Table.Th ta="right">{t('forecast.call.bestCase')}</Table.Th>
                    <Table.Th>{t('forecast.call.note')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {history.map((c) => (
                    <Table.Tr key={c.id} {...(c.isLatest ? {} : { c: 'dimmed' })}>
                      <Table.Td>
                        <Stack gap={2}>
                          <Text size="sm" span style={{ whiteSpace: 'nowrap' }}>{format.dateTime(c.submittedAt)}</Text>
                          <Group gap={6} wrap="nowrap">
                            {c.isLatest ? <Badge size="xs" color="teal" variant="light">{t('forecast.call.counts')}</Badge> : <Badge size="xs" color="gray" variant="light">{t('forecast.call.superseded')}</Badge>}
                            <Text size="xs" c="dimmed">{c.submittedByName ?? t('forecast.call.system')}</Text>
                          </Group>
                        </Stack>
                      </Table.Td>
                      <Table.Td ta="right">{money(c.commitMinor)}</Table.Td>
                      <Table.Td ta="right">{money(c.bestCaseMinor)}</Table.Td>
                      <Table.Td style={{ maxWidth: 240, overflowWrap: 'anywhere' }}>{c.note}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )}
        </div>
      </SimpleGrid>
    </Card>
  );
}
