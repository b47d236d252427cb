import { Button } from '@mantine/core';
import { IconArrowLeft, IconLock, IconMapSearch } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { EmptyCard } from '../components/empty-card';

function BackButton() {
  const { t } = useTranslation();
  return (
    <Button component={Link} to="/" variant="light" leftSection={<IconArrowLeft size={16} />}>
      {t('notFound.back')}
    </Button>
  );
}

export function NotFoundPage() {
  const { t } = useTranslation();
  return (
    <EmptyCard order={1} icon={<IconMapSearch size={32} />} title={t('notFound.title')} description={t('notFound.text')} action={<BackButton />} />
  );
}

export function ForbiddenPage() {
  const { t } = useTranslation();
  return (
    <EmptyCard
      order={1}
      color="orange"
      icon={<IconLock size={32} />}
      title={t('forbidden.title')}
      description={t('forbidden.text')}
      action={<BackButton />}
    />
  );
}
