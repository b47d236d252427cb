import { Badge, Box, Button, Card, Chip, Group, List, Modal, NumberInput, SegmentedControl, Select, SimpleGrid, Stack, Table, Text, TextInput, ThemeIcon, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconBulb, IconFlag, IconPlugConnected, IconSparkles, IconTemplate } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { OKR_CATEGORIES, useCreateObjective, useCycles, useOkrTemplates, type Commitment, type OkrCategory, type OkrTemplate } from '../../api/okr-queries';
import type { Locale } from '../../api/types';
import { useCan, useSession } from '../../auth/session';
import { FormActions } from '../../components/form-actions';
import { PageHeader } from '../../components/page-header';
import { CardsSkeleton, ErrorState } from '../../components/query-state';
import { applyFormErrors } from '../../lib/apply-form-errors';
import { useNotify } from '../../lib/use-notify';
import { OwnerPicker, ownerRef, type OwnerValue } from './objective-form';
import { OkrTabs, useKrFormat, useOkrError } from './okr-ui';

function useLocale(): Locale {
  const { i18n } = useTranslation();
  return (i18n.resolvedLanguage ?? i18n.language).startsWith('de') ? 'de' : 'en';
}

/** "+10 % on last quarter", "500,000", "Done / not done": a template key result's target in words. */
function useTemplateTarget() {
  const { t } = useTranslation();
  const krFormat = useKrFormat();
  return (kr: OkrTemplate['keyResults'][number]): string => {
    if (kr.relative) return t(`okrs.templates.relative.${kr.relative.baseline}`, { change: `${kr.relative.changePercent > 0 ? '+' : ''}${kr.relative.changePercent} %` });
    if (kr.kind === 'milestone') return t('okrs.kind.milestone');
    if (kr.kind === 'checklist') return t('okrs.templates.items', { count: kr.checklist?.length ?? 0 });
    return krFormat.value(kr.target, kr.unit);
  };
}

interface DialogValues {
  cycleId: string | null;
  owner: OwnerValue;
  title: string;
  commitment: Commitment;
  targets: (number | string)[];
  parameters: Record<string, string>;
}

function CreateFromTemplate({ template, onClose }: { template: OkrTemplate; onClose: () => void }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const session = useSession();
  const cycles = useCycles();
  const notify = useNotify();
  const reportError = useOkrError();
  const navigate = useNavigate();
  const create = useCreateObjective();
  const targetText = useTemplateTarget();
  const parameterNames = [...new Set(template.keyResults.flatMap((kr) => kr.metric?.parameters ?? []))];
  const openCycles = (cycles.data?.items ?? []).filter((c) => c.status === 'open');
  const defaultCycle = openCycles.find((c) => c.id === cycles.data?.currentCycleId)?.id ?? openCycles[0]?.id ?? null;
  const form = useForm<DialogValues>({
    initialValues: {
      cycleId: defaultCycle,
      owner: { kind: 'user', userId: session.user.id, userName: session.user.name, teamId: null },
      title: template.title[locale],
      commitment: template.commitment,
      targets: template.keyResults.map((kr) => kr.target ?? ''),
      parameters: Object.fromEntries(parameterNames.map((name) => [name, ''])),
    },
    validate: {
      cycleId: (v) => (v ? null : t('validation.required')),
      owner: (v) => (ownerRef(v) ? null : t('validation.required')),
      title: (v) => (v.trim() ? null : t('validation.required')),
    },
  });

  const submit = form.onSubmit(async (values) => {
    const owner = ownerRef(values.owner);
    if (!values.cycleId || !owner) return;
    const parameters = Object.fromEntries(Object.entries(values.parameters).filter(([, v]) => v.trim() !== '').map(([k, v]) => [k, v.trim()]));
    try {
      const created = await create.mutateAsync({
        cycleId: values.cycleId,
        owner,
        commitment: values.commitment,
        ...(values.title.trim() !== template.title[locale] ? { title: values.title.trim() } : {}),
        fromTemplate: {
          templateId: template.id,
          locale,
          targets: values.targets.map((v) => (v === '' ? null : Number(v))),
          ...(Object.keys(parameters).length > 0 ? { parameters } : {}),
        },
      });
      notify.success(t('okrs.templates.created'));
      onClose();
      void navigate(`/okrs/objectives/${created.id}`);
    } catch (error) {
      if (!applyFormErrors(form, error)) reportError(error);
    }
  });

  return (
    <form onSubmit={submit} noValidate data-testid="template-dialog">
      <Stack gap="md">
        <TextInput label={t('okrs.fields.title')} required {...form.getInputProps('title')} />
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <Select label={t('okrs.fields.cycle')} data={openCycles.map((c) => ({ value: c.id, label: c.key }))} required allowDeselect={false} {...form.getInputProps('cycleId')} />
          <Stack gap={4}>
            <Text size="sm" fw={500}>
              {t('okrs.fields.commitment')}
            </Text>
            <SegmentedControl
              value={form.values.commitment}
              onChange={(v) => form.setFieldValue('commitment', v === 'aspirational' ? 'aspirational' : 'committed')}
              data={[
                { value: 'committed', label: t('okrs.commitment.committed') },
                { value: 'aspirational', label: t('okrs.commitment.aspirational') },
              ]}
            />
          </Stack>
        </SimpleGrid>
        <OwnerPicker value={form.values.owner} onChange={(owner) => form.setFieldValue('owner', owner)} error={form.errors.owner} />
        {parameterNames.length > 0 && (
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            {parameterNames.map((name) => (
              <TextInput
                key={name}
                label={t('okrs.templates.parameter', { name })}
                description={t('okrs.templates.parameterHelp')}
                {...form.getInputProps(`parameters.${name}`)}
              />
            ))}
          </SimpleGrid>
        )}
        <Box>
          <Text size="sm" fw={500} mb={4}>
            {t('okrs.templates.targets')}
          </Text>
          <Table verticalSpacing={6} withRowBorders={false}>
            <Table.Tbody>
              {template.keyResults.map((kr, i) => (
                <Table.Tr key={kr.title.en}>
                  <Table.Td>
                    <Text size="sm">{kr.title[locale]}</Text>
                    {kr.metric && (
                      <Text size="xs" c="grape">
                        <IconPlugConnected size={10} /> {kr.metric.key}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td w={200}>
                    {kr.kind === 'milestone' || kr.kind === 'checklist' ? (
                      <Text size="sm" c="dimmed">
                        {targetText(kr)}
                      </Text>
                    ) : (
                      <NumberInput
                        size="xs"
                        aria-label={t('okrs.templates.targetFor', { title: kr.title[locale] })}
                        placeholder={kr.relative ? targetText(kr) : undefined}
                        thousandSeparator
                        {...form.getInputProps(`targets.${i}`)}
                        {...(kr.unit === 'percent' ? { suffix: ' %' } : {})}
                      />
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          <Text size="xs" c="dimmed">
            {t('okrs.templates.targetsHelp')}
          </Text>
        </Box>
        <FormActions onCancel={onClose} submitLabel={t('okrs.templates.create')} loading={create.isPending} icon={<IconSparkles size={16} />} />
      </Stack>
    </form>
  );
}

function TemplateCard({ template, onUse }: { template: OkrTemplate; onUse: (() => void) | null }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const targetText = useTemplateTarget();
  return (
    <Card withBorder h="100%" data-testid="template-card" style={{ display: 'flex', flexDirection: 'column' }}>
      <Group justify="space-between" align="flex-start" wrap="nowrap" mb="xs">
        <Badge variant="light">{t(`okrs.category.${template.category}`)}</Badge>
        <Badge variant="outline" color={template.commitment === 'committed' ? 'indigo' : 'violet'} leftSection={template.commitment === 'committed' ? <IconFlag size={10} /> : <IconBulb size={10} />}>
          {t(`okrs.commitment.${template.commitment}`)}
        </Badge>
      </Group>
      <Title order={3} fz="md" mb={4}>
        {template.title[locale]}
      </Title>
      <Text size="sm" c="dimmed" mb="sm" lineClamp={3}>
        {template.description[locale]}
      </Text>
      <List size="sm" spacing={6} mb="md" style={{ flex: 1 }} listStyleType="none" p={0}>
        {template.keyResults.map((kr) => (
          <List.Item key={kr.title.en}>
            <Group gap={6} wrap="nowrap" align="flex-start">
              <ThemeIcon size={18} radius="xl" variant="light" color={kr.metric ? 'grape' : 'gray'} mt={1} aria-hidden>
                <IconPlugConnected size={11} />
              </ThemeIcon>
              <Box style={{ minWidth: 0 }}>
                <Text size="sm" lh={1.35}>
                  {kr.title[locale]}
                </Text>
                <Text size="xs" c="dimmed">
                  {targetText(kr)}
                  {kr.metric ? ` · ${t('okrs.templates.measuredBy', { metric: kr.metric.key })}` : ` · ${t('okrs.templates.manual')}`}
                </Text>
              </Box>
            </Group>
          </List.Item>
        ))}
      </List>
      {onUse && (
        <Button variant="light" fullWidth leftSection={<IconSparkles size={16} />} onClick={onUse}>
          {t('okrs.templates.use')}
        </Button>
      )}
    </Card>
  );
}

/** The template library: 15 sales OKRs, in the interface language, to start from in one dialogue. */
export function TemplatesPage() {
  const { t } = useTranslation();
  const can = useCan();
  const locale = useLocale();
  const templates = useOkrTemplates();
  const [category, setCategory] = useState<OkrCategory | 'all'>('all');
  const [using, setUsing] = useState<OkrTemplate | null>(null);
  const shown = (templates.data ?? []).filter((tpl) => category === 'all' || tpl.category === category);

  return (
    <Stack gap={0}>
      <PageHeader title={t('okrs.templates.title')} description={t('okrs.templates.description')} icon={<IconTemplate size={24} stroke={1.6} />} mb={0} />
      <OkrTabs />
      <Chip.Group multiple={false} value={category} onChange={(v) => setCategory(OKR_CATEGORIES.find((c) => c === v) ?? 'all')}>
        <Group gap="xs" mb="lg" role="group" aria-label={t('okrs.fields.category')}>
          <Chip value="all" variant="light">
            {t('common.all')} {templates.data && `(${templates.data.length})`}
          </Chip>
          {OKR_CATEGORIES.map((c) => (
            <Chip key={c} value={c} variant="light">
              {t(`okrs.category.${c}`)} {templates.data && `(${templates.data.filter((tpl) => tpl.category === c).length})`}
            </Chip>
          ))}
        </Group>
      </Chip.Group>
      {templates.isPending ? (
        <CardsSkeleton count={3} height={220} />
      ) : templates.isError ? (
        <ErrorState error={templates.error} onRetry={() => void templates.refetch()} />
      ) : (
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} spacing="md">
          {shown.map((template) => (
            <TemplateCard key={template.id} template={template} onUse={can('okrs:write') ? () => setUsing(template) : null} />
          ))}
        </SimpleGrid>
      )}
      <Modal
        opened={using !== null}
        onClose={() => setUsing(null)}
        title={using ? t('okrs.templates.dialogTitle', { title: using.title[locale] }) : ''}
        size="lg"
        closeButtonProps={{ 'aria-label': t('common.close') }}
      >
        {using && <CreateFromTemplate template={using} onClose={() => setUsing(null)} />}
      </Modal>
    </Stack>
  );
}
