import { Text, Tooltip, type TextProps } from '@mantine/core';
import { useFormat } from '../i18n/format';

/** A relative time ("3 days ago") with the exact date and time on hover. */
export function Timestamp({ iso, fallback, ...props }: TextProps & { iso: string | null; fallback?: string }) {
  const format = useFormat();
  if (!iso) {
    return (
      <Text size="sm" c="dimmed" {...props}>
        {fallback ?? '—'}
      </Text>
    );
  }
  return (
    <Tooltip label={format.dateTime(iso)}>
      <Text size="sm" component="time" dateTime={iso} {...props}>
        {format.relative(iso)}
      </Text>
    </Tooltip>
  );
}
