import {
  IconApi,
  IconBuildingSkyscraper,
  IconHierarchy2,
  IconHistory,
  IconKey,
  IconMailForward,
  IconShieldLock,
  IconUserCircle,
  IconUsers,
  IconUsersGroup,
  type Icon,
} from '@tabler/icons-react';
import type { MantineColor } from '@mantine/core';
import type { Permission } from './auth/roles';

/** Things a user can do today, offered on the overview and area pages when their role allows. */
export type ActionId =
  | 'inviteColleagues'
  | 'manageUsers'
  | 'buildTeams'
  | 'viewTeams'
  | 'addPayees'
  | 'viewPayees'
  | 'createApiToken'
  | 'apiDocs'
  | 'workspaceSettings'
  | 'viewWorkspace'
  | 'auditLog'
  | 'reviewRoles'
  | 'profile';

export interface ActionDef {
  id: ActionId;
  path: string;
  icon: Icon;
  color: MantineColor;
  external?: boolean;
  /** Needs this permission... */
  requires: Permission | null;
  /** ...and is hidden when the user has this stronger one (a "view" action beside a "manage" one). */
  hiddenWith?: Permission;
}

export const ACTIONS: Record<ActionId, ActionDef> = {
  inviteColleagues: { id: 'inviteColleagues', path: '/settings/invitations', icon: IconMailForward, color: 'brand', requires: 'invitations:manage' },
  manageUsers: { id: 'manageUsers', path: '/settings/users', icon: IconUsers, color: 'blue', requires: 'users:manage' },
  buildTeams: { id: 'buildTeams', path: '/settings/teams', icon: IconHierarchy2, color: 'violet', requires: 'teams:manage' },
  viewTeams: { id: 'viewTeams', path: '/settings/teams', icon: IconHierarchy2, color: 'violet', requires: 'teams:read', hiddenWith: 'teams:manage' },
  addPayees: { id: 'addPayees', path: '/settings/payees', icon: IconUsersGroup, color: 'teal', requires: 'payees:manage' },
  viewPayees: { id: 'viewPayees', path: '/settings/payees', icon: IconUsersGroup, color: 'teal', requires: 'payees:read', hiddenWith: 'payees:manage' },
  createApiToken: { id: 'createApiToken', path: '/settings/api-tokens', icon: IconKey, color: 'orange', requires: 'tokens:manage' },
  apiDocs: { id: 'apiDocs', path: '/api/docs', icon: IconApi, color: 'cyan', requires: 'tokens:manage', external: true },
  workspaceSettings: { id: 'workspaceSettings', path: '/settings/workspace', icon: IconBuildingSkyscraper, color: 'grape', requires: 'tenant:manage' },
  viewWorkspace: { id: 'viewWorkspace', path: '/settings/workspace', icon: IconBuildingSkyscraper, color: 'grape', requires: 'tenant:read', hiddenWith: 'tenant:manage' },
  auditLog: { id: 'auditLog', path: '/settings/audit', icon: IconHistory, color: 'gray', requires: 'audit:read' },
  reviewRoles: { id: 'reviewRoles', path: '/settings/roles', icon: IconShieldLock, color: 'red', requires: 'users:read' },
  profile: { id: 'profile', path: '/settings/profile', icon: IconUserCircle, color: 'brand', requires: null },
};

export function availableActions(ids: readonly ActionId[], can: (permission: Permission) => boolean): ActionDef[] {
  return ids
    .map((id) => ACTIONS[id])
    .filter((action) => (action.requires === null || can(action.requires)) && !(action.hiddenWith && can(action.hiddenWith)));
}
