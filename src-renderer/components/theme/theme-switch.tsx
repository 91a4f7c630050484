import { Monitor, Moon, Sun } from 'lucide-react';
import { ToggleGroup } from 'radix-ui';
import { useThemeStore, type ThemePreference } from './theme-store';

const OPTIONS: Array<{ value: ThemePreference; label: string; Icon: typeof Sun }> = [
  { value: 'light', label: 'Light', Icon: Sun },
  { value: 'dark', label: 'Dark', Icon: Moon },
  { value: 'system', label: 'System', Icon: Monitor },
];

/** Light / dark / follow the OS, as one segmented control (a Radix toggle group: arrow keys move). */
export function ThemeSwitch({ showLabels = false }: { showLabels?: boolean }) {
  const preference = useThemeStore((s) => s.preference);
  const setPreference = useThemeStore((s) => s.setPreference);
  return (
    <ToggleGroup.Root
      type="single"
      className="segmented"
      aria-label="Theme"
      value={preference}
      onValueChange={(v) => v && setPreference(v as ThemePreference)}
      data-testid="theme-switch"
    >
      {OPTIONS.map(({ value, label, Icon }) => (
        <ToggleGroup.Item key={value} value={value} className="segmented-item" aria-label={`${label} theme`} title={`${label} theme`} data-testid={`theme-${value}`}>
          <Icon size={14} aria-hidden />
          {showLabels && <span>{label}</span>}
        </ToggleGroup.Item>
      ))}
    </ToggleGroup.Root>
  );
}
