// One call that builds the apps feature on an opened core: the catalog, the deployment engine (its node cap
// backed by the `deploy.maxCreatesPerNode` setting) and the AppsService the IPC handlers take as `deps.apps`.
import type { CoreContext } from '../core-context';
import type { ConnectionLookup } from '../deploy/deployment-engine';
import { DeploymentEngine } from '../deploy/deployment-engine';
import { deployCoreOf, type DeployEngineOptions } from '../deploy/deploy-types';
import { AppCatalog } from './app-catalog';
import { AppsService } from './apps-service';

export interface AppsFeature {
  catalog: AppCatalog;
  engine: DeploymentEngine;
  apps: AppsService;
}

/**
 * Loads the catalog from `catalogDir` (resources/catalog) and builds the engine and the service. `connections`
 * hands out the live connection of a profile (throws when it is not connected); `actor` names the local
 * operator profile for the audit log. Call `engine.recover()` once at start-up and again after each connect.
 */
export async function createAppsFeature(
  core: CoreContext,
  opts: { catalogDir: string; connections: ConnectionLookup; actor?: () => string; engine?: DeployEngineOptions },
): Promise<AppsFeature> {
  const catalog = await AppCatalog.load(opts.catalogDir);
  const deployCore = deployCoreOf(core);
  const actor = opts.actor ?? (() => 'operator');
  const engine = new DeploymentEngine(deployCore, opts.connections, (id) => catalog.manifest(id), {
    maxCreatesPerNode: () => core.settings.get('deploy.maxCreatesPerNode'),
    actor,
    ...opts.engine,
  });
  return { catalog, engine, apps: new AppsService(deployCore, engine, opts.connections, actor) };
}
