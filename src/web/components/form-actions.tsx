import { Button, Group } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

/** The footer of a modal form: Cancel, then the submit button (busy while the request runs). */
export function FormActions({ onCancel, submitLabel, loading, icon }: { onCancel: () => void; submitLabel: string; loading: boolean; icon?: ReactNode }) {
  const { t } = useTranslation();
  return (
    <Group justify="flex-end" mt="sm">
      <Button variant="default" onClick={onCancel}>
        {t('common.cancel')}
      </Button>
      <Button type="submit" loading={loading} leftSection={icon}>
        {submitLabel}
      </Button>
    </Group>
  );
}
