import { Alert, Button, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconAlertCircle, IconAt, IconLock } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { useSessionQuery, useSignIn } from '../api/queries';
import { FullPageLoader } from '../components/full-page-loader';
import { PublicLayout } from '../components/public-layout';
import { useErrorMessage } from '../lib/use-error-message';

/** Only same-app paths, so `?next=` cannot send the user to another site. */
function safeNext(value: string | null): string {
  return value && value.startsWith('/') && !value.startsWith('//') ? value : '/';
}

export function SignInPage() {
  const { t } = useTranslation();
  const session = useSessionQuery();
  const signIn = useSignIn();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const errorMessage = useErrorMessage();
  const next = safeNext(params.get('next'));

  const form = useForm({
    initialValues: { email: '', password: '' },
    validate: {
      email: (value) => (/^\S+@\S+\.\S+$/.test(value.trim()) ? null : t('validation.email')),
      password: (value) => (value.length > 0 ? null : t('validation.required')),
    },
  });

  if (session.isPending) return <FullPageLoader />;
  if (session.data && !signIn.isPending) return <Navigate to={next} replace />;

  const submit = form.onSubmit((values) => {
    signIn.mutate(
      { email: values.email.trim(), password: values.password },
      { onSuccess: () => void navigate(next, { replace: true }) },
    );
  });

  return (
    <PublicLayout>
      <form onSubmit={submit} noValidate>
        <Stack gap="lg">
          <div>
            <Title order={1} fz={26}>
              {t('signIn.title')}
            </Title>
            <Text c="dimmed" size="sm" mt={6}>
              {t('signIn.subtitle')}
            </Text>
          </div>
          {signIn.isError && (
            <Alert color="red" variant="light" icon={<IconAlertCircle />} role="alert" data-testid="sign-in-error">
              {errorMessage(signIn.error)}
            </Alert>
          )}
          <TextInput
            label={t('signIn.email')}
            placeholder={t('signIn.emailPlaceholder')}
            type="email"
            autoComplete="username"
            leftSection={<IconAt size={16} />}
            required
            data-autofocus
            autoFocus
            {...form.getInputProps('email')}
          />
          <PasswordInput
            label={t('signIn.password')}
            autoComplete="current-password"
            leftSection={<IconLock size={16} />}
            required
            {...form.getInputProps('password')}
          />
          <Button type="submit" size="md" fullWidth loading={signIn.isPending}>
            {t('signIn.submit')}
          </Button>
          <Text size="xs" c="dimmed" ta="center">
            {t('signIn.help')}
          </Text>
        </Stack>
      </form>
    </PublicLayout>
  );
}
