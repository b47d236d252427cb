import { ActionIcon, Code, CopyButton, Group, Paper, Tooltip } from '@mantine/core';
import { IconCheck, IconCopy } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';

/** A value shown once (a token, a link) with a copy button. */
export function SecretField({ value, label }: { value: string; label: string }) {
  const { t } = useTranslation();
  return (
    <Paper withBorder radius="md" p="xs" pl="sm" bg="var(--mantine-color-default-hover)">
      <Group gap="xs" wrap="nowrap" justify="space-between">
        <Code
          aria-label={label}
          data-testid="secret-value"
          style={{ wordBreak: 'break-all', background: 'transparent', fontSize: 'var(--mantine-font-size-sm)' }}
        >
          {value}
        </Code>
        <CopyButton value={value} timeout={2000}>
          {({ copied, copy }) => (
            <Tooltip label={copied ? t('common.copied') : t('common.copy')}>
              <ActionIcon
                variant={copied ? 'filled' : 'light'}
                color={copied ? 'teal' : 'brand'}
                size="lg"
                onClick={copy}
                aria-label={t('common.copy')}
              >
                {copied ? <IconCheck size={18} /> : <IconCopy size={18} />}
              </ActionIcon>
            </Tooltip>
          )}
        </CopyButton>
      </Group>
    </Paper>
  );
}
