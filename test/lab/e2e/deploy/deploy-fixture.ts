// The deployment engine wired to the lab as the desktop wires it: a real SQLite core in a temp folder, the PVE
// client over HTTPS to the emulator (API token, so keyctl goes over SSH), the node's real OpenSSH with a pinned
// host key, the built-in catalog, and the fallback network (vmbr0, DHCP from the lab's upstream).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openCore, type CoreContext } from '../../../../src-main/core/core-context';
import { loadCatalogFolder } from '../../../../src-main/core/catalog/catalog-folder';
import type { Manifest } from '../../../../src-main/core/catalog/manifest-schema';
import { FallbackDeployNetwork, singleNetwork, type DeployNetwork } from '../../../../src-main/core/deploy/deploy-network';
import { DeploymentEngine } from '../../../../src-main/core/deploy/deployment-engine';
import { deployCoreOf, type DeployConnection, type DeployEngineOptions } from '../../../../src-main/core/deploy/deploy-types';
import { PveClient } from '../../../../src-main/core/pve/pve-client';
import { MemoryHostKeyPinStore } from '../../../../src-main/core/ssh/host-key-pins';
import { NodeSshClient } from '../../../../src-main/core/ssh/node-ssh-client';
import type { E2eLab } from '../lab-fixture';

export const CATALOG_DIR = path.resolve(__dirname, '../../../../resources/catalog');
export const CONNECTION_ID = 'lab';

let catalogCache: Map<string, Manifest> | undefined;
/** The built-in catalog by id (loaded once per test file). */
export async function builtInCatalog(): Promise<Map<string, Manifest>> {
  if (!catalogCache) {
    const loaded = await loadCatalogFolder(CATALOG_DIR);
    catalogCache = new Map(loaded.apps.map((a) => [a.manifest.id, a.manifest]));
  }
  return catalogCache;
}

export interface DeployRig {
  core: CoreContext;
  engine: DeploymentEngine;
  conn: DeployConnection;
  pve: PveClient;
  ssh: NodeSshClient;
  dataDir: string;
  catalog: Map<string, Manifest>;
  close(opts?: { keepData?: boolean }): Promise<void>;
}

/** A PVE client to the lab's emulator with its API token. */
export function labPveClient(e: E2eLab): PveClient {
  const url = new URL(e.lab.emulator.url);
  return new PveClient({ host: url.hostname, port: Number(url.port), fingerprint: e.lab.emulator.fingerprint, auth: { tokenId: e.lab.emulator.tokenId, tokenSecret: e.lab.emulator.tokenSecret } });
}

/** SSH to the lab node, its host key pinned up front. */
export async function labSsh(e: E2eLab, port = e.ssh.port): Promise<NodeSshClient> {
  const pins = new MemoryHostKeyPinStore();
  await pins.set(`${CONNECTION_ID}/${e.node}`, { fingerprint: e.ssh.hostKeyFingerprint, algorithm: 'ssh-ed25519', pinnedAt: new Date().toISOString() });
  return new NodeSshClient(
    { nodeId: `${CONNECTION_ID}/${e.node}`, host: e.ssh.host, port, user: e.ssh.user, auth: { kind: 'key', privateKey: fs.readFileSync(e.ssh.privateKeyPath) } },
    { pins, commandTimeoutMs: 120_000 },
  );
}

/** A core + engine on the lab. `dataDir` reuses a data folder (a restart, or a second desktop's own). */
export async function startDeployRig(e: E2eLab, opts: { dataDir?: string; engine?: DeployEngineOptions; network?: DeployNetwork; catalog?: Map<string, Manifest>; sshPort?: number } = {}): Promise<DeployRig> {
  const dataDir = opts.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'proximity-deploy-'));
  const core = openCore({ dataDir, appVersion: 'test' });
  const pve = labPveClient(e);
  const ssh = await labSsh(e, opts.sshPort);
  const catalog = opts.catalog ?? (await builtInCatalog());
  const conn: DeployConnection = { id: CONNECTION_ID, pve, ssh: () => ssh, networks: singleNetwork(opts.network ?? new FallbackDeployNetwork()), tokenAuth: true };
  const engine = new DeploymentEngine(deployCoreOf(core), (id) => (id === CONNECTION_ID ? conn : fail(id)), (id) => catalog.get(id), {
    leaseTimeoutMs: 30_000,
    dockerReadyTimeoutMs: 30_000,
    healthTimeoutMs: 30_000,
    maxCreatesPerNode: () => core.settings.get('deploy.maxCreatesPerNode'),
    ...opts.engine,
  });
  return {
    core,
    engine,
    conn,
    pve,
    ssh,
    dataDir,
    catalog,
    async close(o = {}) {
      core.close();
      await ssh.close();
      await pve.close();
      if (!o.keepData && !opts.dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

function fail(id: string): never {
  throw new Error(`no connection ${id}`);
}

/** The CT ids the lab's node holds now (over the API, as an operator's PVE UI would show them). */
export async function labVmids(e: E2eLab): Promise<number[]> {
  const list = (await e.api('GET', `/nodes/${e.node}/lxc`)) as { vmid: number | string }[];
  return list.map((c) => Number(c.vmid)).sort((a, b) => a - b);
}
