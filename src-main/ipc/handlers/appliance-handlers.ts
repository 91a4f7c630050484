import type { ApplianceDaemonName, ApplianceStatus, NatTestResult, ProxyStatus } from '../../../src-shared/contract/appliance-schemas';
import type { Operation } from '../../../src-shared/contract/schemas';
import { ProximityError } from '../../core/errors';
import type { HandlerDeps, Handlers } from '../handler-types';

/**
 * What the appliance handlers need of one connection's `NetworkApplianceOrchestrator`
 * (src-main/core/appliance/network-appliance-orchestrator.ts implements it).
 */
export interface AppliancesForIpc {
  status(node: string, signal?: AbortSignal): Promise<ApplianceStatus>;
  provision(node: string): Operation;
  restartServices(node: string, services?: readonly ApplianceDaemonName[]): Promise<ApplianceStatus>;
  logs(node: string, service: ApplianceDaemonName, lines: number): Promise<{ service: ApplianceDaemonName; file: string; lines: string[] }>;
  natTest(node: string, input: { vmid?: number; url?: string }, signal?: AbortSignal): Promise<NatTestResult>;
  proxyStatus(node: string): Promise<ProxyStatus>;
}

type ApplianceChannels = 'appliance.status' | 'appliance.provision' | 'appliance.restartServices' | 'appliance.logs' | 'appliance.natTest' | 'proxy.status';

/**
 * The appliance and proxy channels. Each resolves the orchestrator of the requested connection through
 * `deps.appliances(connectionId)` (the per-connection runtime wires it; it throws NOT_FOUND for an unknown
 * connection). Without that dep (no PVE connection support in this shell) every channel answers NOT_SUPPORTED.
 */
export function createApplianceHandlers(deps: HandlerDeps): Pick<Handlers, ApplianceChannels> {
  const resolve = (connectionId: string | undefined): AppliancesForIpc => {
    if (!deps.appliances) throw new ProximityError('NOT_SUPPORTED', 'No Proxmox VE connection is available here, so there is no network appliance to manage.');
    return deps.appliances(connectionId);
  };
  return {
    'appliance.status': ({ connectionId, node }, ctx) => resolve(connectionId).status(node, ctx.signal),
    'appliance.provision': ({ connectionId, node }) => ({ operationId: resolve(connectionId).provision(node).id }),
    'appliance.restartServices': ({ connectionId, node, services }) => resolve(connectionId).restartServices(node, services),
    'appliance.logs': ({ connectionId, node, service, lines }) => resolve(connectionId).logs(node, service, lines),
    'appliance.natTest': ({ connectionId, node, vmid, url }, ctx) => resolve(connectionId).natTest(node, { vmid, url }, ctx.signal),
    'proxy.status': ({ connectionId, node }) => resolve(connectionId).proxyStatus(node),
  };
}
