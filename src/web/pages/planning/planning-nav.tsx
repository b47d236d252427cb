import { Tabs } from '@mantine/core';
import { IconChartLine, IconMap2, IconTable, IconTargetArrow, type Icon } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import type { Permission } from '../../auth/roles';
import { useCan } from '../../auth/session';

export type PlanningSection = 'quotas' | 'territories' | 'forecast' | 'accuracy';

const SECTIONS: readonly { id: PlanningSection; path: string; icon: Icon; permission: Permission }[] = [
  { id: 'quotas', path: '/quotas', icon: IconTable, permission: 'quotas:read' },
  { id: 'territories', path: '/quotas/territories', icon: IconMap2, permission: 'territories:read' },
  { id: 'forecast', path: '/quotas/forecast', icon: IconChartLine, permission: 'forecasts:read' },
  { id: 'accuracy', path: '/quotas/accuracy', icon: IconTargetArrow, permission: 'forecasts:read' },
];

/** The planning area's sections (quota plans, territories, forecast, accuracy), shown under each page's header. */
export function PlanningNav({ active }: { active: PlanningSection }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const can = useCan();
  return (
    <Tabs
      value={active}
      onChange={(value) => {
        const section = SECTIONS.find((entry) => entry.id === value);
        if (section) void navigate(section.path);
      }}
      mb="lg"
      aria-label={t('planning.nav.label')}
    >
      <Tabs.List style={{ flexWrap: 'nowrap', overflowX: 'auto', overflowY: 'hidden' }}>
        {SECTIONS.filter((section) => can(section.permission)).map((section) => (
          <Tabs.Tab key={section.id} value={section.id} leftSection={<section.icon size={16} />} style={{ whiteSpace: 'nowrap' }} data-testid={`planning-tab-${section.id}`}>
            {t(`planning.nav.${section.id}`)}
          </Tabs.Tab>
        ))}
      </Tabs.List>
    </Tabs>
  );
}
