import {
  ActionIcon,
  Avatar,
  Badge,
  Box,
  Button,
  Card,
  Group,
  Menu,
  Modal,
  SegmentedControl,
  Select,
  Stack,
  Text,
  TextInput,
  ThemeIcon,
  Tooltip,
  UnstyledButton,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import {
  IconBuildingSkyscraper,
  IconChevronDown,
  IconChevronRight,
  IconDots,
  IconHierarchy2,
  IconMap2,
  IconPencil,
  IconPlus,
  IconTrash,
  IconUsersGroup,
  type Icon,
} from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCreateTeam, useDeleteTeam, useTeams, useUpdateTeam } from '../../api/queries';
import { TEAM_KINDS, type Team, type TeamKind } from '../../api/types';
import { useCan } from '../../auth/session';
import { useConfirm } from '../../components/confirm-provider';
import { EmptyCard } from '../../components/empty-card';
import { PageHeader } from '../../components/page-header';
import { ErrorState, TableSkeleton } from '../../components/query-state';
import { UserSelect } from '../../components/user-select';
import { applyFormErrors } from '../../lib/apply-form-errors';
import { initials } from '../../lib/initials';
import { useNotify } from '../../lib/use-notify';
import { buildTeamTree, childKind, descendantIds, type TeamNode } from './team-tree';
import classes from './teams-page.module.css';
import { FormActions } from '../../components/form-actions.js';

const KIND_ICONS: Record<TeamKind, Icon> = { company: IconBuildingSkyscraper, region: IconMap2, team: IconUsersGroup };
const KIND_COLORS: Record<TeamKind, string> = { company: 'brand', region: 'grape', team: 'teal' };

type Editing = { mode: 'create'; parent: Team | null } | { mode: 'edit'; team: Team };

/** Check-in cadences offered, in days: weekly, every two weeks, every four weeks. */
const CADENCES = [7, 14, 28];

function TeamModal({ editing, teams, onClose }: { editing: Editing; teams: Team[]; onClose: () => void }) {
  const { t } = useTranslation();
  const can = useCan();
  const notify = useNotify();
  const createTeam = useCreateTeam();
  const updateTeam = useUpdateTeam();
  const existing = editing.mode === 'edit' ? editing.team : null;
  const form = useForm({
    initialValues: {
      name: existing?.name ?? '',
      kind: existing?.kind ?? (editing.mode === 'create' && editing.parent ? childKind(editing.parent.kind) : teams.length === 0 ? 'company' : 'team'),
      parentId: existing ? existing.parentId : editing.mode === 'create' ? (editing.parent?.id ?? null) : null,
      managerUserId: existing?.managerUserId ?? null,
      checkinCadenceDays: existing?.checkinCadenceDays ?? null,
    } as { name: string; kind: TeamKind; parentId: string | null; managerUserId: string | null; checkinCadenceDays: number | null },
    validate: { name: (value) => (value.trim() ? null : t('validation.required')) },
  });
  const excluded = existing ? descendantIds(teams, existing.id) : new Set<string>();
  const parentOptions = teams
    .filter((team) => !excluded.has(team.id))
    .map((team) => ({ value: team.id, label: `${team.name} · ${t(`teams.kind.${team.kind}`)}` }));
  const pending = createTeam.isPending || updateTeam.isPending;

  const submit = form.onSubmit((values) => {
    const input = { ...values, name: values.name.trim() };
    const options = {
      onSuccess: () => {
        notify.success(t(existing ? 'teams.updated' : 'teams.created', { name: input.name }));
        onClose();
      },
      onError: (error: unknown) => {
        if (!applyFormErrors(form, error)) notify.error(error);
      },
    };
    if (existing) updateTeam.mutate({ id: existing.id, ...input }, options);
    else createTeam.mutate(input, options);
  });

  return (
    <Modal opened onClose={onClose} title={existing ? t('teams.editTitle') : t('teams.createTitle')} size="md">
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          <TextInput label={t('fields.name')} placeholder={t('teams.namePlaceholder')} required data-autofocus {...form.getInputProps('name')} />
          <Stack gap={4}>
            <Text size="sm" fw={500} id="team-kind-label">
              {t('teams.kindLabel')}
            </Text>
            <SegmentedControl
              fullWidth
              aria-labelledby="team-kind-label"
              data={TEAM_KINDS.map((kind) => ({ value: kind, label: t(`teams.kind.${kind}`) }))}
              {...form.getInputProps('kind')}
            />
            <Text size="xs" c="dimmed">
              {t(`teams.kindHelp.${form.getValues().kind}`)}
            </Text>
          </Stack>
          <Select
            label={t('teams.parent')}
            placeholder={t('teams.noParent')}
            data={parentOptions}
            clearable
            searchable
            nothingFoundMessage={t('common.noMatches')}
            {...form.getInputProps('parentId')}
          />
          {can('users:read') && (
            <UserSelect
              label={t('teams.manager')}
              placeholder={t('teams.noManager')}
              value={form.getValues().managerUserId}
              onChange={(userId) => form.setFieldValue('managerUserId', userId)}
              selectedName={existing?.managerName ?? null}
              isActiveOnly
              error={form.errors.managerUserId}
            />
          )}
          <Select
            label={t('teams.cadence')}
            description={t('teams.cadenceHelp')}
            data={[
              { value: 'inherit', label: t('teams.cadenceInherit') },
              ...CADENCES.map((days) => ({ value: String(days), label: t('teams.cadenceEvery', { count: days / 7 }) })),
              ...(form.getValues().checkinCadenceDays !== null && !CADENCES.includes(form.getValues().checkinCadenceDays ?? 0)
                ? [{ value: String(form.getValues().checkinCadenceDays), label: t('teams.cadenceDays', { count: form.getValues().checkinCadenceDays ?? 0 }) }]
                : []),
            ]}
            allowDeselect={false}
            value={form.getValues().checkinCadenceDays === null ? 'inherit' : String(form.getValues().checkinCadenceDays)}
            onChange={(value) => form.setFieldValue('checkinCadenceDays', !value || value === 'inherit' ? null : Number(value))}
            error={form.errors.checkinCadenceDays}
            data-testid="team-cadence"
          />
          <FormActions onCancel={onClose} submitLabel={existing ? t('common.save') : t('teams.create')} loading={pending} />
        </Stack>
      </form>
    </Modal>
  );
}

interface TreeProps {
  nodes: TeamNode[];
  depth: number;
  canManage: boolean;
  collapsed: Set<string>;
  onToggle: (id: string) => void;
  onAdd: (parent: Team) => void;
  onEdit: (team: Team) => void;
  onDelete: (team: Team) => void;
}

function TeamTree(props: TreeProps) {
  const { t } = useTranslation();
  const { nodes, depth, canManage, collapsed, onToggle } = props;
  return (
    <ul className={depth === 0 ? `${classes.list} ${classes.root}` : classes.list} aria-label={depth === 0 ? t('teams.treeLabel') : undefined}>
      {nodes.map(({ team, children }) => {
        const KindIcon = KIND_ICONS[team.kind];
        const isCollapsed = collapsed.has(team.id);
        return (
          <li key={team.id}>
            <Group className={classes.row} gap="sm" wrap="nowrap" style={{ paddingLeft: `calc(${depth} * 28px + var(--mantine-spacing-md))` }} data-testid="team-row">
              <Box w={24}>
                {children.length > 0 && (
                  <UnstyledButton
                    onClick={() => onToggle(team.id)}
                    aria-expanded={!isCollapsed}
                    aria-label={isCollapsed ? t('teams.expand', { name: team.name }) : t('teams.collapse', { name: team.name })}
                    className={classes.toggle}
                  >
                    {isCollapsed ? <IconChevronRight size={16} /> : <IconChevronDown size={16} />}
                  </UnstyledButton>
                )}
              </Box>
              <ThemeIcon size={34} radius="md" variant="light" color={KIND_COLORS[team.kind]} aria-hidden>
                <KindIcon size={18} stroke={1.6} />
              </ThemeIcon>
              <Box style={{ flex: 1, minWidth: 0 }}>
                <Text size="sm" fw={600} lineClamp={1}>
                  {team.name}
                </Text>
                <Text size="xs" c="dimmed">
                  {t(`teams.kind.${team.kind}`)}
                  {children.length > 0 && ` · ${t('teams.units', { count: children.length })}`}
                </Text>
              </Box>
              <Group gap="xs" wrap="nowrap" visibleFrom="sm" w={220}>
                {team.managerName ? (
                  <>
                    <Avatar size={26} radius="xl" color="brand">
                      {initials(team.managerName)}
                    </Avatar>
                    <Text size="sm" lineClamp={1}>
                      {team.managerName}
                    </Text>
                  </>
                ) : (
                  <Text size="sm" c="dimmed">
                    {t('teams.noManager')}
                  </Text>
                )}
              </Group>
              <Tooltip label={t('teams.payeesTooltip')}>
                <Badge variant="light" color="gray" leftSection={<IconUsersGroup size={12} />} w={64}>
                  {team.payeeCount}
                </Badge>
              </Tooltip>
              <Box w={34}>
                {canManage && (
                  <Menu position="bottom-end" shadow="md" width={220}>
                    <Menu.Target>
                      <ActionIcon aria-label={t('teams.actionsFor', { name: team.name })}>
                        <IconDots size={18} />
                      </ActionIcon>
                    </Menu.Target>
                    <Menu.Dropdown>
                      {team.kind !== 'team' && (
                        <Menu.Item leftSection={<IconPlus size={16} />} onClick={() => props.onAdd(team)}>
                          {t('teams.addChild', { kind: t(`teams.kind.${childKind(team.kind)}`) })}
                        </Menu.Item>
                      )}
                      <Menu.Item leftSection={<IconPencil size={16} />} onClick={() => props.onEdit(team)}>
                        {t('common.edit')}
                      </Menu.Item>
                      <Menu.Divider />
                      <Menu.Item color="red" leftSection={<IconTrash size={16} />} onClick={() => props.onDelete(team)}>
                        {t('common.delete')}
                      </Menu.Item>
                    </Menu.Dropdown>
                  </Menu>
                )}
              </Box>
            </Group>
            {children.length > 0 && !isCollapsed && <TeamTree {...props} nodes={children} depth={depth + 1} />}
          </li>
        );
      })}
    </ul>
  );
}

export function TeamsPage() {
  const { t } = useTranslation();
  const can = useCan();
  const notify = useNotify();
  const confirm = useConfirm();
  const teams = useTeams();
  const deleteTeam = useDeleteTeam();
  const [editing, setEditing] = useState<Editing | null>(null);
  const [collapsed, setCollapsed] = useState<Set<string>>(new Set());
  const canManage = can('teams:manage');

  const toggle = (id: string) =>
    setCollapsed((current) => {
      const next = new Set(current);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  const remove = (team: Team) =>
    confirm({
      title: t('teams.deleteTitle'),
      message: t('teams.deleteText', { name: team.name }),
      confirmLabel: t('common.delete'),
      onConfirm: () =>
        deleteTeam.mutateAsync(team.id).then(
          () => notify.success(t('teams.deleted', { name: team.name })),
          (error: unknown) => {
            notify.error(error, t('teams.deleteFailed'));
            throw error;
          },
        ),
    });

  const list = teams.data ?? [];
  const tree = buildTeamTree(list);

  return (
    <>
      <PageHeader
        title={t('settingsNav.teams')}
        description={t('teams.description')}
        icon={<IconHierarchy2 size={24} stroke={1.6} />}
        actions={
          canManage && (
            <Button leftSection={<IconPlus size={16} />} onClick={() => setEditing({ mode: 'create', parent: null })} data-testid="create-team">
              {t('teams.create')}
            </Button>
          )
        }
      />
      {teams.isPending ? (
        <TableSkeleton rows={6} columns={3} />
      ) : teams.isError ? (
        <ErrorState error={teams.error} onRetry={() => void teams.refetch()} />
      ) : list.length === 0 ? (
        <EmptyCard
          icon={<IconHierarchy2 size={28} />}
          title={t('teams.emptyTitle')}
          description={t('teams.emptyText')}
          action={
            canManage && (
              <Button leftSection={<IconPlus size={16} />} onClick={() => setEditing({ mode: 'create', parent: null })}>
                {t('teams.createCompany')}
              </Button>
            )
          }
        />
      ) : (
        <Card p={0} style={{ overflow: 'hidden' }}>
          <Group className={classes.header} gap="sm" wrap="nowrap" px="md">
            <Text size="xs" fw={700} c="dimmed" tt="uppercase" style={{ flex: 1 }} pl={58}>
              {t('teams.unit')}
            </Text>
            <Text size="xs" fw={700} c="dimmed" tt="uppercase" w={220} visibleFrom="sm">
              {t('teams.manager')}
            </Text>
            <Text size="xs" fw={700} c="dimmed" tt="uppercase" w={64} ta="center">
              {t('teams.payees')}
            </Text>
            <Box w={34} />
          </Group>
          <TeamTree
            nodes={tree}
            depth={0}
            canManage={canManage}
            collapsed={collapsed}
            onToggle={toggle}
            onAdd={(parent) => setEditing({ mode: 'create', parent })}
            onEdit={(team) => setEditing({ mode: 'edit', team })}
            onDelete={remove}
          />
        </Card>
      )}
      {editing && <TeamModal editing={editing} teams={list} onClose={() => setEditing(null)} />}
    </>
  );
}
