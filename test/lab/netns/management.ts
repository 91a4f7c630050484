// Makes the node's management address (198.18.S.2+i on vmbr0) answer on a port by relaying to a TCP port on
// the host's loopback (where the emulator's API server and the node's SSH server really listen):
//   client -> 198.18.S.2:port (ns-agent in the node namespace) -> UNIX socket in runDir -> host relay here
//   -> 127.0.0.1:targetPort. UNIX socket files are reachable from every network namespace.
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { NsAgent } from './ns-agent';

export interface ManagementTarget {
  host: '127.0.0.1' | 'localhost' | '::1';
  port: number;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

function validPort(p: unknown): p is number {
  return Number.isInteger(p) && (p as number) >= 1 && (p as number) <= 65535;
}

export class ManagementRelays {
  private readonly agents = new Map<string, Promise<NsAgent>>();
  private readonly servers = new Map<string, { server: net.Server; target: string }>();
  private readonly sockets = new Set<net.Socket>();

  constructor(
    private readonly prefix: string,
    private readonly runDir: string,
  ) {}

  async expose(nodeNs: string, nodeIndex: number, address: string, port: number, target: ManagementTarget): Promise<void> {
    if (!validPort(port)) throw new Error(`management port must be 1..65535, got ${port}`);
    if (!target || !LOOPBACK.has(target.host) || !validPort(target.port)) {
      throw new Error('management relay target must be a loopback host and a port 1..65535');
    }
    const key = `${nodeIndex}:${port}`;
    const targetKey = `${target.host}:${target.port}`;
    const existing = this.servers.get(key);
    if (existing) {
      if (existing.target === targetKey) return;
      throw new Error(`port ${port} on ${address} is already relayed to ${existing.target}`);
    }
    const socketPath = path.join(this.runDir, `mgmt-${nodeIndex}-${port}.sock`);
    if (Buffer.byteLength(socketPath) > 100) throw new Error(`run directory path too long for a socket: ${socketPath}`);
    fs.rmSync(socketPath, { force: true });
    const server = net.createServer((client) => this.relay(client, target));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(socketPath, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.servers.set(key, { server, target: targetKey });
    try {
      const agent = await this.agentFor(nodeNs);
      await agent.request('relay', { host: address, port, socket: socketPath });
    } catch (e) {
      this.servers.delete(key);
      server.close();
      throw e;
    }
  }

  private relay(client: net.Socket, target: ManagementTarget): void {
    const upstream = net.connect({ host: target.host, port: target.port });
    for (const s of [client, upstream]) {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
      s.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream);
    upstream.pipe(client);
  }

  private agentFor(nodeNs: string): Promise<NsAgent> {
    let a = this.agents.get(nodeNs);
    if (!a) {
      a = NsAgent.start(nodeNs, `${this.prefix}-mgmt`);
      this.agents.set(nodeNs, a);
      a.catch(() => this.agents.delete(nodeNs));
    }
    return a;
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await Promise.all(
      [...this.servers.values()].map(({ server }) => new Promise<void>((r) => server.close(() => r()))),
    );
    this.servers.clear();
    const agents = [...this.agents.values()];
    this.agents.clear();
    await Promise.all(agents.map(async (a) => (await a.catch(() => null))?.stop()));
  }
}
