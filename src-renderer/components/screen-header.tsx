import type { ReactNode } from 'react';

/** The title row of every screen: its name (the page's h1), a line saying what it is for, and its actions. */
export function ScreenHeader({ title, subtitle, actions }: { title: ReactNode; subtitle?: ReactNode; actions?: ReactNode }) {
  return (
    <header className="screen-header">
      <div>
        <h1 className="screen-title" data-testid="screen-title">
          {title}
        </h1>
        {subtitle && <p className="screen-subtitle">{subtitle}</p>}
      </div>
      {actions && <div className="screen-actions">{actions}</div>}
    </header>
  );
}
