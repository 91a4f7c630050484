import { useState, type ReactNode } from 'react';
import { Button } from './button';
import { Dialog } from './dialog';

export interface ConfirmDialogProps {
  open: boolean;
  onOpenChange(open: boolean): void;
  title: string;
  description: ReactNode;
  confirmLabel: string;
  /** `danger` for destructive actions (delete): the confirm button turns red. */
  tone?: 'normal' | 'danger';
  /** Runs on confirm; the dialog stays open (button busy) until it settles, then closes. */
  onConfirm(): Promise<void> | void;
  testId?: string;
}

/** Asks before doing something that cannot be undone. Cancel has the initial focus (the safe choice). */
export function ConfirmDialog({ open, onOpenChange, title, description, confirmLabel, tone = 'normal', onConfirm, testId }: ConfirmDialogProps) {
  const [busy, setBusy] = useState(false);
  const confirm = async () => {
    setBusy(true);
    try {
      await onConfirm();
      onOpenChange(false);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog
      open={open}
      onOpenChange={(next) => !busy && onOpenChange(next)}
      title={title}
      description={description}
      testId={testId}
      footer={
        <>
          <Button onClick={() => onOpenChange(false)} disabled={busy} autoFocus data-testid="confirm-cancel">
            Cancel
          </Button>
          <Button variant={tone === 'danger' ? 'danger' : 'primary'} busy={busy} onClick={() => void confirm()} data-testid="confirm-accept">
            {confirmLabel}
          </Button>
        </>
      }
    />
  );
}
