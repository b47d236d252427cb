import { Anchor, Card, Grid, Group, Progress, SimpleGrid, Skeleton, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { IconCheck, IconCircleCheckFilled, IconCircleDashed, IconChevronRight } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { availableActions, type ActionId } from '../actions';
import { useApiTokens, useInvitations, usePayees, useTeams, useUsers } from '../api/queries';
import { useCan, useSession } from '../auth/session';
import type { Permission } from '../auth/roles';
import { LinkCard } from '../components/link-card';
import { RoleBadge } from '../components/role-badge';
import { useFormat } from '../i18n/format';
import { AREA_IDS, MAIN_NAV } from '../navigation';
import { AREAS } from './areas/area-config';
import classes from './overview-page.module.css';

const QUICK_LINKS: readonly ActionId[] = [
  'inviteColleagues',
  'buildTeams',
  'viewTeams',
  'addPayees',
  'viewPayees',
  'createApiToken',
  'manageUsers',
  'workspaceSettings',
  'auditLog',
  'reviewRoles',
  'viewWorkspace',
  'profile',
];

const FOR_YOU_AREAS = ['okrs', 'quotas', 'compensation'] as const;

/** For everyone who does not run the workspace: what the coming areas will do for their role. */
function ForYouCard() {
  const { t } = useTranslation();
  const session = useSession();
  return (
    <Card>
      <Title order={2} fz="lg" mb="md">
        {t('areas.forYou', { role: t(`roles.${session.role}.name`) })}
      </Title>
      <Stack gap="md">
        {FOR_YOU_AREAS.map((area) => {
          const AreaIcon = AREAS[area].icon;
          return (
            <Anchor key={area} component={Link} to={`/${area}`} underline="never" c="inherit" className={classes.stepLink}>
              <Group gap="md" wrap="nowrap" align="flex-start" p="xs">
                <ThemeIcon size={36} radius="md" variant="light" color={AREAS[area].color} aria-hidden>
                  <AreaIcon size={20} stroke={1.6} />
                </ThemeIcon>
                <div style={{ flex: 1 }}>
                  <Text size="sm" fw={600}>
                    {t(`areas.${area}.title`)}
                  </Text>
                  <Text size="sm" c="dimmed" lh={1.5}>
                    {t(`areas.${area}.roles.${session.role}`)}
                  </Text>
                </div>
              </Group>
            </Anchor>
          );
        })}
      </Stack>
    </Card>
  );
}

function greetingKey(hour: number): 'morning' | 'afternoon' | 'evening' {
  if (hour < 12) return 'morning';
  if (hour < 18) return 'afternoon';
  return 'evening';
}

function WorkspaceCard() {
  const { t } = useTranslation();
  const session = useSession();
  const format = useFormat();
  const { tenant } = session;
  const rows: [string, string][] = [
    [t('overview.workspace.currency'), `${tenant.currency} · ${format.currencyName(tenant.currency)}`],
    [t('overview.workspace.fiscalYear'), t('overview.workspace.fiscalYearValue', { month: format.month(tenant.fiscalYearStartMonth) })],
    [t('overview.workspace.language'), t(`language.${tenant.locale}`)],
    [t('overview.workspace.address'), tenant.slug],
  ];
  return (
    <Card>
      <Text size="xs" tt="uppercase" fw={700} c="dimmed" lts={0.5}>
        {t('overview.workspace.title')}
      </Text>
      <Title order={2} fz="lg" mt={4} mb="md">
        {tenant.name}
      </Title>
      <Stack gap="sm">
        {rows.map(([label, value]) => (
          <Group key={label} justify="space-between" gap="md" wrap="nowrap">
            <Text size="sm" c="dimmed">
              {label}
            </Text>
            <Text size="sm" fw={500} ta="right">
              {value}
            </Text>
          </Group>
        ))}
      </Stack>
    </Card>
  );
}

/** What the signed-in role may do, from the session's permissions. */
function AccessCard() {
  const { t } = useTranslation();
  const session = useSession();
  const can = useCan();
  return (
    <Card>
      <Text size="xs" tt="uppercase" fw={700} c="dimmed" lts={0.5}>
        {t('overview.access.title')}
      </Text>
      <Group gap="xs" mt={4} mb="md">
        <Title order={2} fz="lg">
          {t(`roles.${session.role}.name`)}
        </Title>
      </Group>
      <Stack gap={8}>
        {session.permissions.map((permission) => (
          <Group key={permission} gap="xs" wrap="nowrap" align="flex-start">
            <IconCheck size={16} color="var(--mantine-color-teal-filled)" style={{ flexShrink: 0, marginTop: 2 }} aria-hidden />
            <Text size="sm">{t(`permissions.${permission}`)}</Text>
          </Group>
        ))}
      </Stack>
      {can('users:read') && (
        <Anchor component={Link} to="/settings/roles" size="sm" mt="md" display="inline-block">
          {t('overview.access.compare')}
        </Anchor>
      )}
    </Card>
  );
}

interface SetupStep {
  id: 'teams' | 'payees' | 'colleagues' | 'token';
  path: string;
  permission: Permission;
  done: boolean | undefined;
}

/** For whoever runs the workspace: how far the basics are set up, from live data. */
function SetupCard() {
  const { t } = useTranslation();
  const can = useCan();
  const teams = useTeams({ enabled: can('teams:manage') });
  // Only whether there are any: one row each, the totals say the rest.
  const payees = usePayees({ limit: 1 }, { enabled: can('payees:manage') });
  const users = useUsers({ limit: 1 }, { enabled: can('users:manage') });
  const invitations = useInvitations({ enabled: can('invitations:manage') });
  const tokens = useApiTokens({ enabled: can('tokens:manage') });

  const steps: SetupStep[] = [
    { id: 'teams', path: '/settings/teams', permission: 'teams:manage', done: teams.data ? teams.data.length > 1 : undefined },
    { id: 'payees', path: '/settings/payees', permission: 'payees:manage', done: payees.data ? payees.data.total > 0 : undefined },
    {
      id: 'colleagues',
      path: '/settings/invitations',
      permission: 'invitations:manage',
      done: invitations.data ? (users.data?.total ?? 0) > 1 || invitations.data.length > 0 : undefined,
    },
    { id: 'token', path: '/settings/api-tokens', permission: 'tokens:manage', done: tokens.data ? tokens.data.length > 0 : undefined },
  ];
  const visible = steps.filter((step) => can(step.permission));
  if (visible.length === 0) return null;
  const loading = visible.some((step) => step.done === undefined);
  const doneCount = visible.filter((step) => step.done).length;

  return (
    <Card>
      <Group justify="space-between" mb={4}>
        <Title order={2} fz="lg">
          {t('overview.setup.title')}
        </Title>
        {!loading && (
          <Text size="sm" c="dimmed">
            {t('overview.setup.progress', { done: doneCount, total: visible.length })}
          </Text>
        )}
      </Group>
      <Text size="sm" c="dimmed" mb="md">
        {doneCount === visible.length && !loading ? t('overview.setup.complete') : t('overview.setup.text')}
      </Text>
      {loading ? (
        <Skeleton height={8} radius="xl" mb="md" />
      ) : (
        <Progress value={(doneCount / visible.length) * 100} size="sm" radius="xl" mb="md" aria-label={t('overview.setup.title')} />
      )}
      <Stack gap={4}>
        {visible.map((step) => (
          <Anchor key={step.id} component={Link} to={step.path} underline="never" c="inherit" className={classes.stepLink}>
            <Group gap="sm" wrap="nowrap" p="xs">
            {step.done ? (
              <IconCircleCheckFilled size={20} color="var(--mantine-color-teal-filled)" aria-label={t('overview.setup.done')} />
            ) : (
              <IconCircleDashed size={20} color="var(--mantine-color-dimmed)" aria-label={t('overview.setup.open')} />
            )}
            <Text size="sm" style={{ flex: 1 }} {...(step.done ? { td: 'line-through', c: 'dimmed' } : {})}>
              {t(`overview.setup.steps.${step.id}`)}
            </Text>
            <IconChevronRight size={14} color="var(--mantine-color-dimmed)" aria-hidden />
            </Group>
          </Anchor>
        ))}
      </Stack>
    </Card>
  );
}

export function OverviewPage() {
  const { t } = useTranslation();
  const session = useSession();
  const can = useCan();
  const firstName = session.user.name.trim().split(/\s+/)[0] ?? session.user.name;
  const quickLinks = availableActions(QUICK_LINKS, can).slice(0, 6);
  const isSetupOwner = can('tenant:manage');

  return (
    <Stack gap="xl" data-testid="overview-page">
      <Card
        p="xl"
        style={{
          background:
            'linear-gradient(120deg, var(--mantine-color-brand-light) 0%, var(--attain-surface) 70%)',
        }}
      >
        <Group justify="space-between" align="center" gap="lg">
          <Stack gap={6}>
            <Title order={1}>{t(`overview.greeting.${greetingKey(new Date().getHours())}`, { name: firstName })}</Title>
            <Group gap="xs">
              <Text c="dimmed" size="sm">
                {t('overview.signedInAs', { workspace: session.tenant.name })}
              </Text>
              <RoleBadge role={session.role} />
            </Group>
            <Text size="sm" maw={640} mt={4}>
              {t(`roles.${session.role}.description`)}
            </Text>
          </Stack>
        </Group>
      </Card>

      <Grid gap="xl">
        <Grid.Col span={{ base: 12, md: 8 }}>
          <Stack gap="xl">
            <section aria-labelledby="quick-links">
              <Title order={2} fz="lg" mb="md" id="quick-links">
                {t('overview.quickLinks')}
              </Title>
              <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
                {quickLinks.map((action) => (
                  <LinkCard
                    key={action.id}
                    to={action.path}
                    icon={action.icon}
                    color={action.color}
                    title={t(`actions.${action.id}.title`)}
                    description={t(`actions.${action.id}.description`)}
                  />
                ))}
              </SimpleGrid>
            </section>
            {isSetupOwner ? <SetupCard /> : <ForYouCard />}
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 4 }}>
          <Stack gap="xl">
            <WorkspaceCard />
            <AccessCard />
          </Stack>
        </Grid.Col>
      </Grid>

      <section aria-labelledby="areas-heading">
        <Title order={2} fz="lg" mb={4} id="areas-heading">
          {t('overview.areasTitle')}
        </Title>
        <Text size="sm" c="dimmed" mb="md">
          {t('overview.areasText')}
        </Text>
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} spacing="md">
          {AREA_IDS.map((area) => {
            const nav = MAIN_NAV.find((item) => item.id === area);
            return (
              <LinkCard
                key={area}
                to={nav?.path ?? '/'}
                icon={AREAS[area].icon}
                color={AREAS[area].color}
                title={t(`areas.${area}.title`)}
                description={t(`areas.${area}.teaser`)}
              />
            );
          })}
        </SimpleGrid>
      </section>
    </Stack>
  );
}
