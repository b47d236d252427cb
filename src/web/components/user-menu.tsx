import { Avatar, Group, Menu, Stack, Text, UnstyledButton } from '@mantine/core';
import { IconBuildingSkyscraper, IconCheck, IconChevronDown, IconLogout, IconUserCircle } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useSignOut, useSwitchTenant } from '../api/queries';
import { useSession } from '../auth/session';
import { useNotify } from '../lib/use-notify';
import { initials } from '../lib/initials';
import { RoleBadge } from './role-badge';

export function UserMenu() {
  const { t } = useTranslation();
  const session = useSession();
  const navigate = useNavigate();
  const notify = useNotify();
  const signOut = useSignOut();
  const switchTenant = useSwitchTenant();

  const onSwitch = (tenantId: string) => {
    if (tenantId === session.tenant.id) return;
    switchTenant.mutate(tenantId, {
      onSuccess: (next) => {
        notify.success(t('header.switchedWorkspace', { name: next.tenant.name }));
        void navigate('/');
      },
      onError: (error) => notify.error(error),
    });
  };

  return (
    <Menu position="bottom-end" width={260} shadow="md">
      <Menu.Target>
        <UnstyledButton aria-label={t('header.userMenu')} data-testid="user-menu" style={{ borderRadius: 'var(--mantine-radius-md)' }} p={4}>
          <Group gap="xs" wrap="nowrap">
            <Avatar color="brand" radius="xl" size={34}>
              {initials(session.user.name)}
            </Avatar>
            <Stack gap={0} visibleFrom="md" style={{ lineHeight: 1.2 }}>
              <Text size="sm" fw={600} lineClamp={1}>
                {session.user.name}
              </Text>
              <Text size="xs" c="dimmed" lineClamp={1}>
                {t(`roles.${session.role}.name`)}
              </Text>
            </Stack>
            <IconChevronDown size={14} stroke={1.6} />
          </Group>
        </UnstyledButton>
      </Menu.Target>
      <Menu.Dropdown>
        <Stack gap={4} px="sm" py="xs">
          <Text size="sm" fw={600}>
            {session.user.name}
          </Text>
          <Text size="xs" c="dimmed">
            {session.user.email}
          </Text>
          <div>
            <RoleBadge role={session.role} size="xs" />
          </div>
        </Stack>
        <Menu.Divider />
        <Menu.Item leftSection={<IconUserCircle size={16} />} onClick={() => void navigate('/settings/profile')}>
          {t('settingsNav.profile')}
        </Menu.Item>
        {session.memberships.length > 1 && (
          <>
            <Menu.Divider />
            <Menu.Label>{t('header.switchWorkspace')}</Menu.Label>
            {session.memberships.map((membership) => (
              <Menu.Item
                key={membership.tenantId}
                leftSection={<IconBuildingSkyscraper size={16} />}
                rightSection={membership.tenantId === session.tenant.id ? <IconCheck size={14} /> : null}
                onClick={() => onSwitch(membership.tenantId)}
              >
                {membership.tenantName}
              </Menu.Item>
            ))}
          </>
        )}
        <Menu.Divider />
        <Menu.Item
          color="red"
          leftSection={<IconLogout size={16} />}
          data-testid="sign-out"
          onClick={() =>
            signOut.mutate(undefined, {
              onSettled: () => void navigate('/sign-in', { replace: true }),
            })
          }
        >
          {t('header.signOut')}
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
