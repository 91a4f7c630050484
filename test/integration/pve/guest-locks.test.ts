// ACCEPTANCE (issue 8, item 3): guest locks against the lab. A config lock held longer than PVE's own wait is
// retried until it clears (the start task that failed on it is dispatched again; the refused config PUT is
// sent again); after a create, the next operation waits until the container's `lock` is gone (bpg
// WaitForConfigUnlock). Every request the client sends must pass the lab's schema validator.
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { ProximityError } from '../../../src-main/core/errors';
import { createContainer, getContainerConfig, setContainerConfig, startContainer } from '../../../src-main/core/pve/lxc';
import { PveClient } from '../../../src-main/core/pve/pve-client';
import { createBackend } from '../../lab/backends';
import { createEmulator, type Emulator } from '../../lab/pve/emulator';
import { validateRecordedRequest } from '../../lab/pve/schema';

const ALPINE = 'alpine-3.22-default_20250617_amd64.tar.xz';
const emus: Emulator[] = [];
const clients: PveClient[] = [];

async function lab(opts: Partial<Parameters<typeof createEmulator>[0]> = {}): Promise<Emulator> {
  const emu = await createEmulator({ backend: await createBackend('virtual'), taskSeconds: 0, ...opts });
  emus.push(emu);
  return emu;
}

function client(emu: Emulator, extra: Partial<ConstructorParameters<typeof PveClient>[0]> = {}): PveClient {
  const c = new PveClient({ host: emu.host, port: emu.port, fingerprint: emu.fingerprint, auth: { tokenId: emu.tokenId, tokenSecret: emu.tokenSecret }, ...extra });
  clients.push(c);
  return c;
}

async function seedTemplate(emu: Emulator): Promise<string> {
  await emu.waitTask(await emu.callApi('POST', '/nodes/pve/aplinfo', { storage: 'local', template: ALPINE }));
  return `local:vztmpl/${ALPINE}`;
}

afterEach(() => {
  for (const emu of emus) {
    const invalid = emu.requests.filter((r) => r.source === 'http').map((r) => ({ r: `${r.method} ${r.path}`, problems: validateRecordedRequest(emu.schema, r) })).filter((x) => x.problems.length > 0);
    expect(invalid).toEqual([]);
  }
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await Promise.all(emus.map((e) => e.close()));
});

describe('guest locks', () => {
  it('a lock held longer than PVE waits for it: the failed start task and the refused config PUT are retried until it clears', async () => {
    // PVE's own wait (lock_config, 10 s) made short, so the lock outlives it: the start worker ends
    // `got timeout`, the config PUT answers 500 `got timeout`; only the client's retries get past it.
    const locky = await lab({ lockTimeoutMs: 100 });
    const lc = client(locky);
    const { vmid } = await createContainer(lc, 'pve', { ostemplate: await seedTemplate(locky), rootfs: 'local-lvm:1', nets: ['name=eth0,bridge=vmbr0,ip=dhcp'] });
    const lockText = `can't lock file '/run/lock/lxc/pve-config-${vmid}.lock' - got timeout`;
    const retry = { attempts: 6, baseDelayMs: 20, maxDelayMs: 50 };
    // held until the client has failed on it twice: then the other holder lets go
    const retries: string[] = [];
    const onRetry = (e: unknown) => {
      retries.push((e as ProximityError).code);
      if (retries.length === 2) locky.faults.releaseGuestLock(vmid);
    };
    locky.faults.holdGuestLock(vmid);
    await startContainer(lc, 'pve', vmid, { retry, onRetry });
    const starts = locky.tasks.list().filter((t) => t.type === 'vzstart' && t.id === String(vmid)).map((t) => t.exitstatus);
    expect(starts).toEqual([lockText, lockText, 'OK']);
    expect(retries).toEqual(['PVE_LOCKED', 'PVE_LOCKED']);

    retries.length = 0;
    locky.faults.holdGuestLock(vmid);
    await setContainerConfig(lc, 'pve', vmid, { set: { description: 'after the lock' } }, { retry, onRetry });
    const puts = locky.requests.filter((r) => r.method === 'PUT' && r.path === `/api2/json/nodes/pve/lxc/${vmid}/config`);
    expect(puts.map((r) => [r.status, r.message])).toEqual([[500, lockText], [500, lockText], [200, 'OK']]);
    expect((await getContainerConfig(lc, 'pve', vmid)).description).toBe('after the lock');
  });

  it('after a create, the next operation waits until the container lock clears', async () => {
    const emu = await lab();
    const ostemplate = await seedTemplate(emu);
    // The lab keeps `lock: create` in the config for 300 ms after the create task reported its end (as a cluster
    // filesystem that has not caught up would); a start dispatched meanwhile fails `CT is locked (create)`.
    let locked: number | undefined;
    let cleared = false;
    const c = client(emu, {
      onAnswer: (a) => {
        const upid = /^\/nodes\/pve\/tasks\/(UPID:[^/]+)\/status$/.exec(a.path)?.[1];
        if (!upid || locked !== undefined || upid.split(':')[5] !== 'vzcreate' || (a.data as { status?: string })?.status !== 'stopped') return;
        locked = Number(upid.split(':')[6]);
        const ct = emu.state!.containers.get(locked)!;
        ct.config.lock = 'create';
        setTimeout(() => {
          delete ct.config.lock;
          cleared = true;
        }, 300).unref();
      },
    });
    const { vmid } = await createContainer(c, 'pve', { ostemplate, rootfs: 'local-lvm:1', nets: ['name=eth0,bridge=vmbr0,ip=dhcp'], start: true });
    expect(vmid).toBe(locked);
    expect(cleared).toBe(true);
    expect(emu.tasks.list().filter((t) => t.type === 'vzstart').map((t) => t.exitstatus)).toEqual(['OK']);
    const starts = emu.requests.filter((r) => r.method === 'POST' && r.path === `/api2/json/nodes/pve/lxc/${vmid}/status/start`);
    expect(starts.map((r) => r.status)).toEqual([200]);
  });
});
