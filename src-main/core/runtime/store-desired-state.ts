// The desired state of a connection's appliances, read from the store on every call (the single source of truth):
// the apps the deployment engine recorded on a node in appliance mode, with their lease (apps.ip/mac, migration
// 007) and their route (apps.spec: container port and the port pair the allocator assigned).
import type { AppRecord } from '../apps/app-repository';
import type { ApplianceDesiredState, ApplianceLease } from '../appliance/node-access';
import { appSpecSchema, type AppSpec } from '../deploy/app-spec';
import type { RouteSource } from '../deploy/deploy-network';
import type { ProxyRoute } from '../proxy/proxy-route';

/** The app rows of one connection and node that sit on the appliance (spec mode `appliance`, lease known). */
function applianceApps(list: () => readonly AppRecord[], connectionId: string, node: string): Array<{ app: AppRecord & { ip: string; mac: string }; spec: AppSpec }> {
  const out: Array<{ app: AppRecord & { ip: string; mac: string }; spec: AppSpec }> = [];
  for (const app of list()) {
    if (app.connectionId !== connectionId || app.node !== node || !app.ip || !app.mac) continue;
    const spec = appSpecSchema.safeParse(app.spec);
    if (!spec.success || spec.data.mode !== 'appliance') continue;
    out.push({ app: app as AppRecord & { ip: string; mac: string }, spec: spec.data });
  }
  return out;
}

function routeOf(app: { ip: string }, spec: AppSpec): ProxyRoute {
  return { hostname: spec.hostname, containerIp: app.ip, containerPort: spec.containerPort, publicPort: spec.ports.public, internalPort: spec.ports.internal };
}

/**
 * `ApplianceDesiredState` of `connectionId` over the app repository (`list`, e.g. `core.apps.list()`): leases
 * `{appId, hostname, mac, ip}` and proxy routes of every app recorded on the node in appliance mode. Apps in
 * fallback mode (on vmbr0) and apps without a lease yet are left out. Never throws for a malformed spec (skipped).
 */
export function storeDesiredState(list: () => readonly AppRecord[], connectionId: string): ApplianceDesiredState & { routeSource: RouteSource } {
  return {
    leases: (node: string): ApplianceLease[] => applianceApps(list, connectionId, node).map(({ app, spec }) => ({ appId: app.id, hostname: spec.hostname, mac: app.mac, ip: app.ip })),
    routes: (node: string): ProxyRoute[] => applianceApps(list, connectionId, node).map(({ app, spec }) => routeOf(app, spec)),
    routeSource: (node: string) => applianceApps(list, connectionId, node).map(({ app, spec }) => ({ appId: app.id, route: routeOf(app, spec) })),
  };
}
