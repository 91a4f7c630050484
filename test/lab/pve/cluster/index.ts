// The stateful half of the PVE API emulator. The HTTP layer creates the state and registers these routes.
import type { AccessState } from '../access/access-state';
import type { RouteTable } from '../types';
import type { ClusterFaults, ClusterState } from './cluster-state';
import type { LabBackend } from '../../backend';
import { registerAplinfoRoutes } from './aplinfo';
import { registerAptRoutes } from './apt-routes';
import { registerLxcRoutes } from './lxc-routes';
import { registerLxcStatusRoutes } from './lxc-status-routes';
import { registerNetworkRoutes } from './network-routes';
import { registerNodeRoutes } from './nodes-routes';
import { registerSnapshotRoutes } from './snapshot-routes';
import { registerStorageRoutes } from './storage-routes';
import { registerVzdumpRoutes } from './vzdump-routes';

export { createClusterState } from './cluster-state';
export type { ClusterState, ClusterFaults, ClusterStateOptions, Container, NodeState } from './cluster-state';
export { seedTemplate, findAppliance } from './aplinfo';

export function registerClusterRoutes(
  routes: RouteTable,
  deps: { state: ClusterState; backend: LabBackend; faults: ClusterFaults; lockTimeoutMs?: number; access?: AccessState },
): void {
  deps.faults.host.bindCluster(deps.state);
  registerNodeRoutes(routes, deps);
  registerStorageRoutes(routes, deps);
  registerAplinfoRoutes(routes, deps);
  registerLxcRoutes(routes, deps);
  registerLxcStatusRoutes(routes, deps);
  registerSnapshotRoutes(routes, deps);
  registerNetworkRoutes(routes, deps);
  registerVzdumpRoutes(routes, deps);
  registerAptRoutes(routes, deps);
}
