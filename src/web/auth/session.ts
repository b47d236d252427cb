import { useQueryClient } from '@tanstack/react-query';
import { queryKeys, useSessionQuery } from '../api/queries';
import type { SessionBody } from '../api/types';
import type { Permission } from './roles';

/** The signed-in session. Only for components below the authenticated routes. */
export function useSession(): SessionBody {
  const { data } = useSessionQuery();
  if (!data) throw new Error('useSession used outside an authenticated route');
  return data;
}

export function hasPermission(session: SessionBody | null | undefined, permission: Permission): boolean {
  return session?.permissions.includes(permission) ?? false;
}

/** Whether the current session may do something; the server enforces it regardless. */
export function useCan(): (permission: Permission) => boolean {
  const { data } = useSessionQuery();
  return (permission) => hasPermission(data, permission);
}

export function useClearSession() {
  const queryClient = useQueryClient();
  return () => queryClient.setQueryData(queryKeys.session, null);
}
