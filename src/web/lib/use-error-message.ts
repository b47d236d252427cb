import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../api/client';

/**
 * User-facing text for an error: the translation of its code, else the server's message.
 * A validation error lists its field issues.
 */
export function useErrorMessage() {
  const { t, i18n } = useTranslation();
  return useCallback(
    (error: unknown): string => {
      if (isApiError(error)) {
        const key = `errors.${error.code}`;
        const base = i18n.exists(key) ? t(key as 'errors.internal') : error.message || t('errors.unknown');
        const issues = error.issues.filter((issue) => issue.message);
        if (issues.length === 0) return base;
        return `${base} ${issues.map((issue) => (issue.path ? `${issue.path}: ${issue.message}` : issue.message)).join('; ')}`;
      }
      return t('errors.unknown');
    },
    [t, i18n],
  );
}
