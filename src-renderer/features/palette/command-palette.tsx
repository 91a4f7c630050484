import { Command } from 'cmdk';
import { AppWindow, ArrowLeft, ExternalLink, Play, RotateCw, Rocket, Square } from 'lucide-react';
import { Dialog } from 'radix-ui';
import { useEffect, useState } from 'react';
import type { DesktopApi } from '../../../src-shared/contract/desktop-api';
import type { AppSummary } from '../../../src-shared/contract/schemas';
import { StatusBadge } from '../../components/status-badge';
import { SCREEN_INFO, SIDEBAR_SCREENS } from '../../shell/screen-catalogue';
import { accessUrlsOf } from '../apps/app-access';
import { useAppActionRunner, useOpenInBrowser } from '../apps/use-app-action-runner';
import { useAppsStore } from '../apps/apps-store';
import type { AppAction } from '../apps/app-actions';
import { applianceAddressOf, useInfrastructureStore } from '../infrastructure/infrastructure-store';
import { useNavigationStore } from '../navigation/navigation-store';
import { usePaletteStore } from './palette-store';

/**
 * Ctrl/Cmd+K: jump to any screen or app, then act on the app (open its canvas, open it in the browser, start,
 * stop, restart), or start a deployment. Choosing an app opens a second page with its actions; Backspace on an
 * empty search (or the back item) returns.
 */
export function CommandPalette({ api }: { api: DesktopApi }) {
  const open = usePaletteStore((s) => s.open);
  const setOpen = usePaletteStore((s) => s.setOpen);
  const toggle = usePaletteStore((s) => s.toggle);
  const [search, setSearch] = useState('');
  const [app, setApp] = useState<AppSummary | null>(null);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'k') {
        e.preventDefault();
        if (usePaletteStore.getState().open) {
          setSearch('');
          setApp(null);
        }
        toggle();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [toggle]);

  // Closing forgets the search and the chosen app, so the next Ctrl/Cmd+K starts fresh.
  const setOpenAndReset = (next: boolean) => {
    if (!next) {
      setSearch('');
      setApp(null);
    }
    setOpen(next);
  };
  const close = () => setOpenAndReset(false);
  return (
    <Dialog.Root open={open} onOpenChange={setOpenAndReset}>
      <Dialog.Portal>
        <Dialog.Overlay className="dialog-overlay" />
        <Dialog.Content className="palette" data-testid="command-palette">
          <Dialog.Title className="visually-hidden">Command palette</Dialog.Title>
          <Dialog.Description className="visually-hidden">Type to find a screen, an app or an action.</Dialog.Description>
          <Command
            label="Command palette"
            onKeyDown={(e) => {
              if (e.key === 'Backspace' && search === '' && app) {
                e.preventDefault();
                setApp(null);
              }
            }}
          >
            <Command.Input className="palette-input" value={search} onValueChange={setSearch} placeholder={app ? `Actions for ${app.name}…` : 'Go to a screen, find an app, deploy…'} data-testid="palette-input" />
            <Command.List className="palette-list">
              <Command.Empty className="palette-empty">Nothing matches.</Command.Empty>
              {app ? <AppPage api={api} app={app} back={() => setApp(null)} done={close} /> : <HomePage pickApp={(a) => { setApp(a); setSearch(''); }} done={close} />}
            </Command.List>
          </Command>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}

function HomePage({ pickApp, done }: { pickApp(app: AppSummary): void; done(): void }) {
  const apps = useAppsStore((s) => s.apps);
  const show = useNavigationStore((s) => s.show);
  return (
    <>
      <Command.Group heading="Go to" className="palette-group">
        {SIDEBAR_SCREENS.map((s) => {
          const { title, Icon } = SCREEN_INFO[s];
          return (
            <Command.Item key={s} value={`go ${title}`} className="palette-item" onSelect={() => { show(s); done(); }} data-testid={`palette-go-${s}`}>
              <Icon size={16} aria-hidden />
              {title}
            </Command.Item>
          );
        })}
        <Command.Item value="deploy an app" className="palette-item" onSelect={() => { show('catalog'); done(); }} data-testid="palette-deploy">
          <Rocket size={16} aria-hidden />
          Deploy an app…
        </Command.Item>
      </Command.Group>
      {apps.length > 0 && (
        <Command.Group heading="Apps" className="palette-group">
          {apps.map((a) => (
            <Command.Item key={a.id} value={`app ${a.name} ${a.hostname} ${a.id}`} className="palette-item" onSelect={() => pickApp(a)} data-testid={`palette-app-${a.id}`}>
              <AppWindow size={16} aria-hidden />
              <span className="palette-item-main">{a.name}</span>
              <span className="muted mono">{a.hostname}</span>
              <StatusBadge status={a.status} />
            </Command.Item>
          ))}
        </Command.Group>
      )}
    </>
  );
}

const LIFECYCLE: Array<{ action: AppAction; label: string; Icon: typeof Play }> = [
  { action: 'start', label: 'Start', Icon: Play },
  { action: 'stop', label: 'Stop', Icon: Square },
  { action: 'restart', label: 'Restart', Icon: RotateCw },
];

function AppPage({ api, app, back, done }: { api: DesktopApi; app: AppSummary; back(): void; done(): void }) {
  const openCanvas = useNavigationStore((s) => s.openCanvas);
  const address = useInfrastructureStore(applianceAddressOf);
  const url = accessUrlsOf(app, address)[0]?.url;
  const run = useAppActionRunner(api);
  const openInBrowser = useOpenInBrowser(api);
  return (
    <Command.Group heading={app.name} className="palette-group">
      <Command.Item value="back" className="palette-item" onSelect={back}>
        <ArrowLeft size={16} aria-hidden />
        Back
      </Command.Item>
      <Command.Item value="open canvas" className="palette-item" onSelect={() => { openCanvas(app.id); done(); }} data-testid="palette-open-canvas">
        <AppWindow size={16} aria-hidden />
        Open canvas
      </Command.Item>
      <Command.Item value="open in browser" className="palette-item" disabled={!url} onSelect={() => { if (url) void openInBrowser(url); done(); }}>
        <ExternalLink size={16} aria-hidden />
        Open in browser
        {!url && <span className="muted palette-hint">no address yet</span>}
      </Command.Item>
      {LIFECYCLE.map(({ action, label, Icon }) => {
        return (
          <Command.Item key={action} value={label} className="palette-item" onSelect={() => { void run(action, app); done(); }} data-testid={`palette-${action}`}>
            <Icon size={16} aria-hidden />
            {label}
          </Command.Item>
        );
      })}
    </Command.Group>
  );
}
