import type { ErrorCode } from '../../src-shared/contract/errors';

/**
 * What the operator can do next, per stable error code. The message from main says what happened; this says
 * where to go from here. Every code is listed (compiler-checked), so a new code cannot ship without advice.
 */
export const ERROR_ADVICE: Record<ErrorCode, string> = {
  VALIDATION: 'Check the highlighted values and try again.',
  FORBIDDEN_SENDER: 'Reload the window; if it persists, restart Proximity.',
  UNKNOWN_CHANNEL: 'This window is older than Proximity itself: reload it.',
  INTERNAL: 'Try again. If it keeps happening, the details are in the Activity log.',
  NOT_FOUND: 'It may have been removed meanwhile: refresh the list.',
  CONFLICT: 'Something else changed it at the same time: refresh and try again.',
  DB_ERROR: 'Check that the data folder is on a writable, healthy disk (System screen), then try again.',
  DB_MIGRATION_FAILED: 'Restore the database from a backup or contact support; Proximity left it unchanged.',
  PORT_RANGE_EXHAUSTED: 'Widen the port ranges in Settings, or delete apps you no longer need.',
  PORT_NOT_ASSIGNED: 'Redeploy the app so it gets its ports.',
  SECRET_STORE_UNAVAILABLE: 'Unlock or install a system keyring (see the System screen), then retry.',
  PVE_AUTH_FAILED: 'Check the API token or password of the Proxmox connection (Infrastructure).',
  PVE_UNREACHABLE: 'Check that the Proxmox host is on and reachable from this computer.',
  PVE_API_ERROR: 'Proxmox refused the request; its message above says why.',
  TLS_FINGERPRINT_MISMATCH: 'The Proxmox certificate changed. Confirm the new fingerprint only if you expected it.',
  SSH_HOST_KEY_MISMATCH: 'The node’s SSH host key changed. Confirm the new key only if you expected it.',
  SSH_FAILED: 'Check the SSH login of the Proxmox connection (Infrastructure).',
  NOT_SUPPORTED: 'Use the desktop app for this; the browser preview cannot do it.',
  BRIDGE_UNAVAILABLE: 'Proximity is reconnecting; wait a moment, or restart `npm run web`.',
  DB_SCHEMA_TOO_NEW: 'Update Proximity: this data folder was written by a newer version.',
  OPERATION_CANCELLED: 'Start it again when you are ready.',
  OPERATION_INTERRUPTED: 'Proximity stopped while it ran; check its log, then start it again.',
  CATALOG_MANIFEST_INVALID: 'Fix the catalog manifest at the field named above (`npm run catalog -- validate <folder>` lists every problem).',
  CATALOG_PARAMETER_INVALID: 'Correct the highlighted app setting and try again.',
  PROXY_CONFIG_INVALID: 'A value was refused before it reached Caddy; correct it. The running proxy config is unchanged.',
  PROXY_APPLY_FAILED: 'Caddy kept its last good config. Check the appliance (Infrastructure), then retry.',
  NETWORK_CONFIG_INVALID: 'Correct the network setting named above (Settings); nothing was changed on the node.',
  NETWORK_ADDRESS_EXHAUSTED: 'The app network is full: delete apps you no longer need, or choose a larger subnet in Settings.',
  PVE_NOT_FOUND: 'It no longer exists on Proxmox: refresh, or reconcile the app list (Infrastructure).',
  PVE_TASK_FAILED: 'The Proxmox task failed; its log is shown above. Fix what it names, then retry.',
  PVE_LOCKED: 'Another Proxmox task holds this container; wait for it to finish, then retry.',
  PVE_PERMISSION_DENIED: 'Grant the missing privilege to the API token or user (Test connection names it), then retry.',
  PVE_NODE_OFFLINE: 'The node is offline: start it, or choose another node.',
  PVE_TIMEOUT: 'Proxmox did not finish in time; check the node\'s load and task list, then retry.',
  CANCELLED: 'Start it again when you are ready.',
  SSH_AUTH_FAILED: 'Check the SSH user and key or password of the Proxmox connection (Infrastructure).',
  SSH_TIMEOUT: 'The node did not answer over SSH in time; check that it is reachable on port 22.',
  SSH_HOST_KEY_UNCONFIRMED: 'Confirm the node\'s SSH host key fingerprint (Infrastructure) to trust it.',
  COMMAND_FAILED: 'The command failed on the node; its output is shown above.',
  APPLIANCE_VMID_TAKEN: 'Another guest uses the appliance VMID: choose a free VMID for the appliance in Settings. Proximity left that guest untouched.',
  NETWORK_PENDING_CHANGES: 'The node has network changes that are not Proximity\'s: apply or revert them in the Proxmox UI (System > Network), then provision again.',
  APPLIANCE_UNAVAILABLE: 'The network appliance is not running: repair it (Infrastructure). New apps can still be deployed in fallback mode.',
  HEALTH_CHECK_FAILED: "The app did not answer in time: check its logs in the app's commands, then deploy again.",
  DEPLOY_FAILED: 'Everything the deployment made was rolled back; its log names the failing step.',
  PREFLIGHT_FAILED: 'Fix what the check names on the node (update, storage, template), then deploy again.',
  CONFIRMATION_REQUIRED: 'Confirm that the app and its data may be deleted.',
};

/** Advice for any code string (unknown codes from a newer main get the generic advice). */
export function adviceFor(code: string): string {
  return (ERROR_ADVICE as Record<string, string>)[code] ?? ERROR_ADVICE.INTERNAL;
}
