import type { ReactNode } from 'react';

/** A titled panel. `stale` greys its values and says they are the last known ones. */
export function Card({ title, icon, children, stale = false, testId, className }: { title: string; icon?: ReactNode; children: ReactNode; stale?: boolean; testId?: string; className?: string }) {
  const classes = ['card', stale ? 'stale' : '', className ?? ''].filter(Boolean).join(' ');
  return (
    <section className={classes} data-testid={testId} data-stale={stale ? 'true' : 'false'} aria-label={title}>
      <h2 className="card-title">
        {icon}
        {title}
        {stale && <span className="stale-badge"> · last known values</span>}
      </h2>
      {children}
    </section>
  );
}
