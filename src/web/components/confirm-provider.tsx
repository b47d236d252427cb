import { Button, Group, Modal, Stack, Text, ThemeIcon } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

export interface ConfirmOptions {
  title: string;
  message: ReactNode;
  confirmLabel: string;
  /** Runs while the dialog shows a spinner; the dialog closes when it resolves and stays open if it throws. */
  onConfirm: () => Promise<unknown>;
  danger?: boolean;
}

type Confirm = (options: ConfirmOptions) => void;

const ConfirmContext = createContext<Confirm | null>(null);

export function ConfirmProvider({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const [options, setOptions] = useState<ConfirmOptions | null>(null);
  const [opened, setOpened] = useState(false);
  const [busy, setBusy] = useState(false);

  const confirm = useCallback<Confirm>((next) => {
    setOptions(next);
    setOpened(true);
  }, []);

  const close = () => {
    if (!busy) setOpened(false);
  };

  const run = async () => {
    if (!options) return;
    setBusy(true);
    try {
      await options.onConfirm();
      setOpened(false);
    } catch {
      // the caller reports the error; keep the dialog so the user can retry or cancel
    } finally {
      setBusy(false);
    }
  };

  const danger = options?.danger ?? true;
  const value = useMemo(() => confirm, [confirm]);

  return (
    <ConfirmContext.Provider value={value}>
      {children}
      <Modal
        opened={opened}
        onClose={close}
        title={options?.title}
        centered
        size="md"
        closeButtonProps={{ 'aria-label': t('common.close') }}
      >
        <Stack gap="lg">
          <Group align="flex-start" wrap="nowrap" gap="md">
            {danger && (
              <ThemeIcon color="red" variant="light" size={40} radius="xl" aria-hidden>
                <IconAlertTriangle size={22} />
              </ThemeIcon>
            )}
            <Text size="sm" style={{ flex: 1 }}>
              {options?.message}
            </Text>
          </Group>
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={close} disabled={busy}>
              {t('common.cancel')}
            </Button>
            <Button {...(danger ? { color: 'red' } : {})} onClick={() => void run()} loading={busy} data-autofocus>
              {options?.confirmLabel}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </ConfirmContext.Provider>
  );
}

export function useConfirm(): Confirm {
  const confirm = useContext(ConfirmContext);
  if (!confirm) throw new Error('useConfirm must be used inside ConfirmProvider');
  return confirm;
}
