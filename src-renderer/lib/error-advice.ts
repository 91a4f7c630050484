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
};

/** Advice for any code string (unknown codes from a newer main get the generic advice). */
export function adviceFor(code: string): string {
  return (ERROR_ADVICE as Record<string, string>)[code] ?? ERROR_ADVICE.INTERNAL;
}
