// @vitest-environment happy-dom
// ACCEPTANCE (issue 11, onboarding): a first run leads to adding a connection; the dialog probes the host over the
// REAL IPC runtime and core against the lab (PVE emulator + the node's OpenSSH), shows the certificate and SSH
// host key fingerprints to confirm, adds with exactly those, and "Test connection" shows every part; a changed
// certificate is explained and re-pinned only on confirmation; edit and remove (with confirmation) work.
import fs from 'node:fs';
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { connectionAddInputSchema } from '../../../src-shared/contract/connection-schemas';
import { TooltipProvider } from '../../../src-renderer/components/tooltip';
import { EMPTY_CONNECTION, validateConnection } from '../../../src-renderer/features/connections/connection-form';
import { followConnections, useConnectionsStore } from '../../../src-renderer/features/connections/connections-store';
import { InfrastructureScreen } from '../../../src-renderer/features/infrastructure/infrastructure-screen';
import { followCluster, followVisibility, useInfrastructureStore } from '../../../src-renderer/features/infrastructure/infrastructure-store';
import { aesCipher } from '../../integration/connections/connection-kit';
import { startLabProcess, type LabProcess } from './lab-process';
import { openRealDesktopApi, type RealDesktopApi } from './real-desktop-api';

const KEY = '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n';

describe('connection form validation', () => {
  const valid = { ...EMPTY_CONNECTION, name: 'Home', host: 'pve.example.lan', tokenId: 'root@pam!proximity', tokenSecret: '5c3f3a0e-8f55-4c1e-9d57-0a9b1c2d3e4f', sshKey: KEY };
  it('accepts a token or a password login, with an SSH key or password', () => {
    expect(validateConnection(valid)).toEqual({});
    expect(validateConnection({ ...valid, authMode: 'password', password: 'x', tokenId: '', tokenSecret: '' })).toEqual({});
    expect(validateConnection({ ...valid, host: '192.168.1.10', sshHost: 'fd00::10' })).toEqual({});
    expect(validateConnection({ ...valid, sshAuthMode: 'password', sshKey: '', sshPassword: 'pw' })).toEqual({});
  });
  it('says what is wrong with each field', () => {
    expect(validateConnection({ ...valid, name: ' ' }).name).toMatch(/Required/);
    expect(validateConnection({ ...valid, host: 'https://pve:8006' }).host).toMatch(/without https/);
    expect(validateConnection({ ...valid, host: '[fd00::1]' }).host).toMatch(/without brackets/);
    expect(validateConnection({ ...valid, host: 'pve host' }).host).toMatch(/Not a host/);
    expect(validateConnection({ ...valid, port: '70000' }).port).toMatch(/Between 1 and 65535/);
    expect(validateConnection({ ...valid, tokenId: 'root!proximity' }).tokenId).toMatch(/user@realm!token/);
    expect(validateConnection({ ...valid, tokenSecret: 'secret' }).tokenSecret).toMatch(/UUID/);
    expect(validateConnection({ ...valid, authMode: 'password', realm: '9' }).realm).toMatch(/realm/);
    expect(validateConnection({ ...valid, sshUser: 'Root User' }).sshUser).toMatch(/Unix user/);
    expect(validateConnection({ ...valid, sshKey: 'ssh-ed25519 AAAA' }).sshKey).toMatch(/private key/);
  });
  it('lets an edit keep the saved secrets (empty) but not invent a bad one', () => {
    const edit = { ...valid, tokenSecret: '', sshKey: '' };
    expect(validateConnection(edit, true)).toEqual({});
    expect(validateConnection(edit, false)).toMatchObject({ tokenSecret: expect.any(String), sshKey: expect.any(String) });
    expect(validateConnection({ ...edit, tokenSecret: 'nope' }, true).tokenSecret).toMatch(/UUID/);
  });
});

describe('Proxmox connections over the real IPC runtime, against the lab', () => {
  let lab: LabProcess;
  let real: RealDesktopApi;
  let stops: Array<() => void> = [];
  beforeAll(async () => {
    lab = await startLabProcess();
  }, 60_000);
  afterAll(async () => {
    await lab?.close();
  });
  beforeEach(() => {
    useConnectionsStore.setState({ loaded: false, connections: [], loadError: null, dialog: null, reports: {}, testErrors: {}, testing: {} });
    useInfrastructureStore.setState({ clusters: {}, clusterErrors: {}, history: {}, appliance: null });
    real = openRealDesktopApi({ secretCipher: aesCipher(), proxmox: { busyIntervalMs: 100, idleIntervalMs: 200, requestTimeoutMs: 5000 } });
  });
  afterEach(() => {
    cleanup();
    stops.forEach((stop) => stop());
    stops = [];
    real.dispose();
  });

  const show = () => {
    stops.push(followConnections(real.api));
    stops.push(followCluster(real.api, (listener) => useConnectionsStore.subscribe((s) => listener(s.connections.map((c) => c.id)))));
    render(
      <TooltipProvider>
        <InfrastructureScreen api={real.api} />
      </TooltipProvider>,
    );
  };
  const type = (key: string, value: string) => {
    const input = screen.getByTestId(`connection-${key}`);
    fireEvent.change(input, { target: { value } });
    fireEvent.blur(input);
  };
  const states = (list: HTMLElement) => within(list).getAllByRole('listitem').map((li) => li.dataset.state);

  /** Onboarding through the dialog, as an operator would; returns the saved connection's id. */
  async function onboard(): Promise<string> {
    const { api, ssh } = lab.info;
    fireEvent.click(await screen.findByTestId('add-first-connection'));
    type('name', 'Lab');
    type('host', '127.0.0.1');
    type('port', new URL(api.url).port);
    type('tokenId', api.tokenId);
    type('tokenSecret', api.tokenSecret);
    type('sshHost', ssh!.host);
    type('sshPort', String(ssh!.port));
    type('sshKey', fs.readFileSync(ssh!.privateKeyPath, 'utf8'));
    const save = screen.getByTestId('connection-save') as HTMLButtonElement;
    expect(save.disabled).toBe(true); // nothing is saved before the fingerprints are confirmed
    fireEvent.click(screen.getByTestId('connection-probe'));
    await waitFor(() => expect(screen.getByTestId('tls-fingerprint').textContent).toBe(api.fingerprint), { timeout: 10_000 });
    expect(screen.getByTestId('ssh-fingerprint').textContent).toBe(ssh!.hostKeyFingerprint);
    // the probe logged in with the key to read the cluster CA; the lab's node has none, and the dialog says so
    expect(screen.getByTestId('cluster-ca').textContent).toMatch(/^Not read: \S/);
    expect(save.disabled).toBe(true);
    fireEvent.click(screen.getByTestId('connection-confirm'));
    expect(save.disabled).toBe(false);
    fireEvent.click(save);
    await screen.findByTestId('connection-saved', {}, { timeout: 10_000 });
    const results = screen.getByTestId('connection-test-results');
    await waitFor(() => expect(states(results)).toEqual(Array(6).fill('ok')), { timeout: 20_000 });
    const [saved] = real.core.connectionService.list();
    expect(saved).toMatchObject({ name: 'Lab', tlsFingerprint: api.fingerprint });
    expect(saved.ssh?.hostKeyFingerprint).toBe(ssh!.hostKeyFingerprint);
    fireEvent.click(screen.getByTestId('connection-done'));
    return saved.id;
  }

  it('first run: probe, confirm both fingerprints, add, test every part; the node appears, live while visible', async () => {
    show();
    await onboard();
    // the list came back through `connections.changed`; the cluster through `cluster.get`
    await screen.findByTestId('connection-item');
    await waitFor(() => expect(within(screen.getByTestId('nodes-table')).getAllByTestId('node-status').map((b) => b.textContent)).toEqual(['online']), { timeout: 10_000 });
    // visible: main polls and publishes `cluster.changed` on its own; hidden again: it stops
    stops.push(followVisibility(real.api));
    const id = useConnectionsStore.getState().connections[0].id;
    await waitFor(() => expect(real.core.proxmox.clusterState(id).nextTickInMs()).toBeDefined());
    await lab.fault({ kind: 'nodeOffline', node: lab.info.nodes[0], on: true });
    try {
      await waitFor(() => expect(screen.getByTestId('node-status').textContent).toBe('offline'), { timeout: 10_000 });
    } finally {
      await lab.fault({ kind: 'nodeOffline', node: lab.info.nodes[0], on: false });
    }
    // the window is hidden (minimised, another tab): followVisibility tells main, which stops polling
    Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
    try {
      act(() => void document.dispatchEvent(new Event('visibilitychange')));
      await waitFor(() => expect(real.core.proxmox.clusterState(id).nextTickInMs()).toBeUndefined());
    } finally {
      Reflect.deleteProperty(document, 'visibilityState');
    }
    expect(document.visibilityState).toBe('visible');
  }, 60_000);

  it('a changed certificate: the test says so, the panel shows old and new, re-pins only on confirmation; edit; remove with confirmation', async () => {
    show();
    const id = await onboard();
    // As if the node's certificate had been replaced since it was confirmed: the pin no longer matches.
    const stale = Array(32).fill('AA').join(':');
    await act(() => real.core.connectionService.repin({ id, kind: 'tls', fingerprint: stale }, 'test'));
    fireEvent.click(await screen.findByTestId('connection-item-test'));
    const panel = await screen.findByTestId('repin-panel', {}, { timeout: 15_000 });
    expect(panel.textContent).toContain('The TLS certificate changed');
    expect(panel.textContent).toContain(stale);
    expect(within(screen.getByTestId('connection-item-results')).getAllByRole('listitem')[1].dataset.state).toBe('failed');
    fireEvent.click(within(panel).getByTestId('repin-look'));
    await waitFor(() => expect(screen.getByTestId('repin-new').textContent).toBe(lab.info.api.fingerprint));
    fireEvent.click(screen.getByTestId('repin-confirm'));
    await waitFor(() => expect(states(screen.getByTestId('connection-item-results'))).toEqual(Array(6).fill('ok')), { timeout: 20_000 });
    expect(real.core.connectionService.list()[0].tlsFingerprint).toBe(lab.info.api.fingerprint);
    expect(screen.queryByTestId('repin-panel')).toBeNull();

    // Edit: the name changes, the stored secrets are kept (left empty), and the test still passes.
    fireEvent.click(screen.getByTestId('connection-item-edit'));
    expect((screen.getByTestId('connection-tokenSecret') as HTMLInputElement).value).toBe('');
    type('name', 'Lab renamed');
    fireEvent.click(screen.getByTestId('connection-save'));
    await waitFor(() => expect(states(screen.getByTestId('connection-test-results'))).toEqual(Array(6).fill('ok')), { timeout: 20_000 });
    fireEvent.click(screen.getByTestId('connection-done'));
    await waitFor(() => expect(screen.getByTestId('connection-item').getAttribute('aria-label')).toBe('Lab renamed'));

    // Remove asks first; Cancel keeps it.
    fireEvent.click(screen.getByTestId('connection-item-remove'));
    fireEvent.click(within(screen.getByTestId('remove-connection-dialog')).getByTestId('confirm-cancel'));
    expect(real.core.connectionService.list()).toHaveLength(1);
    fireEvent.click(screen.getByTestId('connection-item-remove'));
    fireEvent.click(within(screen.getByTestId('remove-connection-dialog')).getByTestId('confirm-accept'));
    await screen.findByTestId('infrastructure-not-connected');
    expect(real.core.connectionService.list()).toEqual([]);
  }, 90_000);

  it('a token without enough privileges: the privileges part fails and names what is missing', async () => {
    const { api, ssh } = lab.info;
    const made = await lab.control<{ tokens: Array<{ tokenId: string; tokenSecret: string }> }>('/access', {
      userid: 'ops@pve',
      password: 'pw-ops-1',
      acl: [{ path: '/vms', roles: ['PVEVMUser'] }],
      tokens: [{ tokenid: 'ui', acl: [{ path: '/vms', roles: ['PVEVMUser'] }] }],
    });
    const input = connectionAddInputSchema.parse({
      name: 'Limited',
      host: '127.0.0.1',
      port: Number(new URL(api.url).port),
      auth: { kind: 'token', tokenId: made.tokens[0].tokenId, secret: made.tokens[0].tokenSecret },
      tlsFingerprint: api.fingerprint,
      ssh: { host: ssh!.host, port: ssh!.port, user: ssh!.user, auth: { kind: 'key', privateKey: fs.readFileSync(ssh!.privateKeyPath, 'utf8') }, hostKeyFingerprint: ssh!.hostKeyFingerprint },
    });
    await real.core.connectionService.add(input, 'test');
    show();
    fireEvent.click(await screen.findByTestId('connection-item-test'));
    const results = screen.getByTestId('connection-item-results');
    await waitFor(() => expect(states(results)).toEqual(['ok', 'ok', 'ok', 'failed', 'ok', 'ok']), { timeout: 20_000 });
    expect(within(results).getByTestId('privileges-missing').textContent).toMatch(/Missing: .*\S+ on \/\S*/);
  }, 30_000);

  it('a host that does not answer: the probe error is shown with what to do, nothing is saved', async () => {
    show();
    fireEvent.click(await screen.findByTestId('add-first-connection'));
    type('name', 'Nowhere');
    type('host', '127.0.0.1');
    type('port', '1'); // nothing listens on port 1
    type('tokenId', 'root@pam!x');
    type('tokenSecret', '5c3f3a0e-8f55-4c1e-9d57-0a9b1c2d3e4f');
    type('sshPort', '1');
    type('sshKey', KEY);
    fireEvent.click(screen.getByTestId('connection-probe'));
    const error = await screen.findByTestId('connection-error', {}, { timeout: 15_000 });
    expect(error.textContent).toMatch(/PVE_UNREACHABLE|unreachable|refused/i);
    expect(screen.queryByTestId('connection-fingerprints')).toBeNull();
    expect((screen.getByTestId('connection-save') as HTMLButtonElement).disabled).toBe(true);
    expect(real.core.connectionService.list()).toEqual([]);
  }, 30_000);
});
