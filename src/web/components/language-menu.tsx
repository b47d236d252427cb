import { ActionIcon, Menu, SegmentedControl, Tooltip } from '@mantine/core';
import { IconCheck, IconLanguage } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { LOCALES, type Locale } from '../api/types';
import { isLocale } from '../i18n/setup';
import { useChangeLocale } from './use-change-locale';

function useCurrentLocale(): Locale {
  const { i18n } = useTranslation();
  const language = i18n.resolvedLanguage ?? i18n.language;
  return isLocale(language) ? language : 'en';
}

/** Header control: a menu of languages. */
export function LanguageMenu() {
  const { t } = useTranslation();
  const current = useCurrentLocale();
  const { change, pending } = useChangeLocale();
  return (
    <Menu position="bottom-end" width={180} shadow="md">
      <Menu.Target>
        <Tooltip label={t('header.language')}>
          <ActionIcon size="lg" variant="default" aria-label={t('header.language')} loading={pending} data-testid="language-menu">
            <IconLanguage size={18} stroke={1.6} />
          </ActionIcon>
        </Tooltip>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>{t('header.language')}</Menu.Label>
        {LOCALES.map((locale) => (
          <Menu.Item
            key={locale}
            lang={locale}
            onClick={() => void change(locale)}
            rightSection={locale === current ? <IconCheck size={16} /> : null}
            data-testid={`language-${locale}`}
          >
            {t(`language.${locale}`)}
          </Menu.Item>
        ))}
      </Menu.Dropdown>
    </Menu>
  );
}

/** Sign-in page control: both languages side by side, each in its own language. */
export function LanguageSwitch() {
  const { t } = useTranslation();
  const current = useCurrentLocale();
  const { change } = useChangeLocale();
  return (
    <SegmentedControl
      size="xs"
      radius="xl"
      value={current}
      aria-label={t('header.language')}
      onChange={(value) => {
        if (isLocale(value)) void change(value);
      }}
      data={LOCALES.map((locale) => ({ value: locale, label: t(`language.${locale}`) }))}
    />
  );
}
