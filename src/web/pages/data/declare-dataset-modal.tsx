import { ActionIcon, Button, Checkbox, Group, Modal, NumberInput, Select, SimpleGrid, Stack, Table, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { FIELD_TYPES, type FieldType } from '../../../core/data/datasets';
import { isApiError } from '../../api/client';
import { useDeclareDataset } from '../../api/data-queries';
import { useNotify } from '../../lib/use-notify';
import { FormActions } from '../../components/form-actions.js';

interface FieldRow {
  key: string;
  labelEn: string;
  labelDe: string;
  type: FieldType;
  scale: number;
  required: boolean;
}

interface DeclareForm {
  key: string;
  labelEn: string;
  labelDe: string;
  currencyField: string | null;
  fields: FieldRow[];
}

const KEY = /^[a-z][a-z0-9_]{1,39}$/;
const FIELD_KEY = /^[a-z][a-z0-9_]{0,39}$/;
const emptyField = (): FieldRow => ({ key: '', labelEn: '', labelDe: '', type: 'text', scale: 0, required: false });

/** Declares a custom dataset: a key, a label in both languages and typed fields. */
export function DeclareDatasetModal({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const notify = useNotify();
  const navigate = useNavigate();
  const declare = useDeclareDataset();
  const form = useForm<DeclareForm>({
    initialValues: { key: '', labelEn: '', labelDe: '', currencyField: null, fields: [{ ...emptyField(), key: 'date', labelEn: 'Date', labelDe: 'Datum', type: 'date', required: true }] },
    validate: {
      key: (value) => (KEY.test(value) ? null : t('data.declare.keyHelp')),
      labelEn: (value) => (value.trim() ? null : t('validation.required')),
      labelDe: (value) => (value.trim() ? null : t('validation.required')),
      fields: {
        key: (value) => (FIELD_KEY.test(value) ? null : t('data.declare.fieldKeyHelp')),
        labelEn: (value) => (value.trim() ? null : t('validation.required')),
        labelDe: (value) => (value.trim() ? null : t('validation.required')),
      },
    },
  });
  const values = form.getValues();
  const textFields = values.fields.filter((f) => f.type === 'text' && f.key).map((f) => f.key);

  const submit = form.onSubmit((input) => {
    declare.mutate(
      {
        key: input.key,
        label: { en: input.labelEn.trim(), de: input.labelDe.trim() },
        fields: input.fields.map((f) => ({
          key: f.key,
          label: { en: f.labelEn.trim(), de: f.labelDe.trim() },
          type: f.type,
          ...(f.type === 'number' ? { scale: f.scale } : {}),
          ...(f.required ? { required: true } : {}),
        })),
        ...(input.currencyField ? { currencyField: input.currencyField } : {}),
      },
      {
        onSuccess: (dataset) => {
          notify.success(t('data.declare.created', { name: dataset.label.en }));
          onClose();
          void navigate(`/data/${dataset.key}`);
        },
        onError: (error) => {
          // Issues name paths such as "fields.2.key": show them next to the field.
          let matched = false;
          if (isApiError(error)) {
            for (const issue of error.issues) {
              const path = issue.path.replace(/\.label$/, '.labelEn');
              if (path === 'key' || /^fields\.\d+\.(key|type|scale)$/.test(path) || path === 'currencyField') {
                form.setFieldError(path, issue.message);
                matched = true;
              }
            }
          }
          if (!matched) notify.error(error);
        },
      },
    );
  });

  return (
    <Modal opened onClose={onClose} title={t('data.declare.title')} size={1000}>
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          <Text size="sm" c="dimmed">
            {t('data.declare.text')}
          </Text>
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <TextInput label={t('data.declare.key')} description={t('data.declare.keyHelp')} required data-autofocus {...form.getInputProps('key')} />
            <TextInput label={t('data.declare.labelEn')} required {...form.getInputProps('labelEn')} />
            <TextInput label={t('data.declare.labelDe')} required {...form.getInputProps('labelDe')} />
          </SimpleGrid>
          <Table verticalSpacing={6}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('data.field.key')}</Table.Th>
                <Table.Th>{t('data.declare.labelEn')}</Table.Th>
                <Table.Th>{t('data.declare.labelDe')}</Table.Th>
                <Table.Th>{t('data.field.type')}</Table.Th>
                <Table.Th>{t('data.field.scale')}</Table.Th>
                <Table.Th>{t('data.field.required')}</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {values.fields.map((field, index) => (
                <Table.Tr key={form.key(`fields.${index}`)}>
                  <Table.Td>
                    <TextInput size="xs" miw={130} aria-label={t('data.field.key')} {...form.getInputProps(`fields.${index}.key`)} />
                  </Table.Td>
                  <Table.Td>
                    <TextInput size="xs" miw={140} aria-label={t('data.declare.labelEn')} {...form.getInputProps(`fields.${index}.labelEn`)} />
                  </Table.Td>
                  <Table.Td>
                    <TextInput size="xs" miw={140} aria-label={t('data.declare.labelDe')} {...form.getInputProps(`fields.${index}.labelDe`)} />
                  </Table.Td>
                  <Table.Td>
                    <Select
                      size="xs"
                      aria-label={t('data.field.type')}
                      data={FIELD_TYPES.map((type) => ({ value: type, label: t(`data.fieldType.${type}`) }))}
                      allowDeselect={false}
                      w={150}
                      {...form.getInputProps(`fields.${index}.type`)}
                    />
                  </Table.Td>
                  <Table.Td>
                    <NumberInput size="xs" w={70} min={0} max={6} disabled={field.type !== 'number'} aria-label={t('data.field.scale')} {...form.getInputProps(`fields.${index}.scale`)} />
                  </Table.Td>
                  <Table.Td>
                    <Checkbox aria-label={t('data.field.required')} {...form.getInputProps(`fields.${index}.required`, { type: 'checkbox' })} />
                  </Table.Td>
                  <Table.Td>
                    <ActionIcon variant="subtle" color="red" aria-label={t('common.delete')} disabled={values.fields.length === 1} onClick={() => form.removeListItem('fields', index)}>
                      <IconTrash size={16} />
                    </ActionIcon>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          <Group justify="space-between">
            <Button variant="subtle" leftSection={<IconPlus size={16} />} onClick={() => form.insertListItem('fields', emptyField())} disabled={values.fields.length >= 31}>
              {t('data.declare.addField')}
            </Button>
            <Select
              label={t('data.declare.currencyField')}
              placeholder={t('data.declare.tenantCurrency')}
              data={textFields}
              clearable
              w={260}
              {...form.getInputProps('currencyField')}
            />
          </Group>
          <FormActions onCancel={onClose} submitLabel={t('data.declare.submit')} loading={declare.isPending} />
        </Stack>
      </form>
    </Modal>
  );
}
