import { ListChecks, X } from 'lucide-react';
import './operations.css';
import { Dialog } from 'radix-ui';
import type { DesktopApi } from '../../../src-shared/contract/desktop-api';
import { EmptyState } from '../../components/empty-state';
import { IconButton } from '../../components/icon-button';
import { ProgressBar } from '../../components/progress-bar';
import { OperationDetails } from './operation-details';
import { OperationStateBadge } from './operation-state-badge';
import { sortedOperations, useOperationsStore } from './operations-store';

/** A side panel with every operation (newest first); choosing one shows its steps, progress and live log. */
export function OperationsDrawer({ api }: { api: DesktopApi }) {
  const { byId, drawerOpen, selectedId, closeDrawer, openDrawer, select } = useOperationsStore();
  const selected = selectedId ? byId[selectedId] : undefined;
  const ops = sortedOperations(byId);
  return (
    <Dialog.Root open={drawerOpen} onOpenChange={(open) => (open ? openDrawer(selectedId) : closeDrawer())}>
      <Dialog.Portal>
        <Dialog.Overlay className="dialog-overlay" />
        <Dialog.Content className="drawer-content" data-testid="operations-drawer">
          <div className="drawer-header">
            <Dialog.Title className="dialog-title">Operations</Dialog.Title>
            <Dialog.Close asChild>
              <IconButton label="Close operations" icon={<X size={16} aria-hidden />} />
            </Dialog.Close>
          </div>
          <Dialog.Description className="visually-hidden">Long-running work such as deployments, with progress and logs.</Dialog.Description>
          <div className="drawer-body">
            {selected ? (
              <OperationDetails api={api} op={selected} />
            ) : ops.length === 0 ? (
              <EmptyState icon={<ListChecks size={22} />} title="No operations yet" testId="operations-empty">
                Deployments, provisioning and other long work show up here with their progress and logs.
              </EmptyState>
            ) : (
              <ul className="operation-list" data-testid="operation-list">
                {ops.map((op) => (
                  <li key={op.id}>
                    <button type="button" className="operation-item" onClick={() => select(op.id)} data-testid="operation-item" data-operation-id={op.id}>
                      <span className="operation-item-top">
                        <span className="operation-item-title">{op.title}</span>
                        <OperationStateBadge state={op.state} />
                      </span>
                      <span className="muted operation-item-step">{op.error?.message ?? op.step ?? 'Starting…'}</span>
                      {op.state === 'running' && <ProgressBar value={op.percent} label={`${op.title} progress`} />}
                    </button>
                  </li>
                ))}
              </ul>
            )}
          </div>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
