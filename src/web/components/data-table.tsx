import { Card, Table, type TableProps } from '@mantine/core';
import type { ReactNode } from 'react';

/** A table in a card with a horizontal scroll on narrow screens: the one table look of the app. */
export function DataTable({ children, minWidth = 720, ...props }: TableProps & { children: ReactNode; minWidth?: number }) {
  return (
    <Card p={0} style={{ overflow: 'hidden' }}>
      <Table.ScrollContainer minWidth={minWidth} type="native">
        <Table highlightOnHover {...props}>
          {children}
        </Table>
      </Table.ScrollContainer>
    </Card>
  );
}
