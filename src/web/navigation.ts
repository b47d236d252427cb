import {
  IconAdjustmentsHorizontal,
  IconBuildingSkyscraper,
  IconCalculator,
  IconChartHistogram,
  IconCoins,
  IconDatabase,
  IconFileAnalytics,
  IconHierarchy2,
  IconHistory,
  IconHome2,
  IconKey,
  IconMailForward,
  IconShieldLock,
  IconTarget,
  IconUserCircle,
  IconUsers,
  IconUsersGroup,
  type Icon,
} from '@tabler/icons-react';
import type { Permission } from './auth/roles';

export type AreaId = 'okrs' | 'data' | 'metrics' | 'quotas' | 'compensation' | 'reports';
export const AREA_IDS = ['okrs', 'data', 'metrics', 'quotas', 'compensation', 'reports'] as const satisfies readonly AreaId[];

export interface MainNavItem {
  id: 'overview' | AreaId;
  path: string;
  icon: Icon;
  /** Shown only with this permission (the server checks again). */
  permission?: Permission;
}

export const MAIN_NAV: readonly MainNavItem[] = [
  { id: 'overview', path: '/', icon: IconHome2 },
  { id: 'okrs', path: '/okrs', icon: IconTarget },
  { id: 'data', path: '/data', icon: IconDatabase },
  { id: 'metrics', path: '/metrics', icon: IconChartHistogram },
  { id: 'quotas', path: '/quotas', icon: IconCalculator },
  { id: 'compensation', path: '/compensation', icon: IconCoins, permission: 'comp:statements' },
  { id: 'reports', path: '/reports', icon: IconFileAnalytics },
];

export type SettingsPageId =
  | 'profile'
  | 'workspace'
  | 'users'
  | 'invitations'
  | 'roles'
  | 'teams'
  | 'payees'
  | 'apiTokens'
  | 'audit';

export interface SettingsNavItem {
  id: SettingsPageId;
  path: string;
  icon: Icon;
  /** Shown only with this permission; the server checks again. */
  permission: Permission | null;
}

export const SETTINGS_NAV: readonly SettingsNavItem[] = [
  { id: 'profile', path: '/settings/profile', icon: IconUserCircle, permission: null },
  { id: 'workspace', path: '/settings/workspace', icon: IconBuildingSkyscraper, permission: 'tenant:read' },
  // Readers (every internal role) see names in pickers; the page itself is for those who manage users.
  { id: 'users', path: '/settings/users', icon: IconUsers, permission: 'users:manage' },
  { id: 'invitations', path: '/settings/invitations', icon: IconMailForward, permission: 'invitations:manage' },
  { id: 'roles', path: '/settings/roles', icon: IconShieldLock, permission: 'users:read' },
  { id: 'teams', path: '/settings/teams', icon: IconHierarchy2, permission: 'teams:read' },
  { id: 'payees', path: '/settings/payees', icon: IconUsersGroup, permission: 'payees:read' },
  { id: 'apiTokens', path: '/settings/api-tokens', icon: IconKey, permission: 'tokens:manage' },
  { id: 'audit', path: '/settings/audit', icon: IconHistory, permission: 'audit:read' },
];

export const SETTINGS_ICON = IconAdjustmentsHorizontal;

export function settingsItem(id: SettingsPageId): SettingsNavItem {
  const item = SETTINGS_NAV.find((entry) => entry.id === id);
  if (!item) throw new Error(`unknown settings page ${id}`);
  return item;
}
