import type { FieldDef } from '../data/datasets.js';
import { descale, formatRational } from './rational.js';

/** The label of records without a value in the grouping field (or without an owner or team). */
export const NO_VALUE_LABEL = '(none)';

/**
 * How a group key reads for a field grouping: numbers in the field's unit (scale applied),
 * booleans as true/false, everything else as stored. Owner and team labels (names) come
 * from the org, not from here.
 * @example groupLabel({ type: 'number', scale: 1, … }, '45') // '4.5'
 */
export function groupLabel(field: FieldDef | null, key: string | null): string {
  if (key === null) return NO_VALUE_LABEL;
  if (!field) return key;
  switch (field.type) {
    case 'number':
      return formatRational(descale(BigInt(key), field.scale ?? 0), field.scale ?? 0);
    case 'boolean':
      return key === '1' ? 'true' : 'false';
    default:
      return key;
  }
}
