import { Button, Card, EmptyState } from '@mantine/core';
import { IconArrowLeft, IconLock, IconMapSearch } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

export function NotFoundPage() {
  const { t } = useTranslation();
  return (
    <Card py={64}>
      <EmptyState
        icon={<IconMapSearch size={32} />}
        variant="light"
        title={t('notFound.title')}
        description={t('notFound.text')}
      >
        <EmptyState.Actions>
          <Button component={Link} to="/" leftSection={<IconArrowLeft size={16} />}>
            {t('notFound.back')}
          </Button>
        </EmptyState.Actions>
      </EmptyState>
    </Card>
  );
}

export function ForbiddenPage() {
  const { t } = useTranslation();
  return (
    <Card py={64}>
      <EmptyState icon={<IconLock size={32} />} variant="light" color="orange" title={t('forbidden.title')} description={t('forbidden.text')}>
        <EmptyState.Actions>
          <Button component={Link} to="/" variant="light" leftSection={<IconArrowLeft size={16} />}>
            {t('notFound.back')}
          </Button>
        </EmptyState.Actions>
      </EmptyState>
    </Card>
  );
}
