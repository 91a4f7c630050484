// NodeAccess over the per-connection runtime (ProxmoxSessions): the connection's pinned PveClient and its node
// SSH pool, looked up on every use, so an edited or re-pinned connection is picked up without rebuilding.
import { isIP } from 'node:net';
import type { PveClient } from '../pve/pve-client';
import type { ExecOptions, NodeSshClient } from '../ssh/node-ssh-client';
import type { RemoteExec } from '../ssh/pct-commands';
import type { NodeAccess } from './node-access';

/** What this needs of ProxmoxSessions (src-main/core/connections/proxmox-sessions.ts). */
export interface ConnectionSessions {
  client(connectionId: string): PveClient;
  ssh(connectionId: string, node: string): Promise<NodeSshClient>;
}

/**
 * The NodeAccess of connection `connectionId`. `ssh(node)` resolves the node's client on each command (errors as
 * `ProxmoxSessions.ssh`: NOT_FOUND, VALIDATION when no SSH login is saved). The API host, when it is an IPv4
 * address, is added to the management addresses the appliance LAN is kept away from.
 */
export function proxmoxNodeAccess(sessions: ConnectionSessions, connectionId: string): NodeAccess {
  return {
    get pve() {
      return sessions.client(connectionId);
    },
    ssh(node: string): RemoteExec {
      return { exec: async (argv: readonly string[], opts?: ExecOptions) => (await sessions.ssh(connectionId, node)).exec(argv, opts) };
    },
    managementAddresses(): string[] {
      const host = sessions.client(connectionId).host;
      return isIP(host) === 4 ? [host] : [];
    },
  };
}
