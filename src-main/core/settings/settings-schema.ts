import { z } from 'zod';
import { DEFAULT_NETWORK_SETTINGS, networkSettingsSchema } from '../network/network-settings';
import { DEFAULT_INTERNAL_RANGE, DEFAULT_PUBLIC_RANGE, portRangeSchema } from '../ports/port-range';

/** PVE's `pve-vmid` range (pve-common JSONSchema.pm): the appliance's VMID must be one. */
const applianceVmidSchema = z.number().int().min(100).max(999_999_999);

/** Every known setting: its schema and default. A key not listed here is rejected. */
export const SETTING_SCHEMAS = {
  'ports.publicRange': portRangeSchema,
  'ports.internalRange': portRangeSchema,
  // The appliance LAN: bridge name (`proxlan`: PVE interface names have no `-`), subnet, DHCP range, domain, ...
  'network.lan': networkSettingsSchema,
  // The VMID the network appliance lives at (the seed's 9999).
  'appliance.vmid': applianceVmidSchema,
  // How often the health monitor checks each appliance, ms (1 s .. 1 h).
  'appliance.healthIntervalMs': z.number().int().min(1_000).max(3_600_000),
  // Whether the health monitor restarts a daemon it finds down (each restart is audit-logged).
  'appliance.autoRestart': z.boolean(),
  /** Concurrent container create/clone/destroy per node (PVE serialises per guest and storage, with few workers). */
  'deploy.maxCreatesPerNode': z.number().int().min(1).max(16),
} as const;

export type SettingKey = keyof typeof SETTING_SCHEMAS;
export type SettingValue<K extends SettingKey> = z.infer<(typeof SETTING_SCHEMAS)[K]>;
export type Settings = { [K in SettingKey]: SettingValue<K> };

export const SETTING_DEFAULTS: Settings = {
  'ports.publicRange': DEFAULT_PUBLIC_RANGE,
  'ports.internalRange': DEFAULT_INTERNAL_RANGE,
  'network.lan': DEFAULT_NETWORK_SETTINGS,
  'appliance.vmid': 9999,
  'appliance.healthIntervalMs': 30_000,
  'appliance.autoRestart': true,
  'deploy.maxCreatesPerNode': 2,
};

export const SETTING_KEYS = Object.keys(SETTING_SCHEMAS) as SettingKey[];

export function isSettingKey(key: string): key is SettingKey {
  return Object.hasOwn(SETTING_SCHEMAS, key);
}
