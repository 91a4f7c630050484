// Test helpers for the cluster routes: a real emulator (schema validation, tasks, faults) with the virtual
// backend, called in-process, plus a check of every answer against the schema's `returns`.
import { expect } from 'vitest';

import { createVirtualBackend, type VirtualBackend } from '../../backends/virtual-backend';
import { createEmulator, type Emulator } from '../emulator';
import type { PveIdentity } from '../types';
import type { ClusterState } from './cluster-state';

export const ALPINE = 'alpine-3.22-default_20250617_amd64.tar.xz';
export const ALPINE_VOLID = `local:vztmpl/${ALPINE}`;
export const TOKEN: PveIdentity = { user: 'root@pam', tokenId: 'proximity', authid: 'root@pam!proximity' };

export interface Lab {
  emu: Emulator;
  state: ClusterState;
  backend: VirtualBackend;
  /** call and check the answer against the schema's `returns` */
  api(method: string, path: string, params?: Record<string, unknown>, identity?: PveIdentity): Promise<any>;
  /** the PveHttpError a call fails with */
  fail(method: string, path: string, params?: Record<string, unknown>, identity?: PveIdentity): Promise<{ status: number; message: string; errors?: Record<string, string> }>;
  /** run a task-returning call and wait: the exit status */
  task(method: string, path: string, params?: Record<string, unknown>, identity?: PveIdentity): Promise<string>;
  taskLog(upid: string): string[];
  /** the exit status of the newest `vzstart` task of a CT (create/rollback with start=1 fork one, as PVE does) */
  started(vmid: number): Promise<string>;
  close(): Promise<void>;
}

/** UPID of the newest `vzstart` task of a CT, or undefined. */
export function lastStartTask(emu: Emulator, vmid: number): string | undefined {
  return emu.tasks.list().filter((t) => t.type === 'vzstart' && t.id === String(vmid)).at(-1)?.upid;
}

/** lock_config timeout of the test labs (PVE: 10 s): short, so lock-timeout tests are fast */
export const TEST_LOCK_TIMEOUT_MS = 300;

export async function startLab(
  opts: { nodes?: number; taskSeconds?: number; schema?: '8.4' | '9.1'; pveVersion?: string; lockTimeoutMs?: number } = {},
): Promise<Lab> {
  const backend = createVirtualBackend();
  const emu = await createEmulator({
    backend,
    taskSeconds: opts.taskSeconds ?? 0,
    nodes: opts.nodes,
    schema: opts.schema,
    pveVersion: opts.pveVersion,
    lockTimeoutMs: opts.lockTimeoutMs ?? TEST_LOCK_TIMEOUT_MS,
  });
  const api: Lab['api'] = async (method, path, params, identity) => {
    const data = await emu.callApi(method, path, params, identity);
    const route = emu.schema.resolve(method, path.split('?')[0]);
    expect(route, `${method} ${path} resolves`).not.toBeNull();
    expect(emu.schema.checkReturns(route!, data), `${method} ${path} returns`).toEqual([]);
    return data;
  };
  return {
    emu,
    state: emu.state as ClusterState,
    backend,
    api,
    async fail(method, path, params, identity) {
      try {
        await emu.callApi(method, path, params, identity);
      } catch (e: any) {
        return { status: e.status, message: e.message, errors: e.errors };
      }
      throw new Error(`${method} ${path} unexpectedly succeeded`);
    },
    async task(method, path, params, identity) {
      const upid = await api(method, path, params, identity);
      expect(upid).toMatch(/^UPID:/);
      return emu.waitTask(upid);
    },
    taskLog: (upid) => emu.tasks.get(upid)?.lines ?? [],
    async started(vmid) {
      const upid = lastStartTask(emu, vmid);
      expect(upid, `a vzstart task for CT ${vmid}`).toBeDefined();
      return emu.waitTask(upid!);
    },
    close: () => emu.close(),
  };
}

/** Download the Alpine template to `local` on a node. */
export async function withTemplate(lab: Lab, node = 'pve'): Promise<void> {
  expect(await lab.task('POST', `/nodes/${node}/aplinfo`, { storage: 'local', template: ALPINE })).toBe('OK');
}

export function createParams(vmid: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    vmid,
    ostemplate: ALPINE_VOLID,
    hostname: `ct${vmid}`,
    rootfs: 'local-lvm:8',
    net0: 'name=eth0,bridge=vmbr0,ip=dhcp',
    unprivileged: 1,
    ...extra,
  };
}
