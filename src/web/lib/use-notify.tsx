import { notifications } from '@mantine/notifications';
import { IconAlertTriangle, IconCheck } from '@tabler/icons-react';
import { useCallback, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useErrorMessage } from './use-error-message';

export function useNotify() {
  const { t } = useTranslation();
  const errorMessage = useErrorMessage();

  const success = useCallback((message: string) => {
    notifications.show({ color: 'teal', icon: <IconCheck size={18} />, message, withBorder: true });
  }, []);

  const error = useCallback(
    (cause: unknown, title?: string) => {
      notifications.show({
        color: 'red',
        icon: <IconAlertTriangle size={18} />,
        title: title ?? t('common.somethingWentWrong'),
        message: errorMessage(cause),
        withBorder: true,
        autoClose: 8000,
      });
    },
    [t, errorMessage],
  );

  return useMemo(() => ({ success, error }), [success, error]);
}
