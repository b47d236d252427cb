import { Loader, Select, Stack, Text, type ComboboxItem, type OptionsFilter } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useUsers } from '../api/queries';

const RESULT_LIMIT = 20;
const SEARCH_DELAY_MS = 250;

interface UserSelectProps {
  label: string;
  description?: string;
  placeholder?: string;
  value: string | null;
  onChange: (userId: string | null) => void;
  /** Name of the member in `value`, known from the record being edited: the search results may not contain them. */
  selectedName: string | null;
  /** Leave disabled members out of the results (the current selection stays). */
  isActiveOnly?: boolean;
  error?: ReactNode;
}

const matches = (text: string, needle: string) => text.toLowerCase().includes(needle.toLowerCase());

/**
 * Picks one member of the workspace by searching the server as one types (20 at a time), so
 * it works the same for ten members or ten thousand. Nothing loads until the list is opened.
 */
export function UserSelect({ value, onChange, selectedName, isActiveOnly = false, ...props }: UserSelectProps) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const [hasOpened, setHasOpened] = useState(false);
  // A member picked here is named right away, before the record being edited knows them.
  const [picked, setPicked] = useState<{ id: string; name: string } | null>(null);
  const selectedLabel = value === null ? null : picked?.id === value ? picked.name : (selectedName ?? t('userSelect.unknown'));

  // While the box shows the current selection's name, list everyone rather than just that one.
  const needle = search.trim() === selectedLabel ? '' : search.trim();
  const [q] = useDebouncedValue(needle, SEARCH_DELAY_MS);
  const users = useUsers({ q, limit: RESULT_LIMIT }, { enabled: hasOpened });
  const results = (users.data?.items ?? []).filter((user) => !isActiveOnly || !user.disabled || user.id === value);
  const emails = new Map(results.map((user) => [user.id, user.email]));

  const data: ComboboxItem[] = results.map((user) => ({ value: user.id, label: user.name }));
  if (value !== null && selectedLabel !== null && !emails.has(value)) data.push({ value, label: selectedLabel });

  // Results for the text in the box are shown as the server found them (it also matches e-mails);
  // older results, while the next search runs, and the kept selection are matched here.
  const isFresh = users.isSuccess && !users.isPlaceholderData && q === needle;
  const filter: OptionsFilter = ({ options, search: text }) =>
    options.filter((option) => {
      if (!('value' in option)) return false;
      const email = emails.get(String(option.value));
      if (isFresh && email !== undefined) return true;
      return matches(option.label, text.trim()) || (email !== undefined && matches(email, text.trim()));
    });

  return (
    <Select
      {...props}
      placeholder={props.placeholder ?? t('userSelect.placeholder')}
      data={data}
      value={value}
      onChange={(next, option) => {
        setPicked(next !== null && option ? { id: next, name: option.label } : null);
        onChange(next);
      }}
      searchable
      clearable
      searchValue={search}
      onSearchChange={setSearch}
      onDropdownOpen={() => setHasOpened(true)}
      filter={filter}
      nothingFoundMessage={users.isFetching || !hasOpened ? t('common.searching') : t('common.noMatches')}
      rightSection={users.isFetching ? <Loader size={14} aria-label={t('common.searching')} /> : undefined}
      renderOption={({ option }) => (
        <Stack gap={0}>
          <Text size="sm">{option.label}</Text>
          {emails.has(option.value) && (
            <Text size="xs" c="dimmed">
              {emails.get(option.value)}
            </Text>
          )}
        </Stack>
      )}
      comboboxProps={{ withinPortal: true }}
    />
  );
}
