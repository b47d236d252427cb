import { Badge, Card, Group, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { IconCheck, IconMinus, IconShieldLock } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useUsers } from '../../api/queries';
import { PERMISSIONS, ROLE_PERMISSIONS, ROLES } from '../../auth/roles';
import { useCan } from '../../auth/session';
import { DataTable } from '../../components/data-table';
import { PageHeader } from '../../components/page-header';
import { ROLE_COLORS, RoleBadge } from '../../components/role-badge';

const ROLE_COUNT_LIMIT = 1000;

export function RolesPage() {
  const { t } = useTranslation();
  const can = useCan();
  // Counted from one page of members; a larger workspace shows no counts rather than wrong ones.
  const users = useUsers({ limit: ROLE_COUNT_LIMIT });
  const isComplete = users.data !== undefined && users.data.items.length >= users.data.total;
  const countByRole = (role: string) =>
    isComplete ? users.data?.items.filter((user) => user.role === role && !user.disabled).length : undefined;

  return (
    <>
      <PageHeader
        title={t('settingsNav.roles')}
        description={t('rolesPage.description')}
        icon={<IconShieldLock size={24} stroke={1.6} />}
      />
      <Stack gap="xl">
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} spacing="md">
          {ROLES.map((role) => {
            const count = countByRole(role);
            return (
              <Card key={role} style={{ borderTop: `3px solid var(--mantine-color-${ROLE_COLORS[role]}-filled)` }} data-testid={`role-${role}`}>
                <Group justify="space-between" mb="sm">
                  <RoleBadge role={role} size="md" />
                  {count !== undefined && (
                    <Text size="xs" c="dimmed">
                      {t('rolesPage.members', { count })}
                    </Text>
                  )}
                </Group>
                <Text size="sm" lh={1.55}>
                  {t(`roles.${role}.description`)}
                </Text>
              </Card>
            );
          })}
        </SimpleGrid>

        <section aria-labelledby="permission-matrix">
          <Group justify="space-between" align="flex-end" mb="md">
            <div>
              <Title order={2} fz="lg" id="permission-matrix">
                {t('rolesPage.matrixTitle')}
              </Title>
              <Text size="sm" c="dimmed">
                {t('rolesPage.matrixText')}{' '}
                {can('users:manage') && (
                  <Text component={Link} to="/settings/users" size="sm" c="brand" inherit>
                    {t('rolesPage.assign')}
                  </Text>
                )}
              </Text>
            </div>
          </Group>
          <DataTable minWidth={860} striped withColumnBorders={false}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('rolesPage.permission')}</Table.Th>
                {ROLES.map((role) => (
                  <Table.Th key={role} ta="center">
                    {t(`roles.${role}.name`)}
                  </Table.Th>
                ))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {PERMISSIONS.map((permission) => (
                <Table.Tr key={permission}>
                  <Table.Td>
                    <Text size="sm" fw={500}>
                      {t(`permissions.${permission}`)}
                    </Text>
                    <Badge variant="transparent" color="gray" size="xs" px={0} tt="none" ff="monospace">
                      {permission}
                    </Badge>
                  </Table.Td>
                  {ROLES.map((role) => {
                    const allowed = ROLE_PERMISSIONS[role].includes(permission);
                    return (
                      <Table.Td key={role} ta="center">
                        {allowed ? (
                          <IconCheck size={18} color="var(--mantine-color-teal-filled)" aria-label={t('rolesPage.allowed')} />
                        ) : (
                          <IconMinus size={16} color="var(--mantine-color-dimmed)" aria-label={t('rolesPage.notAllowed')} />
                        )}
                      </Table.Td>
                    );
                  })}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </DataTable>
          <Text size="xs" c="dimmed" mt="sm">
            {t('rolesPage.payNote')}
          </Text>
        </section>
      </Stack>
    </>
  );
}
