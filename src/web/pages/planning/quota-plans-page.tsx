import { Badge, Button, Card, Group, Modal, NumberInput, Select, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { IconCalculator, IconChevronRight, IconLock, IconPlus, IconTable, IconWand } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { useCreateQuotaPlan, useQuotaPlans, type QuotaPlan, type QuotaVersion } from '../../api/planning-queries';
import { useTenant } from '../../api/queries';
import { useCan } from '../../auth/session';
import { EmptyCard } from '../../components/empty-card';
import { PageHeader } from '../../components/page-header';
import { CardsSkeleton, ErrorState } from '../../components/query-state';
import { useFormat } from '../../i18n/format';
import { currencyOptions } from '../../lib/currencies';
import { useNotify } from '../../lib/use-notify';
import { Money } from '../comp/comp-ui';
import { PlanningNav } from './planning-nav';
import { AllocateModal, MoneyField, VersionBadge } from './planning-ui';

/** /quotas: the quota plans (company target per fiscal year) and their versions. */
export function QuotaPlansPage() {
  const { t } = useTranslation();
  const can = useCan();
  const plans = useQuotaPlans();
  const [creating, setCreating] = useState(false);
  const [allocating, setAllocating] = useState<QuotaPlan | null>(null);
  const canManage = can('quotas:manage');
  return (
    <Stack gap={0}>
      <PageHeader
        title={t('planning.title')}
        description={t('planning.description')}
        icon={<IconCalculator size={24} stroke={1.6} />}
        mb={0}
        actions={canManage && <Button leftSection={<IconPlus size={16} />} onClick={() => setCreating(true)} data-testid="new-plan">{t('planning.plans.new')}</Button>}
      />
      <PlanningNav active="quotas" />
      {plans.isPending ? (
        <CardsSkeleton count={2} height={200} />
      ) : plans.isError ? (
        <ErrorState error={plans.error} onRetry={() => void plans.refetch()} />
      ) : plans.data.length === 0 ? (
        <EmptyCard
          icon={<IconTable size={28} />}
          title={t('planning.plans.emptyTitle')}
          description={t('planning.plans.emptyText')}
          action={canManage && <Button leftSection={<IconPlus size={16} />} onClick={() => setCreating(true)}>{t('planning.plans.new')}</Button>}
        />
      ) : (
        <Stack gap="lg">
          {[...plans.data].sort((a, b) => b.fiscalYear - a.fiscalYear).map((plan) => (
            <PlanCard key={plan.id} plan={plan} canManage={canManage} onAllocate={() => setAllocating(plan)} />
          ))}
        </Stack>
      )}
      {creating && <NewPlanModal onClose={() => setCreating(false)} onCreated={(plan) => { setCreating(false); setAllocating(plan); }} />}
      <AllocateModal plan={allocating} opened={allocating !== null} onClose={() => setAllocating(null)} />
    </Stack>
  );
}

function PlanCard({ plan, canManage, onAllocate }: { plan: QuotaPlan & { versions: QuotaVersion[] }; canManage: boolean; onAllocate: () => void }) {
  const { t } = useTranslation();
  const format = useFormat();
  const navigate = useNavigate();
  const versions = [...plan.versions].sort((a, b) => b.version - a.version);
  const inForce = versions.find((v) => v.isLocked);
  return (
    <Card withBorder padding="lg" data-testid={`plan-${plan.fiscalYear}`}>
      <Group justify="space-between" align="flex-start" mb="md" wrap="wrap">
        <Stack gap={4}>
          <Group gap="xs">
            <Title order={2} size="h3">{plan.name}</Title>
            <Badge variant="light">{t('planning.period.year', { year: plan.fiscalYear })}</Badge>
          </Group>
          <Text size="sm" c="dimmed">
            {inForce ? t('planning.plans.inForce', { version: inForce.version }) : t('planning.plans.noneLocked')}
          </Text>
        </Stack>
        <Group gap="lg" align="flex-start">
          <Stack gap={0} align="flex-end">
            <Text size="xs" c="dimmed" tt="uppercase" fw={600}>{t('planning.stats.target')}</Text>
            <Money minor={plan.targetMinor} currency={plan.currency} fz="xl" fw={700} />
          </Stack>
          {canManage && <Button variant="light" leftSection={<IconWand size={16} />} onClick={onAllocate} data-testid="allocate-open">{t('planning.allocate.action')}</Button>}
        </Group>
      </Group>
      {versions.length === 0 ? (
        <Text size="sm" c="dimmed">{t('planning.plans.noVersions')}</Text>
      ) : (
        <Table.ScrollContainer minWidth={640}>
          <Table highlightOnHover verticalSpacing="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('planning.plans.version')}</Table.Th>
                <Table.Th>{t('planning.allocate.method')}</Table.Th>
                <Table.Th>{t('planning.allocate.levels')}</Table.Th>
                <Table.Th>{t('planning.plans.effective')}</Table.Th>
                <Table.Th>{t('planning.plans.status')}</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {versions.map((v) => (
                <Table.Tr key={v.id} style={{ cursor: 'pointer' }} onClick={() => void navigate(`/quotas/versions/${v.id}`)} data-testid={`version-row-${v.version}`}>
                  <Table.Td>
                    <Anchorish to={`/quotas/versions/${v.id}`}>{t('planning.version.label', { version: v.version })}</Anchorish>
                    {v.note && <Text size="xs" c="dimmed" lineClamp={1} maw={320}>{v.note}</Text>}
                  </Table.Td>
                  <Table.Td>{t(`planning.method.${v.method}`)}</Table.Td>
                  <Table.Td>{t(`planning.levels.${v.levels}`)}</Table.Td>
                  <Table.Td>
                    {format.calendarDate(v.effectiveFrom)}
                    {v.effectiveTo && ` – ${format.calendarDate(v.effectiveTo)}`}
                  </Table.Td>
                  <Table.Td>
                    <Group gap={6}>
                      <VersionBadge isLocked={v.isLocked} />
                      {v.lockedAt && <Text size="xs" c="dimmed"><IconLock size={12} style={{ verticalAlign: -1 }} /> {format.date(v.lockedAt)}</Text>}
                    </Group>
                  </Table.Td>
                  <Table.Td ta="right"><IconChevronRight size={16} style={{ opacity: 0.5 }} /></Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Card>
  );
}

function Anchorish({ to, children }: { to: string; children: string }) {
  return (
    <Text component={Link} to={to} fw={600} size="sm" c="var(--mantine-primary-color-filled)" onClick={(e) => e.stopPropagation()}>
      {children}
    </Text>
  );
}

function NewPlanModal({ onClose, onCreated }: { onClose: () => void; onCreated: (plan: QuotaPlan) => void }) {
  const { t } = useTranslation();
  const format = useFormat();
  const notify = useNotify();
  const tenant = useTenant();
  const create = useCreateQuotaPlan();
  const [fiscalYear, setFiscalYear] = useState<number>(new Date().getUTCFullYear() + 1);
  const [name, setName] = useState('');
  const [currency, setCurrency] = useState<string | null>(null);
  const [targetMinor, setTargetMinor] = useState<number | null>(null);
  const code = currency ?? tenant.data?.currency ?? 'EUR';
  return (
    <Modal opened onClose={onClose} title={t('planning.plans.new')}>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (targetMinor === null) return;
          create.mutate(
            { name: name.trim() || t('planning.plans.defaultName', { year: fiscalYear }), fiscalYear, targetMinor, currency: code },
            { onSuccess: (plan) => { notify.success(t('planning.plans.created')); onCreated(plan); }, onError: (e) => notify.error(e) },
          );
        }}
      >
        <Stack>
          <Text size="sm" c="dimmed">{t('planning.plans.newIntro')}</Text>
          <SimpleGrid cols={2}>
            <NumberInput label={t('planning.plans.fiscalYear')} value={fiscalYear} onChange={(v) => setFiscalYear(Number(v) || fiscalYear)} min={1900} max={9999} allowDecimal={false} thousandSeparator="" required data-testid="plan-year" />
            <Select label={t('planning.plans.currency')} data={currencyOptions([tenant.data?.currency ?? ''], format.currencyName)} value={code} onChange={setCurrency} searchable allowDeselect={false} />
          </SimpleGrid>
          <TextInput label={t('planning.plans.name')} placeholder={t('planning.plans.defaultName', { year: fiscalYear })} value={name} onChange={(e) => setName(e.currentTarget.value)} />
          <MoneyField label={t('planning.plans.target')} currency={code} value={targetMinor} onChange={setTargetMinor} required testId="plan-target" />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>{t('common.cancel')}</Button>
            <Button type="submit" disabled={targetMinor === null} loading={create.isPending} data-testid="plan-submit">{t('planning.plans.create')}</Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
