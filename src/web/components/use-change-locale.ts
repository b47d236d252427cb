import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { queryKeys, useUpdateMe } from '../api/queries';
import type { Locale, SessionBody } from '../api/types';
import { activeLocale, applyLocale } from '../i18n/setup';
import { useNotify } from '../lib/use-notify';

/** Applies a language at once; when signed in, also saves it on the user (PATCH /api/me). */
export function useChangeLocale() {
  const queryClient = useQueryClient();
  const updateMe = useUpdateMe();
  const notify = useNotify();
  const [pending, setPending] = useState(false);

  const change = async (locale: Locale) => {
    const previous = activeLocale();
    if (previous === locale) return;
    await applyLocale(locale);
    const session = queryClient.getQueryData<SessionBody | null>(queryKeys.session);
    if (!session) return;
    setPending(true);
    try {
      await updateMe.mutateAsync({ locale });
    } catch (error) {
      await applyLocale(previous);
      notify.error(error);
    } finally {
      setPending(false);
    }
  };

  return { change, pending };
}
