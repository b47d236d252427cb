import { Alert, Button, Card, Group, Skeleton, Stack } from '@mantine/core';
import { IconAlertTriangle, IconRefresh } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { useErrorMessage } from '../lib/use-error-message';

export function ErrorState({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useTranslation();
  const message = useErrorMessage();
  return (
    <Alert color="red" variant="light" icon={<IconAlertTriangle />} title={t('common.loadFailed')} role="alert">
      <Stack gap="sm" align="flex-start">
        <span>{message(error)}</span>
        {onRetry && (
          <Button size="xs" variant="white" color="red" leftSection={<IconRefresh size={14} />} onClick={onRetry}>
            {t('common.retry')}
          </Button>
        )}
      </Stack>
    </Alert>
  );
}

export function TableSkeleton({ rows = 5, columns = 4 }: { rows?: number; columns?: number }) {
  const { t } = useTranslation();
  return (
    <Card p="lg" aria-busy="true" aria-label={t('common.loading')}>
      <Stack gap="md">
        <Group gap="md" wrap="nowrap">
          {Array.from({ length: columns }, (_, i) => (
            <Skeleton key={i} height={12} radius="sm" style={{ flex: i === 0 ? 2 : 1 }} />
          ))}
        </Group>
        {Array.from({ length: rows }, (_, row) => (
          <Group key={row} gap="md" wrap="nowrap">
            <Skeleton height={32} circle />
            {Array.from({ length: columns }, (_, i) => (
              <Skeleton key={i} height={14} radius="sm" style={{ flex: i === 0 ? 2 : 1 }} />
            ))}
          </Group>
        ))}
      </Stack>
    </Card>
  );
}

export function CardsSkeleton({ count = 3, height = 120 }: { count?: number; height?: number }) {
  return (
    <Stack gap="md" aria-busy="true">
      {Array.from({ length: count }, (_, i) => (
        <Skeleton key={i} height={height} radius="lg" />
      ))}
    </Stack>
  );
}
