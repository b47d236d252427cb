import { AppShell, Badge, Box, Burger, Container, Group, NavLink, ScrollArea, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Outlet, useLocation } from 'react-router';
import { useHealth } from '../api/queries';
import { useCan, useSession } from '../auth/session';
import { MAIN_NAV, SETTINGS_NAV } from '../navigation';
import { ColorSchemeToggle } from './color-scheme-toggle';
import { LanguageMenu } from './language-menu';
import { Logo } from './logo';
import { UserMenu } from './user-menu';

function isActive(pathname: string, path: string): boolean {
  return path === '/' ? pathname === '/' : pathname === path || pathname.startsWith(`${path}/`);
}

export function AppLayout() {
  const { t } = useTranslation();
  const session = useSession();
  const can = useCan();
  const { pathname } = useLocation();
  const [opened, { toggle, close }] = useDisclosure(false);
  const health = useHealth();

  useEffect(close, [pathname, close]);

  const settings = SETTINGS_NAV.filter((item) => item.permission === null || can(item.permission));

  return (
    <AppShell
      header={{ height: 60 }}
      navbar={{ width: 260, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      padding={{ base: 'md', sm: 'xl' }}
    >
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label={t('nav.toggle')} />
            <Link to="/" style={{ color: 'inherit', textDecoration: 'none' }} aria-label={t('nav.overview')}>
              <Logo />
            </Link>
            <Badge variant="default" size="lg" radius="sm" visibleFrom="sm" fw={500} tt="none" ml="xs" data-testid="workspace-name">
              {session.tenant.name}
            </Badge>
          </Group>
          <Group gap="xs" wrap="nowrap">
            <LanguageMenu />
            <ColorSchemeToggle />
            <UserMenu />
          </Group>
        </Group>
      </AppShell.Header>

      <AppShell.Navbar p="sm" aria-label={t('nav.label')}>
        <AppShell.Section grow component={ScrollArea} type="scroll">
          <Box component="nav" aria-label={t('nav.main')}>
            {MAIN_NAV.filter((item) => !item.permission || session.permissions.includes(item.permission)).map((item) => (
              <NavLink
                key={item.id}
                component={Link}
                to={item.path}
                label={t(`nav.${item.id}`)}
                leftSection={<item.icon size={19} stroke={1.6} />}
                active={isActive(pathname, item.path)}
                variant="light"
                style={{ borderRadius: 'var(--mantine-radius-md)' }}
                mb={2}
              />
            ))}
          </Box>
          <Text size="xs" fw={700} c="dimmed" tt="uppercase" px="sm" mt="lg" mb={6} lts={0.5}>
            {t('nav.settings')}
          </Text>
          <Box component="nav" aria-label={t('nav.settings')} data-testid="settings-nav">
            {settings.map((item) => (
              <NavLink
                key={item.id}
                component={Link}
                to={item.path}
                label={t(`settingsNav.${item.id}`)}
                leftSection={<item.icon size={19} stroke={1.6} />}
                active={isActive(pathname, item.path)}
                variant="light"
                style={{ borderRadius: 'var(--mantine-radius-md)' }}
                mb={2}
              />
            ))}
          </Box>
        </AppShell.Section>
        <AppShell.Section pt="sm" style={{ borderTop: '1px solid var(--attain-subtle-border)' }}>
          <Text size="xs" c="dimmed" px="sm">
            {health.data
              ? t('nav.version', {
                  version: health.data.version,
                  storage: t(`nav.storage.${health.data.storage}`),
                })
              : 'Attain'}
          </Text>
        </AppShell.Section>
      </AppShell.Navbar>

      <AppShell.Main bg="var(--attain-page-bg)">
        <Container size="xl" px={0} pb="xl">
          <Outlet />
        </Container>
      </AppShell.Main>
    </AppShell>
  );
}
