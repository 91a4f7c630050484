import type { EventName } from '../../src-shared/contract/names';
import { createDispatcher } from './dispatcher';
import type { Dispatcher } from './dispatcher';
import { EventHub } from './event-hub';
import type { CoreForIpc, HandlerDeps } from './handler-types';
import { createHandlers } from './handlers';
import { listAppSummaries, toConnection, toDatabaseStatus, toPortRanges } from './handlers/mappers';
import { createOriginPolicy } from './sender-policy';

type Logger = { error(message: string, error?: unknown): void; warn?(message: string): void };

export interface IpcRuntimeOptions extends Omit<HandlerDeps, 'core'> {
  /** Origins whose top frame may call main (`app://proximity`, the dev server, the web bridge's own origin). */
  allowedOrigins: readonly string[];
  /** Check handler outputs against the contract (default: outside production). */
  validateOutput?: boolean;
  logger?: Logger;
}

/** Core + dispatcher + events, wired once; the Electron shell and the web bridge bind their transport to it. */
export interface IpcRuntime {
  readonly hub: EventHub;
  readonly dispatcher: Dispatcher;
  /** Stops forwarding core events (the hub keeps its sinks until they are removed). Idempotent. */
  close(): void;
}

/**
 * The one wiring of core, handlers, dispatcher and events: core announces a change (`core.events`), this turns
 * it into the contract's snapshot event on the hub, which every subscribed window or socket receives. No handler
 * publishes anything. Initial snapshots are published here, so the first subscriber gets them on subscribe.
 * A snapshot that cannot be read (database gone) is logged and skipped: it must not turn a committed change
 * into an error, and the renderer still sees the problem when it asks.
 */
export function createIpcRuntime(core: CoreForIpc, options: IpcRuntimeOptions): IpcRuntime {
  const logger: Logger = options.logger ?? console;
  const hub = new EventHub(logger);
  const { allowedOrigins, validateOutput, logger: _logger, ...handlerDeps } = options;
  const dispatcher = createDispatcher(createHandlers({ core, ...handlerDeps }), {
    policy: createOriginPolicy(allowedOrigins),
    logger,
    ...(validateOutput === undefined ? {} : { validateOutput }),
  });

  const publishSafely = (event: EventName, read: () => unknown) => {
    try {
      hub.publish(event, read() as never);
    } catch (e) {
      logger.error(`[events] could not publish ${event}`, e);
    }
  };
  const publishApps = () => publishSafely('apps.changed', () => listAppSummaries(core));
  const publishDatabase = () => publishSafely('database.statusChanged', () => toDatabaseStatus(core.db.status()));
  const publishConnections = () => publishSafely('connections.changed', () => core.connectionService.list().map(toConnection));
  const publishPortRanges = () => publishSafely('settings.portRangesChanged', () => toPortRanges(core.settings.getPortRanges()));

  const unsubscribers = [
    core.events.on('apps.changed', publishApps),
    core.events.on('ports.changed', publishApps), // app summaries carry their port pair
    core.events.on('settings.changed', ({ keys }) => {
      if (keys.some((k) => k.startsWith('ports.'))) publishPortRanges();
    }),
    core.events.on('operations.changed', (op) => publishSafely('operations.progress', () => op)),
    core.events.on('connections.changed', () => publishConnections()),
    core.events.on('cluster.changed', ({ connectionId }) => publishSafely('cluster.changed', () => core.proxmox.currentSnapshot(connectionId))),
    core.events.on('appliance.changed', (status) => publishSafely('appliance.changed', () => status)),
  ];
  publishApps();
  publishDatabase();
  publishPortRanges();
  publishConnections();

  let closed = false;
  return {
    hub,
    dispatcher,
    close: () => {
      if (closed) return;
      closed = true;
      for (const off of unsubscribers) off();
    },
  };
}
