import type { ChannelOutput, ParsedChannelInput } from '../../src-shared/contract/channels';
import type { ChannelName } from '../../src-shared/contract/names';
import type { Operation, OperationSummary, Runtime, SecretStorageInfo } from '../../src-shared/contract/schemas';
import type { SenderInfo } from './sender-policy';
import type { AppliancesForIpc } from './handlers/appliance-handlers';
import type {
  ConnectionService,
  ProxmoxSessions,
  PveConnectionRecord,
  AppRecord,
  AuditEntry,
  CoreEventListener,
  CoreEventName,
  DatabaseStatus,
  PortAssignment,
  PortRange,
  PortRanges,
} from '../core/core-context';

/** What a handler knows about the call besides its (already validated) input. */
export interface HandlerContext {
  channel: ChannelName;
  sender: SenderInfo;
  /** Aborts when the caller's transport goes away (window gone, socket closed, quitting): pass it to awaits. */
  signal: AbortSignal;
}

/** A handler for one channel. Typed from the contract: returning the wrong shape does not compile. */
export type Handler<C extends ChannelName> = (
  input: ParsedChannelInput<C>,
  ctx: HandlerContext,
) => ChannelOutput<C> | Promise<ChannelOutput<C>>;

/** Exactly one handler per channel; a missing or extra channel does not compile. */
export type Handlers = { [C in ChannelName]: Handler<C> };

/**
 * The slice of the core (`openCore()` in `src-main/core/core-context.ts`) the handlers use: behaviour declared
 * here (so tests can pass a narrower core), records typed by the core itself.
 */
export interface CoreForIpc {
  dataDir: string;
  appVersion: string;
  db: { status(): CoreDbStatus };
  audit: { list(query: { limit: number; beforeId?: number }): CoreAuditEntry[] };
  now?: () => Date;
  settings: {
    getPortRanges(): CorePortRanges;
    /** Validates again, refuses ranges that would orphan assigned ports, audits as `actor`. */
    setPortRanges(ranges: CorePortRanges, actor?: string): CorePortRanges;
  };
  apps: { list(): CoreApp[] };
  ports: { list(): CorePortAssignment[] };
  operations: {
    list(limit?: number): OperationSummary[];
    /** NOT_FOUND when unknown. */
    require(id: string): Operation;
    /** NOT_FOUND when unknown; an ended operation is returned unchanged. */
    cancel(id: string): OperationSummary;
  };
  /** Proxmox connection profiles (inputs already validated by the contract). */
  connectionService: Pick<ConnectionService, 'list' | 'probe' | 'add' | 'update' | 'remove' | 'test' | 'repin'>;
  /** Live cluster state per connection, and whether a window shows it. */
  proxmox: Pick<ProxmoxSessions, 'snapshot' | 'currentSnapshot' | 'setVisible'>;
  /** Core's own announcements; the IPC runtime turns them into contract events. */
  events: { on<E extends CoreEventName>(event: E, listener: CoreEventListener<E>): () => void };
}

// The core's own record types: the IPC layer maps them onto contract shapes in handlers/mappers.ts.
export type CoreDbStatus = DatabaseStatus;
export type CorePortRange = PortRange;
export type CorePortRanges = PortRanges;
export type CoreApp = Pick<AppRecord, 'id' | 'catalogId' | 'name' | 'hostname' | 'node' | 'vmid' | 'status'>;
export type CorePortAssignment = PortAssignment;
export type CoreAuditEntry = AuditEntry;
export type CoreConnection = PveConnectionRecord;

/** Everything the handlers need, injected so Electron and the web bridge wire the same handlers. */
export interface HandlerDeps {
  core: CoreForIpc;
  runtime: Runtime;
  appName: string;
  /** `process.platform` in production; injectable for tests. */
  platform?: string;
  /** Where secrets are kept (`system.getInfo`); Electron derives it from safeStorage. Absent/null: none kept here. */
  secretStorage?: SecretStorageInfo | null;
  /** Opens an http(s) URL in the operator's browser (Electron: `shell.openExternal`). */
  openExternal(url: string): Promise<void>;
  /**
   * The network appliances of a PVE connection (its `NetworkApplianceOrchestrator`); `connectionId` undefined
   * means the only/active one. Throws NOT_FOUND for an unknown connection. Absent: the appliance channels answer
   * NOT_SUPPORTED.
   */
  appliances?(connectionId: string | undefined): AppliancesForIpc;
  /** The apps feature (deploy, lifecycle, safe commands); absent until a cluster is connected (NOT_SUPPORTED). */
  apps?: AppsForIpc;
  /** The built-in catalog; absent: NOT_SUPPORTED. */
  catalog?: CatalogForIpc;
}

/** What the apps handlers call (src-main/core/deploy + src-main/core/apps build it; see apps-service.ts). */
export interface AppsForIpc {
  /** Validates and starts a deployment; throws VALIDATION, NOT_FOUND, CATALOG_PARAMETER_INVALID, CONFLICT. */
  deploy(input: ParsedChannelInput<'apps.deploy'>): { operationId: string; appId: string };
  act(appId: string, action: 'start' | 'stop' | 'restart'): { operationId: string };
  delete(appId: string, options: { confirmDataLoss: boolean }): { operationId: string };
  status(appId: string, signal?: AbortSignal): Promise<{
    pve: ChannelOutput<'apps.get'>['pve'];
    runtime: ChannelOutput<'apps.get'>['runtime'];
    health: ChannelOutput<'apps.get'>['health'];
    urls: ChannelOutput<'apps.get'>['urls'];
  }>;
  adoptable(connectionId: string, signal?: AbortSignal): Promise<ChannelOutput<'apps.adoptable'>>;
  /** Throws VALIDATION, CONFLICT, PVE errors. */
  adopt(connectionId: string, request: Omit<ParsedChannelInput<'apps.adopt'>, 'connectionId'>): Promise<{ appId: string }>;
  commands: {
    list(): ChannelOutput<'commands.list'>;
    run(appId: string, commandId: string, params: unknown, signal?: AbortSignal): Promise<ChannelOutput<'commands.run'>>;
  };
}

export interface CatalogForIpc {
  list(): ChannelOutput<'catalog.list'>;
  /** NOT_FOUND for an unknown id. */
  get(id: string): ChannelOutput<'catalog.get'>;
}
