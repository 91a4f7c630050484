import type { StaticLease } from '../network/dnsmasq-config';
import type { ProxyRoute } from '../proxy/proxy-route';
import type { PveClient } from '../pve/pve-client';
import type { RemoteExec } from '../ssh/pct-commands';

/**
 * How the appliance code reaches one PVE connection: its API client and the SSH of each node (a
 * `NodeSshClient` implements `RemoteExec`). The per-connection runtime builds it; the orchestrator never opens
 * connections of its own.
 */
export interface NodeAccess {
  pve: PveClient;
  /** The node's SSH (root; `pct` runs there). */
  ssh(node: string): RemoteExec;
  /**
   * Addresses under which the node's management side answers (API 8006, SSH 22) beyond those the node's network
   * API lists, e.g. the address Proximity connects to. Containers on the appliance LAN get a reject for each.
   */
  managementAddresses?(node: string): readonly string[];
}

/** An app's static lease as the caller registers it: the store's id plus what dnsmasq needs. */
export interface ApplianceLease extends StaticLease {
  appId: string;
}

/**
 * The desired state of a node's appliance, read from the store (the single source of truth) on every change:
 * the static leases and the proxy routes of the apps deployed on `node`. The orchestrator never keeps its own
 * copy; `registerApp`/`applyRoutes` only overlay the value being changed in case the store is written after.
 */
export interface ApplianceDesiredState {
  leases(node: string): readonly ApplianceLease[];
  routes(node: string): readonly ProxyRoute[];
}
