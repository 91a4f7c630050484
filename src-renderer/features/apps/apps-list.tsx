import { useVirtualizer } from '@tanstack/react-virtual';
import { useRef } from 'react';
import type { AppSummary } from '../../../src-shared/contract/schemas';
import { AppRow, type AppRowHandlers } from './app-row';

/** Row height in px; kept equal to --row-height in apps.css. */
export const APP_ROW_HEIGHT = 56;

/**
 * The apps as a virtualised table (@tanstack/react-virtual): only the rows in view (plus a few) are in the DOM,
 * so 1000 apps render and update as fast as 20. ARIA table semantics with aria-rowcount/aria-rowindex keep
 * the full size known to assistive tech.
 */
export function AppsList({ apps, applianceAddress, handlers }: { apps: readonly AppSummary[]; applianceAddress: string | null; handlers: AppRowHandlers }) {
  const scrollRef = useRef<HTMLDivElement>(null);
  // The React Compiler lint skips this hook's component (TanStack Virtual returns a mutable instance); expected.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: apps.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => APP_ROW_HEIGHT,
    overscan: 8,
    getItemKey: (i) => apps[i].id,
    // Before layout (first paint, tests without layout) assume a typical viewport rather than zero rows.
    initialRect: { width: 1000, height: 720 },
  });
  return (
    <div className="apps-table" role="table" aria-label="Apps" aria-rowcount={apps.length + 1} data-testid="apps-list" data-count={apps.length}>
      <div className="app-row app-row-head" role="row" aria-rowindex={1}>
        <div role="columnheader">App</div>
        <div role="columnheader">Status</div>
        <div role="columnheader">Node · VMID</div>
        <div role="columnheader">Ports</div>
        <div role="columnheader">Access URL</div>
        <div role="columnheader">
          <span className="visually-hidden">Actions</span>
        </div>
      </div>
      <div ref={scrollRef} className="apps-scroll" role="rowgroup">
        <div className="apps-spacer" style={{ height: virtualizer.getTotalSize() }}>
          {virtualizer.getVirtualItems().map((item) => (
            <div key={item.key} className="apps-slot" style={{ transform: `translateY(${item.start}px)` }}>
              <AppRow app={apps[item.index]} index={item.index} applianceAddress={applianceAddress} handlers={handlers} />
            </div>
          ))}
        </div>
      </div>
    </div>
  );
}
