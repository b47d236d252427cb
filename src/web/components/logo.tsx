import { Group, Text, ThemeIcon } from '@mantine/core';
import { IconTargetArrow } from '@tabler/icons-react';

export function Logo({ size = 'md' }: { size?: 'md' | 'lg' }) {
  const large = size === 'lg';
  return (
    <Group gap={large ? 'sm' : 8} wrap="nowrap" aria-label="Attain">
      <ThemeIcon
        size={large ? 44 : 32}
        radius={large ? 'lg' : 'md'}
        variant="gradient"
        gradient={{ from: 'brand.5', to: 'violet.5', deg: 135 }}
        aria-hidden
      >
        <IconTargetArrow size={large ? 26 : 20} stroke={2} />
      </ThemeIcon>
      <Text component="span" fw={750} fz={large ? 28 : 20} lts={-0.5}>
        Attain
      </Text>
    </Group>
  );
}
