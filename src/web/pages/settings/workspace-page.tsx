import { Alert, Button, Card, Grid, Group, Select, Skeleton, Stack, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconBuildingSkyscraper, IconInfoCircle } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { useHealth, useTenant, useUpdateTenant } from '../../api/queries';
import { LOCALES, type Locale, type Tenant } from '../../api/types';
import { useCan } from '../../auth/session';
import { PageHeader } from '../../components/page-header';
import { ErrorState } from '../../components/query-state';
import { useFormat } from '../../i18n/format';
import { isLocale } from '../../i18n/setup';
import { applyFormErrors } from '../../lib/apply-form-errors';
import { currencyOptions } from '../../lib/currencies';
import { useNotify } from '../../lib/use-notify';

function WorkspaceForm({ tenant, canManage }: { tenant: Tenant; canManage: boolean }) {
  const { t } = useTranslation();
  const format = useFormat();
  const notify = useNotify();
  const update = useUpdateTenant();
  const form = useForm({
    initialValues: {
      name: tenant.name,
      currency: tenant.currency,
      locale: tenant.locale as Locale,
      fiscalYearStartMonth: String(tenant.fiscalYearStartMonth),
    },
    validate: { name: (value) => (value.trim() ? null : t('validation.required')) },
  });
  const months = Array.from({ length: 12 }, (_, i) => ({ value: String(i + 1), label: format.month(i + 1) }));

  const submit = form.onSubmit((values) => {
    update.mutate(
      {
        name: values.name.trim(),
        currency: values.currency,
        locale: values.locale,
        fiscalYearStartMonth: Number(values.fiscalYearStartMonth),
      },
      {
        onSuccess: (next) => {
          notify.success(t('workspace.saved'));
          form.setInitialValues({
            name: next.name,
            currency: next.currency,
            locale: next.locale,
            fiscalYearStartMonth: String(next.fiscalYearStartMonth),
          });
          form.reset();
        },
        onError: (error) => {
          if (!applyFormErrors(form, error)) notify.error(error);
        },
      },
    );
  });

  return (
    <Card>
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          <Title order={2} fz="lg">
            {t('workspace.general')}
          </Title>
          {!canManage && (
            <Alert variant="light" color="gray" icon={<IconInfoCircle />}>
              {t('workspace.readOnly')}
            </Alert>
          )}
          <TextInput label={t('workspace.name')} required readOnly={!canManage} {...form.getInputProps('name')} />
          <Select
            label={t('fields.currency')}
            description={t('workspace.currencyHelp')}
            data={currencyOptions([tenant.currency], format.currencyName)}
            searchable
            allowDeselect={false}
            readOnly={!canManage}
            {...form.getInputProps('currency')}
          />
          <Select
            label={t('workspace.locale')}
            description={t('workspace.localeHelp')}
            data={LOCALES.map((locale) => ({ value: locale, label: t(`language.${locale}`) }))}
            allowDeselect={false}
            readOnly={!canManage}
            value={form.getValues().locale}
            onChange={(value) => {
              if (isLocale(value)) form.setFieldValue('locale', value);
            }}
          />
          <Select
            label={t('workspace.fiscalYearStart')}
            description={t('workspace.fiscalYearHelp')}
            data={months}
            allowDeselect={false}
            readOnly={!canManage}
            {...form.getInputProps('fiscalYearStartMonth')}
          />
          {canManage && (
            <Group justify="flex-end">
              <Button variant="default" onClick={form.reset} disabled={!form.isDirty()}>
                {t('common.discard')}
              </Button>
              <Button type="submit" loading={update.isPending} disabled={!form.isDirty()}>
                {t('common.saveChanges')}
              </Button>
            </Group>
          )}
        </Stack>
      </form>
    </Card>
  );
}

export function WorkspacePage() {
  const { t } = useTranslation();
  const can = useCan();
  const tenant = useTenant();
  const health = useHealth();

  const details: [string, string][] = tenant.data
    ? [
        [t('workspace.slug'), tenant.data.slug],
        [t('workspace.id'), tenant.data.id],
      ]
    : [];
  const system: [string, string][] = health.data
    ? [
        [t('workspace.version'), health.data.version],
        [t('workspace.storage'), t(`nav.storage.${health.data.storage}`)],
        [t('workspace.schema'), String(health.data.schemaVersion)],
      ]
    : [];

  return (
    <>
      <PageHeader
        title={t('settingsNav.workspace')}
        description={t('workspace.description')}
        icon={<IconBuildingSkyscraper size={24} stroke={1.6} />}
      />
      <Grid gap="xl">
        <Grid.Col span={{ base: 12, md: 8 }}>
          {tenant.isPending ? (
            <Skeleton height={420} radius="lg" />
          ) : tenant.isError ? (
            <ErrorState error={tenant.error} onRetry={() => void tenant.refetch()} />
          ) : (
            <WorkspaceForm key={tenant.data.id} tenant={tenant.data} canManage={can('tenant:manage')} />
          )}
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 4 }}>
          <Stack gap="md">
            {[
              { title: t('workspace.identity'), rows: details },
              { title: t('workspace.system'), rows: system },
            ].map((section) => (
              <Card key={section.title}>
                <Title order={2} fz="md" mb="md">
                  {section.title}
                </Title>
                {section.rows.length === 0 ? (
                  <Stack gap="xs">
                    <Skeleton height={14} />
                    <Skeleton height={14} />
                  </Stack>
                ) : (
                  <Stack gap="sm">
                    {section.rows.map(([label, value]) => (
                      <Group key={label} justify="space-between" wrap="nowrap" gap="md">
                        <Text size="sm" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
                          {label}
                        </Text>
                        <Text size="sm" fw={500} ff="monospace" ta="right" style={{ wordBreak: 'break-all' }}>
                          {value}
                        </Text>
                      </Group>
                    ))}
                  </Stack>
                )}
              </Card>
            ))}
          </Stack>
        </Grid.Col>
      </Grid>
    </>
  );
}
