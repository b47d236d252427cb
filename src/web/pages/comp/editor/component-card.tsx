import { ActionIcon, Alert, Badge, Button, Card, Checkbox, Group, MultiSelect, SegmentedControl, Select, SimpleGrid, Stack, Switch, Table, Text, TextInput, Tooltip } from '@mantine/core';
import { IconAlertTriangle, IconArrowDown, IconArrowUp, IconPlus, IconTrash } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import {
  CLAWBACK_EVENTS, CREDIT_KIND_LIST, FILTER_OP_LIST, point, uid,
  type ComponentKind, type DraftComponent, type DraftCreditBase, type DraftPoint,
} from './draft';
import type { IssueAt } from './issues';
import { RateTableEditor } from './rate-table-editor';

export const KIND_COLOR: Record<ComponentKind, string> = { commission: 'blue', spiff: 'orange', bonus: 'teal', draw: 'grape', clawback: 'red', partner: 'cyan' };

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Stack gap={6}>
      <Text size="xs" fw={700} c="dimmed" tt="uppercase" lts={0.4}>
        {title}
      </Text>
      {children}
    </Stack>
  );
}

/** Which credits count: dataset, credit kinds (crediting rules: splits, overlay, roll-up, territory) and filters. */
export function CreditBaseEditor({ base, onChange, path, issueAt, testId }: { base: DraftCreditBase; onChange: (base: DraftCreditBase) => void; path: string; issueAt: IssueAt; testId: string }) {
  const { t } = useTranslation();
  const set = (patch: Partial<DraftCreditBase>) => onChange({ ...base, ...patch });
  return (
    <Stack gap="xs" data-testid={testId}>
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
        <TextInput label={t('compEditor.base.dataset')} description={t('compEditor.base.datasetHelp')} value={base.dataset} onChange={(e) => set({ dataset: e.currentTarget.value })} error={issueAt(`${path}.dataset`)} />
        <MultiSelect
          label={t('compEditor.base.creditKinds')}
          description={t('compEditor.base.creditKindsHelp')}
          data={CREDIT_KIND_LIST.map((k) => ({ value: k, label: t(`compEditor.creditKinds.${k}`) }))}
          value={base.creditKinds}
          onChange={(v) => set({ creditKinds: CREDIT_KIND_LIST.filter((k) => v.includes(k)) })}
          error={issueAt(`${path}.creditKinds`)}
        />
      </SimpleGrid>
      {base.where.map((f, index) => (
        <Group key={f.uid} gap="xs" wrap="nowrap" align="flex-start">
          <TextInput size="xs" aria-label={t('compEditor.base.field')} placeholder={t('compEditor.base.field')} value={f.field} onChange={(e) => set({ where: base.where.map((x, i) => (i === index ? { ...x, field: e.currentTarget.value } : x)) })} error={issueAt(`${path}.where.${index}.field`)} w={150} />
          <Select
            size="xs"
            aria-label={t('compEditor.base.op')}
            data={FILTER_OP_LIST.map((op) => ({ value: op, label: t(`compEditor.ops.${op}`) }))}
            value={f.op}
            onChange={(v) => set({ where: base.where.map((x, i) => (i === index ? { ...x, op: FILTER_OP_LIST.find((op) => op === v) ?? 'eq' } : x)) })}
            allowDeselect={false}
            w={150}
          />
          {f.op !== 'exists' && (
            <TextInput
              size="xs"
              aria-label={t('compEditor.base.value')}
              placeholder={f.op === 'in' || f.op === 'not_in' ? t('compEditor.base.listPlaceholder') : t('compEditor.base.value')}
              value={f.value}
              onChange={(e) => set({ where: base.where.map((x, i) => (i === index ? { ...x, value: e.currentTarget.value } : x)) })}
              error={issueAt(`${path}.where.${index}.value`)}
              style={{ flex: 1 }}
            />
          )}
          <ActionIcon variant="subtle" color="red" aria-label={t('compEditor.base.removeFilter')} onClick={() => set({ where: base.where.filter((_, i) => i !== index) })}>
            <IconTrash size={16} />
          </ActionIcon>
        </Group>
      ))}
      <Button size="xs" variant="subtle" leftSection={<IconPlus size={14} />} w="fit-content" onClick={() => set({ where: [...base.where, { uid: uid(), field: '', op: 'eq', value: '' }] })}>
        {t('compEditor.base.addFilter')}
      </Button>
    </Stack>
  );
}

/** Bonus steps or curve points: at (attainment or score) → amount. */
function PointsTable({ points, onChange, path, issueAt, currency, curve }: { points: DraftPoint[]; onChange: (points: DraftPoint[]) => void; path: string; issueAt: IssueAt; currency: string; curve: boolean }) {
  const { t } = useTranslation();
  const set = (index: number, patch: Partial<DraftPoint>) => onChange(points.map((p, i) => (i === index ? { ...p, ...patch } : p)));
  return (
    <Stack gap="xs">
      <Table withTableBorder verticalSpacing={6} horizontalSpacing="xs" data-testid="bonus-points">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('compEditor.bonus.at')}</Table.Th>
            <Table.Th>{t('compEditor.bonus.amount', { currency })}</Table.Th>
            <Table.Th w={40} />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {points.map((p, index) => (
            <Table.Tr key={p.uid}>
              <Table.Td>
                <TextInput size="xs" aria-label={t('compEditor.bonus.at')} value={p.at} onChange={(e) => set(index, { at: e.currentTarget.value })} error={issueAt(`${path}.${index}.at`)} />
              </Table.Td>
              <Table.Td>
                <TextInput size="xs" aria-label={t('compEditor.bonus.amount', { currency })} value={p.amount} onChange={(e) => set(index, { amount: e.currentTarget.value })} error={issueAt(`${path}.${index}.amount`)} />
              </Table.Td>
              <Table.Td>
                <ActionIcon variant="subtle" color="red" aria-label={t('compEditor.bonus.removePoint')} disabled={points.length <= (curve ? 2 : 1)} onClick={() => onChange(points.filter((_, i) => i !== index))}>
                  <IconTrash size={16} />
                </ActionIcon>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {issueAt(path) && (
        <Text size="xs" c="red">
          {issueAt(path)}
        </Text>
      )}
      <Button size="xs" variant="subtle" leftSection={<IconPlus size={14} />} w="fit-content" onClick={() => onChange([...points, point('', '')])}>
        {t('compEditor.bonus.addPoint')}
      </Button>
    </Stack>
  );
}

function CapFloor({ c, set, path, issueAt, currency, floor }: { c: DraftComponent; set: (patch: Partial<DraftComponent>) => void; path: string; issueAt: IssueAt; currency: string; floor: boolean }) {
  const { t } = useTranslation();
  return (
    <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
      <TextInput label={t('compEditor.limits.cap', { currency })} description={t('compEditor.limits.capHelp')} value={c.cap} onChange={(e) => set({ cap: e.currentTarget.value })} error={issueAt(`${path}.cap`)} data-testid="component-cap" />
      {floor && <TextInput label={t('compEditor.limits.floor', { currency })} description={t('compEditor.limits.floorHelp')} value={c.floor} onChange={(e) => set({ floor: e.currentTarget.value })} error={issueAt(`${path}.floor`)} />}
    </SimpleGrid>
  );
}

function KindForm({ c, index, onChange, issueAt, currency, others }: { c: DraftComponent; index: number; onChange: (c: DraftComponent) => void; issueAt: IssueAt; currency: string; others: DraftComponent[] }) {
  const { t } = useTranslation();
  const path = `components.${index}`;
  const set = (patch: Partial<DraftComponent>) => onChange({ ...c, ...patch });
  switch (c.kind) {
    case 'commission':
    case 'partner': {
      const metric = c.kind === 'partner' || c.baseKind === 'metric';
      const quantity = metric && c.metric.unit === 'quantity';
      return (
        <Stack gap="md">
          <Section title={t('compEditor.base.title')}>
            {c.kind === 'commission' && (
              <SegmentedControl
                size="xs"
                w="fit-content"
                value={c.baseKind}
                onChange={(v) => set({ baseKind: v === 'metric' ? 'metric' : 'credits', rates: v === 'metric' && c.rates.basis === 'attainment' ? { ...c.rates, basis: 'amount' } : c.rates })}
                data={[
                  { value: 'credits', label: t('compEditor.base.credits') },
                  { value: 'metric', label: t('compEditor.base.metric') },
                ]}
              />
            )}
            {metric ? (
              <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
                <TextInput
                  label={t('compEditor.base.metricKey')}
                  description={c.kind === 'partner' ? t('compEditor.base.partnerMetricHelp') : t('compEditor.base.metricKeyHelp')}
                  value={c.metric.metric}
                  onChange={(e) => set({ metric: { ...c.metric, metric: e.currentTarget.value } })}
                  error={issueAt(`${path}.base.metric`, `${path}.base`)}
                />
                <Select
                  label={t('compEditor.base.unit')}
                  description={t('compEditor.base.unitHelp')}
                  value={c.metric.unit}
                  onChange={(v) => set({ metric: { ...c.metric, unit: v === 'quantity' ? 'quantity' : 'money' } })}
                  data={[
                    { value: 'money', label: t('compEditor.base.units.money', { currency }) },
                    { value: 'quantity', label: t('compEditor.base.units.quantity') },
                  ]}
                  allowDeselect={false}
                />
              </SimpleGrid>
            ) : (
              <CreditBaseEditor base={c.credits} onChange={(credits) => set({ credits })} path={`${path}.base`} issueAt={issueAt} testId="component-base" />
            )}
          </Section>
          <Section title={t('compEditor.rates.title')}>
            <RateTableEditor rates={c.rates} onChange={(rates) => set({ rates })} path={`${path}.rates`} issueAt={issueAt} currency={currency} quantity={quantity} allowAttainment={!metric} testId="rates" />
          </Section>
          <Section title={t('compEditor.limits.title')}>
            {c.kind === 'commission' && (
              <Group gap="sm" align="flex-start" wrap="wrap">
                <Select
                  label={t('compEditor.threshold.label')}
                  description={t('compEditor.threshold.help')}
                  value={c.threshold.kind}
                  onChange={(v) => set({ threshold: { ...c.threshold, kind: v === 'attainment' ? 'attainment' : v === 'amount' ? 'amount' : 'none' } })}
                  data={[
                    { value: 'none', label: t('compEditor.threshold.none') },
                    { value: 'attainment', label: t('compEditor.threshold.attainment') },
                    { value: 'amount', label: t('compEditor.threshold.amount') },
                  ]}
                  allowDeselect={false}
                  w={240}
                  error={issueAt(`${path}.threshold`)}
                />
                {c.threshold.kind !== 'none' && (
                  <TextInput
                    label={c.threshold.kind === 'attainment' ? t('compEditor.threshold.attainmentValue') : t('compEditor.threshold.amountValue', { currency })}
                    description={c.threshold.kind === 'attainment' ? t('compEditor.threshold.attainmentHelp') : ' '}
                    value={c.threshold.value}
                    onChange={(e) => set({ threshold: { ...c.threshold, value: e.currentTarget.value } })}
                    error={issueAt(`${path}.threshold.attainment`, `${path}.threshold.amount`)}
                    w={220}
                  />
                )}
              </Group>
            )}
            <CapFloor c={c} set={set} path={path} issueAt={issueAt} currency={currency} floor />
          </Section>
        </Stack>
      );
    }
    case 'spiff':
      return (
        <Stack gap="md">
          <Section title={t('compEditor.spiff.pays')}>
            <Group gap="sm" align="flex-end" wrap="wrap">
              <SegmentedControl
                size="xs"
                value={c.spiff.pay}
                onChange={(v) => set({ spiff: { ...c.spiff, pay: v === 'rate' ? 'rate' : 'amount' } })}
                data={[
                  { value: 'amount', label: t('compEditor.spiff.perRecord') },
                  { value: 'rate', label: t('compEditor.spiff.rateOfAmount') },
                ]}
              />
              <TextInput
                aria-label={c.spiff.pay === 'amount' ? t('compEditor.spiff.amount', { currency }) : t('compEditor.spiff.rate')}
                placeholder={c.spiff.pay === 'amount' ? '500' : '2%'}
                value={c.spiff.value}
                onChange={(e) => set({ spiff: { ...c.spiff, value: e.currentTarget.value } })}
                error={issueAt(`${path}.amount`, `${path}.rate`, path)}
                rightSection={c.spiff.pay === 'amount' ? <Text size="xs" c="dimmed">{currency}</Text> : null}
                rightSectionWidth={44}
                w={180}
                data-testid="spiff-value"
              />
            </Group>
          </Section>
          <Section title={t('compEditor.spiff.window')}>
            <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
              <TextInput type="date" label={t('compEditor.spiff.from')} value={c.spiff.from} onChange={(e) => set({ spiff: { ...c.spiff, from: e.currentTarget.value } })} error={issueAt(`${path}.from`)} />
              <TextInput type="date" label={t('compEditor.spiff.to')} value={c.spiff.to} onChange={(e) => set({ spiff: { ...c.spiff, to: e.currentTarget.value } })} error={issueAt(`${path}.to`)} />
            </SimpleGrid>
          </Section>
          <Section title={t('compEditor.spiff.qualifying')}>
            <CreditBaseEditor base={c.credits} onChange={(credits) => set({ credits })} path={`${path}.base`} issueAt={issueAt} testId="spiff-base" />
          </Section>
          <CapFloor c={c} set={set} path={path} issueAt={issueAt} currency={currency} floor={false} />
        </Stack>
      );
    case 'bonus': {
      const pointsPath = `${path}.payout.${c.bonus.payout === 'step' ? 'steps' : 'points'}`;
      return (
        <Stack gap="md">
          <Group gap="md" align="flex-start" wrap="wrap">
            <Stack gap={4}>
              <Text size="sm" fw={500}>
                {t('compEditor.bonus.on')}
              </Text>
              <SegmentedControl
                size="xs"
                value={c.bonus.on}
                onChange={(v) => set({ bonus: { ...c.bonus, on: v === 'score' ? 'score' : 'attainment' } })}
                data={[
                  { value: 'attainment', label: t('compEditor.bonus.onAttainment') },
                  { value: 'score', label: t('compEditor.bonus.onScore') },
                ]}
              />
            </Stack>
            <Stack gap={4}>
              <Text size="sm" fw={500}>
                {t('compEditor.bonus.payout')}
              </Text>
              <SegmentedControl
                size="xs"
                value={c.bonus.payout}
                onChange={(v) => set({ bonus: { ...c.bonus, payout: v === 'curve' ? 'curve' : 'step', points: v === 'curve' && c.bonus.points.length < 2 ? [...c.bonus.points, point('', '')] : c.bonus.points } })}
                data={[
                  { value: 'step', label: t('compEditor.bonus.step') },
                  { value: 'curve', label: t('compEditor.bonus.curve') },
                ]}
              />
            </Stack>
            {c.bonus.on === 'score' && (
              <TextInput label={t('compEditor.bonus.key')} description={t('compEditor.bonus.keyHelp')} value={c.bonus.key} onChange={(e) => set({ bonus: { ...c.bonus, key: e.currentTarget.value } })} error={issueAt(`${path}.on.key`)} w={240} />
            )}
          </Group>
          <Text size="xs" c="dimmed">
            {c.bonus.payout === 'step' ? t('compEditor.bonus.stepHelp') : t('compEditor.bonus.curveHelp')} {c.bonus.on === 'attainment' ? t('compEditor.bonus.atAttainment') : t('compEditor.bonus.atScore')}
          </Text>
          <PointsTable points={c.bonus.points} onChange={(points) => set({ bonus: { ...c.bonus, points } })} path={pointsPath} issueAt={issueAt} currency={currency} curve={c.bonus.payout === 'curve'} />
          {c.bonus.on === 'score' && (
            <Stack gap="xs">
              <Checkbox
                label={t('compEditor.bonus.allowAspirational')}
                description={t('compEditor.bonus.allowAspirationalHelp')}
                checked={c.bonus.allowAspirational}
                onChange={(e) => set({ bonus: { ...c.bonus, allowAspirational: e.currentTarget.checked } })}
                data-testid="allow-aspirational"
              />
              {c.bonus.allowAspirational && (
                <Alert color="orange" variant="light" icon={<IconAlertTriangle />} title={t('compEditor.bonus.aspirationalTitle')} data-testid="aspirational-warning">
                  {t('compEditor.bonus.aspirationalWarning')}
                </Alert>
              )}
            </Stack>
          )}
        </Stack>
      );
    }
    case 'draw':
      return (
        <Stack gap="sm">
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
            <TextInput label={t('compEditor.draw.amount', { currency })} description={t('compEditor.draw.amountHelp')} value={c.draw.amount} onChange={(e) => set({ draw: { ...c.draw, amount: e.currentTarget.value } })} error={issueAt(`${path}.amount`, path)} />
            {c.draw.recoverable && (
              <TextInput
                label={t('compEditor.draw.maxRecovery', { currency })}
                description={t('compEditor.draw.maxRecoveryHelp')}
                value={c.draw.maxRecovery}
                onChange={(e) => set({ draw: { ...c.draw, maxRecovery: e.currentTarget.value } })}
                error={issueAt(`${path}.maxRecoveryPerPeriod`)}
              />
            )}
          </SimpleGrid>
          <Switch label={t('compEditor.draw.recoverable')} description={c.draw.recoverable ? t('compEditor.draw.recoverableHelp') : t('compEditor.draw.nonRecoverableHelp')} checked={c.draw.recoverable} onChange={(e) => set({ draw: { ...c.draw, recoverable: e.currentTarget.checked } })} />
        </Stack>
      );
    case 'clawback': {
      const targets = others.filter((o) => o.kind === 'commission' || o.kind === 'partner').map((o) => o.id).filter((id) => id.trim() !== '');
      const data = [...new Set([...targets, ...c.clawback.components])];
      return (
        <Stack gap="sm">
          <MultiSelect
            label={t('compEditor.clawback.components')}
            description={t('compEditor.clawback.componentsHelp')}
            data={data}
            value={c.clawback.components}
            onChange={(v) => set({ clawback: { ...c.clawback, components: v } })}
            error={issueAt(`${path}.components`, ...c.clawback.components.map((_, j) => `${path}.components.${j}`))}
          />
          <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
            <TextInput label={t('compEditor.clawback.withinDays')} description={t('compEditor.clawback.withinDaysHelp')} value={c.clawback.withinDays} onChange={(e) => set({ clawback: { ...c.clawback, withinDays: e.currentTarget.value } })} error={issueAt(`${path}.withinDays`)} rightSection={<Text size="xs" c="dimmed">{t('compEditor.clawback.days')}</Text>} rightSectionWidth={52} />
            <TextInput label={t('compEditor.clawback.share')} description={t('compEditor.clawback.shareHelp')} value={c.clawback.share} onChange={(e) => set({ clawback: { ...c.clawback, share: e.currentTarget.value } })} error={issueAt(`${path}.share`)} />
            <Checkbox.Group label={t('compEditor.clawback.events')} value={c.clawback.events} onChange={(v) => set({ clawback: { ...c.clawback, events: CLAWBACK_EVENTS.filter((e) => v.includes(e)) } })} error={issueAt(`${path}.events`)}>
              <Group gap="md" mt={8}>
                {CLAWBACK_EVENTS.map((e) => (
                  <Checkbox key={e} value={e} label={t(`compEditor.clawback.event.${e}`)} />
                ))}
              </Group>
            </Checkbox.Group>
          </SimpleGrid>
        </Stack>
      );
    }
    default: {
      const unreachable: never = c.kind;
      throw new Error(`unknown component kind ${String(unreachable)}`);
    }
  }
}

/** One component: its id and label, move and remove, and the form of its kind. */
export function ComponentCard({
  c,
  index,
  count,
  onChange,
  onMove,
  onRemove,
  issueAt,
  errorCount,
  currency,
  others,
}: {
  c: DraftComponent;
  index: number;
  count: number;
  onChange: (c: DraftComponent) => void;
  onMove: (delta: -1 | 1) => void;
  onRemove: () => void;
  issueAt: IssueAt;
  errorCount: number;
  currency: string;
  others: DraftComponent[];
}) {
  const { t } = useTranslation();
  const path = `components.${index}`;
  return (
    <Card withBorder p="md" radius="md" id={`component-${index}`} data-testid={`component-${index}`} style={errorCount > 0 ? { borderColor: 'var(--mantine-color-red-5)' } : undefined}>
      <Group justify="space-between" mb="sm" wrap="nowrap" align="center">
        <Group gap="sm" wrap="nowrap">
          <Badge color={KIND_COLOR[c.kind]} variant="light" size="lg" radius="sm">
            {index + 1} · {t(`compEditor.kinds.${c.kind}`)}
          </Badge>
          {errorCount > 0 && (
            <Badge color="red" variant="filled" size="sm" data-testid="component-error-count">
              {t('compEditor.summary.problems', { count: errorCount })}
            </Badge>
          )}
        </Group>
        <Group gap={4} wrap="nowrap">
          <Tooltip label={t('compEditor.components.moveUp')}>
            <ActionIcon variant="subtle" color="gray" aria-label={t('compEditor.components.moveUp')} disabled={index === 0} onClick={() => onMove(-1)}>
              <IconArrowUp size={16} />
            </ActionIcon>
          </Tooltip>
          <Tooltip label={t('compEditor.components.moveDown')}>
            <ActionIcon variant="subtle" color="gray" aria-label={t('compEditor.components.moveDown')} disabled={index === count - 1} onClick={() => onMove(1)}>
              <IconArrowDown size={16} />
            </ActionIcon>
          </Tooltip>
          <Tooltip label={t('compEditor.components.remove')}>
            <ActionIcon variant="subtle" color="red" aria-label={t('compEditor.components.remove')} onClick={onRemove} data-testid="remove-component">
              <IconTrash size={16} />
            </ActionIcon>
          </Tooltip>
        </Group>
      </Group>
      <Stack gap="md">
        <Text size="xs" c="dimmed">
          {t(`compEditor.kindHelp.${c.kind}`)}
        </Text>
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
          <TextInput label={t('compEditor.components.id')} description={t('compEditor.components.idHelp')} value={c.id} onChange={(e) => onChange({ ...c, id: e.currentTarget.value })} error={issueAt(`${path}.id`)} required data-testid="component-id" />
          <TextInput label={t('compEditor.components.label')} description={t('compEditor.components.labelHelp')} value={c.label} onChange={(e) => onChange({ ...c, label: e.currentTarget.value })} error={issueAt(`${path}.label`)} data-testid="component-label" />
        </SimpleGrid>
        {issueAt(path) && c.kind !== 'spiff' && c.kind !== 'draw' && (
          <Text size="xs" c="red">
            {issueAt(path)}
          </Text>
        )}
        <KindForm c={c} index={index} onChange={onChange} issueAt={issueAt} currency={currency} others={others} />
      </Stack>
    </Card>
  );
}
