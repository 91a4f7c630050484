// Test plumbing around the lab's real OpenSSH server: a lab node with its own sshd (run dir under our control),
// a plain TCP relay (the network between us and the node: it can be re-pointed at another sshd, or go silent),
// and the sshd processes serving our connections (so a test can kill one, like a node dropping it).
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { startLab, type Lab, type LabOptions } from '../../lab/lab';
import { startNodeSsh, type NodeSsh } from '../../lab/node/ssh-server';
import type { NodeSshTarget } from '../../../src-main/core/ssh/node-ssh-target';

export interface SshLab {
  lab: Lab;
  ssh: NodeSsh;
  runDir: string;
  /** a target for NodeSshClient pointing at this sshd (or at `port` when given, e.g. a relay) */
  target(overrides?: Partial<NodeSshTarget>): NodeSshTarget;
  /** starts one more sshd for the same node (its own host key) in `<runDir>/<name>`, accepting the same client key */
  extraSshd(name: string): Promise<NodeSsh>;
  close(): Promise<void>;
}

export async function startSshLab(opts: LabOptions = {}): Promise<SshLab> {
  const lab = await startLab({ taskSeconds: 0, ...opts, ssh: false });
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'proximity-ssh-test-'));
  const extras: NodeSsh[] = [];
  try {
    const ssh = await startNodeSsh({ emulator: lab.emulator, backend: lab.backend, runDir });
    const privateKey = fs.readFileSync(ssh.privateKeyPath);
    return {
      lab,
      ssh,
      runDir,
      target: (o = {}) => ({ nodeId: 'lab/pve', host: ssh.host, port: ssh.port, user: ssh.user, auth: { kind: 'key', privateKey }, ...o }),
      async extraSshd(name) {
        const dir = path.join(runDir, name);
        const other = await startNodeSsh({ emulator: lab.emulator, backend: lab.backend, runDir: dir });
        extras.push(other);
        // sshd reads AuthorizedKeysFile at each login: let our one client key in
        fs.writeFileSync(path.join(dir, 'authorized_keys'), fs.readFileSync(`${ssh.privateKeyPath}.pub`), { mode: 0o600 });
        return other;
      },
      async close() {
        for (const e of extras) await e.close().catch(() => {});
        await ssh.close().catch(() => {});
        await lab.close();
        fs.rmSync(runDir, { recursive: true, force: true });
      },
    };
  } catch (e) {
    await lab.close().catch(() => {});
    fs.rmSync(runDir, { recursive: true, force: true });
    throw e;
  }
}

/** The pids of sshd's per-connection processes (children of the listener whose pid is in `<runDir>/sshd.pid`). */
export function sshdSessionPids(runDir: string): number[] {
  const listener = Number(fs.readFileSync(path.join(runDir, 'sshd.pid'), 'utf8').trim());
  const out: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      // pid (comm) state ppid ...; comm may contain spaces/parens, so parse after the last ')'
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === listener) out.push(Number(entry));
    } catch {
      /* process gone meanwhile */
    }
  }
  return out;
}

export interface TcpRelay {
  port: number;
  /** new connections go to `port` from now on (existing ones are left alone) */
  retarget(port: number): void;
  /** closes every relayed connection (both sides), like a node or firewall dropping them */
  dropAll(): void;
  /** stops passing bytes in both directions without closing anything (a dead link: cable pulled, VPN down) */
  freeze(): void;
  /** passes bytes again (for connections made from now on; frozen ones have lost bytes and are dead) */
  thaw(): void;
  /** connections relayed so far */
  readonly accepted: number;
  close(): Promise<void>;
}

/** A TCP relay on 127.0.0.1 to 127.0.0.1:`targetPort`. */
export function startTcpRelay(targetPort: number): Promise<TcpRelay> {
  let target = targetPort;
  let frozen = false;
  let accepted = 0;
  const pairs = new Set<[net.Socket, net.Socket]>();
  const server = net.createServer((client) => {
    accepted++;
    const upstream = net.connect(target, '127.0.0.1');
    const pair: [net.Socket, net.Socket] = [client, upstream];
    pairs.add(pair);
    const end = () => {
      client.destroy();
      upstream.destroy();
      pairs.delete(pair);
    };
    for (const [from, to] of [[client, upstream], [upstream, client]] as const) {
      from.on('data', (d) => {
        if (!frozen) to.write(d);
      });
      from.on('close', end);
      from.on('error', end);
    }
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      resolve({
        port: (server.address() as net.AddressInfo).port,
        retarget: (p) => {
          target = p;
        },
        dropAll: () => {
          for (const [a, b] of pairs) {
            a.destroy();
            b.destroy();
          }
          pairs.clear();
        },
        freeze: () => {
          frozen = true;
        },
        thaw: () => {
          frozen = false;
        },
        get accepted() {
          return accepted;
        },
        close: () =>
          new Promise<void>((r) => {
            for (const [a, b] of pairs) {
              a.destroy();
              b.destroy();
            }
            server.close(() => r());
          }),
      });
    });
  });
}

/** Polls `fn` every 20 ms until it returns true, or throws after `timeoutMs`. */
export async function waitFor(what: string, fn: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await fn())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
