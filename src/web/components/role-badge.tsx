import { Badge, type MantineColor } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Role } from '../auth/roles';

export const ROLE_COLORS: Record<Role, MantineColor> = {
  admin: 'red',
  finance: 'teal',
  manager: 'violet',
  rep: 'blue',
  partner: 'orange',
  viewer: 'gray',
};

export function RoleBadge({ role, size = 'sm' }: { role: Role; size?: 'xs' | 'sm' | 'md' | 'lg' }) {
  const { t } = useTranslation();
  return (
    <Badge color={ROLE_COLORS[role]} size={size}>
      {t(`roles.${role}.name`)}
    </Badge>
  );
}
