// Parser issues at the UI edge: the text shown is chosen from the issue's code (translated),
// falling back to the parser's English message for codes without a translation.
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import type { CompIssue } from '../../../../core/comp/plan';

export interface EditorIssue extends CompIssue {
  severity: 'error' | 'warning';
}

/** zod's format messages of plan-document.ts, by the key of their translation. */
const FORMAT_KEYS: Record<string, 'decimal' | 'amount' | 'id' | 'date' | 'currency'> = {
  'a decimal such as 0.05 or 5%': 'decimal',
  'an amount such as 1250.50': 'amount',
  'lower-case letters, digits, _ and -, starting with a letter': 'id',
  'a real date as YYYY-MM-DD': 'date',
  'an ISO 4217 code such as EUR': 'currency',
};

const CODE_KEYS = [
  'unknown_currency', 'bad_decimal', 'bad_amount', 'negative_rate', 'first_tier_not_zero', 'tiers_not_increasing', 'bad_tier', 'missing_base_rate', 'bad_threshold',
  'cap_below_floor', 'bad_spiff', 'bad_date_range', 'points_not_increasing', 'duplicate_component', 'duplicate_draw', 'unknown_component', 'basis_not_allowed', 'aspirational_allowed',
] as const;
type CodeKey = (typeof CODE_KEYS)[number];
const isCodeKey = (code: string): code is CodeKey => (CODE_KEYS as readonly string[]).includes(code);

/** The translated text of an issue. */
export function useIssueText() {
  const { t } = useTranslation();
  return useCallback(
    (issue: CompIssue): string => {
      if (isCodeKey(issue.code)) return t(`compEditor.issues.${issue.code}`);
      const format = FORMAT_KEYS[issue.message];
      if (format) return t(`compEditor.issues.format.${format}`);
      if (issue.code === 'too_small') return issue.message.includes('array') ? t('compEditor.issues.atLeastOne') : t('compEditor.issues.required');
      if (issue.code === 'invalid_type') return t('compEditor.issues.invalidType');
      return issue.message;
    },
    [t],
  );
}

/** Looks up the issues at exactly one document path (joined, or null for none). */
export function issueLookup(issues: readonly EditorIssue[], text: (issue: CompIssue) => string) {
  const byPath = new Map<string, string[]>();
  for (const issue of issues) {
    if (issue.severity !== 'error') continue;
    byPath.set(issue.path, [...(byPath.get(issue.path) ?? []), text(issue)]);
  }
  return (...paths: string[]): string | null => {
    const found = paths.flatMap((p) => byPath.get(p) ?? []);
    return found.length > 0 ? found.join(' · ') : null;
  };
}

export type IssueAt = ReturnType<typeof issueLookup>;
