import { create } from 'zustand';
import type { DesktopApi } from '../../../src-shared/contract/desktop-api';
import type { IpcError } from '../../../src-shared/contract/errors';
import type { ConnectionDraft } from './connection-form';

/**
 * Onboarding: adding a Proxmox connection. Channels are not in the contract yet; expected:
 *   `connections.test` ConnectionDraft (secrets included, never stored by the test) -> ConnectionTestResult
 *   `connections.add` ConnectionDraft + { fingerprint, sshHostKey } (the values the operator confirmed)
 *        -> { id }  (main refuses with TLS_FINGERPRINT_MISMATCH / SSH_HOST_KEY_MISMATCH when they changed)
 * `canTestConnections` tells whether main offers them; until then the dialog says so.
 */
export const TEST_PARTS = ['reachable', 'tls', 'auth', 'privileges', 'ssh', 'pct'] as const;
export type TestPart = (typeof TEST_PARTS)[number];

export const TEST_PART_LABELS: Record<TestPart, string> = {
  reachable: 'Host reachable',
  tls: 'TLS certificate',
  auth: 'Authentication',
  privileges: 'Privileges',
  ssh: 'SSH login',
  pct: 'pct available',
};

export interface ConnectionTestPart {
  part: TestPart;
  ok: boolean;
  /** What was found, or why it failed and what to do. */
  message: string;
}

export interface ConnectionTestResult {
  parts: ConnectionTestPart[];
  /** SHA-256 fingerprint of the PVE certificate, `AB:CD:...`, for the operator to compare with `pvenode cert info`. */
  fingerprint: string | null;
  /** The node's SSH host key fingerprint, `SHA256:...`. */
  sshHostKey: string | null;
}

type Method<I, O> = (input: I) => Promise<{ ok: true; value: O } | { ok: false; error: IpcError }>;
interface ConnectionsApi {
  test?: Method<ConnectionDraft, ConnectionTestResult>;
  add?: Method<ConnectionDraft & { fingerprint: string; sshHostKey: string }, { id: string }>;
}
const connectionsApi = (api: DesktopApi) => ((api as unknown as Record<string, ConnectionsApi | undefined>).connections ?? {}) as ConnectionsApi;

/** True when main offers `connections.test` (the dialog enables "Test connection"). */
export function canTestConnections(api: DesktopApi): boolean {
  return typeof connectionsApi(api).test === 'function';
}

export interface ConnectionsState {
  dialogOpen: boolean;
  testing: boolean;
  result: ConnectionTestResult | null;
  error: IpcError | null;
  setDialogOpen(open: boolean): void;
  /** Runs `connections.test`; a new draft invalidates an earlier result (the caller clears it on edit). */
  test(api: DesktopApi, draft: ConnectionDraft): Promise<void>;
  clearResult(): void;
}

export const useConnectionsStore = create<ConnectionsState>((set) => ({
  dialogOpen: false,
  testing: false,
  result: null,
  error: null,
  setDialogOpen: (dialogOpen) => set({ dialogOpen, ...(dialogOpen ? {} : { result: null, error: null }) }),
  test: async (api, draft) => {
    const method = connectionsApi(api).test;
    if (!method) {
      set({ error: { code: 'NOT_SUPPORTED', message: 'Testing a connection arrives with the Proxmox layer (not connected yet).' } });
      return;
    }
    set({ testing: true, error: null, result: null });
    const r = await method(draft);
    set(r.ok ? { testing: false, result: r.value } : { testing: false, error: r.error });
  },
  clearResult: () => set({ result: null, error: null }),
}));

/** Every part passed and both keys are known: only then may the operator confirm and save. */
export function testPassed(result: ConnectionTestResult | null): boolean {
  return !!result && result.fingerprint !== null && result.sshHostKey !== null && TEST_PARTS.every((p) => result.parts.find((x) => x.part === p)?.ok);
}
