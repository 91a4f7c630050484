import { DropdownMenu } from 'radix-ui';
import type { ReactElement, ReactNode } from 'react';

export interface MenuAction {
  key: string;
  label: string;
  icon?: ReactNode;
  tone?: 'normal' | 'bad';
  /** Why it is unavailable (shown as a disabled item's title); undefined when it can run. */
  disabledReason?: string;
  run(): void;
  /** Draw a separator above this item. */
  separated?: boolean;
}

/**
 * A menu of actions (Radix: arrow keys, typeahead, Escape). Non-modal on purpose: a modal menu locks page
 * scroll by injecting an inline <style>, which our CSP refuses.
 */
export function ActionMenu({ trigger, label, actions, testId }: { trigger: ReactElement; label: string; actions: readonly MenuAction[]; testId?: string }) {
  return (
    <DropdownMenu.Root modal={false}>
      <DropdownMenu.Trigger asChild>{trigger}</DropdownMenu.Trigger>
      <DropdownMenu.Portal>
        <DropdownMenu.Content className="menu-content" align="end" sideOffset={4} aria-label={label} data-testid={testId}>
          {actions.map((a) => (
            <MenuItem key={a.key} action={a} />
          ))}
        </DropdownMenu.Content>
      </DropdownMenu.Portal>
    </DropdownMenu.Root>
  );
}

function MenuItem({ action }: { action: MenuAction }) {
  return (
    <>
      {action.separated && <DropdownMenu.Separator className="menu-separator" />}
      <DropdownMenu.Item
        className="menu-item"
        data-tone={action.tone === 'bad' ? 'bad' : undefined}
        disabled={action.disabledReason !== undefined}
        title={action.disabledReason}
        data-testid={`action-${action.key}`}
        onSelect={action.run}
      >
        {action.icon}
        <span>{action.label}</span>
      </DropdownMenu.Item>
    </>
  );
}
