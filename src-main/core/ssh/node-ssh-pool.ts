// One NodeSshClient (so one SSH connection) per node, shared by everything that talks to that node.
import { NodeSshClient, type NodeSshOptions } from './node-ssh-client';
import { parseNodeSshTarget, targetIdentity, type NodeSshTarget } from './node-ssh-target';

export class NodeSshPool {
  private readonly clients = new Map<string, { identity: string; client: NodeSshClient }>();

  /** `options` apply to every client the pool makes (one pin store for all nodes). */
  constructor(private readonly options: NodeSshOptions) {}

  /**
   * The client for `target.nodeId`, made on first use. When the node's settings changed (address, user, key or
   * password), the old client is closed and a new one made. Throws `VALIDATION` for invalid settings.
   */
  get(target: NodeSshTarget): NodeSshClient {
    const parsed = parseNodeSshTarget(target);
    const identity = targetIdentity(parsed);
    const have = this.clients.get(parsed.nodeId);
    if (have?.identity === identity) return have.client;
    if (have) void have.client.close();
    const client = new NodeSshClient(parsed, this.options);
    this.clients.set(parsed.nodeId, { identity, client });
    return client;
  }

  /** Closes and forgets the node's client (e.g. when its connection profile is removed). */
  async remove(nodeId: string): Promise<void> {
    const have = this.clients.get(nodeId);
    this.clients.delete(nodeId);
    await have?.client.close();
  }

  /** Closes every connection (app shutdown). */
  async closeAll(): Promise<void> {
    const all = [...this.clients.values()];
    this.clients.clear();
    await Promise.all(all.map((c) => c.client.close()));
  }
}
