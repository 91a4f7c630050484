// Acceptance (a): a container created through the API on vmbr0 with ip=dhcp gets a lease, visible both in
// GET .../interfaces and, over the node's SSH, in `pct exec <vmid> -- ip -4 addr`.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALPINE, ALPINE_VOLID, apiInet, canRunNetns, startE2eLab, until, type E2eLab } from './lab-fixture';

describe.skipIf(!canRunNetns)('lab e2e: DHCP container over API + SSH', () => {
  let e: E2eLab;
  beforeAll(async () => {
    e = await startE2eLab();
  });
  afterAll(async () => {
    await e?.close();
  });

  it('downloads the template with pveam, creates and starts a DHCP container, sees the same lease both ways', async () => {
    const dl = await e.sh(`pveam download local ${ALPINE}`, { timeoutMs: 30_000 });
    expect(dl.code, dl.stderr).toBe(0);
    expect(dl.stdout).toMatch(/TASK OK\n$/);
    expect((await e.sh('pveam list local')).stdout).toContain(ALPINE_VOLID);

    await e.task('POST', `/nodes/${e.node}/lxc`, {
      vmid: '200', ostemplate: ALPINE_VOLID, hostname: 'dhcp-ct', net0: 'name=eth0,bridge=vmbr0,ip=dhcp', unprivileged: '1', rootfs: 'local-lvm:1',
    });
    expect(await e.pct('list')).toMatch(/^200 +stopped +dhcp-ct/m);
    const stopped = await e.sh('pct exec 200 -- true');
    expect([stopped.code, stopped.stderr]).toEqual([255, "container '200' not running!\n"]);

    expect((await e.sh('pct start 200')).code).toBe(0);
    expect(await e.pct('status', '200')).toBe('status: running\n');
    const leased = await until('a DHCP lease on eth0 in GET .../interfaces', () => apiInet(e, 200, 'eth0'));
    const [addr] = leased.split('/');
    const subnetPrefix = e.backend.subnet.gateway.replace(/\.\d+$/, '.');
    expect(addr!.startsWith(subnetPrefix)).toBe(true);

    const ipOut = await e.pct('exec', '200', '--', 'ip', '-4', 'addr', 'show', 'dev', 'eth0');
    expect(ipOut).toContain(`inet ${leased}`);
    // exit codes of the command inside come back through pct exec and SSH
    expect((await e.sh("pct exec 200 -- sh -c 'exit 7'")).code).toBe(7);

    // stdin flows through SSH and pct exec; push/pull copy files in and out
    const w = await e.sh(`pct exec 200 -- sh -c 'cat > /root/note.txt'`, { stdin: 'hello from stdin\n' });
    expect(w.code, w.stderr).toBe(0);
    const pulled = path.join(e.runDir, 'pulled.txt');
    await e.pct('pull', '200', '/root/note.txt', pulled);
    expect(fs.readFileSync(pulled, 'utf8')).toBe('hello from stdin\n');
    await e.push(200, '/root/hello.sh', '#!/bin/sh\necho pushed\n', '755');
    expect(await e.pct('exec', '200', '--', '/root/hello.sh')).toBe('pushed\n');
    const outside = await e.sh(`pct push 200 ${pulled} /usr/bin/evil`);
    expect(outside.code).toBe(255);
    expect(outside.stderr).toContain('read-only system tree');
    const missingDir = await e.sh(`pct push 200 ${pulled} /nonexistent/dir/file`);
    expect([missingDir.code, missingDir.stderr]).toEqual([255, 'failed to create file: /nonexistent/dir/file: No such file or directory\n']);

    expect((await e.sh('pct stop 200')).code).toBe(0);
    expect(await apiInet(e, 200, 'eth0')).toBeNull();
  }, 60_000); // dozens of SSH round trips; every wait inside is bounded on its own
});
