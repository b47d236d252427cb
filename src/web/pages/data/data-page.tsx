import { Badge, Button, Card, Group, SimpleGrid, Stack, Text, Title, UnstyledButton } from '@mantine/core';
import { IconDatabase, IconDatabasePlus, IconFileImport, IconTable } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useLiveData } from '../../api/use-live-data';
import { useDatasets, type Dataset } from '../../api/data-queries';
import { useCan } from '../../auth/session';
import { EmptyCard } from '../../components/empty-card';
import { PageHeader } from '../../components/page-header';
import { CardsSkeleton, ErrorState } from '../../components/query-state';
import { useFormat } from '../../i18n/format';
import { useLabel } from '../../lib/value-format';
import { DeclareDatasetModal } from './declare-dataset-modal';
import { ImportHistory } from './import-history';

function DatasetCard({ dataset }: { dataset: Dataset }) {
  const { t } = useTranslation();
  const label = useLabel();
  const format = useFormat();
  return (
    <UnstyledButton component={Link} to={`/data/${dataset.key}`} data-testid={`dataset-${dataset.key}`} aria-label={label(dataset.label)}>
      <Card h="100%" withBorder style={{ cursor: 'pointer' }}>
        <Group justify="space-between" align="flex-start" mb="xs" wrap="nowrap">
          <Group gap="xs" wrap="nowrap">
            <IconTable size={20} stroke={1.6} />
            <Text fw={600}>{label(dataset.label)}</Text>
          </Group>
          <Badge variant="light" color={dataset.kind === 'builtin' ? 'gray' : 'grape'} style={{ flexShrink: 0 }}>
            {t(`data.kind.${dataset.kind}`)}
          </Badge>
        </Group>
        <Text size="xs" c="dimmed" ff="monospace" mb="sm">
          {dataset.key}
        </Text>
        <Group gap="lg">
          <div>
            <Text size="xs" c="dimmed">
              {t('data.records')}
            </Text>
            <Text fw={700} fz="lg" data-testid={`dataset-${dataset.key}-count`}>
              {format.number(dataset.recordCount)}
            </Text>
          </div>
          <div>
            <Text size="xs" c="dimmed">
              {t('data.fieldsCount')}
            </Text>
            <Text fw={700} fz="lg">
              {format.number(dataset.fields.length)}
            </Text>
          </div>
          {dataset.lastChangeAt && (
            <div>
              <Text size="xs" c="dimmed">
                {t('data.lastChange')}
              </Text>
              <Text fw={500} size="sm" mt={4} title={format.dateTime(dataset.lastChangeAt)}>
                {format.relative(dataset.lastChangeAt)}
              </Text>
            </div>
          )}
        </Group>
      </Card>
    </UnstyledButton>
  );
}

export function DataPage() {
  const { t } = useTranslation();
  const can = useCan();
  const datasets = useDatasets();
  const [declaring, setDeclaring] = useState(false);
  useLiveData();
  const canImport = can('data:import');

  return (
    <Stack gap="xl" data-testid="data-page">
      <PageHeader
        title={t('nav.data')}
        description={t('data.description')}
        icon={<IconDatabase size={24} stroke={1.6} />}
        mb={0}
        actions={
          canImport && (
            <>
              <Button variant="default" leftSection={<IconDatabasePlus size={16} />} onClick={() => setDeclaring(true)}>
                {t('data.declare.open')}
              </Button>
              <Button component={Link} to="/data/deals/import" leftSection={<IconFileImport size={16} />}>
                {t('data.import.open')}
              </Button>
            </>
          )
        }
      />
      <section aria-labelledby="datasets-heading">
        <Title order={2} fz="lg" mb="md" id="datasets-heading">
          {t('data.datasets')}
        </Title>
        {datasets.isPending ? (
          <CardsSkeleton count={2} />
        ) : datasets.isError ? (
          <ErrorState error={datasets.error} onRetry={() => void datasets.refetch()} />
        ) : datasets.data.length === 0 ? (
          <EmptyCard icon={<IconDatabase size={28} />} title={t('data.emptyTitle')} description={t('data.emptyText')} />
        ) : (
          <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} spacing="md">
            {datasets.data.map((dataset) => (
              <DatasetCard key={dataset.key} dataset={dataset} />
            ))}
          </SimpleGrid>
        )}
      </section>
      {canImport && (
        <section aria-labelledby="imports-heading">
          <Title order={2} fz="lg" mb="md" id="imports-heading">
            {t('data.history.title')}
          </Title>
          <ImportHistory dataset={null} />
        </section>
      )}
      {declaring && <DeclareDatasetModal onClose={() => setDeclaring(false)} />}
    </Stack>
  );
}
