// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DesktopApi } from '../../../src-shared/contract/desktop-api';
import { TooltipProvider } from '../../../src-renderer/components/tooltip';
import { CatalogScreen } from '../../../src-renderer/features/catalog/catalog-screen';
import { useCatalogStore, type CatalogEntry } from '../../../src-renderer/features/catalog/catalog-store';
import { useDeployStore } from '../../../src-renderer/features/deploy/deploy-store';
import { useNavigationStore } from '../../../src-renderer/features/navigation/navigation-store';
import { openRealDesktopApi, type RealDesktopApi } from './real-desktop-api';

const ENTRIES: CatalogEntry[] = [
  { id: 'gitea', name: 'Gitea', description: 'Git hosting', category: 'Development', minCores: 1, minMemoryMiB: 512, minDiskGiB: 4 },
  { id: 'jellyfin', name: 'Jellyfin', description: 'Media server', category: 'Media', minCores: 2, minMemoryMiB: 2048, minDiskGiB: 8 },
];

let real: RealDesktopApi;
beforeEach(() => {
  useCatalogStore.setState({ available: false, entries: [], query: '', category: 'all' });
  useDeployStore.getState().reset();
  useNavigationStore.setState({ screen: 'catalog', appId: null });
  real = openRealDesktopApi();
});
afterEach(() => {
  cleanup();
  real.dispose();
});
const show = (api: DesktopApi) => render(<TooltipProvider><CatalogScreen api={api} /></TooltipProvider>);

describe('Catalog screen', () => {
  it('says the catalog is not connected yet while main has no catalog channel', () => {
    show(real.api);
    expect(screen.getByTestId('catalog-not-connected')).toBeTruthy();
  });

  it('with catalog.list: searches, filters by category, and Deploy opens the wizard (catalog.get + nodes.list)', async () => {
    const gitea = { ...ENTRIES[0], parameters: [] };
    const api = {
      ...real.api,
      catalog: { list: async () => ({ ok: true, value: ENTRIES }), get: async () => ({ ok: true, value: gitea }) },
      nodes: { list: async () => ({ ok: true, value: [{ node: 'pve1', freeCores: 4, freeMemoryMiB: 4096, freeDiskGiB: 40 }] }) },
    } as unknown as DesktopApi;
    show(api);
    await screen.findByTestId('catalog-gitea');
    fireEvent.change(screen.getByRole('searchbox', { name: 'Search the catalog' }), { target: { value: 'media' } });
    await waitFor(() => expect(screen.queryByTestId('catalog-gitea')).toBeNull());
    expect(screen.getByTestId('catalog-jellyfin')).toBeTruthy();
    fireEvent.change(screen.getByRole('searchbox', { name: 'Search the catalog' }), { target: { value: '' } });
    fireEvent.change(screen.getByLabelText('Category'), { target: { value: 'Development' } });
    await waitFor(() => expect(screen.queryByTestId('catalog-jellyfin')).toBeNull());
    fireEvent.click(screen.getByTestId('catalog-deploy-gitea'));
    await waitFor(() => expect(useNavigationStore.getState().screen).toBe('deploy'));
    expect(useDeployStore.getState().app).toEqual(gitea);
  });
});
