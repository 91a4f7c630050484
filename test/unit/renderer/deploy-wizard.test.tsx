// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DesktopApi } from '../../../src-shared/contract/desktop-api';
import { TooltipProvider } from '../../../src-renderer/components/tooltip';
import { NO_FILTER } from '../../../src-renderer/features/apps/app-filters';
import { followApps, useAppsStore } from '../../../src-renderer/features/apps/apps-store';
import { DeployScreen } from '../../../src-renderer/features/catalog/deploy-screen';
import { hostnameError } from '../../../src-renderer/features/deploy/deploy-form';
import { useDeployStore } from '../../../src-renderer/features/deploy/deploy-store';
import type { CatalogApp, DeployPlan, DeployRequest, TargetNode } from '../../../src-renderer/features/deploy/deploy-types';
import { useNavigationStore } from '../../../src-renderer/features/navigation/navigation-store';
import { followOperations, useOperationsStore } from '../../../src-renderer/features/operations/operations-store';
import { addApps, openRealDesktopApi, type RealDesktopApi } from './real-desktop-api';

const GITEA: CatalogApp = {
  id: 'gitea',
  name: 'Gitea',
  minCores: 1,
  minMemoryMiB: 512,
  minDiskGiB: 4,
  parameters: [
    { key: 'admin', label: 'Admin user', kind: 'text', required: true, defaultValue: 'admin', pattern: '[a-z][a-z0-9_-]{2,31}', hint: '3-32 lower-case letters, digits, - or _' },
    { key: 'sshPort', label: 'SSH port', kind: 'number', required: false },
  ],
};
const NODES: TargetNode[] = [
  { node: 'pve1', freeCores: 4, freeMemoryMiB: 2048, freeDiskGiB: 50 },
  { node: 'pve2', freeCores: 2, freeMemoryMiB: 8192, freeDiskGiB: 200 },
];

describe('hostname check', () => {
  it('is a DNS label not used by another app', () => {
    expect(hostnameError('gitea', [])).toBeUndefined();
    expect(hostnameError('Gitea', [])).toMatch(/Lower case/);
    expect(hostnameError('-gitea', [])).toMatch(/starts and ends/);
    expect(hostnameError('a'.repeat(64), [])).toMatch(/at most 63/);
    expect(hostnameError('gitea', [{ hostname: 'gitea' }])).toMatch(/already uses/);
  });
});

describe('deploy wizard', () => {
  let real: RealDesktopApi;
  const stops: Array<() => void> = [];
  beforeEach(() => {
    useAppsStore.setState({ apps: [], loaded: false, error: null, filter: NO_FILTER });
    useOperationsStore.setState({ byId: {}, drawerOpen: false, selectedId: null, cancelError: null });
    useNavigationStore.setState({ screen: 'deploy', appId: null });
    useDeployStore.getState().begin(GITEA, NODES);
    real = openRealDesktopApi();
    stops.push(followApps(real.api), followOperations(real.api, () => {}));
  });
  afterEach(() => {
    cleanup();
    stops.splice(0).forEach((s) => s());
    useDeployStore.getState().reset();
    real.dispose();
  });
  const show = (api: DesktopApi) =>
    render(
      <TooltipProvider>
        <DeployScreen api={api} />
      </TooltipProvider>,
    );
  const type = (testId: string, value: string) => fireEvent.change(screen.getByTestId(testId), { target: { value } });
  const invalid = (testId: string) => screen.getByTestId(testId).getAttribute('aria-invalid') === 'true';

  it('checks the hostname against the real apps as you type, and resources against minimums and the node', async () => {
    addApps(real.core, ['Gitea']); // takes the hostname "gitea"
    show(real.api);
    await waitFor(() => expect(invalid('deploy-hostname')).toBe(true));
    type('deploy-hostname', 'git');
    expect(invalid('deploy-hostname')).toBe(false);
    type('deploy-memory', '256');
    expect(invalid('deploy-memory')).toBe(true);
    type('deploy-memory', '4096');
    expect(screen.getByTestId('deploy-memory').closest('.field-group')!.textContent).toContain('Only 2048 MiB free');
    type('deploy-node', 'pve2');
    expect(invalid('deploy-memory')).toBe(false);
    type('deploy-param-admin', 'A');
    expect(invalid('deploy-param-admin')).toBe(true);
    type('deploy-param-admin', 'owner');
    expect((screen.getByTestId('deploy-review') as HTMLButtonElement).disabled).toBe(false);
    fireEvent.click(screen.getByTestId('deploy-review'));
    // No deploy channels in main yet: said plainly, with what to do.
    expect((await screen.findByTestId('deploy-error')).dataset.errorCode).toBe('NOT_SUPPORTED');
  });

  it('with the deploy channels: reviews the plan, deploys as a real operation with live progress, and shows the credentials once', async () => {
    const planned: DeployRequest[] = [];
    let release = () => {};
    const plan: DeployPlan = {
      planId: 'plan-1', node: 'pve1', vmid: 205, network: 'vmbr1, 10.77.0.23/24', ports: { public: 30000, internal: 40000 }, proxyRoutes: [':30000 -> 10.77.0.23:3000'], dnsName: 'git.proximity.lan',
      steps: ['Create container 205 on pve1', 'Start it', 'Add the proxy route'],
    };
    // The channels main will add (`deploy.plan/start/result`); the operation is a real one in the real core.
    const api = {
      ...real.api,
      deploy: {
        plan: async (r: DeployRequest) => (planned.push(r), { ok: true, value: plan }),
        start: async () => ({
          ok: true,
          value: real.core.operations.start({ kind: 'deploy', title: 'Deploy Gitea' }, async (op) => {
            op.step('create');
            op.log('pct create 205');
            op.progress(50);
            await new Promise<void>((r) => (release = r));
          }),
        }),
        result: async () => ({ ok: true, value: { appId: 'app-gitea', urls: ['http://10.0.0.2:30000/'], credentials: [{ label: 'Admin password', value: 's3cret-Once' }] } }),
      },
    } as unknown as DesktopApi;
    show(api);
    type('deploy-hostname', 'git');
    fireEvent.click(screen.getByTestId('deploy-review'));
    const review = await screen.findByTestId('deploy-review-step');
    expect(planned).toEqual([expect.objectContaining({ catalogId: 'gitea', hostname: 'git', node: 'pve1', cores: 1, memoryMiB: 512, diskGiB: 4, params: { admin: 'admin', sshPort: '' } })]);
    expect(within(review).getByTestId('plan-dns-name').textContent).toBe('git.proximity.lan');
    expect(within(review).getByTestId('plan-steps').textContent).toContain('Create container 205 on pve1');
    fireEvent.click(within(review).getByTestId('deploy-start'));
    await waitFor(() => expect(screen.getByTestId('operation-log').textContent).toContain('[create] pct create 205'));
    expect(screen.getByTestId('deploy-wizard').dataset.step).toBe('deploy');
    act(() => release());
    const result = await screen.findByTestId('deploy-result');
    expect(within(result).getByTestId('deploy-credentials').textContent).toContain('s3cret-Once');
    fireEvent.click(within(result).getByTestId('deploy-open-canvas'));
    expect(useNavigationStore.getState()).toMatchObject({ screen: 'canvas', appId: 'app-gitea' });
  });
});
