import { Anchor, Badge, Progress, Table, Text, type MantineColor } from '@mantine/core';
import { IconFileImport } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { importErrorsUrl, isImportRunning, useImports, type ImportJob, type ImportStatus } from '../../api/data-queries';
import { DataTable } from '../../components/data-table';
import { EmptyCard } from '../../components/empty-card';
import { ListPagination } from '../../components/list-pagination';
import { ErrorState, TableSkeleton } from '../../components/query-state';
import { Timestamp } from '../../components/timestamp';
import { useFormat } from '../../i18n/format';

const PAGE_SIZE = 20;

export const STATUS_COLORS: Record<ImportStatus, MantineColor> = {
  queued: 'gray',
  validating: 'blue',
  writing: 'blue',
  completed: 'teal',
  rejected: 'orange',
  failed: 'red',
};

export function ImportStatusBadge({ job }: { job: Pick<ImportJob, 'status' | 'dryRun'> }) {
  const { t } = useTranslation();
  return (
    <Badge color={STATUS_COLORS[job.status]} variant="light" style={{ flexShrink: 0, overflow: 'visible' }}>
      {job.dryRun && job.status === 'completed' ? t('data.import.status.previewed') : t(`data.import.status.${job.status}`)}
    </Badge>
  );
}

/** Share of the work done: validation is the first half, writing the second. */
export function importProgress(job: ImportJob): number {
  if (!isImportRunning(job)) return 100;
  const total = Math.max(job.totalRows, 1);
  if (job.status === 'validating') return Math.min(50, (job.validatedRows / total) * 50);
  if (job.status === 'writing') return 50 + Math.min(50, (job.writtenRows / Math.max(job.validRows, 1)) * 50);
  return 0;
}

/** The imports of the workspace (or of one dataset), newest first. */
export function ImportHistory({ dataset }: { dataset: string | null }) {
  const { t } = useTranslation();
  const format = useFormat();
  const [page, setPage] = useState(1);
  const imports = useImports({ dataset, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE });

  if (imports.isPending) return <TableSkeleton rows={3} />;
  if (imports.isError) return <ErrorState error={imports.error} onRetry={() => void imports.refetch()} />;
  if (imports.data.total === 0) {
    return <EmptyCard order={3} icon={<IconFileImport size={28} />} title={t('data.history.emptyTitle')} description={t('data.history.emptyText')} />;
  }
  return (
    <>
      <DataTable minWidth={1000}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('data.history.file')}</Table.Th>
            <Table.Th>{t('data.history.dataset')}</Table.Th>
            <Table.Th>{t('data.history.status')}</Table.Th>
            <Table.Th ta="right">{t('data.import.inserted')}</Table.Th>
            <Table.Th ta="right">{t('data.import.updated')}</Table.Th>
            <Table.Th ta="right">{t('data.import.unchanged')}</Table.Th>
            <Table.Th ta="right">{t('data.import.errors')}</Table.Th>
            <Table.Th>{t('data.history.by')}</Table.Th>
            <Table.Th>{t('data.history.when')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {imports.data.items.map((job) => (
            <Table.Tr key={job.id} data-testid="import-row">
              <Table.Td>
                <Text size="sm" fw={600} lineClamp={1}>
                  {job.fileName ?? t('data.history.noFile')}
                </Text>
                <Text size="xs" c="dimmed">
                  {job.mappingName ?? t('data.history.customMapping')} · {job.dryRun ? t('data.history.dryRun') : t(`data.import.mode.${job.mode}`)}
                </Text>
              </Table.Td>
              <Table.Td>
                <Text size="sm" ff="monospace">
                  {job.dataset}
                </Text>
              </Table.Td>
              <Table.Td>
                <ImportStatusBadge job={job} />
                {isImportRunning(job) && <Progress mt={6} size="xs" value={importProgress(job)} animated aria-label={t('data.import.progress')} />}
              </Table.Td>
              {/* A check writes nothing: its counts are what an import would do. */}
              {[job.inserted, job.updated, job.unchanged].map((count, index) => (
                <Table.Td key={index} ta="right" {...(job.dryRun ? { c: 'dimmed', fs: 'italic' } : {})}>
                  {format.number(count)}
                </Table.Td>
              ))}
              <Table.Td ta="right">
                {job.errorCount > 0 ? (
                  <Anchor size="sm" href={importErrorsUrl(job.id)} download c="red">
                    {format.number(job.errorCount)}
                  </Anchor>
                ) : (
                  <Text size="sm" c="dimmed">
                    0
                  </Text>
                )}
              </Table.Td>
              <Table.Td>
                <Text size="sm">{job.createdBy.name ?? (job.createdBy.tokenId ? t('data.history.apiToken') : '—')}</Text>
              </Table.Td>
              <Table.Td>
                <Timestamp iso={job.createdAt} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </DataTable>
      {imports.data.total > PAGE_SIZE && <ListPagination page={page} pageSize={PAGE_SIZE} total={imports.data.total} onChange={setPage} />}
    </>
  );
}
