import { create } from 'zustand';
import type { InfrastructureStatus } from '../../../src-shared/contract/schemas';

/**
 * What the Infrastructure screen shows. Channels are not in the contract yet; expected:
 *   `connections.list` -> ProxmoxConnection[], `connections.test` -> ConnectionTestResult (onboarding),
 *   `nodes.list` + event `nodes.changed` -> NodeHealth[],
 *   `appliance.getStatus` + event `appliance.statusChanged` -> ApplianceStatus,
 *   `appliance.provision` / `appliance.repair` / `appliance.restartService` -> OperationSummary.
 * Until then `connected` stays false and the screen says what will be here.
 */
export interface ProxmoxConnection {
  id: string;
  host: string;
  port: number;
  fingerprint: string;
  status: InfrastructureStatus;
}

export interface NodeHealth {
  node: string;
  status: 'online' | 'offline' | 'unknown';
  cpu: number; // fraction 0-1
  memUsedBytes: number;
  memTotalBytes: number;
  diskUsedBytes: number;
  diskTotalBytes: number;
}

export interface ApplianceService {
  name: 'dnsmasq' | 'caddy' | 'nat';
  status: InfrastructureStatus;
}

export interface ApplianceStatus {
  vmid: number;
  node: string;
  /** The address apps are reached at (`http://<address>:<public port>`). */
  address: string;
  bridge: string;
  status: InfrastructureStatus;
  services: ApplianceService[];
  /** True when Proximity fell back to direct access because the appliance is unusable. */
  fallback: boolean;
}

export interface InfrastructureState {
  /** False until main offers the connection channels. */
  connected: boolean;
  connections: ProxmoxConnection[];
  nodes: NodeHealth[];
  appliance: ApplianceStatus | null;
  applyAppliance(appliance: ApplianceStatus | null): void;
  applyNodes(nodes: NodeHealth[]): void;
  applyConnections(connections: ProxmoxConnection[]): void;
}

/** Connections, nodes and the appliance, as main reports them (empty until the channels exist). */
export const useInfrastructureStore = create<InfrastructureState>((set) => ({
  connected: false,
  connections: [],
  nodes: [],
  appliance: null,
  applyAppliance: (appliance) => set({ appliance }),
  applyNodes: (nodes) => set({ nodes }),
  applyConnections: (connections) => set({ connections, connected: true }),
}));

/** The appliance's address, or null while unknown (no access URLs then). */
export function applianceAddressOf(s: Pick<InfrastructureState, 'appliance'>): string | null {
  return s.appliance?.address ?? null;
}
