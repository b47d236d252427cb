import {
  Avatar,
  Badge,
  Button,
  Card,
  Grid,
  Group,
  PasswordInput,
  SegmentedControl,
  Stack,
  Text,
  TextInput,
  Title,
  useMantineColorScheme,
  type MantineColorScheme,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconBuildingSkyscraper, IconUserCircle } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { isApiError } from '../../api/client';
import { useChangePassword, useSwitchTenant, useUpdateMe } from '../../api/queries';
import { LOCALES } from '../../api/types';
import { useSession } from '../../auth/session';
import { PageHeader } from '../../components/page-header';
import { RoleBadge } from '../../components/role-badge';
import { useChangeLocale } from '../../components/use-change-locale';
import { isLocale } from '../../i18n/setup';
import { applyFormErrors } from '../../lib/apply-form-errors';
import { initials } from '../../lib/initials';
import { useNotify } from '../../lib/use-notify';

const MIN_PASSWORD = 10;

function DetailsCard() {
  const { t } = useTranslation();
  const session = useSession();
  const notify = useNotify();
  const updateMe = useUpdateMe();
  const form = useForm({
    initialValues: { name: session.user.name },
    validate: { name: (value) => (value.trim() ? null : t('validation.required')) },
  });
  const submit = form.onSubmit((values) => {
    updateMe.mutate(
      { name: values.name.trim() },
      {
        onSuccess: ({ user }) => {
          notify.success(t('profile.saved'));
          form.setInitialValues({ name: user.name });
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
          <Group gap="md">
            <Avatar size={56} radius="xl" color="brand">
              {initials(session.user.name)}
            </Avatar>
            <div>
              <Title order={2} fz="lg">
                {session.user.name}
              </Title>
              <Group gap="xs" mt={4}>
                <Text size="sm" c="dimmed">
                  {session.user.email}
                </Text>
                <RoleBadge role={session.role} size="xs" />
              </Group>
            </div>
          </Group>
          <TextInput label={t('fields.name')} autoComplete="name" required {...form.getInputProps('name')} />
          <TextInput label={t('fields.email')} value={session.user.email} readOnly disabled description={t('profile.emailHelp')} />
          <Group justify="flex-end">
            <Button type="submit" loading={updateMe.isPending} disabled={!form.isDirty()}>
              {t('common.saveChanges')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}

function PreferencesCard() {
  const { t, i18n } = useTranslation();
  const { change, pending } = useChangeLocale();
  const { colorScheme, setColorScheme } = useMantineColorScheme();
  const language = i18n.resolvedLanguage ?? i18n.language;
  return (
    <Card>
      <Title order={2} fz="lg" mb="md">
        {t('profile.preferences')}
      </Title>
      <Stack gap="lg">
        <Stack gap={6}>
          <Text size="sm" fw={500} id="profile-language">
            {t('profile.language')}
          </Text>
          <SegmentedControl
            aria-labelledby="profile-language"
            value={language}
            disabled={pending}
            onChange={(value) => {
              if (isLocale(value)) void change(value);
            }}
            data={LOCALES.map((locale) => ({ value: locale, label: t(`language.${locale}`) }))}
            data-testid="profile-language"
          />
          <Text size="xs" c="dimmed">
            {t('profile.languageHelp')}
          </Text>
        </Stack>
        <Stack gap={6}>
          <Text size="sm" fw={500} id="profile-appearance">
            {t('profile.appearance')}
          </Text>
          <SegmentedControl
            aria-labelledby="profile-appearance"
            value={colorScheme}
            onChange={(value) => setColorScheme(value as MantineColorScheme)}
            data={[
              { value: 'light', label: t('profile.light') },
              { value: 'dark', label: t('profile.dark') },
              { value: 'auto', label: t('profile.auto') },
            ]}
          />
          <Text size="xs" c="dimmed">
            {t('profile.appearanceHelp')}
          </Text>
        </Stack>
      </Stack>
    </Card>
  );
}

function PasswordCard() {
  const { t } = useTranslation();
  const notify = useNotify();
  const changePassword = useChangePassword();
  const form = useForm({
    initialValues: { currentPassword: '', newPassword: '', confirm: '' },
    validate: {
      currentPassword: (value) => (value ? null : t('validation.required')),
      newPassword: (value) => (value.length >= MIN_PASSWORD ? null : t('validation.passwordLength', { count: MIN_PASSWORD })),
      confirm: (value, values) => (value === values.newPassword ? null : t('validation.passwordMismatch')),
    },
  });
  const submit = form.onSubmit((values) => {
    changePassword.mutate(
      { currentPassword: values.currentPassword, newPassword: values.newPassword },
      {
        onSuccess: () => {
          notify.success(t('profile.passwordChanged'));
          form.reset();
        },
        onError: (error) => {
          if (applyFormErrors(form, error)) return;
          if (isApiError(error) && error.code === 'invalid_credentials') {
            form.setFieldError('currentPassword', t('profile.wrongPassword'));
            return;
          }
          notify.error(error);
        },
      },
    );
  });
  return (
    <Card>
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          <div>
            <Title order={2} fz="lg">
              {t('profile.password')}
            </Title>
            <Text size="sm" c="dimmed" mt={4}>
              {t('profile.passwordText')}
            </Text>
          </div>
          <PasswordInput label={t('profile.currentPassword')} autoComplete="current-password" required {...form.getInputProps('currentPassword')} />
          <PasswordInput
            label={t('profile.newPassword')}
            description={t('validation.passwordLength', { count: MIN_PASSWORD })}
            autoComplete="new-password"
            required
            {...form.getInputProps('newPassword')}
          />
          <PasswordInput label={t('profile.confirmPassword')} autoComplete="new-password" required {...form.getInputProps('confirm')} />
          <Group justify="flex-end">
            <Button type="submit" loading={changePassword.isPending}>
              {t('profile.changePassword')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}

function WorkspacesCard() {
  const { t } = useTranslation();
  const session = useSession();
  const notify = useNotify();
  const navigate = useNavigate();
  const switchTenant = useSwitchTenant();
  return (
    <Card>
      <Title order={2} fz="lg" mb={4}>
        {t('profile.workspaces')}
      </Title>
      <Text size="sm" c="dimmed" mb="md">
        {t('profile.workspacesText')}
      </Text>
      <Stack gap="sm">
        {session.memberships.map((membership) => {
          const current = membership.tenantId === session.tenant.id;
          return (
            <Group key={membership.tenantId} justify="space-between" wrap="nowrap" gap="sm">
              <Group gap="sm" wrap="nowrap" style={{ minWidth: 0 }}>
                <IconBuildingSkyscraper size={18} stroke={1.6} color="var(--mantine-color-dimmed)" />
                <div style={{ minWidth: 0 }}>
                  <Text size="sm" fw={500} lineClamp={1}>
                    {membership.tenantName}
                  </Text>
                  <RoleBadge role={membership.role} size="xs" />
                </div>
              </Group>
              {current ? (
                <Badge variant="outline" color="teal">
                  {t('profile.current')}
                </Badge>
              ) : (
                <Button
                  size="xs"
                  variant="light"
                  loading={switchTenant.isPending && switchTenant.variables === membership.tenantId}
                  onClick={() =>
                    switchTenant.mutate(membership.tenantId, {
                      onSuccess: (next) => {
                        notify.success(t('header.switchedWorkspace', { name: next.tenant.name }));
                        void navigate('/');
                      },
                      onError: (error) => notify.error(error),
                    })
                  }
                >
                  {t('profile.switch')}
                </Button>
              )}
            </Group>
          );
        })}
      </Stack>
    </Card>
  );
}

export function ProfilePage() {
  const { t } = useTranslation();
  return (
    <>
      <PageHeader title={t('settingsNav.profile')} description={t('profile.description')} icon={<IconUserCircle size={24} stroke={1.6} />} />
      <Grid gap="xl">
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Stack gap="xl">
            <DetailsCard />
            <PasswordCard />
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Stack gap="xl">
            <PreferencesCard />
            <WorkspacesCard />
          </Stack>
        </Grid.Col>
      </Grid>
    </>
  );
}
