// Undoing an app: its routes, its name and lease, its container, its ports and its row, in that order. Used by
// a failed or cancelled deployment's rollback, by start-up recovery and by delete. Every part is idempotent.
import { ProximityError } from '../errors';
import { destroyContainer, getContainerConfig, waitForUnlock } from '../pve/lxc';
import { isNotFound } from '../pve/pve-errors';
import { parseDescription, parseTags } from './app-spec';
import type { DeployConnection, DeployCore } from './deploy-types';
import type { NodeSlots } from './node-slots';

/** What to undo; absent parts were never made. */
export interface TeardownTarget {
  appId: string;
  node?: string;
  vmid?: number;
  /** the name/lease was (or may have been) registered */
  registered?: boolean;
  /** routes were (or may have been) applied */
  published?: boolean;
  /**
   * the network the app was deployed with (its spec's or journal's mode): routes, name and lease are removed
   * through it whatever the node's appliance looks like now; absent (older records) means the node's current one
   */
  mode?: 'appliance' | 'fallback';
}

export interface TeardownOptions {
  core: DeployCore;
  conn: DeployConnection;
  slots: NodeSlots;
  actor: string;
  log: (line: string) => void;
  /** each part is journaled: started before, ended after */
  journal?: (part: string, run: () => Promise<void>) => Promise<void>;
  /** ms to wait for a lock on the container (a create still running after a crash); default 120 000 */
  unlockTimeoutMs?: number;
  signal?: AbortSignal;
}

/** True when the container's tags or description name this app: Proximity never destroys someone else's guest. */
function ownedBy(cfg: Record<string, unknown>, appId: string): boolean {
  const tagged = parseTags(typeof cfg.tags === 'string' ? cfg.tags : undefined);
  const spec = parseDescription(typeof cfg.description === 'string' ? cfg.description : undefined);
  return tagged?.appId === appId || spec?.appId === appId;
}

/**
 * Destroys CT `vmid` when it exists and belongs to `appId` (waiting for a held lock first), within the node's
 * create/destroy cap. Returns what happened. Throws PVE errors (PVE_LOCKED past the wait, PVE_TASK_FAILED).
 */
export async function destroyOwnedContainer(o: TeardownOptions, node: string, vmid: number, appId: string): Promise<'destroyed' | 'gone' | 'not-ours'> {
  let cfg: Record<string, unknown>;
  try {
    cfg = await getContainerConfig(o.conn.pve, node, vmid, o.signal);
  } catch (e) {
    if (isNotFound(e)) return 'gone';
    throw e;
  }
  if (!ownedBy(cfg, appId)) return 'not-ours';
  if (cfg.lock !== undefined) await waitForUnlock(o.conn.pve, node, vmid, { signal: o.signal, timeoutMs: o.unlockTimeoutMs ?? 120_000 });
  const destroyed = await o.slots.run(node, () => destroyContainer(o.conn.pve, node, vmid, { force: true, purge: true, signal: o.signal }), o.signal);
  return destroyed ? 'destroyed' : 'gone';
}

/**
 * Removes everything of `t` that exists. Goes on past a failing part (so as much as possible is cleaned) and
 * then throws the first failure (its code kept; details list every failure). The app row goes only when every
 * other part succeeded, so nothing is ever orphaned without a record.
 */
export async function teardownApp(t: TeardownTarget, o: TeardownOptions): Promise<void> {
  const failures: { part: string; error: unknown }[] = [];
  const part = async (name: string, run: () => Promise<void>) => {
    try {
      await (o.journal ? o.journal(name, run) : run());
    } catch (e) {
      failures.push({ part: name, error: e });
      o.log(`Could not undo ${name}: ${(e as Error).message}`);
    }
  };
  const network = () => (t.mode ? Promise.resolve(o.conn.networks.of(t.mode)) : o.conn.networks.choose(t.node!, o.signal));
  if (t.published && t.node) await part('routes', async () => (await network()).unpublish(t.node!, t.appId, o.signal));
  if (t.registered && t.node) await part('name and lease', async () => (await network()).detach(t.node!, t.appId, o.signal));
  if (t.vmid !== undefined && t.node) {
    await part('container', async () => {
      const r = await destroyOwnedContainer(o, t.node!, t.vmid!, t.appId);
      o.log(r === 'destroyed' ? `Destroyed CT ${t.vmid} on ${t.node}.` : r === 'gone' ? `CT ${t.vmid} does not exist (nothing to destroy).` : `CT ${t.vmid} does not belong to this app; left alone.`);
    });
  }
  if (failures.length === 0) {
    await part('ports', () => {
      if (o.core.ports.get(t.appId)) o.core.ports.release(t.appId, o.actor);
      return Promise.resolve();
    });
  }
  if (failures.length === 0) {
    await part('app record', () => {
      if (o.core.apps.get(t.appId)) o.core.apps.delete(t.appId);
      return Promise.resolve();
    });
  }
  if (failures.length > 0) {
    const first = failures[0]!;
    const code = first.error instanceof ProximityError ? first.error.code : 'INTERNAL';
    throw new ProximityError(code, `Could not remove ${failures.map((f) => f.part).join(', ')}: ${(first.error as Error).message}`, {
      details: { failures: failures.map((f) => ({ part: f.part, message: (f.error as Error).message })) },
      cause: first.error,
    });
  }
}
