// The wiring both shells use (src-main/core/runtime/core-features.ts) through the REAL dispatcher of
// createIpcRuntime, against the lab's virtual backend (PVE emulator over HTTPS + the lab's OpenSSH) and a saved,
// pinned lab connection: the built-in catalog is listed, the appliance channels answer for the lab's node, and
// apps.deploy starts an operation that proceeds through named steps; when it fails, nothing is left behind.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Operation } from '../../../src-shared/contract/schemas';
import { openCore, type CoreContext } from '../../../src-main/core/core-context';
import { createCoreFeatures, type CoreFeatures } from '../../../src-main/core/runtime/core-features';
import { createIpcRuntime, type IpcRuntime } from '../../../src-main/ipc/ipc-runtime';
import { ensureLabConnection, labSecretCipher } from '../../../scripts/web-lab';
import { startLab, type Lab } from '../../lab/lab';

const ORIGIN = 'http://127.0.0.1:5199';
const sender = { isTopFrame: true, url: `${ORIGIN}/` };
const CATALOG_DIR = path.resolve(__dirname, '../../../resources/catalog');

let lab: Lab;
let dataDir: string;
let core: CoreContext;
let features: CoreFeatures;
let ipc: IpcRuntime;
let connectionId: string;
const logged: string[] = [];

async function call<T>(channel: string, input: unknown): Promise<T> {
  const r = (await ipc.dispatcher.dispatch(channel, input, sender)) as { ok: true; value: T } | { ok: false; error: { code: string; message: string } };
  if (!r.ok) throw new Error(`${channel}: ${r.error.code} ${r.error.message}`);
  return r.value;
}

/** Resolves with the operation once it is no longer running (deadline `ms`). */
function settled(operationId: string, ms: number): Promise<Operation> {
  return new Promise((resolve, reject) => {
    const done = (op: Operation | undefined) => {
      if (!op || op.state === 'running') return false;
      clearTimeout(timer);
      off();
      resolve(op);
      return true;
    };
    const timer = setTimeout(() => {
      off();
      reject(new Error(`operation ${operationId} still running after ${ms} ms: ${JSON.stringify(core.operations.get(operationId))}`));
    }, ms);
    const off = core.events.on('operations.changed', (op) => void (op.id === operationId && done(op)));
    done(core.operations.get(operationId));
  });
}

beforeAll(async () => {
  lab = await startLab({ taskSeconds: 0 });
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'proximity-wired-'));
  core = openCore({ dataDir, appVersion: 'test', secretCipher: labSecretCipher(dataDir) });
  connectionId = (await ensureLabConnection(core, lab)).id;
  features = await createCoreFeatures(core, { catalogDir: CATALOG_DIR, logger: { error: (m, e) => logged.push(`${m}: ${String(e)}`) }, engine: { leaseTimeoutMs: 5_000, dockerReadyTimeoutMs: 5_000, healthTimeoutMs: 5_000 } });
  ipc = createIpcRuntime(core, {
    runtime: 'web-bridge',
    appName: 'Proximity',
    secretStorage: null,
    openExternal: () => Promise.reject(new Error('not here')),
    allowedOrigins: [ORIGIN],
    logger: { error: (m, e) => logged.push(`${m}: ${String(e)}`) },
    ...features.deps,
  });
  features.start();
  await features.settled();
}, 60_000);

afterAll(async () => {
  ipc?.close();
  await features?.close();
  core?.close();
  await lab?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('the wired runtime (core features through the IPC dispatcher)', () => {
  it('start-up reconciled the saved connection without errors', () => {
    expect(logged).toEqual([]);
  });

  it('catalog.list returns the built-in apps', async () => {
    const list = await call<Array<{ id: string }>>('catalog.list', {});
    const dirs = fs.readdirSync(CATALOG_DIR, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
    expect(list.map((a) => a.id).sort()).toEqual(dirs.sort());
  });

  it('appliance.status answers for the lab node (default connection and by id); an unknown id is NOT_FOUND', async () => {
    const node = lab.info.nodes[0];
    const byDefault = await call<{ node: string; connectionId: string; mode: string; container: string }>('appliance.status', { node });
    expect(byDefault).toMatchObject({ node, connectionId, mode: 'fallback', container: 'missing' });
    const byId = await call<{ node: string }>('appliance.status', { connectionId, node });
    expect(byId.node).toBe(node);
    const unknown = await ipc.dispatcher.dispatch('appliance.status', { connectionId: 'nope', node }, sender);
    expect(unknown).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('apps.deploy of a catalog app runs on the lab in fallback mode; its failure (no processes on the virtual backend) leaves nothing behind', async () => {
    // no appliance on the node: its deploy network is fallback (vmbr0, DHCP from the LAN)
    const node = lab.info.nodes[0];
    expect((await features.runtime.deployConnection(connectionId).networks.choose(node)).mode).toBe('fallback');
    const before = (await lab.emulator.callApi('GET', `/nodes/${node}/lxc`, {})) as Array<{ vmid: number | string }>;
    const started = await call<{ operationId: string }>('apps.deploy', { connectionId, catalogId: 'it-tools', hostname: 'tools' });
    const op = await settled(started.operationId, 120_000);
    // it got through ports, template, create, start and register against the emulator and the lab's sshd, then
    // the virtual backend cannot run `apk add` inside the container
    expect(op).toMatchObject({ state: 'failed', step: 'runtime', error: { code: 'COMMAND_FAILED' } });
    expect(op.error?.message).toMatch(/rolled back/);
    const after = (await lab.emulator.callApi('GET', `/nodes/${node}/lxc`, {})) as Array<{ vmid: number | string }>;
    expect(after.map((c) => Number(c.vmid)).sort()).toEqual(before.map((c) => Number(c.vmid)).sort());
    expect(core.apps.list()).toEqual([]);
    expect(core.db.handle.prepare('SELECT COUNT(*) AS n FROM port_assignments').get()).toEqual({ n: 0 });
  }, 150_000);

  it('a connection added later is reconciled and its appliances read, without blocking the caller', async () => {
    const seen = new Promise<string | null>((resolve) => {
      const off = core.events.on('appliance.changed', (st) => {
        off();
        resolve(st.connectionId);
      });
    });
    const added = await ensureLabConnection(core, lab); // removes the old lab connection, adds a new one
    expect(added.id).not.toBe(connectionId);
    expect(await seen).toBe(added.id);
    await features.settled();
    expect(logged).toEqual([]);
    // the removed connection is gone from the runtime too
    expect(() => features.runtime.appliances(connectionId)).toThrow(/no Proxmox VE connection/);
  });
});
