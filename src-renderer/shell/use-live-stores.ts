import { useEffect } from 'react';
import type { DesktopApi } from '../../src-shared/contract/desktop-api';
import { followApps, useAppsStore } from '../features/apps/apps-store';
import { toastAppWentDown } from '../features/apps/app-toasts';
import { useConnectionStore } from '../features/connection/connection-store';
import { followConnections, useConnectionsStore } from '../features/connections/connections-store';
import { followCluster, followVisibility } from '../features/infrastructure/infrastructure-store';
import { followNavigationEvents } from '../features/navigation/navigation-store';
import { toastOperationResult } from '../features/operations/operation-toasts';
import { followOperations } from '../features/operations/operations-store';
import { followPortRanges } from '../features/settings/settings-store';

/**
 * Subscribes the stores to main's events for as long as the shell lives: apps (a toast when one goes down),
 * operations (with toasts for results), port ranges, navigation, Proxmox connections and their clusters, and tells
 * main when the window is shown (it polls Proxmox only then). The renderer never polls; after a reconnection (`opens` rises) the apps
 * list is loaded again in case an event was missed while away.
 */
export function useLiveStores(api: DesktopApi | null): void {
  const opens = useConnectionStore((s) => s.status.opens);
  useEffect(() => {
    if (!api) return;
    const stops = [
      followNavigationEvents(api),
      followApps(api, toastAppWentDown),
      followOperations(api, toastOperationResult),
      followPortRanges(api),
      followConnections(api),
      followCluster(api, connectionIdsListener),
      followVisibility(api),
    ];
    return () => stops.forEach((stop) => stop());
  }, [api]);
  useEffect(() => {
    if (!api) return;
    void useAppsStore.getState().load(api);
    void useConnectionsStore.getState().load(api);
  }, [api, opens]);
}

/** Calls `listener` with the connection ids now and whenever the list changes. */
function connectionIdsListener(listener: (ids: readonly string[]) => void): () => void {
  let last = '';
  const emit = (ids: string[]) => {
    const key = ids.join(',');
    if (key === last) return;
    last = key;
    listener(ids);
  };
  emit(useConnectionsStore.getState().connections.map((c) => c.id));
  return useConnectionsStore.subscribe((s) => emit(s.connections.map((c) => c.id)));
}
