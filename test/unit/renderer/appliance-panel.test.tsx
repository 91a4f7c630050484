// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { TooltipProvider } from '../../../src-renderer/components/tooltip';
import { AppliancePanel } from '../../../src-renderer/features/infrastructure/appliance-panel';
import { openRealDesktopApi, openRealDesktopApiWithFeatures, type RealDesktopApi } from './real-desktop-api';

let real: RealDesktopApi | undefined;
afterEach(() => {
  cleanup();
  real?.dispose();
  real = undefined;
});
const show = (r: RealDesktopApi, connectionId: string) =>
  render(
    <TooltipProvider>
      <AppliancePanel api={r.api} target={{ connectionId, node: 'pve1' }} />
    </TooltipProvider>,
  );

// The panel's happy paths (status, provisioning progress, logs, NAT test, proxy routes) need a PVE node with the
// appliance: they are not covered here (no lab in this file). These pin the channel names and inputs main accepts.
describe('the appliance panel over main\'s appliance channels', () => {
  it('asks appliance.status for its connection and node; an unknown connection is main\'s NOT_FOUND, for every action', async () => {
    real = await openRealDesktopApiWithFeatures();
    show(real, 'no-such-connection');
    const error = await screen.findByTestId('appliance-error');
    expect(error.dataset.errorCode).toBe('NOT_FOUND');
    const target = { connectionId: 'no-such-connection', node: 'pve1' };
    const expected: Record<string, { channel: string; input: unknown }> = {
      provision: { channel: 'appliance.provision', input: target },
      restart: { channel: 'appliance.restartServices', input: target },
      'logs-dnsmasq': { channel: 'appliance.logs', input: { ...target, service: 'dnsmasq' } },
      'logs-caddy': { channel: 'appliance.logs', input: { ...target, service: 'caddy' } },
      nat: { channel: 'appliance.natTest', input: target },
      proxy: { channel: 'proxy.status', input: target },
    };
    expect(real.calls.filter((c) => c.channel.startsWith('appliance.'))).toEqual([{ channel: 'appliance.status', input: target }]);
    for (const [action, call] of Object.entries(expected)) {
      const before = real.calls.length;
      fireEvent.click(screen.getByTestId(`appliance-${action}`));
      await waitFor(() => expect(real!.calls.slice(before)).toEqual([call]));
      await waitFor(() => expect(screen.getByTestId('appliance-panel').getAttribute('aria-busy')).toBe('false'));
      expect(screen.getByTestId('appliance-error').dataset.errorCode, action).toBe('NOT_FOUND');
    }
    expect(screen.queryByTestId('appliance-status')).toBeNull();
  });

  it('without main\'s connection runtime the channels say NOT_SUPPORTED, with the reason', async () => {
    real = openRealDesktopApi();
    show(real, 'c1');
    const error = await screen.findByTestId('appliance-error');
    expect(error.dataset.errorCode).toBe('NOT_SUPPORTED');
    expect(within(error).getByText('NOT_SUPPORTED')).toBeTruthy();
  });
});
