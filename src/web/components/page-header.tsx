import { Group, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import type { ReactNode } from 'react';

export interface PageHeaderProps {
  title: string;
  description?: ReactNode;
  icon?: ReactNode;
  actions?: ReactNode;
  /** Space below; 0 when the header sits in a Stack that spaces it already. */
  mb?: 'xl' | 0;
}

export function PageHeader({ title, description, icon, actions, mb = 'xl' }: PageHeaderProps) {
  return (
    <Group justify="space-between" align="flex-start" gap="md" mb={mb} wrap="wrap">
      <Group gap="md" align="flex-start" wrap="nowrap" style={{ flex: '1 1 320px', minWidth: 0 }}>
        {icon && (
          <ThemeIcon size={44} radius="lg" variant="light" aria-hidden>
            {icon}
          </ThemeIcon>
        )}
        <Stack gap={4} style={{ minWidth: 0 }}>
          <Title order={1}>{title}</Title>
          {description && (
            <Text c="dimmed" size="sm" maw={720}>
              {description}
            </Text>
          )}
        </Stack>
      </Group>
      {actions && <Group gap="sm">{actions}</Group>}
    </Group>
  );
}
