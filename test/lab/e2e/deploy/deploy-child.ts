// A Proximity process for the crash-recovery test: opens the core in the given data folder, starts one
// deployment on the lab and SIGKILLs itself when the deployment reaches `killAt` (before that step runs, or,
// for `create:task`, while the create task runs). Run: node --import tsx deploy-child.ts '<json>'.
import fs from 'node:fs';
import { openCore } from '../../../../src-main/core/core-context';
import { loadCatalogFolder } from '../../../../src-main/core/catalog/catalog-folder';
import { FallbackDeployNetwork, singleNetwork } from '../../../../src-main/core/deploy/deploy-network';
import { DeploymentEngine } from '../../../../src-main/core/deploy/deployment-engine';
import { deployCoreOf, type DeployConnection } from '../../../../src-main/core/deploy/deploy-types';
import { PveClient } from '../../../../src-main/core/pve/pve-client';
import { MemoryHostKeyPinStore } from '../../../../src-main/core/ssh/host-key-pins';
import { NodeSshClient } from '../../../../src-main/core/ssh/node-ssh-client';

interface ChildConfig {
  dataDir: string;
  catalogDir: string;
  api: { host: string; port: number; fingerprint: string; tokenId: string; tokenSecret: string };
  ssh: { host: string; port: number; user: string; privateKeyPath: string; hostKeyFingerprint: string };
  node: string;
  killAt: string;
  hostname: string;
}

async function main(): Promise<void> {
  const cfg = JSON.parse(process.argv[2]!) as ChildConfig;
  const core = openCore({ dataDir: cfg.dataDir, appVersion: 'crash-child' });
  const pve = new PveClient({ host: cfg.api.host, port: cfg.api.port, fingerprint: cfg.api.fingerprint, auth: { tokenId: cfg.api.tokenId, tokenSecret: cfg.api.tokenSecret } });
  const pins = new MemoryHostKeyPinStore();
  await pins.set(`lab/${cfg.node}`, { fingerprint: cfg.ssh.hostKeyFingerprint, algorithm: 'ssh-ed25519', pinnedAt: new Date().toISOString() });
  const ssh = new NodeSshClient({ nodeId: `lab/${cfg.node}`, host: cfg.ssh.host, port: cfg.ssh.port, user: cfg.ssh.user, auth: { kind: 'key', privateKey: fs.readFileSync(cfg.ssh.privateKeyPath) } }, { pins });
  const catalog = new Map((await loadCatalogFolder(cfg.catalogDir)).apps.map((a) => [a.manifest.id, a.manifest]));
  const conn: DeployConnection = { id: 'lab', pve, ssh: () => ssh, networks: singleNetwork(new FallbackDeployNetwork()), tokenAuth: true };
  const die = () => process.kill(process.pid, 'SIGKILL');
  const engine = new DeploymentEngine(deployCoreOf(core), () => conn, (id) => catalog.get(id), {
    beforeStep: (step, deploymentId) => {
      if (step === cfg.killAt) die();
      if (cfg.killAt === 'create:task' && step === 'create') {
        // dies once the VMID is journaled and the create request is on its way
        const timer = setInterval(() => {
          const d = engine.journal.get(deploymentId);
          if (d?.steps.find((s) => s.step === 'create')?.detail.vmid !== undefined) setImmediate(die);
        }, 1);
        timer.unref();
      }
    },
  });
  const started = engine.deploy({ connectionId: 'lab', catalogId: 'homer', hostname: cfg.hostname });
  const op = await core.operations.settled(started.operationId);
  process.stdout.write(`${JSON.stringify({ state: op.state, error: op.error })}\n`);
  core.close();
  await ssh.close();
  await pve.close();
}

main().catch((e: unknown) => {
  process.stderr.write(`${String((e as Error).stack ?? e)}\n`);
  process.exit(1);
});
