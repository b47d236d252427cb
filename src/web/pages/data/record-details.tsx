import { Drawer, Stack, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { DataRecord, Dataset } from '../../api/data-queries';
import { useSession } from '../../auth/session';
import { Timestamp } from '../../components/timestamp';
import { useLabel, useValueFormat } from '../../lib/value-format';

/** Every field of one record, with where it came from. */
export function RecordDrawer({ dataset, record, onClose }: { dataset: Dataset; record: DataRecord | null; onClose: () => void }) {
  const { t } = useTranslation();
  const label = useLabel();
  const session = useSession();
  const values = useValueFormat();
  return (
    <Drawer opened={record !== null} onClose={onClose} position="right" size="md" title={record ? t('data.recordTitle', { id: record.extId }) : ''}>
      {record && (
        <Stack gap="md" data-testid="record-details">
          <Table verticalSpacing={6} withRowBorders>
            <Table.Tbody>
              <Table.Tr>
                <Table.Th w="40%">{t('data.extId')}</Table.Th>
                <Table.Td ff="monospace">{record.extId}</Table.Td>
              </Table.Tr>
              {dataset.fields.map((field) => (
                <Table.Tr key={field.key}>
                  <Table.Th>{label(field.label)}</Table.Th>
                  <Table.Td>{values.field(dataset, field, record, session.tenant.currency)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          <Stack gap={4}>
            <Text size="xs" c="dimmed">
              {t('data.recordId', { id: record.id })}
            </Text>
            <Text size="xs" c="dimmed" component="div">
              {t('data.updated')} <Timestamp iso={record.updatedAt} size="xs" span />
            </Text>
            <Text size="xs" c="dimmed">
              {record.importId ? t('data.fromImport', { id: record.importId.slice(0, 8) }) : t('data.fromApi')}
            </Text>
          </Stack>
        </Stack>
      )}
    </Drawer>
  );
}
