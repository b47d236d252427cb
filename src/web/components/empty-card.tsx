import { Card, EmptyState } from '@mantine/core';
import type { ReactNode } from 'react';

export function EmptyCard({ icon, title, description, action }: { icon: ReactNode; title: string; description: string; action?: ReactNode }) {
  return (
    <Card py={56} data-testid="empty-state">
      <EmptyState icon={icon} variant="light" title={title} description={description}>
        {action && <EmptyState.Actions>{action}</EmptyState.Actions>}
      </EmptyState>
    </Card>
  );
}
