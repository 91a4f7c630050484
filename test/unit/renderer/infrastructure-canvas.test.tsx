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
  useInfrastructureStore.setState({ clusters: {}, clusterErrors: {}, history: {}, appliance: null });
  useCanvasStore.setState({ openAppIds: [] });
  useConnectionsStore.setState({ loaded: false, connections: [], loadError: null, dialog: null, reports: {}, testErrors: {}, testing: {} });
  real = openRealDesktopApi();
});
afterEach(() => {
  cleanup();
  real.dispose();
});

describe('Infrastructure screen', () => {
  it('leads a first run (main has no connection) to adding a Proxmox connection', async () => {
    render(<TooltipProvider><InfrastructureScreen api={real.api} /></TooltipProvider>);
    await act(() => useConnectionsStore.getState().load(real.api));
    fireEvent.click(screen.getByTestId('add-first-connection'));
    expect(screen.getByTestId('add-connection-dialog')).toBeTruthy();
  });

  it('once connected: nodes with CPU, memory and storage and what is free, a chart after two readings; the appliance and its services; the fallback banner', () => {
    render(<TooltipProvider><InfrastructureScreen api={real.api} /></TooltipProvider>);
    const GiB = 1024 ** 3;
    const node = (cpu: number) => ({
      node: 'pve1', status: 'online' as const, cpu, maxcpu: 4, freeCpu: 3, memBytes: 2 * GiB, maxmemBytes: 8 * GiB, freeMemBytes: 6 * GiB, uptimeSeconds: 100,
      storages: [{ storage: 'local-lvm', content: ['rootdir', 'images'], shared: false, status: 'available', usedBytes: 10 * GiB, totalBytes: 100 * GiB, freeBytes: 90 * GiB }],
    });
    const snap = (cpu: number, at: string) => ({ connectionId: 'c1', health: { status: 'ok' as const, error: null }, nodes: [node(cpu), { ...node(0), node: 'pve2', status: 'offline' as const }], guests: [], updatedAt: at });
    act(() => {
      useConnectionsStore.getState().apply([
        { id: 'c1', name: 'Lab', host: 'pve.lan', port: 8006, auth: { kind: 'token', tokenId: 'root@pam!p' }, hasSecret: true, tlsFingerprint: 'AB:CD', ssh: null, createdAt: '', updatedAt: '' },
      ]);
      const s = useInfrastructureStore.getState();
      s.applyCluster(snap(0.25, '2026-01-01T00:00:00Z'));
      s.applyAppliance({ vmid: 900, node: 'pve1', address: '10.0.0.2', bridge: 'vmbr1', status: 'degraded', fallback: true, services: [{ name: 'dnsmasq', status: 'healthy' }, { name: 'caddy', status: 'down' }] });
    });
    const nodes = screen.getByTestId('nodes-table');
    expect(nodes.textContent).toContain('2.0 GiB of 8.0 GiB · 6.0 GiB free');
    expect(nodes.textContent).toContain('local-lvm 90.0 GiB free of 100.0 GiB');
    expect(within(nodes).getAllByTestId('node-status').map((b) => b.textContent)).toEqual(['online', 'offline']);
    expect(within(nodes).queryByRole('img')).toBeNull(); // one reading: no chart yet
    act(() => useInfrastructureStore.getState().applyCluster(snap(0.5, '2026-01-01T00:00:10Z')));
    expect(within(nodes).getByRole('img').getAttribute('aria-label')).toBe('pve1 recent use: CPU 50 %, memory 25 % (last 2 readings)');
    expect(within(nodes).getByRole('progressbar', { name: 'pve1 CPU' }).getAttribute('aria-valuenow')).toBe('50');
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
