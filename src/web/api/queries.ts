// Server state: query keys, queries and mutations for every resource of the API.
import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Role } from '../auth/roles';
import { api, isApiError, setCsrfToken } from './client';
import type {
  ApiToken,
  AuditPage,
  CreatedApiToken,
  CreatedInvitation,
  Health,
  Invitation,
  InvitationLookup,
  ItemList,
  Locale,
  Page,
  Payee,
  PayeeKind,
  SessionBody,
  SessionUser,
  Team,
  TeamKind,
  Tenant,
  User,
} from './types';

/**
 * Lists hang below their resource's key (`['users', 'list', params]`), so invalidating
 * `queryKeys.users` after a mutation refreshes every page, search and lookup by prefix.
 */
export const queryKeys = {
  session: ['session'] as const,
  health: ['health'] as const,
  tenant: ['tenant'] as const,
  users: ['users'] as const,
  userList: (params: ListParams) => ['users', 'list', params] as const,
  userLookup: (userId: string, hints: readonly string[]) => ['users', 'lookup', userId, hints] as const,
  invitations: ['invitations'] as const,
  invitationLookup: (token: string) => ['invitation-lookup', token] as const,
  teams: ['teams'] as const,
  payees: ['payees'] as const,
  payeeList: (params: PayeeListParams) => ['payees', 'list', params] as const,
  apiTokens: ['api-tokens'] as const,
  audit: (filters: AuditFilters) => ['audit', filters] as const,
};

// --- session -------------------------------------------------------------

export async function fetchSession(): Promise<SessionBody | null> {
  try {
    const session = await api.get<SessionBody>('/auth/session');
    setCsrfToken(session.csrfToken);
    return session;
  } catch (error) {
    if (isApiError(error) && error.status === 401) {
      setCsrfToken(null);
      return null;
    }
    throw error;
  }
}

export function useSessionQuery() {
  return useQuery({ queryKey: queryKeys.session, queryFn: fetchSession, staleTime: 5 * 60_000, retry: false });
}

/** Puts a fresh session into the cache; other server state belongs to the old session and is dropped. */
function useAdoptSession() {
  const queryClient = useQueryClient();
  return (session: SessionBody | null) => {
    setCsrfToken(session?.csrfToken ?? null);
    queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== 'session' && query.queryKey[0] !== 'health' });
    queryClient.setQueryData(queryKeys.session, session);
  };
}

export function useSignIn() {
  const adopt = useAdoptSession();
  return useMutation({
    mutationFn: (input: { email: string; password: string }) => api.post<SessionBody>('/auth/sign-in', input),
    onSuccess: adopt,
  });
}

export function useSignOut() {
  const adopt = useAdoptSession();
  return useMutation({
    mutationFn: () => api.post<void>('/auth/sign-out'),
    onSettled: () => adopt(null),
  });
}

export function useSwitchTenant() {
  const adopt = useAdoptSession();
  return useMutation({
    mutationFn: (tenantId: string) => api.post<SessionBody>('/auth/switch-tenant', { tenantId }),
    onSuccess: adopt,
  });
}

export function useChangePassword() {
  return useMutation({
    mutationFn: (input: { currentPassword: string; newPassword: string }) => api.post<void>('/auth/password', input),
  });
}

export function useUpdateMe() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { name?: string; locale?: Locale }) => api.patch<{ user: SessionUser }>('/me', input),
    onSuccess: ({ user }) => {
      queryClient.setQueryData<SessionBody | null>(queryKeys.session, (session) => (session ? { ...session, user } : session));
      void queryClient.invalidateQueries({ queryKey: queryKeys.users });
    },
  });
}

export function useHealth() {
  return useQuery({ queryKey: queryKeys.health, queryFn: () => api.get<Health>('/health'), staleTime: 10 * 60_000 });
}

// --- tenant --------------------------------------------------------------

export function useTenant() {
  return useQuery({ queryKey: queryKeys.tenant, queryFn: () => api.get<Tenant>('/tenant') });
}

export interface TenantPatch {
  name?: string;
  currency?: string;
  locale?: Locale;
  fiscalYearStartMonth?: number;
}

export function useUpdateTenant() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: TenantPatch) => api.patch<Tenant>('/tenant', input),
    onSuccess: (tenant) => {
      queryClient.setQueryData(queryKeys.tenant, tenant);
      queryClient.setQueryData<SessionBody | null>(queryKeys.session, (session) =>
        session
          ? {
              ...session,
              tenant,
              memberships: session.memberships.map((m) => (m.tenantId === tenant.id ? { ...m, tenantName: tenant.name } : m)),
            }
          : session,
      );
    },
  });
}

// --- searchable lists ----------------------------------------------------

/** Search and paging of `/users` and `/payees`: the server filters, the browser shows one page. */
export interface ListParams {
  /** Case-insensitive search; empty for all. */
  q: string;
  limit: number;
  offset: number;
}

function listParams(input: Partial<ListParams> & { limit: number }): ListParams {
  return { q: input.q?.trim() ?? '', limit: input.limit, offset: input.offset ?? 0 };
}

// --- users ---------------------------------------------------------------

/**
 * One page of members, searched by name or e-mail on the server. The previous page stays on
 * screen while the next one loads, so a table does not flash on every keystroke.
 */
export function useUsers(params: Partial<ListParams> & { limit: number }, options: { enabled?: boolean } = {}) {
  const normalised = listParams(params);
  return useQuery({
    queryKey: queryKeys.userList(normalised),
    queryFn: ({ signal }) => api.get<Page<User>>('/users', { query: { ...normalised }, signal }),
    enabled: options.enabled ?? true,
    placeholderData: keepPreviousData,
  });
}

/**
 * Finds one member by id when only their id is known. The API has no lookup by id, so this
 * searches by what the caller knows about them (an e-mail, a name) and matches the id.
 */
export function useUserLookup(userId: string | null, hints: readonly (string | null | undefined)[], options: { enabled?: boolean } = {}) {
  const terms = [...new Set(hints.map((hint) => hint?.trim() ?? '').filter((hint) => hint !== ''))];
  return useQuery({
    queryKey: queryKeys.userLookup(userId ?? '', terms),
    queryFn: async ({ signal }) => {
      for (const q of terms) {
        const page = await api.get<Page<User>>('/users', { query: { q, limit: 20 }, signal });
        const match = page.items.find((user) => user.id === userId);
        if (match) return match;
      }
      return null;
    },
    enabled: userId !== null && terms.length > 0 && (options.enabled ?? true),
    staleTime: 5 * 60_000,
  });
}

function useInvalidate(...keys: (readonly unknown[])[]) {
  const queryClient = useQueryClient();
  return () => Promise.all(keys.map((queryKey) => queryClient.invalidateQueries({ queryKey })));
}

export function useCreateUser() {
  const invalidate = useInvalidate(queryKeys.users);
  return useMutation({
    mutationFn: (input: { email: string; name: string; role: Role; password: string }) => api.post<User>('/users', input),
    onSuccess: invalidate,
  });
}

export function useUpdateUser() {
  const invalidate = useInvalidate(queryKeys.users, queryKeys.teams);
  return useMutation({
    mutationFn: ({ id, ...patch }: { id: string; name?: string; role?: Role; disabled?: boolean }) =>
      api.patch<User>(`/users/${encodeURIComponent(id)}`, patch),
    onSuccess: invalidate,
  });
}

/** Sets a member's password (they forgot theirs); the server ends their sessions. */
export function useSetUserPassword() {
  return useMutation({
    mutationFn: ({ id, password }: { id: string; password: string }) =>
      api.post<void>(`/users/${encodeURIComponent(id)}/password`, { password }),
  });
}

export function useRemoveUser() {
  const invalidate = useInvalidate(queryKeys.users, queryKeys.teams);
  return useMutation({
    mutationFn: (id: string) => api.delete(`/users/${encodeURIComponent(id)}`),
    onSuccess: invalidate,
  });
}

// --- invitations ---------------------------------------------------------

export function useInvitations(options: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: queryKeys.invitations,
    queryFn: () => api.get<ItemList<Invitation>>('/invitations').then((r) => r.items),
    enabled: options.enabled ?? true,
  });
}

export function useCreateInvitation() {
  const invalidate = useInvalidate(queryKeys.invitations);
  return useMutation({
    mutationFn: (input: { email: string; role: Role }) => api.post<CreatedInvitation>('/invitations', input),
    onSuccess: invalidate,
  });
}

export function useRevokeInvitation() {
  const invalidate = useInvalidate(queryKeys.invitations);
  return useMutation({
    mutationFn: (id: string) => api.delete(`/invitations/${encodeURIComponent(id)}`),
    onSuccess: invalidate,
  });
}

export function useInvitationLookup(token: string, options: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: queryKeys.invitationLookup(token),
    queryFn: () => api.get<InvitationLookup>('/invitations/lookup', { query: { token } }),
    enabled: token !== '' && (options.enabled ?? true),
    retry: false,
  });
}

export function useAcceptInvitation() {
  const adopt = useAdoptSession();
  return useMutation({
    mutationFn: (input: { token: string; name?: string; password: string }) =>
      api.post<SessionBody>('/invitations/accept', input),
    onSuccess: adopt,
  });
}

// --- teams ---------------------------------------------------------------

export function useTeams(options: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: queryKeys.teams,
    queryFn: () => api.get<ItemList<Team>>('/teams').then((r) => r.items),
    enabled: options.enabled ?? true,
  });
}

export interface TeamInput {
  name: string;
  kind: TeamKind;
  parentId: string | null;
  managerUserId: string | null;
  checkinCadenceDays: number | null;
}

export function useCreateTeam() {
  const invalidate = useInvalidate(queryKeys.teams);
  return useMutation({
    mutationFn: (input: TeamInput) =>
      api.post<Team>('/teams', {
        name: input.name,
        kind: input.kind,
        ...(input.parentId ? { parentId: input.parentId } : {}),
        ...(input.managerUserId ? { managerUserId: input.managerUserId } : {}),
        ...(input.checkinCadenceDays ? { checkinCadenceDays: input.checkinCadenceDays } : {}),
      }),
    onSuccess: invalidate,
  });
}

export function useUpdateTeam() {
  const invalidate = useInvalidate(queryKeys.teams, queryKeys.payees);
  return useMutation({
    mutationFn: ({ id, ...patch }: TeamInput & { id: string }) => api.patch<Team>(`/teams/${encodeURIComponent(id)}`, patch),
    onSuccess: invalidate,
  });
}

export function useDeleteTeam() {
  const invalidate = useInvalidate(queryKeys.teams);
  return useMutation({
    mutationFn: (id: string) => api.delete(`/teams/${encodeURIComponent(id)}`),
    onSuccess: invalidate,
  });
}

// --- payees --------------------------------------------------------------

export interface PayeeListParams extends ListParams {
  kind: PayeeKind | null;
  /** Payees of exactly this unit (the server does not include sub-units). */
  teamId: string | null;
}

/** One page of payees, searched by name, e-mail or external ID and filtered on the server. */
export function usePayees(
  params: Partial<PayeeListParams> & { limit: number },
  options: { enabled?: boolean } = {},
) {
  const normalised: PayeeListParams = { ...listParams(params), kind: params.kind ?? null, teamId: params.teamId ?? null };
  return useQuery({
    queryKey: queryKeys.payeeList(normalised),
    queryFn: ({ signal }) => api.get<Page<Payee>>('/payees', { query: { ...normalised }, signal }),
    enabled: options.enabled ?? true,
    placeholderData: keepPreviousData,
  });
}

export interface PayeeInput {
  kind: PayeeKind;
  displayName: string;
  email: string | null;
  userId: string | null;
  teamId: string | null;
  currency: string;
  externalRef: string | null;
  startDate: string | null;
  endDate: string | null;
}

/** Optional fields are left out on create rather than sent as null. */
function withoutNulls(input: PayeeInput): Record<string, unknown> {
  return Object.fromEntries(Object.entries(input).filter(([, value]) => value !== null && value !== ''));
}

export function useCreatePayee() {
  const invalidate = useInvalidate(queryKeys.payees, queryKeys.teams);
  return useMutation({
    mutationFn: (input: PayeeInput) => api.post<Payee>('/payees', withoutNulls(input)),
    onSuccess: invalidate,
  });
}

export function useUpdatePayee() {
  const invalidate = useInvalidate(queryKeys.payees, queryKeys.teams);
  return useMutation({
    mutationFn: ({ id, ...patch }: PayeeInput & { id: string }) => api.patch<Payee>(`/payees/${encodeURIComponent(id)}`, patch),
    onSuccess: invalidate,
  });
}

export function useDeletePayee() {
  const invalidate = useInvalidate(queryKeys.payees, queryKeys.teams);
  return useMutation({
    mutationFn: (id: string) => api.delete(`/payees/${encodeURIComponent(id)}`),
    onSuccess: invalidate,
  });
}

// --- API tokens ----------------------------------------------------------

export function useApiTokens(options: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: queryKeys.apiTokens,
    queryFn: () => api.get<ItemList<ApiToken>>('/api-tokens').then((r) => r.items),
    enabled: options.enabled ?? true,
  });
}

export function useCreateApiToken() {
  const invalidate = useInvalidate(queryKeys.apiTokens);
  return useMutation({
    mutationFn: (input: { name: string; role: Role }) => api.post<CreatedApiToken>('/api-tokens', input),
    onSuccess: invalidate,
  });
}

export function useRevokeApiToken() {
  const invalidate = useInvalidate(queryKeys.apiTokens);
  return useMutation({
    mutationFn: (id: string) => api.delete(`/api-tokens/${encodeURIComponent(id)}`),
    onSuccess: invalidate,
  });
}

// --- audit ---------------------------------------------------------------

export interface AuditFilters {
  entityType: string;
  action: string;
}

export function useAuditLog(filters: AuditFilters) {
  return useInfiniteQuery({
    queryKey: queryKeys.audit(filters),
    queryFn: ({ pageParam }) =>
      api.get<AuditPage>('/audit', {
        query: { entityType: filters.entityType, action: filters.action, limit: 50, before: pageParam },
      }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextBefore,
  });
}
