import { useEffect } from 'react';
import type { DesktopApi } from '../../src-shared/contract/desktop-api';
import { followApps, useAppsStore } from '../features/apps/apps-store';
import { toastAppWentDown } from '../features/apps/app-toasts';
import { useConnectionStore } from '../features/connection/connection-store';
import { followNavigationEvents } from '../features/navigation/navigation-store';
import { toastOperationResult } from '../features/operations/operation-toasts';
import { followOperations } from '../features/operations/operations-store';
import { followPortRanges } from '../features/settings/settings-store';

/**
 * Subscribes the stores to main's events for as long as the shell lives: apps (a toast when one goes down),
 * operations (with toasts for results), port ranges, navigation. The renderer never polls; after a reconnection (`opens` rises) the apps
 * list is loaded again in case an event was missed while away.
 */
export function useLiveStores(api: DesktopApi | null): void {
  const opens = useConnectionStore((s) => s.status.opens);
  useEffect(() => {
    if (!api) return;
    const stops = [followNavigationEvents(api), followApps(api, toastAppWentDown), followOperations(api, toastOperationResult), followPortRanges(api)];
    return () => stops.forEach((stop) => stop());
  }, [api]);
  useEffect(() => {
    if (api) void useAppsStore.getState().load(api);
  }, [api, opens]);
}
