// `npm run web -- --lab` (issue 11 item 11): the connection it saves to the lab is ready to use. Checked the way an
// operator would: "Test connection" passes every step, and the live cluster lists the lab's node.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCore, type CoreContext } from '../../../src-main/core/core-context';
import { startLab, type Lab } from '../../lab/lab';
import { ensureLabConnection, LAB_CONNECTION_NAME, labSecretCipher } from '../../../scripts/web-lab';

let lab: Lab;
let dataDir: string;
let core: CoreContext | undefined;

beforeAll(async () => {
  lab = await startLab({ taskSeconds: 0 });
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'proximity-web-lab-'));
}, 60_000);

afterAll(async () => {
  core?.close();
  await lab?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('web --lab', () => {
  it('saves a pinned, working connection to the lab, replacing the previous one on the next start', async () => {
    core = openCore({ dataDir, appVersion: 'test', secretCipher: labSecretCipher(dataDir) });
    const first = await ensureLabConnection(core, lab);
    expect(first).toMatchObject({ name: LAB_CONNECTION_NAME, tlsFingerprint: lab.info.api.fingerprint, ssh: { hostKeyFingerprint: lab.info.ssh!.hostKeyFingerprint, authKind: 'key' } });
    expect(fs.statSync(path.join(dataDir, 'lab-secrets.key')).mode & 0o777).toBe(0o600);
    core.close();

    // a second start (new process, same data folder): the key file is reused and the connection replaced
    core = openCore({ dataDir, appVersion: 'test', secretCipher: labSecretCipher(dataDir) });
    const second = await ensureLabConnection(core, lab);
    expect(core.connectionService.list().map((c) => c.id)).toEqual([second.id]);
    expect(second.id).not.toBe(first.id);
    const report = await core.connectionService.test(second.id);
    expect(report.steps.map((s) => `${s.step}:${s.status}`)).toEqual(['tcp:ok', 'tls:ok', 'auth:ok', 'privileges:ok', 'ssh:ok', 'pct:ok']);
    const snap = await core.proxmox.snapshot(second.id);
    expect(snap.nodes.map((n) => [n.node, n.status])).toEqual([['pve', 'online']]);
  });
});
