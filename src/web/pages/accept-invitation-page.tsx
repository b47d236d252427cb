import { Alert, Button, Group, PasswordInput, Stack, Text, TextInput, ThemeIcon, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconAlertCircle, IconMailOpened } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useAcceptInvitation, useInvitationLookup } from '../api/queries';
import { PublicLayout } from '../components/public-layout';
import { RoleBadge } from '../components/role-badge';
import { CardsSkeleton } from '../components/query-state';
import { applyFormErrors } from '../lib/apply-form-errors';
import { useErrorMessage } from '../lib/use-error-message';

const MIN_PASSWORD = 10;

export function AcceptInvitationPage() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const accept = useAcceptInvitation();
  // Once accepted, the token is used up: looking it up again would only answer 410.
  const lookup = useInvitationLookup(token, { enabled: accept.isIdle || accept.isError });
  const navigate = useNavigate();
  const errorMessage = useErrorMessage();
  const isNewUser = lookup.data ? !lookup.data.userExists : false;

  const form = useForm({
    initialValues: { name: '', password: '', confirm: '' },
    validate: {
      name: (value) => (isNewUser && value.trim() === '' ? t('validation.required') : null),
      password: (value) =>
        isNewUser && value.length < MIN_PASSWORD
          ? t('validation.passwordLength', { count: MIN_PASSWORD })
          : value.length === 0
            ? t('validation.required')
            : null,
      confirm: (value, values) => (isNewUser && value !== values.password ? t('validation.passwordMismatch') : null),
    },
  });

  const submit = form.onSubmit((values) => {
    accept.mutate(
      { token, password: values.password, ...(isNewUser ? { name: values.name.trim() } : {}) },
      {
        onSuccess: () => void navigate('/', { replace: true }),
        onError: (error) => applyFormErrors(form, error),
      },
    );
  });

  let content;
  if (!token || lookup.isError) {
    content = (
      <Stack gap="lg">
        <Title order={1} fz={26}>
          {t('acceptInvitation.invalidTitle')}
        </Title>
        <Alert color="orange" variant="light" icon={<IconAlertCircle />} role="alert">
          {lookup.isError ? errorMessage(lookup.error) : t('errors.invitation_invalid')}
        </Alert>
        <Button component={Link} to="/sign-in" variant="light">
          {t('acceptInvitation.toSignIn')}
        </Button>
      </Stack>
    );
  } else if (lookup.isPending) {
    content = <CardsSkeleton count={3} height={48} />;
  } else {
    const invitation = lookup.data;
    content = (
      <form onSubmit={submit} noValidate>
        <Stack gap="lg">
          <Group gap="md" wrap="nowrap" align="flex-start">
            <ThemeIcon size={44} radius="lg" variant="light" aria-hidden>
              <IconMailOpened size={24} />
            </ThemeIcon>
            <div>
              <Title order={1} fz={24}>
                {t('acceptInvitation.title', { tenant: invitation.tenantName })}
              </Title>
              <Group gap={6} mt={6}>
                <Text size="sm" c="dimmed">
                  {t('acceptInvitation.as')}
                </Text>
                <RoleBadge role={invitation.role} />
              </Group>
            </div>
          </Group>
          <Text size="sm">
            {invitation.userExists
              ? t('acceptInvitation.existingUser', { email: invitation.email })
              : t('acceptInvitation.newUser', { email: invitation.email })}
          </Text>
          {accept.isError && (
            <Alert color="red" variant="light" icon={<IconAlertCircle />} role="alert">
              {errorMessage(accept.error)}
            </Alert>
          )}
          <TextInput label={t('signIn.email')} value={invitation.email} readOnly disabled />
          {isNewUser && (
            <TextInput label={t('acceptInvitation.name')} autoComplete="name" required {...form.getInputProps('name')} />
          )}
          <PasswordInput
            label={isNewUser ? t('acceptInvitation.newPassword') : t('signIn.password')}
            description={isNewUser ? t('validation.passwordLength', { count: MIN_PASSWORD }) : undefined}
            autoComplete={isNewUser ? 'new-password' : 'current-password'}
            required
            {...form.getInputProps('password')}
          />
          {isNewUser && (
            <PasswordInput
              label={t('acceptInvitation.confirmPassword')}
              autoComplete="new-password"
              required
              {...form.getInputProps('confirm')}
            />
          )}
          <Button type="submit" size="md" fullWidth loading={accept.isPending}>
            {t('acceptInvitation.submit')}
          </Button>
        </Stack>
      </form>
    );
  }

  return <PublicLayout>{content}</PublicLayout>;
}
