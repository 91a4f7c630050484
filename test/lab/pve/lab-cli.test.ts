// `npm run lab`: prints one JSON line describing a working lab and exits 0 on SIGTERM.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { resolve } from 'node:path';
import { expect, it } from 'vitest';
import { createPinnedAgent, pinnedFetch } from '../../../src-main/core/pve/pinned-fetch';

const root = resolve(__dirname, '../../..');

it('starts a lab, prints its description as one JSON line, serves the API and stops cleanly', async () => {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/lab/cli.ts', '--fast-401', '--task-seconds', '0', '--nodes', '2'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (c) => (stderr += c));
  try {
    let out = '';
    const line = await new Promise<string>((res, rej) => {
      const timer = setTimeout(() => rej(new Error(`no output; stderr: ${stderr}`)), 30_000);
      child.stdout.on('data', (c) => {
        out += c;
        const nl = out.indexOf('\n');
        if (nl >= 0) {
          clearTimeout(timer);
          res(out.slice(0, nl));
        }
      });
      child.once('exit', (code) => rej(new Error(`lab exited with ${code}: ${stderr}`)));
    });
    const info = JSON.parse(line);
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
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    const [code] = await exited;
    expect(code).toBe(0);
  }
}, 60_000);

it('refuses bad options with exit code 2', async () => {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/lab/cli.ts', '--nodes', 'zero'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (c) => (stderr += c));
  const [code] = await once(child, 'exit');
  expect(code).toBe(2);
  expect(stderr).toMatch(/--nodes must be 1\.\.16/);
}, 60_000);
