import { ListChecks, Search } from 'lucide-react';
import { Button } from '../components/button';
import { ThemeSwitch } from '../components/theme/theme-switch';
import { runningCount, useOperationsStore } from '../features/operations/operations-store';
import { usePaletteStore } from '../features/palette/palette-store';

/** The bar above every screen: the command palette, running operations, the theme. */
export function HeaderBar() {
  const openPalette = usePaletteStore((s) => s.setOpen);
  const running = useOperationsStore((s) => runningCount(s.byId));
  const openDrawer = useOperationsStore((s) => s.openDrawer);
  const mac = typeof navigator !== 'undefined' && /Mac/.test(navigator.platform);
  return (
    <header className="header-bar">
      <button type="button" className="palette-trigger" onClick={() => openPalette(true)} data-testid="open-palette">
        <Search size={15} aria-hidden />
        <span>Search apps and actions…</span>
        <kbd>{mac ? '⌘' : 'Ctrl'}</kbd>
        <kbd>K</kbd>
      </button>
      <div className="header-actions">
        <Button
          variant="ghost"
          icon={<ListChecks size={16} aria-hidden />}
          onClick={() => openDrawer()}
          data-testid="open-operations"
        >
          Operations
          {running > 0 && (
            <>
              <span className="count-pill" data-testid="operations-running-count">
                {running}
              </span>
              <span className="visually-hidden"> running</span>
            </>
          )}
        </Button>
        <ThemeSwitch />
      </div>
    </header>
  );
}
