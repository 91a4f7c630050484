import { AuditLog } from './audit/audit-log';
import { databaseFile } from './data-dir';
import { PortAllocator } from './ports/port-allocator';
import type { SecretCipher } from './secrets/secret-cipher';
import { SettingsStore } from './settings/settings-store';
import { AppRepository } from './store/app-repository';
import { openDatabase, type ProximityDatabase } from './store/database';
import { PveConnectionRepository } from './store/pve-connection-repository';

export type { AuditEntry, AuditInput } from './audit/audit-log';
export type { PortAssignment } from './ports/port-allocator';
export type { PortRange, PortRangeKind } from './ports/port-range';
export type { SecretCipher } from './secrets/secret-cipher';
export type { PortRanges } from './settings/settings-store';
export type { SettingKey, Settings, SettingValue } from './settings/settings-schema';
export type { AppRecord, AppStatus, NewApp } from './store/app-repository';
export type { DatabaseStatus, ProximityDatabase, SqliteDatabase } from './store/database';
export type { NewPveConnection, PveConnectionRecord } from './store/pve-connection-repository';
export { AuditLog, AppRepository, PortAllocator, PveConnectionRepository, SettingsStore };

export interface OpenCoreOptions {
  /** Already resolved and created (see resolveDataDir). */
  dataDir: string;
  appVersion: string;
  /** Needed only by code that stores or reads secrets; absent where no secret store exists. */
  secretCipher?: SecretCipher;
  /** Clock for timestamps (tests pin it). */
  now?: () => Date;
  /** better-sqlite3 native build to load (the Electron shell's Electron-ABI copy); default: Node's build. */
  nativeBinding?: string;
}

/** Everything the product's core needs, built on one database handle. IPC handlers and shells build on this. */
export interface CoreContext {
  readonly dataDir: string;
  readonly appVersion: string;
  readonly db: ProximityDatabase;
  readonly secretCipher?: SecretCipher;
  readonly now: () => Date;
  readonly audit: AuditLog;
  readonly settings: SettingsStore;
  readonly apps: AppRepository;
  readonly ports: PortAllocator;
  /** Secret operations throw SECRET_STORE_UNAVAILABLE when no secretCipher was given. */
  readonly connections: PveConnectionRepository;
  close(): void;
}

export function openCore(options: OpenCoreOptions): CoreContext {
  const now = options.now ?? (() => new Date());
  const db = openDatabase({ file: databaseFile(options.dataDir), nativeBinding: options.nativeBinding });
  const handle = db.handle;
  const audit = new AuditLog(handle, { now });
  const settings = new SettingsStore(handle, audit, { now });
  const apps = new AppRepository(handle, { now });
  const ports = new PortAllocator(handle, audit, settings, { now });
  const connections = new PveConnectionRepository(handle, audit, options.secretCipher, { now });
  return {
    dataDir: options.dataDir,
    appVersion: options.appVersion,
    db,
    secretCipher: options.secretCipher,
    now,
    audit,
    settings,
    apps,
    ports,
    connections,
    close: () => db.close(),
  };
}
