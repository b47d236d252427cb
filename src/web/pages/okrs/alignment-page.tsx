import { ActionIcon, Anchor, Avatar, Badge, Box, Button, Card, Collapse, Group, Progress, SimpleGrid, Stack, Switch, Text, Tooltip } from '@mantine/core';
import { IconAlertTriangle, IconChevronDown, IconChevronRight, IconHierarchy3, IconLock, IconPlus, IconTemplate, IconTarget, IconUser } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useAlignment, type AlignedObjective, type AlignmentNode, type AlignmentPerson } from '../../api/okr-queries';
import { useLiveData } from '../../api/use-live-data';
import { useCan } from '../../auth/session';
import { EmptyCard } from '../../components/empty-card';
import { PageHeader } from '../../components/page-header';
import { CardsSkeleton, ErrorState } from '../../components/query-state';
import { initials } from '../../lib/initials';
import { NewObjectiveButton } from './objective-form';
import { BAND_COLOR, CycleSelect, OkrTabs, PaceBadge, ScoreBadge, Stat, StatusBadge, useScoreText, useCycleParam } from './okr-ui';

function ObjectiveLine({ objective }: { objective: AlignedObjective }) {
  const { t } = useTranslation();
  return (
    <Group gap="sm" wrap="nowrap" py={6} px="sm" data-testid="alignment-objective" style={{ borderRadius: 'var(--mantine-radius-sm)' }} className="okr-hover-row">
      <ScoreBadge score={objective.score} band={objective.band} />
      <Box style={{ flex: 1, minWidth: 0 }}>
        <Group gap={6} wrap="nowrap">
          <Anchor component={Link} to={`/okrs/objectives/${objective.id}`} fw={500} size="sm" lineClamp={2}>
            {objective.title}
          </Anchor>
          {objective.visibility === 'private' && (
            <Tooltip label={t('okrs.visibility.private')}>
              <IconLock size={14} aria-label={t('okrs.visibility.private')} />
            </Tooltip>
          )}
        </Group>
        <Text size="xs" c="dimmed">
          {t(`okrs.commitment.${objective.commitment}`)} · {t('okrs.alignment.keyResults', { count: objective.keyResultCount })}
          {objective.atRiskKeyResults > 0 && objective.status === 'active' && ` · ${t('okrs.alignment.atRiskKeyResults', { count: objective.atRiskKeyResults })}`}
        </Text>
      </Box>
      {objective.status !== 'active' && <StatusBadge status={objective.status} size="xs" />}
      {(objective.status === 'active' || objective.status === 'closed') && <PaceBadge status={objective.paceStatus} size="xs" />}
    </Group>
  );
}

function PersonBlock({ person }: { person: AlignmentPerson }) {
  return (
    <Box pl={{ base: 0, sm: 'sm' }} data-testid="alignment-person">
      <Group gap="xs" mb={2} mt={4}>
        <Avatar size={24} radius="xl" color="initials" name={person.name}>
          {initials(person.name)}
        </Avatar>
        <Text size="sm" fw={600}>
          {person.name}
        </Text>
      </Group>
      <Box pl={{ base: 0, sm: 32 }}>
        {person.objectives.map((objective) => (
          <ObjectiveLine key={objective.id} objective={objective} />
        ))}
      </Box>
    </Box>
  );
}

function hasContent(node: AlignmentNode): boolean {
  return node.objectives.length > 0 || node.people.some((p) => p.objectives.length > 0) || node.children.some(hasContent);
}

/**
 * A unit's figures over its whole subtree, counted like the page's summary: the average and
 * the at-risk count read approved objectives only (a draft has no score to speak of yet).
 */
function subtreeStats(node: AlignmentNode): { count: number; scored: number; average: number; atRisk: number } {
  const all = collect([node], []);
  const scored = all.filter((o) => o.status === 'active' || o.status === 'closed');
  return {
    count: all.length,
    scored: scored.length,
    average: scored.length > 0 ? scored.reduce((sum, o) => sum + o.score, 0) / scored.length : 0,
    atRisk: scored.filter((o) => o.status === 'active' && o.paceStatus === 'at_risk').length,
  };
}

function TeamNode({ node, depth, hideEmpty }: { node: AlignmentNode; depth: number; hideEmpty: boolean }) {
  const { t } = useTranslation();
  const scoreText = useScoreText();
  const [open, setOpen] = useState(depth < 3);
  const children = hideEmpty ? node.children.filter(hasContent) : node.children;
  const people = node.people.filter((p) => !hideEmpty || p.objectives.length > 0);
  const empty = node.objectives.length === 0 && people.length === 0 && children.length === 0;
  const stats = subtreeStats(node);
  const average = stats.average;
  const band = average >= 0.65 ? 'green' : average >= 0.35 ? 'yellow' : 'red';
  return (
    <Box
      data-testid={`alignment-team-${node.team.kind}`}
      style={depth > 0 ? { borderLeft: '2px solid var(--mantine-color-default-border)' } : undefined}
      ml={depth > 0 ? { base: 4, sm: 12 } : 0}
      pl={depth > 0 ? { base: 6, sm: 16 } : 0}
      mt={depth > 0 ? 'sm' : 0}
    >
      <Group gap="sm" wrap="nowrap" justify="space-between">
        <Group gap="xs" wrap="nowrap" style={{ minWidth: 0 }}>
          <ActionIcon variant="subtle" color="gray" onClick={() => setOpen((v) => !v)} aria-label={open ? t('okrs.alignment.collapse', { name: node.team.name }) : t('okrs.alignment.expand', { name: node.team.name })} aria-expanded={open} disabled={empty}>
            {open ? <IconChevronDown size={16} /> : <IconChevronRight size={16} />}
          </ActionIcon>
          <Text fw={700} fz={depth === 0 ? 'lg' : 'md'} lineClamp={1}>
            {node.team.name}
          </Text>
          <Badge variant="default" size="xs" visibleFrom="sm">
            {t(`teams.kind.${node.team.kind}`)}
          </Badge>
        </Group>
        {stats.count > 0 && (
          <Group gap="sm" wrap="nowrap">
            {stats.atRisk > 0 && (
              <Badge color="red" variant="light" size="sm" leftSection={<IconAlertTriangle size={12} />} visibleFrom="sm">
                {t('okrs.alignment.atRisk', { count: stats.atRisk })}
              </Badge>
            )}
            <Text size="xs" c="dimmed" visibleFrom="sm">
              {t('okrs.alignment.objectives', { count: stats.count })}
            </Text>
            {stats.scored > 0 && (
              <Tooltip label={t('okrs.alignment.average')}>
                <Group gap={6} wrap="nowrap">
                  <Progress value={average * 100} color={BAND_COLOR[band]} w={64} size="sm" aria-hidden visibleFrom="xs" />
                  <Text size="sm" fw={700} c={BAND_COLOR[band]} style={{ fontVariantNumeric: 'tabular-nums' }}>
                    {scoreText(average)}
                  </Text>
                </Group>
              </Tooltip>
            )}
          </Group>
        )}
      </Group>
      <Collapse expanded={open}>
        <Box pl={{ base: 0, sm: 34 }}>
          {node.objectives.map((objective) => (
            <ObjectiveLine key={objective.id} objective={objective} />
          ))}
        </Box>
        <Box pl={{ base: 0, sm: 22 }}>
          {people.map((person) => (
            <PersonBlock key={person.userId} person={person} />
          ))}
        </Box>
        {children.map((child) => (
          <TeamNode key={child.team.id} node={child} depth={depth + 1} hideEmpty={hideEmpty} />
        ))}
      </Collapse>
    </Box>
  );
}

function collect(nodes: AlignmentNode[], unassigned: AlignmentPerson[]): AlignedObjective[] {
  const out: AlignedObjective[] = unassigned.flatMap((p) => p.objectives);
  const walk = (node: AlignmentNode) => {
    out.push(...node.objectives, ...node.people.flatMap((p) => p.objectives));
    node.children.forEach(walk);
  };
  nodes.forEach(walk);
  return out;
}

/** Company → teams → people: every objective of the cycle with its score, pace and owner. */
export function AlignmentPage() {
  const { t } = useTranslation();
  const scoreText = useScoreText();
  const can = useCan();
  const { items, cycleId, cycle, setCycle, currentCycleId, cycles } = useCycleParam();
  const alignment = useAlignment(cycleId);
  const [hideEmpty, setHideEmpty] = useState(true);
  useLiveData();

  const all = alignment.data ? collect(alignment.data.roots, alignment.data.unassigned) : [];
  const scored = all.filter((o) => o.status === 'active' || o.status === 'closed');
  const average = scored.length > 0 ? scored.reduce((sum, o) => sum + o.score, 0) / scored.length : 0;
  const todayMs = Date.now();
  const elapsed = cycle ? Math.max(0, Math.min(1, (todayMs - Date.parse(`${cycle.start}T00:00:00Z`)) / (Date.parse(`${cycle.end}T00:00:00Z`) - Date.parse(`${cycle.start}T00:00:00Z`)))) : 0;
  const unassigned = (alignment.data?.unassigned ?? []).filter((p) => p.objectives.length > 0);

  return (
    <Stack gap={0}>
      <PageHeader
        title={t('okrs.title')}
        description={t('okrs.alignment.description')}
        icon={<IconTarget size={24} stroke={1.6} />}
        actions={
          <>
            <CycleSelect items={items} value={cycleId} onChange={setCycle} currentCycleId={currentCycleId} />
            {can('okrs:write') && (
              <>
                <Button component={Link} to="/okrs/templates" variant="default" leftSection={<IconTemplate size={16} />}>
                  {t('okrs.templates.fromTemplate')}
                </Button>
                <NewObjectiveButton cycleId={cycleId} leftSection={<IconPlus size={16} />} />
              </>
            )}
          </>
        }
        mb={0}
      />
      <OkrTabs />
      {cycles.isError ? (
        <ErrorState error={cycles.error} onRetry={() => void cycles.refetch()} />
      ) : cycles.isSuccess && items.length === 0 ? (
        <EmptyCard icon={<IconHierarchy3 />} title={t('okrs.cycle.noneTitle')} description={can('okrs:admin') ? t('okrs.cycle.noneAdmin') : t('okrs.cycle.noneText')} action={can('okrs:admin') ? <Button component={Link} to="/okrs/cycles">{t('okrs.cycles.open')}</Button> : undefined} />
      ) : alignment.isPending ? (
        <CardsSkeleton count={3} height={140} />
      ) : alignment.isError ? (
        <ErrorState error={alignment.error} onRetry={() => void alignment.refetch()} />
      ) : (
        <Stack gap="lg">
          <Card>
            <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="lg">
              <Stat label={t('okrs.alignment.statObjectives')} value={all.length} />
              <Stat label={t('okrs.alignment.statAverage')} value={scored.length > 0 ? scoreText(average) : '—'} />
              <Stat label={t('okrs.alignment.statAtRisk')} value={all.filter((o) => o.status === 'active' && o.paceStatus === 'at_risk').length} color="red" />
              <div>
                <Stat label={t('okrs.alignment.statElapsed')} value={`${Math.round(elapsed * 100)} %`} />
                <Progress value={elapsed * 100} size="xs" mt={6} aria-hidden />
              </div>
            </SimpleGrid>
          </Card>
          <Group justify="space-between">
            <Text size="sm" c="dimmed">
              {t('okrs.alignment.legend')}
            </Text>
            <Switch checked={hideEmpty} onChange={(e) => setHideEmpty(e.currentTarget.checked)} label={t('okrs.alignment.hideEmpty')} size="sm" />
          </Group>
          {all.length === 0 ? (
            <EmptyCard
              icon={<IconTarget />}
              title={t('okrs.alignment.emptyTitle', { cycle: cycle?.key ?? '' })}
              description={t('okrs.alignment.emptyText')}
              action={can('okrs:write') ? <Button component={Link} to="/okrs/templates" leftSection={<IconTemplate size={16} />}>{t('okrs.templates.browse')}</Button> : undefined}
            />
          ) : (
            <Card data-testid="alignment-tree">
              <Stack gap="md">
                {alignment.data.roots.map((root) => (
                  <TeamNode key={root.team.id} node={root} depth={0} hideEmpty={hideEmpty} />
                ))}
              </Stack>
            </Card>
          )}
          {unassigned.length > 0 && (
            <Card>
              <Group gap="xs" mb="xs">
                <IconUser size={18} />
                <Text fw={700}>{t('okrs.alignment.unassigned')}</Text>
              </Group>
              <Text size="xs" c="dimmed" mb="xs">
                {t('okrs.alignment.unassignedText')}
              </Text>
              {unassigned.map((person) => (
                <PersonBlock key={person.userId} person={person} />
              ))}
            </Card>
          )}
        </Stack>
      )}
    </Stack>
  );
}
