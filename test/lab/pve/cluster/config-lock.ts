// The per-guest config flock (`/run/lock/lxc/pve-config-<vmid>.lock`, PVE::AbstractConfig lock_config ->
// PVE::Tools lock_file_full, 10 s timeout). In the lab another holder is simulated with the `holdGuestLock`
// fault. Where PVE takes it decides what a client sees:
//   - inside the worker (pve-container since early 2024: vm_start/stop/shutdown/suspend, reboot via
//     vm_stop+vm_start, destroy_vm, snapshot create/delete/rollback, vzdump's prepare): the API call answers
//     200 with a UPID; the task logs `trying to acquire lock...` and, after the timeout, ends with
//     `can't lock file '/run/lock/lxc/pve-config-<vmid>.lock' - got timeout`;
//   - in the API handler before forking (update_vm = config PUT, snapshot config PUT, create_and_lock_config):
//     the call itself waits the same timeout and then answers 500 with that text.
import type { TaskLog } from '../types';
import { PveHttpError } from '../types';
import type { ClusterFaults } from './cluster-state';

/** PVE's lock_config timeout (PVE::AbstractConfig::lock_config_full default: 10 s). */
export const PVE_CONFIG_LOCK_TIMEOUT_MS = 10_000;

export interface ConfigLockDeps {
  faults: ClusterFaults;
  /** how long a lock_config waits before `got timeout` (ms; PVE: 10000, tests make it short) */
  lockTimeoutMs?: number;
}

/** The text lock_file_full dies with after its timeout. */
export function lockTimeoutMessage(vmid: number): string {
  return `can't lock file '/run/lock/lxc/pve-config-${vmid}.lock' - got timeout`;
}

/**
 * lock_config inside a worker: when the flock is held, logs `trying to acquire lock...`, waits for its release
 * (up to lockTimeoutMs) and logs ` OK`, or throws (a task error) with lockTimeoutMessage. Resolves true when
 * it had to wait (the caller then re-reads the config, as PVE loads it only after the lock).
 */
export async function lockConfigInWorker(deps: ConfigLockDeps, vmid: number, log: TaskLog): Promise<boolean> {
  if (!deps.faults.isGuestLockHeld(vmid)) return false;
  log.line('trying to acquire lock...');
  const free = await deps.faults.waitGuestLockReleased(vmid, deps.lockTimeoutMs ?? PVE_CONFIG_LOCK_TIMEOUT_MS);
  if (!free) throw new Error(lockTimeoutMessage(vmid));
  log.line(' OK');
  return true;
}

/**
 * lock_config in the API handler (before any fork): waits for the flock like PVE (up to lockTimeoutMs), then
 * throws PveHttpError 500 with lockTimeoutMessage, prefixed by `prefix` when given (create: `unable to create CT 100 - `).
 */
export async function lockConfigBeforeFork(deps: ConfigLockDeps, vmid: number, prefix = ''): Promise<void> {
  if (!deps.faults.isGuestLockHeld(vmid)) return;
  const free = await deps.faults.waitGuestLockReleased(vmid, deps.lockTimeoutMs ?? PVE_CONFIG_LOCK_TIMEOUT_MS);
  if (!free) throw new PveHttpError(500, `${prefix}${lockTimeoutMessage(vmid)}`);
}
