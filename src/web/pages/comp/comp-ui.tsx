import { Badge, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { RunStatus } from '../../api/comp-queries';
import { useFormat } from '../../i18n/format';

const STATUS_COLOR: Record<RunStatus, string> = { draft: 'gray', calculated: 'blue', approved: 'teal', locked: 'violet', paid: 'green' };

export function RunStatusBadge({ status }: { status: RunStatus }) {
  const { t } = useTranslation();
  return (
    <Badge variant="light" color={STATUS_COLOR[status]} data-testid="run-status">
      {t(`comp.status.${status}`)}
    </Badge>
  );
}

/** Money in minor units, right-aligned figures, negative in red. */
export function Money({ minor, currency, fw, fz = 'sm' }: { minor: number; currency: string; fw?: number; fz?: string | number }) {
  const format = useFormat();
  return (
    <Text span fz={fz} fw={fw ?? 500} {...(minor < 0 ? { c: 'red' } : {})} style={{ fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' }}>
      {format.money(minor, currency)}
    </Text>
  );
}

/** An attainment ratio ('1.0625') as a percentage, or a dash. */
export function Attainment({ value }: { value: string | null }) {
  const format = useFormat();
  if (value === null) return <Text span size="sm" c="dimmed">—</Text>;
  return (
    <Text span size="sm" style={{ fontVariantNumeric: 'tabular-nums' }}>
      {format.number(Math.round(Number(value) * 1000) / 10)} %
    </Text>
  );
}
