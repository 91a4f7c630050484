// @vitest-environment happy-dom
import fs from 'node:fs';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DesktopApi } from '../../../src-shared/contract/desktop-api';
import { TooltipProvider } from '../../../src-renderer/components/tooltip';
import { toCatalogApp, toTargetNodes } from '../../../src-renderer/features/catalog/catalog-channels';
import { CatalogScreen } from '../../../src-renderer/features/catalog/catalog-screen';
import { useCatalogStore } from '../../../src-renderer/features/catalog/catalog-store';
import { useDeployStore } from '../../../src-renderer/features/deploy/deploy-store';
import { useNavigationStore } from '../../../src-renderer/features/navigation/navigation-store';
import { CATALOG_DIR, openRealDesktopApi, openRealDesktopApiWithFeatures, type RealDesktopApi } from './real-desktop-api';

let real: RealDesktopApi;
beforeEach(async () => {
  useCatalogStore.setState({ available: false, entries: [], query: '', category: 'all' });
  useDeployStore.getState().reset();
  useNavigationStore.setState({ screen: 'catalog', appId: null });
  real = await openRealDesktopApiWithFeatures();
});
afterEach(() => {
  cleanup();
  real.dispose();
});
const show = (api: DesktopApi) => render(<TooltipProvider><CatalogScreen api={api} /></TooltipProvider>);
const cards = () => screen.queryAllByTestId(/^catalog-(?!deploy-|error$|not-connected$|screen$)/);

describe('Catalog screen over main\'s built-in catalog (catalog.list)', () => {
  it('lists every app of resources/catalog; searches (name, description, tags) and filters by category', async () => {
    show(real.api);
    const dirs = fs.readdirSync(CATALOG_DIR, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
    await waitFor(() => expect(cards().map((c) => c.dataset.testid?.slice('catalog-'.length)).sort()).toEqual(dirs.sort()));
    expect(screen.getByTestId('catalog-gitea').textContent).toContain('Development');

    fireEvent.change(screen.getByRole('searchbox', { name: 'Search the catalog' }), { target: { value: 'streaming' } }); // a jellyfin tag
    await waitFor(() => expect(screen.queryByTestId('catalog-gitea')).toBeNull());
    expect(screen.getByTestId('catalog-jellyfin')).toBeTruthy();
    fireEvent.change(screen.getByRole('searchbox', { name: 'Search the catalog' }), { target: { value: '' } });
    fireEvent.change(screen.getByLabelText('Category'), { target: { value: 'Development' } });
    await waitFor(() => expect(screen.queryByTestId('catalog-jellyfin')).toBeNull());
    expect(screen.getByTestId('catalog-gitea')).toBeTruthy();
  });

  it('Deploy without a Proxmox connection says to add one first and stays on the catalog', async () => {
    show(real.api);
    fireEvent.click(await screen.findByTestId('catalog-deploy-gitea'));
    expect((await screen.findByTestId('catalog-error')).textContent).toMatch(/Add a Proxmox connection first/);
    expect(useNavigationStore.getState().screen).toBe('catalog');
    expect(useDeployStore.getState().app).toBeNull();
  });

  it('says so when main has no catalog (NOT_SUPPORTED from catalog.list)', async () => {
    const bare = openRealDesktopApi();
    try {
      show(bare.api);
      expect((await screen.findByTestId('catalog-error')).textContent).toMatch(/NOT_SUPPORTED|catalog/i);
      expect(screen.getByTestId('catalog-not-connected')).toBeTruthy();
    } finally {
      bare.dispose();
    }
  });
});

describe('catalog.get and cluster.get as the wizard reads them', () => {
  it('maps a real manifest: parameters by id with kinds and defaults, minimum resources', async () => {
    const detail = await real.api.catalog.get({ id: 'gitea' });
    if (!detail.ok) throw new Error(detail.error.message);
    const app = toCatalogApp(detail.value);
    expect(app).toMatchObject({ id: 'gitea', name: 'Gitea', minCores: detail.value.resources.cores.min, minMemoryMiB: detail.value.resources.memory.min, minDiskGiB: detail.value.resources.disk.min });
    expect(app.parameters.map((p) => p.key)).toEqual(detail.value.parameters.map((p) => p.id));
    for (const [i, p] of detail.value.parameters.entries()) {
      expect(app.parameters[i].kind).toBe(p.secret ? 'secret' : p.choices ? 'choice' : p.type === 'number' || p.type === 'integer' ? 'number' : 'text');
    }
  });

  it('keeps online nodes with whole free cores, free MiB and the largest rootdir storage in GiB', () => {
    const storage = (name: string, content: string[], freeGiB: number) => ({ storage: name, content, shared: false, status: 'available', usedBytes: 0, totalBytes: 0, freeBytes: freeGiB * 1024 ** 3 });
    const node = { cpu: 0.25, maxcpu: 4, memBytes: 0, maxmemBytes: 0, uptimeSeconds: 1 };
    expect(
      toTargetNodes([
        { ...node, node: 'pve1', status: 'online', freeCpu: 3.2, freeMemBytes: 2048.7 * 1024 ** 2, storages: [storage('local', ['iso', 'vztmpl'], 500), storage('local-lvm', ['rootdir', 'images'], 40), storage('zfs', ['rootdir'], 60)] },
        { ...node, node: 'pve2', status: 'offline', freeCpu: 4, freeMemBytes: 0, storages: [] },
      ]),
    ).toEqual([{ node: 'pve1', freeCores: 3, freeMemoryMiB: 2048, freeDiskGiB: 60 }]);
  });
});
