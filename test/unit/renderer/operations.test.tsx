// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Operation } from '../../../src-shared/contract/schemas';
import { TooltipProvider } from '../../../src-renderer/components/tooltip';
import { useToastStore } from '../../../src-renderer/components/toast-store';
import { toastOperationResult } from '../../../src-renderer/features/operations/operation-toasts';
import { OperationsDrawer } from '../../../src-renderer/features/operations/operations-drawer';
import { followOperations, runningCount, useOperationsStore } from '../../../src-renderer/features/operations/operations-store';
import { openRealDesktopApi, type RealDesktopApi } from './real-desktop-api';

let real: RealDesktopApi;
const releases: Array<() => void> = [];

beforeEach(() => {
  useOperationsStore.setState({ byId: {}, drawerOpen: false, selectedId: null, cancelError: null });
  useToastStore.setState({ toasts: [] });
  real = openRealDesktopApi();
});
afterEach(() => {
  cleanup();
  releases.splice(0).forEach((r) => r());
  real.dispose();
});

/** Starts a real operation that logs two steps and waits (until released, or until cancelled). */
function startDeploy(title = 'Deploy Gitea'): string {
  return real.core.operations.start({ kind: 'deploy', title, target: 'gitea' }, async (op) => {
    op.step('create');
    op.log('pct create 205');
    op.progress(40);
    op.step('start');
    op.log('starting 205');
    await new Promise<void>((resolve, reject) => {
      releases.push(resolve);
      op.signal.addEventListener('abort', () => reject(op.signal.reason));
    });
  }).id;
}
const stateOf = (id: string) => useOperationsStore.getState().byId[id]?.state;

describe('operations store on real operations', () => {
  it('receives progress live, announces only transitions it watched, and replays earlier ones silently', async () => {
    const finishedEarlier = real.core.operations.start({ kind: 'backup', title: 'Back up' }, async () => {});
    await waitFor(() => expect(real.core.operations.get(finishedEarlier.id)?.state).toBe('succeeded'));
    const announced: Operation[] = [];
    const stop = followOperations(real.api, (op) => announced.push(op));
    expect(stateOf(finishedEarlier.id)).toBe('succeeded'); // late subscriber: replayed
    const id = startDeploy();
    await waitFor(() => expect(useOperationsStore.getState().byId[id]?.log.map((l) => l.text)).toEqual(['pct create 205', 'starting 205']));
    expect(useOperationsStore.getState().byId[id]).toMatchObject({ state: 'running', step: 'start', percent: 40 });
    expect(runningCount(useOperationsStore.getState().byId)).toBe(1);
    releases.shift()!();
    await waitFor(() => expect(stateOf(id)).toBe('succeeded'));
    expect(announced.map((o) => [o.id, o.state])).toEqual([[id, 'succeeded']]);
    stop();
  });

  it('cancels through operations.cancel; the toast says cancelled and offers the details', async () => {
    const stop = followOperations(real.api, toastOperationResult);
    const id = startDeploy();
    await waitFor(() => expect(stateOf(id)).toBe('running'));
    await act(() => useOperationsStore.getState().cancel(real.api, id));
    await waitFor(() => expect(stateOf(id)).toBe('cancelled'));
    expect(useToastStore.getState().toasts).toMatchObject([{ id, tone: 'info', title: 'Deploy Gitea: cancelled' }]);
    useToastStore.getState().toasts[0].action!.run();
    expect(useOperationsStore.getState()).toMatchObject({ drawerOpen: true, selectedId: id });
    stop();
  });

  it('a failed operation toasts its message, step and what to do next', async () => {
    const stop = followOperations(real.api, toastOperationResult);
    const op = real.core.operations.start({ kind: 'provision', title: 'Provision appliance' }, async (ctx) => {
      ctx.step('download');
      await Promise.resolve();
      throw new Error('storage local is full');
    });
    await waitFor(() => expect(stateOf(op.id)).toBe('failed'));
    const [toast] = useToastStore.getState().toasts;
    expect(toast).toMatchObject({ tone: 'bad', title: 'Provision appliance: failed' });
    expect(toast.description).toContain('storage local is full (step “download”)');
    stop();
  });
});

describe('operations drawer', () => {
  it('lists operations, shows steps, progress and the streaming log, and cancels', async () => {
    const stop = followOperations(real.api, () => {});
    const id = startDeploy();
    await waitFor(() => expect(stateOf(id)).toBe('running'));
    render(
      <TooltipProvider>
        <OperationsDrawer api={real.api} />
      </TooltipProvider>,
    );
    act(() => useOperationsStore.getState().openDrawer());
    fireEvent.click(await screen.findByTestId('operation-item'));
    const details = await screen.findByTestId('operation-details');
    expect(within(details).getByTestId('operation-log').textContent).toContain('[create] pct create 205');
    expect(within(details).getByTestId('operation-progress').getAttribute('aria-valuenow')).toBe('40');
    expect(within(details).getByRole('list', { name: 'Steps' }).textContent).toBe('createstart');
    act(() => void real.core.operations.start({ kind: 'x', title: 'other' }, async () => {}));
    fireEvent.click(within(details).getByTestId('operation-cancel'));
    await waitFor(() => expect(within(details).getByTestId('operation-state').dataset.state).toBe('cancelled'));
    expect(within(details).queryByTestId('operation-cancel')).toBeNull();
    stop();
  });
});
