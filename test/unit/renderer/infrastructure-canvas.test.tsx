// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TooltipProvider } from '../../../src-renderer/components/tooltip';
import { CanvasScreen } from '../../../src-renderer/features/canvas/canvas-screen';
import { useCanvasStore } from '../../../src-renderer/features/canvas/canvas-store';
import { useConnectionsStore } from '../../../src-renderer/features/connections/connections-store';
import { InfrastructureScreen } from '../../../src-renderer/features/infrastructure/infrastructure-screen';
import { useInfrastructureStore } from '../../../src-renderer/features/infrastructure/infrastructure-store';
import { useNavigationStore } from '../../../src-renderer/features/navigation/navigation-store';
import { openRealDesktopApi, type RealDesktopApi } from './real-desktop-api';

let real: RealDesktopApi;
beforeEach(() => {
  useInfrastructureStore.setState({ connected: false, connections: [], nodes: [], appliance: null });
  useCanvasStore.setState({ openAppIds: [] });
  useConnectionsStore.setState({ dialogOpen: false, testing: false, result: null, error: null });
  real = openRealDesktopApi();
});
afterEach(() => {
  cleanup();
  real.dispose();
});

describe('Infrastructure screen', () => {
  it('leads a first run to adding a Proxmox connection', () => {
    render(<TooltipProvider><InfrastructureScreen api={real.api} /></TooltipProvider>);
    fireEvent.click(screen.getByTestId('add-connection'));
    expect(screen.getByTestId('add-connection-dialog')).toBeTruthy();
  });

  it('once connected: nodes with CPU, memory and disk; the appliance and its services; the fallback banner', () => {
    render(<TooltipProvider><InfrastructureScreen api={real.api} /></TooltipProvider>);
    act(() => {
      const s = useInfrastructureStore.getState();
      s.applyConnections([{ id: 'c1', host: 'pve.lan', port: 8006, fingerprint: 'AB:CD', status: 'healthy' }]);
      s.applyNodes([{ node: 'pve1', status: 'online', cpu: 0.25, memUsedBytes: 2 * 1024 ** 3, memTotalBytes: 8 * 1024 ** 3, diskUsedBytes: 10 * 1024 ** 3, diskTotalBytes: 100 * 1024 ** 3 }]);
      s.applyAppliance({ vmid: 900, node: 'pve1', address: '10.0.0.2', bridge: 'vmbr1', status: 'degraded', fallback: true, services: [{ name: 'dnsmasq', status: 'healthy' }, { name: 'caddy', status: 'down' }] });
    });
    const nodes = screen.getByTestId('nodes-table');
    expect(nodes.textContent).toContain('2.0 GiB / 8.0 GiB');
    expect(within(nodes).getByRole('progressbar', { name: 'pve1 CPU' }).getAttribute('aria-valuenow')).toBe('25');
    expect(screen.getByTestId('appliance-card').textContent).toMatch(/900 on pve1.*10\.0\.0\.2 · vmbr1.*dnsmasq.*healthy.*caddy.*down/);
    expect(screen.getByTestId('appliance-fallback').getAttribute('role')).toBe('alert');
  });
});

describe('Canvas screen', () => {
  it('keeps several canvases as tabs, says why there is no frame, and closing the last goes back to Apps', () => {
    useNavigationStore.getState().openCanvas('a1');
    const { rerender } = render(<TooltipProvider><CanvasScreen appId="a1" /></TooltipProvider>);
    rerender(<TooltipProvider><CanvasScreen appId="a2" /></TooltipProvider>);
    expect(useCanvasStore.getState().openAppIds).toEqual(['a1', 'a2']);
    expect(screen.getByTestId('canvas-tab-a2').getAttribute('aria-current')).toBe('page');
    expect(screen.getByTestId('canvas-not-connected')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Close a2 canvas' }));
    expect(useNavigationStore.getState()).toMatchObject({ screen: 'canvas', appId: 'a1' });
    act(() => useCanvasStore.getState().close('a2'));
    rerender(<TooltipProvider><CanvasScreen appId="a1" /></TooltipProvider>);
    fireEvent.click(screen.getByRole('button', { name: 'Close a1 canvas' }));
    expect(useNavigationStore.getState().screen).toBe('apps');
  });
});
