import { beforeEach, describe, expect, it } from 'vitest';
import type { MenuItemConstructorOptions } from 'electron';
import * as mock from '../../fakes/electron-mock';
import { buildTrayMenuTemplate, trayTooltip } from '../../../src-main/platform/tray-menu';
import type { TrayActions, TrayState } from '../../../src-main/platform/tray-menu';
import { createTray } from '../../../src-main/platform/tray';

function recordingActions() {
  const calls: string[] = [];
  const rec = (name: string) => (id?: string) => void calls.push(id ? `${name}:${id}` : name);
  const actions: TrayActions = {
    openWindow: rec('openWindow'),
    openCanvas: rec('openCanvas'),
    startApp: rec('startApp'),
    stopApp: rec('stopApp'),
    restartApp: rec('restartApp'),
    deployApp: rec('deployApp'),
    showInfrastructure: rec('showInfrastructure'),
    quit: rec('quit'),
  };
  return { calls, actions };
}

const byId = (items: MenuItemConstructorOptions[], id: string): MenuItemConstructorOptions => {
  for (const i of items) {
    if (i.id === id) return i;
    if (Array.isArray(i.submenu)) {
      const found = i.submenu.find((s) => s.id === id);
      if (found) return found;
    }
  }
  throw new Error(`no item ${id}`);
};
const click = (item: MenuItemConstructorOptions) => (item.click as () => void)();
const labels = (items: MenuItemConstructorOptions[]) => items.map((i) => (i.type === 'separator' ? '---' : i.label));

const state: TrayState = {
  apps: [
    { id: 'a1', name: 'Nextcloud', status: 'running', canvasUrl: 'http://10.20.0.2:40001/' },
    { id: 'a2', name: 'Gitea', status: 'stopped' },
  ],
  infrastructure: { status: 'degraded', detail: 'DNS not answering' },
};

describe('tray menu template', () => {
  it('lists open, one submenu per app, deploy, infrastructure and quit in order', () => {
    const t = buildTrayMenuTemplate(state, recordingActions().actions);
    expect(labels(t)).toEqual([
      'Open Proximity',
      '---',
      'Nextcloud (running)',
      'Gitea (stopped)',
      '---',
      'Deploy an app…',
      'Infrastructure: Degraded (DNS not answering)',
      '---',
      'Quit',
    ]);
  });

  it('enables per-app items from the app status and canvas', () => {
    const t = buildTrayMenuTemplate(state, recordingActions().actions);
    const enabled = (id: string) => byId(t, id).enabled;
    expect([enabled('app:a1:open'), enabled('app:a1:start'), enabled('app:a1:stop'), enabled('app:a1:restart')]).toEqual([true, false, true, true]);
    expect([enabled('app:a2:open'), enabled('app:a2:start'), enabled('app:a2:stop'), enabled('app:a2:restart')]).toEqual([false, true, false, false]);
  });

  it('routes clicks to the actions with the app id', () => {
    const { calls, actions } = recordingActions();
    const t = buildTrayMenuTemplate(state, actions);
    for (const id of ['open', 'app:a1:open', 'app:a1:stop', 'app:a1:restart', 'app:a2:start', 'deploy', 'infrastructure', 'quit']) click(byId(t, id));
    expect(calls).toEqual(['openWindow', 'openCanvas:a1', 'stopApp:a1', 'restartApp:a1', 'startApp:a2', 'deployApp', 'showInfrastructure', 'quit']);
  });

  it('says so when no app is deployed and shows unknown infrastructure', () => {
    const t = buildTrayMenuTemplate({ apps: [], infrastructure: { status: 'unknown' } }, recordingActions().actions);
    expect(labels(t)).toEqual(['Open Proximity', '---', 'No apps deployed', '---', 'Deploy an app…', 'Infrastructure: Unknown', '---', 'Quit']);
    expect(byId(t, 'no-apps').enabled).toBe(false);
  });

  it('summarises state in the tooltip', () => {
    expect(trayTooltip(state)).toBe('Proximity: 1/2 apps running, infrastructure Degraded');
  });
});

describe('tray', () => {
  beforeEach(() => mock.__reset());

  it('creates one tray icon and rebuilds its menu when state changes', () => {
    const { calls, actions } = recordingActions();
    const tray = createTray('/repo/resources/tray.png', actions, { apps: [], infrastructure: { status: 'unknown' } });
    expect(mock.Tray.instances).toHaveLength(1);
    const t = mock.Tray.instances[0];
    expect((t.image as mock.FakeNativeImage).path).toBe('/repo/resources/tray.png');
    expect(labels((t.contextMenu as { template: MenuItemConstructorOptions[] }).template)).toContain('No apps deployed');
    tray.update(state);
    expect(labels((t.contextMenu as { template: MenuItemConstructorOptions[] }).template)).toContain('Nextcloud (running)');
    expect(t.tooltip).toContain('1/2');
    t.__emit('click');
    expect(calls).toEqual(['openWindow']);
    tray.destroy();
    tray.update({ apps: [], infrastructure: { status: 'down' } }); // ignored after destroy, no throw
    expect(t.destroyed).toBe(true);
  });
});
