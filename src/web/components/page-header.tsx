import { Group, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import type { ReactNode } from 'react';

export interface PageHeaderProps {
  title: string;
  description?: ReactNode;
  icon?: ReactNode;
  actions?: ReactNode;
}

export function PageHeader({ title, description, icon, actions }: PageHeaderProps) {
  return (
    <Group justify="space-between" align="flex-start" gap="md" mb="xl" wrap="wrap">
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
