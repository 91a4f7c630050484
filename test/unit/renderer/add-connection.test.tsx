// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DesktopApi } from '../../../src-shared/contract/desktop-api';
import { TooltipProvider } from '../../../src-renderer/components/tooltip';
import { AddConnectionDialog } from '../../../src-renderer/features/connections/add-connection-dialog';
import { EMPTY_CONNECTION, validateConnection } from '../../../src-renderer/features/connections/connection-form';
import { useConnectionsStore, type ConnectionTestResult } from '../../../src-renderer/features/connections/connections-store';
import { openRealDesktopApi, type RealDesktopApi } from './real-desktop-api';

describe('connection form validation', () => {
  const valid = { ...EMPTY_CONNECTION, host: 'pve.example.lan', tokenId: 'root@pam!proximity', tokenSecret: '5c3f3a0e-8f55-4c1e-9d57-0a9b1c2d3e4f' };
  it('accepts a token login and a password login', () => {
    expect(validateConnection(valid)).toEqual({});
    expect(validateConnection({ ...valid, authMode: 'password', password: 'x', tokenId: '', tokenSecret: '' })).toEqual({});
    expect(validateConnection({ ...valid, host: '192.168.1.10' })).toEqual({});
    expect(validateConnection({ ...valid, host: 'fd00::10' })).toEqual({});
  });
  it('says what is wrong with each field', () => {
    expect(validateConnection({ ...valid, host: 'https://pve:8006' }).host).toMatch(/without https/);
    expect(validateConnection({ ...valid, host: 'pve host' }).host).toMatch(/Not a host/);
    expect(validateConnection({ ...valid, port: '70000' }).port).toMatch(/Between 1 and 65535/);
    expect(validateConnection({ ...valid, tokenId: 'root!proximity' }).tokenId).toMatch(/user@realm!token/);
    expect(validateConnection({ ...valid, tokenSecret: 'secret' }).tokenSecret).toMatch(/UUID/);
    expect(validateConnection({ ...valid, authMode: 'password', realm: '9' }).realm).toMatch(/realm/);
    expect(validateConnection({ ...valid, sshUser: 'Root User' }).sshUser).toMatch(/Unix user/);
  });
});

describe('Add a Proxmox connection dialog', () => {
  let real: RealDesktopApi;
  beforeEach(() => {
    useConnectionsStore.setState({ dialogOpen: true, testing: false, result: null, error: null });
    real = openRealDesktopApi();
  });
  afterEach(() => {
    cleanup();
    real.dispose();
  });
  const show = (api: DesktopApi) =>
    render(
      <TooltipProvider>
        <AddConnectionDialog api={api} />
      </TooltipProvider>,
    );
  const type = (key: string, value: string) => {
    const input = screen.getByTestId(`connection-${key}`);
    fireEvent.change(input, { target: { value } });
    fireEvent.blur(input);
  };

  it('checks fields as you type, and says testing is not connected yet while main has no channel for it', () => {
    show(real.api);
    expect(screen.getByTestId('connection-not-wired')).toBeTruthy();
    type('host', 'https://pve');
    expect(screen.getByTestId('connection-host').getAttribute('aria-invalid')).toBe('true');
    type('host', 'pve.example.lan');
    expect(screen.getByTestId('connection-host').getAttribute('aria-invalid')).toBeNull();
    expect((screen.getByTestId('connection-test') as HTMLButtonElement).disabled).toBe(true);
    expect(within(screen.getByTestId('connection-test-results')).getAllByRole('listitem').map((li) => li.dataset.state)).toEqual(Array(6).fill('pending'));
  });

  it('once main offers connections.test: shows every part, then the fingerprint and host key to confirm before saving', async () => {
    const result: ConnectionTestResult = {
      parts: (['reachable', 'tls', 'auth', 'privileges', 'ssh', 'pct'] as const).map((part) => ({ part, ok: true, message: `${part} ok` })),
      fingerprint: 'AB:CD:EF',
      sshHostKey: 'SHA256:abc',
    };
    const tested: unknown[] = [];
    // The channel main will add (`connections.test`), next to the real ones.
    const api = { ...real.api, connections: { test: async (draft: unknown) => (tested.push(draft), { ok: true as const, value: result }) } } as unknown as DesktopApi;
    show(api);
    type('host', 'pve.example.lan');
    type('tokenId', 'root@pam!proximity');
    type('tokenSecret', '5c3f3a0e-8f55-4c1e-9d57-0a9b1c2d3e4f');
    fireEvent.click(screen.getByTestId('connection-test'));
    await waitFor(() => expect(screen.getByTestId('connection-fingerprints').textContent).toContain('AB:CD:EF'));
    expect(tested).toEqual([expect.objectContaining({ host: 'pve.example.lan', authMode: 'token', tokenId: 'root@pam!proximity' })]);
    expect(within(screen.getByTestId('connection-test-results')).getAllByRole('listitem').map((li) => li.dataset.state)).toEqual(Array(6).fill('ok'));
    const save = screen.getByTestId('connection-save') as HTMLButtonElement;
    expect(save.disabled).toBe(true); // not before the operator confirms the keys
    fireEvent.click(screen.getByTestId('connection-confirm'));
    expect(save.disabled).toBe(false);
    type('host', 'other.example.lan'); // editing invalidates the test and the confirmation
    expect(screen.queryByTestId('connection-fingerprints')).toBeNull();
    expect(save.disabled).toBe(true);
  });
});
