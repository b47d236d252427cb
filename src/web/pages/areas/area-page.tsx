import { Alert, Anchor, Badge, Card, Grid, Group, SimpleGrid, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { IconInfoCircle, IconRoute } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { availableActions } from '../../actions';
import { useCan, useSession } from '../../auth/session';
import { LinkCard } from '../../components/link-card';
import { PageHeader } from '../../components/page-header';
import { MAIN_NAV, type AreaId } from '../../navigation';
import { AREAS } from './area-config';

/** The overview of an area that later releases fill: what it does for this role, and what to do today. */
export function AreaPage({ area }: { area: AreaId }) {
  const { t } = useTranslation();
  const session = useSession();
  const can = useCan();
  const config = AREAS[area];
  const AreaIcon = config.icon;
  const actions = availableActions(config.actions, can);
  // Whether this role can prepare anything for the area, or only look around until it opens.
  const canPrepare = actions.some((action) => action.requires?.endsWith(':manage') ?? false);

  return (
    <Stack gap="xl" data-testid={`area-${area}`}>
      <PageHeader
        title={t(`areas.${area}.title`)}
        description={t(`areas.${area}.summary`)}
        icon={<AreaIcon size={24} stroke={1.6} />}
        mb={0}
      />

      <Card p="xl" style={{ borderLeft: `4px solid var(--mantine-color-${config.color}-filled)` }}>
        <Group justify="space-between" align="flex-start" gap="md" mb="sm">
          <Title order={2} fz="lg">
            {t('areas.forYou', { role: t(`roles.${session.role}.name`) })}
          </Title>
          <Badge color={config.color} variant="light" leftSection={<IconRoute size={12} />}>
            {t('areas.status')}
          </Badge>
        </Group>
        <Text size="sm" lh={1.6}>
          {t(`areas.${area}.roles.${session.role}`)}
        </Text>
      </Card>

      <section aria-labelledby={`${area}-how`}>
        <Title order={2} fz="lg" mb="md" id={`${area}-how`}>
          {t('areas.howItWorks')}
        </Title>
        <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="md">
          {config.features.map((feature) => (
            <Card key={feature.key}>
              <ThemeIcon size={40} radius="md" variant="light" color={config.color} mb="md" aria-hidden>
                <feature.icon size={22} stroke={1.6} />
              </ThemeIcon>
              <Text fw={600} mb={6}>
                {t(`areas.${area}.features.${feature.key}.title`)}
              </Text>
              <Text size="sm" c="dimmed" lh={1.55}>
                {t(`areas.${area}.features.${feature.key}.text`)}
              </Text>
            </Card>
          ))}
        </SimpleGrid>
      </section>

      <Grid gap="xl">
        <Grid.Col span={{ base: 12, md: 8 }}>
          <section aria-labelledby={`${area}-now`}>
            <Title order={2} fz="lg" mb={4} id={`${area}-now`}>
              {t('areas.whatYouCanDoNow')}
            </Title>
            {canPrepare ? (
              <Text size="sm" c="dimmed" mb="md">
                {t(`areas.${area}.now`)}
              </Text>
            ) : (
              <Alert variant="light" color="gray" icon={<IconInfoCircle />} mb="md">
                {t('areas.askAdmin')}
              </Alert>
            )}
            <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
              {actions.map((action) => (
                <LinkCard
                  key={action.id}
                  to={action.path}
                  icon={action.icon}
                  color={action.color}
                  external={action.external ?? false}
                  title={t(`actions.${action.id}.title`)}
                  description={t(`actions.${action.id}.description`)}
                />
              ))}
            </SimpleGrid>
          </section>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 4 }}>
          <Card h="100%">
            <Title order={2} fz="md" mb="xs">
              {t('areas.connected')}
            </Title>
            <Text size="sm" c="dimmed" mb="md">
              {t('areas.connectedText')}
            </Text>
            <Stack gap="xs">
              {config.related.map((related) => {
                const nav = MAIN_NAV.find((item) => item.id === related);
                const RelatedIcon = AREAS[related].icon;
                return (
                  <Anchor key={related} component={Link} to={nav?.path ?? '/'} underline="never" c="inherit">
                    <Group gap="sm" wrap="nowrap">
                    <ThemeIcon size={28} radius="md" variant="light" color={AREAS[related].color} aria-hidden>
                      <RelatedIcon size={16} />
                    </ThemeIcon>
                    <Text size="sm" fw={500}>
                      {t(`nav.${related}`)}
                    </Text>
                    </Group>
                  </Anchor>
                );
              })}
            </Stack>
          </Card>
        </Grid.Col>
      </Grid>
    </Stack>
  );
}
