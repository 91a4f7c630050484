// `npm run lab`: prints one JSON line describing a working lab and exits 0 on SIGTERM; a lab that cannot start
// fails the test at once with its own error (startLabCli), never by waiting out a timeout.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { resolve } from 'node:path';
import { expect, it } from 'vitest';
import { createPinnedAgent, pinnedFetch } from '../../../src-main/core/pve/pinned-fetch';
import { LabCliStartError, startLabCli } from '../lab-cli-process';

const root = resolve(__dirname, '../../..');

it('starts a lab, prints its description as one JSON line, serves the API and stops cleanly', async () => {
  const lab = await startLabCli(['--fast-401', '--task-seconds', '0', '--nodes', '2']);
  try {
    const info = lab.info;
    expect(info).toMatchObject({ nodes: ['pve1', 'pve2'], backend: 'virtual', api: { user: 'root@pam', tokenId: 'root@pam!proximity' } });
    expect(info.api.fingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);

    const agent = createPinnedAgent({ fingerprint: info.api.fingerprint });
    const f = pinnedFetch(agent);
    const r = await f(`${info.api.url}/api2/json/cluster/status`, {
      headers: { Authorization: `PVEAPIToken=${info.api.tokenId}=${info.api.tokenSecret}` },
    });
    expect(r.status).toBe(200);
    await agent.close();
    const state = await fetch(`${info.control.url}/state`, { headers: { 'X-Lab-Token': info.control.token } });
    expect(((await state.json()) as any).clusterName).toBe('lab-cluster');
  } finally {
    expect(await lab.stop()).toBe(0);
  }
}, 120_000);

it('fails at once with the lab start-up error (exit code and stderr), not after a timeout', async () => {
  const started = Date.now();
  const err = await startLabCli(['--no-ssh'], { env: { ...process.env, PROXIMITY_PVE_SCHEMA_DIR: '/nonexistent/pve-api' } }).then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(LabCliStartError);
  expect((err as LabCliStartError).exitCode).toBe(1);
  expect((err as LabCliStartError).message).toContain('PVE API schema file not found: /nonexistent/pve-api/pve-8.4-endpoints-flat.json');
  // the readiness deadline is 120 s: failing well inside it shows the exit was noticed, not waited out
  expect(Date.now() - started).toBeLessThan(60_000);
}, 120_000);

it('refuses bad options with exit code 2', async () => {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/lab/cli.ts', '--nodes', 'zero'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (c) => (stderr += c));
  const [code] = await once(child, 'exit');
  expect(code).toBe(2);
  expect(stderr).toMatch(/--nodes must be 1\.\.16/);
}, 60_000);
