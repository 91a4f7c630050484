import { create } from 'zustand';
import type { CONNECTION_TEST_STEPS, Connection, ConnectionTestReport } from '../../../src-shared/contract/connection-schemas';
import type { DesktopApi, Unsubscribe } from '../../../src-shared/contract/desktop-api';
import type { IpcError } from '../../../src-shared/contract/errors';

/**
 * Proxmox connections as main has them (`connections.list` + event `connections.changed`), the add/edit dialog's
 * state, and the "Test connection" reports per connection (`connections.test`, a request: not stored by main).
 */
export type TestStep = (typeof CONNECTION_TEST_STEPS)[number];
// The contract's order (a copy: the renderer loads no zod module); the type keeps the two equal.
export const TEST_STEPS = ['tcp', 'tls', 'auth', 'privileges', 'ssh', 'pct'] as const satisfies typeof CONNECTION_TEST_STEPS;

export const TEST_STEP_LABELS: Record<TestStep, string> = {
  tcp: 'Host reachable',
  tls: 'TLS certificate',
  auth: 'Authentication',
  privileges: 'Privileges',
  ssh: 'SSH login',
  pct: 'pct available',
};

/** What the dialog edits: a new profile, or a saved one by id. */
export type ConnectionDialog = { mode: 'add' } | { mode: 'edit'; id: string } | null;

export interface ConnectionsState {
  /** False until the first `connections.list` answered (first run is known only then). */
  loaded: boolean;
  connections: Connection[];
  loadError: IpcError | null;
  dialog: ConnectionDialog;
  /** The last test of each connection, by id; `testing` holds the ids being tested. */
  reports: Record<string, ConnectionTestReport>;
  testErrors: Record<string, IpcError>;
  testing: Record<string, true>;
  openDialog(dialog: ConnectionDialog): void;
  load(api: DesktopApi): Promise<void>;
  apply(connections: Connection[]): void;
  /** Runs `connections.test` and keeps its report. */
  test(api: DesktopApi, id: string): Promise<ConnectionTestReport | null>;
}

export const useConnectionsStore = create<ConnectionsState>((set, get) => ({
  loaded: false,
  connections: [],
  loadError: null,
  dialog: null,
  reports: {},
  testErrors: {},
  testing: {},
  openDialog: (dialog) => set({ dialog }),
  load: async (api) => {
    const r = await api.connections.list();
    set(r.ok ? { connections: r.value, loaded: true, loadError: null } : { loadError: r.error });
  },
  apply: (connections) => {
    const ids = new Set(connections.map((c) => c.id));
    const keep = <T,>(m: Record<string, T>) => Object.fromEntries(Object.entries(m).filter(([k]) => ids.has(k)));
    set({ connections, loaded: true, reports: keep(get().reports), testErrors: keep(get().testErrors) });
  },
  test: async (api, id) => {
    set({ testing: { ...get().testing, [id]: true } });
    const r = await api.connections.test({ id });
    const { [id]: _done, ...testing } = get().testing;
    const { [id]: _old, ...testErrors } = get().testErrors;
    if (r.ok) set({ testing, testErrors, reports: { ...get().reports, [id]: r.value } });
    else set({ testing, testErrors: { ...testErrors, [id]: r.error } });
    return r.ok ? r.value : null;
  },
}));

/** Keeps the store in step with main: loads the list now and applies every `connections.changed`. */
export function followConnections(api: DesktopApi): Unsubscribe {
  const stop = api.onConnectionsChanged((list) => useConnectionsStore.getState().apply(list));
  void useConnectionsStore.getState().load(api);
  return stop;
}

/** The pin a failed test step says no longer matches: `tls` or `ssh`, or null. */
export function mismatchOf(report: ConnectionTestReport | undefined): 'tls' | 'ssh' | null {
  const step = report?.steps.find((s) => s.code === 'TLS_FINGERPRINT_MISMATCH' || s.code === 'SSH_HOST_KEY_MISMATCH');
  return !step ? null : step.code === 'TLS_FINGERPRINT_MISMATCH' ? 'tls' : 'ssh';
}
