// A catalog app deployed end to end through the wiring both shells use (createCoreFeatures + createIpcRuntime's
// dispatcher) on the netns lab: a saved, pinned lab connection, no appliance on the node, so fallback mode (vmbr0,
// DHCP from the lab's upstream); the app answers on its direct URL.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureLabConnection, labSecretCipher } from '../../../scripts/web-lab';
import { openCore, type CoreContext } from '../../../src-main/core/core-context';
import { createCoreFeatures, type CoreFeatures } from '../../../src-main/core/runtime/core-features';
import { createIpcRuntime, type IpcRuntime } from '../../../src-main/ipc/ipc-runtime';
import { startLab, type Lab } from '../lab';
import { canRunNetns } from '../netns/netns-test-kit';

const ORIGIN = 'http://127.0.0.1:5199';
const sender = { isTopFrame: true, url: `${ORIGIN}/` };

describe.skipIf(!canRunNetns)('the wired runtime deploys on the netns lab (fallback mode)', () => {
  let lab: Lab;
  let dataDir: string;
  let core: CoreContext;
  let features: CoreFeatures;
  let ipc: IpcRuntime;
  let connectionId: string;

  beforeAll(async () => {
    lab = await startLab({ backend: 'netns', taskSeconds: 0 });
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wired-deploy-'));
    core = openCore({ dataDir, appVersion: 'test', secretCipher: labSecretCipher(dataDir) });
    connectionId = (await ensureLabConnection(core, lab)).id;
    features = await createCoreFeatures(core, { catalogDir: path.resolve(__dirname, '../../../resources/catalog'), engine: { leaseTimeoutMs: 30_000, dockerReadyTimeoutMs: 30_000, healthTimeoutMs: 30_000 } });
    ipc = createIpcRuntime(core, { runtime: 'web-bridge', appName: 'Proximity', secretStorage: null, openExternal: () => Promise.reject(new Error('not here')), allowedOrigins: [ORIGIN], ...features.deps });
    features.start();
    await features.settled();
  }, 90_000);
  afterAll(async () => {
    ipc?.close();
    await features?.close();
    core?.close();
    await lab?.close();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('apps.deploy through the dispatcher ends running and reachable on its direct URL', async () => {
    const r = (await ipc.dispatcher.dispatch('apps.deploy', { connectionId, catalogId: 'it-tools', hostname: 'tools' }, sender)) as { ok: boolean; value: { operationId: string; appId: string } };
    expect(r.ok, JSON.stringify(r)).toBe(true);
    const op = await core.operations.settled(r.value.operationId);
    expect(op.state, JSON.stringify(op.error) + op.log.map((l) => l.text).join('\n')).toBe('succeeded');
    const app = core.apps.require(r.value.appId);
    expect(app.status).toBe('running');
    const spec = app.spec as { mode: string; urls: { mode: string; direct: string } };
    expect(spec).toMatchObject({ mode: 'fallback', urls: { mode: 'fallback' } });
    const res = await fetch(spec.urls.direct, { signal: AbortSignal.timeout(5000) });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('Lab stand-in for a Docker container');
  }, 180_000);
});
