import {
  IconAlertTriangle,
  IconArrowsSplit,
  IconBolt,
  IconCalendarStats,
  IconCalculator,
  IconChartBar,
  IconChartHistogram,
  IconChartLine,
  IconCloudUpload,
  IconCoins,
  IconDatabase,
  IconFileAnalytics,
  IconFileExport,
  IconFileInvoice,
  IconFilter,
  IconListCheck,
  IconMap2,
  IconReceipt2,
  IconTarget,
  IconWebhook,
  type Icon,
} from '@tabler/icons-react';
import type { MantineColor } from '@mantine/core';
import type { ActionId } from '../../actions';
import type { AreaId } from '../../navigation';

export interface AreaConfig {
  icon: Icon;
  color: MantineColor;
  /** Three capabilities, described under `areas.<id>.features.<key>`. */
  features: readonly { key: 'one' | 'two' | 'three'; icon: Icon }[];
  /** What the user can already do, most relevant first; filtered by permission. */
  actions: readonly ActionId[];
  /** Other areas this one feeds or draws from. */
  related: readonly AreaId[];
}

export const AREAS: Record<AreaId, AreaConfig> = {
  okrs: {
    icon: IconTarget,
    color: 'brand',
    features: [
      { key: 'one', icon: IconTarget },
      { key: 'two', icon: IconBolt },
      { key: 'three', icon: IconListCheck },
    ],
    actions: ['buildTeams', 'viewTeams', 'inviteColleagues', 'manageUsers', 'profile'],
    related: ['metrics', 'data', 'reports'],
  },
  data: {
    icon: IconDatabase,
    color: 'cyan',
    features: [
      { key: 'one', icon: IconCloudUpload },
      { key: 'two', icon: IconWebhook },
      { key: 'three', icon: IconFilter },
    ],
    actions: ['createApiToken', 'apiDocs', 'addPayees', 'viewPayees', 'auditLog', 'profile'],
    related: ['metrics', 'okrs', 'quotas'],
  },
  metrics: {
    icon: IconChartHistogram,
    color: 'grape',
    features: [
      { key: 'one', icon: IconChartBar },
      { key: 'two', icon: IconArrowsSplit },
      { key: 'three', icon: IconCalendarStats },
    ],
    actions: ['workspaceSettings', 'viewWorkspace', 'createApiToken', 'buildTeams', 'viewTeams', 'profile'],
    related: ['data', 'okrs', 'quotas', 'compensation'],
  },
  quotas: {
    icon: IconCalculator,
    color: 'teal',
    features: [
      { key: 'one', icon: IconMap2 },
      { key: 'two', icon: IconCalculator },
      { key: 'three', icon: IconChartLine },
    ],
    actions: ['buildTeams', 'viewTeams', 'addPayees', 'viewPayees', 'workspaceSettings', 'viewWorkspace', 'profile'],
    related: ['metrics', 'compensation', 'reports'],
  },
  compensation: {
    icon: IconCoins,
    color: 'orange',
    features: [
      { key: 'one', icon: IconReceipt2 },
      { key: 'two', icon: IconCoins },
      { key: 'three', icon: IconFileInvoice },
    ],
    actions: ['addPayees', 'viewPayees', 'workspaceSettings', 'viewWorkspace', 'auditLog', 'profile'],
    related: ['quotas', 'metrics', 'reports'],
  },
  reports: {
    icon: IconFileAnalytics,
    color: 'pink',
    features: [
      { key: 'one', icon: IconChartLine },
      { key: 'two', icon: IconAlertTriangle },
      { key: 'three', icon: IconFileExport },
    ],
    actions: ['auditLog', 'manageUsers', 'viewTeams', 'buildTeams', 'viewWorkspace', 'workspaceSettings', 'profile'],
    related: ['okrs', 'quotas', 'compensation'],
  },
};
