import { z } from 'zod';
import { DEFAULT_INTERNAL_RANGE, DEFAULT_PUBLIC_RANGE, portRangeSchema } from '../ports/port-range';

/** Every known setting: its schema and default. A key not listed here is rejected. */
export const SETTING_SCHEMAS = {
  'ports.publicRange': portRangeSchema,
  'ports.internalRange': portRangeSchema,
  /** Concurrent container create/clone/destroy per node (PVE serialises per guest and storage, with few workers). */
  'deploy.maxCreatesPerNode': z.number().int().min(1).max(16),
} as const;

export type SettingKey = keyof typeof SETTING_SCHEMAS;
export type SettingValue<K extends SettingKey> = z.infer<(typeof SETTING_SCHEMAS)[K]>;
export type Settings = { [K in SettingKey]: SettingValue<K> };

export const SETTING_DEFAULTS: Settings = {
  'ports.publicRange': DEFAULT_PUBLIC_RANGE,
  'ports.internalRange': DEFAULT_INTERNAL_RANGE,
  'deploy.maxCreatesPerNode': 2,
};

export const SETTING_KEYS = Object.keys(SETTING_SCHEMAS) as SettingKey[];

export function isSettingKey(key: string): key is SettingKey {
  return Object.hasOwn(SETTING_SCHEMAS, key);
}
