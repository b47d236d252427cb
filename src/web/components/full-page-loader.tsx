import { Center, Loader, Stack } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Logo } from './logo';

export function FullPageLoader() {
  const { t } = useTranslation();
  return (
    <Center mih="100vh" aria-busy="true" aria-label={t('common.loading')}>
      <Stack align="center" gap="lg">
        <Logo size="lg" />
        <Loader type="dots" />
      </Stack>
    </Center>
  );
}
