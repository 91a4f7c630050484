// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { App } from '../../../src-renderer/app';
import { useToastStore } from '../../../src-renderer/components/toast-store';
import { NO_FILTER } from '../../../src-renderer/features/apps/app-filters';
import { useAppsStore } from '../../../src-renderer/features/apps/apps-store';
import { useCanvasStore } from '../../../src-renderer/features/canvas/canvas-store';
import { useNavigationStore } from '../../../src-renderer/features/navigation/navigation-store';
import { useOperationsStore } from '../../../src-renderer/features/operations/operations-store';
import { usePaletteStore } from '../../../src-renderer/features/palette/palette-store';
import { addApps, openRealDesktopApi, type RealDesktopApi } from './real-desktop-api';
import { giveScrollContainersASize } from './viewport-size';

let real: RealDesktopApi;
let restoreSize: () => void;
beforeEach(() => {
  useNavigationStore.setState({ screen: 'apps', appId: null });
  useAppsStore.setState({ apps: [], loaded: false, error: null, filter: NO_FILTER });
  useOperationsStore.setState({ byId: {}, drawerOpen: false, selectedId: null, cancelError: null });
  useCanvasStore.setState({ openAppIds: [] });
  usePaletteStore.setState({ open: false });
  useToastStore.setState({ toasts: [] });
  real = openRealDesktopApi();
  restoreSize = giveScrollContainersASize();
});
afterEach(() => {
  cleanup();
  real.dispose();
  restoreSize();
});

describe('app shell', () => {
  it('opens on Apps, moves between screens from the sidebar, and follows ui.navigate from main (tray)', async () => {
    const [appId] = addApps(real.core, ['Who am I']);
    render(<App api={real.api} />);
    expect(screen.getByTestId('screen-title').textContent).toBe('Apps');
    await screen.findByTestId('app-row');
    for (const [nav, title] of [['activity', 'Activity'], ['settings', 'Settings'], ['infrastructure', 'Infrastructure'], ['catalog', 'Catalog'], ['system', 'System']]) {
      fireEvent.click(screen.getByTestId(`nav-${nav}`));
      expect(screen.getByTestId('screen-title').textContent).toBe(title);
      expect(screen.getByTestId(`nav-${nav}`).getAttribute('aria-current')).toBe('page');
    }
    // Main (the tray) asks for a canvas: the title names the app, the tab is open.
    act(() => real.hub.publish('ui.navigate', { view: 'canvas', appId }));
    expect(screen.getByTestId('screen-title').textContent).toBe('Canvas: Who am I');
    expect(screen.getByTestId('canvas-not-connected')).toBeTruthy();
    expect(screen.getByTestId(`canvas-tab-${appId}`).getAttribute('aria-current')).toBe('page');
  });

  it('Ctrl+K opens the palette: jump to a screen, or pick an app and open its canvas', async () => {
    const [, gitea] = addApps(real.core, ['Nextcloud', 'Gitea']);
    render(<App api={real.api} />);
    await screen.findAllByTestId('app-row');
    fireEvent.keyDown(window, { key: 'k', ctrlKey: true });
    const palette = await screen.findByTestId('command-palette');
    fireEvent.change(within(palette).getByTestId('palette-input'), { target: { value: 'activ' } });
    fireEvent.click(await within(palette).findByTestId('palette-go-activity'));
    await waitFor(() => expect(screen.queryByTestId('command-palette')).toBeNull());
    expect(useNavigationStore.getState().screen).toBe('activity');

    fireEvent.click(screen.getByTestId('open-palette'));
    const again = await screen.findByTestId('command-palette');
    fireEvent.change(within(again).getByTestId('palette-input'), { target: { value: 'gitea' } });
    fireEvent.click(await within(again).findByTestId(`palette-app-${gitea}`));
    // The app's page: the lifecycle actions are enabled (main has apps.start|stop|restart).
    for (const action of ['start', 'stop', 'restart']) {
      expect((await within(again).findByTestId(`palette-${action}`)).getAttribute('aria-disabled'), action).toBe('false');
    }
    fireEvent.click(within(again).getByTestId('palette-open-canvas'));
    expect(useNavigationStore.getState()).toMatchObject({ screen: 'canvas', appId: gitea });

    // Restart from the palette calls apps.restart; this main has no cluster connected, and its refusal is a toast.
    fireEvent.keyDown(window, { key: 'k', ctrlKey: true });
    const third = await screen.findByTestId('command-palette');
    fireEvent.change(within(third).getByTestId('palette-input'), { target: { value: 'gitea' } });
    fireEvent.click(await within(third).findByTestId(`palette-app-${gitea}`));
    fireEvent.click(await within(third).findByTestId('palette-restart'));
    await waitFor(() => expect(useToastStore.getState().toasts.map((t) => t.title)).toContain('Restart Gitea: NOT_SUPPORTED'));
    expect(useToastStore.getState().toasts.find((t) => t.title === 'Restart Gitea: NOT_SUPPORTED')?.description).toMatch(/^Connect to a Proxmox VE cluster first/);
  });

  it('the header counts running operations and opens the drawer', async () => {
    let release = () => {};
    real.core.operations.start({ kind: 'deploy', title: 'Deploy Gitea' }, () => new Promise<void>((r) => (release = r)));
    render(<App api={real.api} />);
    expect((await screen.findByTestId('operations-running-count')).textContent).toBe('1');
    fireEvent.click(screen.getByTestId('open-operations'));
    expect(within(await screen.findByTestId('operations-drawer')).getByTestId('operation-item').textContent).toContain('Deploy Gitea');
    act(() => release());
    await waitFor(() => expect(screen.queryByTestId('operations-running-count')).toBeNull());
    // The result arrives as a toast as well.
    expect((await screen.findByTestId('toast')).textContent).toContain('Deploy Gitea: done');
  });

  it('toasts an app that goes down while the window watches, not one that was down already', async () => {
    const [cloud, git] = addApps(real.core, ['Nextcloud', 'Gitea']);
    real.core.apps.updateStatus(cloud, 'running');
    real.core.apps.updateStatus(git, 'failed'); // down before the window opened
    render(<App api={real.api} />);
    await screen.findAllByTestId('app-row');
    expect(screen.queryByTestId('toast')).toBeNull();
    act(() => void real.core.apps.updateStatus(cloud, 'failed'));
    expect((await screen.findByTestId('toast')).textContent).toContain('Nextcloud is down');
    expect(screen.getAllByTestId('toast')).toHaveLength(1);
  });
});
