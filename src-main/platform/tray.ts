import { Menu, Tray, nativeImage } from 'electron';
import { buildTrayMenuTemplate, trayTooltip } from './tray-menu';
import type { TrayActions, TrayState } from './tray-menu';

export interface ProximityTray {
  update(state: TrayState): void;
  destroy(): void;
}

/** Creates the tray icon; its menu is rebuilt from state on every update (menus are immutable once built). */
export function createTray(iconPath: string, actions: TrayActions, initial: TrayState): ProximityTray {
  const tray = new Tray(nativeImage.createFromPath(iconPath));
  const update = (state: TrayState) => {
    tray.setContextMenu(Menu.buildFromTemplate(buildTrayMenuTemplate(state, actions)));
    tray.setToolTip(trayTooltip(state));
  };
  update(initial);
  tray.on('click', () => actions.openWindow());
  return {
    update: (state) => {
      if (!tray.isDestroyed()) update(state);
    },
    destroy: () => tray.destroy(),
  };
}
