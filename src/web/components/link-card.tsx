import { Card, Group, Stack, Text, ThemeIcon, type MantineColor } from '@mantine/core';
import { IconChevronRight, type Icon } from '@tabler/icons-react';
import { Link } from 'react-router';
import classes from './link-card.module.css';

export interface LinkCardProps {
  to: string;
  icon: Icon;
  title: string;
  description: string;
  color?: MantineColor;
  external?: boolean;
}

export function LinkCard({ to, icon: IconComponent, title, description, color = 'brand', external = false }: LinkCardProps) {
  const content = (
      <Group wrap="nowrap" align="flex-start" gap="md">
        <ThemeIcon size={40} radius="md" variant="light" color={color} aria-hidden>
          <IconComponent size={22} stroke={1.6} />
        </ThemeIcon>
        <Stack gap={2} style={{ flex: 1, minWidth: 0 }}>
          <Text fw={600} size="sm">
            {title}
          </Text>
          <Text size="xs" c="dimmed" lh={1.45}>
            {description}
          </Text>
        </Stack>
        <IconChevronRight size={16} className={classes.chevron} aria-hidden />
      </Group>
  );
  return external ? (
    <Card component="a" href={to} target="_blank" rel="noreferrer" className={classes.card} padding="md">
      {content}
    </Card>
  ) : (
    <Card component={Link} to={to} className={classes.card} padding="md">
      {content}
    </Card>
  );
}
