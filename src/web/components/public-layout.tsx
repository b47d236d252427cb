import { Box, Group, List, Paper, SimpleGrid, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { IconChartArrowsVertical, IconCoins, IconTarget } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ColorSchemeToggle } from './color-scheme-toggle';
import { LanguageSwitch } from './language-menu';
import { Logo } from './logo';

/** Two-pane layout of the public pages (sign-in, accept invitation): product story left, form right. */
export function PublicLayout({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <SimpleGrid cols={{ base: 1, md: 2 }} spacing={0} mih="100vh">
      <Box
        visibleFrom="md"
        p={48}
        style={{
          background:
            'linear-gradient(145deg, var(--mantine-color-brand-8) 0%, var(--mantine-color-brand-6) 55%, var(--mantine-color-violet-6) 100%)',
          color: 'var(--mantine-color-white)',
          display: 'flex',
          flexDirection: 'column',
          justifyContent: 'space-between',
        }}
      >
        <Group gap="sm">
          <ThemeIcon size={40} radius="md" color="white" variant="white" aria-hidden>
            <IconTarget size={24} color="var(--mantine-color-brand-7)" />
          </ThemeIcon>
          <Text fw={750} fz={26} lts={-0.5}>
            Attain
          </Text>
        </Group>
        <Stack gap="xl" maw={480}>
          <Title order={2} fz={34} lh={1.2} c="white">
            {t('signIn.heroTitle')}
          </Title>
          <Text fz="lg" opacity={0.9}>
            {t('signIn.heroText')}
          </Text>
          <List spacing="md" center>
            <List.Item
              icon={
                <ThemeIcon size={32} radius="xl" variant="white" color="brand" aria-hidden>
                  <IconTarget size={18} />
                </ThemeIcon>
              }
            >
              {t('signIn.heroPoint1')}
            </List.Item>
            <List.Item
              icon={
                <ThemeIcon size={32} radius="xl" variant="white" color="brand" aria-hidden>
                  <IconChartArrowsVertical size={18} />
                </ThemeIcon>
              }
            >
              {t('signIn.heroPoint2')}
            </List.Item>
            <List.Item
              icon={
                <ThemeIcon size={32} radius="xl" variant="white" color="brand" aria-hidden>
                  <IconCoins size={18} />
                </ThemeIcon>
              }
            >
              {t('signIn.heroPoint3')}
            </List.Item>
          </List>
        </Stack>
        <Text size="sm" opacity={0.75}>
          {t('signIn.heroFooter')}
        </Text>
      </Box>
      <Box bg="var(--attain-page-bg)" style={{ display: 'flex', flexDirection: 'column' }}>
        <Group justify="space-between" p="lg">
          <Box hiddenFrom="md">
            <Logo />
          </Box>
          <Box visibleFrom="md" />
          <Group gap="xs">
            <LanguageSwitch />
            <ColorSchemeToggle />
          </Group>
        </Group>
        <Box component="main" style={{ flex: 1, display: 'flex', alignItems: 'center', justifyContent: 'center' }} p="lg">
          <Paper withBorder shadow="sm" p={{ base: 'lg', sm: 40 }} radius="lg" w="100%" maw={440}>
            {children}
          </Paper>
        </Box>
      </Box>
    </SimpleGrid>
  );
}
