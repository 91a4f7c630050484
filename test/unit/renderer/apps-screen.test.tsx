// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NO_FILTER } from '../../../src-renderer/features/apps/app-filters';
import { AppsScreen } from '../../../src-renderer/features/apps/apps-screen';
import { followApps, useAppsStore } from '../../../src-renderer/features/apps/apps-store';
import { useInfrastructureStore } from '../../../src-renderer/features/infrastructure/infrastructure-store';
import { useNavigationStore } from '../../../src-renderer/features/navigation/navigation-store';
import { TooltipProvider } from '../../../src-renderer/components/tooltip';
import { useToastStore } from '../../../src-renderer/components/toast-store';
import { addApps, openRealDesktopApi, openRealDesktopApiWithFeatures, type RealDesktopApi } from './real-desktop-api';
import { giveScrollContainersASize } from './viewport-size';

let real: RealDesktopApi;
let stop: () => void;
let restoreSize: () => void;

beforeEach(() => {
  useAppsStore.setState({ apps: [], loaded: false, error: null, filter: NO_FILTER });
  useInfrastructureStore.setState({ appliance: null });
  useNavigationStore.setState({ screen: 'apps', appId: null });
  useToastStore.setState({ toasts: [] });
  real = openRealDesktopApi();
  restoreSize = giveScrollContainersASize();
});
afterEach(() => {
  cleanup();
  stop?.();
  real.dispose();
  restoreSize();
});

function show() {
  stop = followApps(real.api);
  return render(
    <TooltipProvider>
      <AppsScreen api={real.api} />
    </TooltipProvider>,
  );
}
const rows = () => screen.queryAllByTestId('app-row');
const statusOf = (appId: string) => rows().find((r) => r.dataset.appId === appId)?.dataset.status;

describe('Apps screen on the real core', () => {
  it('says there are no apps yet, with the way to the catalog', async () => {
    show();
    expect(await screen.findByTestId('apps-empty')).toHaveProperty('textContent', expect.stringContaining('No apps yet'));
    fireEvent.click(screen.getByRole('button', { name: 'Browse the catalog' }));
    expect(useNavigationStore.getState().screen).toBe('catalog');
  });

  it('lists apps with status, node, VMID and ports, and follows apps.changed live (no polling)', async () => {
    const [cloud, git] = addApps(real.core, ['Nextcloud', 'Gitea']);
    show();
    await waitFor(() => expect(rows()).toHaveLength(2));
    const cloudRow = rows().find((r) => r.dataset.appId === cloud)!;
    expect(within(cloudRow).getByTestId('app-ports').textContent).toBe('30000 / 40000');
    expect(cloudRow.textContent).toContain('pve1');
    expect(statusOf(git)).toBe('pending');

    act(() => void real.core.apps.updateStatus(git, 'running'));
    await waitFor(() => expect(statusOf(git)).toBe('running'));
    expect(within(rows().find((r) => r.dataset.appId === git)!).getByTestId('app-status').textContent).toBe('Running');
    act(() => void real.core.apps.insert({ catalogId: 'jellyfin', name: 'Jellyfin', hostname: 'jellyfin' }));
    await waitFor(() => expect(rows()).toHaveLength(3));
  });

  it('searches and filters by status and node', async () => {
    const ids = addApps(real.core, ['Nextcloud', 'Gitea', 'Grafana', 'Jellyfin']);
    real.core.apps.updateStatus(ids[2], 'failed');
    show();
    await waitFor(() => expect(rows()).toHaveLength(4));
    fireEvent.change(screen.getByTestId('apps-search'), { target: { value: 'g' } });
    await waitFor(() => expect(rows().map((r) => r.querySelector('.app-name')?.textContent)).toEqual(['Gitea', 'Grafana']), { timeout: 5000 });
    expect(screen.getByTestId('apps-count').textContent).toBe('2 of 4 apps');
    fireEvent.change(screen.getByTestId('apps-status-filter'), { target: { value: 'failed' } });
    await waitFor(() => expect(rows()).toHaveLength(1));
    expect(rows()[0].dataset.appId).toBe(ids[2]);
    fireEvent.change(screen.getByTestId('apps-search'), { target: { value: '' } });
    fireEvent.change(screen.getByTestId('apps-status-filter'), { target: { value: 'all' } });
    fireEvent.change(screen.getByTestId('apps-node-filter'), { target: { value: 'pve2' } });
    await waitFor(() => expect(rows().map((r) => r.dataset.appId)).toEqual([ids[1], ids[3]]));
    fireEvent.change(screen.getByTestId('apps-search'), { target: { value: 'nothing-like-this' } });
    expect(await screen.findByTestId('apps-no-match')).toBeTruthy();
  });

  it('shows an access URL with a copy button once the appliance address is known, and opens the canvas', async () => {
    const [id] = addApps(real.core, ['Nextcloud']);
    show();
    await waitFor(() => expect(rows()).toHaveLength(1));
    expect(rows()[0].textContent).toContain('No address yet');
    act(() => useInfrastructureStore.getState().applyAppliance({ vmid: 900, node: 'pve1', address: '10.0.0.2', bridge: 'vmbr0', status: 'healthy', services: [], fallback: false }));
    await waitFor(() => expect(rows()[0].textContent).toContain('http://10.0.0.2:30000/'));
    expect(within(rows()[0]).getByTestId('copy-url').getAttribute('aria-label')).toBe('Copy Nextcloud URL');
    fireEvent.click(within(rows()[0]).getByTestId('app-open-canvas'));
    expect(useNavigationStore.getState()).toMatchObject({ screen: 'canvas', appId: id });
  });

  it('renders only the rows in view for 1000 apps (virtualised)', async () => {
    const apps = Array.from({ length: 1000 }, (_, i) => ({ id: `a${i}`, catalogId: 'x', name: `App ${i}`, hostname: `app-${i}`, node: 'pve1', vmid: 1000 + i, status: 'running' as const, ports: { public: 30000 + i, internal: 40000 + i } }));
    render(
      <TooltipProvider>
        <AppsScreen api={real.api} />
      </TooltipProvider>,
    );
    act(() => useAppsStore.getState().apply(apps));
    await waitFor(() => expect(rows().length).toBeGreaterThan(0));
    expect(rows().length).toBeLessThan(40);
    expect(screen.getByTestId('apps-list').getAttribute('aria-rowcount')).toBe('1001');
  });

  it('offers start/stop/restart/delete in the quick actions, enabled, each calling its apps.* channel; main\'s refusal is a toast', async () => {
    real.dispose();
    real = await openRealDesktopApiWithFeatures();
    const [id] = addApps(real.core, ['Nextcloud']);
    show();
    await waitFor(() => expect(rows()).toHaveLength(1));
    const openMenu = async () => {
      fireEvent.pointerDown(within(rows()[0]).getByTestId('app-actions'), { button: 0, ctrlKey: false, pointerType: 'mouse' });
      return screen.findByTestId('app-actions-menu');
    };
    const menu = await openMenu();
    for (const action of ['start', 'stop', 'restart', 'delete']) {
      expect(within(menu).getByTestId(`action-${action}`).hasAttribute('data-disabled'), action).toBe(false);
    }
    // apps.start reaches main's lifecycle, which refuses: this app has no container on a connection yet.
    fireEvent.click(within(menu).getByTestId('action-start'));
    await waitFor(() => expect(useToastStore.getState().toasts.map((t) => `${t.title} ${t.description}`)).toEqual([expect.stringMatching(/^Start Nextcloud: CONFLICT Nextcloud has no container yet\./)]));

    // Delete asks first; confirming sends confirmDataLoss (main refuses without it) and the delete operation
    // removes the app (no connection: only its record and ports), so the row goes away through apps.changed.
    fireEvent.click(within(await openMenu()).getByTestId('action-delete'));
    const confirm = await screen.findByTestId('delete-confirm');
    expect(confirm.textContent).toContain('Delete Nextcloud?');
    fireEvent.click(within(confirm).getByRole('button', { name: 'Delete app' }));
    await waitFor(() => expect(rows()).toHaveLength(0));
    expect(real.core.apps.get(id)).toBeFalsy();
    expect(real.core.operations.list().map((o) => o.kind)).toContain('app.delete');
  });

  it('"Open in browser" goes through links.openExternal (main validates the URL) once the address is known', async () => {
    addApps(real.core, ['Nextcloud']);
    useInfrastructureStore.getState().applyAppliance({ vmid: 900, node: 'pve1', address: '10.0.0.2', bridge: 'vmbr0', status: 'healthy', services: [], fallback: false });
    show();
    await waitFor(() => expect(rows()).toHaveLength(1));
    fireEvent.pointerDown(within(rows()[0]).getByTestId('app-actions'), { button: 0, ctrlKey: false, pointerType: 'mouse' });
    fireEvent.click(within(await screen.findByTestId('app-actions-menu')).getByTestId('action-open-browser'));
    await waitFor(() => expect(real.opened).toEqual(['http://10.0.0.2:30000/']));
  });

  it('the app name opens its details: status, where it runs, ports; live status from apps.get; metrics not connected yet', async () => {
    const [id] = addApps(real.core, ['Nextcloud']);
    show();
    await waitFor(() => expect(rows()).toHaveLength(1));
    fireEvent.click(within(rows()[0]).getByTestId('app-details'));
    const detail = await screen.findByTestId('app-detail');
    expect(detail.textContent).toContain('public 30000, canvas 40000');
    expect(detail.textContent).toContain('pve1 · 300');
    act(() => void real.core.apps.updateStatus(id, 'failed'));
    await waitFor(() => expect(within(detail).getByText('Failed')).toBeTruthy());
    // this main has no apps feature (no cluster connected): apps.get answers NOT_SUPPORTED, shown with its reason
    expect((await within(detail).findByTestId('app-live-error')).dataset.errorCode).toBe('NOT_SUPPORTED');
    fireEvent.mouseDown(within(detail).getByTestId('tab-metrics'));
    expect((await within(detail).findByText('Metrics: not connected yet')).tagName).toBe('H2');
  });

  it('details over main\'s apps feature: apps.get\'s status view, the safe commands (commands.list/run) and logs', async () => {
    real.dispose();
    real = await openRealDesktopApiWithFeatures();
    addApps(real.core, ['Nextcloud']);
    show();
    await waitFor(() => expect(rows()).toHaveLength(1));
    fireEvent.click(within(rows()[0]).getByTestId('app-details'));
    const detail = await screen.findByTestId('app-detail');
    // no container on a connected cluster: main reports no PVE, runtime or health view (and no error)
    expect((await within(detail).findByTestId('app-live-pve')).textContent).toMatch(/not reported/);
    expect(within(detail).getByTestId('app-live-health').textContent).toBe('not checked');

    fireEvent.mouseDown(within(detail).getByTestId('tab-commands'));
    const commands = await within(detail).findByTestId('app-commands');
    const listed = await real.api.commands.list({ appId: rows()[0].dataset.appId! });
    if (!listed.ok) throw new Error(listed.error.message);
    expect(within(commands).getAllByRole('listitem').map((li) => li.dataset.testid)).toEqual(listed.value.map((c) => `command-${c.id}`));
    fireEvent.click(within(commands).getByTestId('run-command-disk-usage'));
    const refused = await within(commands).findByTestId('command-error');
    expect(refused.dataset.errorCode).toBe('CONFLICT');
    expect(refused.textContent).toContain('Nextcloud has no container yet.');

    fireEvent.mouseDown(within(detail).getByTestId('tab-logs'));
    expect((await within(detail).findByTestId('logs-error')).textContent).toContain('Nextcloud has no container yet.');
  });
});
