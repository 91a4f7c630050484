import { create } from 'zustand';
import type { ClusterSnapshot } from '../../../src-shared/contract/connection-schemas';
import type { DesktopApi, Unsubscribe } from '../../../src-shared/contract/desktop-api';
import type { IpcError } from '../../../src-shared/contract/errors';
import type { InfrastructureStatus } from '../../../src-shared/contract/schemas';

/**
 * What the Infrastructure screen shows: the live cluster of every connection (`cluster.get` once, then the
 * `cluster.changed` events main publishes while a window is visible) with a short history per node for the
 * charts, and the network appliance (its channels `appliance.*` land with the appliance orchestrator).
 */
export type ClusterNode = ClusterSnapshot['nodes'][number];

export interface ApplianceService {
  name: 'dnsmasq' | 'caddy' | 'nat';
  status: InfrastructureStatus;
}

export interface ApplianceStatus {
  vmid: number;
  node: string;
  /** The address apps are reached at (`http://<address>:<public port>`). */
  address: string;
  bridge: string;
  status: InfrastructureStatus;
  services: ApplianceService[];
  /** True when Proximity fell back to direct access because the appliance is unusable. */
  fallback: boolean;
}

/** One chart point: CPU as a fraction 0-1, memory used as a fraction of the node's memory. */
export interface NodeSample {
  at: number;
  cpu: number;
  mem: number;
}

/** How many samples each node keeps for its chart (at the main process's poll interval, a few minutes). */
export const HISTORY_LENGTH = 60;

export interface InfrastructureState {
  /** The last snapshot per connection id. */
  clusters: Record<string, ClusterSnapshot>;
  clusterErrors: Record<string, IpcError>;
  /** Recent samples per `<connectionId>/<node>`, oldest first. */
  history: Record<string, NodeSample[]>;
  appliance: ApplianceStatus | null;
  applyAppliance(appliance: ApplianceStatus | null): void;
  applyCluster(snapshot: ClusterSnapshot): void;
  /** Reads one connection's cluster now (`cluster.get`). */
  loadCluster(api: DesktopApi, connectionId: string): Promise<void>;
  /** Drops clusters of connections that no longer exist. */
  keepOnly(connectionIds: readonly string[]): void;
}

export const historyKey = (connectionId: string, node: string) => `${connectionId}/${node}`;

export const useInfrastructureStore = create<InfrastructureState>((set, get) => ({
  clusters: {},
  clusterErrors: {},
  history: {},
  appliance: null,
  applyAppliance: (appliance) => set({ appliance }),
  applyCluster: (snap) => {
    const history = { ...get().history };
    const at = snap.updatedAt ? Date.parse(snap.updatedAt) : NaN;
    for (const n of snap.nodes) {
      if (n.status !== 'online' || !Number.isFinite(at)) continue;
      const key = historyKey(snap.connectionId, n.node);
      const old = history[key] ?? [];
      if (old.length > 0 && old[old.length - 1].at >= at) continue; // the same answer again
      history[key] = [...old, { at, cpu: n.cpu, mem: n.maxmemBytes > 0 ? n.memBytes / n.maxmemBytes : 0 }].slice(-HISTORY_LENGTH);
    }
    const { [snap.connectionId]: _gone, ...clusterErrors } = get().clusterErrors;
    set({ clusters: { ...get().clusters, [snap.connectionId]: snap }, history, clusterErrors });
  },
  loadCluster: async (api, connectionId) => {
    const r = await api.cluster.get({ connectionId });
    if (r.ok) get().applyCluster(r.value);
    else set({ clusterErrors: { ...get().clusterErrors, [connectionId]: r.error } });
  },
  keepOnly: (ids) => {
    const keep = new Set(ids);
    const pick = <T,>(m: Record<string, T>, keyOf: (k: string) => string = (k) => k) => Object.fromEntries(Object.entries(m).filter(([k]) => keep.has(keyOf(k))));
    const s = get();
    set({ clusters: pick(s.clusters), clusterErrors: pick(s.clusterErrors), history: pick(s.history, (k) => k.slice(0, k.lastIndexOf('/'))) });
  },
}));

/**
 * Applies every `cluster.changed` main publishes (only while a window is visible; see `followVisibility`), and
 * reads each connection's cluster once (`cluster.get`) when it appears in `connectionIds` (the connections
 * store's list, followed through `onIds`).
 */
export function followCluster(api: DesktopApi, onIds: (listener: (ids: readonly string[]) => void) => Unsubscribe): Unsubscribe {
  const stop = api.onClusterChanged((snap) => useInfrastructureStore.getState().applyCluster(snap));
  const read = new Set<string>();
  const stopIds = onIds((ids) => {
    const s = useInfrastructureStore.getState();
    s.keepOnly(ids);
    for (const id of ids) {
      if (read.has(id)) continue;
      read.add(id);
      void s.loadCluster(api, id);
    }
    for (const id of [...read]) if (!ids.includes(id)) read.delete(id);
  });
  return () => {
    stop();
    stopIds();
  };
}

/**
 * Tells main whether this window shows Proximity (`system.setVisible`), so it polls Proxmox only then: visible
 * when `document.visibilityState` is `visible` (checked again on `visibilitychange` and on window `focus`, which
 * a restored window receives); sent now and on every change.
 */
export function followVisibility(api: DesktopApi, doc: Document = document, win: Window = window): Unsubscribe {
  let last: boolean | null = null;
  const update = () => {
    const visible = doc.visibilityState === 'visible';
    if (visible === last) return;
    last = visible;
    void api.system.setVisible({ visible });
  };
  update();
  doc.addEventListener('visibilitychange', update);
  win.addEventListener('focus', update);
  win.addEventListener('blur', update);
  return () => {
    doc.removeEventListener('visibilitychange', update);
    win.removeEventListener('focus', update);
    win.removeEventListener('blur', update);
  };
}

/** The appliance's address, or null while unknown (no access URLs then). */
export function applianceAddressOf(s: Pick<InfrastructureState, 'appliance'>): string | null {
  return s.appliance?.address ?? null;
}
