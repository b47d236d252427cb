import { ActionIcon, Button, Group, Modal, NumberInput, SegmentedControl, Select, SimpleGrid, Stack, TagsInput, Text, TextInput } from '@mantine/core';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/client';
import {
  useCreateAssignment, useSaveTerritory, useSaveTerritoryPlan, type PostcodeRange, type Territory, type TerritoryCriteria, type TerritoryPlan,
} from '../../api/planning-queries';
import { useNotify } from '../../lib/use-notify';
import { MoneyField } from './planning-ui';

type ListKey = 'regions' | 'countries' | 'productLines' | 'segments' | 'namedAccounts';
const LIST_KEYS: readonly ListKey[] = ['regions', 'countries', 'productLines', 'segments', 'namedAccounts'];

/** Criteria without empty lists (a left-out dimension matches everything). */
function cleanCriteria(criteria: TerritoryCriteria): TerritoryCriteria {
  const out: TerritoryCriteria = {};
  for (const key of LIST_KEYS) {
    const values = (criteria[key] ?? []).map((v) => v.trim()).filter(Boolean);
    if (values.length > 0) out[key] = key === 'countries' ? values.map((v) => v.toUpperCase()) : values;
  }
  const ranges = (criteria.postcodeRanges ?? []).filter((r) => r.from.trim() && r.to.trim()).map((r) => ({ ...(r.country?.trim() ? { country: r.country.trim().toUpperCase() } : {}), from: r.from.trim(), to: r.to.trim() }));
  if (ranges.length > 0) out.postcodeRanges = ranges;
  return out;
}

/** Create or edit a territory: name, parent and criteria (AND across dimensions, OR within one). */
export function TerritoryModal({ territory, parentId, territories, onClose }: { territory: Territory | null; parentId: string | null; territories: Territory[]; onClose: () => void }) {
  const { t } = useTranslation();
  const notify = useNotify();
  const save = useSaveTerritory();
  const [name, setName] = useState(territory?.name ?? '');
  const [parent, setParent] = useState<string | null>(territory ? territory.parentId : parentId);
  const [criteria, setCriteria] = useState<TerritoryCriteria>(territory?.criteria ?? {});
  const [ranges, setRanges] = useState<PostcodeRange[]>(territory?.criteria.postcodeRanges ?? []);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const setList = (key: ListKey) => (values: string[]) => setCriteria((c) => ({ ...c, [key]: values }));
  return (
    <Modal opened onClose={onClose} title={territory ? t('planning.territories.editTitle', { name: territory.name }) : t('planning.territories.newTitle')} size="lg">
      <form
        onSubmit={(event) => {
          event.preventDefault();
          setErrors({});
          save.mutate(
            { id: territory?.id ?? null, name: name.trim(), parentId: parent, criteria: cleanCriteria({ ...criteria, postcodeRanges: ranges }) },
            {
              onSuccess: (saved) => {
                notify.success(t('planning.territories.saved', { name: saved.name }));
                onClose();
              },
              onError: (error) => {
                if (isApiError(error) && error.issues.length > 0) setErrors(Object.fromEntries(error.issues.map((i) => [i.path.replace(/^criteria\./, ''), i.message])));
                notify.error(error);
              },
            },
          );
        }}
      >
        <Stack>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput label={t('planning.territories.name')} value={name} onChange={(e) => setName(e.currentTarget.value)} required data-autofocus data-testid="territory-name" error={errors.name} />
            <Select
              label={t('planning.territories.parent')}
              placeholder={t('planning.territories.topLevel')}
              data={territories.filter((x) => x.id !== territory?.id).map((x) => ({ value: x.id, label: x.name }))}
              value={parent}
              onChange={setParent}
              clearable
              searchable
              error={errors.parentId}
            />
          </SimpleGrid>
          <Text size="sm" c="dimmed">{t('planning.territories.criteriaHelp')}</Text>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            {LIST_KEYS.map((key) => (
              <TagsInput
                key={key}
                label={t(`planning.criteria.${key}`)}
                placeholder={t(`planning.criteriaPlaceholder.${key}`)}
                value={criteria[key] ?? []}
                onChange={setList(key)}
                clearable
                splitChars={[',', ';', ' ']}
                error={Object.entries(errors).find(([path]) => path.startsWith(key))?.[1]}
                data-testid={`criteria-${key}`}
              />
            ))}
          </SimpleGrid>
          <Stack gap={6}>
            <Group justify="space-between">
              <Text size="sm" fw={500}>{t('planning.criteria.postcodeRanges')}</Text>
              <Button size="compact-sm" variant="subtle" leftSection={<IconPlus size={14} />} onClick={() => setRanges((r) => [...r, { from: '', to: '' }])}>{t('planning.territories.addRange')}</Button>
            </Group>
            {ranges.length === 0 && <Text size="xs" c="dimmed">{t('planning.territories.noRanges')}</Text>}
            {ranges.map((range, i) => (
              <Group key={i} gap="xs" wrap="nowrap" align="flex-start">
                <TextInput aria-label={t('planning.territories.rangeCountry')} placeholder="DE" w={70} value={range.country ?? ''} onChange={(e) => { const v = e.currentTarget.value; setRanges((r) => r.map((x, j) => (j === i ? { ...x, country: v } : x))); }} />
                <TextInput aria-label={t('planning.territories.rangeFrom')} placeholder="10000" style={{ flex: 1 }} value={range.from} onChange={(e) => { const v = e.currentTarget.value; setRanges((r) => r.map((x, j) => (j === i ? { ...x, from: v } : x))); }} error={errors[`postcodeRanges.${i}`] ?? errors[`postcodeRanges.${i}.from`]} />
                <Text pt={6}>–</Text>
                <TextInput aria-label={t('planning.territories.rangeTo')} placeholder="19999" style={{ flex: 1 }} value={range.to} onChange={(e) => { const v = e.currentTarget.value; setRanges((r) => r.map((x, j) => (j === i ? { ...x, to: v } : x))); }} />
                <ActionIcon variant="subtle" color="red" mt={4} aria-label={t('common.delete')} onClick={() => setRanges((r) => r.filter((_, j) => j !== i))}><IconTrash size={16} /></ActionIcon>
              </Group>
            ))}
          </Stack>
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>{t('common.cancel')}</Button>
            <Button type="submit" loading={save.isPending} data-testid="territory-submit">{t('common.save')}</Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** Assign a rep or team to a territory for [from, until). */
export function AssignmentForm({ territoryId, teams, payees, onDone }: { territoryId: string; teams: { value: string; label: string }[]; payees: { value: string; label: string }[]; onDone: () => void }) {
  const { t } = useTranslation();
  const notify = useNotify();
  const create = useCreateAssignment();
  const [kind, setKind] = useState<'team' | 'rep'>('team');
  const [assignee, setAssignee] = useState<string | null>(null);
  const [role, setRole] = useState<'owner' | 'overlay'>('owner');
  const [from, setFrom] = useState(`${new Date().getUTCFullYear()}-01-01`);
  const [until, setUntil] = useState('');
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        if (!assignee) return;
        create.mutate(
          { territoryId, assigneeKind: kind, assigneeId: assignee, role, from, until: until || null },
          {
            onSuccess: (result) => {
              for (const w of result.warnings) notify.error(new Error(w.message), t('planning.assignments.warning'));
              notify.success(t('planning.assignments.added'));
              onDone();
            },
            onError: (e) => notify.error(e),
          },
        );
      }}
    >
      <Stack gap="sm">
        <SegmentedControl size="xs" value={kind} onChange={(v) => { setKind(v as 'team' | 'rep'); setAssignee(null); }} data={[{ value: 'team', label: t('planning.kind.team') }, { value: 'rep', label: t('planning.kind.rep') }]} />
        <Select label={t('planning.assignments.assignee')} data={kind === 'team' ? teams : payees} value={assignee} onChange={setAssignee} searchable required nothingFoundMessage={t('common.noMatches')} />
        <SimpleGrid cols={3} spacing="xs">
          <Select label={t('planning.assignments.role')} data={[{ value: 'owner', label: t('planning.assignments.owner') }, { value: 'overlay', label: t('planning.assignments.overlay') }]} value={role} onChange={(v) => setRole((v as 'owner' | 'overlay' | null) ?? 'owner')} allowDeselect={false} />
          <TextInput type="date" label={t('planning.assignments.from')} value={from} onChange={(e) => setFrom(e.currentTarget.value)} required />
          <TextInput type="date" label={t('planning.assignments.until')} value={until} onChange={(e) => setUntil(e.currentTarget.value)} />
        </SimpleGrid>
        <Group justify="flex-end">
          <Button variant="default" size="xs" onClick={onDone}>{t('common.cancel')}</Button>
          <Button type="submit" size="xs" loading={create.isPending} disabled={!assignee}>{t('planning.assignments.add')}</Button>
        </Group>
      </Stack>
    </form>
  );
}

const SHARE_SCALE = 1_000_000;
/** '0.35' → 350000 millionths (exact), null when not a decimal with at most 6 places. */
function shareMicros(share: string): number | null {
  const m = /^(\d+)(?:\.(\d{1,6}))?$/.exec(share.trim());
  if (!m) return null;
  return Number(m[1]) * SHARE_SCALE + Number((m[2] ?? '').padEnd(6, '0'));
}

/** A territory's plan for a period: revenue target, product-line mix (adds up to 1) and headcount. */
export function TerritoryPlanModal({ territory, period, plan, currency, onClose }: { territory: Territory; period: string; plan: TerritoryPlan | null; currency: string; onClose: () => void }) {
  const { t } = useTranslation();
  const notify = useNotify();
  const save = useSaveTerritoryPlan();
  const [target, setTarget] = useState<number | null>(plan?.revenueTargetMinor ?? null);
  const [headcount, setHeadcount] = useState<number>(plan?.headcount ?? 0);
  const [mix, setMix] = useState(plan?.productLineMix ?? [{ productLine: '', share: '1' }]);
  const rows = mix.filter((m) => m.productLine.trim());
  const micros = rows.map((m) => shareMicros(m.share));
  const sum = micros.reduce<number>((a, b) => a + (b ?? 0), 0);
  const mixOk = rows.length === 0 || (micros.every((m) => m !== null) && sum === SHARE_SCALE);
  return (
    <Modal opened onClose={onClose} title={t('planning.territoryPlans.editTitle', { name: territory.name, period })}>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (target === null || !mixOk) return;
          save.mutate(
            { territoryId: territory.id, period, revenueTargetMinor: target, headcount, productLineMix: rows.map((m) => ({ productLine: m.productLine.trim(), share: m.share.trim() })) },
            {
              onSuccess: (saved) => {
                for (const w of saved.warnings) notify.error(new Error(w.message), t('planning.territoryPlans.warning'));
                notify.success(t('planning.territoryPlans.saved'));
                onClose();
              },
              onError: (e) => notify.error(e),
            },
          );
        }}
      >
        <Stack>
          <MoneyField label={t('planning.territoryPlans.target')} currency={currency} value={target} onChange={setTarget} required />
          <NumberInput label={t('planning.territoryPlans.headcount')} value={headcount} onChange={(v) => setHeadcount(Number(v) || 0)} min={0} allowDecimal={false} />
          <Stack gap={6}>
            <Group justify="space-between">
              <Text size="sm" fw={500}>{t('planning.territoryPlans.mix')}</Text>
              <Button size="compact-sm" variant="subtle" leftSection={<IconPlus size={14} />} onClick={() => setMix((m) => [...m, { productLine: '', share: '0' }])}>{t('planning.territoryPlans.addLine')}</Button>
            </Group>
            {mix.map((m, i) => (
              <Group key={i} gap="xs" wrap="nowrap">
                <TextInput aria-label={t('planning.criteria.productLines')} placeholder={t('planning.criteriaPlaceholder.productLines')} style={{ flex: 2 }} value={m.productLine} onChange={(e) => { const v = e.currentTarget.value; setMix((x) => x.map((y, j) => (j === i ? { ...y, productLine: v } : y))); }} />
                <TextInput aria-label={t('planning.territoryPlans.share')} placeholder="0.5" style={{ flex: 1 }} value={m.share} onChange={(e) => { const v = e.currentTarget.value; setMix((x) => x.map((y, j) => (j === i ? { ...y, share: v } : y))); }} />
                <ActionIcon variant="subtle" color="red" aria-label={t('common.delete')} onClick={() => setMix((x) => x.filter((_, j) => j !== i))}><IconTrash size={16} /></ActionIcon>
              </Group>
            ))}
            <Text size="xs" c={mixOk ? 'dimmed' : 'red'}>{t('planning.territoryPlans.mixHelp', { sum: (sum / SHARE_SCALE).toString() })}</Text>
          </Stack>
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>{t('common.cancel')}</Button>
            <Button type="submit" loading={save.isPending} disabled={target === null || !mixOk}>{t('common.save')}</Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
