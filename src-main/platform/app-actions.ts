/**
 * What the tray (and later the UI) can ask of a deployed app. Start/stop/restart need Proxmox, which is not
 * wired yet; until then the implementation says so plainly instead of pretending to act.
 */
export interface AppActions {
  start(appId: string): Promise<void>;
  stop(appId: string): Promise<void>;
  restart(appId: string): Promise<void>;
}

export type Notify = (title: string, body: string) => void;

export function createUnavailableAppActions(notify: Notify, appName: (appId: string) => string = (id) => id): AppActions {
  const unavailable = (verb: string) => async (appId: string) => {
    notify(`Cannot ${verb} ${appName(appId)}`, `${verb[0].toUpperCase()}${verb.slice(1)} is not available yet: Proximity is not connected to Proxmox.`);
  };
  return { start: unavailable('start'), stop: unavailable('stop'), restart: unavailable('restart') };
}
