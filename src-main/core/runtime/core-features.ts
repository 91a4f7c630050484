// The product features on an opened core, wired once for both shells (src-main/index.ts and the web bridge):
// the per-connection runtime (appliances, deploy connections), the apps feature (catalog, engine, service) and
// the HandlerDeps they fill. Each new or existing connection gets `apps.onConnected` (reconcile + recover).
import { createAppsFeature, type AppsFeature } from '../apps/apps-feature';
import type { CoreContext } from '../core-context';
import type { DeployEngineOptions } from '../deploy/deploy-types';
import type { NetworkApplianceOrchestrator } from '../appliance/network-appliance-orchestrator';
import { ConnectionRuntime } from './connection-runtime';

type Logger = { error(message: string, error?: unknown): void; info?(message: string): void };

export interface CoreFeatures {
  runtime: ConnectionRuntime;
  feature: AppsFeature;
  /** Spread into `createIpcRuntime`'s options (`deps.apps`, `deps.catalog`, `deps.appliances`). */
  deps: {
    apps: AppsFeature['apps'];
    catalog: AppsFeature['catalog'];
    appliances: (connectionId: string | undefined) => NetworkApplianceOrchestrator;
  };
  /**
   * Starts the health monitors and, without waiting, runs `onConnected` for every saved connection (and later
   * for each added one): reconcile, recover, then read every node's appliance status. Errors are logged.
   */
  start(): void;
  /** Resolves when the start-up `onConnected` runs begun so far are done (tests). */
  settled(): Promise<void>;
  /** Stops the monitors and the subscription. Idempotent. */
  close(): Promise<void>;
}

/**
 * Builds the features on `core`. `catalogDir`: the built-in catalog (resources/catalog; in Electron under the app
 * path, see platform/shell-paths.ts). Throws what `AppCatalog.load` throws for a broken catalog.
 */
export async function createCoreFeatures(core: CoreContext, opts: { catalogDir: string; logger?: Logger; engine?: DeployEngineOptions }): Promise<CoreFeatures> {
  const logger: Logger = opts.logger ?? console;
  const runtime = new ConnectionRuntime(core, logger);
  let feature: AppsFeature;
  try {
    feature = await createAppsFeature(core, { catalogDir: opts.catalogDir, connections: (id) => runtime.deployConnection(id), ...(opts.engine && { engine: opts.engine }) });
  } catch (e) {
    await runtime.close(); // nothing was started; drops its event subscriptions
    throw e;
  }
  const pending = new Set<Promise<void>>();
  let off: (() => void) | null = null;

  const connected = (id: string) => {
    const run = (async () => {
      // the appliance status first: it picks the deploy network that recovery and reconcile use
      await runtime.refresh(id).catch((e: unknown) => logger.error(`[apps] could not read the appliances of connection ${id}`, e));
      await feature.apps.onConnected(id);
    })().catch((e: unknown) => logger.error(`[apps] reconcile/recover of connection ${id} failed`, e));
    pending.add(run);
    void run.finally(() => pending.delete(run));
  };

  return {
    runtime,
    feature,
    deps: { apps: feature.apps, catalog: feature.catalog, appliances: (id) => runtime.appliances(id) },
    start() {
      if (off) return;
      runtime.start();
      off = core.events.on('connections.changed', ({ connectionId, change }) => {
        if (change === 'created') connected(connectionId);
      });
      for (const c of core.connectionService.list()) connected(c.id);
    },
    async settled() {
      await Promise.all([...pending]);
    },
    async close() {
      off?.();
      off = null;
      await runtime.close();
    },
  };
}
