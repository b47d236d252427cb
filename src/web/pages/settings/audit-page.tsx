import {
  ActionIcon,
  Badge,
  Box,
  Button,
  Card,
  Code,
  Group,
  Select,
  SimpleGrid,
  Stack,
  Switch,
  Table,
  Text,
  Tooltip,
  VisuallyHidden,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconChevronDown, IconChevronRight, IconFilterOff, IconHistory, IconKey, IconRobot, IconUser } from '@tabler/icons-react';
import { Fragment, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAuditLog } from '../../api/queries';
import type { AuditEntry } from '../../api/types';
import { DataTable } from '../../components/data-table';
import { EmptyCard } from '../../components/empty-card';
import { PageHeader } from '../../components/page-header';
import { ErrorState, TableSkeleton } from '../../components/query-state';
import { useFormat } from '../../i18n/format';
import { diffSnapshots, formatValue } from './audit-diff';
import classes from './audit-page.module.css';

const KNOWN_ENTITY_TYPES = ['tenant', 'user', 'invitation', 'team', 'payee', 'api_token'];
const KNOWN_ACTIONS = [
  'tenant.updated',
  'user.created',
  'user.profile_updated',
  'user.password_changed',
  'member.added',
  'member.updated',
  'member.removed',
  'invitation.created',
  'invitation.accepted',
  'invitation.revoked',
  'team.created',
  'team.updated',
  'team.deleted',
  'payee.created',
  'payee.updated',
  'payee.deleted',
  'api_token.created',
  'api_token.revoked',
];

/** Translated labels for the server's audit codes; an unknown code is shown as it is. */
function useAuditLabels() {
  const { t, i18n } = useTranslation();
  const label = (prefix: 'audit.entityTypes' | 'audit.actions', code: string) => {
    const key = `${prefix}.${code.replaceAll('.', '_')}`;
    return i18n.exists(key) ? t(key as 'audit.entityTypes.user') : code;
  };
  return {
    entityType: (code: string) => label('audit.entityTypes', code),
    action: (code: string) => label('audit.actions', code),
  };
}

function actionColor(action: string): string {
  if (/(delete|remove|revoke|disable)/i.test(action)) return 'red';
  if (/(create|add|invite|accept)/i.test(action)) return 'teal';
  if (/(sign|login|password)/i.test(action)) return 'grape';
  return 'blue';
}

function DiffView({ entry }: { entry: AuditEntry }) {
  const { t } = useTranslation();
  const [showAll, setShowAll] = useState(false);
  const rows = diffSnapshots(entry.before, entry.after);
  const changed = rows.filter((row) => row.changed);
  // A created or deleted object has one side only: show its values, not an empty column.
  const single = entry.before === null ? 'after' : entry.after === null ? 'before' : null;
  const visible = showAll || single ? rows : changed;

  return (
    <Box p="md" className={classes.diff}>
      <Group justify="space-between" mb="sm">
        <Text size="sm" fw={600}>
          {entry.before === null ? t('audit.created') : entry.after === null ? t('audit.deleted') : t('audit.changes', { count: changed.length })}
        </Text>
        {!single && rows.length > changed.length && (
          <Switch size="xs" label={t('audit.showUnchanged')} checked={showAll} onChange={(event) => setShowAll(event.currentTarget.checked)} />
        )}
      </Group>
      {visible.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('audit.noDetails')}
        </Text>
      ) : (
        <div className={classes.grid} role="table" aria-label={t('audit.diffLabel')} data-single={single ?? undefined}>
          <div role="row" className={classes.headRow}>
            <Text role="columnheader" size="xs" fw={700} c="dimmed" tt="uppercase">
              {t('audit.field')}
            </Text>
            {single !== 'after' && (
              <Text role="columnheader" size="xs" fw={700} c="dimmed" tt="uppercase">
                {t('audit.before')}
              </Text>
            )}
            {single !== 'before' && (
              <Text role="columnheader" size="xs" fw={700} c="dimmed" tt="uppercase">
                {t('audit.after')}
              </Text>
            )}
          </div>
          {visible.map((row) => (
            <div role="row" key={row.key || 'value'} className={classes.row} data-changed={(!single && row.changed) || undefined}>
              <Code role="cell" className={classes.key}>
                {row.key || t('audit.value')}
              </Code>
              {single !== 'after' && (
                <pre role="cell" className={classes.before}>
                  {formatValue(row.before)}
                </pre>
              )}
              {single !== 'before' && (
                <pre role="cell" className={classes.after}>
                  {formatValue(row.after)}
                </pre>
              )}
            </div>
          ))}
        </div>
      )}
      <Text size="xs" c="dimmed" mt="sm" ff="monospace">
        {t('audit.entity')}: {entry.entityType} · {entry.entityId}
      </Text>
    </Box>
  );
}

/** A readable name for the changed object, taken from its snapshot when it has one. */
function entityLabel(entry: AuditEntry): string | null {
  const snapshot = entry.after ?? entry.before;
  if (typeof snapshot !== 'object' || snapshot === null) return null;
  const record = snapshot as Record<string, unknown>;
  for (const key of ['name', 'displayName', 'email']) {
    const value = record[key];
    if (typeof value === 'string' && value) return value;
  }
  return null;
}

function Actor({ entry }: { entry: AuditEntry }) {
  const { t } = useTranslation();
  const { actor } = entry;
  const icon = actor.tokenId ? <IconKey size={14} /> : actor.userId ? <IconUser size={14} /> : <IconRobot size={14} />;
  const name = actor.name ?? (actor.tokenId ? t('audit.apiToken') : t('audit.system'));
  return (
    <Group gap={6} wrap="nowrap">
      <Box c="dimmed" style={{ display: 'flex' }} aria-hidden>
        {icon}
      </Box>
      <Text size="sm" lineClamp={1}>
        {name}
      </Text>
    </Group>
  );
}

export function AuditPage() {
  const { t } = useTranslation();
  const format = useFormat();
  const [entityType, setEntityType] = useState('');
  const [action, setAction] = useState('');
  const [filters] = useDebouncedValue({ entityType: entityType.trim(), action: action.trim() }, 300);
  const audit = useAuditLog(filters);
  const [expanded, setExpanded] = useState<Set<string>>(new Set());

  const entries = audit.data?.pages.flatMap((page) => page.items) ?? [];
  const entityOptions = [...new Set([...KNOWN_ENTITY_TYPES, ...entries.map((entry) => entry.entityType)])].sort();
  const actionOptions = [...new Set([...KNOWN_ACTIONS, ...entries.map((entry) => entry.action)])].filter(
    // Membership changes are recorded on the user.
    (code) => !entityType || code.startsWith(`${entityType}.`) || (entityType === 'user' && code.startsWith('member.')),
  );
  const labels = useAuditLabels();
  const filtered = filters.entityType !== '' || filters.action !== '';

  const toggle = (id: string) =>
    setExpanded((current) => {
      const next = new Set(current);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  return (
    <>
      <PageHeader title={t('settingsNav.audit')} description={t('audit.description')} icon={<IconHistory size={24} stroke={1.6} />} />
      <Stack gap="md">
        <Card p="md">
          <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="md" style={{ alignItems: 'end' }}>
            <Select
              label={t('audit.entityType')}
              placeholder={t('audit.anyEntity')}
              data={entityOptions.map((code) => ({ value: code, label: labels.entityType(code) }))}
              value={entityType || null}
              onChange={(value) => setEntityType(value ?? '')}
              clearable
              searchable
            />
            <Select
              label={t('audit.action')}
              placeholder={t('audit.anyAction')}
              data={actionOptions.map((code) => ({ value: code, label: labels.action(code) }))}
              value={action || null}
              onChange={(value) => setAction(value ?? '')}
              clearable
              searchable
            />
            <Group justify="flex-end">
              <Button
                variant="subtle"
                color="gray"
                leftSection={<IconFilterOff size={16} />}
                disabled={!filtered}
                onClick={() => {
                  setEntityType('');
                  setAction('');
                }}
              >
                {t('audit.clearFilters')}
              </Button>
            </Group>
          </SimpleGrid>
        </Card>
        {audit.isPending ? (
          <TableSkeleton rows={8} />
        ) : audit.isError ? (
          <ErrorState error={audit.error} onRetry={() => void audit.refetch()} />
        ) : entries.length === 0 ? (
          <EmptyCard
            icon={<IconHistory size={28} />}
            title={filtered ? t('common.noMatches') : t('audit.emptyTitle')}
            description={filtered ? t('common.noMatchesText') : t('audit.emptyText')}
          />
        ) : (
          <>
            <DataTable minWidth={760}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th w={44}>
                    <VisuallyHidden>{t('audit.details')}</VisuallyHidden>
                  </Table.Th>
                  <Table.Th>{t('audit.when')}</Table.Th>
                  <Table.Th>{t('audit.actor')}</Table.Th>
                  <Table.Th>{t('audit.action')}</Table.Th>
                  <Table.Th>{t('audit.entityType')}</Table.Th>
                  <Table.Th>{t('audit.entityId')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {entries.map((entry) => {
                  const open = expanded.has(entry.id);
                  return (
                    <Fragment key={entry.id}>
                      <Table.Tr onClick={() => toggle(entry.id)} style={{ cursor: 'pointer' }} data-testid="audit-row">
                        <Table.Td>
                          <ActionIcon
                            size="sm"
                            aria-expanded={open}
                            aria-label={open ? t('audit.hideDetails') : t('audit.showDetails')}
                            onClick={(event) => {
                              event.stopPropagation();
                              toggle(entry.id);
                            }}
                          >
                            {open ? <IconChevronDown size={16} /> : <IconChevronRight size={16} />}
                          </ActionIcon>
                        </Table.Td>
                        <Table.Td>
                          <Tooltip label={format.relative(entry.at)}>
                            <Text size="sm" component="time" dateTime={entry.at} style={{ whiteSpace: 'nowrap' }}>
                              {format.dateTime(entry.at)}
                            </Text>
                          </Tooltip>
                        </Table.Td>
                        <Table.Td>
                          <Actor entry={entry} />
                        </Table.Td>
                        <Table.Td>
                          <Tooltip label={entry.action} ff="monospace">
                            <Badge color={actionColor(entry.action)} tt="none" fw={500}>
                              {labels.action(entry.action)}
                            </Badge>
                          </Tooltip>
                        </Table.Td>
                        <Table.Td>
                          <Text size="sm">{labels.entityType(entry.entityType)}</Text>
                        </Table.Td>
                        <Table.Td>
                          {entityLabel(entry) && (
                            <Text size="sm" lineClamp={1} maw={260}>
                              {entityLabel(entry)}
                            </Text>
                          )}
                          <Text size="xs" ff="monospace" c="dimmed" lineClamp={1} maw={260}>
                            {entry.entityId}
                          </Text>
                        </Table.Td>
                      </Table.Tr>
                      {open && (
                        <Table.Tr>
                          <Table.Td colSpan={6} p={0}>
                            <DiffView entry={entry} />
                          </Table.Td>
                        </Table.Tr>
                      )}
                    </Fragment>
                  );
                })}
              </Table.Tbody>
            </DataTable>
            <Group justify="center">
              {audit.hasNextPage ? (
                <Button variant="default" onClick={() => void audit.fetchNextPage()} loading={audit.isFetchingNextPage}>
                  {t('audit.loadMore')}
                </Button>
              ) : (
                <Text size="sm" c="dimmed">
                  {t('audit.end', { count: entries.length })}
                </Text>
              )}
            </Group>
          </>
        )}
      </Stack>
    </>
  );
}
