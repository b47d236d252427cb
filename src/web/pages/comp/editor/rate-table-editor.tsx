import { ActionIcon, Button, Group, SegmentedControl, Select, Stack, Table, Text, TextInput } from '@mantine/core';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { tier, TIER_MODE_LIST, type DraftRates, type DraftTier, type RateBasis } from './draft';
import type { IssueAt } from './issues';

/** A rate table: flat, or tiers by attainment or amount with a tier mode; tiers as an editable table. */
export function RateTableEditor({
  rates,
  onChange,
  path,
  issueAt,
  currency,
  quantity,
  allowAttainment,
  testId,
}: {
  rates: DraftRates;
  onChange: (rates: DraftRates) => void;
  /** Document path of the table: `components.0.rates`. */
  path: string;
  issueAt: IssueAt;
  currency: string;
  /** A quantity metric: bounds are units, rates money per unit. */
  quantity: boolean;
  allowAttainment: boolean;
  testId: string;
}) {
  const { t } = useTranslation();
  const set = (patch: Partial<DraftRates>) => onChange({ ...rates, ...patch });
  const setTier = (index: number, patch: Partial<DraftTier>) => set({ tiers: rates.tiers.map((x, i) => (i === index ? { ...x, ...patch } : x)) });
  const bases: RateBasis[] = allowAttainment ? ['flat', 'attainment', 'amount'] : ['flat', 'amount'];
  const boundHelp = rates.basis === 'attainment' ? t('compEditor.rates.fromAttainment') : quantity ? t('compEditor.rates.fromUnits') : t('compEditor.rates.fromAmount', { currency });
  const rateHelp = quantity ? t('compEditor.rates.ratePerUnit', { currency }) : t('compEditor.rates.rateHelp');
  const usesMultiplier = rates.tiers.some((x) => x.by === 'multiplier');

  return (
    <Stack gap="sm" data-testid={testId}>
      <Group gap="md" align="flex-end" wrap="wrap">
        <Stack gap={4}>
          <Text size="sm" fw={500}>
            {t('compEditor.rates.basis')}
          </Text>
          <SegmentedControl
            size="xs"
            value={rates.basis}
            onChange={(v) => set({ basis: bases.find((b) => b === v) ?? 'flat' })}
            data={bases.map((b) => ({ value: b, label: t(`compEditor.rates.bases.${b}`) }))}
            data-testid={`${testId}-basis`}
          />
        </Stack>
        {rates.basis !== 'flat' && (
          <Stack gap={4}>
            <Text size="sm" fw={500}>
              {t('compEditor.rates.mode')}
            </Text>
            <SegmentedControl
              size="xs"
              value={rates.mode}
              onChange={(v) => set({ mode: TIER_MODE_LIST.find((m) => m === v) ?? 'marginal' })}
              data={TIER_MODE_LIST.map((m) => ({ value: m, label: t(`compEditor.tiers.${m}`) }))}
              data-testid={`${testId}-mode`}
            />
          </Stack>
        )}
      </Group>
      {issueAt(`${path}.basis`) && (
        <Text size="xs" c="red">
          {issueAt(`${path}.basis`)}
        </Text>
      )}
      {rates.basis === 'flat' ? (
        <TextInput
          label={t('compEditor.rates.flatRate')}
          description={rateHelp}
          value={rates.rate}
          onChange={(e) => set({ rate: e.currentTarget.value })}
          error={issueAt(`${path}.rate`)}
          w={220}
          data-testid={`${testId}-flat-rate`}
        />
      ) : (
        <>
          <Text size="xs" c="dimmed">
            {t(`compEditor.tiers.explain.${rates.mode}`)}
          </Text>
          <Table withTableBorder withColumnBorders={false} verticalSpacing={6} horizontalSpacing="xs" data-testid={`${testId}-tiers`}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th w={120}>{t('compEditor.rates.from')}</Table.Th>
                <Table.Th w={90}>{t('compEditor.rates.to')}</Table.Th>
                <Table.Th w={130}>{t('compEditor.rates.by')}</Table.Th>
                <Table.Th w={160}>{t('compEditor.rates.value')}</Table.Th>
                <Table.Th>{t('compEditor.rates.label')}</Table.Th>
                <Table.Th w={40} />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rates.tiers.map((row, index) => {
                const at = `${path}.tiers.${index}`;
                const next = rates.tiers[index + 1];
                return (
                  <Table.Tr key={row.uid} data-testid="tier-row">
                    <Table.Td>
                      <TextInput size="xs" aria-label={t('compEditor.rates.from')} value={row.from} onChange={(e) => setTier(index, { from: e.currentTarget.value })} error={issueAt(`${at}.from`)} data-testid="tier-from" />
                    </Table.Td>
                    <Table.Td>
                      <Text size="xs" c="dimmed" ff="monospace">
                        {next ? next.from || '…' : t('compEditor.rates.andAbove')}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Select
                        size="xs"
                        aria-label={t('compEditor.rates.by')}
                        value={row.by}
                        onChange={(v) => setTier(index, { by: v === 'multiplier' ? 'multiplier' : 'rate' })}
                        data={[
                          { value: 'rate', label: t('compEditor.rates.byRate') },
                          { value: 'multiplier', label: t('compEditor.rates.byMultiplier') },
                        ]}
                        allowDeselect={false}
                      />
                    </Table.Td>
                    <Table.Td>
                      <TextInput
                        size="xs"
                        aria-label={row.by === 'rate' ? t('compEditor.rates.byRate') : t('compEditor.rates.byMultiplier')}
                        value={row.value}
                        onChange={(e) => setTier(index, { value: e.currentTarget.value })}
                        error={issueAt(`${at}.rate`, `${at}.multiplier`, at)}
                        data-testid="tier-rate"
                      />
                    </Table.Td>
                    <Table.Td>
                      <TextInput size="xs" aria-label={t('compEditor.rates.label')} placeholder={t('compEditor.rates.labelPlaceholder', { n: index + 1 })} value={row.label} onChange={(e) => setTier(index, { label: e.currentTarget.value })} />
                    </Table.Td>
                    <Table.Td>
                      <ActionIcon variant="subtle" color="red" aria-label={t('compEditor.rates.removeTier')} disabled={rates.tiers.length <= 1} onClick={() => set({ tiers: rates.tiers.filter((_, i) => i !== index) })}>
                        <IconTrash size={16} />
                      </ActionIcon>
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
          {issueAt(`${path}.tiers`) && (
            <Text size="xs" c="red">
              {issueAt(`${path}.tiers`)}
            </Text>
          )}
          <Group justify="space-between" align="flex-end" wrap="wrap">
            <Button
              size="xs"
              variant="light"
              leftSection={<IconPlus size={14} />}
              onClick={() => set({ tiers: [...rates.tiers, tier('', rates.tiers[rates.tiers.length - 1]?.value ?? '')] })}
              data-testid={`${testId}-add-tier`}
            >
              {t('compEditor.rates.addTier')}
            </Button>
            <TextInput
              size="xs"
              label={t('compEditor.rates.baseRate')}
              description={usesMultiplier ? t('compEditor.rates.baseRateHelp') : t('compEditor.rates.baseRateOptional')}
              value={rates.baseRate}
              onChange={(e) => set({ baseRate: e.currentTarget.value })}
              error={issueAt(`${path}.baseRate`)}
              w={260}
            />
          </Group>
          <Text size="xs" c="dimmed">
            {boundHelp} {rateHelp}
          </Text>
        </>
      )}
    </Stack>
  );
}
