// `startLab` with the netns backend: the node is a whole node. Its SSH (with pct/pveam) and the API answer on
// loopback AND on the node's management address on vmbr0, as a real node's do; the printed info says where;
// stopping the lab leaves nothing of it behind.
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLab, type Lab } from '../lab';
import { canRunNetns, onHighSlot, TRACE_SLOTS } from '../netns/netns-test-kit';
import { cmd, connectPinned, sshExec } from '../node/ssh-client';
import { createPinnedAgent, pinnedFetch } from '../../../src-main/core/pve/pinned-fetch';

describe.skipIf(!canRunNetns)('lab with the netns backend: management address', () => {
  let lab: Lab;
  let prefix: string;

  beforeAll(async () => {
    // a high slot: the last test checks the slot's traces after close, when a lab of another test file would
    // otherwise take the freed (lowest) slot at once
    lab = await onHighSlot((slot) => startLab({ backend: 'netns', taskSeconds: 0, backendOptions: { slot } }), TRACE_SLOTS);
    prefix = (lab.backend as unknown as { prefix: string }).prefix;
  });
  afterAll(async () => {
    await lab?.close();
  });

  it('reports ssh, management and network in its info', () => {
    const { info } = lab;
    expect(info.ssh).toMatchObject({ host: '127.0.0.1', user: 'root' });
    expect(info.ssh!.hostKeyFingerprint).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
    expect(info.management).toMatchObject({ sshPort: 22 });
    expect(info.management!.address).toMatch(/^198\.18\.\d+\.2$/);
    expect(info.network!.cidr).toMatch(/^198\.18\.\d+\.0\/24$/);
  });

  it('answers the API on the management address with the same pinned certificate', async () => {
    const agent = createPinnedAgent({ fingerprint: lab.info.api.fingerprint });
    try {
      const f = pinnedFetch(agent);
      const noAuth = await f(`${lab.info.management!.apiUrl}/api2/json/nodes`);
      expect(noAuth.status).toBe(401);
      const r = await f(`${lab.info.management!.apiUrl}/api2/json/nodes`, {
        headers: { Authorization: `PVEAPIToken=${lab.info.api.tokenId}=${lab.info.api.tokenSecret}` },
      });
      expect(r.status).toBe(200);
      expect(((await r.json()) as any).data[0].node).toBe('pve');
    } finally {
      await agent.close();
    }
  });

  it('answers SSH with pct/pveam on the management address (port 22), host key pinned', async () => {
    const ssh = lab.info.ssh!;
    const conn = await connectPinned({ ...ssh, host: lab.info.management!.address, port: 22 });
    try {
      const r = await sshExec(conn, cmd('pveam', 'available', '--section', 'system'));
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/alpine-3\.\d+-default/);
      const list = await sshExec(conn, cmd('pct', 'list'));
      expect(list.code).toBe(0);
    } finally {
      conn.end();
    }
    await expect(connectPinned({ ...ssh, host: lab.info.management!.address, port: 22 }, 'SHA256:wrong')).rejects.toThrow();
  });

  it('leaves no namespace, link or process behind when stopped', async () => {
    await lab.close();
    // whole words only: pxl1 must not match another lab's pxl12
    const word = new RegExp(`(^|[^A-Za-z0-9])${prefix}([^0-9]|$)`, 'm');
    expect(execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' })).not.toMatch(word);
    expect(execFileSync('ip', ['-o', 'link'], { encoding: 'utf8' })).not.toMatch(word);
    const ps = execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' });
    expect(ps.split('\n').filter((l) => l.includes(`/${prefix}/`) || l.includes(`${prefix}-`))).toEqual([]);
  });
});
