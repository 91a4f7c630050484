import type { ReactNode } from 'react';

/** What a screen shows when it has nothing yet: what would be here, and the next step. */
export function EmptyState({ icon, title, children, actions, testId }: { icon: ReactNode; title: string; children?: ReactNode; actions?: ReactNode; testId?: string }) {
  return (
    <div className="empty-state" data-testid={testId}>
      <div className="empty-state-icon" aria-hidden>
        {icon}
      </div>
      <h2 className="empty-state-title">{title}</h2>
      {children && <p className="empty-state-text">{children}</p>}
      {actions && <div className="empty-state-actions">{actions}</div>}
    </div>
  );
}
