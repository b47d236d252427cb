import { CloseButton, Loader, TextInput } from '@mantine/core';
import { IconSearch } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';

/** The search box above a list: shows when the server is searching, and clears with one click. */
export function SearchInput({
  value,
  onChange,
  label,
  isBusy = false,
}: {
  value: string;
  onChange: (value: string) => void;
  label: string;
  isBusy?: boolean;
}) {
  const { t } = useTranslation();
  return (
    <TextInput
      placeholder={label}
      aria-label={label}
      leftSection={<IconSearch size={16} />}
      rightSection={
        isBusy ? (
          <Loader size={14} aria-label={t('common.searching')} />
        ) : value ? (
          <CloseButton size="sm" aria-label={t('common.clearSearch')} onClick={() => onChange('')} />
        ) : null
      }
      rightSectionPointerEvents="all"
      value={value}
      onChange={(event) => onChange(event.currentTarget.value)}
      onKeyDown={(event) => {
        if (event.key === 'Escape' && value) onChange('');
      }}
      style={{ flex: '1 1 240px' }}
      maw={360}
    />
  );
}
