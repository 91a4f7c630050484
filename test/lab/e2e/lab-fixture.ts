// The whole lab for the acceptance tests: netns backend + PVE API emulator (startLab) + the node's real
// OpenSSH server, with an ssh2 connection that pins the host key. Everything Proximity would do goes through
// the API (in-process callApi, same validation and routes as HTTPS) or through SSH + pct/pveam.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Client } from 'ssh2';
import { startLab, type Lab } from '../lab';
import type { NetnsBackend } from '../netns/netns-backend';
import { canRunNetns } from '../netns/netns-test-kit';
import { cmd, connectPinned, sshExec, type ExecResult } from '../node/ssh-client';
import { startNodeSsh, type NodeSsh } from '../node/ssh-server';

export { canRunNetns };
export const ALPINE = 'alpine-3.22-default_20250617_amd64.tar.xz';
export const ALPINE_VOLID = `local:vztmpl/${ALPINE}`;
const USERLAND = path.resolve(__dirname, '../userland/bin');

export interface E2eLab {
  lab: Lab;
  backend: NetnsBackend;
  ssh: NodeSsh;
  conn: Client;
  node: string;
  runDir: string;
  api(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, params?: Record<string, unknown>): Promise<any>;
  /** a task-returning call, waited for; throws unless the task ended OK */
  task(method: 'POST' | 'PUT' | 'DELETE', path: string, params?: Record<string, unknown>): Promise<void>;
  /** runs a command line on the node over SSH */
  sh(line: string, opts?: { stdin?: string; timeoutMs?: number }): Promise<ExecResult>;
  /** `pct <args>` over SSH; throws with the output unless it exits 0 */
  pct(...args: string[]): Promise<string>;
  /** writes `content` to a file on the node (over SSH) and pushes it into the container */
  push(vmid: number, dest: string, content: string, perms?: string): Promise<void>;
  close(): Promise<void>;
}

/** `lockTimeoutMs`: the lab's config-lock wait (PVE: 10 s); tests of held locks shorten it. */
export async function startE2eLab(opts: { lockTimeoutMs?: number } = {}): Promise<E2eLab> {
  // The fixture runs its own sshd (with a run dir it controls), so the lab's own is not started.
  const lab = await startLab({ backend: 'netns', taskSeconds: 0, ssh: false, backendOptions: { userlandBinDir: USERLAND }, lockTimeoutMs: opts.lockTimeoutMs });
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lab-e2e-ssh-'));
  let ssh: NodeSsh | undefined;
  let conn: Client | undefined;
  try {
    const backend = lab.backend as NetnsBackend;
    ssh = await startNodeSsh({ emulator: lab.emulator, backend, runDir });
    conn = await connectPinned(ssh);
    const node = lab.emulator.nodes[0]!;
    const c = conn;
    const api: E2eLab['api'] = (method, p, params = {}) => lab.emulator.callApi(method, p, params);
    const sh: E2eLab['sh'] = (line, opts = {}) => sshExec(c, line, opts);
    let n = 0;
    const e2e: E2eLab = {
      lab, backend, ssh, conn, node, runDir, api, sh,
      async task(method, p, params) {
        const upid = await api(method, p, params);
        const status = await lab.emulator.waitTask(upid);
        if (status !== 'OK') throw new Error(`${method} ${p}: task ended ${status}`);
      },
      async pct(...args) {
        const r = await sh(cmd('pct', ...args), { timeoutMs: 30_000 });
        if (r.code !== 0) throw new Error(`pct ${args.join(' ')} exited ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
        return r.stdout;
      },
      async push(vmid, dest, content, perms) {
        const local = path.join(runDir, `push-${++n}`);
        const w = await sh(cmd('sh', '-c', 'cat > "$1"', 'sh', local), { stdin: content });
        if (w.code !== 0) throw new Error(`writing ${local} on the node failed: ${w.stderr}`);
        await e2e.pct('push', String(vmid), local, dest, ...(perms ? ['--perms', perms] : []));
      },
      async close() {
        c.end();
        await ssh!.close();
        await lab.close();
        fs.rmSync(runDir, { recursive: true, force: true });
      },
    };
    return e2e;
  } catch (err) {
    conn?.end();
    await ssh?.close().catch(() => {});
    await lab.close().catch(() => {});
    fs.rmSync(runDir, { recursive: true, force: true });
    throw err;
  }
}

/** Polls `fn` every 100 ms until it returns a truthy value or `timeoutMs` passes (then throws `what`). */
export async function until<T>(what: string, fn: () => Promise<T | null | undefined | false>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String((last as Error).message ?? last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The IPv4 address of `iface` from GET .../interfaces (null while stopped or unleased). */
export async function apiInet(e: E2eLab, vmid: number, iface: string): Promise<string | null> {
  const list = (await e.api('GET', `/nodes/${e.node}/lxc/${vmid}/interfaces`)) as { name: string; inet?: string }[] | null;
  return list?.find((i) => i.name === iface)?.inet ?? null;
}
