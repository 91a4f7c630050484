import { AppRepository } from './apps/app-repository';
import { AuditLog } from './audit/audit-log';
import { ConnectionService, type ConnectionServiceOptions } from './connections/connection-service';
import { ProxmoxSessions, type ProxmoxSessionsOptions } from './connections/proxmox-sessions';
import { PveConnectionRepository } from './connections/pve-connection-repository';
import { SshHostKeyRepository } from './ssh/ssh-host-key-repository';
import { databaseFile } from './data-dir';
import { CoreEvents } from './events/core-events';
import { Operations } from './operations/operations';
import { PortAllocator } from './ports/port-allocator';
import type { SecretCipher } from './secrets/secret-cipher';
import { SettingsStore } from './settings/settings-store';
import { openDatabase, type ProximityDatabase } from './store/database';

export type { AuditEntry, AuditInput } from './audit/audit-log';
export type { PortAssignment } from './ports/port-allocator';
export type { PortRange, PortRangeKind } from './ports/port-range';
export type { SecretCipher } from './secrets/secret-cipher';
export type { PortRanges } from './settings/settings-store';
export type { SettingKey, Settings, SettingValue } from './settings/settings-schema';
export type { AppRecord, AppStatus, NewApp } from './apps/app-repository';
export type { DatabaseStatus, ProximityDatabase, SqliteDatabase } from './store/database';
export type { NewPveConnection, PveConnectionRecord } from './connections/pve-connection-repository';
export type { ConnectionAdd, ConnectionRepin, ConnectionUpdate } from './connections/connection-service';
export type { CoreEventListener, CoreEventMap, CoreEventName, CoreEventPublisher } from './events/core-events';
export type { OperationContext, OperationSpec, OperationWork } from './operations/operations';
export { AuditLog, AppRepository, ConnectionService, CoreEvents, Operations, PortAllocator, ProxmoxSessions, PveConnectionRepository, SettingsStore, SshHostKeyRepository };

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
  /** Tuning of the Proxmox layer (tests shorten ticks and deadlines): cluster ticks, request and SSH timeouts. */
  proxmox?: Pick<ProxmoxSessionsOptions, 'busyIntervalMs' | 'idleIntervalMs' | 'requestTimeoutMs' | 'ssh'> &
    Pick<ConnectionServiceOptions, 'probeTimeoutMs' | 'test'>;
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
  /** Connection profiles as the operator manages them: probe, add, edit, re-pin, remove, test. */
  readonly connectionService: ConnectionService;
  /** Per connection, built on first use: the pinned PVE client, node SSH and the live cluster state. */
  readonly proxmox: ProxmoxSessions;
  /** SSH host key pins per node (`<connectionId>/<node>`), audited. */
  readonly hostKeys: SshHostKeyRepository;
  /** What changed in core (apps, ports, settings, connections, operations); IPC and the tray subscribe here. */
  readonly events: CoreEvents;
  /** Long work with steps, percent, log and cancellation; journaled in the database. */
  readonly operations: Operations;
  /** Marks running operations `interrupted`, stops cluster polling and closes PVE/SSH connections, then closes the database. */
  close(): void;
}

export function openCore(options: OpenCoreOptions): CoreContext {
  const now = options.now ?? (() => new Date());
  const db = openDatabase({ file: databaseFile(options.dataDir), nativeBinding: options.nativeBinding });
  const handle = db.handle;
  const events = new CoreEvents();
  const audit = new AuditLog(handle, { now });
  const settings = new SettingsStore(handle, audit, { now, events });
  const apps = new AppRepository(handle, { now, events });
  const ports = new PortAllocator(handle, audit, settings, { now, events });
  const connections = new PveConnectionRepository(handle, audit, options.secretCipher, { now, events });
  const hostKeys = new SshHostKeyRepository(handle, audit);
  const { probeTimeoutMs, test, ...sessionTuning } = options.proxmox ?? {};
  const proxmox = new ProxmoxSessions({ connections, hostKeys, events, ...sessionTuning });
  const connectionService = new ConnectionService({ repository: connections, sessions: proxmox, probeTimeoutMs, test });
  // Constructed last: it marks operations a previous process left running as `interrupted`.
  const operations = new Operations(handle, events, { now });
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
    connectionService,
    proxmox,
    hostKeys,
    events,
    operations,
    close: () => {
      operations.shutdown();
      // timers stop and sockets start closing now; nothing of it needs the database
      void proxmox.close();
      db.close();
    },
  };
}
