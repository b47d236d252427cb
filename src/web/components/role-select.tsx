import { Select, type SelectProps } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { ROLES, type Role } from '../auth/roles';

type RoleSelectProps = Omit<SelectProps, 'data' | 'value' | 'onChange'> & {
  value: Role;
  onChange: (role: Role) => void;
};

export function RoleSelect({ value, onChange, ...props }: RoleSelectProps) {
  const { t } = useTranslation();
  return (
    <Select
      {...props}
      value={value}
      allowDeselect={false}
      data={ROLES.map((role) => ({ value: role, label: t(`roles.${role}.name`) }))}
      onChange={(next) => {
        const role = ROLES.find((r) => r === next);
        if (role) onChange(role);
      }}
      renderOption={({ option }) => (
        <div>
          <div>{option.label}</div>
          <div style={{ fontSize: 'var(--mantine-font-size-xs)', color: 'var(--mantine-color-dimmed)' }}>
            {t(`roles.${option.value as Role}.short`)}
          </div>
        </div>
      )}
    />
  );
}
