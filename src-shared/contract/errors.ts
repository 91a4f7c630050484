import { z } from 'zod';

/**
 * Stable error codes. They cross the IPC bridge as data (thrown errors lose their fields at the context
 * bridge), so the renderer can react to a code, not parse a message. Add codes; never rename or reuse one.
 */
export const ERROR_CODES = [
  'VALIDATION',
  'FORBIDDEN_SENDER',
  'UNKNOWN_CHANNEL',
  'INTERNAL',
  'NOT_FOUND',
  'CONFLICT',
  'DB_ERROR',
  'DB_MIGRATION_FAILED',
  'PORT_RANGE_EXHAUSTED',
  'PORT_NOT_ASSIGNED',
  'SECRET_STORE_UNAVAILABLE',
  'PVE_AUTH_FAILED',
  'PVE_UNREACHABLE',
  'PVE_API_ERROR',
  'TLS_FINGERPRINT_MISMATCH',
  'SSH_HOST_KEY_MISMATCH',
  'SSH_FAILED',
  // The running shell cannot do this (e.g. opening an external browser from the `npm run web` dev bridge).
  'NOT_SUPPORTED',
  // The renderer lost its connection to main (only possible over the `npm run web` WebSocket bridge).
  'BRIDGE_UNAVAILABLE',
  // The database was written by a newer Proximity (schema version above what this build knows); it is left untouched.
  'DB_SCHEMA_TOO_NEW',
  // An operation was cancelled by the operator (its AbortSignal fired).
  'OPERATION_CANCELLED',
  // An operation was running when Proximity stopped; it did not finish.
  'OPERATION_INTERRUPTED',
  // A catalog manifest (ours or the original Proximity's format) is broken; details list each field path.
  'CATALOG_MANIFEST_INVALID',
  // An operator-supplied deployment parameter is missing or fails its manifest's validation.
  'CATALOG_PARAMETER_INVALID',
  // A value bound for the Caddyfile was refused by its strict pattern, or Caddy itself refused the generated file.
  'PROXY_CONFIG_INVALID',
  // The validated Caddyfile could not be swapped in or reloaded; the last good config is still the one serving.
  'PROXY_APPLY_FAILED',
  // A network setting or a value bound for the dnsmasq/iptables config was refused by its strict pattern.
  'NETWORK_CONFIG_INVALID',
  // Every address of the appliance LAN's static range is reserved.
  'NETWORK_ADDRESS_EXHAUSTED',
  // Proxmox VE answered that the guest, volume, snapshot, task or other object does not exist (404, or 500 "... does not exist").
  'PVE_NOT_FOUND',
  // A Proxmox VE worker task ended with an error; details carry the task's upid, exit status and last log lines.
  'PVE_TASK_FAILED',
  // A guest's config lock was held by another operation (`can't lock file ... got timeout`, `CT is locked (...)`), retries exhausted.
  'PVE_LOCKED',
  // Proxmox VE refused the call for missing privileges (403 `Permission check failed (...)`).
  'PVE_PERMISSION_DENIED',
  // The API answered, but the node behind it could not be reached (pveproxy 595/596 pseudo statuses).
  'PVE_NODE_OFFLINE',
  // A Proxmox VE call or task did not finish within its deadline.
  'PVE_TIMEOUT',
  // The operator (or the app shutting down) cancelled the work.
  'CANCELLED',
  // The node's SSH refused our login (key or password); details name the node, address and user, never the secret.
  'SSH_AUTH_FAILED',
  // An SSH connect, handshake or remote command did not finish within its deadline.
  'SSH_TIMEOUT',
  // The node's SSH host key is not pinned yet; details carry its fingerprint for the operator to confirm.
  'SSH_HOST_KEY_UNCONFIRMED',
  // A remote command ran and exited non-zero (or by a signal); details carry argv, exit code and stderr.
  'COMMAND_FAILED',
  // The appliance VMID holds a guest that is not Proximity's appliance; it is left untouched (details: node, vmid).
  'APPLIANCE_VMID_TAKEN',
  // The node has pending network changes that are not Proximity's; nothing was applied (details: pendingIfaces, diff).
  'NETWORK_PENDING_CHANGES',
  // The node's network appliance is not provisioned, not running, or a service inside it is down (fallback mode).
  'APPLIANCE_UNAVAILABLE',
  // A deployed app did not answer its health check through its public address before the deadline.
  'HEALTH_CHECK_FAILED',
  // A deployment step failed; details name the step, its journal entry and its last log lines (rolled back).
  'DEPLOY_FAILED',
  // A node's preflight check found something that stops deployments (PVE or lxc-pve too old, no storage, ...).
  'PREFLIGHT_FAILED',
  // Deleting the app would delete its data and the operator has not confirmed it (`confirmDataLoss`).
  'CONFIRMATION_REQUIRED',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export const errorCodeSchema = z.enum(ERROR_CODES);

export const ipcErrorSchema = z.object({
  code: errorCodeSchema,
  message: z.string(),
  details: z.unknown().optional(),
});

export type IpcError = z.infer<typeof ipcErrorSchema>;
