import { Card, EmptyState } from '@mantine/core';
import type { ReactNode } from 'react';

/** The empty state of a list or page; `order` makes the title a real heading. */
export function EmptyCard({
  icon,
  title,
  description,
  action,
  order = 2,
  color,
}: {
  icon: ReactNode;
  title: string;
  description: string;
  action?: ReactNode;
  order?: 1 | 2 | 3;
  color?: string;
}) {
  return (
    <Card py={56} data-testid="empty-state">
      <EmptyState icon={icon} variant="light" {...(color ? { color } : {})}>
        <EmptyState.Title order={order}>{title}</EmptyState.Title>
        <EmptyState.Description>{description}</EmptyState.Description>
        {action && <EmptyState.Actions>{action}</EmptyState.Actions>}
      </EmptyState>
    </Card>
  );
}
